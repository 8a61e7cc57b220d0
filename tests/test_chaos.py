"""The short chaos run (the long one's figures are in the README): sweepers and dispatchers in
processes of their own, a few dozen of them killed with SIGKILL, the run's own PostgreSQL
restarted and the SMTP sink taken away meanwhile. What must hold, whatever the machine's load:
every case on the rung it should have reached with one event per rung, every delivery sent and
received, no email twice. The run leaves no process behind and never touches the configured
database (it brings its own PostgreSQL cluster)."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from workflow.models import Case

SHORT = {
    "cases": 3000,
    "seated": 200,
    "seconds": 20,
    "days": 30,
    "kills": 40,
    "outage": 4,
    "drain": 300,  # a loaded machine may need long to catch up; the figures must not depend on it
}


def _figure(pattern: str, text: str) -> tuple[str, ...]:
    found = re.search(pattern, text)
    assert found, f"{pattern!r} not in:\n{text}"
    return found.groups()


@pytest.mark.postgres
@pytest.mark.real_clock
@pytest.mark.django_db
def test_killed_workers_a_restarted_database_and_a_missing_mail_server_lose_and_double_nothing():
    out = io.StringIO()
    call_command("chaos", **SHORT, stdout=out)
    text = out.getvalue()
    assert (
        _figure(r"kills \(SIGKILL\): (\d+) \((\d+) sweepers, (\d+) dispatchers\)", text)[0] == "40"
    )
    assert re.search(r"PostgreSQL restarted at: \d+ s", text)
    assert re.search(r"SMTP sink away: \d+–\d+ s", text)
    assert _figure(r"cases: ([\d,]+);", text) == ("3,000",)
    for broken in (
        "cases not at the rung they should have reached",
        "cases still due at the end",
        "cases with two events on one rung",
        "cases whose level has no event",
    ):
        assert f"{broken}: 0\n" in text
    emails = _figure(r"email deliveries: ([\d,]+); lost: (\d+); received twice: (\d+)", text)
    assert int(emails[0].replace(",", "")) > 0 and emails[1:] == ("0", "0")
    hooks = _figure(r"webhook deliveries: ([\d,]+); lost: (\d+); received twice: (\d+)", text)
    assert int(hooks[0].replace(",", "")) > 0 and hooks[1] == "0"  # repeats carry the same key
    assert "deliveries not sent: 0\n" in text
    assert text.rstrip().endswith("invariants: ok")
    assert not Case.objects.exists()


def test_the_chaos_run_refuses_bad_options_in_both_languages():
    with pytest.raises(CommandError, match=r"--seated phải .* --seated must be"):
        call_command("chaos", cases=10, seated=20, stdout=io.StringIO())
