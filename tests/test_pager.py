"""One pager for the case list, "Việc của tôi" and "Tin nhắn" (workflow/_pager.html): every
page link keeps the page's other query parameters, so paging a filtered list stays filtered."""

import datetime
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from notifications.models import Delivery
from tests.helpers import committed, login
from tests.notify_servers import add_people
from tests.test_inbox import _notice
from tests.world import TODAY
from workflow.models import Case, CaseState
from workflow.services import case_comment, case_transition


def _links(html: str) -> dict[str, dict[str, list[str]]]:
    """The pager's links on a page, by direction: their query parameters."""
    found = re.findall(r'data-testid="pager-(previous|next)" href="([^"]+)"', html)
    return {where: parse_qs(urlsplit(unescape(href)).query) for where, href in found}


def _forty_cases(world) -> list[Case]:
    """40 more cases of Sở LĐTBXH; the first 30 started, so that a state filter pages."""
    cases = _notice(world, "24/TB-HĐND", [TODAY + datetime.timedelta(days=n) for n in range(40)])
    for case in cases[:30]:
        case_transition(case=case, actor=world.so_ldtbxh, action="start")
    return cases


def test_paging_the_filtered_case_list_keeps_its_filters(client, world):
    _forty_cases(world)
    login(client, world.so_ldtbxh)
    url = reverse("workflow:case_list")
    first = client.get(url, {"state": "in_progress", "committee": world.vhxh.pk})
    assert "Trang 1/2" in first.content.decode()
    following = _links(first.content.decode())["next"]
    assert following == {
        "state": ["in_progress"],
        "committee": [str(world.vhxh.pk)],
        "page": ["2"],
    }
    second = client.get(url, {k: v[0] for k, v in following.items()}).content.decode()
    assert "Trang 2/2" in second
    assert _links(second)["previous"] == {**following, "page": ["1"]}
    in_progress = Case.objects.filter(state=CaseState.IN_PROGRESS).count()
    assert in_progress == 30  # 25 on the first page, 5 on the second: none of the 11 others
    assert second.count('class="dd-state dd-state-in_progress"') == 5


def test_a_repeated_parameter_keeps_every_value(client, world):
    _forty_cases(world)
    login(client, world.so_ldtbxh)
    page = client.get(reverse("workflow:case_list") + "?q=vi%E1%BB%87c&x=1&x=2")
    assert _links(page.content.decode())["next"] == {
        "q": ["việc"],
        "x": ["1", "2"],
        "page": ["2"],
    }


def test_the_inbox_pages_through_the_shared_pager_keeping_other_parameters(client, world):
    _forty_cases(world)
    html = login(client, world.so_ldtbxh).get(reverse("workflow:inbox"), {"x": "y"})
    html = html.content.decode()
    assert "Trang 1/2" in html
    assert _links(html) == {"next": {"x": ["y"], "page": ["2"]}}
    html = client.get(reverse("workflow:inbox"), {"x": "y", "page": 2}).content.decode()
    assert _links(html) == {"previous": {"x": ["y"], "page": ["1"]}}


def test_the_notifications_page_through_the_shared_pager_keeping_other_parameters(client, world):
    w = add_people(world)
    case = Case.objects.get(pk=w.case.pk)
    with committed():
        for i in range(30):
            case_comment(case=case, actor=w.ban_vhxh, text=f"Ý kiến số {i}")
    assert Delivery.objects.filter(recipient=w.so_ldtbxh, channel="inapp").count() >= 26
    login(client, w.so_ldtbxh)
    html = client.get(reverse("notifications:inbox"), {"x": "y"}).content.decode()
    assert "Trang 1/2" in html
    assert _links(html) == {"next": {"x": ["y"], "page": ["2"]}}
