"""A small run of the notification benchmark: it sends, prints both rates, and does it all
in a database of its own."""

from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command

from notifications.models import Delivery


def test_the_benchmark_prints_both_rates_and_their_ratio_and_leaves_nothing(db):
    out = StringIO()
    call_command("bench_notifications", deliveries=30, batch_size=7, stdout=out)
    lines = out.getvalue()
    assert "deliveries: 30, dispatcher batches of 7" in lines
    assert "dispatcher (claim, render, send, record):" in lines
    assert "bare smtplib loop (same messages, 1 conn):" in lines
    assert "ratio dispatcher / bare loop:" in lines
    assert not Delivery.objects.exists() and not User.objects.exists()
