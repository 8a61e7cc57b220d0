"""Reports A, B and G frozen "as of" a day: every figure against the same figures recomputed in
plain Python from the cases, their events and their extensions (tests/history.py), on each day
a story turns; frozen figures that never move; who may ask, see and download."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.figures import judged_as_of
from tests.figures_by_hand import (
    RESULTS,
    case_on,
    end_of,
    results_by_hand,
)
from tests.history import (  # noqa: F401 (story, story_history and story_world are fixtures)
    CHECK_DAYS,
    D,
    more_cases,
    status_on,
    story,
    story_history,
    story_world,
)
from tests.reports_support import (  # noqa: F401  (fixtures among them)
    _all_cases,
    _assert_results_match,
    _hau_giang,
    _latest,
    _one,
    _pick,
    build_in_process,
    report,
)
from workflow.extensions import extension_decide
from workflow.models import Case, Extension
from workflow.services import ReportInput, case_transition


def test_report_a_matches_the_cases_recomputed_in_python_on_every_day_a_story_turns(
    world, history, report
):
    cases = _hau_giang(_all_cases(), world)
    for day in (*CHECK_DAYS, timezone.localdate()):
        _assert_results_match(report(world.thuongtruc, "results", day), cases, day)


def test_each_story_stands_where_it_should_on_each_day(world, history):
    """The hand-written truth the recomputation by hand is checked against as well: b reported
    late on 20/04 waits for review (not overdue), g reported after its deadline and accepted
    is done late, i is overdue until its late extension is approved."""
    expected = {
        D(2026, 4, 20): "done_on_time awaiting_review in_progress in_progress_overdue "
        "in_progress in_progress in_progress in_progress in_progress in_progress",
        D(2026, 6, 18): "done_on_time partially explained_or_roadmap in_progress_overdue "
        "not_implemented in_progress_overdue explained_or_roadmap in_progress "
        "in_progress_overdue in_progress",
        D(2026, 7, 10): "done_on_time partially explained_or_roadmap in_progress_overdue "
        "not_implemented forwarded awaiting_review in_progress in_progress "
        "in_progress_overdue",
        D(2026, 7, 31): "done_on_time partially explained_or_roadmap in_progress_overdue "
        "not_implemented forwarded done_late in_progress in_progress_overdue "
        "in_progress_overdue",
    }
    ids = {case.pk: name for name, case in history.cases.items()}
    for day, results in expected.items():
        wanted = dict(zip("abcdefghij", results.split(), strict=True))
        from_sql = {
            ids[case.pk]: case.result for case in judged_as_of(Case.objects.filter(pk__in=ids), day)
        }
        by_hand = {name: case_on(_one(case), day)["result"] for name, case in history.cases.items()}
        assert from_sql == wanted, day
        assert by_hand == wanted, day


def test_timeliness_is_judged_by_the_report_and_the_rate_counts_only_what_was_due(
    world, history, report
):
    figures = report(world.thuongtruc, "results", D(2026, 6, 18)).figures
    totals = figures["totals"]
    # Due by 18/06: a, b, c (extended to 10/06), d, e, f and i (its extension came on 03/07);
    # of those only a was done on time: b was partial, c explained, e not implemented.
    assert (totals["due"], totals["due_done_on_time"]) == (7, 1)
    assert totals["on_time_rate"] == pytest.approx(1 / 7)
    tc = next(row for row in figures["by_agency"] if row["name"] == "Sở Tài chính")
    assert (tc["explained_or_roadmap"], tc["in_progress_overdue"], tc["due"]) == (1, 2, 3)
    assert tc["on_time_rate"] == 0


def test_the_overdue_appendix_counts_every_urging_the_ladder_sent_by_that_day(
    world, history, report
):
    figures = report(world.thuongtruc, "results", D(2026, 4, 20)).figures
    [never_started] = [i for i in figures["overdue"] if i["case"] == history.cases["d"].pk]
    assert never_started["days_overdue"] == 5
    assert never_started["reminders"] == 3  # 15, 7 and 3 working days before 15/04
    # and the warning on the deadline, and the committee's urging letter the day after
    assert never_started["urgings"] == 5
    assert never_started["text"].startswith("Kiến nghị I.4")
    assert history.cases["b"].pk not in {i["case"] for i in figures["overdue"]}  # reported


def test_the_office_compiles_its_councils_report(world, history, report):
    day = D(2026, 6, 18)
    _assert_results_match(
        report(world.vanphong, "results", day), _hau_giang(_all_cases(), world), day
    )


def test_a_report_counts_only_what_its_author_may_see(world, history, report):
    day = D(2026, 6, 18)
    foreign = report(world.other_thuongtruc, "results", day)
    assert foreign.figures["totals"]["total"] == 1
    assert [i["case"] for i in foreign.figures["overdue"]] == [history.foreign.pk]
    agency = report(world.so_khdt, "results", day)
    seen = [
        c for c in _all_cases() if c.agency_id == world.khdt.pk or c.pk == history.cases["f"].pk
    ]
    _assert_results_match(agency, seen, day)
    assert agency.figures["totals"]["total"] == 4  # b, e, h and f which it coordinates


def test_filters_narrow_a_report_to_a_committee_or_a_source(world, history, report):
    day = D(2026, 7, 10)
    cases = _hau_giang(_all_cases(), world)
    by_committee = report(world.thuongtruc, "results", day, committee=world.ktns)
    _assert_results_match(by_committee, [c for c in cases if c.committee_id == world.ktns.pk], day)
    by_source = report(world.thuongtruc, "results", day, source_kind="listen_and_discuss")
    in_n1 = [c for c in cases if c.notice_id == history.notices[0].pk]
    _assert_results_match(by_source, in_n1, day)
    assigned_in_march = report(
        world.thuongtruc, "results", day, period_from=D(2026, 3, 10), period_to=D(2026, 3, 31)
    )
    _assert_results_match(
        assigned_in_march, [c for c in cases if c.notice_id == history.notices[1].pk], day
    )


# ----------------------------------------------------------------------- frozen figures


def test_a_report_keeps_its_figures_after_the_cases_move_on_and_can_be_made_again(
    world, history, report, client
):
    day = D(2026, 6, 18)
    first = report(world.thuongtruc, "results", day)
    frozen = first.figures
    # Afterwards: the waiting extension is granted, the ongoing case is reported and closed.
    extension_decide(
        extension=Extension.objects.get(case=history.cases["j"], status="pending"),
        actor=world.thuongtruc,
        approve=True,
    )
    h = Case.objects.get(pk=history.cases["h"].pk)
    case_transition(case=h, actor=world.so_khdt, action="report", report=ReportInput(text="Xong"))
    case_transition(case=h, actor=world.ban_ktns, action="close", outcome="implemented")
    first.refresh_from_db()
    assert first.figures == frozen
    client.force_login(world.thuongtruc)
    page = client.get(reverse("reports:snapshot", args=[first.pk])).content.decode()
    assert f'data-case="{history.cases["d"].pk}"' in page
    # The same question asked again today gets the same answer: it is read from the log.
    assert report(world.thuongtruc, "results", day).figures == frozen
    today = report(world.thuongtruc, "results", timezone.localdate()).figures
    assert today != frozen


# ------------------------------------------------------------------------------ report B


@pytest.mark.parametrize("day", [D(2026, 4, 20), D(2026, 5, 15), D(2026, 6, 18), D(2026, 7, 31)])
def test_report_b_lists_each_item_as_it_stood_that_day(world, history, report, day):
    end = end_of(day)
    for notice in history.notices:
        snapshot = report(world.thuongtruc, "notice", day, notice=notice)
        figures = snapshot.figures
        cases = [c for c in _all_cases() if c.notice_id == notice.pk]
        assert figures["notice"]["number"] == notice.number
        by_hand = results_by_hand(cases, day)["totals"]
        names = ("total", *RESULTS, "due", "due_done_on_time", "on_time_rate")
        assert _pick(figures["totals"], names) == _pick(by_hand, names)
        items = {item["case"]: item for item in figures["items"]}
        assert set(items) == {c.pk for c in cases}
        for case in cases:
            item, status = items[case.pk], status_on(case, day)
            assert item["state"] == status["state"]
            assert item["deadline"] == (
                status["deadline"].isoformat() if status["deadline"] else None
            )
            assert item["agency"] == case.agency.name
            latest = _latest(case.reports.all(), end)
            assert (item["report"] or {}).get("text") == (latest.text if latest else None)
            reviews = [
                e
                for e in case.events.all()
                if e.kind in ("case.closed", "case.returned", "case.reopened")
            ]
            review = _latest(reviews, end)
            assessment = item["assessment"]
            assert (assessment or {}).get("kind") == (review.kind[5:] if review else None)
            assert (assessment or {}).get("note") == (review.note if review else None)


def test_report_b_shows_the_return_note_and_the_coordinating_agency(world, history, report):
    figures = report(world.thuongtruc, "notice", D(2026, 5, 20), notice=history.notices[0]).figures
    [returned] = [i for i in figures["items"] if i["case"] == history.cases["e"].pk]
    assert returned["assessment"]["kind"] == "returned"
    assert returned["assessment"]["note"] == "Thiếu số liệu"
    figures = report(world.thuongtruc, "notice", D(2026, 5, 20), notice=history.notices[1]).figures
    [refused] = [i for i in figures["items"] if i["case"] == history.cases["f"].pk]
    assert refused["coordinating"] == ["Sở Kế hoạch và Đầu tư"]


# ------------------------------------------------------------------------------ report G
