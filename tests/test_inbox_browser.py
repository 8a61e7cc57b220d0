""" "Việc của tôi" in a real Chromium, role by role, at desk width (1280 px) and phone width
(390 px): the department's rows (overdue first, "thường xuyên" last), the report it sends and
the message that says what comes next, the committee's review and the case it returns, the
returned banner with the committee's reason, the Standing Committee's decisions; and at 390 px
no page scrolls sideways and every row keeps its deadline and state in sight."""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from conclusions.services import RecommendationInput, notice_register
from notifications.fanout import fan_out_pending
from tests.browser import assert_fits, chromium_page, log_in, log_out, shot
from tests.world import NOW, build_world
from workflow.escalation import escalate_due
from workflow.services import notice_issue

pytestmark = [pytest.mark.browser, pytest.mark.postgres]
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}
REASON = "Thiếu số liệu lao động được đào tạo theo từng xã."


@pytest.fixture
def browser_page(monkeypatch):
    with chromium_page(monkeypatch) as page:
        yield page


def _more_cases(world) -> None:
    notice = notice_register(
        council=world.council,
        number="20/TB-HĐND",
        issue_date=datetime.date(2026, 6, 10),
        title="Kết luận giám sát việc làm cho thanh niên",
        source_kind="thematic_supervision",
        tracking_committee=world.vhxh,
        recommendations=[
            RecommendationInput(
                anchor=anchor,
                text="Tổ chức sàn giao dịch việc làm lưu động cho thanh niên nông thôn "
                "tại các xã vùng sâu, vùng xa, ưu tiên lao động sau cai nghiện và người khuyết "
                "tật; báo cáo kết quả theo từng quý.",
                lead_agency_codes=["so-ldtbxh"],
                deadline=deadline,
            )
            for anchor, deadline in (("II.2", None), ("II.1", datetime.date(2026, 12, 15)))
        ],
        actor=world.vanphong,
    )
    notice_issue(notice=notice, actor=world.thuongtruc)


def _fits_a_phone(page: Page, name: str) -> None:
    """At 390 px nothing is wider than the screen, and each row shows deadline and state."""
    page.set_viewport_size(PHONE)
    assert_fits(page, 390, name)
    for row in page.locator(".dd-work-item").all():
        for testid in ("work-deadline", "work-state"):
            part = row.get_by_test_id(testid)
            expect(part).to_be_visible()
            box = part.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (name, testid)
    shot(page, f"inbox-{name}-390")
    page.set_viewport_size(DESK)


def _rows(page: Page) -> list[str]:
    return page.locator(".dd-work-item .dd-work-title").all_inner_texts()


def test_each_role_works_from_its_inbox_at_desk_and_phone_width(
    transactional_db, live_server, browser_page
):
    world = build_world()
    _more_cases(world)
    page, base = browser_page, live_server.url

    # The department: the overdue case first, by deadline, "thường xuyên" last.
    log_in(page, base, "so_ldtbxh")
    assert _rows(page) == [
        "15/TB-HĐND · mục II.1.a",
        "20/TB-HĐND · mục II.1",
        "20/TB-HĐND · mục II.2",
    ]
    deadlines = page.get_by_test_id("work-deadline").all_inner_texts()
    assert deadlines == ["Hạn 30/09/2026", "Hạn 15/12/2026", "Thường xuyên"]
    expect(page.get_by_test_id("work-overdue")).to_have_count(1)
    shot(page, "inbox-agency-1280")
    _fits_a_phone(page, "agency")

    # It starts and reports, on a phone; the message says who reviews by when.
    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="15/TB-HĐND · mục II.1.a").click()
    page.wait_for_url(re.compile(r"/workflow/cases/\d+/$"))
    page.get_by_role("button", name="Bắt đầu thực hiện").click()
    expect(page.locator(".dd-message")).to_contain_text("Đã tiếp nhận hồ sơ")
    report = page.locator("[data-action-panel=report]")
    expect(report).to_be_visible()
    assert_fits(page, 390, "report form")
    shot(page, "report-form-390")
    report.locator("textarea[name=text]").fill("Đã rà soát nhu cầu đào tạo nghề tại 8 huyện.")
    report.locator(".mdc-select__anchor").click()
    report.locator("li[role=option][data-value=done]").click()
    report.get_by_role("button", name="Báo cáo kết quả").click()
    expect(page.locator(".dd-message")).to_contain_text(
        re.compile(r"Đã gửi báo cáo; Ban Văn hóa - Xã hội sẽ đánh giá trước ngày \d\d/\d\d/\d{4}")
    )
    assert_fits(page, 390, "case reported")
    shot(page, "case-reported-390")
    page.set_viewport_size(DESK)
    log_out(page)

    # The committee reviews the report from its inbox, the panels below the report, and
    # returns it with a reason.
    log_in(page, base, "ban_vhxh")
    assert page.get_by_test_id("work-expected").all_inner_texts() == ["Chờ đánh giá"]
    shot(page, "inbox-committee-1280")
    _fits_a_phone(page, "committee")
    page.get_by_role("link", name="15/TB-HĐND · mục II.1.a").click()
    report_box = page.get_by_test_id("report").first.bounding_box()
    close_box = page.locator("[data-action-panel=close]").bounding_box()
    assert report_box["y"] < close_box["y"]
    shot(page, "case-review-1280")
    returning = page.locator("[data-action-panel=return]")
    returning.locator("textarea[name=note]").fill(REASON)
    returning.get_by_role("button", name="Trả lại").click()
    expect(page.locator(".dd-message")).to_contain_text("Đã trả lại báo cáo")
    log_out(page)

    # Back at the department: the case is marked returned, with the reason on top.
    log_in(page, base, "so_ldtbxh")
    first = page.locator(".dd-work-item").first
    expect(first.get_by_test_id("work-expected")).to_have_text("Bị trả lại: chờ báo cáo lại")
    expect(first.get_by_test_id("work-returned")).to_contain_text(REASON)
    _fits_a_phone(page, "agency-returned")
    first.locator(".dd-work-title").click()
    banner = page.get_by_test_id("returned-banner")
    expect(banner).to_contain_text(REASON)
    assert banner.bounding_box()["y"] < page.locator(".dd-recommendation").bounding_box()["y"]
    shot(page, "case-returned-1280")
    page.set_viewport_size(PHONE)
    expect(banner).to_be_visible()
    assert_fits(page, 390, "case returned")
    shot(page, "case-returned-390")
    page.set_viewport_size(DESK)
    log_out(page)

    # The Standing Committee: the case climbed to its rung; its inbox and dashboard agree.
    escalate_due(NOW)
    fan_out_pending()  # what the worker does each minute
    log_in(page, base, "thuongtruc")
    expect(page.get_by_test_id("work-expected")).to_have_text(["Chờ Thường trực HĐND quyết định"])
    expect(page.get_by_test_id("work-state")).to_contain_text(["Mức 7 · "])
    shot(page, "inbox-standing-1280")
    _fits_a_phone(page, "standing")
    page.goto(f"{base}/notifications/")
    page.set_viewport_size(PHONE)
    assert_fits(page, 390, "notifications")
    expect(page.get_by_test_id("notification-rung").first).to_contain_text("Mức 7 · ")
    shot(page, "notifications-390")
    page.goto(f"{base}/workflow/calendar/?month=2026-09")
    assert_fits(page, 390, "calendar")
    shot(page, "calendar-390")
    page.goto(f"{base}/reports/")  # its two charts, side by side on a desk, stack on a phone
    assert_fits(page, 390, "dashboard")
    page.goto(f"{base}/intake/")  # viewflow's board of columns scrolls inside, not the page
    assert_fits(page, 390, "intake board")
    page.set_viewport_size(DESK)
    shot(page, "calendar-1280")
