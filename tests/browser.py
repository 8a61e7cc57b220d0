"""One way to open Debian's Chromium through Playwright for the browser tests, and the steps
they share: logging in and out, checking that a page fits the screen, and screenshots."""

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(os.environ.get("DONDOC_SCREENSHOTS", "/tmp"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@contextmanager
def chromium_page(
    monkeypatch, *, width: int = 1280, accept_downloads: bool = False, timeout_ms: int = 15_000
) -> Iterator[Page]:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"needs Chromium at {CHROMIUM}")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the test makes
    # between page steps are still plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            locale="vi-VN",
            viewport={"width": width, "height": 900},
            accept_downloads=accept_downloads,
        )
        context.set_default_timeout(timeout_ms)
        yield context.new_page()
        context.close()
        browser.close()
        # Queries made while Playwright runs may use their own connection; close it here, or
        # PostgreSQL refuses to drop the test database at the end of the session.
        connections.close_all()


def assert_fits(page: Page, width: int, name: str = "") -> None:
    """No sideways scrolling at this width, once the page has loaded its style sheet and laid
    itself out (polled from here: the content security policy refuses the evaluated
    predicates of wait_for_function)."""
    page.wait_for_load_state()
    scroll = 0
    for _attempt in range(30):
        scroll = page.evaluate("document.scrollingElement.scrollWidth")
        if scroll <= width:
            return
        page.wait_for_timeout(100)
    assert scroll <= width, (name or page.url, scroll, _sticking_out(page, width))


def _sticking_out(page: Page, width: int) -> list[str]:
    """What sticks out past the screen's right edge, to say why a page is too wide."""
    return page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > width + 1)
        .slice(0, 8)
        .map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right)""",
        width,
    )


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"dondoc-{name}.png"), full_page=True)


# Where a login lands: the office on its intake queue, everyone else on "Việc của tôi".
LANDINGS = {"vanphong": (r"/intake/queue/$", "Việc chờ nhận")}


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    address, heading = LANDINGS.get(username, (r"/workflow/$", "Việc của tôi"))
    page.wait_for_url(re.compile(address))
    expect(page.locator("h1").first).to_have_text(heading)


def log_out(page: Page) -> None:
    page.locator(".vf-page__menu-toggle-button").click()
    page.locator("form[action$='/accounts/logout/'] button").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
