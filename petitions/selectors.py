"""Reads for petitions. Who sees a petition follows who sees cases (workflow.selectors):
the council's Standing Committee and office see all its petitions, a committee those it
follows, anyone else the petitions whose cases they may see (a department: those routed to it).
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from conclusions.models import Council
from conclusions.selectors import roles_of
from petitions.models import Petition, PetitionRound
from workflow.models import Case
from workflow.selectors import cases_visible_to


def petitions_visible_to(user) -> QuerySet[Petition]:
    roles = roles_of(user)
    if roles.is_admin:
        return Petition.objects.all()
    if not user.is_authenticated:
        return Petition.objects.none()
    routed = cases_visible_to(user).values("recommendation_id")
    return Petition.objects.filter(
        Q(council_id__in=roles.council_ids | roles.history_council_ids)
        | Q(committee_id__in=roles.committee_ids | roles.history_committee_ids)
        | Q(recommendation_id__in=routed)
    )


def rounds_visible_to(user) -> QuerySet[PetitionRound]:
    """Rounds of the councils the user holds any seat in, and, read-only, of the bodies merged
    into theirs (writing asks `may_register`, which reads today's seats alone)."""
    roles = roles_of(user)
    if roles.is_admin:
        return PetitionRound.objects.all()
    councils = Council.objects.filter(
        Q(pk__in=roles.council_ids | roles.history_council_ids)
        | Q(committees__pk__in=roles.committee_ids | roles.history_committee_ids)
        | Q(agencies__pk__in=roles.agency_ids | roles.history_agency_ids)
    ).values("pk")
    return PetitionRound.objects.filter(council_id__in=councils)


def may_register(user, council_id: int) -> bool:
    """The office and the Standing Committee enter, route and link petitions."""
    roles = roles_of(user)
    return roles.is_admin or council_id in roles.council_ids


def may_record_verdict(user, petition: Petition) -> bool:
    """The voters' verdict comes from the deputies' group, recorded by the office, the
    Standing Committee or the committee following the petition."""
    roles = roles_of(user)
    return may_register(user, petition.council_id) or petition.committee_id in roles.committee_ids


def root_of(petition: Petition) -> int:
    return petition.repeat_of_id or petition.pk


def times_raised(petitions: Iterable[Petition]) -> dict[int, int]:
    """How many times each petition had been raised by its own round, itself included: the
    first petition and its confirmed repeats in rounds opened on or before its round's day."""
    petitions = list(petitions)
    roots = {root_of(p) for p in petitions}
    chains: dict[int, list] = defaultdict(list)
    rows = Petition.objects.filter(Q(pk__in=roots) | Q(repeat_of_id__in=roots)).values_list(
        "pk", "repeat_of_id", "round__opened_on", "round_id"
    )
    for pk, repeat_of, opened_on, round_id in rows:
        chains[repeat_of or pk].append((opened_on, round_id))
    result = {}
    for petition in petitions:
        mine = (petition.round.opened_on, petition.round_id)
        result[petition.pk] = sum(1 for step in chains[root_of(petition)] if step <= mine) or 1
    return result


def petition_cases(petition: Petition, user) -> QuerySet[Case]:
    """The petition's cases (one per lead agency) the user may see."""
    if petition.recommendation_id is None:
        return Case.objects.none()
    return (
        cases_visible_to(user)
        .filter(recommendation_id=petition.recommendation_id)
        .select_related("agency", "committee")
        .order_by("id")
    )


RAISED_FOR_QUESTIONING = 3


def questioning_candidate(petition: Petition, raised: int) -> bool:
    """Not accepted by the voters, or raised for the third time: proposed for questioning."""
    return petition.accepted is False or raised >= RAISED_FOR_QUESTIONING
