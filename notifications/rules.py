"""Who is told about what: an audience per event kind, resolved to users from memberships.

Audience keys are those of the escalation ladder (`workflow.escalation.DEFAULT_LADDER`:
agency_officers, agency_head, committee, office, accountable, accountable_head, standing,
council) plus `coordinating` (officers of the coordinating agencies) and `deciders` (who may
decide an extension). An escalation event is told to the audience of the rung it reached on
its council's ladder. The person who caused an event is never told about it."""

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import translation

from conclusions.models import Membership
from workflow.escalation import DEFAULT_LADDER, Step, ladder_for, step_at
from workflow.models import Audience, Case, CaseEvent, EventKind

logger = logging.getLogger(__name__)

EVENT_AUDIENCES: dict[str, tuple[str, ...]] = {
    EventKind.OPENED: (Audience.AGENCY_OFFICERS, Audience.AGENCY_HEAD, Audience.COORDINATING),
    EventKind.STARTED: (Audience.COMMITTEE,),
    EventKind.REPORTED: (Audience.COMMITTEE,),
    EventKind.RETURNED: (Audience.AGENCY_OFFICERS, Audience.AGENCY_HEAD),
    EventKind.CLOSED: (Audience.AGENCY_OFFICERS, Audience.AGENCY_HEAD, Audience.COORDINATING),
    EventKind.REOPENED: (Audience.AGENCY_OFFICERS, Audience.AGENCY_HEAD, Audience.COMMITTEE),
    EventKind.COMMENTED: (Audience.AGENCY_OFFICERS, Audience.COORDINATING, Audience.COMMITTEE),
    EventKind.EXTENSION_REQUESTED: (Audience.DECIDERS,),
    EventKind.EXTENSION_APPROVED: (
        Audience.AGENCY_OFFICERS,
        Audience.AGENCY_HEAD,
        Audience.COMMITTEE,
    ),
    EventKind.EXTENSION_REJECTED: (
        Audience.AGENCY_OFFICERS,
        Audience.AGENCY_HEAD,
        Audience.COMMITTEE,
    ),
    # The Standing Committee's decision: the agency, its People's Committee, the committee.
    EventKind.DECIDED: (
        Audience.AGENCY_OFFICERS,
        Audience.AGENCY_HEAD,
        Audience.ACCOUNTABLE,
        Audience.ACCOUNTABLE_HEAD,
        Audience.COMMITTEE,
    ),
    # The ladder drafted a letter: the office numbers and sends it. Once sent, the agency is
    # told in the app too.
    EventKind.LETTER_DRAFTED: (Audience.OFFICE,),
    EventKind.LETTER_SENT: (Audience.AGENCY_OFFICERS, Audience.AGENCY_HEAD),
}
# Events nobody is told about, one by one: a notice published on the public page is public
# already, and a succession moves every open case of a merged body at once by an act its
# people know of (a message per case would bury them).
QUIET_KINDS = frozenset({EventKind.PUBLISHED, EventKind.WITHDRAWN, EventKind.TRANSFERRED})
# A rung missing from the council's ladder (changed since the event) still tells someone.
FALLBACK_ESCALATION_AUDIENCE = (Audience.AGENCY_HEAD, Audience.COMMITTEE)


@dataclass(frozen=True)
class EventFacts:
    """What the rules need to know about one event, read for a whole batch at once."""

    id: int
    kind: str
    at: datetime.datetime
    actor_id: int | None
    level: int | None
    council_id: int
    committee_id: int
    agency_id: int
    accountable_id: int | None
    coordinating: frozenset[int]
    committee_decides: bool
    deadline: datetime.date | None = None  # the case's deadline when the event is fanned out
    state: str = ""


def event_facts(event_ids: Iterable[int]) -> list[EventFacts]:
    rows = list(
        CaseEvent.objects.filter(id__in=list(event_ids))
        .order_by("id")
        .values(
            "id",
            "kind",
            "created_at",
            "actor_id",
            "level",
            "case_id",
            "case__council_id",
            "case__committee_id",
            "case__agency_id",
            "case__accountable_id",
            "case__council__committee_decides_extensions",
            "case__deadline",
            "case__state",
        )
    )
    coordinating = defaultdict(set)
    through = Case.coordinating_agencies.through.objects
    for case_id, agency_id in through.filter(case_id__in={r["case_id"] for r in rows}).values_list(
        "case_id", "agency_id"
    ):
        coordinating[case_id].add(agency_id)
    return [
        EventFacts(
            id=r["id"],
            kind=r["kind"],
            at=r["created_at"],
            actor_id=r["actor_id"],
            level=r["level"],
            council_id=r["case__council_id"],
            committee_id=r["case__committee_id"],
            agency_id=r["case__agency_id"],
            accountable_id=r["case__accountable_id"],
            coordinating=frozenset(coordinating[r["case_id"]]),
            committee_decides=r["case__council__committee_decides_extensions"],
            deadline=r["case__deadline"],
            state=r["case__state"],
        )
        for r in rows
    ]


class Ladders:
    """The council ladders an escalation batch needs, each read once."""

    def __init__(self) -> None:
        self._ladders: dict[int, tuple[Step, ...]] = {}

    def _ladder(self, council_id: int) -> tuple[Step, ...]:
        if council_id not in self._ladders:
            self._ladders[council_id] = ladder_for(council_id)
        return self._ladders[council_id]

    def name(self, council_id: int, level: int | None) -> str:
        """The rung's name as written (Vietnamese: the msgid that display translates)."""
        step = step_at(self._ladder(council_id), level) if level else None
        if step is None:
            return ""
        with translation.override("vi"):
            return str(step.name)

    def audience(self, council_id: int, level: int | None) -> tuple[str, ...]:
        for ladder in (self._ladder(council_id), DEFAULT_LADDER):
            step = step_at(ladder, level) if level is not None else None
            if step is not None:
                return step.audience
        return FALLBACK_ESCALATION_AUDIENCE


def audience_keys(facts: EventFacts, ladders: Ladders) -> tuple[str, ...]:
    if facts.kind in QUIET_KINDS:
        return ()
    if facts.kind != EventKind.ESCALATED:
        return EVENT_AUDIENCES.get(facts.kind, ())
    keys = ladders.audience(facts.council_id, facts.level)
    known = tuple(key for key in keys if key in Audience.values)
    if known != keys:
        # A rung stored with a name no one answers to (the admin refuses them) must never
        # silently tell nobody: log it, and tell the fallback audience if nothing is left.
        logger.error(
            "ladder of council %s, level %s: unknown audience %s",
            facts.council_id,
            facts.level,
            sorted(set(keys) - set(known)),
        )
    return known or FALLBACK_ESCALATION_AUDIENCE


class Seats:
    """Every seat in the bodies a batch of events concerns, from one query."""

    def __init__(self, facts: list[EventFacts]) -> None:
        self.officers: dict[int, set[int]] = defaultdict(set)
        self.heads: dict[int, set[int]] = defaultdict(set)
        self.members: dict[int, set[int]] = defaultdict(set)
        self.standing: dict[int, set[int]] = defaultdict(set)
        self.clerks: dict[int, set[int]] = defaultdict(set)
        if facts:
            self._load(facts)

    def _load(self, facts: list[EventFacts]) -> None:
        agencies = {f.agency_id for f in facts} | {f.accountable_id for f in facts}
        agencies |= {a for f in facts for a in f.coordinating}
        R = Membership.Role
        councils = {f.council_id for f in facts}
        seats = Membership.objects.filter(
            Q(agency_id__in=agencies - {None})
            | Q(committee_id__in={f.committee_id for f in facts})
            | Q(council_id__in=councils, role__in=[R.STANDING, R.OFFICE_CLERK]),
            user__is_active=True,
        ).values_list("user_id", "role", "council_id", "committee_id", "agency_id", "is_head")
        for user_id, role, council_id, committee_id, agency_id, is_head in seats:
            if role == R.AGENCY_OFFICER:
                self.officers[agency_id].add(user_id)
                if is_head:
                    self.heads[agency_id].add(user_id)
            elif role == R.COMMITTEE_MEMBER:
                self.members[committee_id].add(user_id)
            elif role == R.STANDING:
                self.standing[council_id].add(user_id)
            elif role == R.OFFICE_CLERK:
                self.clerks[council_id].add(user_id)

    def head_of(self, agency_id: int | None) -> set[int]:
        """The agency's heads, or all its officers when no head is recorded."""
        return self.heads.get(agency_id) or self.officers.get(agency_id, set())

    def users(self, key: str, f: EventFacts) -> set[int]:
        if key == Audience.AGENCY_OFFICERS:
            return self.officers.get(f.agency_id, set())
        if key == Audience.AGENCY_HEAD:
            return self.head_of(f.agency_id)
        if key == Audience.COORDINATING:
            return set().union(*(self.officers.get(a, set()) for a in f.coordinating))
        if key == Audience.COMMITTEE:
            return self.members.get(f.committee_id, set())
        if key == Audience.OFFICE:
            return self.clerks.get(f.council_id, set())
        if key == Audience.ACCOUNTABLE:
            return self.officers.get(f.accountable_id, set())
        if key == Audience.ACCOUNTABLE_HEAD:
            return self.head_of(f.accountable_id)
        if key == Audience.STANDING:
            return self.standing.get(f.council_id, set())
        if (
            key == Audience.COUNCIL
        ):  # the sitting has no accounts: its Standing Committee and office
            return self.standing.get(f.council_id, set()) | self.clerks.get(f.council_id, set())
        if key == Audience.DECIDERS:
            committee = self.members.get(f.committee_id, set()) if f.committee_decides else set()
            return self.standing.get(f.council_id, set()) | committee
        return set()


def recipients_of(facts: list[EventFacts]) -> dict[int, set[int]]:
    """{event id: user ids to tell}, the actor left out."""
    seats, ladders = Seats(facts), Ladders()
    told = {}
    for f in facts:
        users = set().union(*(seats.users(key, f) for key in audience_keys(f, ladders)))
        told[f.id] = users - {f.actor_id}
    return told
