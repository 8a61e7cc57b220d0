"""Webhooks: a JSON POST signed with HMAC-SHA256 of the body. The Zalo Official Account
adapter is the same POST with the payload of Zalo's "send a message to a follower" call,
sent to the relay that holds the OA's access token.

Every POST carries `Idempotency-Key: dondoc-delivery-<id>`, the same on every attempt of one
delivery: a receiver that keeps the keys it has seen drops a repeat. Repeats happen: a POST
whose answer never came (a timeout, a dispatcher that died) is sent again. The send log is
written before each POST (notifications/sendlog.py), so a dispatcher whose claim was taken
by another never posts."""

import hashlib
import hmac
import json
import urllib.error
import urllib.request

from django.conf import settings

from notifications.channels.base import ChannelError, Transport
from notifications.messages import Message, render_text
from notifications.models import Channel, Delivery, WebhookEndpoint
from notifications.sendlog import delivery_hand_over, idempotency_key

SIGNATURE_HEADER = "X-Dondoc-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"
# Answers that will not change if the same request is sent again.
PERMANENT_STATUSES = frozenset({400, 401, 403, 404, 405, 410, 413, 422})


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookTransport(Transport):
    channel = Channel.WEBHOOK

    def send(self, delivery: Delivery) -> None:
        endpoint = self._endpoint(delivery)
        message = self.message(delivery)
        body = json.dumps(self.payload(delivery, message, endpoint), ensure_ascii=False).encode()
        request = urllib.request.Request(
            endpoint.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "dondoc-webhook/1",
                SIGNATURE_HEADER: signature(endpoint.secret, body),
                "X-Dondoc-Delivery": str(delivery.pk),
                IDEMPOTENCY_HEADER: idempotency_key(delivery),
            },
        )
        delivery_hand_over(delivery)
        _post(request)

    def payload(self, delivery: Delivery, message: Message, endpoint: WebhookEndpoint) -> dict:
        context = message.context
        payload = {
            "delivery": delivery.pk,
            "kind": message.kind,
            "language": message.language,
            "subject": message.subject,
            "text": message.body,
            "url": message.link,
        }
        if delivery.event_id:
            payload["case"] = {
                "id": context["case_id"],
                "notice": context["notice"],
                "item": context["anchor"],
                "agency": context["agency"],
                "deadline": context["deadline"].isoformat() if context["deadline"] else None,
            }
            payload["event"] = {
                "id": delivery.event_id,
                "at": delivery.event.created_at.isoformat(),
            }
        return payload

    def _endpoint(self, delivery: Delivery) -> WebhookEndpoint:
        endpoint = next(
            (e for e in delivery.recipient.webhook_endpoints.all() if e.channel == self.channel),
            None,
        )
        if endpoint is None or not endpoint.is_active:
            raise ChannelError("Người nhận không còn địa chỉ webhook đang dùng.", permanent=True)
        return endpoint


class ZaloTransport(WebhookTransport):
    channel = Channel.ZALO

    def payload(self, delivery: Delivery, message: Message, endpoint: WebhookEndpoint) -> dict:
        context = message.context | {"subject": message.subject, "body": message.body}
        text = render_text(f"notifications/{message.language}/zalo.txt", context)
        return {
            "recipient": {"user_id": endpoint.zalo_user_id},
            "message": {"text": text[:2000]},  # Zalo's limit for a text message
        }


def _post(request: urllib.request.Request) -> None:
    try:
        with urllib.request.urlopen(request, timeout=settings.DONDOC_WEBHOOK_TIMEOUT) as answer:
            answer.read()
    except urllib.error.HTTPError as error:
        permanent = error.code in PERMANENT_STATUSES
        raise ChannelError(f"HTTP {error.code} {error.reason}", permanent=permanent) from None
    except (urllib.error.URLError, OSError) as error:
        raise ChannelError(f"{type(error).__name__}: {error}") from None
