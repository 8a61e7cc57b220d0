"""The dashboard benchmark runs end to end on a small size: it builds cases in every state in
a database of its own, checks that the dashboard and the hand-written SQL agree, and prints
both times; the configured database is not touched."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from conclusions.models import Council
from workflow.models import Case

pytestmark = [pytest.mark.long, pytest.mark.postgres]


def test_the_benchmark_prints_the_dashboard_beside_the_sql_floor_from_its_own_database(db):
    out = io.StringIO()
    call_command("bench_dashboard", cases=3000, repeat=1, stdout=out)
    text = out.getvalue()
    for line in ("Building 3,000 cases", "SQL floor", "dashboard figures", "dashboard page"):
        assert line in text
    assert "the figures agree" in text
    assert not Council.objects.exists() and not User.objects.exists()
    assert not Case.objects.exists()


@pytest.mark.long
def test_the_country_benchmark_builds_its_councils_with_every_index_and_times_their_pages(db):
    out = io.StringIO()
    call_command("bench_dashboard", cases=3000, councils=30, repeat=1, stdout=out)
    text = out.getvalue()
    assert "the figures agree" in text
    assert "One council's pages (30 of its cases among 3,000 in 30 councils; the last" in text
    for page in ("dashboard  country-thuongtruc ", "dashboard  country-thuongtruc-xa"):
        assert page in text
    # The indexes dropped for the build are built again once the rows are in.
    for index in ("case_council_list", "case_committee_notices", "case_agency_notices"):
        assert f"… index {index}" in text
    assert not Case.objects.exists()
