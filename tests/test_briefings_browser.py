"""Trực báo in a real Chromium: at phone width (390 px) the Standing Committee of phường Vị
Thanh opens its report from "Việc của tôi", reads its figures, writes its results and sends it;
at desk width (1280 px) the province's Standing Committee opens the round from the menu, sees
Vị Thanh sent on time and Vị Thủy not yet, and reads the report."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from briefings.services import ScheduleInput, rounds_open, schedule_create
from conclusions.models import Membership
from tests.browser import assert_fits, chromium_page, log_in, log_out, shot
from tests.test_communes import _commune, _seat
from tests.world import TODAY, build_world

pytestmark = [pytest.mark.browser, pytest.mark.postgres]
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}
D = datetime.date
RESULTS = "Tổ chức kỳ họp thứ 5; giám sát chuyên đề chỉnh trang đô thị."


@pytest.fixture
def browser_page(monkeypatch):
    with chromium_page(monkeypatch) as page:
        yield page


def test_a_commune_sends_its_report_by_phone_and_the_province_reads_the_round(
    transactional_db, live_server, browser_page
):
    world = build_world()
    a = _commune(world, "vi-thanh", "phường Vị Thanh", [D(2026, 10, 1), None])
    _commune(world, "vi-thuy", "xã Vị Thủy", [None])
    _seat("vp_vi-thanh", Membership.Role.OFFICE_CLERK, a.council)
    schedule_create(
        council=world.council,
        data=ScheduleInput(
            title="Trực báo hằng tháng",
            frequency="monthly",
            starts_on=D(2026, 10, 1),
            due_working_days=20,  # due 30/11/2026
        ),
        actor=world.thuongtruc,
    )
    rounds_open(today=TODAY)
    page, base = browser_page, live_server.url

    page.set_viewport_size(PHONE)
    log_in(page, base, "tt_vi-thanh")
    page.get_by_test_id("work-list").get_by_role("link", name=re.compile("Trực báo")).click()
    page.wait_for_url(re.compile(r"/briefings/reports/\d+/$"))
    expect(page.locator("[data-figure='open']")).to_have_text("2")
    expect(page.locator("[data-figure='overdue']")).to_have_text("1")
    assert_fits(page, PHONE["width"], "report form")
    page.get_by_label("Kết quả hoạt động của HĐND").fill(RESULTS)
    page.get_by_label("Đề xuất, kiến nghị").fill("Đề nghị hướng dẫn quy trình giám sát.")
    page.get_by_test_id("report-send").click()
    expect(page.get_by_test_id("report-standing")).to_contain_text("Đã nộp đúng hạn")
    expect(page.get_by_test_id("report-form")).to_have_count(0)
    expect(page.get_by_test_id("report-text")).to_contain_text(RESULTS)
    assert_fits(page, PHONE["width"], "report sent")
    shot(page, "briefing-sent-390")
    page.set_viewport_size(DESK)
    log_out(page)

    log_in(page, base, "thuongtruc")
    page.goto(f"{base}/briefings/")
    page.get_by_test_id("rounds").get_by_role("link", name="Trực báo hằng tháng").click()
    page.wait_for_url(re.compile(r"/briefings/rounds/\d+/$"))
    expect(page.locator("tr[data-council='vi-thanh']")).to_have_attribute(
        "data-standing", "on_time"
    )
    expect(page.locator("tr[data-council='vi-thuy']")).to_have_attribute("data-standing", "pending")
    expect(page.get_by_test_id("round-counts")).to_contain_text("Đúng hạn: 1")
    assert_fits(page, DESK["width"], "round")
    shot(page, "briefing-round-1280")
    page.get_by_role("link", name="phường Vị Thanh").click()
    expect(page.get_by_test_id("report-text")).to_contain_text(RESULTS)
    expect(page.get_by_test_id("report-form")).to_have_count(0)


def test_the_province_changes_and_stops_a_schedule_by_phone(
    transactional_db, live_server, browser_page
):
    world = build_world()
    _commune(world, "vi-thanh", "phường Vị Thanh", [None])
    schedule = schedule_create(
        council=world.council,
        data=ScheduleInput(title="Trực báo hằng tháng", frequency="monthly", starts_on=TODAY),
        actor=world.thuongtruc,
    )
    page, base = browser_page, live_server.url
    page.set_viewport_size(PHONE)
    log_in(page, base, "thuongtruc")
    page.goto(f"{base}/briefings/")
    page.get_by_test_id("schedules").get_by_role("link", name="Trực báo hằng tháng").click()
    page.wait_for_url(re.compile(rf"/briefings/schedules/{schedule.pk}/$"))
    change = page.get_by_test_id("schedule-change")
    change.get_by_label("Tên lịch trực báo").fill("Trực báo hằng tháng (sửa)")
    change.get_by_label("Hạn nộp: số ngày làm việc sau cuối kỳ").fill("7")
    assert_fits(page, PHONE["width"], "schedule form")
    page.get_by_test_id("schedule-save").click()
    expect(page.locator("h1.vf-card__title")).to_have_text("Trực báo hằng tháng (sửa)")
    expect(page.locator(".vf-card__header")).to_contain_text("nộp trong 7 ngày làm việc")
    page.get_by_test_id("schedule-stop").click()
    expect(page.get_by_test_id("schedule-state")).to_have_attribute("data-active", "0")
    expect(page.get_by_test_id("schedule-restart")).to_be_visible()
    assert_fits(page, PHONE["width"], "schedule stopped")
    shot(page, "briefing-schedule-390")
    schedule.refresh_from_db()
    assert (schedule.title, schedule.due_working_days, schedule.is_active) == (
        "Trực báo hằng tháng (sửa)",
        7,
        False,
    )
