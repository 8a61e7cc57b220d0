"""Who sees which resolutions, programmes and questions. A department sees only what is
addressed to it: the resolutions it leads or has an implementation case of, the questions
named to it; the council's Standing Committee, office and committees see the council's.
Callers' personal data is for the council's office alone."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from conclusions.models import Committee
from conclusions.selectors import roles_of
from resolutions.models import HotlineQuestion, Programme, Resolution
from workflow.selectors import cases_visible_to


def _council_ids(user) -> set[int]:
    """The councils whose whole register the user reads: as Standing Committee, office or
    a committee member, and, read-only, the councils merged into theirs (writing asks
    `may_keep_register`, which reads today's seats alone)."""
    roles = roles_of(user)
    committees = Committee.objects.filter(pk__in=roles.committee_ids | roles.history_committee_ids)
    seated = roles.council_ids | roles.history_council_ids
    return set(seated) | set(committees.values_list("council_id", flat=True))


def may_see_council(user, council_id: int) -> bool:
    return roles_of(user).is_admin or council_id in _council_ids(user)


def may_keep_register(user, council_id: int) -> bool:
    """The Standing Committee and the office enter resolutions in the register."""
    roles = roles_of(user)
    return roles.is_admin or council_id in roles.council_ids


def may_see_callers(user, council_id: int) -> bool:
    """Callers' name and phone: the council's office only, nobody else (not even an admin
    without a seat in the office)."""
    return council_id in roles_of(user).clerk_council_ids


def resolutions_visible_to(user) -> QuerySet[Resolution]:
    roles = roles_of(user)
    if roles.is_admin:
        return Resolution.objects.all()
    agencies = roles.agency_ids | roles.overseen_agency_ids
    has_case = Exists(
        cases_visible_to(user).filter(recommendation__resolution_item__resolution=OuterRef("pk"))
    )
    scope = Q(council_id__in=_council_ids(user)) | Q(lead_agency_id__in=agencies)
    return Resolution.objects.filter(scope | (has_case if agencies else Q(pk__in=[])))


def programmes_visible_to(user) -> QuerySet[Programme]:
    roles = roles_of(user)
    if roles.is_admin:
        return Programme.objects.all()
    agencies = roles.agency_ids | roles.overseen_agency_ids
    named = HotlineQuestion.objects.filter(programme=OuterRef("pk"), agency_id__in=agencies)
    return Programme.objects.filter(Q(council_id__in=_council_ids(user)) | Exists(named))


def questions_visible_to(user) -> QuerySet[HotlineQuestion]:
    roles = roles_of(user)
    if roles.is_admin:
        return HotlineQuestion.objects.all()
    agencies = roles.agency_ids | roles.overseen_agency_ids
    return HotlineQuestion.objects.filter(
        Q(programme__council_id__in=_council_ids(user)) | Q(agency_id__in=agencies)
    )
