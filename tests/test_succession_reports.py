"""Reports and successions: a report "as of" a day before a succession is the same after it
(the predecessors as they were), and one made after it shows the successor."""

import datetime
import io

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from docx import Document as DocxDocument
from openpyxl import load_workbook

from conclusions.models import Agency, Committee, Membership
from reports.documents import document_for
from reports.exports.excel import workbook_bytes
from reports.exports.word import document_bytes
from reports.figures.results import results_as_of
from tests.history import (  # noqa: F401 (story, story_history and story_world are fixtures)
    CHECK_DAYS,
    D,
    story,
    story_history,
    story_world,
)
from tests.reports_support import build_in_process, report  # noqa: F401 (fixtures)
from workflow.models import Case, CaseState
from workflow.successions import succession_record

ON = D(2026, 8, 1)


def _merge(world) -> None:
    """Hậu Giang into Cần Thơ, and the Departments of Planning and Investment and of Finance
    into Cần Thơ's Department of Finance, the Standing Committee's seat carried over."""
    admin = User.objects.create_superuser("quantri", password="demo")
    ct = world.other_council
    Committee.objects.create(council=ct, code="ct-vhxh", name="Ban VH-XH", kind="culture_society")
    Agency.objects.create(council=ct, code="ct-stc", name="Sở Tài chính TP", kind="department")
    common = {"actor": admin, "on": ON, "carry_memberships": True}
    succession_record(
        kind="council", from_codes=["hau-giang"], to_code="can-tho", basis="NQ 202", **common
    )
    succession_record(
        kind="agency", from_codes=["so-khdt", "so-tc"], to_code="ct-stc", basis="NĐ 45", **common
    )


def test_reports_as_of_a_day_before_the_succession_are_unchanged_after_it(world, history, report):
    before = {
        day: report(world.thuongtruc, "results", day, council=world.council) for day in CHECK_DAYS
    }
    notice = report(
        world.thuongtruc, "notice", D(2026, 7, 10), council=world.council, notice=history.notices[1]
    )
    _merge(world)
    assert Case.objects.filter(council=world.council).exclude(state=CaseState.CLOSED).count() == 0
    for day, frozen in before.items():
        again = report(world.thuongtruc, "results", day, council=world.council)
        assert again.figures == frozen.figures, day
    again = report(
        world.thuongtruc, "notice", D(2026, 7, 10), council=world.council, notice=history.notices[1]
    )
    assert again.figures == notice.figures


def test_a_report_after_the_succession_shows_the_successor(world, history, report):
    _merge(world)
    today = datetime.date(2026, 11, 24)
    chair = User.objects.get(pk=world.thuongtruc.pk)  # the seat carried over, read afresh
    after = report(chair, "results", today, council=world.other_council)
    agencies = {row["code"] for row in after.figures["by_agency"]}
    assert "ct-stc" in agencies
    assert not agencies & {"so-khdt", "so-tc"}
    assert Membership.objects.filter(user=world.thuongtruc, council=world.other_council).exists()


def test_after_the_succession_the_successor_agency_says_what_it_took_over(world, history, report):
    _merge(world)
    chair = User.objects.get(pk=world.thuongtruc.pk)
    note = "Tiếp nhận từ: Sở Kế hoạch và Đầu tư (01/08/2026); Sở Tài chính (01/08/2026)"
    after = report(chair, "results", D(2026, 11, 24), council=world.other_council)
    [row] = [row for row in after.figures["by_agency"] if row["code"] == "ct-stc"]
    assert [t["name"] for t in row["took_over"]] == ["Sở Kế hoạch và Đầu tư", "Sở Tài chính"]
    document = document_for(after)
    by_agency = next(t for t in document.tables if t.key == "by_agency")
    [name] = [r[1] for r in by_agency.rows if r[1].startswith("Sở Tài chính TP")]
    assert name == f"Sở Tài chính TP\n{note}"
    # On screen, in Excel and in Word.
    client = Client()
    client.force_login(chair)
    page = client.get(reverse("reports:snapshot", args=[after.pk])).content.decode()
    assert f"Sở Tài chính TP<br>{note}" in page
    sheet = load_workbook(io.BytesIO(workbook_bytes(after, document))).worksheets[0]
    assert f"Sở Tài chính TP\n{note}" in [cell.value for row in sheet.iter_rows() for cell in row]
    word = DocxDocument(io.BytesIO(document_bytes(after, document)))
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    assert f"Sở Tài chính TP\n{note}" in cells
    # As of the day before the succession, nothing had been taken over yet.
    day_before = ON - datetime.timedelta(days=1)
    figures = results_as_of(Case.objects.all(), day_before)
    assert all(not row["took_over"] for row in figures["by_agency"])
    assert {row["code"] for row in figures["by_agency"]} >= {"so-khdt", "so-tc"}
