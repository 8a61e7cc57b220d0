"""The office clerk in a real Chromium on a 390 px phone screen: enters a petition that voters
raised at an earlier sitting in other words, sees it suggested, confirms it, and the petition
now counts as raised twice; nothing on the pages is wider than the screen."""

import re

import pytest
from playwright.sync_api import expect

from petitions.models import Petition
from tests.browser import chromium_page, log_in, shot
from tests.petition_world import build_rounds, enter
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

PHONE = 390
ROAD = "Đề nghị sửa chữa tuyến đường giao thông nông thôn ấp 3 xã Vị Thanh."
AGAIN = "Cử tri ấp 3 tiếp tục kiến nghị sớm nâng cấp đường GTNT tại xã Vị Thanh."


@pytest.fixture
def browser_page(monkeypatch):
    with chromium_page(monkeypatch, width=PHONE) as page:
        yield page


def _fits(page) -> None:
    """The page's own card is no wider than the phone: its tables scroll inside their frame.
    (The header above it, with the language switch and the bell, is the site's.)"""
    width = page.evaluate("document.querySelector('.dd-card').scrollWidth")
    assert width <= PHONE, f"{page.url}: the card is {width}px wide"


def test_the_clerk_enters_a_repeat_and_confirms_the_suggestion(
    transactional_db, live_server, browser_page
):
    world = build_world()
    rounds = build_rounds(world)
    first = enter(world, rounds.first, ROAD).petition
    enter(world, rounds.first, "Đề nghị hỗ trợ nước sạch cho hộ dân ấp 3 xã Vị Thanh.")
    page, base = browser_page, live_server.url

    log_in(page, base, "vanphong")
    page.goto(f"{base}/petitions/")
    expect(page.get_by_test_id("round-table")).to_contain_text("Kỳ họp thứ 7")
    _fits(page)
    page.get_by_role("link", name=re.compile("Kỳ họp thứ 7")).click()
    form = page.get_by_test_id("petition-form")
    form.locator("textarea[name=text]").fill(AGAIN)
    form.locator("input[name=locality]").fill("xã Vị Thanh")
    form.locator("vf-field-select[name=committee] .mdc-select__anchor").click()
    form.locator(f"li[role=option][data-value='{world.ktns.pk}']").click()
    _fits(page)
    page.get_by_test_id("petition-submit").click()

    suggestions = page.get_by_test_id("suggestions")
    expect(suggestions).to_contain_text("Kỳ họp thứ 20")
    expect(suggestions.locator("[data-suggestion]")).to_have_count(1)
    expect(suggestions).to_contain_text("giao thông nông thôn ấp 3")
    _fits(page)
    shot(page, "petition-suggestion-390")
    suggestions.get_by_test_id("confirm-repeat").click()

    expect(page.get_by_test_id("times-raised")).to_have_text("2")
    expect(page.get_by_test_id("repeat-of")).to_contain_text("Kỳ họp thứ 20")
    expect(page.get_by_test_id("suggestions")).to_have_count(0)
    again = Petition.objects.get(round=rounds.second)
    assert again.repeat_of == first and again.text == AGAIN
