"""Each person chooses the channels for each kind of event, the language, and a digest
instead of immediate messages; the choices decide which deliveries are written."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from notifications.fanout import fan_out_pending
from notifications.models import Delivery, NotificationSettings, WebhookEndpoint
from notifications.services import notification_settings_update
from tests.helpers import committed, start_and_report
from tests.notify_servers import add_people
from workflow.errors import CaseInvalid
from workflow.escalation import escalate_due
from workflow.models import Case
from workflow.services import case_comment

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def w(world):
    return add_people(world)


def _channels(user, kind: str) -> set[str]:
    return set(
        Delivery.objects.filter(recipient=user, event__kind=kind).values_list("channel", flat=True)
    )


def _remind(w) -> None:
    escalate_due(datetime.datetime(2026, 9, 9, 8, tzinfo=TZ))
    fan_out_pending()


def test_by_default_a_report_is_told_in_the_inbox_and_by_email(w):
    start_and_report(w)
    assert _channels(w.ban_vhxh, "case.reported") == {"inapp", "email"}


def test_starting_and_comments_are_told_in_the_inbox_only_by_default(w):
    start_and_report(w)
    with committed():
        case_comment(case=Case.objects.get(pk=w.case.pk), actor=w.so_ldtbxh, text="Bổ sung.")
    assert _channels(w.ban_vhxh, "case.started") == {"inapp"}
    assert _channels(w.ban_vhxh, "case.commented") == {"inapp"}


def test_a_person_may_turn_email_off_for_one_kind_of_event(w):
    notification_settings_update(
        user=w.ban_vhxh, language="vi", digest="off", channels={"case.reported": ["inapp"]}
    )
    start_and_report(w)
    assert _channels(w.ban_vhxh, "case.reported") == {"inapp"}


def test_someone_without_an_address_or_endpoint_is_not_sent_there(w):
    w.ban_vhxh.email = ""
    w.ban_vhxh.save()
    notification_settings_update(
        user=w.ban_vhxh,
        language="vi",
        digest="off",
        channels={"case.reported": ["inapp", "email", "webhook"]},
    )
    start_and_report(w)
    assert _channels(w.ban_vhxh, "case.reported") == {"inapp"}


def test_an_active_webhook_is_used_by_default(w):
    WebhookEndpoint.objects.create(user=w.ban_vhxh, url="https://hook.example/x", secret="s")
    start_and_report(w)
    assert _channels(w.ban_vhxh, "case.reported") == {"inapp", "email", "webhook"}


def test_a_digest_reader_gets_reminders_in_the_inbox_only(w):
    notification_settings_update(
        user=w.so_ldtbxh,
        language="vi",
        digest="daily",
        channels={},
        digest_kinds=["case.escalated"],
    )
    _remind(w)
    assert _channels(w.so_ldtbxh, "case.escalated") == {"inapp"}
    assert _channels(w.giamdoc, "case.escalated") == {"inapp", "email"}


def test_digest_kinds_without_a_digest_still_send_immediately(w):
    notification_settings_update(
        user=w.so_ldtbxh, language="vi", digest="off", channels={}, digest_kinds=["case.escalated"]
    )
    _remind(w)
    assert _channels(w.so_ldtbxh, "case.escalated") == {"inapp", "email"}


def test_unknown_choices_are_refused_and_nothing_is_saved(w):
    with pytest.raises(CaseInvalid):
        notification_settings_update(
            user=w.ban_vhxh, language="vi", digest="off", channels={"case.reported": ["fax"]}
        )
    with pytest.raises(CaseInvalid):
        notification_settings_update(user=w.ban_vhxh, language="fr", digest="off", channels={})
    assert not NotificationSettings.objects.exists()


def test_the_settings_page_saves_the_choices(client, w):
    client.force_login(w.ban_vhxh)
    page = client.get(reverse("notifications:settings"))
    assert page.status_code == 200
    assert "Có báo cáo kết quả chờ xem xét" in page.content.decode()
    data = {
        "language": "en",
        "digest": "weekly",
        "case.reported:inapp": "on",
        "case.escalated:inapp": "on",
        "case.escalated:email": "on",
        "case.escalated:digest": "on",
    }
    response = client.post(reverse("notifications:settings"), data)
    assert response.status_code == 302
    stored = NotificationSettings.objects.get(user=w.ban_vhxh)
    assert (stored.language, stored.digest, stored.digest_kinds) == (
        "en",
        "weekly",
        ["case.escalated"],
    )
    assert stored.channels["case.reported"] == ["inapp"]
    assert stored.channels["case.escalated"] == ["email", "inapp"]
    assert stored.channels["case.opened"] == []


def test_the_settings_page_refuses_a_bad_language(client, w):
    client.force_login(w.ban_vhxh)
    response = client.post(reverse("notifications:settings"), {"language": "fr", "digest": "off"})
    assert response.status_code == 400
    assert not NotificationSettings.objects.exists()
