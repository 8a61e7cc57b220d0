"""A report asked for on the page is built by a real django-q2 worker in another process,
while the page polls its status; then the figures and the exports are there."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import ReportSnapshot
from tests.helpers import run_worker_once
from tests.world import build_world

# The worker is another process, which no time travel reaches: this test keeps the machine's
# clock (`real_clock`), so the world opens and the report is asked for as of the real today.
pytestmark = [pytest.mark.postgres, pytest.mark.real_clock]


def test_the_worker_builds_the_report_the_page_is_waiting_for(transactional_db, client, settings):
    settings.DONDOC_REPORTS_SYNC = False
    world = build_world()
    client.force_login(world.thuongtruc)
    response = client.post(
        reverse("reports:report_list"),
        {
            "kind": "results",
            "as_of": f"{timezone.localdate():%d/%m/%Y}",
            "council": world.council.pk,
        },
    )
    snapshot = ReportSnapshot.objects.get()
    status_url = reverse("reports:snapshot_status", args=[snapshot.pk])
    assert client.get(status_url).json()["status"] == "pending"

    worker = run_worker_once()
    assert worker.returncode == 0, worker.stderr

    status = client.get(status_url).json()
    assert (status["status"], status["progress"]) == ("done", 100)
    snapshot.refresh_from_db()
    assert snapshot.figures["totals"]["total"] == 1
    page = client.get(response.url).content.decode()
    assert 'data-testid="export-docx"' in page and 'data-testid="progress"' not in page
