"""Reads for notice intake: which councils a user may read or register notices for, and a
council's agencies as integrations map names to codes."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, QuerySet

from conclusions.models import Agency, AgencyAlias, Council, Membership
from conclusions.selectors import roles_of


def councils_of_member(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Council]:
    """The councils the user holds any seat in (every council for a superuser)."""
    if roles_of(user).is_admin:
        return Council.objects.all()
    if not user.is_authenticated:
        return Council.objects.none()
    seats = Membership.objects.filter(user=user).values("council_id")
    return Council.objects.filter(pk__in=seats)


def councils_registering(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Council]:
    """The councils whose notices the user may read in and register: its Standing Committee
    and its office (every council for a superuser)."""
    roles = roles_of(user)
    if roles.is_admin:
        return Council.objects.all()
    return Council.objects.filter(pk__in=roles.standing_council_ids | roles.clerk_council_ids)


def agencies_of(council: Council) -> QuerySet[Agency]:
    """The council's active agencies with their parent and aliases, in two queries."""
    return (
        Agency.objects.filter(council=council, is_active=True)
        .select_related("parent")
        .prefetch_related(Prefetch("aliases", AgencyAlias.objects.order_by("name")))
        .order_by("name", "code")
    )


def lands_on_intake(user: AbstractBaseUser | AnonymousUser) -> bool:
    """The office's work is the intake: a clerk with no other seat starts there."""
    roles = roles_of(user)
    other = roles.standing_council_ids or roles.committee_ids or roles.agency_ids
    return bool(roles.clerk_council_ids) and not other and not roles.is_admin
