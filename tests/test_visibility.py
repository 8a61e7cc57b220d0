"""One selector decides who sees which case; everyone else sees nothing. Those who take part
act on it; the office and a People's Committee above the lead agency only watch it."""

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conclusions.models import Agency, Membership
from tests.notify_servers import add_people
from workflow.errors import CaseForbidden
from workflow.models import Case, CaseEvent
from workflow.selectors import (
    cases_awaiting,
    cases_visible_to,
    notices_visible_to,
    takes_part_in,
)
from workflow.services import case_comment

WATCHERS = ["vanphong", "chutich_ubnd", "chuyenvien_ubnd"]


@pytest.fixture
def world(world):
    """The named world with the heads and the People's Committee officers added."""
    return add_people(world)


def _visible(user) -> set[int]:
    user = user if user.pk is None else User.objects.get(pk=user.pk)  # roles read afresh
    return set(cases_visible_to(user).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("thuongtruc", True),  # the Standing Committee sees its council's cases
        ("ban_vhxh", True),  # the owning committee
        ("so_ldtbxh", True),  # the lead agency
        ("so_khdt", True),  # a coordinating agency
        ("vanphong", True),  # the office: its council's cases, read-only
        ("chuyenvien_ubnd", True),  # the People's Committee above the lead agency, read-only
        ("ban_ktns", False),  # another committee of the same council
        ("so_tc", False),  # another agency
        ("other_thuongtruc", False),  # another council's Standing Committee
        ("outsider", False),  # no seat at all
    ],
)
def test_each_role_sees_exactly_its_cases(world, who, sees):
    assert _visible(getattr(world, who)) == ({world.case.pk} if sees else set())


def _officer(username: str, agency: Agency) -> User:
    user = User.objects.create_user(username)
    Membership.objects.create(
        user=user, role=Membership.Role.AGENCY_OFFICER, council=agency.council, agency=agency
    )
    return user


def test_a_peoples_committee_sees_its_agencies_cases_and_those_it_answers_for(world):
    case = Case.objects.filter(pk=world.case.pk)
    assert _visible(world.chuyenvien_ubnd) == {world.case.pk}  # above the lead, accountable
    case.update(accountable=None)
    assert _visible(world.chuyenvien_ubnd) == {world.case.pk}  # above the lead agency
    Agency.objects.filter(pk=world.ldtbxh.pk).update(parent=None)
    assert _visible(world.chuyenvien_ubnd) == set()  # neither
    case.update(accountable=world.ubnd)
    assert _visible(world.chuyenvien_ubnd) == {world.case.pk}  # accountable only


def test_only_a_peoples_committee_sees_the_cases_of_the_agencies_under_it(world):
    Agency.objects.filter(pk=world.ubnd.pk).update(kind=Agency.Kind.OTHER)
    Case.objects.filter(pk=world.case.pk).update(accountable=None)
    assert _visible(world.chuyenvien_ubnd) == set()


def test_another_peoples_committee_sees_nothing_of_the_case(world):
    commune = Agency.objects.create(
        council=world.council, code="ubnd-xa", name="UBND xã", kind=Agency.Kind.PEOPLES_COMMITTEE
    )
    assert _visible(_officer("ubnd_xa", commune)) == set()


@pytest.mark.parametrize("who", WATCHERS)
def test_those_who_watch_a_case_take_no_part_in_it(world, who):
    case = Case.objects.get(pk=world.case.pk)
    watcher = User.objects.get(username=who)
    assert not takes_part_in(case, watcher)
    with pytest.raises(CaseForbidden) as refusal:
        case_comment(case=case, actor=watcher, text="Đề nghị báo cáo sớm.")
    assert refusal.value.messages()["en"] == "You may view this case, not comment on it."
    assert not CaseEvent.objects.filter(kind="case.commented").exists()


@pytest.mark.parametrize("who", ["thuongtruc", "ban_vhxh", "so_ldtbxh", "so_khdt"])
def test_those_who_take_part_in_a_case_may_comment_on_it(world, who):
    case = Case.objects.get(pk=world.case.pk)
    assert takes_part_in(case, User.objects.get(username=who))


@pytest.mark.parametrize("who", WATCHERS)
def test_the_case_page_of_a_watcher_has_no_action_and_no_comment_form(client, world, who):
    client.force_login(User.objects.get(username=who))
    page = client.get(reverse("workflow:case_detail", args=[world.case.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="timeline"' in html and 'data-testid="read-only"' in html
    assert "data-action=" not in html and "dd-comment" not in html
    extension = {"requested_until": "31/12/2026", "reason": "Chờ số liệu."}
    for action, data in (
        ("start", {}),
        ("comment", {"text": "Ý kiến"}),
        ("extension-request", extension),
    ):
        refused = client.post(reverse("workflow:case_action", args=[world.case.pk, action]), data)
        assert refused.status_code == 403, action
    assert world.case.events.count() == 1


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


@pytest.mark.parametrize("who", ["so_khdt", "chuyenvien_ubnd", "vanphong"])
def test_visibility_costs_one_query_for_roles_and_one_for_the_cases(world, who):
    user = User.objects.get(username=who)
    with CaptureQueriesContext(connection) as queries:
        list(cases_visible_to(user))
        list(cases_visible_to(user))
    assert len(queries) == 3  # memberships once per request, then one query per list


@pytest.mark.postgres
@pytest.mark.parametrize("who", ["thuongtruc", "vanphong", "so_khdt", "chuyenvien_ubnd"])
def test_every_arm_of_the_scope_is_an_index_lookup(world, who):
    """With sequential scans priced out, the plan reads the cases through indexes only: an arm
    that is a filter on every row (an OR'ed EXISTS) would force a scan of the whole table."""
    user = User.objects.get(username=who)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = cases_visible_to(user).order_by("deadline", "id")[:25].explain()
    assert "Seq Scan on workflow_case " not in plan, plan


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("who", "index"),
    [("thuongtruc", "case_council_list"), ("ban_vhxh", "case_committee_notices")],
)
def test_the_first_page_of_a_councils_or_committees_list_is_read_in_its_order(world, who, index):
    """Its index gives the list's order: the first page reads 25 rows, whatever the number of
    the body's cases, instead of sorting them all (sorts priced out: without such an index
    the plan would still sort)."""
    user = User.objects.get(username=who)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
    plan = cases_visible_to(user).order_by("deadline", "id")[:25].explain()
    assert f"Index Scan using {index} on workflow_case" in plan, plan
    assert "Sort" not in plan, plan


@pytest.mark.postgres
@pytest.mark.parametrize("who", ["thuongtruc", "ban_vhxh", "so_khdt", "chuyenvien_ubnd"])
def test_the_notices_a_user_sees_are_not_looked_up_case_by_case(world, who):
    """The cases that add a notice are read once (an init plan), never once per notice of the
    country; a seat on the whole council reads no case at all."""
    user = User.objects.get(username=who)
    plan = notices_visible_to(user).explain()
    assert "SubPlan" not in plan, plan
    if who == "thuongtruc":
        assert "workflow_case" not in plan, plan
