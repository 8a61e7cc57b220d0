"""Email through a real SMTP server on localhost: what arrives, an outage, a rejected
address, the last try, and the admin's resend. Nothing lost, nothing received twice."""

import datetime
import itertools

import pytest
from django.core import mail as django_mail
from django.urls import reverse
from django.utils import timezone

from notifications.channels import ChannelError
from notifications.dispatch import (
    LEASE,
    MAX_ATTEMPTS,
    RETRY_DELAYS,
    DispatchResult,
    deliveries_claim,
    deliveries_record,
    dispatch_due,
)
from notifications.models import Delivery, NotificationSettings
from tests.helpers import move, start_and_report
from tests.notify_servers import SITE, add_people, told_so_far


@pytest.fixture
def w(world):
    return told_so_far(add_people(world))


def _emails(**filters):
    return Delivery.objects.filter(channel="email", **filters)


def test_the_committee_receives_a_vietnamese_email_with_a_link_to_the_case(w, smtp):
    case = start_and_report(w)
    result = dispatch_due()
    assert result.sent == 1  # "started" is in-app only; "reported" goes by email too
    [mail] = smtp.mailbox.received
    assert mail.rcpt_tos == ["ban_vhxh@haugiang.gov.vn"]
    assert mail.message["To"] == "ban_vhxh@haugiang.gov.vn"
    assert mail.subject == "[Đôn đốc] Báo cáo kết quả chờ Ban xem xét: 15/TB-HĐND mục II.1.a"
    link = f"{SITE}/workflow/cases/{case.pk}/"
    text, html = mail.body("plain"), mail.body("html")
    assert "Kính gửi ban_vhxh" in text
    assert "Sở Lao động - Thương binh và Xã hội đã báo cáo kết quả" in text
    assert f"Xem hồ sơ: {link}" in text
    assert f'href="{link}"' in html
    assert f"Thay đổi cách nhận tin nhắn: {SITE}/notifications/settings/" in text
    assert f'href="{SITE}/notifications/settings/"' in html
    delivery = _emails().get()
    assert mail.delivery_id == delivery.pk
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 1, "")
    assert delivery.sent_at is not None


def test_a_user_who_reads_english_gets_the_english_template(w, smtp):
    NotificationSettings.objects.create(user=w.ban_vhxh, language="en")
    start_and_report(w)
    dispatch_due()
    [mail] = smtp.mailbox.received
    assert mail.subject == (
        "[Đôn đốc] Report awaiting the committee's review: 15/TB-HĐND item II.1.a"
    )
    assert "Dear ban_vhxh" in mail.body()
    assert "Open the case:" in mail.body()
    assert f"Change how you are notified: {SITE}/notifications/settings/" in mail.body()
    assert f'href="{SITE}/notifications/settings/"' in mail.body("html")


def test_one_batch_of_mail_goes_over_one_smtp_connection(w, smtp):
    start_and_report(w)
    move(w, w.ban_vhxh, "return", note="Thiếu số liệu.")
    dispatch_due()
    assert len(smtp.mailbox.received) == 3  # the committee, the officer, the director
    assert len({mail.peer for mail in smtp.mailbox.received}) == 1


def test_with_the_server_down_mail_waits_and_goes_out_once_when_it_is_back(w, smtp):
    start_and_report(w)
    smtp.stop()
    now = timezone.now()
    result = dispatch_due(now=now)
    assert (result.sent, result.failed) == (0, 1)
    delivery = _emails().get()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert delivery.next_attempt_at == now + RETRY_DELAYS[0]
    assert "Connection" in delivery.last_error
    assert dispatch_due(now=now + datetime.timedelta(seconds=30)).failed == 0  # not yet due

    smtp.start()
    assert dispatch_due(now=now + datetime.timedelta(minutes=2)).sent == 1
    assert dispatch_due(now=now + datetime.timedelta(days=2)).sent == 0
    assert [m.delivery_id for m in smtp.mailbox.received] == [delivery.pk]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, "")


def test_a_rejected_address_is_dead_at_once_and_the_rest_of_the_batch_still_goes(w, smtp):
    smtp.mailbox.refuse.add("so_ldtbxh@haugiang.gov.vn")
    start_and_report(w)
    move(w, w.ban_vhxh, "return", note="Thiếu số liệu.")
    now = timezone.now()
    result = dispatch_due(now=now)
    assert (result.sent, result.failed, result.dead) == (2, 0, 1)
    dead = _emails(recipient=w.so_ldtbxh).get()
    assert (dead.status, dead.attempts, dead.next_attempt_at) == ("dead", 1, None)
    assert "550" in dead.last_error
    assert dispatch_due(now=now + datetime.timedelta(days=3)).dead == 0  # never retried
    assert sorted(r for m in smtp.mailbox.received for r in m.rcpt_tos) == [
        "ban_vhxh@haugiang.gov.vn",
        "giamdoc_ldtbxh@haugiang.gov.vn",
    ]


def test_a_busy_mailbox_is_tried_again_later_and_the_rest_of_the_batch_still_goes(w, smtp):
    smtp.mailbox.busy.add("so_ldtbxh@haugiang.gov.vn")
    start_and_report(w)
    move(w, w.ban_vhxh, "return", note="Thiếu số liệu.")
    now = timezone.now()
    result = dispatch_due(now=now)
    assert (result.sent, result.failed, result.dead) == (2, 1, 0)
    waiting = _emails(recipient=w.so_ldtbxh).get()
    assert (waiting.status, waiting.attempts) == ("failed", 1)
    assert waiting.next_attempt_at == now + RETRY_DELAYS[0]
    assert "450" in waiting.last_error
    assert len({mail.peer for mail in smtp.mailbox.received}) == 1  # one connection still

    smtp.mailbox.busy.clear()
    assert dispatch_due(now=now + RETRY_DELAYS[0]).sent == 1
    assert [m.delivery_id for m in smtp.mailbox.to("so_ldtbxh@haugiang.gov.vn")] == [waiting.pk]


def test_after_the_last_try_the_delivery_is_dead_and_the_admin_can_see_and_resend_it(
    w, smtp, admin_client
):
    start_and_report(w)
    smtp.stop()
    now = timezone.now()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        result = dispatch_due(now=now)
        delivery = _emails().get()
        assert delivery.attempts == attempt
        if attempt < MAX_ATTEMPTS:
            assert (result.failed, delivery.status) == (1, "failed")
            assert delivery.next_attempt_at - now == RETRY_DELAYS[attempt - 1]
            now = delivery.next_attempt_at
    assert (result.dead, delivery.status, delivery.next_attempt_at) == (1, "dead", None)
    assert all(a < b for a, b in itertools.pairwise(RETRY_DELAYS))

    changelist = reverse("admin:notifications_delivery_changelist")
    page = admin_client.get(changelist, {"status__exact": "dead"})
    assert "ban_vhxh" in page.content.decode()
    assert "ConnectionRefusedError" in page.content.decode()
    admin_client.post(changelist, {"action": "resend", "_selected_action": [delivery.pk]})
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 0)

    smtp.start()
    assert dispatch_due().sent == 1
    assert [m.delivery_id for m in smtp.mailbox.received] == [delivery.pk]
    assert _emails().get().status == "sent"


def test_a_delivery_being_sent_is_not_claimed_again_until_its_lease_runs_out(w, smtp):
    start_and_report(w)
    now = timezone.now()
    [claimed] = deliveries_claim(now=now, limit=10)
    assert deliveries_claim(now=now + datetime.timedelta(minutes=1), limit=10) == []
    # The first dispatcher died; after the lease another one takes the delivery and sends it.
    later = now + LEASE + datetime.timedelta(seconds=1)
    assert dispatch_due(now=later).sent == 1
    # The first one wakes up and records a failure for its stale claim: nothing changes.
    deliveries_record(
        [claimed], {claimed.pk: ChannelError("late")}, now=later, result=DispatchResult()
    )
    delivery = _emails().get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, "")
    assert len(smtp.mailbox.received) == 1


def test_any_django_email_backend_gets_the_same_message(w, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = SITE
    case = start_and_report(w)
    assert dispatch_due().sent == 1
    [mail] = django_mail.outbox
    assert mail.to == ["ban_vhxh@haugiang.gov.vn"]
    assert mail.subject == "[Đôn đốc] Báo cáo kết quả chờ Ban xem xét: 15/TB-HĐND mục II.1.a"
    assert f"{SITE}/workflow/cases/{case.pk}/" in mail.body
    [(html, mimetype)] = mail.alternatives
    assert mimetype == "text/html" and "Kính gửi ban_vhxh" in html
