"""In a real Chromium: the case list finds Vietnamese words typed without diacritics, and
the council's public page reads for an anonymous visitor, desktop and phone, while an
unpublished notice is not found there."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import assert_fits, chromium_page, log_in, shot
from tests.world import build_world
from workflow.publication import notice_publish

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


def test_the_case_list_finds_words_typed_without_diacritics(
    transactional_db, live_server, monkeypatch
):
    build_world()
    with chromium_page(monkeypatch) as page:
        log_in(page, live_server.url, "ban_vhxh")
        page.goto(f"{live_server.url}{reverse('workflow:case_list')}")
        page.locator("input[name=q]").fill("DAO TAO NGHE")
        page.get_by_role("button", name="Lọc").click()
        table = page.get_by_test_id("case-table")
        expect(table).to_contain_text("nhu cầu đào tạo nghề")
        page.locator("input[name=q]").fill("xay dung cau")
        page.get_by_role("button", name="Lọc").click()
        expect(table).not_to_contain_text("đào tạo nghề")


@pytest.mark.parametrize("width", [1280, 390])
def test_an_anonymous_visitor_reads_the_public_page(
    transactional_db, live_server, monkeypatch, width
):
    cache.clear()
    world = build_world()
    council_url = f"{live_server.url}{reverse('publication:council', args=['hau-giang'])}"
    notice_url = (
        f"{live_server.url}{reverse('publication:notice', args=['hau-giang', world.notice.pk])}"
    )
    with chromium_page(monkeypatch, width=width) as page:
        assert page.goto(notice_url).status == 404
        notice_publish(notice=world.notice, actor=world.thuongtruc, publish=True)
        page.goto(council_url)
        expect(page.get_by_test_id("public-notices")).to_contain_text("15/TB-HĐND")
        page.get_by_role("link", name="15/TB-HĐND").click()
        expect(page.get_by_test_id("public-items")).to_contain_text("Sở Lao động")
        expect(page.get_by_test_id("public-items")).to_contain_text("30/09/2026")
        assert_fits(page, width)
        shot(page, f"public-notice-{width}")
        page.get_by_role("link", name="English").click()
        expect(page.locator("h2").first).to_have_text("Recommendations")
