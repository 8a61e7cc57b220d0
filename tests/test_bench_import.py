"""The import benchmark runs end to end on a small size, in a database of its own: it builds
a sheet of notices, previews it through the pages, confirms it, and prints both times."""

import io

import pytest
from django.core.management import call_command

from conclusions.models import ConclusionNotice, Council

pytestmark = [pytest.mark.long, pytest.mark.postgres]


def test_the_benchmark_prints_preview_and_write_times_from_its_own_database(db):
    out = io.StringIO()
    call_command("bench_import", rows=60, per_notice=20, stdout=out)
    text = out.getvalue()
    assert "60 rows: xem trước / preview" in text and "CPU" in text
    assert "(3 notices, 60 recommendations, one transaction)" in text
    assert not Council.objects.exists() and not ConclusionNotice.objects.exists()
