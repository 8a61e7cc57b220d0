"""The ladder drafts its letters (workflow/letters.py numbers and sends them).

When a sweep batch logs a case reaching a rung that is a letter (the committee's urging letter,
the Standing Committee's letter to the People's Committee chair), the case joins the open draft
of that kind for its agency and committee, or starts one: one letter lists all of them. It runs
in the batch's own transaction, on the rows the batch holds, so a letter item is written
exactly when its escalation event is (and a unique (case, cycle, kind) keeps it so)."""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from conclusions.models import Agency
from workflow.models import Case, CaseEvent, EscalationStep, EventKind, LetterItem, UrgingLetter

Act = EscalationStep.Action
LETTER_KINDS = {
    Act.URGING_LETTER: UrgingLetter.Kind.COMMITTEE,
    Act.STANDING_LETTER: UrgingLetter.Kind.STANDING,
}


def letters_draft(reached: Iterable[tuple[int, str]], now: datetime.datetime) -> int:
    """Put each (case id, rung action) that is a letter into its open draft; returns how many
    cases joined a letter."""
    wanted = {
        case_id: LETTER_KINDS[action] for case_id, action in reached if action in LETTER_KINDS
    }
    if not wanted:
        return 0
    # A council body's own task is urged by the rung's notices alone: no committee writes to
    # itself and no letter goes to the People's Committee chair about the council's own work.
    rows = (
        Case.objects.filter(pk__in=list(wanted))
        .exclude(agency__kind=Agency.Kind.COUNCIL_BODY)
        .values_list(
            "pk",
            "council_id",
            "committee_id",
            "agency_id",
            "ladder_cycle",
            "state",
            "recommendation__accountable_id",
            "agency__parent_id",
        )
    )
    already = set(
        LetterItem.objects.filter(case_id__in=list(wanted)).values_list("case_id", "cycle", "kind")
    )
    groups: dict[tuple, list[tuple]] = defaultdict(list)
    for pk, council, committee, agency, cycle, state, accountable, parent in rows:
        if (pk, cycle, wanted[pk]) not in already:
            groups[(council, committee, agency, wanted[pk])].append(
                (pk, cycle, state, accountable or parent)
            )
    items, events = [], []
    for (council, committee, agency, kind), cases in groups.items():
        letter, _created = UrgingLetter.objects.get_or_create(
            committee_id=committee,
            agency_id=agency,
            kind=kind,
            status=UrgingLetter.Status.DRAFT,
            defaults={"council_id": council, "addressee_id": cases[0][3], "drafted_at": now},
        )
        for pk, cycle, state, _addressee in cases:
            items.append(LetterItem(letter=letter, case_id=pk, kind=kind, cycle=cycle))
            events.append(_drafted(pk, state, letter, now))
    LetterItem.objects.bulk_create(items, ignore_conflicts=True)
    CaseEvent.objects.bulk_create(events)
    return len(items)


def _drafted(case_id: int, state: str, letter: UrgingLetter, now) -> CaseEvent:
    return CaseEvent(
        case_id=case_id,
        kind=EventKind.LETTER_DRAFTED,
        created_at=now,
        from_state=state,
        to_state=state,
        data={"letter_id": letter.pk, "kind": letter.kind},
    )
