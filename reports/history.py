"""Cases as they stood at the end of a past day, read from the event log and the extension
decisions rather than from the case row (which only knows the present).

- state as of D: the state the last event at or before D left the case in;
- closing as of D: the last `case.closed` event at or before D (its time and outcome);
- deadline in force as of D: the last extension approved at or before D, else the original;
- the council, committee and lead agency as of D: those a later succession moved the case
  from (the first `case.transferred` event whose day is after D), else the case's own;
- the latest report as of D: the last `case.reported` event at or before D (its time, the
  agency's own assessment, the committee's review deadline) and the deadline in force when it
  was sent. When the case is closed as of D, that report is the one the committee accepted.

All of it is a set of correlated subqueries on indexed columns, added to a queryset, so a
report reads any number of cases in one query on PostgreSQL and SQLite alike. The names are
those of `workflow.definitions.AS_OF`, so the rules that count the live cases count these."""

import datetime

from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from conclusions.models import Agency, Committee
from workflow.definitions import URGING_KINDS
from workflow.filters import local_midnight
from workflow.models import Case, CaseEvent, EventKind, Extension

REMINDER = "reminder"


def day_end(day: datetime.date) -> datetime.datetime:
    """The first instant after `day`: "as of D" includes everything that happened on D."""
    return local_midnight(day + datetime.timedelta(days=1))


def local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def cases_as_of(cases: QuerySet[Case], day: datetime.date) -> QuerySet[Case]:
    """The cases already open at the end of `day`, each annotated with `state_at`,
    `closed_at_d`, `outcome_at`, `deadline_at` and `closing_deadline` as of that day."""
    end = day_end(day)
    events = CaseEvent.objects.filter(case=OuterRef("pk"), created_at__lt=end).order_by(
        "-created_at", "-id"
    )
    closing = events.filter(kind=EventKind.CLOSED)
    report = events.filter(kind=EventKind.REPORTED)
    return (
        bodies_as_of(cases.filter(opened_at__lt=end), day)
        .annotate(
            # A case imported without a history keeps the state it has.
            state_at=Coalesce(
                Subquery(events.exclude(to_state="").values("to_state")[:1]),
                F("state"),
                output_field=CharField(),
            ),
            closed_at_d=Subquery(closing.values("created_at")[:1], output_field=DateTimeField()),
            outcome_at=Coalesce(
                Subquery(closing.values(o=KT("data__outcome"))[:1]),
                Value(""),
                output_field=CharField(),
            ),
            deadline_at=_deadline_before(OuterRef("pk"), end),
            reported_at_d=Subquery(report.values("created_at")[:1], output_field=DateTimeField()),
            claim_at=Coalesce(
                Subquery(report.values(a=KT("data__self_assessment"))[:1]),
                Value(""),
                output_field=CharField(),
            ),
            review_due_at=Subquery(
                report.values(r=KT("data__review_due"))[:1], output_field=CharField()
            ),
        )
        .annotate(
            agency_name_at=Subquery(
                Agency.objects.filter(pk=OuterRef("agency_at")).values("name")[:1]
            ),
            committee_name_at=Subquery(
                Committee.objects.filter(pk=OuterRef("committee_at")).values("name")[:1]
            ),
            closing_deadline=_deadline_before(OuterRef("pk"), OuterRef("closed_at_d")),
            deadline_when_reported_d=_deadline_before(
                OuterRef("pk"), Coalesce(OuterRef("reported_at_d"), OuterRef("closed_at_d"))
            ),
        )
    )


def _deadline_before(case, moment):
    approved = Extension.objects.filter(
        case=case,
        status=Extension.Status.APPROVED,
        approved_until__isnull=False,
        decided_at__lt=moment,
    ).order_by("-decided_at", "-id")
    return Coalesce(
        Subquery(approved.values("approved_until")[:1]), F("original_deadline"), F("deadline")
    )


def with_urgings(cases: QuerySet[Case], day: datetime.date) -> QuerySet[Case]:
    """Adds `urgings`, every urging step the case had received by the end of `day`
    (`URGING_KINDS`), and `reminders`, those of them that were reminders before the deadline."""
    sent = CaseEvent.objects.filter(
        case=OuterRef("pk"), kind__in=URGING_KINDS, created_at__lt=day_end(day)
    )
    return cases.annotate(
        urgings=_count(sent), reminders=_count(sent.filter(data__action=REMINDER))
    )


def _count(events: QuerySet[CaseEvent]):
    counted = events.order_by().values("case").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


BODIES = ("council", "committee", "agency")


def body_before(day: datetime.date, body: str, case: str = "pk") -> Coalesce:
    """The id of the case's `body` ("council", "committee" or "agency") at the end of `day`:
    the one the first succession after `day` moved it from (workflow/successions.py), else the
    one it has. `case` names the case's id in the outer query ("case_id" from an event)."""
    moved = (
        CaseEvent.objects.filter(
            case=OuterRef(case), kind=EventKind.TRANSFERRED, data__has_key=f"from_{body}"
        )
        .annotate(on=Cast(KT("data__on"), CharField()))  # ISO days compare as text
        .filter(on__gt=day.isoformat())
        .order_by("on", "id")
        .values(v=Cast(KT(f"data__from_{body}"), IntegerField()))[:1]
    )
    current = F(f"{body}_id") if case == "pk" else F(f"{case.removesuffix('_id')}__{body}_id")
    return Coalesce(Subquery(moved), current, output_field=IntegerField())


def bodies_as_of(cases: QuerySet, day: datetime.date, case: str = "pk") -> QuerySet:
    """Adds `council_at`, `committee_at` and `agency_at`, as of the end of `day`."""
    return cases.annotate(**{f"{body}_at": body_before(day, body, case) for body in BODIES})


def in_council_as_of(cases: QuerySet[Case], council_id: int, day: datetime.date) -> QuerySet[Case]:
    """The cases that were the council's at the end of `day`: its own, and those a later
    succession moved away from it, less those a later succession brought it."""
    moved_away = CaseEvent.objects.filter(
        kind=EventKind.TRANSFERRED, data__from_council=council_id
    ).values("case_id")
    return (
        cases.filter(Q(council_id=council_id) | Q(pk__in=moved_away))
        .annotate(council_then=body_before(day, "council"))
        .filter(council_then=council_id)
    )
