"""Daily and weekly digests: coming due in 15/7/3 working days, newly overdue, extensions
waiting; built from the report selectors, sent through the outbox, never twice."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django_q.models import Schedule

from notifications.digests import digests_create
from notifications.dispatch import dispatch_due
from notifications.models import Delivery, Digest, NotificationSettings
from tests.notify_servers import SITE, add_people
from workflow.extensions import extension_request
from workflow.models import Case
from workflow.selectors import cases_due_within, cases_newly_overdue, extensions_awaiting_decision

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEADLINE = datetime.date(2026, 9, 30)  # the world's case, a Wednesday


def at(month: int, day: int, hour: int = 8) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=TZ)


@pytest.fixture
def w(world):
    return add_people(world)


def _subscribe(user, digest: str = "daily", language: str = "vi") -> None:
    NotificationSettings.objects.create(user=user, digest=digest, language=language)


@pytest.mark.parametrize(
    ("today", "within"),
    [
        (datetime.date(2026, 9, 25), {3: True, 7: True, 15: True}),  # Fri: Mon, Tue, Wed
        (datetime.date(2026, 9, 24), {3: False, 7: True, 15: True}),
        (datetime.date(2026, 9, 8), {3: False, 7: False, 15: False}),  # 16 working days ahead
        (datetime.date(2026, 10, 1), {3: False, 7: False, 15: False}),  # already past
    ],
)
def test_cases_due_within_counts_working_days(w, today, within):
    for days, expected in within.items():
        due = cases_due_within(w.so_ldtbxh, today=today, working_days=days)
        assert due.filter(pk=w.case.pk).exists() is expected


def test_the_due_and_overdue_selectors_see_only_what_the_user_may_see(w):
    today = datetime.date(2026, 9, 25)
    assert not cases_due_within(w.so_tc, today=today, working_days=15).exists()
    assert not cases_newly_overdue(w.ban_ktns, since=DEADLINE, today=datetime.date(2026, 10, 1))
    assert cases_newly_overdue(w.ban_vhxh, since=datetime.date(2026, 10, 1), today=at(10, 1).date())
    assert not cases_newly_overdue(
        w.ban_vhxh, since=datetime.date(2026, 10, 2), today=datetime.date(2026, 10, 2)
    )


def test_a_daily_digest_is_written_once_and_arrives_with_links(w, smtp):
    _subscribe(w.so_ldtbxh)
    assert digests_create(now=at(9, 25, 6)) == 0  # before DONDOC_DIGEST_HOUR
    assert digests_create(now=at(9, 25, 8)) == 1
    assert digests_create(now=at(9, 25, 17)) == 0
    digest = Digest.objects.get()
    assert (digest.period, digest.frequency) == ("2026-09-25", "daily")
    assert digest.content["due"][0]["within"] == 3
    assert dispatch_due().sent == 1
    assert dispatch_due().sent == 0
    [mail] = smtp.mailbox.received
    assert mail.rcpt_tos == ["so_ldtbxh@haugiang.gov.vn"]
    assert mail.subject == (
        "[Đôn đốc] Tổng hợp ngày 25/09/2026: 1 sắp đến hạn, 0 mới quá hạn, 0 gia hạn chờ quyết định"
    )
    text = mail.body()
    assert "15/TB-HĐND mục II.1.a · Sở Lao động - Thương binh và Xã hội · hạn 30/09/2026" in text
    assert "(trong 3 ngày làm việc)" in text
    assert f"{SITE}/workflow/cases/{w.case.pk}/" in text
    assert f'href="{SITE}/workflow/cases/{w.case.pk}/"' in mail.body("html")
    assert f"Thay đổi cách nhận tin nhắn: {SITE}/notifications/settings/" in text
    assert f'href="{SITE}/notifications/settings/"' in mail.body("html")


def test_a_weekly_digest_lists_newly_overdue_cases_and_extensions_waiting(w, smtp):
    Case.objects.filter(pk=w.case.pk).update(deadline=datetime.date(2026, 11, 30))
    extension_request(
        case=Case.objects.get(pk=w.case.pk),
        actor=w.so_ldtbxh,
        requested_until=datetime.date(2026, 12, 31),
        reason="Chờ số liệu.",
    )
    Case.objects.filter(pk=w.case.pk).update(deadline=DEADLINE)
    _subscribe(w.thuongtruc, "weekly", "en")
    assert extensions_awaiting_decision(w.thuongtruc).count() == 1
    assert digests_create(now=at(10, 5)) == 1  # Monday of week 41
    assert digests_create(now=at(10, 8)) == 0  # the same week
    digest = Digest.objects.get()
    assert digest.period == "2026-W41"
    assert digest.content["overdue_count"] == 1
    assert digest.content["extensions"][0]["until"] == "2026-12-31"
    dispatch_due()
    [mail] = [m for m in smtp.mailbox.received if m.delivery_id == digest.deliveries.get().pk]
    assert mail.subject == (
        "[Đôn đốc] Weekly digest 2026-W41: 0 coming due, 1 newly overdue,"
        " 1 extension awaiting a decision"
    )
    assert "requested until 31/12/2026" in mail.body()
    assert f"Change how you are notified: {SITE}/notifications/settings/" in mail.body()
    assert f'href="{SITE}/notifications/settings/"' in mail.body("html")


def test_nothing_to_tell_writes_no_digest(w, smtp):
    _subscribe(w.so_tc)
    assert digests_create(now=at(9, 25)) == 0
    assert not Digest.objects.exists()
    assert not Delivery.objects.filter(digest__isnull=False).exists()


def test_the_schedules_include_delivery_and_digests(db):
    call_command("setup_schedules", stdout=StringIO())
    assert set(Schedule.objects.values_list("name", "func")) >= {
        ("deliver-notifications", "notifications.tasks.deliver_notifications"),
        ("send-digests", "notifications.tasks.send_digests"),
    }
