"""The ladder drafts its letters (workflow/letters.py numbers and sends them).

When a sweep batch logs a case reaching a rung that is a letter (the committee's urging letter,
the Standing Committee's letter to the People's Committee chair), the case joins the open draft
of that kind for its agency and committee, or starts one: one letter lists all of them. It runs
in the batch's own transaction, on the rows the batch holds, so a letter item is written
exactly when its escalation event is (and a unique (case, cycle, kind) keeps it so)."""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection

from conclusions.models import Agency
from workflow.models import Case, CaseEvent, EscalationStep, EventKind, LetterItem, UrgingLetter

Act = EscalationStep.Action
LETTER_KINDS = {
    Act.URGING_LETTER: UrgingLetter.Kind.COMMITTEE,
    Act.STANDING_LETTER: UrgingLetter.Kind.STANDING,
}


# On PostgreSQL the cases are read, and their items and events written, in one statement
# each, whatever their number; the ORM twins below serve SQLite.
_LETTER_CASES_SQL = """
SELECT c.id, c.council_id, c.committee_id, c.agency_id, c.ladder_cycle, c.state, w.kind,
       coalesce(r.accountable_id, a.parent_id)
FROM unnest(%(cases)s::bigint[], %(kinds)s::text[]) AS w(case_id, kind)
JOIN workflow_case c ON c.id = w.case_id
JOIN conclusions_agency a ON a.id = c.agency_id
JOIN conclusions_recommendation r ON r.id = c.recommendation_id
WHERE a.kind <> %(council_body)s
  AND NOT EXISTS (SELECT FROM workflow_letteritem i
                  WHERE i.case_id = c.id AND i.cycle = c.ladder_cycle AND i.kind = w.kind)
ORDER BY c.deadline, c.id
"""
_JOIN_SQL = """
WITH item AS (
    INSERT INTO workflow_letteritem (letter_id, case_id, kind, cycle)
    SELECT * FROM unnest(%(letters)s::bigint[], %(cases)s::bigint[], %(kinds)s::text[],
                         %(cycles)s::int[])
    ON CONFLICT DO NOTHING
    RETURNING letter_id, case_id, kind
)
INSERT INTO workflow_caseevent (case_id, kind, created_at, from_state, to_state, note, data)
SELECT item.case_id, %(drafted)s, %(now)s, s.state, s.state, '',
       jsonb_build_object('letter_id', item.letter_id, 'kind', item.kind)
FROM item JOIN unnest(%(cases)s::bigint[], %(states)s::text[]) AS s(case_id, state)
     USING (case_id)
"""


def letters_draft(reached: Iterable[tuple[int, str]], now: datetime.datetime) -> int:
    """Put each (case id, rung action) that is a letter into its open draft; returns how many
    cases joined a letter."""
    wanted = {
        case_id: LETTER_KINDS[action] for case_id, action in reached if action in LETTER_KINDS
    }
    if not wanted:
        return 0
    groups: dict[tuple, list[tuple]] = defaultdict(list)
    for pk, council, committee, agency, cycle, state, kind, addressee in _letter_cases(wanted):
        groups[(council, committee, agency, kind)].append((pk, cycle, state, addressee))
    letters = _open_drafts(groups, now)
    joining = [
        (letters[(committee, agency, kind)], kind, pk, cycle, state)
        for (_council, committee, agency, kind), cases in groups.items()
        for pk, cycle, state, _addressee in cases
    ]
    return _join(joining, now)


def _letter_cases(wanted: dict[int, str]) -> list[tuple]:
    """(case, council, committee, agency, cycle, state, kind, addressee) of each wanted case
    not yet in a letter of its kind this cycle, by deadline. A council body's own task is
    urged by the rung's notices alone: no committee writes to itself and no letter goes to
    the People's Committee chair about the council's own work."""
    if connection.vendor == "postgresql":
        params = {
            "cases": list(wanted),
            "kinds": list(wanted.values()),
            "council_body": Agency.Kind.COUNCIL_BODY,
        }
        with connection.cursor() as cursor:
            cursor.execute(_LETTER_CASES_SQL, params)
            return cursor.fetchall()
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
    return [
        (pk, council, committee, agency, cycle, state, wanted[pk], accountable or parent)
        for pk, council, committee, agency, cycle, state, accountable, parent in rows
        if (pk, cycle, wanted[pk]) not in already
    ]


def _join(joining: list[tuple], now) -> int:
    """Each (letter id, kind, case, cycle, state) becomes an item of the letter, and the case's
    event that it did."""
    if not joining:
        return 0
    if connection.vendor == "postgresql":
        letters, kinds, cases, cycles, states = zip(*joining, strict=True)
        params = {
            "letters": list(letters),
            "kinds": list(kinds),
            "cases": list(cases),
            "cycles": list(cycles),
            "states": list(states),
            "drafted": EventKind.LETTER_DRAFTED,
            "now": now,
        }
        with connection.cursor() as cursor:
            cursor.execute(_JOIN_SQL, params)
            return cursor.rowcount
    LetterItem.objects.bulk_create(
        [
            LetterItem(letter_id=letter, case_id=pk, kind=kind, cycle=cycle)
            for letter, kind, pk, cycle, _ in joining
        ],
        ignore_conflicts=True,
    )
    CaseEvent.objects.bulk_create(
        [_drafted(pk, state, letter, kind, now) for letter, kind, pk, _cycle, state in joining]
    )
    return len(joining)


def _open_drafts(groups: dict[tuple, list[tuple]], now) -> dict[tuple, int]:
    """The open draft's id of each (committee, agency, kind) of `groups`, started where there is
    none (addressed to the People's Committee of the group's first case); one read, one
    insert and one more read, whatever the number of letters."""
    letters = _drafts_of(groups)
    UrgingLetter.objects.bulk_create(
        [
            UrgingLetter(
                council_id=council,
                committee_id=committee,
                agency_id=agency,
                kind=kind,
                addressee_id=cases[0][3],
                drafted_at=now,
            )
            for (council, committee, agency, kind), cases in groups.items()
            if (committee, agency, kind) not in letters
        ],
        ignore_conflicts=True,  # another sweep started it meanwhile: its draft is read below
    )
    return letters if len(letters) == len(groups) else _drafts_of(groups)


def _drafts_of(groups) -> dict[tuple, int]:
    keys = {(committee, agency, kind) for _council, committee, agency, kind in groups}
    drafts = UrgingLetter.objects.filter(
        status=UrgingLetter.Status.DRAFT,
        committee_id__in={key[0] for key in keys},
        agency_id__in={key[1] for key in keys},
        kind__in={key[2] for key in keys},
    ).values_list("committee_id", "agency_id", "kind", "pk")
    found = {(committee, agency, kind): pk for committee, agency, kind, pk in drafts}
    return {key: pk for key, pk in found.items() if key in keys}


def _drafted(case_id: int, state: str, letter_id: int, kind: str, now) -> CaseEvent:
    return CaseEvent(
        case_id=case_id,
        kind=EventKind.LETTER_DRAFTED,
        created_at=now,
        from_state=state,
        to_state=state,
        data={"letter_id": letter_id, "kind": kind},
    )
