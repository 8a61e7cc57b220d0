"""Reads for tracking. `cases_visible_to` scopes every list, page, export and API."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from conclusions.selectors import roles_of
from workflow.models import Case, CaseEvent, CaseState


def cases_visible_to(user) -> QuerySet[Case]:
    roles = roles_of(user)
    if roles.is_admin:
        return Case.objects.all()
    scope = Q(pk__in=[])
    if roles.standing_council_ids:
        scope |= Q(council_id__in=roles.standing_council_ids)
    if roles.committee_ids:
        scope |= Q(committee_id__in=roles.committee_ids)
    if roles.agency_ids:
        coordinating = Case.coordinating_agencies.through.objects.filter(
            case_id=OuterRef("pk"), agency_id__in=roles.agency_ids
        )
        scope |= Q(agency_id__in=roles.agency_ids) | Exists(coordinating)
    return Case.objects.filter(scope)


def cases_awaiting(user) -> QuerySet[Case]:
    """ "Việc của tôi": the cases on which this user's next move is expected."""
    roles = roles_of(user)
    waiting = Q(pk__in=[])
    if roles.agency_ids:
        waiting |= Q(
            agency_id__in=roles.agency_ids,
            state__in=[CaseState.ASSIGNED, CaseState.IN_PROGRESS],
        )
    if roles.committee_ids:
        waiting |= Q(committee_id__in=roles.committee_ids, state=CaseState.REPORTED)
    return cases_visible_to(user).filter(waiting)


def case_timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("created_at", "id")
