"""The two levels in a real Chromium, on the demo: the city's Standing Committee opens the
roll-up of its wards and communes from the menu and reads the overdue cases behind a number; a
ward's People's Committee officer has no such menu, finds only its own cases, and the city's
case page is not found for it."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import assert_fits, log_in, log_out, shot
from tests.test_browser import browser_page  # noqa: F401  (a fixture)
from workflow.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.postgres]
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}


def test_the_city_reads_its_wards_and_a_ward_sees_only_its_own(
    transactional_db, live_server, browser_page
):
    call_command("loaddemo", stdout=io.StringIO())
    page, base = browser_page, live_server.url
    log_in(page, base, "thuongtruc")
    page.goto(f"{base}{reverse('reports:index')}")
    page.get_by_test_id("menu-communes").click()
    expect(page.locator("h1")).to_have_text("Các xã, phường thuộc HĐND thành phố Cần Thơ")
    row = page.locator("tr[data-council='vi-thanh']")
    expect(row.locator("[data-figure='overdue']")).to_have_text("2")
    row.locator("[data-figure='overdue'] a").click()
    expect(page.get_by_test_id("overdue-vi-thanh").locator("tr[data-case]")).to_have_count(2)
    shot(page, "communes-rollup")
    page.set_viewport_size(PHONE)
    assert_fits(page, PHONE["width"], "communes vi")
    page.locator("button[name=language][value=en]").click()
    expect(page.locator("h1")).to_have_text("Communes and wards of HĐND thành phố Cần Thơ")
    assert_fits(page, PHONE["width"], "communes en")
    shot(page, "communes-rollup-en-390")
    page.locator("button[name=language][value=vi]").click()
    expect(page.locator("h1")).to_have_text("Các xã, phường thuộc HĐND thành phố Cần Thơ")
    page.set_viewport_size(DESK)
    log_out(page)

    log_in(page, base, "ubnd_vithanh")
    expect(page.get_by_test_id("menu-communes")).to_have_count(0)
    city_case = (
        Case.objects.filter(council__code="can-tho")
        .exclude(agency__code__startswith="ubnd-")
        .first()
    )
    response = page.goto(f"{base}{reverse('workflow:case_detail', args=[city_case.pk])}")
    assert response.status == 404
    page.goto(f"{base}{reverse('workflow:case_list')}")
    shot(page, "communes-ward-cases")
    listed = page.locator("[data-case]")
    assert listed.count() >= 2
