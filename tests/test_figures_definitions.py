"""The figures a Standing Committee can sign (DOMAIN.md, "How the figures are defined"):
stories played day by day through the real services with the clock moved, then every figure
of the API's results, of the frozen Report A and of the dashboard compared with the same
figure counted by hand (tests/figures_by_hand.py) on the days a story turns.

The stories, one case each, under notice 40/TB-HĐND (Ban Văn hóa - Xã hội, unless said):

  p  reported on time (14/04, deadline 15/04), reviewed late (12/05): done on time;
  q  reported late (22/04), accepted at once: done late;
  r  returned twice, reported a third time after its deadline, closed as partially done;
  s  closed as "chưa thực hiện" long before its deadline: never on time;
  t  (Ban Kinh tế - Ngân sách) extension asked before the deadline and approved after it,
     then reported before the new deadline: done on time;
  v  reported long before its deadline and never reviewed: the committee's clock runs out;
  w  (Ban Kinh tế - Ngân sách) extension refused, never reported: overdue."""

import datetime
import io
from types import SimpleNamespace

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from conclusions.models import Council, SourceKind
from conclusions.services import RecommendationInput, notice_register
from reports.figures import judged_as_of, results_as_of
from reports.models import ReportSnapshot
from reports.queries import dashboard_figures
from reports.snapshots import snapshot_request
from tests.figures_by_hand import (
    AGENCY_ROW,
    COMMITTEE_ROW,
    RESULTS,
    case_on,
    results_by_hand,
)
from tests.helpers import api_client, start_and_report
from tests.history import _play, ask_step, at, built_once, decide_step, more_cases, step
from tests.world import build_world
from workflow.deadlines import calendar_for
from workflow.definitions import AS_OF, Result, result_q
from workflow.filters import judged
from workflow.models import Case, CaseEvent, ProgressReport
from workflow.services import ReportInput, notice_issue

D = datetime.date
ISSUED = D(2026, 3, 2)
LAST = D(2026, 7, 31)
# The days a story turns, and the day after.
TURNS = (
    D(2026, 4, 14),
    D(2026, 4, 16),
    D(2026, 4, 17),
    D(2026, 4, 21),
    D(2026, 4, 23),
    D(2026, 5, 6),
    D(2026, 5, 8),
    D(2026, 5, 13),
    D(2026, 5, 15),
    D(2026, 5, 21),
    D(2026, 5, 26),
    D(2026, 5, 29),
    D(2026, 6, 2),
    LAST,
)
RESULTS_URL = "/api/v1/reports/results/"


played = built_once("played", lambda: _build())


@pytest.fixture
def s(played, db):
    return played


def _build() -> SimpleNamespace:
    w = build_world()
    items = [
        ("p", "báo cáo đúng hạn, Ban đánh giá muộn", "so-ldtbxh", w.vhxh, D(2026, 4, 15)),
        ("q", "báo cáo muộn", "so-khdt", w.vhxh, D(2026, 4, 15)),
        ("r", "bị trả lại hai lần", "so-khdt", w.vhxh, D(2026, 5, 20)),
        ("s", "đóng “chưa thực hiện” sớm", "so-ldtbxh", w.vhxh, D(2026, 6, 30)),
        ("t", "gia hạn sau thời hạn", "so-tc", w.ktns, D(2026, 4, 15)),
        ("v", "chờ Ban đánh giá", "so-tc", w.vhxh, D(2026, 9, 15)),
        ("w", "gia hạn bị từ chối", "so-ldtbxh", w.ktns, D(2026, 4, 20)),
    ]
    with at(ISSUED, 8):
        notice = notice_register(
            council=w.council,
            number="40/TB-HĐND",
            issue_date=ISSUED,
            title="Kết luận giám sát về an sinh xã hội",
            source_kind=SourceKind.THEMATIC_SUPERVISION,
            tracking_committee=w.vhxh,
            recommendations=[
                RecommendationInput(
                    anchor=name,
                    text=f"Kiến nghị {name}: {text}",
                    lead_agency_codes=[lead],
                    tracking_committee=committee,
                    deadline=deadline,
                )
                for name, text, lead, committee, deadline in items
            ],
            actor=w.vanphong,
        )
        opened = notice_issue(notice=notice, actor=w.thuongtruc)
    cases = {case.recommendation.anchor: case for case in opened}
    _play(w, cases, _stories(w))
    return SimpleNamespace(world=w, cases=cases, notice=notice)


def _stories(w):
    def move(action, actor=None, claim="", **kwargs):
        return step(w, action, actor, report={"self_assessment": claim}, **kwargs)

    def ask(until):
        return ask_step(w, until, "Chờ vốn.")

    def decide(approve):
        return decide_step(w, approve)

    start = move("start")

    def close(outcome, committee="ban_vhxh"):
        return move("close", committee, outcome=outcome)

    def send_back(note):
        return move("return", "ban_vhxh", note=note)

    return [
        *((D(2026, 4, 1), name, start) for name in "pqrstv"),
        (D(2026, 4, 10), "s", move("report", claim="cannot_do")),
        (D(2026, 4, 10), "t", ask(D(2026, 5, 30))),
        (D(2026, 4, 14), "p", move("report", claim="done")),
        (D(2026, 4, 15), "s", close("not_implemented")),
        (D(2026, 4, 15), "w", ask(D(2026, 6, 30))),
        (D(2026, 4, 17), "w", decide(False)),
        (D(2026, 4, 20), "t", decide(True)),
        (D(2026, 4, 22), "q", move("report", claim="done")),
        (D(2026, 4, 24), "q", close("implemented")),
        (D(2026, 5, 5), "r", move("report", claim="done")),
        (D(2026, 5, 7), "r", send_back("Thiếu số liệu")),
        (D(2026, 5, 12), "r", move("report", claim="done")),
        (D(2026, 5, 12), "p", close("implemented")),
        (D(2026, 5, 14), "r", send_back("Vẫn thiếu số liệu")),
        (D(2026, 5, 25), "r", move("report", claim="partially")),
        (D(2026, 5, 25), "t", move("report", claim="done")),
        (D(2026, 5, 27), "r", close("partially")),
        (D(2026, 5, 28), "t", close("implemented", "ban_ktns")),
        (D(2026, 6, 1), "v", move("report", claim="roadmap")),
    ]


def _cases(**filters) -> list[Case]:
    return list(
        Case.objects.filter(**filters)
        .select_related("agency", "committee")
        .prefetch_related("events", "extensions")
    )


def _results(user, **params) -> dict:
    response = api_client(user).get(RESULTS_URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def _pick(row: dict, names) -> dict:
    return {name: row[name] for name in names}


def _assert_by_hand(figures: dict, cases, day) -> None:
    expected = results_by_hand(cases, day)
    assert _pick(figures["totals"], COMMITTEE_ROW) == _pick(expected["totals"], COMMITTEE_ROW)
    agencies = {row["code"]: _pick(row, AGENCY_ROW) for row in figures["by_agency"]}
    assert agencies == {k: _pick(v, AGENCY_ROW) for k, v in expected["by_agency"].items()}, day
    committees = {row["code"]: _pick(row, COMMITTEE_ROW) for row in figures["by_committee"]}
    assert committees == {
        k: _pick(v, COMMITTEE_ROW) for k, v in expected["by_committee"].items()
    }, day


def _result(s, name: str, day: datetime.date) -> str:
    case = _cases(pk=s.cases[name].pk)[0]
    return case_on(case, day)["result"]


def _row(figures: dict, group: str, code: str) -> dict:
    return next(row for row in figures[group] if row["code"] == code)


# ------------------------------------------------------------------- the figures by hand


def test_the_api_and_report_a_equal_the_figures_by_hand_on_every_day_a_story_turns(
    s, django_capture_on_commit_callbacks, settings
):
    settings.DONDOC_REPORTS_SYNC = True
    w = s.world
    cases = _cases(council=w.council)
    for day in TURNS:
        api = _results(w.thuongtruc, as_of=day.isoformat(), council="hau-giang")
        assert api["as_of"] == day.isoformat()
        _assert_by_hand(api, cases, day)
        with django_capture_on_commit_callbacks(execute=True):
            snapshot = snapshot_request(
                actor=w.thuongtruc, kind="results", as_of=day, council=w.council
            )
        snapshot.refresh_from_db()
        _assert_by_hand(snapshot.figures, cases, day)
        # The frozen report and the API are the same code: the same numbers, row for row.
        for group, names in (("by_agency", AGENCY_ROW), ("by_committee", COMMITTEE_ROW)):
            frozen = [_pick(row, names) for row in snapshot.figures[group]]
            assert frozen == [_pick(row, names) for row in api[group]], (day, group)
        overdue = results_by_hand(cases, day)["overdue"]
        assert {i["case"]: i["urgings"] for i in snapshot.figures["overdue"]} == {
            pk: item["urgings"] for pk, item in overdue.items()
        }


def test_each_story_counts_where_the_definitions_put_it(s):
    expected = {
        "p": {
            D(2026, 4, 14): "awaiting_review",  # its report is in, the committee's turn
            D(2026, 5, 6): "awaiting_review",
            D(2026, 5, 13): "done_on_time",  # closed four weeks after the deadline
        },
        "q": {
            D(2026, 4, 16): "in_progress_overdue",
            D(2026, 4, 23): "awaiting_review",  # reported late, but reported
            D(2026, 4, 24): "done_late",
        },
        "r": {
            D(2026, 5, 6): "awaiting_review",
            D(2026, 5, 8): "in_progress",  # returned the first time
            D(2026, 5, 15): "in_progress",  # returned the second time
            D(2026, 5, 21): "in_progress_overdue",
            D(2026, 5, 26): "awaiting_review",
            D(2026, 5, 29): "partially",
        },
        "s": {D(2026, 4, 15): "not_implemented", LAST: "not_implemented"},
        "t": {
            D(2026, 4, 17): "in_progress_overdue",  # a pending request does not stop the clock
            D(2026, 4, 21): "in_progress",  # approved after the deadline: a new deadline
            D(2026, 5, 29): "done_on_time",
        },
        "v": {D(2026, 6, 2): "awaiting_review", LAST: "awaiting_review"},
        "w": {D(2026, 4, 21): "in_progress_overdue", LAST: "in_progress_overdue"},
    }
    ids = {case.pk: name for name, case in s.cases.items()}
    for name, days in expected.items():
        for day, result in days.items():
            assert _result(s, name, day) == result, (name, day)
            judged_case = judged_as_of(Case.objects.filter(pk=s.cases[name].pk), day).get()
            assert (ids[judged_case.pk], judged_case.result) == (name, result), day


def test_the_on_time_rate_counts_implemented_with_an_on_time_report_over_what_was_due(s):
    w = s.world
    figures = _results(w.thuongtruc, as_of=LAST.isoformat(), council="hau-giang")
    totals = figures["totals"]
    mine = {name: case.pk for name, case in s.cases.items()}
    # Of the notice's seven cases, six were due by 31/07 (v's deadline is in September); of
    # those p and t were done on time: q late, r partially, s "chưa thực hiện", w never.
    notice = results_as_of(Case.objects.filter(pk__in=mine.values()), LAST)["totals"]
    assert (notice["due"], notice["due_done_on_time"]) == (6, 2)
    assert notice["on_time_rate"] == pytest.approx(2 / 6)
    assert (notice["done_on_time"], notice["done_late"], notice["not_implemented"]) == (2, 1, 1)
    # The world's own case (deadline 30/09, opened today) is not counted before it opened.
    assert totals["total"] == 7
    # Before anything was due there is no rate at all.
    early = _results(w.thuongtruc, as_of="2026-04-01", council="hau-giang")["totals"]
    assert (early["due"], early["on_time_rate"]) == (0, None)


def test_the_claim_and_the_verified_result_are_shown_side_by_side_per_agency(s):
    figures = _results(s.world.thuongtruc, as_of="2026-05-15", council="hau-giang")
    khdt = _row(figures, "by_agency", "so-khdt")
    # q claimed done and was verified; r claimed done twice and was returned twice.
    assert (khdt["claimed_done"], khdt["verified_done"]) == (2, 1)
    ldtbxh = _row(figures, "by_agency", "so-ldtbxh")
    assert (ldtbxh["claimed_done"], ldtbxh["verified_done"]) == (1, 1)  # p; s said it cannot


def test_extensions_and_every_urging_step_are_counted_per_agency(s):
    figures = _results(s.world.thuongtruc, as_of=LAST.isoformat(), council="hau-giang")
    tc = _row(figures, "by_agency", "so-tc")
    assert (tc["extensions_requested"], tc["extensions_approved"]) == (1, 1)
    ldtbxh = _row(figures, "by_agency", "so-ldtbxh")
    assert (ldtbxh["extensions_requested"], ldtbxh["extensions_rejected"]) == (1, 1)
    w_case = s.cases["w"]
    sent = CaseEvent.objects.filter(case=w_case, kind="case.escalated").count()
    assert sent >= 6  # reminders, the warning, the letters after the deadline
    [item] = [
        i for i in results_as_of(Case.objects.filter(pk=w_case.pk), LAST, appendix=True)["overdue"]
    ]
    assert item["urgings"] == sent and item["reminders"] == 3


def test_the_committee_has_its_own_review_clock_and_figures(s):
    w = s.world
    mid_may = _row(_results(w.thuongtruc, as_of="2026-05-06"), "by_committee", "ban-vhxh")
    # p waits since 14/04 (ten working days ran out) and r since 05/05.
    assert (mid_may["reviews_waiting"], mid_may["reviews_overdue"]) == (2, 1)
    last = _results(w.thuongtruc, as_of=LAST.isoformat())
    vhxh = _row(last, "by_committee", "ban-vhxh")
    assert (vhxh["reviews_waiting"], vhxh["reviews_overdue"]) == (1, 1)  # v, since 01/06
    assert vhxh["median_review_days"] is not None
    assert "reviews_waiting" not in _row(last, "by_agency", "so-tc")  # the agency is not late
    assert _row(last, "by_agency", "so-tc")["in_progress_overdue"] == 0


def test_a_council_sets_its_own_review_clock(s):
    w = s.world
    Council.objects.filter(pk=w.council.pk).update(review_working_days=3)
    case = start_and_report(w, ReportInput(text="Xong"))
    case.refresh_from_db()
    today = timezone.localdate()
    assert case.review_due == calendar_for(w.council.pk).shift_working_days(today, 3)
    assert case.deadline_when_reported == case.deadline
    event = CaseEvent.objects.filter(case=case, kind="case.reported").get()
    assert event.data["review_due"] == case.review_due.isoformat()


# ------------------------------------------------------------------------- partition


def test_the_nine_results_add_up_to_the_total_in_every_row_of_a_varied_world(s):
    w = s.world
    more_cases(w, 40)  # today: started, assigned, some past their deadline
    visible = Case.objects.filter(council=w.council)
    days = (*TURNS, timezone.localdate())
    for day in days:
        figures = results_as_of(visible, day)
        for row in [figures["totals"], *figures["by_agency"], *figures["by_committee"]]:
            assert sum(row[name] for name in RESULTS) == row["total"], (day, row.get("code"))
        # and each case is in exactly one result, by the rules themselves
        annotated = judged_as_of(visible, day)
        seen: list[int] = []
        for result in Result:
            seen += annotated.filter(result_q(result, day, AS_OF)).values_list("pk", flat=True)
        assert sorted(seen) == sorted(annotated.values_list("pk", flat=True)), day
    live, today = judged(visible), timezone.localdate()
    seen = []
    for result in Result:
        seen += live.filter(result_q(result, today)).values_list("pk", flat=True)
    assert sorted(seen) == sorted(visible.values_list("pk", flat=True))


def test_the_dashboard_counts_today_as_report_a_counts_as_of_today(s):
    w = s.world
    today = timezone.localdate()
    visible = Case.objects.filter(council=w.council)
    live = dashboard_figures(visible, today).totals
    as_of = results_as_of(visible, today)["totals"]
    for name in (*RESULTS, "total", "due", "due_done_on_time"):
        assert getattr(live, name) == as_of[name], name
    assert live.on_time_rate == as_of["on_time_rate"]
    assert live.review_overdue == as_of["reviews_overdue"]


# --------------------------------------------------------------------------- scoping


def test_a_department_sees_only_the_cases_it_may_see(s):
    w = s.world
    ldtbxh = _results(w.so_ldtbxh, as_of=LAST.isoformat())
    assert [row["code"] for row in ldtbxh["by_agency"]] == ["so-ldtbxh"]
    assert {row["code"] for row in ldtbxh["by_committee"]} == {"ban-vhxh", "ban-ktns"}
    assert ldtbxh["totals"]["total"] == 3  # p, s and w (the world's case opened later)
    _assert_by_hand(ldtbxh, _cases(agency=w.ldtbxh), LAST)
    nobody = _results(w.outsider, as_of=LAST.isoformat())
    assert (nobody["by_agency"], nobody["by_committee"], nobody["totals"]["total"]) == ([], [], 0)
    other = _results(w.other_thuongtruc, as_of=LAST.isoformat())
    assert other["totals"]["total"] == 0
    committee = _results(w.ban_ktns, as_of=LAST.isoformat())
    assert [row["code"] for row in committee["by_committee"]] == ["ban-ktns"]


def test_filters_narrow_the_results_like_report_a(s):
    w = s.world
    by_committee = _results(w.thuongtruc, as_of=LAST.isoformat(), committee="ban-ktns")
    assert [row["code"] for row in by_committee["by_committee"]] == ["ban-ktns"]
    _assert_by_hand(by_committee, _cases(committee=w.ktns), LAST)
    nothing = _results(
        w.thuongtruc, as_of=LAST.isoformat(), period_from="2026-04-01", period_to="2026-04-30"
    )
    assert nothing["totals"]["total"] == 0  # all opened on 02/03


def test_bad_parameters_are_refused_in_both_languages_naming_them(s):
    client = api_client(s.world.thuongtruc)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    cases = [
        ({"as_of": "2026-13-01"}, "as_of"),
        ({"as_of": tomorrow}, "as_of"),
        ({"council": "khong-co"}, "council"),
        ({"committee": "khong-co"}, "committee"),
        ({"period_from": "2026-05-01", "period_to": "2026-04-01"}, "period_to"),
        ({"council": "can-tho", "committee": "ban-vhxh"}, "committee"),
    ]
    for params, name in cases:
        response = client.get(RESULTS_URL, params)
        assert response.status_code == 400, params
        body = response.json()
        assert body["code"] == "invalid"
        assert name in body["errors"] and name in body["errors_en"], params
        assert body["detail"].startswith(name) and body["detail_en"].startswith(name), params
    assert APIClient().get(RESULTS_URL).status_code == 401


def test_the_results_answer_carries_the_definitions_in_both_languages(s):
    figures = _results(s.world.thuongtruc)
    assert figures["as_of"] == timezone.localdate().isoformat()
    definitions = figures["definitions"]
    assert "Chờ Ban đánh giá" in definitions["awaiting_review"]["vi"]
    assert "Awaiting" in definitions["awaiting_review"]["en"]
    assert set(definitions) >= {"done_on_time", "on_time_rate", "review_clock", "urgings"}
    schema = APIClient().get("/api/schema/").content.decode()
    assert "/api/v1/reports/results/" in schema and "median_review_days" in schema


# ------------------------------------------------------------------------ the claim


def test_the_api_report_takes_the_agency_s_own_assessment_blank_when_not_said(s):
    w = s.world
    client = api_client(w.so_ldtbxh)
    url = f"/api/v1/cases/{w.case.pk}/"
    assert client.post(url + "start/", {}, format="json").status_code == 200
    refused = client.post(url + "report/", {"text": "Xong", "self_assessment": "maybe"})
    assert refused.status_code == 400 and "self_assessment" in refused.json()["errors"]
    answer = client.post(url + "report/", {"text": "Xong", "self_assessment": "partially"})
    assert answer.status_code == 200
    assert answer.json()["reports"][0]["self_assessment"] == "partially"
    assert ProgressReport.objects.get(case=w.case).self_assessment == "partially"
    event = CaseEvent.objects.get(case=w.case, kind="case.reported")
    assert event.data["self_assessment"] == "partially"
    api_client(w.ban_vhxh).post(url + "return/", {"reason": "Bổ sung"}, format="json")
    client.post(url + "report/", {"text": "Bổ sung xong"})  # an older client: not stated
    assert ProgressReport.objects.filter(case=w.case).latest("created_at").self_assessment == ""


def test_the_web_report_form_asks_the_agency_s_own_assessment(s, client):
    w = s.world
    client.force_login(w.so_ldtbxh)
    action = reverse("workflow:case_action", args=[w.case.pk, "report"])
    client.post(reverse("workflow:case_action", args=[w.case.pk, "start"]))
    page = client.get(reverse("workflow:case_detail", args=[w.case.pk])).content.decode()
    assert 'name="self_assessment"' in page and "Cơ quan tự đánh giá kết quả" in page
    refused = client.post(action, {"text": "Đã xong"})
    assert refused.status_code == 400
    assert client.post(action, {"text": "Đã xong", "self_assessment": "done"}).status_code == 302
    assert ProgressReport.objects.get(case=w.case).self_assessment == "done"
    client.force_login(w.ban_vhxh)
    page = client.get(reverse("workflow:case_detail", args=[w.case.pk])).content.decode()
    assert "Cơ quan tự đánh giá: Đã hoàn thành" in page


# ---------------------------------------------------------------- documents and notes


def _snapshot(s, django_capture_on_commit_callbacks, settings, day=LAST) -> ReportSnapshot:
    settings.DONDOC_REPORTS_SYNC = True
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = snapshot_request(
            actor=s.world.thuongtruc, kind="results", as_of=day, council=s.world.council
        )
    snapshot.refresh_from_db()
    return snapshot


def test_every_table_of_report_a_has_its_note_on_the_page_in_excel_and_in_word(
    s, client, django_capture_on_commit_callbacks, settings
):
    import docx

    snapshot = _snapshot(s, django_capture_on_commit_callbacks, settings)
    client.force_login(s.world.thuongtruc)
    page = client.get(reverse("reports:snapshot", args=[snapshot.pk])).content.decode()
    assert page.count('data-testid="note"') == page.count('class="dd-report-table"') == 5
    assert "Cách tính:" in page and "Chênh lệch" in page and "Số lần đôn đốc" in page
    xlsx = client.get(reverse("reports:snapshot_export", args=[snapshot.pk, "xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    for sheet in book:
        assert "Cách tính:" in [row[0] for row in sheet.iter_rows(values_only=True)], sheet.title
    word = client.get(reverse("reports:snapshot_export", args=[snapshot.pk, "docx"]))
    document = docx.Document(io.BytesIO(word.content))
    texts = [p.text for p in document.paragraphs]
    assert texts.count("Cách tính:") == 5
    assert any(t.startswith("Tỷ lệ hoàn thành đúng hạn: ") for t in texts)
    assert any("Ban xác nhận hoàn thành" in t for t in texts)


def test_the_dashboard_prints_the_note_under_every_table(s, client):
    client.force_login(s.world.thuongtruc)
    page = client.get(reverse("reports:index")).content.decode()
    for section in ("totals", "by-committee", "by-agency", "most-overdue"):
        start = page.index(f'data-testid="{section}"')
        assert 'data-testid="note"' in page[start : page.index("</section>", start)], section
    client.cookies["django_language"] = "en"
    english = client.get(reverse("reports:index")).content.decode()
    assert "How it is counted:" in english


OLD_RESULTS = {
    "totals": {
        "total": 2,
        "done": 1,
        "partially": 0,
        "on_time": 0,
        "overdue": 1,
        "not_implemented": 0,
        "explained": 0,
        "forwarded": 0,
        "closed": 1,
        "closed_on_time": 1,
    },
    "by_agency": [],
    "by_committee": [],
    "overdue": [
        {
            "case": 1,
            "notice": "1/TB-HĐND",
            "anchor": "I.1",
            "text": "Kiến nghị cũ",
            "agency": "Sở Tài chính",
            "committee": "Ban Kinh tế - Ngân sách",
            "deadline": "2026-04-15",
            "original_deadline": "2026-04-15",
            "state": "reported",
            "days_overdue": 5,
            "reminders": 3,
        }
    ],
}


OLD_NOTICE = {
    "notice": {
        "id": 1,
        "number": "1/TB-HĐND",
        "issue_date": "2026-03-02",
        "title": "Kết luận cũ",
        "source_kind": "thematic_supervision",
        "committee": "Ban Văn hóa - Xã hội",
    },
    "totals": OLD_RESULTS["totals"],
    "items": [
        OLD_RESULTS["overdue"][0]
        | {
            "coordinating": [],
            "outcome": "",
            "report": {
                "date": "2026-04-18",
                "letter_number": "",
                "letter_date": None,
                "text": "Đã báo cáo",
            },
            "assessment": None,
        }
    ],
}


def test_a_report_frozen_before_the_new_definitions_still_opens_as_it_was(s, client):
    w = s.world
    old = ReportSnapshot.objects.create(
        council=w.council,
        kind="results",
        as_of=D(2026, 4, 20),
        figures=OLD_RESULTS,
        status=ReportSnapshot.Status.DONE,
        created_by=w.thuongtruc,
    )
    client.force_login(w.thuongtruc)
    page = client.get(reverse("reports:snapshot", args=[old.pk])).content.decode()
    assert "cách tính trước đây" in page and "Số lần nhắc hạn" in page
    for format in ("xlsx", "docx"):
        response = client.get(reverse("reports:snapshot_export", args=[old.pk, format]))
        assert response.status_code == 200 and len(response.content) > 1000
    old.refresh_from_db()
    assert old.figures == OLD_RESULTS  # opened, never rewritten
    notice = ReportSnapshot.objects.create(
        council=w.council,
        kind="notice",
        as_of=D(2026, 4, 20),
        params={"notice": 1},
        figures=OLD_NOTICE,
        status=ReportSnapshot.Status.DONE,
        created_by=w.thuongtruc,
    )
    page = client.get(reverse("reports:snapshot", args=[notice.pk])).content.decode()
    assert "đã hoàn thành 1, đang thực hiện trong hạn 0, quá hạn 1" in page
    for format in ("xlsx", "docx"):
        response = client.get(reverse("reports:snapshot_export", args=[notice.pk, format]))
        assert response.status_code == 200


# ---------------------------------------------------------------------- the migration


def test_the_migration_stamps_cases_reported_before_it_from_their_log(s):
    """Cases reported or closed before the stamps existed get them from the event log."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("workflow.migrations.0008_report_stamps_self_assessment")

    def stamps():
        return {
            pk: (reported_at, deadline, review_due if state == "reported" else None)
            for pk, state, reported_at, deadline, review_due in Case.objects.filter(
                council=s.world.council, state__in=("reported", "closed")
            ).values_list("pk", "state", "reported_at", "deadline_when_reported", "review_due")
        }

    stamped = stamps()
    assert len(stamped) == 6 and all(row[0] for row in stamped.values())
    Case.objects.update(reported_at=None, deadline_when_reported=None, review_due=None)
    migration.stamp_reports(apps, None)
    assert stamps() == stamped
