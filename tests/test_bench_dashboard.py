"""The dashboard benchmark runs end to end on a small size: it builds cases in every state,
checks that the dashboard and the hand-written SQL agree, prints both times, and leaves
nothing behind."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from conclusions.models import Council
from workflow.models import Case, Extension

pytestmark = pytest.mark.postgres


def test_the_benchmark_prints_the_dashboard_beside_the_sql_floor_and_cleans_up(transactional_db):
    out = io.StringIO()
    call_command("bench_dashboard", cases=3000, repeat=1, stdout=out)
    text = out.getvalue()
    for line in ("SQL floor", "dashboard figures", "dashboard page", "the figures agree"):
        assert line in text
    assert not Council.objects.filter(code="bench").exists()
    assert not User.objects.filter(username="bench-thuongtruc").exists()
    assert not Case.objects.exists() and not Extension.objects.exists()
