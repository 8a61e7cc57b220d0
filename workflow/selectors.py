"""Reads for tracking. `cases_visible_to` scopes every list, page, export and API."""

import datetime
import logging
from dataclasses import dataclass, replace

from django.db.models import BooleanField, Count, F, Func, Q, QuerySet, Subquery

from conclusions.models import Agency, ConclusionNotice
from conclusions.selectors import Roles, roles_of
from workflow.calendar import Deadline, explain
from workflow.deadlines import calendar_for
from workflow.definitions import Result, result_q
from workflow.escalation import ladder_for, step_at
from workflow.models import (
    Case,
    CaseEvent,
    CaseState,
    Evidence,
    Extension,
    LetterItem,
    UrgingLetter,
)

logger = logging.getLogger(__name__)


def cases_visible_to(user) -> QuerySet[Case]:
    """The one scope of every list, page, file, export and API. Those who take part in a case
    see it; so do, read-only, the council's office (it compiles the reports) and a People's
    Committee: the cases of the agencies under it and those it answers for. Every arm is an
    IN list on an indexed column of the case (or the coordinating EXISTS), so no join."""
    return cases_visible_with(roles_of(user))


def cases_visible_with(roles: Roles) -> QuerySet[Case]:
    """`cases_visible_to` a user with these roles."""
    if roles.is_admin:
        return Case.objects.all()
    return Case.objects.filter(_taking_part(roles) | _watching(roles))


def known_rows(instance, name: str, rows: list) -> None:
    """Give `instance` its related list `name` as prefetching would, from rows already in
    memory (none, or those a write just made), so that reading it costs no query."""
    queryset = getattr(instance, name).all()
    queryset._result_cache, queryset._prefetch_done = list(rows), True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset


def takes_part_in(case: Case, user) -> bool:
    """Whether the user acts on or discusses the case, rather than only watching it: the
    office and a People's Committee above the lead agency see the case page, its timeline
    and its evidence, but every action and comment of theirs is refused."""
    roles = roles_of(user)
    return roles.is_admin or Case.objects.filter(_taking_part(roles), pk=case.pk).exists()


def _taking_part(roles: Roles) -> Q:
    """The Standing Committee, the owning committee, the lead and coordinating agencies."""
    scope = Q(pk__in=[])
    if roles.standing_council_ids:
        scope |= Q(council_id__in=roles.standing_council_ids)
    if roles.committee_ids:
        scope |= Q(committee_id__in=roles.committee_ids)
    if roles.agency_ids:
        coordinating = Case.coordinating_agencies.through.objects.filter(
            agency_id__in=roles.agency_ids
        ).values("case_id")
        scope |= Q(agency_id__in=roles.agency_ids) | _AnyOf(F("pk"), Subquery(coordinating))
    return scope


class _AnyOf(Func):
    """`column IN (subquery)`; on PostgreSQL `column = ANY(ARRAY(subquery))`, computed once
    (an init plan) and then looked up in the column's index, so that it joins the other arms
    of the scope in one BitmapOr. An `IN` or `EXISTS` arm in an OR is a filter run on every
    row instead, estimated at half the table: a sequential scan and nested loops
    (6.8 s against 17 ms for a department's first page of a million cases)."""

    output_field = BooleanField()

    def _parts(self, compiler) -> tuple[str, str, tuple]:
        (column, column_params), (query, query_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        return column, query, (*column_params, *query_params)

    def as_sql(self, compiler, connection, **extra_context):
        column, query, params = self._parts(compiler)
        return f"{column} IN {query}", params

    def as_postgresql(self, compiler, connection, **extra_context):
        column, query, params = self._parts(compiler)
        return f"{column} = ANY(ARRAY{query})", params


def _watching(roles: Roles) -> Q:
    """Read-only: the office sees its council's cases; a People's Committee's officers see
    the cases of the agencies under it and those where it is the accountable agency; everyone
    sees what stayed with the bodies merged into theirs."""
    scope = Q(pk__in=[])
    if roles.clerk_council_ids:
        scope |= Q(council_id__in=roles.clerk_council_ids)
    if roles.overseen_agency_ids:
        scope |= Q(agency_id__in=roles.overseen_agency_ids)
    if roles.agency_ids:
        scope |= Q(accountable_id__in=roles.agency_ids)
    # What stayed with the bodies merged into the user's: their closed cases, as history.
    if roles.history_council_ids:
        scope |= Q(council_id__in=roles.history_council_ids)
    if roles.history_agency_ids:
        scope |= Q(agency_id__in=roles.history_agency_ids)
    if roles.history_committee_ids:
        scope |= Q(committee_id__in=roles.history_committee_ids, state=CaseState.CLOSED)
    return scope


def cases_awaiting(user) -> QuerySet[Case]:
    """ "Việc của tôi": the cases on which this user's next move is expected."""
    roles = roles_of(user)
    waiting = Q(pk__in=[])
    if roles.agency_ids:
        waiting |= Q(
            agency_id__in=roles.agency_ids,
            state__in=[CaseState.ASSIGNED, CaseState.IN_PROGRESS],
        )
    council_body = Q(agency__kind=Agency.Kind.COUNCIL_BODY)
    if roles.committee_ids:
        waiting |= Q(committee_id__in=roles.committee_ids, state=CaseState.REPORTED) & ~council_body
    if roles.standing_council_ids:
        # The council's own tasks come back to the Standing Committee for review.
        waiting |= Q(council_id__in=roles.standing_council_ids, state=CaseState.REPORTED) & (
            council_body
        )
    return cases_visible_to(user).filter(waiting)


def case_timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("created_at", "id")


def case_extensions(case: Case) -> QuerySet[Extension]:
    """Every extension request on the case, newest first, with who asked and who decided."""
    return case.extensions.select_related("requested_by", "decided_by").order_by(
        "-requested_at", "-id"
    )


def pending_extension(case: Case) -> Extension | None:
    return case.extensions.filter(status=Extension.Status.PENDING).first()


def may_request_extension(case: Case, user) -> bool:
    """Whether the case page offers this user "Đề nghị gia hạn"; `extension_request` still
    checks everything again when the request is sent."""
    return (
        case.agency_id in roles_of(user).agency_ids
        and case.state != CaseState.CLOSED
        and case.deadline is not None
        and not case.extension_pending
        and pending_extension(case) is None
    )


def deadline_explanation(case: Case, language: str) -> str:
    """How the case's deadline was computed, in words, or "" when nothing was recorded."""
    if not case.deadline_explanation:
        return ""
    try:
        deadline = Deadline.from_json(case.deadline_explanation)
    except (KeyError, TypeError, ValueError):
        logger.warning("Case %s: unreadable deadline explanation", case.pk, exc_info=True)
        return ""
    return explain(deadline, language)


@dataclass(frozen=True)
class EscalationStatus:
    level: int
    name: str  # the rung reached; "" at level 0 or if the council's ladder lost that rung
    next_at: datetime.datetime | None
    next_name: str  # the rung due at `next_at`
    paused: bool  # due and overdue rungs wait for the pending extension's decision


def escalation_status(case: Case) -> EscalationStatus:
    """Where the case stands on its council's ladder, and which rung comes next."""
    ladder = ladder_for(case.council_id)
    reached = step_at(ladder, case.escalation_level)
    upcoming = next((s for s in ladder if s.level > case.escalation_level), None)
    upcoming = upcoming or step_at(ladder, case.escalation_level + 1)
    return EscalationStatus(
        level=case.escalation_level,
        name=reached.name if reached else "",
        next_at=case.next_escalation_at,
        next_name=upcoming.name if upcoming and case.next_escalation_at else "",
        paused=case.extension_pending,
    )


def escalation_step_names(council_id: int) -> "StepNames":
    return StepNames(ladder_for(council_id))


class StepNames:
    """The name of the rung at each level of a council's ladder, repeats past the last included
    (`names.get(level)` as from a dict)."""

    def __init__(self, ladder) -> None:
        self.ladder = ladder

    def get(self, level: int | None, default: str = "") -> str:
        step = step_at(self.ladder, level) if level is not None else None
        return str(step.name) if step else default


def notices_visible_to(user) -> QuerySet[ConclusionNotice]:
    """The council's notices for its Standing Committee and office, the notices a committee
    tracks (drafts included, it checks them), and those with a case the user may see."""
    roles = roles_of(user)
    if roles.is_admin:
        return ConclusionNotice.objects.all()
    # A case belongs to its notice's council, so the cases seen for a seat on a whole council
    # add no notice to that council's; the others' notices are read once (not an EXISTS per
    # notice of the country, each reading that notice's cases).
    beyond_councils = replace(
        roles, standing_council_ids=frozenset(), clerk_council_ids=frozenset()
    )
    seen_elsewhere = (
        Case.objects.filter(_taking_part(beyond_councils) | _watching(beyond_councils))
        .order_by()
        .values("notice_id")
        .distinct()
    )
    return ConclusionNotice.objects.filter(
        Q(council_id__in=roles.council_ids)
        | Q(tracking_committee_id__in=roles.committee_ids)
        | _AnyOf(F("pk"), Subquery(seen_elsewhere))
    )


def evidence_visible_to(user) -> QuerySet[Evidence]:
    """Evidence files, scoped by the case they were reported on."""
    return Evidence.objects.filter(report__case__in=cases_visible_to(user))


OVERDUE_FIGURES = {
    "total": Count("id"),
    "open": Count("id", filter=~Q(state=CaseState.CLOSED)),
    "closed": Count("id", filter=Q(state=CaseState.CLOSED)),
}


def overdue_figures(user, today: datetime.date) -> dict[str, list[dict]]:
    """Open, closed and overdue cases by tracking committee and by lead agency, over the
    cases this user may see. Overdue: in progress past its deadline on `today`
    (workflow/definitions.py; a report waiting for review is not)."""
    cases = cases_visible_to(user)
    overdue = result_q(Result.IN_PROGRESS_OVERDUE, today)
    figures = OVERDUE_FIGURES | {"overdue": Count("id", filter=overdue)}
    return {
        f"by_{body}": list(
            cases.values(code=F(f"{body}__code"), name=F(f"{body}__name"))
            .annotate(**figures)
            .order_by("name", "code")
        )
        for body in ("committee", "agency")
    }


# Digests and reports count the same cases: coming due, newly overdue, extensions waiting.


def cases_due_within(user, *, today: datetime.date, working_days: int) -> QuerySet[Case]:
    """Open cases this user may see whose deadline falls from `today` to `working_days`
    working days ahead, each council counting on its own calendar."""
    councils = set(user.memberships.values_list("council_id", flat=True))
    last = calendar_for(None).shift_working_days(today, working_days)
    window = Q(deadline__range=(today, last)) & ~Q(council_id__in=councils)
    for council_id in councils:
        last = calendar_for(council_id).shift_working_days(today, working_days)
        window |= Q(council_id=council_id, deadline__range=(today, last))
    return cases_visible_to(user).exclude(state=CaseState.CLOSED).filter(window)


def cases_newly_overdue(user, *, since: datetime.date, today: datetime.date) -> QuerySet[Case]:
    """Open cases this user may see that became overdue on a day from `since` to `today`:
    a case is overdue from the day after its deadline."""
    return (
        cases_visible_to(user)
        .exclude(state=CaseState.CLOSED)
        .filter(deadline__gte=since - datetime.timedelta(days=1), deadline__lt=today)
    )


def pending_extensions_of(cases: QuerySet[Case]) -> QuerySet[Extension]:
    """The requests for more time waiting for a decision on `cases`, found from the cases' own
    flag (a partial index of each council's few), not from the whole country's requests."""
    return Extension.objects.filter(
        status=Extension.Status.PENDING, case__in=cases.filter(extension_undecided=True)
    )


def extensions_awaiting_decision(user) -> QuerySet[Extension]:
    """Pending extension requests on the cases this user may see, oldest first."""
    return pending_extensions_of(cases_visible_to(user)).order_by("requested_at", "id")


def letters_visible_to(user) -> QuerySet[UrgingLetter]:
    """Urging letters: those listing a case the user may see, and all of the council's for its
    office, which numbers and sends them."""
    roles = roles_of(user)
    if roles.is_admin:
        return UrgingLetter.objects.all()
    listed = LetterItem.objects.filter(case__in=cases_visible_to(user)).values("letter_id")
    return UrgingLetter.objects.filter(Q(council_id__in=roles.clerk_council_ids) | Q(pk__in=listed))


def case_letters(case: Case) -> QuerySet[UrgingLetter]:
    """The letters that urged the case, oldest first."""
    return UrgingLetter.objects.filter(items__case=case).order_by("drafted_at", "id")
