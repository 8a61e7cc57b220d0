"""The repeats benchmark runs end to end on a small size, in a database of its own: earlier
petitions of many communes and rounds, then the timed suggestions for new ones, each of which
must find its earlier petition first."""

import io

import pytest
from django.core.management import call_command

from petitions.models import Petition

pytestmark = [pytest.mark.long, pytest.mark.postgres]


def test_the_benchmark_prints_the_median_and_finds_every_repeat(db):
    out = io.StringIO()
    call_command("bench_repeats", petitions=3000, samples=8, stdout=out)
    text = out.getvalue()
    assert "3000 kiến nghị trước / earlier petitions, 8 mẫu / samples" in text
    assert "median" in text and "target < 200 ms" in text
    assert "found first 8/8" in text
    assert not Petition.objects.exists()
