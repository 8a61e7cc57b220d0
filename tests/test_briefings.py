"""Trực báo: on the province's schedule each commune council reports up. The daily job opens
the rounds and the reports; a commune's report opens with its own dashboard's figures, is sent
once and read-only after; only the commune writes it, and only it and its province read it; the
province sees who reported on time, late, not yet, or is overdue; reminders go out once each."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from briefings.figures import commune_figures
from briefings.models import BriefingReport, BriefingRound, BriefingSchedule, Standing
from briefings.selectors import round_rows
from briefings.services import ScheduleInput, rounds_open, schedule_create
from conclusions.models import Membership
from reports.queries import dashboard_figures
from tests.test_communes import _commune, _seat
from tests.world import NOW, TODAY
from workflow.selectors import cases_visible_to
from workflow.work import work_of

D = datetime.date
# 20 working days after 31/10/2026, skipping 24/11 (Ngày Văn hóa Việt Nam) and the weekends.
DUE = D(2026, 11, 30)


@pytest.fixture
def communes(world):
    a = _commune(world, "vi-thanh", "phường Vị Thanh", [D(2026, 10, 1), D(2026, 12, 31), None])
    b = _commune(world, "vi-thuy", "xã Vị Thủy", [D(2026, 9, 1)])
    a.clerk = _seat("vp_vi-thanh", Membership.Role.OFFICE_CLERK, a.council)
    return a, b


@pytest.fixture
def round_(world, communes):
    schedule = schedule_create(
        council=world.council,
        data=ScheduleInput(
            title="Trực báo hoạt động HĐND các xã, phường hằng tháng",
            frequency="monthly",
            starts_on=D(2026, 10, 1),
            due_working_days=20,
        ),
        actor=world.thuongtruc,
    )
    assert rounds_open(today=TODAY) == 2
    return BriefingRound.objects.get(schedule=schedule)


def _report(round_, commune) -> BriefingReport:
    return BriefingReport.objects.get(round=round_, council=commune.council)


def _send(client, user, report, **data):
    client.force_login(user)
    body = {"results": "Tổ chức kỳ họp thứ 5; giám sát chuyên đề.", "send": "1"} | data
    return client.post(reverse("briefings:report", args=[report.pk]), body)


def test_the_daily_job_opens_each_ended_period_once_with_one_report_per_commune(world, round_):
    assert (round_.period_start, round_.period_end, round_.due_on) == (
        D(2026, 10, 1),
        D(2026, 10, 31),
        DUE,
    )
    assert round_.remind_on == D(2026, 11, 25)  # three working days before
    assert set(round_.reports.values_list("council__code", flat=True)) == {"vi-thanh", "vi-thuy"}
    assert rounds_open(today=TODAY) == 0  # a rerun writes nothing
    # November has not ended: its round opens on its last day.
    assert rounds_open(today=D(2026, 11, 30)) == 2
    assert BriefingRound.objects.count() == 2


def test_the_report_waits_in_the_communes_inbox_with_its_due_date(world, communes, round_):
    a, b = communes
    for user in (a.chair, a.clerk):
        [item] = [i for i in work_of(user, today=TODAY) if i.source == "briefing.report"]
        assert item.deadline == DUE
        assert item.url == reverse("briefings:report", args=[_report(round_, a).pk])
    for user in (a.member, a.officer, world.thuongtruc):
        assert not [i for i in work_of(user, today=TODAY) if i.source == "briefing.report"]
    [theirs] = [i for i in work_of(b.chair, today=TODAY) if i.source == "briefing.report"]
    assert theirs.id == _report(round_, b).pk


def test_the_reports_figures_equal_the_communes_own_dashboard(world, communes, round_, client):
    a, _b = communes
    own = dashboard_figures(cases_visible_to(a.chair), TODAY).totals
    figures = commune_figures(a.council.pk, TODAY)
    assert (
        figures["open"],
        figures["in_progress_overdue"],
        figures["closed"],
        figures["on_time_rate"],
    ) == (own.open, own.in_progress_overdue, own.closed, own.on_time_text)
    assert (figures["open"], figures["in_progress_overdue"]) == (3, 1)
    report = _report(round_, a)
    client.force_login(a.chair)
    page = client.get(reverse("briefings:report", args=[report.pk])).content.decode()
    assert '<td data-figure="open">3</td>' in page
    assert '<td data-figure="overdue">1</td>' in page
    assert _send(client, a.chair, report).status_code == 302
    report.refresh_from_db()
    assert report.figures == figures and report.figures_on == TODAY


def test_a_sent_report_is_read_only_and_is_not_sent_twice(world, communes, round_, client):
    a, _b = communes
    report = _report(round_, a)
    assert _send(client, a.clerk, report).status_code == 302
    report.refresh_from_db()
    assert (report.submitted_by, report.results) == (
        a.clerk,
        "Tổ chức kỳ họp thứ 5; giám sát chuyên đề.",
    )
    again = _send(client, a.chair, report, results="Sửa lại")
    assert again.status_code == 409
    assert "Báo cáo đã được gửi" in again.content.decode()
    report.refresh_from_db()
    assert report.submitted_by == a.clerk and report.results.startswith("Tổ chức")
    page = client.get(reverse("briefings:report", args=[report.pk])).content.decode()
    assert 'data-testid="report-form"' not in page
    assert not [i for i in work_of(a.chair, today=TODAY) if i.source == "briefing.report"]


def test_a_draft_saved_from_an_older_page_is_a_conflict_not_a_lost_update(
    world, communes, round_, client
):
    a, _b = communes
    report = _report(round_, a)
    client.force_login(a.chair)
    page = client.get(reverse("briefings:report", args=[report.pk])).content.decode()
    assert 'name="version" value="0"' in page
    saved = client.post(
        reverse("briefings:report", args=[report.pk]), {"results": "Đã họp.", "version": "0"}
    )
    assert saved.status_code == 302
    late = _send(client, a.chair, report, results="Đã giám sát.", version="0")
    assert late.status_code == 409 and "vừa được người khác sửa" in late.content.decode()
    report.refresh_from_db()
    assert (report.results, report.submitted_at, report.version) == ("Đã họp.", None, 1)


def test_each_save_says_what_happened_and_what_comes_next(world, communes, round_, client):
    a, _b = communes
    report = _report(round_, a)
    url = reverse("briefings:report", args=[report.pk])
    client.force_login(a.chair)
    client.post(url, {"results": "Đã họp.", "version": "0"})
    page = client.get(url).content.decode()
    assert f"vui lòng gửi báo cáo trước ngày {round_.due_on:%d/%m/%Y}" in page
    _send(client, a.chair, report)
    page = client.get(url).content.decode()
    province = world.council.name
    assert f"Đã gửi báo cáo lên {province}; Thường trực {province} sẽ xem" in page


def test_the_menu_offers_it_to_standing_committees_and_offices_only(
    world, communes, round_, client
):
    a, _b = communes
    link = f'href="{reverse("briefings:list")}"'
    for user, shown in [
        (world.thuongtruc, True),
        (world.vanphong, True),
        (a.chair, True),
        (a.clerk, True),
        (a.member, False),
        (world.ban_vhxh, False),
        (world.so_ldtbxh, False),
    ]:
        client.force_login(user)
        assert (link in client.get(reverse("workflow:inbox")).content.decode()) == shown, user


@pytest.mark.parametrize(
    "body, message",
    [
        ({"results": "  "}, "Vui lòng nêu kết quả hoạt động trước khi gửi báo cáo."),
        ({"results": "x" * 10_001}, "tối đa"),
        ({"difficulties": "có ký tự \x00 lạ"}, "Có ký tự không dùng được"),
    ],
)
def test_bad_input_is_a_400_in_vietnamese_and_nothing_is_written(
    world, communes, round_, client, body, message
):
    a, _b = communes
    report = _report(round_, a)
    response = _send(client, a.chair, report, **body)
    assert response.status_code == 400
    assert message in response.content.decode()
    report.refresh_from_db()
    assert (report.submitted_at, report.results, report.difficulties) == (None, "", "")


def test_a_bad_schedule_is_a_400_and_writes_nothing(world, communes, client):
    client.force_login(world.thuongtruc)
    response = client.post(
        reverse("briefings:list"),
        {
            "title": "Trực báo quý",
            "frequency": "once",
            "starts_on": "01/10/2026",
            "ends_on": "01/09/2026",
            "due_working_days": "5",
        },
    )
    assert response.status_code == 400
    assert "Ngày kết thúc phải sau ngày bắt đầu." in response.content.decode()
    assert not BriefingSchedule.objects.exists()
    for bad in ({"due_working_days": "0"}, {"starts_on": "31/02/2026"}, {"frequency": "daily"}):
        body = {"title": "T", "frequency": "monthly", "starts_on": "01/10/2026"}
        body |= {"due_working_days": "5"} | bad
        assert client.post(reverse("briefings:list"), body).status_code == 400
    assert not BriefingSchedule.objects.exists()


def test_only_the_communes_standing_committee_or_office_writes_its_report(
    world, communes, round_, client
):
    a, b = communes
    report = _report(round_, a)
    url = reverse("briefings:report", args=[report.pk])
    # Another commune's chair does not find it; who holds no Standing Committee or office seat
    # has no trực báo at all (refused before any lookup).
    for outsider, status in [
        (b.chair, 404),
        (a.member, 403),
        (a.officer, 403),
        (world.ban_vhxh, 403),
        (world.outsider, 403),
    ]:
        client.force_login(outsider)
        assert client.get(url).status_code == status
        assert _send(client, outsider, report).status_code == status
    # The province reads it but never writes it.
    client.force_login(world.thuongtruc)
    assert client.get(url).status_code == 200
    assert _send(client, world.thuongtruc, report).status_code == 403
    report.refresh_from_db()
    assert report.submitted_at is None


def test_a_commune_never_sees_another_communes_report_nor_the_provinces_round(
    world, communes, round_, client
):
    a, b = communes
    _send(client, b.chair, _report(round_, b))
    client.force_login(a.chair)
    page = client.get(reverse("briefings:list")).content.decode()
    assert f'data-report="{_report(round_, a).pk}"' in page
    assert f'data-report="{_report(round_, b).pk}"' not in page
    assert 'data-testid="rounds"' not in page and 'data-testid="schedule-form"' not in page
    assert client.get(reverse("briefings:round", args=[round_.pk])).status_code == 404
    assert client.get(reverse("briefings:report", args=[_report(round_, b).pk])).status_code == 404


def test_the_province_sees_on_time_late_not_yet_and_overdue_on_a_frozen_clock(
    world, communes, round_, client
):
    a, b = communes
    _send(client, a.chair, _report(round_, a))  # 24/11: on time
    rows = {row.report.council.code: row.standing for row in round_rows(round_, TODAY)}
    assert rows == {"vi-thanh": Standing.ON_TIME, "vi-thuy": Standing.PENDING}
    after = NOW + datetime.timedelta(days=7)  # 01/12, after the due date of 30/11
    with time_machine.travel(after, tick=False):
        today = after.date()
        rows = {row.report.council.code: row.standing for row in round_rows(round_, today)}
        assert rows == {"vi-thanh": Standing.ON_TIME, "vi-thuy": Standing.OVERDUE}
        _send(client, b.chair, _report(round_, b))
        rows = {row.report.council.code: row.standing for row in round_rows(round_, today)}
        assert rows == {"vi-thanh": Standing.ON_TIME, "vi-thuy": Standing.LATE}
        client.force_login(world.thuongtruc)
        page = client.get(reverse("briefings:round", args=[round_.pk])).content.decode()
    assert 'data-council="vi-thuy" data-standing="late"' in page
    assert "Nộp muộn" in page and "tt_vi-thuy" in page


def test_the_round_page_costs_the_same_queries_whatever_the_number_of_communes(
    world, communes, round_, client
):
    a, _b = communes
    _send(client, a.chair, _report(round_, a))
    client.force_login(world.thuongtruc)
    url = reverse("briefings:round", args=[round_.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    for i in range(4):
        extra = _commune(world, f"xa-{i}", f"xã Số {i}", [None])
        BriefingReport.objects.create(round=round_, council=extra.council)
        _send(client, extra.chair, BriefingReport.objects.get(council=extra.council))
    client.force_login(world.thuongtruc)
    assert count() == before


def test_the_back_office_shows_briefings_read_only(world, communes, round_, admin_client):
    for model in ("briefingschedule", "briefinground", "briefingreport", "briefingreminder"):
        assert admin_client.get(f"/admin/briefings/{model}/").status_code == 200
    report = _report(round_, communes[0])
    page = admin_client.get(f"/admin/briefings/briefingreport/{report.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()


def test_the_report_reads_in_english_when_english_is_chosen(world, communes, round_, client):
    a, _b = communes
    client.cookies["django_language"] = "en"
    client.force_login(a.chair)
    page = client.get(reverse("briefings:report", args=[_report(round_, a).pk])).content.decode()
    assert "Briefing report of phường Vị Thanh" in page
    assert "Not sent yet" in page and "Send" in page
    assert "Chưa nộp" not in page
