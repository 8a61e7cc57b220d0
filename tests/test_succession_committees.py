"""After a council succession, the members of each successor committee read, and only read,
the closed cases that stayed with the predecessor's committee of the same kind: they open the
case page and act on nothing; nobody else (another committee of the successor, a member of a
council that took nothing over) gains sight of them."""

import datetime

import pytest
from django.contrib.auth.models import User

from conclusions.models import Committee, Membership
from tests.helpers import action_url, detail_url
from tests.test_successions import _cases_led_by, _close
from workflow.models import Case, CaseState
from workflow.selectors import cases_visible_to, takes_part_in
from workflow.successions import succession_record


@pytest.fixture
def merged(world):
    """Hậu Giang's council continues as Cần Thơ's from 01/07/2025; one of its cases was closed
    before (it stays), another is open (it moves to Cần Thơ's Ban Văn hóa - Xã hội)."""
    ct = world.other_council
    world.ct_vhxh = Committee.objects.create(
        council=ct, code="ct-vhxh", name="Ban Văn hóa - Xã hội", kind="culture_society"
    )
    world.ct_ktns = Committee.objects.create(
        council=ct, code="ct-ktns", name="Ban Kinh tế - Ngân sách", kind="economy_budget"
    )
    world.closed = _close(world, world.case, world.so_ldtbxh, world.ban_vhxh)
    world.open_ktns = _cases_led_by(world, "so-tc", 1)[0]
    world.ct_member = _member("ct_ban_vhxh", world.ct_vhxh)
    world.ct_other = _member("ct_ban_ktns", world.ct_ktns)
    admin = User.objects.create_superuser("quantri", password="demo")
    succession_record(
        actor=admin,
        kind="council",
        from_codes=["hau-giang"],
        to_code="can-tho",
        on=datetime.date(2025, 7, 1),
        basis="Nghị quyết 202/2025/QH15",
    )
    return world


def _member(username: str, committee: Committee) -> User:
    user = User.objects.create_user(username, password="demo")
    Membership.objects.create(
        user=user,
        role=Membership.Role.COMMITTEE_MEMBER,
        council=committee.council,
        committee=committee,
    )
    return user


def test_the_successor_committee_reads_the_closed_cases_its_predecessor_kept(merged, client):
    closed = Case.objects.get(pk=merged.closed.pk)
    assert (closed.state, closed.committee) == (CaseState.CLOSED, merged.vhxh)
    assert cases_visible_to(merged.ct_member).filter(pk=closed.pk).exists()
    assert not takes_part_in(closed, merged.ct_member)
    client.force_login(merged.ct_member)
    page = client.get(detail_url(closed))
    assert page.status_code == 200
    assert 'action="' + action_url(closed, "reopen") not in page.content.decode()
    refused = client.post(action_url(closed, "reopen"), {"note": "Mở lại"})
    assert refused.status_code in (403, 409)
    assert Case.objects.get(pk=closed.pk).state == CaseState.CLOSED


def test_nobody_else_gains_sight_of_them(merged, client):
    closed = merged.closed
    # Another committee of the successor: the case was never of its kind.
    assert not cases_visible_to(merged.ct_other).filter(pk=closed.pk).exists()
    client.force_login(merged.ct_other)
    assert client.get(detail_url(closed)).status_code == 404
    # The moved open case belongs to Cần Thơ's Ban Kinh tế - Ngân sách, not to Ban VH-XH.
    moved = Case.objects.get(pk=merged.open_ktns.pk)
    assert moved.committee == merged.ct_ktns
    assert not cases_visible_to(merged.ct_member).filter(pk=moved.pk).exists()
    # Members of a council that took nothing over, and those with no seat, see nothing of it.
    for user in (merged.ban_ktns, merged.so_tc, merged.outsider):
        assert not cases_visible_to(User.objects.get(pk=user.pk)).filter(pk=closed.pk).exists()
