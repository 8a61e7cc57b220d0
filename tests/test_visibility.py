"""One selector decides who sees which case; everyone else sees nothing."""

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conclusions.models import Membership
from workflow.models import Case
from workflow.selectors import cases_awaiting, cases_visible_to


def _visible(user) -> set[int]:
    return set(cases_visible_to(user).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("thuongtruc", True),  # the Standing Committee sees its council's cases
        ("ban_vhxh", True),  # the owning committee
        ("so_ldtbxh", True),  # the lead agency
        ("so_khdt", True),  # a coordinating agency
        ("ban_ktns", False),  # another committee of the same council
        ("so_tc", False),  # another agency
        ("vanphong", False),  # the office registers notices, it does not follow cases
        ("other_thuongtruc", False),  # another council's Standing Committee
        ("outsider", False),  # no seat at all
    ],
)
def test_each_role_sees_exactly_its_cases(world, who, sees):
    assert _visible(getattr(world, who)) == ({world.case.pk} if sees else set())


def test_anonymous_users_see_nothing(world):
    assert _visible(AnonymousUser()) == set()


def test_a_superuser_sees_everything(world):
    admin = User.objects.create_superuser("root", password="x")
    assert _visible(admin) == {world.case.pk}


def test_a_coordinating_case_is_listed_once_even_with_two_seats(world):
    Membership.objects.create(
        user=world.so_khdt,
        role=Membership.Role.AGENCY_OFFICER,
        council=world.council,
        agency=world.ldtbxh,
    )
    user = User.objects.get(pk=world.so_khdt.pk)
    assert list(cases_visible_to(user).values_list("pk", flat=True)) == [world.case.pk]


def test_the_inbox_follows_whose_move_it_is(world, fresh):
    assert set(cases_awaiting(world.so_ldtbxh)) == {world.case}
    assert set(cases_awaiting(world.so_khdt)) == set()
    assert set(cases_awaiting(world.ban_vhxh)) == set()
    Case.objects.filter(pk=world.case.pk).update(state="reported")
    assert set(cases_awaiting(world.so_ldtbxh)) == set()
    assert set(cases_awaiting(world.ban_vhxh)) == {world.case}


def test_visibility_costs_one_query_for_roles_and_one_for_the_cases(world):
    user = User.objects.get(pk=world.so_khdt.pk)
    with CaptureQueriesContext(connection) as queries:
        list(cases_visible_to(user))
        list(cases_visible_to(user))
    assert len(queries) == 3  # memberships once per request, then one query per list
