"""A notice from the signed .docx to open cases in a real Chromium: the office uploads it and
gets a draft beside the document's text, corrects the agency the registry did not know with
the picker, sees the computed deadlines as it types; the committee checks, the Standing
Committee approves, and the cases open with the dates the screens showed."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from conclusions.models import ConclusionNotice
from devtools.notice_corpus import render
from tests.browser import chromium_page, log_in, log_out, shot
from tests.test_intake_form import SIGNED
from tests.world import build_world
from workflow.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


@pytest.fixture
def browser_page(monkeypatch):
    with chromium_page(monkeypatch) as page:
        yield page


def _item(page, anchor: str):
    return page.get_by_test_id("intake-item").filter(
        has=page.locator(f"input[name$='-anchor'][value='{anchor}']")
    )


def _take_from_queue(page, base: str, number: str) -> None:
    page.goto(f"{base}/intake/queue/")
    page.get_by_role("link", name=number).click()
    page.get_by_role("button", name="Nhận và xử lý ngay").click()


def _register_from_the_docx(page, base: str, docx) -> None:
    log_in(page, base, "vanphong")  # the office lands on its intake queue
    page.get_by_test_id("register-notice").click()
    page.locator("input[name=attachment]").set_input_files(str(docx))
    page.get_by_test_id("read-document").click()
    expect(page.get_by_test_id("document-text")).to_contain_text("Sở Y tế chủ trì khám sức khỏe")
    expect(page.locator("input[name=number]")).to_have_value("21/TB-HĐND")
    health = _item(page, "I.3")
    expect(health.get_by_test_id("uncertain").first).to_contain_text("Sở Y tế")
    # The computed dates are there from the server, before any typing.
    expect(_item(page, "I.2").get_by_test_id("deadline-preview")).to_contain_text("22/07/2026")
    shot(page, "intake-01-draft-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "intake-02-draft-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The one correction: the lead agency the registry does not know, picked by searching.
    search = health.locator(".dd-field-lead_agencies input[type=search]")
    search.fill("tai chinh")
    health.locator(".dd-suggestion").first.click()
    expect(health.locator(".dd-field-lead_agencies .dd-chip")).to_have_text(["Sở Tài chính×"])
    # A deadline typed in words shows its date at once.
    first = _item(page, "I.1")
    first.locator("input[name$='-deadline']").fill("trong 6 tháng")
    expect(first.get_by_test_id("deadline-preview")).to_contain_text("Hạn: 10/12/2026")
    first.locator("input[name$='-deadline']").fill("hoàn thành trong quý III/2026")
    expect(first.get_by_test_id("deadline-preview")).to_contain_text("Hạn: 30/09/2026")
    shot(page, "intake-03-corrected-1280")
    page.get_by_test_id("register").click()
    expect(page.get_by_text("Đã vào sổ thông báo 21/TB-HĐND")).to_be_visible()
    log_out(page)


def test_a_notice_goes_from_the_signed_docx_to_open_cases_in_the_browser(
    transactional_db, live_server, browser_page, tmp_path
):
    build_world()
    page, base = browser_page, live_server.url
    docx = tmp_path / "21-TB-HDND.docx"
    docx.write_bytes(render(SIGNED, "docx"))

    _register_from_the_docx(page, base, docx)
    notice = ConclusionNotice.objects.get(number="21/TB-HĐND")
    assert notice.attachment.name.endswith(".docx")

    # The committee checks: the computed deadlines are there, working days included.
    log_in(page, base, "ban_vhxh")
    _take_from_queue(page, base, "21/TB-HĐND")
    page.wait_for_url(re.compile(r"/check/\d+/execute/"))
    check = page.locator("[data-anchor='I.2']")
    expect(check.get_by_test_id("deadline-preview")).to_contain_text("Hạn: 22/07/2026")
    shot(page, "intake-04-check-1280")
    page.get_by_test_id("check-done").click()
    expect(page.get_by_text("Đã kiểm tra thông báo 21/TB-HĐND")).to_be_visible()
    log_out(page)

    # The Standing Committee approves, seeing each date the cases will get.
    log_in(page, base, "thuongtruc")
    _take_from_queue(page, base, "21/TB-HĐND")
    dues = page.get_by_test_id("item-due")
    expect(dues).to_have_count(3)
    expect(dues.nth(1)).to_contain_text("22/07/2026")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "intake-05-approve-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Phê duyệt: mở hồ sơ theo dõi cho từng cơ quan chủ trì").check()
    page.get_by_test_id("approve-done").click()
    expect(page.get_by_text("hồ sơ theo dõi đã được mở")).to_be_visible()

    cases = Case.objects.filter(notice=notice).select_related("recommendation", "agency")
    assert {(c.recommendation.anchor, c.agency.code, c.deadline) for c in cases} == {
        ("I.1", "so-ldtbxh", datetime.date(2026, 9, 30)),
        ("I.2", "so-khdt", datetime.date(2026, 7, 22)),
        ("I.3", "so-tc", datetime.date(2026, 9, 30)),
    }
