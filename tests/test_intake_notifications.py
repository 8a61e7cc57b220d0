"""Each step of the notice intake tells the next person that a notice waits for them: in the
inbox, and by email through a real SMTP server; never the person who took the step."""

import pytest
from django.urls import reverse

from intake.flows import IntakeFlow
from notifications.dispatch import dispatch_due
from notifications.models import Delivery, NotificationSettings
from tests.helpers import login
from tests.notify_servers import SITE, add_people, told_so_far
from tests.test_intake_flow import REGISTER, _check_data, _registration, _take, _url
from workflow.models import NoticeEvent


@pytest.fixture
def w(world):
    return told_so_far(add_people(world))


def _told(kind: str) -> set[tuple[str, str]]:
    deliveries = Delivery.objects.filter(notice_event__kind=kind).select_related("recipient")
    return {(d.recipient.username, d.channel) for d in deliveries}


def _register(client, w):
    assert login(client, w.vanphong).post(REGISTER, _registration(w)).status_code == 302
    return NoticeEvent.objects.get(kind="notice.registered").notice.intake_process


def _check(client, w, process):
    _take(client, w.ban_vhxh, process, IntakeFlow.check)
    response = client.post(_url(process, IntakeFlow.check, "execute"), _check_data(process.notice))
    assert response.status_code == 302


def _decide(client, w, process, **decision):
    _take(client, w.thuongtruc, process, IntakeFlow.approve)
    response = client.post(_url(process, IntakeFlow.approve, "execute"), decision)
    assert response.status_code == 302


def test_a_registered_notice_tells_the_tracking_committee_and_not_the_clerk(client, w):
    _register(client, w)
    assert _told("notice.registered") == {("ban_vhxh", "inapp"), ("ban_vhxh", "email")}
    inbox = login(client, w.ban_vhxh).get(reverse("notifications:inbox")).content.decode()
    assert "Thông báo 16/TB-HĐND chờ Ban kiểm tra" in inbox


def test_following_the_notification_opens_the_committees_intake_queue(client, w):
    _register(client, w)
    delivery = Delivery.objects.get(notice_event__kind="notice.registered", channel="inapp")
    response = login(client, w.ban_vhxh).get(reverse("notifications:open", args=[delivery.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:queue")
    assert "16/TB-HĐND" in client.get(response["Location"]).content.decode()
    delivery.refresh_from_db()
    assert delivery.read_at is not None


def test_a_checked_notice_tells_the_standing_committee(client, w):
    process = _register(client, w)
    _check(client, w, process)
    assert _told("notice.checked") == {("thuongtruc", "inapp"), ("thuongtruc", "email")}


def test_a_returned_notice_tells_the_committee_with_the_reason(client, w):
    process = _register(client, w)
    _check(client, w, process)
    _decide(client, w, process, decision="return", review_note="Xem lại thời hạn mục II.1.b.")
    assert _told("notice.returned") == {("ban_vhxh", "inapp"), ("ban_vhxh", "email")}
    inbox = login(client, w.ban_vhxh).get(reverse("notifications:inbox")).content.decode()
    assert "Xem lại thời hạn mục II.1.b." in inbox


def test_an_approved_notice_tells_the_office_and_the_committee(client, w):
    process = _register(client, w)
    _check(client, w, process)
    _decide(client, w, process, decision="approve")
    assert {user for user, _channel in _told("notice.approved")} == {"vanphong", "ban_vhxh"}
    assert not Delivery.objects.filter(notice_event__actor=w.thuongtruc, recipient=w.thuongtruc)


def test_the_next_person_gets_an_email_in_their_language_with_a_link(client, w, smtp):
    NotificationSettings.objects.create(user=w.ban_vhxh, language="en")
    _register(client, w)
    dispatch_due()
    [mail] = [m for m in smtp.mailbox.received if m.rcpt_tos == ["ban_vhxh@haugiang.gov.vn"]]
    assert mail.subject == "[Đôn đốc] Notice 16/TB-HĐND awaits the committee's check"
    text = mail.body("plain")
    assert "vanphong registered notice 16/TB-HĐND of 10/06/2026" in text
    assert f"{SITE}{reverse('intake:queue')}" in text
    assert Delivery.objects.get(channel="email", recipient=w.ban_vhxh).status == "sent"


def test_a_refused_registration_tells_no_one(client, w):
    data = _registration(w, number="15/TB-HĐND")  # already used
    assert login(client, w.vanphong).post(REGISTER, data).status_code == 200
    assert not NoticeEvent.objects.exists()
    assert not Delivery.objects.filter(notice_event__isnull=False).exists()
