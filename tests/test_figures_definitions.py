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

import pytest
from django.utils import timezone

from conclusions.models import Council
from reports.figures import judged_as_of, results_as_of
from reports.queries import dashboard_figures
from reports.snapshots import snapshot_request
from tests.figures_by_hand import (
    AGENCY_ROW,
    COMMITTEE_ROW,
    RESULTS,
    results_by_hand,
)
from tests.figures_support import (  # noqa: F401  (fixtures among them)
    LAST,
    TURNS,
    D,
    _assert_by_hand,
    _cases,
    _pick,
    _result,
    _results,
    _row,
    played,
    s,
)
from tests.helpers import start_and_report
from tests.history import more_cases
from workflow.deadlines import calendar_for
from workflow.definitions import AS_OF, Result, result_q
from workflow.filters import judged
from workflow.models import Case, CaseEvent
from workflow.services import ReportInput


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
