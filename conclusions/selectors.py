"""Reads for the conclusions app, including who holds which role."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from conclusions.compiled import CompiledOnce
from conclusions.models import Agency, Committee, Membership

_CACHE_ATTR = "_dondoc_roles"


@dataclass(frozen=True)
class Roles:
    """The council bodies a user sits in, read once per request from their memberships."""

    is_admin: bool = False
    standing_council_ids: frozenset[int] = field(default_factory=frozenset)
    clerk_council_ids: frozenset[int] = field(default_factory=frozenset)
    committee_ids: frozenset[int] = field(default_factory=frozenset)
    agency_ids: frozenset[int] = field(default_factory=frozenset)
    # The agencies under the People's Committees among `agency_ids` (Agency.parent).
    overseen_agency_ids: frozenset[int] = field(default_factory=frozenset)
    # Read-only history: the councils merged into a council whose Standing Committee or office
    # the user sits in, and the agencies merged into the user's agency (two steps back: a
    # department merged in March 2025 into one that merged again in July).
    history_council_ids: frozenset[int] = field(default_factory=frozenset)
    history_agency_ids: frozenset[int] = field(default_factory=frozenset)
    # The committees of those merged councils whose cases a committee of the user's took over
    # (the same kind: workflow/successions.py hands a case to the successor's committee of its
    # kind); their closed cases stayed behind, and the successor committee reads them.
    history_committee_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def council_ids(self) -> frozenset[int]:
        return self.standing_council_ids | self.clerk_council_ids


def roles_of(user: AbstractBaseUser | AnonymousUser) -> Roles:
    if not user.is_authenticated:
        return Roles()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = _load_roles(user)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_roles(user) -> None:
    """Read the user's seats again on the next `roles_of` (after they changed)."""
    user.__dict__.pop(_CACHE_ATTR, None)


def _load_roles(user: AbstractBaseUser) -> Roles:
    """One query: each seat, for a seat in a People's Committee the agencies under it, and the
    bodies merged into the user's (their history); a second one for a member of a committee of a
    council that took others over, for the committees merged into theirs."""
    seats: dict[str, set[int]] = {role: set() for role in Membership.Role.values}
    overseen: set[int] = set()
    councils_before: set[int | None] = set()
    agencies_before: set[int | None] = set()
    committees: set[tuple[int, str]] = set()
    for row in _SEATS.rows(day=timezone.localdate(), user_id=user.pk):
        role, council_id, committee_id, agency_id, kind, child_id = row[:6]
        if committee_id is not None and row[6] is not None:  # a council that took others over
            committees.add((row[10], row[11]))
        seats[role].add(committee_id or agency_id or council_id)
        if kind == Agency.Kind.PEOPLES_COMMITTEE and child_id is not None:
            overseen.add(child_id)
        if role in (Membership.Role.STANDING, Membership.Role.OFFICE_CLERK):
            councils_before |= {row[6], row[7]}
        agencies_before |= {row[8], row[9]}
    return Roles(
        is_admin=bool(getattr(user, "is_superuser", False)),
        standing_council_ids=frozenset(seats[Membership.Role.STANDING]),
        clerk_council_ids=frozenset(seats[Membership.Role.OFFICE_CLERK]),
        committee_ids=frozenset(seats[Membership.Role.COMMITTEE_MEMBER]),
        agency_ids=frozenset(seats[Membership.Role.AGENCY_OFFICER]),
        overseen_agency_ids=frozenset(overseen),
        history_council_ids=frozenset(councils_before - {None}),
        history_agency_ids=frozenset(agencies_before - {None}),
        history_committee_ids=_committees_before(committees),
    )


def _seats(day: datetime.date, user_id: int) -> QuerySet:
    return Membership.objects.filter(seat_holds_on(day), user_id=user_id).values_list(
        "role",
        "council_id",
        "committee_id",
        "agency_id",
        "agency__kind",
        "agency__children",
        "council__predecessors",
        "council__predecessors__predecessors",
        "agency__predecessors",
        "agency__predecessors__predecessors",
        "committee__council_id",
        "committee__kind",
    )


# Compiled once: every request that looks at a case reads the seats (eight joins).
_SEATS = CompiledOnce(Membership, _seats, day=datetime.date(1, 1, 1), user_id=-1)


def _committees_before(committees: set[tuple[int, str]]) -> frozenset[int]:
    """The committees of the councils merged into each (council, kind) given (two steps back,
    as for councils), of that same kind."""
    if not committees:
        return frozenset()
    scope = Q(pk__in=[])
    for council_id, kind in committees:
        merged = Q(council__successor_id=council_id)
        merged |= Q(council__successor__successor_id=council_id)
        scope |= merged & Q(kind=kind)
    return frozenset(Committee.objects.filter(scope).values_list("pk", flat=True))


def seat_holds_on(day: datetime.date, prefix: str = "") -> Q:
    """The memberships in force on `day` (a seat's dates are inclusive; blank is open)."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )
