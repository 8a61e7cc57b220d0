"""`manage.py loaddemo`: the seeds' councils, people and notices, loaded once however often
it runs, with cases in every state and timelines that hold together."""

import io
from datetime import date
from itertools import pairwise

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from briefings.models import BriefingRound, Standing
from briefings.selectors import round_rows
from conclusions.models import Council, Membership, Succession
from workflow.models import Case, CaseEvent, CaseState, EventKind, Extension, Outcome
from workflow.selectors import cases_awaiting
from workflow.services import ReportInput, case_transition

# The seat each README login holds today: Hậu Giang's people, carried into Cần Thơ's bodies by
# the 2025 successions.
SEATS = {
    "thuongtruc": ("standing", "can-tho"),
    "vanphong": ("office_clerk", "can-tho"),
    "ban_vhxh": ("committee_member", "ct-ban-vhxh"),
    "ban_ktns": ("committee_member", "ct-ban-ktns"),
    "so_ldtbxh": ("agency_officer", "ct-so-nv"),
    "so_khdt": ("agency_officer", "ct-so-tc"),
    "so_ct": ("agency_officer", "ct-so-ct"),
    "so_tnmt": ("agency_officer", "ct-so-nnmt"),
    "bql_kcn": ("agency_officer", "ct-bql-kcn"),
}
COMMUNE_LOGINS = ["tt_vithanh", "ubnd_vithanh", "ban_vithanh", "tt_ninhkieu", "kt_ninhkieu"]


def _load() -> str:
    out = io.StringIO()
    call_command("loaddemo", stdout=out)
    return out.getvalue()


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models(include_auto_created=True)
    }


@pytest.fixture
def demo(db):
    _load()


def test_loading_twice_fails_nothing_and_duplicates_nothing(db):
    first = _load()
    counts = _row_counts()
    second = _load()
    assert _row_counts() == counts
    assert counts["workflow.Case"] >= 15
    # Eight notices, two resolutions' follow-up notices, a programme's and the council's plan,
    # the carrier notices of three rounds of voter petitions, and phường Vị Thanh's notice of
    # the commune petitions Cần Thơ sent it.
    assert counts["conclusions.ConclusionNotice"] == 16
    assert "16 thông báo (16 mới)" in first
    assert "16 thông báo (0 mới)" in second
    assert second.count("\n") == 1


def test_every_demo_account_signs_in_with_the_password_demo(demo):
    for username in ["admin", *SEATS, *COMMUNE_LOGINS, "tt_vithuy", "tt_ducpho", "kt_ducpho"]:
        user = authenticate(username=username, password="demo")
        assert user is not None, username
        assert len(user.get_full_name().split()) >= 3, username


def test_admin_is_a_superuser_who_may_use_the_admin_site(demo):
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff


def test_each_demo_account_holds_the_seat_the_readme_describes(demo):
    for username, (role, body) in SEATS.items():
        seat = Membership.objects.get(user__username=username, valid_to=None)
        assert seat.role == role, username
        assert (seat.committee or seat.agency or seat.council).code == body, username
        assert seat.council.code == "can-tho", username
        assert seat.valid_from in (date(2025, 3, 1), date(2025, 7, 1)), username
        ended = Membership.objects.filter(user__username=username).exclude(valid_to=None)
        assert all(old.council.code == "hau-giang" for old in ended), username


def test_the_2024_history_of_hau_giang_goes_on_in_can_tho(demo):
    hau_giang, can_tho = Council.objects.get(code="hau-giang"), Council.objects.get(code="can-tho")
    assert hau_giang.successor == can_tho and hau_giang.valid_to == date(2025, 6, 30)
    of_2024 = Case.objects.filter(notice__council=hau_giang)
    assert of_2024.filter(state=CaseState.CLOSED).exists()
    assert not of_2024.filter(council=hau_giang).exclude(state=CaseState.CLOSED).exists()
    for case in of_2024.exclude(state=CaseState.CLOSED):
        assert case.council == can_tho and case.agency.council == can_tho, case.pk
        transfers = case.events.filter(kind=EventKind.TRANSFERRED)
        assert {e.data["on"] for e in transfers} <= {"2025-03-01", "2025-07-01"}
        assert {e.created_at.date() for e in transfers} <= {date(2025, 3, 1), date(2025, 7, 1)}
    for case in of_2024.filter(state=CaseState.CLOSED):
        assert case.council == hau_giang and not case.events.filter(kind="case.transferred")
    assert Succession.objects.count() == 13


def test_can_tho_has_ward_and_commune_councils_with_cases_of_their_own(demo):
    communes = Council.objects.filter(parent__code="can-tho", level=Council.Level.COMMUNE)
    assert communes.count() == 3
    assert Case.objects.filter(council__in=communes).count() >= 5


def test_cases_are_in_every_state_and_closed_with_every_outcome(demo):
    assert set(Case.objects.values_list("state", flat=True)) == set(CaseState.values)
    outcomes = Case.objects.filter(state=CaseState.CLOSED).values_list("outcome", flat=True)
    assert set(outcomes) == set(Outcome.values)


def test_one_case_was_sent_back_and_one_reopened_and_both_are_being_worked_on_again(demo):
    for kind in ("case.returned", "case.reopened"):
        case = Case.objects.get(events__kind=kind)
        moves = case.events.exclude(from_state=F("to_state")).order_by("created_at", "id")
        assert moves.last().kind == kind
        assert case.state == CaseState.IN_PROGRESS


def test_one_extension_awaits_a_decision_and_one_moved_its_deadline(demo):
    pending = Extension.objects.get(status=Extension.Status.PENDING)
    assert pending.case.extension_pending
    assert pending.case.deadline == pending.deadline_at_request
    approved = Extension.objects.get(status=Extension.Status.APPROVED)
    case = approved.case
    assert case.deadline == approved.approved_until > case.original_deadline
    assert approved.requested_at < approved.decided_at < timezone.now()


def test_deadlines_come_from_dates_quarters_working_days_and_a_sitting(demo):
    rules = set(Case.objects.values_list("deadline_explanation__rule", flat=True))
    assert {"date", "quarter_end", "working_days", "before_sitting"} <= rules


def test_some_open_cases_are_overdue_and_others_are_due_soon(demo):
    today = timezone.localdate()
    still_open = Case.objects.exclude(state=CaseState.CLOSED)
    past_deadline = still_open.filter(deadline__lt=today)
    due_soon = still_open.filter(deadline__gte=today)
    # A report waiting for the committee is on the committee's clock, not the agency's.
    waiting_on_agencies = past_deadline.exclude(state=CaseState.REPORTED)
    assert waiting_on_agencies.count() >= 3
    assert all(case.is_overdue for case in waiting_on_agencies)
    assert not any(case.is_overdue for case in past_deadline.filter(state=CaseState.REPORTED))
    assert due_soon.exists()
    assert not any(case.is_overdue for case in due_soon)
    assert all(case.escalation_level > 0 for case in waiting_on_agencies)


def test_so_ldtbxh_now_of_noi_vu_waits_on_exactly_one_assigned_ii_1_a_owned_by_ban_vhxh(demo):
    officer = User.objects.get(username="so_ldtbxh")
    [case] = cases_awaiting(officer).filter(recommendation__anchor="II.1.a")
    assert (case.state, case.committee.code, case.agency.code) == (
        "assigned",
        "ct-ban-vhxh",
        "ct-so-nv",
    )
    assert not case.is_overdue


def test_the_browser_story_runs_on_the_demo_from_assigned_to_closed(demo):
    officer = User.objects.get(username="so_ldtbxh")
    case = cases_awaiting(officer).get(recommendation__anchor="II.1.a")
    case_transition(case=case, actor=officer, action="start")
    report = ReportInput(text="Đã tổ chức 03 phiên giao dịch việc làm lưu động.")
    case_transition(case=case, actor=officer, action="report", report=report)
    committee = User.objects.get(username="ban_vhxh")
    case_transition(case=case, actor=committee, action="close", outcome=Outcome.IMPLEMENTED)
    case.refresh_from_db()
    assert (case.state, case.outcome) == ("closed", "implemented")


def test_each_case_timeline_is_one_unbroken_chain_from_its_opening(demo):
    now = timezone.now()
    for case in Case.objects.select_related("notice"):
        events = list(case.events.order_by("created_at", "id"))
        assert (events[0].kind, events[0].from_state, events[0].to_state) == (
            "case.opened",
            "",
            CaseState.ASSIGNED,
        )
        for before, after in pairwise(events):
            assert after.from_state == before.to_state, f"case {case.pk}: {after.kind}"
        assert events[-1].to_state == case.state
        assert events[0].created_at.date() == case.notice.issue_date == case.opened_at.date()
        assert all(event.created_at < now for event in events)


def test_every_event_of_a_closed_case_precedes_its_closing(demo):
    for case in Case.objects.filter(state=CaseState.CLOSED):
        last = case.events.order_by("created_at", "id").last()
        assert (last.kind, last.created_at) == ("case.closed", case.closed_at)


def test_the_ward_council_reports_to_its_province_with_commune_committees(demo):
    ward = Council.objects.get(code="duc-pho")
    assert ward.level == Council.Level.COMMUNE
    assert ward.parent.level == Council.Level.PROVINCE
    assert set(ward.committees.values_list("kind", flat=True)) == {"economy_society", "legal"}
    assert ward.agencies.filter(kind="commune_office").exists()
    assert Case.objects.filter(council=ward).exists()


def test_only_the_escalation_sweep_writes_events_without_an_actor(demo):
    without_actor = CaseEvent.objects.filter(actor__isnull=True)
    # The sweep climbs the ladder and drafts the letters its rungs call for.
    kinds = {"case.escalated", "case.letter_drafted"}
    assert set(without_actor.values_list("kind", flat=True)) == kinds


def test_the_city_addressed_every_commune_peoples_committee_one_case_each(demo):
    cases = Case.objects.filter(notice__number="61/TB-HĐND", council__code="can-tho")
    assert sorted(cases.values_list("agency__code", flat=True)) == [
        "ubnd-ninh-kieu",
        "ubnd-vi-thanh",
        "ubnd-vi-thuy",
    ]
    officer = User.objects.get(username="ubnd_vithanh")
    assert [c.agency.code for c in cases_awaiting(officer)] == ["ubnd-vi-thanh"] * 2


def test_the_register_gives_a_report_d_like_seed_004_and_the_programme_a_report_e(demo):
    from resolutions.figures import question_figures, resolution_figures
    from resolutions.models import HotlineQuestion, Resolution

    today = timezone.localdate()
    figures = resolution_figures(Resolution.objects.all(), Case.objects.all(), today)
    assert figures["in_force"] == 35
    assert figures["effect"] == {"concrete": 33, "unclear": 1, "none": 1, "not_evaluated": 0}
    assert len(figures["lacking_documents"]) == 35  # no implementing document closed yet
    questions = question_figures(HotlineQuestion.objects.all(), today)["totals"]
    assert questions == {
        "received": 5,
        "answered_live": 2,
        "forwarded": 3,
        "answered_later": 1,
        "still_open": 2,
        "waiting": 0,
    }
    task = Case.objects.get(agency__code="hdnd-ban-vhxh")
    assert (task.state, task.outcome) == (CaseState.CLOSED, Outcome.IMPLEMENTED)
    assert authenticate(username="cv_vhxh", password="demo") is not None


def test_the_demo_petitions_hold_answers_repeats_and_a_verdict_not_accepted(demo):
    from petitions.models import Competence, Petition, PetitionRound
    from petitions.selectors import times_raised

    rounds = list(PetitionRound.objects.order_by("opened_on"))
    assert [(r.council.code, r.opened_on.year) for r in rounds] == [
        ("hau-giang", 2024),
        ("hau-giang", 2025),
        ("can-tho", 2025),
    ]
    petitions = list(Petition.objects.select_related("round"))
    repeats = [p for p in petitions if p.repeat_of_id]
    assert len(repeats) == 2 and set(times_raised(repeats).values()) == {2}
    assert [p.accepted for p in petitions if p.accepted is not None] == [False, True] or [
        p.accepted for p in petitions if p.accepted is not None
    ] == [True, False]
    closed = Case.objects.filter(notice__petition_round__in=rounds, state=CaseState.CLOSED)
    assert {c.outcome for c in closed} == {"roadmap", "implemented", "explained", "partially"}
    assert {p.competence for p in petitions if p.forwarded_to} == {
        Competence.CENTRAL,
        Competence.COMMUNE,
    }
    # Cần Thơ's commune petitions: phường Vị Thanh's own council has one to grade, xã Vĩnh
    # Tường (not on Đôn đốc) is recorded as forwarded with the reason.
    sent = [p for p in petitions if p.sent_to_commune]
    assert [p.commune_council.code for p in sent] == ["vi-thanh"]
    case = Case.objects.get(recommendation_id=sent[0].recommendation_id)
    assert (case.council.code, case.agency.code, case.committee.code, case.state) == (
        "vi-thanh",
        "ubnd-vi-thanh",
        "vi-thanh-ban-ktxh",
        CaseState.REPORTED,
    )
    assert [p.forward_reason for p in petitions if p.locality == "xã Vĩnh Tường"] == ["no_council"]


def test_can_tho_holds_a_briefing_round_where_vi_thanh_reported_and_ninh_kieu_is_late(demo):
    today = timezone.localdate()
    current = BriefingRound.objects.filter(
        schedule__council__code="can-tho", due_on__lt=today
    ).latest("due_on")
    standing = {row.report.council.code: row.standing for row in round_rows(current, today)}
    assert standing["vi-thanh"] == Standing.ON_TIME
    assert standing["ninh-kieu"] == Standing.OVERDUE
    assert standing["vi-thuy"] == Standing.LATE
    assert _load()  # loading again sends nothing twice
    assert BriefingRound.objects.filter(schedule__council__code="can-tho").count() == 2
