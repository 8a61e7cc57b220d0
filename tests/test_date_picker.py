"""The date picker marks the council's calendar: public holidays, the Saturday worked for a
bridge day off, and the council's own days off; weeks start on Monday, dates are dd/mm/yyyy,
the labels Vietnamese first (workflow/calendar_views.py, workflow/static/dondoc/datepicker.js)."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import chromium_page, log_in, shot
from tests.helpers import login
from tests.world import build_world
from workflow.calendar import DayMark
from workflow.deadlines import calendar_for
from workflow.models import CalendarOverride

DAYS = reverse("workflow:calendar_days")


def _local_days(world) -> None:
    CalendarOverride.objects.create(
        council=world.council,
        day=datetime.date(2026, 9, 15),
        is_working_day=False,
        reason="Nghỉ lễ hội địa phương",
    )
    CalendarOverride.objects.create(
        council=world.council,
        day=datetime.date(2026, 9, 19),
        is_working_day=True,
        reason="Làm bù cho ngày nghỉ lễ hội",
    )


@pytest.mark.django_db
def test_the_calendar_marks_holidays_swapped_saturdays_and_local_days(world):
    _local_days(world)
    marks = {
        mark.day.isoformat(): (mark.kind, mark.reason["vi"])
        for mark in calendar_for(world.council.pk).marks(
            datetime.date(2026, 8, 1), datetime.date(2026, 9, 30)
        )
    }
    assert marks["2026-08-22"][0] == DayMark.WORKED  # worked for the bridge day 31/08
    assert marks["2026-08-31"][0] == marks["2026-09-02"][0] == DayMark.HOLIDAY
    assert marks["2026-09-15"] == (DayMark.LOCAL, "Nghỉ lễ hội địa phương")
    assert marks["2026-09-19"] == (DayMark.WORKED, "Làm bù cho ngày nghỉ lễ hội")
    assert "2026-09-16" not in marks and "2026-09-20" not in marks  # a day, a plain Sunday


@pytest.mark.django_db
def test_the_days_come_from_the_users_own_council(client, world):
    _local_days(world)
    login(client, world.so_ldtbxh)
    days = client.get(DAYS, {"year": 2026}).json()["days"]
    assert days["2026-09-15"]["kind"] == "local"
    assert days["2026-09-02"]["kind"] == "holiday"

    login(client, world.other_thuongtruc)  # another council: not its day off
    assert "2026-09-15" not in client.get(DAYS, {"year": 2026}).json()["days"]


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["", "abc", "99999", "1999"])
def test_a_year_the_calendar_cannot_count_is_refused(client, world, year):
    login(client, world.so_ldtbxh)
    answer = client.get(DAYS, {"year": year})
    assert answer.status_code == 400
    assert "Năm phải là một số" in answer.json()["detail"]


@pytest.mark.browser
@pytest.mark.postgres
def test_the_picker_in_a_browser(transactional_db, live_server, monkeypatch):
    world = build_world()
    _local_days(world)
    with chromium_page(monkeypatch) as page:
        log_in(page, live_server.url, "ban_vhxh")
        page.goto(f"{live_server.url}{reverse('workflow:case_list')}")
        field = page.locator("input[name=period_from]")
        field.fill("01/09/2026")
        field.focus()
        picker = page.get_by_test_id("date-picker")
        expect(picker.locator(".dd-cal-title")).to_have_text("Tháng 9 năm 2026")
        expect(picker.locator("th").first).to_have_text("T2")
        expect(picker.locator("th").last).to_have_text("CN")
        expect(picker).to_have_attribute("data-marked", "true")
        national_day = picker.locator("[data-date='2026-09-02']")
        expect(national_day).to_have_class(re.compile("dd-cal-holiday"))
        expect(national_day).to_have_attribute("title", re.compile("Quốc khánh"))
        expect(picker.locator("[data-date='2026-09-15']")).to_have_class(re.compile("dd-cal-local"))
        expect(picker.locator("[data-date='2026-09-19']")).to_have_class(
            re.compile("dd-cal-worked")
        )
        # Tuesday 01/09 sits in the second column: the week starts on Monday.
        first_row = picker.locator("tr").nth(1).locator("td")
        expect(first_row.nth(1)).to_have_text("1")
        picker.locator(".dd-cal-prev").click()
        expect(picker.locator(".dd-cal-title")).to_have_text("Tháng 8 năm 2026")
        expect(picker.locator("[data-date='2026-08-22']")).to_have_class(
            re.compile("dd-cal-worked")
        )
        shot(page, "date-picker")
        picker.locator("[data-date='2026-08-24']").click()
        expect(field).to_have_value("24/08/2026")
        expect(page.get_by_test_id("date-picker")).to_have_count(0)
