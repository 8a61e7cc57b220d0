"""Report C: one round's petitions frozen as of a day, with its confirmed repeats counted, the
outcomes of the answers, the verdicts, the unanswered cases by agency, and its Excel workbook
and Word document; asked for from the report form with the round picked. And the petitions
proposed for questioning in Report F (petitions/candidates.py), closed cases included."""

import datetime
import io

import docx
import openpyxl
import pytest
from django.urls import reverse

from petitions.services import (
    petition_grade,
    petition_mark_repeat,
    petition_verdict,
    round_open,
)
from reports.documents import document_for
from reports.models import ReportSnapshot
from reports.snapshots import snapshot_request
from tests.helpers import committed
from tests.petition_world import build_rounds, enter
from tests.world import TODAY
from workflow.errors import CaseInvalid, CaseNotFound
from workflow.models import Case
from workflow.services import ReportInput, case_transition

pytestmark = pytest.mark.django_db(transaction=True)

ROAD = "Đề nghị sửa chữa tuyến đường giao thông nông thôn ấp 3 xã Vị Thanh."
AGAIN = "Cử tri ấp 3 tiếp tục kiến nghị sớm nâng cấp đường GTNT tại xã Vị Thanh."


@pytest.fixture
def story(world, settings):
    """Round two: the road again (a confirmed repeat, answered on time and resolved, not
    accepted by the voters), a school left unanswered past its deadline, a central petition."""
    settings.DONDOC_REPORTS_SYNC = True
    rounds = build_rounds(world)
    first = enter(world, rounds.first, ROAD, lead=["so-tc"]).petition
    again = enter(world, rounds.second, AGAIN, lead=["so-tc"], field="Giao thông").petition
    school = enter(
        world, rounds.second, "Sửa phòng học.", lead=["so-ldtbxh"], committee=world.vhxh
    ).petition
    enter(world, rounds.second, "Sửa Luật Đất đai.", competence="central", field="Đất đai")
    petition_mark_repeat(petition=again, actor=world.vanphong, first=first)
    case = Case.objects.get(recommendation=again.recommendation)
    with committed():
        case_transition(case=case, actor=world.so_tc, action="start")
        case_transition(case=case, actor=world.so_tc, action="report", report=ReportInput("Xong."))
    petition_grade(petition=again, case=case, actor=world.ban_ktns, outcome="resolved")
    petition_verdict(petition=again, actor=world.vanphong, accepted=False, note="Còn lầy lội.")
    return rounds, again, school


def _report(world, rounds):
    return snapshot_request(
        actor=world.thuongtruc,
        kind="petitions",
        as_of=TODAY,
        council=world.council,
        options={"round": rounds.second.pk},
    )


def test_report_c_counts_the_round_as_of_the_day(world, story):
    rounds, again, school = story
    snapshot = _report(world, rounds)
    snapshot.refresh_from_db()
    assert snapshot.status == ReportSnapshot.Status.DONE, snapshot.error
    f = snapshot.figures
    assert f["competence"] == {"commune": 0, "province": 2, "central": 1, "total": 3}
    assert f["outcomes"]["resolved"] == 1 and f["outcomes"]["unanswered"] == 1
    assert f["outcomes"]["total"] == 2
    assert f["answers"] == {"cases": 2, "answered": 1, "on_time": 1}
    assert f["verdicts"] == {"accepted": 0, "not_accepted": 1, "given": 1}
    assert [(r["number"], r["times"], r["first"]) for r in f["repeated"]] == [
        (again.number, 2, "Kỳ họp thứ 20")
    ]
    [late] = f["unanswered"]
    assert late["agency"] == world.ldtbxh.name and late["numbers"] == [school.number]
    assert late["cases"] == 1 and late["overdue"] == 0  # due 02/12/2026
    assert [c["number"] for c in f["candidates"]] == [again.number]
    assert sorted(n for n, _ in f["by_field"]) == ["", "Giao thông", "Đất đai"]
    document = document_for(snapshot)
    assert "gửi đến Kỳ họp thứ 7" in document.subject
    assert "có 3 kiến nghị cử tri" in document.paragraphs[0]


def test_report_c_needs_a_round_of_the_council_the_author_sees(world, story):
    with pytest.raises(CaseInvalid):
        snapshot_request(
            actor=world.thuongtruc, kind="petitions", as_of=TODAY, council=world.council
        )
    with pytest.raises(CaseNotFound):
        snapshot_request(
            actor=world.thuongtruc,
            kind="petitions",
            as_of=TODAY,
            council=world.council,
            options={"round": 10**9},
        )


def test_report_c_is_asked_for_on_the_form_and_opens_in_excel_and_word(world, story, client):
    rounds = story[0]
    client.force_login(world.thuongtruc)
    answer = client.post(
        reverse("reports:report_list"),
        {
            "kind": "petitions",
            "as_of": TODAY.strftime("%d/%m/%Y"),
            "council": world.council.pk,
            "round": rounds.second.pk,
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    snapshot = ReportSnapshot.objects.get()
    assert snapshot.params["options"] == {"round": rounds.second.pk}
    page = client.get(reverse("reports:snapshot", args=[snapshot.pk])).content.decode()
    assert "Kiến nghị cử tri nêu nhiều lần" in page
    book = openpyxl.load_workbook(
        io.BytesIO(
            client.get(reverse("reports:snapshot_export", args=[snapshot.pk, "xlsx"])).content
        )
    )
    assert "Nêu nhiều lần" in book.sheetnames and "Chưa trả lời" in book.sheetnames
    word = docx.Document(
        io.BytesIO(
            client.get(reverse("reports:snapshot_export", args=[snapshot.pk, "docx"])).content
        )
    )
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Kết quả giám sát việc giải quyết kiến nghị cử tri gửi đến Kỳ họp thứ 7" in text


def _report_f(world, as_of=TODAY):
    snapshot = snapshot_request(
        actor=world.thuongtruc, kind="candidates", as_of=as_of, council=world.council
    )
    snapshot.refresh_from_db()
    assert snapshot.status == ReportSnapshot.Status.DONE, snapshot.error
    return snapshot


@pytest.fixture
def third_time(world, story):
    """The road raised a third time, in a round of 20/11/2026, routed to Sở LĐ-TB&XH."""
    _rounds, again, _school = story
    third_round = round_open(
        council=world.council,
        sitting_name="Kỳ họp chuyên đề",
        answer_deadline={"calendar_days": 30},
        actor=world.vanphong,
        opened_on=datetime.date(2026, 11, 20),
    )
    third = enter(world, third_round, AGAIN, lead=["so-ldtbxh"]).petition
    petition_mark_repeat(petition=third, actor=world.vanphong, first=again)
    return third


def test_report_f_proposes_petitions_not_accepted_or_raised_a_third_time(world, story, third_time):
    _rounds, again, school = story
    snapshot = _report_f(world)
    assert snapshot.figures["sources"] == ["petitions"]
    rows = {
        item["case"]: (group["agency"], item["state"], item["reasons"], item.get("details"))
        for group in snapshot.figures["by_agency"]
        for item in group["items"]
    }
    answered = Case.objects.get(recommendation=again.recommendation)
    raised = Case.objects.get(recommendation=third_time.recommendation)
    assert rows[answered.pk] == (
        world.tc.name,
        "closed",
        ["petition_not_accepted"],
        {"petition_not_accepted": {"note": "Còn lầy lội."}},
    )
    assert rows[raised.pk] == (
        world.ldtbxh.name,
        "assigned",
        ["petition_raised_often"],
        {"petition_raised_often": {"times": 3}},
    )
    assert Case.objects.get(recommendation=school.recommendation).pk not in rows
    # The world's own overdue cases stay candidates for their own reason only.
    others = [row[2:] for pk, row in rows.items() if pk not in (answered.pk, raised.pk)]
    assert others and all(row == (["overdue"], None) for row in others)
    # As of the day before the verdict and the third round, no petition is proposed.
    assert _report_f(world, datetime.date(2026, 11, 19)).figures["sources"] == []


def test_report_f_shows_the_petitions_on_its_page_in_excel_and_word(
    world, story, third_time, client
):
    snapshot = _report_f(world)
    client.force_login(world.thuongtruc)
    page = client.get(reverse("reports:snapshot", args=[snapshot.pk])).content.decode()
    assert "Cử tri không đồng tình với trả lời: Còn lầy lội." in page
    assert "Kiến nghị cử tri nêu lần thứ 3" in page
    assert "kể cả hồ sơ đã đóng" in page
    book = openpyxl.load_workbook(
        io.BytesIO(
            client.get(reverse("reports:snapshot_export", args=[snapshot.pk, "xlsx"])).content
        )
    )
    summary = [[c.value for c in row] for row in book["Theo cơ quan"].iter_rows(min_row=4)]
    header = next(row for row in summary if row[0] == "STT")
    assert header[-1] == "Kiến nghị cử tri chưa đồng tình, nêu lần thứ ba"
    total = next(row for row in summary if row[1] == "Tổng cộng")
    assert total[2:] == [4, 2, 0, 0, 2]  # the world's two overdue cases, two petitions
    detail = [[c.value for c in row] for row in book["Kiến nghị đề xuất"].iter_rows()]
    assert "Kiến nghị cử tri nêu lần thứ 3" in [row[7] for row in detail]
    word = docx.Document(
        io.BytesIO(
            client.get(reverse("reports:snapshot_export", args=[snapshot.pk, "docx"])).content
        )
    )
    cells = {cell.text for table in word.tables for row in table.rows for cell in row.cells}
    assert "Cử tri không đồng tình với trả lời: Còn lầy lội." in cells
    client.cookies["django_language"] = "en"
    english = client.get(reverse("reports:snapshot", args=[snapshot.pk])).content.decode()
    assert "The voters did not accept the answer: Còn lầy lội." in english
    assert "petition raised 3 times" in english


def test_a_frozen_report_f_keeps_what_it_froze(world, story, third_time):
    _rounds, again, _school = story
    snapshot = _report_f(world)
    again.refresh_from_db()
    petition_verdict(petition=again, actor=world.vanphong, accepted=True)
    answered = Case.objects.get(recommendation=again.recommendation)
    assert answered.pk not in [
        item["case"] for g in _report_f(world).figures["by_agency"] for item in g["items"]
    ]
    snapshot.refresh_from_db()
    document = document_for(snapshot)
    [detail] = [table for table in document.tables if table.key == "candidates"]
    assert any("Còn lầy lội" in row[7] for row in detail.rows)
    # A Report F frozen before other sources existed reads as it did: no column of theirs.
    older = snapshot.figures.copy()
    del older["sources"]
    for group in older["by_agency"]:
        for item in group["items"]:
            item["reasons"], item["details"] = [], {}
    ReportSnapshot.objects.filter(pk=snapshot.pk).update(figures=older)
    snapshot.refresh_from_db()
    [summary] = [table for table in document_for(snapshot).tables if table.key == "by_agency"]
    assert len(summary.columns) == 6
