"""Webhooks to a real HTTP server on localhost: a signed JSON POST, the Zalo OA payload,
retries on a server error, a dead letter when the endpoint is gone."""

import datetime
import hashlib
import hmac
import json

import pytest
from django.utils import timezone

from notifications.channels.webhook import SIGNATURE_HEADER
from notifications.dispatch import RETRY_DELAYS, dispatch_due
from notifications.models import Delivery, WebhookEndpoint
from tests.helpers import start_and_report
from tests.notify_servers import SITE, add_people, payloads, told_so_far

SECRET = "khóa-bí-mật-của-ban"


@pytest.fixture
def w(world):
    return told_so_far(add_people(world))


def _endpoint(w, server, channel="webhook", **extra) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        user=w.ban_vhxh, channel=channel, url=server.url, secret=SECRET, **extra
    )


def test_a_webhook_is_a_json_post_signed_with_hmac_of_its_body(w, webhook_server):
    _endpoint(w, webhook_server)
    case = start_and_report(w)
    assert dispatch_due().sent == 2  # the committee's email and its webhook
    [(headers, body)] = webhook_server.received
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers[SIGNATURE_HEADER], expected)
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    payload = json.loads(body)
    delivery = Delivery.objects.get(channel="webhook")
    assert payload["delivery"] == delivery.pk == int(headers["X-Dondoc-Delivery"])
    assert payload["kind"] == "case.reported"
    assert payload["subject"] == "[Đôn đốc] Báo cáo kết quả chờ Ban xem xét: 15/TB-HĐND mục II.1.a"
    assert payload["url"] == f"{SITE}/workflow/cases/{case.pk}/"
    assert payload["case"] == {
        "id": case.pk,
        "notice": "15/TB-HĐND",
        "item": "II.1.a",
        "agency": "Sở Lao động - Thương binh và Xã hội",
        "deadline": "2026-09-30",
    }
    assert delivery.status == "sent"


def test_a_tampered_body_does_not_match_the_signature(w, webhook_server):
    _endpoint(w, webhook_server)
    start_and_report(w)
    dispatch_due()
    [(headers, body)] = webhook_server.received
    tampered = body.replace(b"II.1.a", b"II.1.b")
    forged = "sha256=" + hmac.new(SECRET.encode(), tampered, hashlib.sha256).hexdigest()
    assert not hmac.compare_digest(headers[SIGNATURE_HEADER], forged)


def test_the_zalo_adapter_posts_zalos_message_payload(w, webhook_server):
    _endpoint(w, webhook_server, channel="zalo", zalo_user_id="2512523625412515")
    case = start_and_report(w)
    dispatch_due()
    [payload] = payloads(webhook_server)
    assert payload["recipient"] == {"user_id": "2512523625412515"}
    text = payload["message"]["text"]
    assert text.startswith("[Đôn đốc] Báo cáo kết quả chờ Ban xem xét")
    assert text.endswith(f"Xem hồ sơ: {SITE}/workflow/cases/{case.pk}/")
    assert Delivery.objects.get(channel="zalo").status == "sent"


def test_a_server_error_is_retried_later_and_then_delivered_once(w, webhook_server):
    _endpoint(w, webhook_server)
    start_and_report(w)
    webhook_server.status = 503
    now = timezone.now()
    dispatch_due(now=now)
    delivery = Delivery.objects.get(channel="webhook")
    assert (delivery.status, delivery.last_error) == ("failed", "HTTP 503 Service Unavailable")
    assert delivery.next_attempt_at == now + RETRY_DELAYS[0]
    webhook_server.status = 200
    dispatch_due(now=now + datetime.timedelta(minutes=2))
    assert len(webhook_server.received) == 2
    assert Delivery.objects.get(channel="webhook").status == "sent"


def test_an_endpoint_that_is_gone_is_a_dead_letter_at_once(w, webhook_server):
    _endpoint(w, webhook_server)
    start_and_report(w)
    webhook_server.status = 410
    result = dispatch_due()
    delivery = Delivery.objects.get(channel="webhook")
    assert (result.dead, delivery.status, delivery.attempts) == (1, "dead", 1)


def test_an_unreachable_endpoint_is_retried(w, webhook_server):
    endpoint = _endpoint(w, webhook_server)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(url="http://127.0.0.1:9/hook")
    start_and_report(w)
    dispatch_due()
    delivery = Delivery.objects.get(channel="webhook")
    assert delivery.status == "failed"
    assert "URLError" in delivery.last_error
