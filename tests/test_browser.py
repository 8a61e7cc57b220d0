"""One case from start to close in a real Chromium: the agency reports with evidence through
the page, the committee closes it, and the database agrees with what the screens showed."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser import chromium_page, log_in, log_out, shot
from tests.world import build_world
from workflow.models import Case, Evidence

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


@pytest.fixture
def browser_page(monkeypatch):
    with chromium_page(monkeypatch) as page:
        yield page


def _open_case_from_inbox(page, anchor: str) -> None:
    page.get_by_test_id("work-list").get_by_role("link", name=re.compile(anchor)).click()
    page.wait_for_url(re.compile(r"/workflow/cases/\d+/$"))


def test_a_case_goes_from_assigned_to_closed_through_the_browser(
    transactional_db, live_server, browser_page, tmp_path
):
    world = build_world()
    page = browser_page
    base = live_server.url
    evidence = tmp_path / "bao-cao-ket-qua.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    page.goto(f"{base}/accounts/login/")
    expect(page.get_by_text("Đôn đốc ·")).to_be_visible()
    shot(page, "01-login")

    # The lead agency starts, then reports with its letter and a file.
    log_in(page, base, "so_ldtbxh")
    shot(page, "02-inbox-agency")
    _open_case_from_inbox(page, "II.1.a")
    state = page.get_by_test_id("case-state")
    expect(state).to_have_text("Đã giao")
    expect(page.locator("[data-action-panel]")).to_have_count(1)
    shot(page, "03-case-assigned")
    page.get_by_role("button", name="Bắt đầu thực hiện").click()
    expect(state).to_have_text("Đang thực hiện")
    report = page.locator("[data-action-panel=report]")
    expect(page.locator("[data-action-panel]")).to_have_count(1)
    expect(report.locator("input[name=letter_date]")).to_be_visible()
    shot(page, "04-case-in-progress")
    report.locator("textarea[name=text]").fill("Đã rà soát nhu cầu đào tạo nghề tại 8 huyện.")
    report.locator(".mdc-select__anchor").click()  # the agency's own assessment
    report.locator("li[role=option][data-value=done]").click()
    report.locator("input[name=letter_number]").fill("125/SLĐTBXH-DN")
    report.locator("input[name=letter_date]").fill("20/11/2026")
    report.locator("input[type=file][name=evidence]").set_input_files(str(evidence))
    shot(page, "05-case-report-filled")
    report.get_by_role("button", name="Báo cáo kết quả").click()
    expect(state).to_have_text("Đã báo cáo")
    link = page.get_by_test_id("evidence-link")
    expect(link).to_have_text("bao-cao-ket-qua.pdf")
    expect(page.get_by_test_id("report")).to_contain_text("125/SLĐTBXH-DN ngày 20/11/2026")
    expect(page.locator("[data-action-panel]")).to_have_count(0)
    shot(page, "06-case-reported")
    # The evidence link serves the file that was uploaded.
    served = page.request.get(f"{base}{link.get_attribute('href')}")
    assert served.ok
    assert served.body() == evidence.read_bytes()
    log_out(page)

    # The owning committee reviews and closes it with a graded outcome.
    log_in(page, base, "ban_vhxh")
    _open_case_from_inbox(page, "II.1.a")
    expect(page.locator("[data-action-panel]")).to_have_count(2)
    close = page.locator("[data-action-panel=close]")
    close.locator(".mdc-select__anchor").click()
    close.locator("li[role=option][data-value=implemented]").click()
    close.locator("textarea[name=note]").fill("Báo cáo đầy đủ, có minh chứng.")
    shot(page, "07-case-close-filled")
    close.get_by_role("button", name="Đóng hồ sơ").click()
    expect(state).to_have_text("Đã đóng")
    expect(page.get_by_test_id("case-outcome")).to_have_text("Hoàn thành")
    timeline = page.get_by_test_id("timeline")
    for kind in ("case.opened", "case.started", "case.reported", "case.closed"):
        expect(timeline.locator(f"li[data-kind='{kind}']")).to_have_count(1)
    expect(timeline.locator("li[data-kind='case.closed']")).to_contain_text("Hoàn thành")
    shot(page, "08-case-closed")

    # The language switch in the header turns the page into English and back.
    page.locator("[data-testid=language-switch] button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    shot(page, "09-case-closed-en")
    page.locator("[data-testid=language-switch] button[value=vi]").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.goto(f"{base}/workflow/cases/")
    shot(page, "10-case-list")

    case = Case.objects.get(pk=world.case.pk)
    assert (case.state, case.outcome) == ("closed", "implemented")
    stored = Evidence.objects.get(report__case=case)
    assert stored.original_name == "bao-cao-ket-qua.pdf"
    assert (Path(settings.MEDIA_ROOT) / stored.file.name).read_bytes() == evidence.read_bytes()
