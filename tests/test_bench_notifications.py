"""A small run of the notification benchmark: it sends everything and prints both figures
(the dispatcher against a bare smtplib loop, two dispatcher processes against one), all in a
database of its own: the configured one is left as it was."""

import multiprocessing
import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection

from notifications.models import Delivery
from workflow.models import CaseEvent

pytestmark = pytest.mark.long


def test_the_benchmark_prints_both_ratios_and_leaves_nothing_behind(db):
    out = StringIO()
    call_command("bench_notifications", deliveries=40, batch_size=7, rounds=2, stdout=out)
    lines = out.getvalue()
    assert "deliveries: 40, dispatcher batches of 7" in lines
    assert re.search(r"dispatcher \(claim, render, send, record\): +[\d.]+ s = +\d+ msg/s", lines)
    assert re.search(r"bare smtplib loop \(same messages, 1 conn\): +[\d.]+ s = +\d+ msg/s", lines)
    assert re.search(r"building the messages with Django, apart: +[\d.]+ s = [\d.]+ ms", lines)
    assert re.search(r"ratio dispatcher / bare loop: \d+\.\d\d\n", lines)
    if connection.vendor == "postgresql":  # each mode sends half of the deliveries
        assert re.search(r"one dispatcher process: +20 in +[\d.]+ s = +\d+ msg/s", lines)
        assert re.search(r"two dispatcher processes: +20 in +[\d.]+ s = +\d+ msg/s", lines)
        assert re.search(r"ratio two dispatchers / one: \d+\.\d\d \(aim: 1\.70\)", lines)
    else:
        assert "two dispatchers against one: needs PostgreSQL, not measured" in lines
    assert not Delivery.objects.exists() and not User.objects.exists()
    assert not CaseEvent.objects.exists()
    assert multiprocessing.active_children() == []
