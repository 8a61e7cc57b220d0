"""Extensions: requested by the lead agency, decided by the Standing Committee (or the
committee where delegated); a timely request holds the overdue rungs until decided."""

import datetime

import pytest
from django.utils import timezone

from reports.queries import dashboard_figures
from tests.helpers import case_of, due_in
from tests.world import TODAY
from workflow.calendar import Deadline, explain
from workflow.errors import CaseConflict, CaseForbidden, CaseInvalid, CaseNotFound
from workflow.escalation import escalate_due
from workflow.extensions import extension_decide, extension_request
from workflow.models import Case, Extension, Outcome
from workflow.selectors import cases_visible_to, pending_extensions_of
from workflow.services import ReportInput, case_transition

DAY = datetime.timedelta(days=1)


def _request(w, until=None, actor="so_ldtbxh", reason="Chờ bố trí kinh phí năm 2027."):
    case = case_of(w)
    return extension_request(
        case=case,
        actor=getattr(w, actor),
        requested_until=until or case.deadline + 60 * DAY,
        reason=reason,
        letter_number="310/SLĐTBXH",
    )


def _decide(w, extension, approve=True, actor="thuongtruc", **kwargs):
    return extension_decide(extension=extension, actor=getattr(w, actor), approve=approve, **kwargs)


def test_a_timely_request_holds_the_overdue_rungs_until_decided(world):
    case = due_in(world, 20)
    extension = _request(world)
    case = case_of(world)
    assert (extension.status, extension.deadline_at_request) == ("pending", case.deadline)
    assert case.extension_pending
    escalate_due(timezone.now() + 100 * DAY)
    assert case_of(world).escalation_level == 3  # reminders only, no due or overdue rung
    assert case.events.filter(kind="case.extension_requested").count() == 1


def test_an_approved_extension_moves_the_deadline_and_restarts_the_ladder(world):
    due_in(world, 20)
    escalate_due(timezone.now() + 25 * DAY)
    original = case_of(world).original_deadline
    extension = _request(world, until=datetime.date(2027, 3, 27))  # a Saturday
    _decide(world, extension, note="Đồng ý gia hạn")
    case = case_of(world)
    assert case.deadline == datetime.date(2027, 3, 29)  # moved to the next working day
    assert case.original_deadline == original
    assert (case.escalation_level, case.ladder_cycle, case.extension_pending) == (0, 1, False)
    assert not case.extension_undecided
    assert case.deadline_explanation["extension_id"] == extension.pk
    assert "gia hạn theo quyết định" in explain(Deadline.from_json(case.deadline_explanation))
    assert Extension.objects.get().approved_until == datetime.date(2027, 3, 29)
    assert case.extensions.filter(status="approved").count() == 1
    assert case.events.filter(kind="case.extension_approved").count() == 1


def test_the_standing_committee_may_approve_another_date(world):
    due_in(world, 20)
    extension = _request(world)
    _decide(world, extension, approved_until=TODAY + 30 * DAY)
    assert case_of(world).deadline >= TODAY + 30 * DAY


def test_a_rejected_extension_releases_the_hold(world):
    due_in(world, 5)
    extension = _request(world)
    _decide(world, extension, approve=False, note="Không đủ căn cứ")
    case = case_of(world)
    assert (case.extension_pending, case.deadline) == (False, TODAY + 5 * DAY)
    assert not case.extension_undecided
    escalate_due(timezone.now() + 10 * DAY)  # past the first working day after the deadline
    assert case_of(world).escalation_level == 5
    assert Extension.objects.get().status == "rejected"


def test_a_late_request_does_not_hold_the_ladder(world):
    due_in(world, -3)
    _request(world)
    case = case_of(world)
    assert (case.extension_pending, case.extension_undecided) == (False, True)
    assert Extension.objects.get().status == "pending"


def test_a_late_request_is_still_counted_and_listed_as_waiting_for_a_decision(world):
    """The dashboard counts and lists a request from the case's own flag: a late request,
    which does not hold the ladder, waits for a decision all the same, until decided."""
    due_in(world, -3)
    extension = _request(world)
    cases = cases_visible_to(world.thuongtruc)
    figures = dashboard_figures(cases, TODAY)
    assert (figures.totals.extension_pending, figures.totals.decision) == (1, 1)
    assert list(pending_extensions_of(cases)) == [extension]
    _decide(world, extension, approve=False)
    figures = dashboard_figures(cases, TODAY)
    assert (figures.totals.extension_pending, figures.totals.decision) == (0, 0)
    assert not pending_extensions_of(cases).exists()


def test_a_coordinating_agency_cannot_request_and_another_agency_cannot_see(world):
    due_in(world, 20)
    with pytest.raises(CaseForbidden):
        _request(world, actor="so_khdt")
    with pytest.raises(CaseNotFound):
        _request(world, actor="so_tc")
    assert not Extension.objects.exists()


@pytest.mark.parametrize("actor", ["ban_vhxh", "so_ldtbxh", "so_khdt"])
def test_only_the_standing_committee_decides_unless_it_delegates(world, actor):
    due_in(world, 20)
    extension = _request(world)
    with pytest.raises(CaseForbidden):
        _decide(world, extension, actor=actor)
    assert Extension.objects.get().status == "pending"


def test_a_delegated_committee_decides(world):
    world.council.committee_decides_extensions = True
    world.council.save()
    due_in(world, 20)
    extension = _request(world)
    _decide(world, extension, actor="ban_vhxh")
    assert Extension.objects.get().decided_by == world.ban_vhxh
    with pytest.raises(CaseNotFound):  # another committee does not even see the case
        _decide(world, _request(world), actor="ban_ktns")


def test_bad_requests_are_refused_and_write_nothing(world):
    case = due_in(world, 20)
    with pytest.raises(CaseInvalid):
        _request(world, until=case.deadline)
    with pytest.raises(CaseInvalid):
        _request(world, reason="  ")
    assert not Extension.objects.exists()
    assert not case_of(world).extension_pending
    _request(world)
    with pytest.raises(CaseConflict):
        _request(world)
    assert Extension.objects.count() == 1


def test_a_decision_is_made_once_and_an_earlier_date_is_refused(world):
    due_in(world, 20)
    extension = _request(world)
    with pytest.raises(CaseInvalid):
        _decide(world, extension, approved_until=TODAY)
    assert Extension.objects.get().status == "pending"
    _decide(world, extension, approve=False)
    with pytest.raises(CaseConflict):
        _decide(world, extension)


def test_a_closed_or_ongoing_case_cannot_be_extended(world):
    Case.objects.filter(pk=world.case.pk).update(deadline=None)
    with pytest.raises(CaseInvalid):
        _request(world, until=TODAY + 10 * DAY)
    due_in(world, 20)
    for actor, action, extra in [
        ("so_ldtbxh", "start", {}),
        ("so_ldtbxh", "report", {"report": ReportInput(text="x")}),
        ("ban_vhxh", "close", {"outcome": Outcome.IMPLEMENTED}),
    ]:
        case_transition(case=case_of(world), actor=getattr(world, actor), action=action, **extra)
    with pytest.raises(CaseConflict):
        _request(world)
