"""Reads for the conclusions app, including who holds which role."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from conclusions.models import Membership

_CACHE_ATTR = "_dondoc_roles"


@dataclass(frozen=True)
class Roles:
    """The council bodies a user sits in, read once per request from their memberships."""

    is_admin: bool = False
    standing_council_ids: frozenset[int] = field(default_factory=frozenset)
    clerk_council_ids: frozenset[int] = field(default_factory=frozenset)
    committee_ids: frozenset[int] = field(default_factory=frozenset)
    agency_ids: frozenset[int] = field(default_factory=frozenset)

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


def _load_roles(user: AbstractBaseUser) -> Roles:
    seats: dict[str, set[int]] = {role: set() for role in Membership.Role.values}
    for role, council_id, committee_id, agency_id in Membership.objects.filter(
        user=user
    ).values_list("role", "council_id", "committee_id", "agency_id"):
        seats[role].add(committee_id or agency_id or council_id)
    return Roles(
        is_admin=bool(getattr(user, "is_superuser", False)),
        standing_council_ids=frozenset(seats[Membership.Role.STANDING]),
        clerk_council_ids=frozenset(seats[Membership.Role.OFFICE_CLERK]),
        committee_ids=frozenset(seats[Membership.Role.COMMITTEE_MEMBER]),
        agency_ids=frozenset(seats[Membership.Role.AGENCY_OFFICER]),
    )
