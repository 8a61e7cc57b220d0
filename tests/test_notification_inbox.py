"""The in-app inbox through the web: the unread count in the header, the list, mark as read."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Delivery
from tests.helpers import committed, start_and_report
from tests.notify_servers import add_people
from workflow.models import Case, CaseEvent
from workflow.services import case_comment


@pytest.fixture
def w(world):
    return add_people(world)


def _unread_badge(html: str) -> str | None:
    found = re.search(r'data-testid="unread-count"[^>]*>([^<]+)<', html)
    return found.group(1) if found else None


def _inbox(client):
    return client.get(reverse("notifications:inbox")).content.decode()


def test_the_header_shows_how_many_notifications_are_unread(client, w):
    start_and_report(w)
    client.force_login(w.ban_vhxh)
    page = client.get(reverse("workflow:inbox")).content.decode()
    assert _unread_badge(page) == "2"  # started, then reported
    client.force_login(w.so_tc)
    assert _unread_badge(client.get(reverse("workflow:inbox")).content.decode()) is None


def test_the_inbox_lists_the_notifications_newest_first(client, w):
    start_and_report(w)
    client.force_login(w.ban_vhxh)
    html = _inbox(client)
    reported = html.index("Báo cáo kết quả chờ Ban xem xét: 15/TB-HĐND mục II.1.a")
    started = html.index("bắt đầu thực hiện 15/TB-HĐND mục II.1.a")
    assert reported < started
    assert "[Đôn đốc]" not in html


def test_marking_one_as_read_lowers_the_count_and_is_kept(client, w):
    start_and_report(w)
    client.force_login(w.ban_vhxh)
    reported = Delivery.objects.get(event__kind="case.reported", channel="inapp")
    response = client.post(
        reverse("notifications:read", args=[reported.pk]), {"next": reverse("workflow:inbox")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workflow:inbox")
    reported.refresh_from_db()
    assert reported.read_at is not None
    assert _unread_badge(client.get(reverse("workflow:inbox")).content.decode()) == "1"


def test_marking_all_as_read_clears_the_badge(client, w):
    start_and_report(w)
    client.force_login(w.ban_vhxh)
    assert client.post(reverse("notifications:read_all")).status_code == 302
    unread = Delivery.objects.filter(recipient=w.ban_vhxh, channel="inapp", read_at__isnull=True)
    assert not unread.exists()
    assert _unread_badge(_inbox(client)) is None


def test_opening_a_notification_marks_it_read_and_goes_to_the_case(client, w):
    case = start_and_report(w)
    client.force_login(w.ban_vhxh)
    reported = Delivery.objects.get(event__kind="case.reported", channel="inapp")
    response = client.get(reverse("notifications:open", args=[reported.pk]))
    assert response["Location"] == reverse("workflow:case_detail", args=[case.pk])
    reported.refresh_from_db()
    assert reported.read_at is not None


def test_someone_elses_notification_is_not_found_and_stays_unread(client, w):
    start_and_report(w)
    reported = Delivery.objects.get(event__kind="case.reported", channel="inapp")
    client.force_login(w.ban_ktns)
    assert client.post(reverse("notifications:read", args=[reported.pk])).status_code == 404
    assert client.get(reverse("notifications:open", args=[reported.pk])).status_code == 404
    reported.refresh_from_db()
    assert reported.read_at is None


def test_anonymous_visitors_are_sent_to_log_in(client, w):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_site_still_opens_on_the_case_inbox(client, w):
    client.force_login(w.ban_vhxh)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].endswith(reverse("workflow:inbox"))


def test_the_inbox_page_costs_the_same_queries_for_3_or_30_notifications(client, w):
    start_and_report(w)
    client.force_login(w.so_ldtbxh)
    case = Case.objects.get(pk=w.case.pk)
    with committed():
        case_comment(case=case, actor=w.ban_vhxh, text="Ý kiến số 0")
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("notifications:inbox")).status_code == 200
    with committed():
        for i in range(27):
            case_comment(case=case, actor=w.ban_vhxh, text=f"Ý kiến số {i + 1}")
    assert CaseEvent.objects.filter(kind="case.commented").count() == 28
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("notifications:inbox")).content.decode()
    assert "Ý kiến số 27" in html
    assert len(many) == len(few)
