"""Voter petitions on the case engine: a round opens its carrier notice; routing a province
petition opens one case per lead agency; central and commune ones are forwarded; the committee
grades the answer with the petition outcomes (closing the case); the voters' verdict follows."""

import datetime

import pytest

from conclusions.models import SourceKind
from petitions.models import Petition
from petitions.outcomes import CASE_OUTCOME, PetitionOutcome
from petitions.selectors import petitions_visible_to
from petitions.services import petition_grade, petition_route, petition_verdict, round_open
from tests.helpers import committed
from tests.petition_world import LATER, build_rounds, enter
from workflow.errors import CaseConflict, CaseForbidden, CaseInvalid, CaseNotFound
from workflow.models import Case, CaseState, EventKind, Outcome
from workflow.services import ReportInput, case_transition

pytestmark = pytest.mark.django_db(transaction=True)

ROAD = "Đề nghị sửa chữa tuyến đường giao thông nông thôn ấp 3 xã Vị Thanh."


@pytest.fixture
def rounds(world):
    return build_rounds(world)


def _answered(w, petition: Petition) -> Case:
    case = Case.objects.get(recommendation=petition.recommendation, agency=w.tc)
    with committed():
        case_transition(case=case, actor=w.so_tc, action="start")
        case_transition(
            case=case, actor=w.so_tc, action="report", report=ReportInput(text="Đã bố trí vốn.")
        )
    return Case.objects.get(pk=case.pk)


def test_a_round_issues_its_carrier_notice_numbered_in_its_year(world, rounds):
    notice = rounds.second.notice
    assert notice.source_kind == SourceKind.VOTER_PETITIONS
    assert notice.status == notice.Status.ISSUED and notice.number == "1/KNCT-HĐND"
    assert notice.issue_date == LATER and "Kỳ họp thứ 7" in notice.title
    assert rounds.first.meetings.get().deputies_group == "Tổ đại biểu số 1"


def test_routing_opens_one_case_per_lead_agency_followed_by_the_petitions_committee(world, rounds):
    petition = enter(world, rounds.second, ROAD).petition
    cases = petition_route(
        petition=petition,
        actor=world.vanphong,
        lead_agency_codes=["so-tc", "so-ldtbxh"],
        coordinating_agency_codes=["so-khdt"],
    )
    assert sorted(c.agency.code for c in cases) == ["so-ldtbxh", "so-tc"]
    petition.refresh_from_db()
    recommendation = petition.recommendation
    assert recommendation.notice == rounds.second.notice and recommendation.anchor == "KN.1"
    for case in Case.objects.filter(recommendation=recommendation):
        assert case.committee == world.ktns and case.state == CaseState.ASSIGNED
        assert case.deadline == LATER + datetime.timedelta(days=30)  # 02/12/2026, a Wednesday
        assert case.accountable == world.ubnd
        assert list(case.coordinating_agencies.values_list("code", flat=True)) == ["so-khdt"]
        assert case.events.get().kind == EventKind.OPENED
    with pytest.raises(CaseConflict):
        petition_route(petition=petition, actor=world.vanphong, lead_agency_codes=["so-tc"])


def test_routing_is_refused_in_order_404_403_400_and_writes_nothing(world, rounds):
    petition = enter(world, rounds.second, ROAD).petition
    with pytest.raises(CaseNotFound):
        petition_route(petition=petition, actor=world.so_tc, lead_agency_codes=["so-tc"])
    with pytest.raises(CaseForbidden):
        petition_route(petition=petition, actor=world.ban_ktns, lead_agency_codes=["so-tc"])
    with pytest.raises(CaseInvalid):
        petition_route(petition=petition, actor=world.vanphong, lead_agency_codes=["nope"])
    with pytest.raises(CaseInvalid):
        petition_route(
            petition=petition,
            actor=world.vanphong,
            lead_agency_codes=["so-tc"],
            coordinating_agency_codes=["so-tc"],
        )
    petition.refresh_from_db()
    assert petition.recommendation is None
    assert not rounds.second.notice.recommendations.exists()


def test_central_and_commune_petitions_are_recorded_as_forwarded_without_a_case(world, rounds):
    central = enter(world, rounds.second, "Đề nghị sửa đổi Luật Đất đai.", competence="central")
    commune = enter(world, rounds.second, "Đề nghị nạo vét kênh nội đồng.", competence="commune")
    assert central.petition.forwarded_to == "Đoàn đại biểu Quốc hội tỉnh"
    assert commune.petition.forwarded_to == "HĐND, UBND xã Vị Thanh"
    with pytest.raises(CaseConflict):
        petition_route(petition=central.petition, actor=world.vanphong, lead_agency_codes=["so-tc"])
    assert not Case.objects.filter(notice=rounds.second.notice).exists()


def test_entering_is_for_the_office_and_the_standing_committee(world, rounds):
    with pytest.raises(CaseForbidden):
        enter(world, rounds.second, ROAD, actor=world.ban_ktns)
    with pytest.raises(CaseForbidden):
        enter(world, rounds.second, ROAD, actor=world.other_thuongtruc)
    with pytest.raises(CaseInvalid):
        enter(world, rounds.second, "   ")
    with pytest.raises(CaseInvalid):
        enter(world, rounds.second, ROAD, competence="district")
    with pytest.raises(CaseInvalid):
        enter(world, rounds.second, "Kênh", competence="central", lead=["so-tc"])
    assert not Petition.objects.exists()


def test_a_round_needs_one_answer_rule(world):
    for rule in ({}, {"date": None}, {"working_days": 5, "calendar_days": 5}, {"months": 2}):
        with pytest.raises(CaseInvalid):
            round_open(
                council=world.council, sitting_name="K7", answer_deadline=rule, actor=world.vanphong
            )
    with pytest.raises(CaseInvalid):
        round_open(
            council=world.council,
            sitting_name="K7",
            answer_deadline={"date": datetime.date(2020, 1, 1)},
            actor=world.vanphong,
        )
    with pytest.raises(CaseForbidden):
        round_open(
            council=world.council,
            sitting_name="K7",
            answer_deadline={"working_days": 20},
            actor=world.so_tc,
        )


@pytest.mark.parametrize("outcome", PetitionOutcome.values)
def test_the_committee_grades_an_answer_with_each_petition_outcome(world, rounds, outcome):
    petition = enter(world, rounds.second, ROAD, lead=["so-tc"]).petition
    case = _answered(world, petition)
    closed = petition_grade(
        petition=petition, case=case, actor=world.ban_ktns, outcome=outcome, note="Đã xem xét."
    )
    assert closed.state == CaseState.CLOSED
    assert closed.outcome == CASE_OUTCOME[outcome]
    assert closed.events.filter(kind=EventKind.CLOSED, data__outcome=closed.outcome).exists()


def test_grading_follows_the_case_rules(world, rounds):
    petition = enter(world, rounds.second, ROAD, lead=["so-tc"]).petition
    case = Case.objects.get(recommendation=petition.recommendation)
    with pytest.raises(CaseConflict):  # nothing reported yet
        petition_grade(petition=petition, case=case, actor=world.ban_ktns, outcome="resolved")
    case = _answered(world, petition)
    with pytest.raises(CaseForbidden):  # the department does not grade itself
        petition_grade(petition=petition, case=case, actor=world.so_tc, outcome="resolved")
    with pytest.raises(CaseInvalid):
        petition_grade(petition=petition, case=case, actor=world.ban_ktns, outcome="implemented")
    with pytest.raises(CaseNotFound):  # a case of another notice
        petition_grade(petition=petition, case=world.case, actor=world.ban_ktns, outcome="resolved")
    assert Case.objects.get(pk=case.pk).state == CaseState.REPORTED


def test_the_voters_verdict_is_recorded_once_the_petition_is_answered(world, rounds):
    petition = enter(world, rounds.second, ROAD, lead=["so-tc"]).petition
    with pytest.raises(CaseConflict):
        petition_verdict(petition=petition, actor=world.vanphong, accepted=True)
    _answered(world, petition)
    with pytest.raises(CaseNotFound):
        petition_verdict(petition=petition, actor=world.so_khdt, accepted=True)
    with pytest.raises(CaseForbidden):
        petition_verdict(petition=petition, actor=world.so_tc, accepted=True)
    with pytest.raises(CaseInvalid):
        petition_verdict(petition=petition, actor=world.ban_ktns, accepted=False, note=" ")
    petition_verdict(
        petition=petition, actor=world.ban_ktns, accepted=False, note="Đường vẫn chưa sửa."
    )
    petition.refresh_from_db()
    assert petition.accepted is False and petition.verdict_note == "Đường vẫn chưa sửa."
    assert petition.verdict_by == world.ban_ktns


def test_who_sees_a_petition_follows_who_sees_its_cases(world, rounds):
    road = enter(world, rounds.second, ROAD, lead=["so-tc"]).petition
    school = enter(world, rounds.second, "Sửa phòng học.", committee=world.vhxh).petition
    assert set(petitions_visible_to(world.vanphong)) == {road, school}
    assert set(petitions_visible_to(world.thuongtruc)) == {road, school}
    assert set(petitions_visible_to(world.ban_ktns)) == {road}
    assert set(petitions_visible_to(world.ban_vhxh)) == {school}
    assert set(petitions_visible_to(world.so_tc)) == {road}
    assert not petitions_visible_to(world.so_ldtbxh).exists()
    assert not petitions_visible_to(world.outsider).exists()
    assert not petitions_visible_to(world.other_thuongtruc).exists()
    assert CASE_OUTCOME[PetitionOutcome.RESOLVED] == Outcome.IMPLEMENTED


def test_an_answered_petition_waits_in_the_inbox_for_the_voters_verdict(world, rounds):
    from workflow.work import work_of

    petition = enter(world, rounds.second, ROAD, lead=["so-tc"]).petition
    case = _answered(world, petition)

    def waiting(user):
        rows = work_of(user, today=LATER).items
        return [row.id for row in rows if row.source == "petition.verdict"]

    assert waiting(world.vanphong) == []
    petition_grade(petition=petition, case=case, actor=world.ban_ktns, outcome="roadmap")
    assert waiting(world.vanphong) == [petition.pk] and waiting(world.ban_ktns) == [petition.pk]
    assert waiting(world.so_tc) == [] and waiting(world.ban_vhxh) == []
    petition_verdict(petition=petition, actor=world.vanphong, accepted=True)
    assert waiting(world.vanphong) == []
