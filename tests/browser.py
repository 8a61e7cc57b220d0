"""One way to open Debian's Chromium through Playwright for the browser tests."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connections
from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
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
