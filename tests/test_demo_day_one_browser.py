"""The demo in a real Chromium at phone width (390 px), where the first day found a page wider
than the screen: the office's petition import, whose round is named at length."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.browser import assert_fits, log_in, shot
from tests.test_browser import browser_page  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.postgres]
PHONE = {"width": 390, "height": 844}


def test_the_petition_import_fits_a_phone(transactional_db, live_server, browser_page):
    call_command("loaddemo", stdout=io.StringIO())
    page, base = browser_page, live_server.url
    log_in(page, base, "vanphong")
    page.set_viewport_size(PHONE)
    page.goto(f"{base}{reverse('intake:imports:upload', args=['kien-nghi-cu-tri'])}")
    assert page.locator("select[name=options-round] option").count() > 1
    assert_fits(page, PHONE["width"], "petition import")
    shot(page, "petition-import-390")
