"""A lost race is a conflict, never a lost update: nothing duplicated, nothing lost."""

import threading

import pytest
from django.db import connection

from tests.helpers import start_and_report
from tests.world import build_world
from workflow.errors import CaseConflict
from workflow.models import Case, CaseEvent, Outcome
from workflow.services import case_transition


def test_a_case_changed_between_read_and_save_is_a_conflict(world):
    start_and_report(world)
    read_by_committee = Case.objects.get(pk=world.case.pk)
    read_by_colleague = Case.objects.get(pk=world.case.pk)
    case_transition(
        case=read_by_colleague, actor=world.ban_vhxh, action="return", note="Thiếu số liệu."
    )
    with pytest.raises(CaseConflict) as refusal:
        case_transition(
            case=read_by_committee,
            actor=world.ban_vhxh,
            action="close",
            outcome=Outcome.IMPLEMENTED,
        )
    assert "người khác" in refusal.value.messages()["vi"]
    case = Case.objects.get(pk=world.case.pk)
    assert (case.state, case.outcome) == ("in_progress", "")
    assert list(case.events.values_list("kind", flat=True)) == [
        "case.opened",
        "case.started",
        "case.reported",
        "case.returned",
    ]


@pytest.mark.postgres
def test_two_members_closing_at_once_close_it_once(transactional_db):
    w = build_world()
    start_and_report(w)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def close(outcome: str) -> None:
        case = Case.objects.get(pk=w.case.pk)
        barrier.wait()
        try:
            case_transition(case=case, actor=w.ban_vhxh, action="close", outcome=outcome)
            results.append(outcome)
        except CaseConflict:
            results.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=close, args=(o,)) for o in (Outcome.IMPLEMENTED, Outcome.PARTIALLY)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2 and results.count("conflict") == 1
    winner = next(r for r in results if r != "conflict")
    case = Case.objects.get(pk=w.case.pk)
    assert (case.state, case.outcome) == ("closed", winner)
    assert CaseEvent.objects.filter(case=case, kind="case.closed").count() == 1
