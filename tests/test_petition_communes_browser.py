"""A commune petition's path in a real Chromium on a 390 px phone screen: the office enters a
petition within the ward's competence, the petition's page says it went to phường Vị Thanh's
council on Đôn đốc, and the ward's People's Committee finds the case in "Việc của tôi", waiting
to be started, with its deadline; neither page is wider than the screen."""

import re

import pytest
from playwright.sync_api import expect

from petitions.models import Petition
from tests.browser import assert_fits, chromium_page, log_in, shot
from tests.test_petition_communes import communes  # noqa: F401  (fixture)
from workflow.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

PHONE = 390
LIGHTS = "Cử tri khu vực 4 đề nghị lắp đèn chiếu sáng tuyến hẻm 12 phường Vị Thanh."


@pytest.fixture
def browser_page(monkeypatch):
    with chromium_page(monkeypatch, width=PHONE) as page:
        yield page


def test_the_office_enters_a_ward_petition_and_the_wards_peoples_committee_gets_the_case(
    transactional_db, live_server, world, communes, browser_page
):
    page, base = browser_page, live_server.url
    log_in(page, base, "vanphong")
    page.goto(f"{base}/petitions/rounds/{communes.rounds.second.pk}/")
    form = page.get_by_test_id("petition-form")
    form.locator("textarea[name=text]").fill(LIGHTS)
    form.locator("input[name=locality]").fill("phường Vị Thanh")
    form.locator("vf-field-select[name=committee] .mdc-select__anchor").click()
    form.locator(f"li[role=option][data-value='{world.ktns.pk}']").click()
    form.locator("vf-field-select[name=competence] .mdc-select__anchor").click()
    form.locator("li[role=option][data-value='commune']").click()
    assert_fits(page, PHONE, "the round's page")
    page.get_by_test_id("petition-submit").click()

    expect(page.get_by_test_id("sent-to-commune")).to_contain_text("HĐND phường Vị Thanh")
    expect(page.get_by_test_id("send-to-commune")).to_have_count(0)
    assert_fits(page, PHONE, "the petition's page")
    petition = Petition.objects.get(round=communes.rounds.second)
    case = Case.objects.get(recommendation=petition.recommendation)
    assert case.agency == communes.ubnd

    page.context.clear_cookies()
    log_in(page, base, "ubnd_vithanh")
    item = page.get_by_test_id("work-list").locator(f"li[data-id='{case.pk}']")
    expect(item).to_contain_text("đèn chiếu sáng tuyến hẻm 12")
    expect(item.get_by_test_id("work-deadline")).to_have_text("Hạn 02/12/2026")
    expect(item.get_by_test_id("work-expected")).to_have_text(re.compile("Chờ tiếp nhận"))
    assert_fits(page, PHONE, "the ward's inbox")
    shot(page, "commune-petition-inbox-390")
    item.locator("a.dd-work-title").click()
    page.wait_for_url(re.compile(rf"/workflow/cases/{case.pk}/|/{case.pk}/"))
    assert_fits(page, PHONE, "the ward's case page")
