"""Tools cannot hurt real data. Pointed at a database holding the demo, every benchmark and
the load test do their work in a database of their own and drop it, and the demo is the same
afterwards, row for row and event for event; told they are already in their own database,
they refuse one holding anything; under the production profile every devtools command
refuses, in Vietnamese and in English."""

import datetime
import io
import os
import subprocess
import sys

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from devtools.scratch import scratch_prefix
from workflow.models import Case, CaseEvent, CaseState

ONLY_ON_POSTGRESQL = pytest.mark.postgres
SMALL_RUNS = [
    pytest.param("bench_escalation", {"cases": 300, "due": 100}, marks=ONLY_ON_POSTGRESQL),
    pytest.param("bench_dashboard", {"cases": 500, "repeat": 1}, marks=ONLY_ON_POSTGRESQL),
    pytest.param("bench_notifications", {"deliveries": 20}),
    pytest.param("bench_transition", {"repeat": 2}, marks=ONLY_ON_POSTGRESQL),
    pytest.param(
        "loadtest",
        {"clients": 2, "seconds": 2, "cases": 20, "workers": 1},
        marks=ONLY_ON_POSTGRESQL,
    ),
]
WHAT_EACH_PRINTS = {
    "bench_escalation": "sweep is",
    "bench_dashboard": "the figures agree",
    "bench_notifications": "ratio dispatcher / bare loop",
    "bench_transition": "one transition (start and report)",
    "loadtest": "lost updates 0",
    "chaos": "invariants: ok",  # its short run is tests/test_chaos.py
}
DEVTOOLS_COMMANDS = ["loaddemo", *WHAT_EACH_PRINTS]


def _snapshot() -> dict:
    return {
        "rows": {
            model._meta.label: model._default_manager.count()
            for model in apps.get_models(include_auto_created=True)
        },
        "events": list(
            CaseEvent.objects.order_by("id").values_list(
                "id", "case_id", "kind", "created_at", "level", "actor_id"
            )
        ),
        "cases": list(
            Case.objects.order_by("id").values_list(
                "id", "state", "escalation_level", "next_escalation_at", "updated_at"
            )
        ),
    }


@pytest.fixture
def demo(db) -> dict:
    """The demo, four of its open cases with a rung of the ladder due now (what a tool acting
    on "every due case of its database" would move); returns how it all stands."""
    call_command("loaddemo", stdout=io.StringIO())
    due = Case.objects.exclude(state=CaseState.CLOSED).order_by("id")[:4]
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    Case.objects.filter(pk__in=list(due.values_list("pk", flat=True))).update(
        next_escalation_at=an_hour_ago
    )
    return _snapshot()


def _scratch_databases_left() -> list[str]:
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s)", [scratch_prefix()]
        )
        return [name for (name,) in cursor.fetchall()]


# Each tool runs itself again in a child process (and the load test starts gunicorn), which no
# time travel reaches: this test keeps the machine's clock (`real_clock`), so the demo's rungs
# are due by the clock the tools read.
@pytest.mark.long
@pytest.mark.real_clock
@pytest.mark.parametrize(("command", "options"), SMALL_RUNS)
def test_a_tool_pointed_at_the_demo_works_in_its_own_database_and_leaves_the_demo_as_it_was(
    demo, command, options
):
    out = io.StringIO()
    call_command(command, **options, stdout=out)
    assert WHAT_EACH_PRINTS[command] in out.getvalue()
    assert _snapshot() == demo
    assert _scratch_databases_left() == []


@pytest.mark.parametrize("command", WHAT_EACH_PRINTS)
def test_a_tool_told_it_is_in_its_own_database_refuses_one_holding_the_demo(demo, command):
    with pytest.raises(CommandError, match=r"đã có dữ liệu .* already holds data"):
        call_command(command, in_scratch="{}", stdout=io.StringIO())
    assert _snapshot() == demo


@pytest.mark.parametrize("command", DEVTOOLS_COMMANDS)
def test_every_devtools_command_refuses_the_production_profile_in_both_languages(command):
    production = os.environ | {"DJANGO_ENV": "production", "DJANGO_SECRET_KEY": "x" * 50}
    production.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dondoc")
    result = subprocess.run(
        [sys.executable, "manage.py", command],
        cwd=settings.BASE_DIR,
        env=production,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert f"Từ chối: {command} là công cụ phát triển" in result.stderr
    assert f"Refused: {command} is a development tool" in result.stderr
    assert "DJANGO_ENV=production" in result.stderr
