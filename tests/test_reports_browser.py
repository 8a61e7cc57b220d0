"""The Standing Committee in a real Chromium: opens the dashboard, follows the overdue number
to its cases, asks for report A as of a past day, watches it being built by a real django-q2
worker, and downloads both files; the Word file opens and holds the expected table."""

import io
import re
from pathlib import Path

import docx
import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reports.models import ReportSnapshot
from tests.browser import chromium_page, log_in, shot
from tests.figures_by_hand import results_by_hand
from tests.helpers import run_worker_once
from tests.history import D, build_history, visible_cases_in_python
from tests.world import build_world
from workflow.models import CaseState

# The worker is another process, which no time travel reaches: this test keeps the machine's
# clock (`real_clock`); the story's days are in the past, and "today" is the real today.
pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.real_clock]


@pytest.fixture
def browser_page(monkeypatch):
    with chromium_page(monkeypatch, width=1360, accept_downloads=True, timeout_ms=20_000) as page:
        yield page


def _download(page, testid: str, tmp_path: Path) -> bytes:
    with page.expect_download() as info:
        page.get_by_test_id(testid).click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target.read_bytes()


def test_the_standing_committee_follows_a_number_and_downloads_both_files(
    transactional_db, live_server, browser_page, settings, tmp_path
):
    settings.DONDOC_REPORTS_SYNC = False  # the real worker builds it, the page waits
    world = build_world()
    history = build_history(world)
    page, base = browser_page, live_server.url
    today = timezone.localdate()
    overdue = {
        c.pk
        for c in visible_cases_in_python(world.thuongtruc)
        if c.state in (CaseState.ASSIGNED, CaseState.IN_PROGRESS)
        and c.deadline
        and c.deadline < today
    }

    log_in(page, base, "thuongtruc")
    page.goto(f"{base}/reports/")
    expect(page.locator("h1")).to_have_text("Tổng quan")
    card = page.locator("[data-testid=totals] a[data-bucket=in_progress_overdue]")
    expect(card.locator(".dd-figure-value")).to_have_text(str(len(overdue)))
    shot(page, "reports-01-dashboard")

    card.click()
    page.wait_for_url(re.compile(r"/workflow/cases/\?.*bucket=in_progress_overdue"))
    rows = page.locator("[data-testid=case-table] tbody tr[data-case]")
    expect(rows).to_have_count(len(overdue))
    listed = {int(pk) for pk in rows.evaluate_all("rows => rows.map(r => r.dataset.case)")}
    assert listed == overdue
    shot(page, "reports-02-overdue-cases")

    page.goto(f"{base}/reports/")
    page.get_by_test_id("menu-reports").click()
    page.wait_for_url(re.compile(r"/reports/reports/$"))
    form = page.get_by_test_id("report-request")
    form.locator("select[name=kind]").select_option("results")
    form.locator("input[name=as_of]").fill("18/06/2026")
    form.locator("input[name=number]").fill("27/BC-HĐND")
    shot(page, "reports-03-report-form")
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_test_id("progress")).to_be_visible()
    shot(page, "reports-04-report-building")

    worker = run_worker_once()
    assert worker.returncode == 0, worker.stderr
    # The page polls every second and shows the finished report by itself.
    expect(page.get_by_test_id("export-docx")).to_be_visible()
    expect(page.get_by_test_id("snapshot-status")).to_have_text("Hoàn thành")
    shot(page, "reports-05-report-done")

    snapshot = ReportSnapshot.objects.get()
    expected = results_by_hand(visible_cases_in_python(world.thuongtruc), D(2026, 6, 18))
    book = openpyxl.load_workbook(io.BytesIO(_download(page, "export-xlsx", tmp_path)))
    agencies = book["Theo cơ quan"]
    assert [c.value for c in agencies[4]][:3] == ["STT", "Cơ quan", "Tổng số"]
    assert agencies.auto_filter.ref.startswith("A4:M")

    document = docx.Document(io.BytesIO(_download(page, "export-docx", tmp_path)))
    assert "Số: 27/BC-HĐND" in document.tables[0].rows[0].cells[0].text
    table = document.tables[2]  # after the heading and the signature: Appendix I by agency
    assert [cell.text for cell in table.rows[0].cells][:4] == [
        "STT",
        "Cơ quan",
        "Tổng số",
        "Hoàn thành đúng hạn",
    ]
    by_name = {row.cells[1].text: row.cells for row in table.rows[1:]}
    assert by_name["Tổng cộng"][2].text == str(expected["totals"]["total"]) == "10"
    for agency in (world.ldtbxh, world.khdt, world.tc):
        tally = expected["by_agency"][agency.code]
        assert by_name[agency.name][2].text == str(tally["total"])
        assert by_name[agency.name][7].text == str(tally["in_progress_overdue"])
    assert snapshot.figures["totals"]["total"] == 10
    assert history.foreign.pk not in {i["case"] for i in snapshot.figures["overdue"]}
