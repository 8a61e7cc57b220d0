"""The language is the browser's choice, never the person's: a language chosen with the switch
stays with that browser (across logging out and in again), and the same person logging in from
a fresh browser reads Vietnamese, unless that browser itself asks for English (its
Accept-Language: Playwright's own default context is en-US, which looks like a choice that
stuck)."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser import chromium_page, log_out
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


def _log_in(page: Page, base: str, username: str) -> None:
    """Log in from whatever language the login page is in (tests.browser.log_in expects the
    Vietnamese inbox)."""
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_url(re.compile(r"/workflow/$"))


def _reads(page: Page, language: str, heading: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("h1").first).to_have_text(heading)
    switch = page.get_by_test_id("language-switch")
    expect(switch.locator("[aria-current=true]")).to_have_text(language.upper())


def _fresh(page: Page, locale: str = "vi-VN") -> Page:
    """A new browser context: no cookie, no storage, as another browser would be."""
    return page.context.browser.new_context(locale=locale).new_page()


def test_a_language_chosen_once_stays_with_that_browser_not_with_the_person(
    transactional_db, live_server, monkeypatch
):
    build_world()
    base = live_server.url
    with chromium_page(monkeypatch) as first:
        first.goto(f"{base}/accounts/login/")
        first.get_by_test_id("language-switch").get_by_role("button", name="EN").click()
        expect(first.locator("html")).to_have_attribute("lang", "en")
        _log_in(first, base, "so_ldtbxh")
        _reads(first, "en", "My tasks")

        other = _fresh(first)
        _log_in(other, base, "so_ldtbxh")
        _reads(other, "vi", "Việc của tôi")
        # English chosen in the header after logging in, by a second browser of the person's.
        other.get_by_test_id("language-switch").get_by_role("button", name="EN").click()
        _reads(other, "en", "My tasks")
        log_out(other)
        other.context.close()

        third = _fresh(first)
        _log_in(third, base, "so_ldtbxh")
        _reads(third, "vi", "Việc của tôi")
        third.context.close()

        english = _fresh(first, locale="en-US")
        _log_in(english, base, "so_ldtbxh")
        _reads(english, "en", "My tasks")
        english.context.close()

        log_out(first)  # the first browser keeps its own choice
        expect(first.locator("html")).to_have_attribute("lang", "en")
        _log_in(first, base, "so_ldtbxh")
        _reads(first, "en", "My tasks")
