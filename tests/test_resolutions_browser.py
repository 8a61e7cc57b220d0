"""In a real Chromium, desktop and phone (390 px): the office writes a hotline question down
and turns it into the programme's draft notice; the register reads without scrolling the
page sideways."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from resolutions.models import HotlineQuestion
from resolutions.services import programme_create
from tests.browser import assert_fits, chromium_page, log_in, shot
from tests.resolutions_support import document, register
from tests.world import NOW, build_world

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


@pytest.mark.parametrize("width", [1280, 390])
def test_the_office_records_a_question_and_makes_the_notice(
    transactional_db, live_server, monkeypatch, width
):
    world = build_world()
    register(world, "20/2025/NQ-HĐND", items=[document()])
    programme = programme_create(
        committee=world.vhxh, aired_on=NOW.date(), topic="Đào tạo nghề", actor=world.vanphong
    )
    with chromium_page(monkeypatch, width=width) as page:
        log_in(page, live_server.url, "vanphong")
        page.goto(f"{live_server.url}{reverse('resolutions:resolution_list')}")
        expect(page.get_by_test_id("resolution-table")).to_contain_text("20/2025/NQ-HĐND")
        assert_fits(page, width)
        shot(page, f"resolutions-{width}")
        page.goto(
            f"{live_server.url}{reverse('resolutions:programme_detail', args=[programme.pk])}"
        )
        form = page.get_by_test_id("question-form")
        form.locator("input[name=received_at]").fill("24/11/2026 10:05")
        page.keyboard.press("Escape")
        form.locator("textarea[name=text]").fill("Khi nào chi trả hỗ trợ học nghề?")
        form.locator("select[name=agency]").select_option(str(world.ldtbxh.pk))
        form.get_by_role("button", name="Ghi").click()
        expect(page.get_by_test_id("question-table")).to_contain_text("Chưa chuyển")
        notice = page.get_by_test_id("notice-form")
        notice.locator("input[name=number]").fill("72/TB-HĐND")
        notice.locator("input[name=issue_date]").fill("24/11/2026")
        page.keyboard.press("Escape")  # closes the date picker over the button
        notice.get_by_role("button", name="Chuyển").click()
        expect(page.get_by_test_id("question-table")).to_contain_text("Trong dự thảo thông báo")
        assert_fits(page, width)
        shot(page, f"programme-{width}")
    assert HotlineQuestion.objects.get().recommendation.notice.number == "72/TB-HĐND"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_office_gives_a_resolution_an_implementation_item_on_its_page(
    transactional_db, live_server, monkeypatch, width
):
    world = build_world()
    resolution = register(world, "22/2025/NQ-HĐND")
    with chromium_page(monkeypatch, width=width) as page:
        log_in(page, live_server.url, "vanphong")
        page.goto(
            f"{live_server.url}{reverse('resolutions:resolution_detail', args=[resolution.pk])}"
        )
        form = page.get_by_test_id("item-form")
        form.locator("select[name=kind]").select_option("report")
        form.locator("select[name=lead_agency]").select_option(str(world.tc.pk))
        form.locator("input[name=deadline]").click()
        expect(page.locator(".dd-cal")).to_be_visible()  # the project's date picker
        form.locator("input[name=deadline]").fill("31/12/2026")
        page.keyboard.press("Escape")
        form.locator("textarea[name=text]").fill("Báo cáo tình hình thực hiện năm 2026")
        assert_fits(page, width)
        form.get_by_role("button", name="Giao văn bản triển khai, báo cáo").click()
        table = page.get_by_test_id("case-table")
        expect(table).to_contain_text("Báo cáo tình hình thực hiện năm 2026")
        expect(table).to_contain_text("31/12/2026")
        expect(table).to_contain_text("Sở Tài chính")
        assert_fits(page, width)
        shot(page, f"resolution-items-{width}")
    assert resolution.items.get().kind == "report"
