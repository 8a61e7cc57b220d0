"""Report F, the inputs for the next sitting: the recommendations to put to an explanation
session, questioning or re-supervision, with their reasons, grouped by agency and frozen as of
a day (the Excel and Word files from the same figures).

Stories, under notice 41/TB-HĐND of Ban Văn hóa - Xã hội, played day by day in autumn 2026:

  a  Sở LĐ-TB&XH, due 30/09, never reported: overdue 36 days on 05/11;
  b  Sở LĐ-TB&XH, due 26/10, never reported: overdue 10 days only;
  c  Sở KH&ĐT, due 31/12, reported and returned twice (08/10, 15/10);
  d  Sở KH&ĐT, due 31/12, returned twice, then the Standing Committee decides questioning (20/10);
  e  Sở Tài chính, due 31/12, returned twice, then "keep urging until 30/11" (20/10);
  f  Sở Tài chính, due 30/09, reported and closed: never a candidate."""

import datetime
import io
from zoneinfo import ZoneInfo

import docx
import openpyxl
import pytest
import time_machine
from django.urls import reverse

from conclusions.models import Sitting, SourceKind
from conclusions.services import RecommendationInput, notice_register
from reports.candidates import overdue_threshold
from reports.models import ReportSnapshot
from reports.snapshots import snapshot_request
from workflow.decisions import case_decide
from workflow.escalation import escalate_due
from workflow.extensions import extension_decide, extension_request
from workflow.models import Case, EscalationStep
from workflow.services import ReportInput, case_transition, notice_issue

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date
LEADS = {"a": "so-ldtbxh", "b": "so-ldtbxh", "c": "so-khdt", "d": "so-khdt"}
LEADS |= {"e": "so-tc", "f": "so-tc"}
DEADLINES = {"a": D(2026, 9, 30), "b": D(2026, 10, 26), "f": D(2026, 9, 30)}


@pytest.fixture(autouse=True)
def build_in_process(settings):
    settings.DONDOC_REPORTS_SYNC = True


def _travel(day: D, hour: int = 9, minute: int = 0):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ), tick=False
    )


@pytest.fixture
def autumn(world):
    w = world
    with _travel(D(2026, 9, 1), 8):
        notice = notice_register(
            council=w.council,
            number="41/TB-HĐND",
            issue_date=D(2026, 9, 1),
            title="Kết luận giám sát về giải quyết việc làm",
            source_kind=SourceKind.THEMATIC_SUPERVISION,
            tracking_committee=w.vhxh,
            recommendations=[
                RecommendationInput(
                    anchor=name,
                    text=f"Kiến nghị {name}.",
                    lead_agency_codes=[lead],
                    deadline=DEADLINES.get(name, D(2026, 12, 31)),
                )
                for name, lead in LEADS.items()
            ],
            actor=w.vanphong,
        )
        w.cases = {c.recommendation.anchor: c for c in notice_issue(notice=notice)}
    w.sitting = Sitting.objects.create(
        council=w.council, name="Kỳ họp thứ 12", opens_on=D(2026, 12, 8)
    )
    officers = {"so-ldtbxh": w.so_ldtbxh, "so-khdt": w.so_khdt, "so-tc": w.so_tc}

    def move(name, action, day, actor=None, **kwargs):
        actor = actor or officers[LEADS[name]]
        with _travel(day):
            case = Case.objects.get(pk=w.cases[name].pk)
            if action == "report":
                kwargs["report"] = ReportInput(text="Đã thực hiện.")
            case_transition(case=case, actor=actor, action=action, **kwargs)

    for name in "cdef":
        move(name, "start", D(2026, 9, 2))
    for report_day, return_day in (
        (D(2026, 10, 6), D(2026, 10, 8)),
        (D(2026, 10, 13), D(2026, 10, 15)),
    ):
        for name in "cde":
            move(name, "report", report_day)
            move(name, "return", return_day, w.ban_vhxh, note="Chưa đạt yêu cầu.")
    move("f", "report", D(2026, 9, 25))
    move("f", "close", D(2026, 9, 28), w.ban_vhxh, outcome="implemented")
    with _travel(D(2026, 10, 20)):
        case_decide(
            case=Case.objects.get(pk=w.cases["d"].pk),
            actor=w.thuongtruc,
            decision="questioning",
            sitting=w.sitting,
            note="Giám đốc Sở trả lời.",
        )
        case_decide(
            case=Case.objects.get(pk=w.cases["e"].pk),
            actor=w.thuongtruc,
            decision="keep_urging",
            until=D(2026, 11, 30),
        )
    with _travel(D(2026, 11, 5), 7, 30):
        escalate_due()
    return w


def _report(autumn, day: D, django_capture_on_commit_callbacks) -> ReportSnapshot:
    with _travel(D(2026, 11, 6)), django_capture_on_commit_callbacks(execute=True):
        snapshot = snapshot_request(
            actor=autumn.thuongtruc, kind="candidates", as_of=day, council=autumn.council
        )
    snapshot.refresh_from_db()
    assert snapshot.status == ReportSnapshot.Status.DONE, snapshot.error
    return snapshot


def _candidates(snapshot) -> dict[str, list[str]]:
    return {
        item["anchor"]: item["reasons"]
        for group in snapshot.figures["by_agency"]
        for item in group["items"]
    }


def test_the_candidates_and_their_reasons_as_of_the_day(autumn, django_capture_on_commit_callbacks):
    snapshot = _report(autumn, D(2026, 11, 5), django_capture_on_commit_callbacks)
    assert snapshot.figures["threshold"] == 30
    assert _candidates(snapshot) == {
        "a": ["overdue"],
        "c": ["returned_twice"],
        "d": ["returned_twice", "decided"],
        "e": ["returned_twice"],
    }
    groups = snapshot.figures["by_agency"]
    assert [(g["agency"], [i["anchor"] for i in g["items"]]) for g in groups] == [
        ("Sở Kế hoạch và Đầu tư", ["c", "d"]),
        ("Sở Lao động - Thương binh và Xã hội", ["a"]),
        ("Sở Tài chính", ["e"]),
    ]
    d = groups[0]["items"][1]
    assert (d["decision"], d["sitting"], d["decided_on"], d["returns"]) == (
        "questioning",
        "Kỳ họp thứ 12",
        "2026-10-20",
        2,
    )
    a = groups[1]["items"][0]
    assert (a["days_overdue"], a["decision"]) == (36, "")


def test_a_past_day_gives_the_candidates_of_that_day(autumn, django_capture_on_commit_callbacks):
    assert _candidates(_report(autumn, D(2026, 10, 10), django_capture_on_commit_callbacks)) == {}
    assert _candidates(_report(autumn, D(2026, 10, 16), django_capture_on_commit_callbacks)) == {
        "c": ["returned_twice"],
        "d": ["returned_twice"],
        "e": ["returned_twice"],
    }


def test_an_extension_approved_after_a_decision_starts_a_new_cycle(
    autumn, django_capture_on_commit_callbacks
):
    with _travel(D(2026, 10, 22)):
        extension = extension_request(
            case=Case.objects.get(pk=autumn.cases["d"].pk),
            actor=autumn.so_khdt,
            requested_until=D(2027, 3, 31),
            reason="Chờ vốn.",
        )
        extension_decide(extension=extension, actor=autumn.thuongtruc, approve=True)
    assert _candidates(_report(autumn, D(2026, 11, 5), django_capture_on_commit_callbacks))[
        "d"
    ] == ["returned_twice"]


def test_the_threshold_follows_the_councils_decision_rung(autumn):
    EscalationStep.objects.create(
        council=autumn.council,
        level=1,
        name="Giải trình",
        offset=45,
        unit="calendar_days",
        action="explanation_listing",
        audience=["standing"],
    )
    assert overdue_threshold(autumn.council) == 45


def test_the_page_excel_and_word_show_the_same_candidates(
    autumn, client, django_capture_on_commit_callbacks
):
    snapshot = _report(autumn, D(2026, 11, 5), django_capture_on_commit_callbacks)
    client.force_login(autumn.thuongtruc)
    page = client.get(reverse("reports:snapshot", args=[snapshot.pk])).content.decode()
    assert "Phụ lục II. Danh mục kiến nghị đề xuất giải trình, chất vấn, tái giám sát" in page
    assert "Chất vấn tại kỳ họp — Kỳ họp thứ 12" in page
    assert "Quá hạn 36 ngày chưa báo cáo" in page
    xlsx = client.get(reverse("reports:snapshot_export", args=[snapshot.pk, "xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    sheet = book["Kiến nghị đề xuất"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5, max_row=8)]
    assert [row[3] for row in rows] == ["c", "d", "a", "e"]
    assert rows[1][7] == "Báo cáo bị trả lại 2 lần; Thường trực HĐND quyết định ngày 20/10/2026"
    summary = [
        [c.value for c in row] for row in book["Theo cơ quan"].iter_rows(min_row=5, max_row=8)
    ]
    assert summary[-1][1:] == ["Tổng cộng", 4, 1, 3, 1]
    word = client.get(reverse("reports:snapshot_export", args=[snapshot.pk, "docx"]))
    document = docx.Document(io.BytesIO(word.content))
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "Chờ Thường trực HĐND quyết định" in cells
    assert "Chất vấn tại kỳ họp — Kỳ họp thứ 12" in cells
