"""Trực báo reminders: the commune's Standing Committee and office are told a few working days
before the due date and once it has passed, exactly once per report and kind (a rerun, or a
second worker that lost the race, sends nothing), on the channels each person chose, through a
real SMTP server; a commune that has sent its report is not reminded."""

import datetime
import threading

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse

from briefings.models import BriefingReminder, BriefingReport, ReminderKind
from briefings.reminders import KIND, _remind_batch, reminders_send
from briefings.services import ReportInput, report_save
from notifications.dispatch import dispatch_due
from notifications.models import Alert, Delivery, NotificationSettings
from tests.notify_servers import SITE
from tests.test_briefings import communes, round_  # noqa: F401  (fixtures)
from tests.world import NOW

DUE_SOON = NOW + datetime.timedelta(days=1)  # 25/11: three working days before 30/11
OVERDUE = NOW + datetime.timedelta(days=7)  # 01/12


@pytest.fixture
def people(communes):
    for user in User.objects.all():
        user.email = f"{user.username}@cantho.gov.vn"
        user.save(update_fields=["email"])
    return communes


def _at(moment):
    return time_machine.travel(moment, tick=False)


def test_nothing_is_sent_before_the_reminding_day(world, people, round_, smtp):
    assert reminders_send(now=NOW) == 0
    assert not Alert.objects.exists()


def test_the_commune_is_reminded_by_email_before_the_due_date_once(world, people, round_, smtp):
    a, _b = people
    with _at(DUE_SOON):
        assert reminders_send() == 2  # both communes, one reminder each
        assert reminders_send() == 0  # a rerun sends nothing
        dispatch_due()
    told = sorted(address for mail in smtp.mailbox.received for address in mail.rcpt_tos)
    assert told == [
        "tt_vi-thanh@cantho.gov.vn",
        "tt_vi-thuy@cantho.gov.vn",
        "vp_vi-thanh@cantho.gov.vn",
    ]
    [mail] = smtp.mailbox.to("vp_vi-thanh@cantho.gov.vn")
    assert mail.subject == (
        "[Đôn đốc] Sắp đến hạn nộp báo cáo trực báo: "
        "Trực báo hoạt động HĐND các xã, phường hằng tháng"
    )
    report = BriefingReport.objects.get(round=round_, council=a.council)
    text = mail.body("plain")
    assert "phường Vị Thanh kỳ 01/10/2026 – 31/10/2026 cần gửi trước ngày 30/11/2026" in text
    assert f"Mở việc cần xử lý: {SITE}/briefings/reports/{report.pk}/" in text
    # The commune's committee members and agency officers are not the ones who report.
    assert not smtp.mailbox.to("ban_vi-thanh@cantho.gov.vn")
    assert not smtp.mailbox.to("ubnd_vi-thanh@cantho.gov.vn")


def test_once_overdue_only_the_commune_that_has_not_reported_is_told_once(
    world, people, round_, smtp
):
    a, _b = people
    with _at(DUE_SOON):
        reminders_send()
        report_save(
            report_id=BriefingReport.objects.get(council=a.council).pk,
            actor=a.chair,
            data=ReportInput(results="Đã họp."),
            send=True,
        )
    with _at(OVERDUE):
        assert reminders_send() == 1
        assert reminders_send() == 0
        dispatch_due()
    kinds = set(BriefingReminder.objects.values_list("report__council__code", "kind"))
    assert kinds == {
        ("vi-thanh", ReminderKind.DUE_SOON),
        ("vi-thuy", ReminderKind.DUE_SOON),
        ("vi-thuy", ReminderKind.OVERDUE),
    }
    overdue = [m for m in smtp.mailbox.received if "Quá hạn nộp" in m.subject]
    assert [m.rcpt_tos for m in overdue] == [["tt_vi-thuy@cantho.gov.vn"]]
    assert "đã quá hạn nộp (30/11/2026) mà chưa được gửi" in overdue[0].body("plain")


def test_a_reminder_committed_by_another_worker_after_the_list_was_read_is_not_sent_again(
    world, people, round_, monkeypatch
):
    """The batch checks again, under its lock, which reports another worker reminded after it
    read the list: that one is skipped, the other reminded."""
    vi_thanh = BriefingReport.objects.get(council=people[0].council)
    original = BriefingReminder.objects.filter

    def other_worker_commits_then_check(*args, **kwargs):
        # Between the read of the list and the check under the lock.
        BriefingReminder.objects.create(report=vi_thanh, kind=ReminderKind.DUE_SOON)
        return original(*args, **kwargs)

    due = Q(round__remind_on__lte=DUE_SOON.date(), round__due_on__gte=DUE_SOON.date())
    monkeypatch.setattr(BriefingReminder.objects, "filter", other_worker_commits_then_check)
    taken, reminded = _remind_batch(due, ReminderKind.DUE_SOON, DUE_SOON.date(), DUE_SOON)
    monkeypatch.undo()
    assert (taken, reminded) == (2, 1)
    assert BriefingReminder.objects.filter(report=vi_thanh).count() == 1
    assert [a.context["council"] for a in Alert.objects.all()] == ["xã Vị Thủy"]


def test_reminders_follow_each_persons_channels(world, people, round_, smtp):
    a, _b = people
    NotificationSettings.objects.create(user=a.clerk, channels={KIND: ["inapp"]})
    NotificationSettings.objects.create(user=a.chair, language="en")
    with _at(DUE_SOON):
        reminders_send()
        dispatch_due()
    assert not smtp.mailbox.to("vp_vi-thanh@cantho.gov.vn")
    assert Delivery.objects.filter(recipient=a.clerk, channel="inapp").count() == 1
    [mail] = smtp.mailbox.to("tt_vi-thanh@cantho.gov.vn")
    assert mail.subject.startswith("[Đôn đốc] Briefing report due soon:")


def test_the_in_app_reminder_opens_the_report(world, people, round_, client):
    a, _b = people
    with _at(DUE_SOON):
        reminders_send()
    delivery = Delivery.objects.get(recipient=a.clerk, channel="inapp")
    client.force_login(a.clerk)
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "Sắp đến hạn nộp báo cáo trực báo" in inbox
    response = client.get(reverse("notifications:open", args=[delivery.pk]))
    report = BriefingReport.objects.get(council=a.council)
    assert response.status_code == 302
    assert response.url == reverse("briefings:report", args=[report.pk])


@pytest.mark.postgres
def test_two_workers_at_once_remind_each_report_once(transactional_db, people, round_):
    """Worker A has taken both reports and written their reminders, not yet committed; worker
    B, running meanwhile, skips the reports A holds instead of waiting or reminding them."""
    taken, may_commit, results = threading.Event(), threading.Event(), {}

    def worker_a() -> None:
        try:
            with transaction.atomic():
                results["a"] = reminders_send(now=DUE_SOON)
                taken.set()
                may_commit.wait(10)
        finally:
            connection.close()

    a = threading.Thread(target=worker_a)
    a.start()
    assert taken.wait(10)
    results["b"] = reminders_send(now=DUE_SOON)
    may_commit.set()
    a.join(10)
    assert results == {"a": 2, "b": 0}
    assert BriefingReminder.objects.count() == 2
    assert Alert.objects.count() == 2
    assert reminders_send(now=DUE_SOON) == 0


def test_the_province_sees_whom_it_reminded_on_the_rounds_page(world, people, round_, client):
    with _at(OVERDUE):
        reminders_send()
        client.force_login(world.thuongtruc)
        page = client.get(reverse("briefings:round", args=[round_.pk])).content.decode()
    assert "Quá hạn nộp (01/12/2026)" in page
