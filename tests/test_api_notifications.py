"""The user's in-app notifications through the API: the same inbox as the "Thông báo" page,
newest first, filtered by read or unread, paginated; marking one read; nobody else's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Delivery, NotificationSettings
from tests.helpers import api_client, committed, start_and_report
from tests.notify_servers import add_people, told_so_far
from workflow.models import Case
from workflow.services import case_comment

API = "/api/v1/notifications/"


@pytest.fixture
def w(world):
    return told_so_far(add_people(world))


def _comment(w, actor, text: str) -> None:
    with committed():
        case_comment(case=Case.objects.get(pk=w.case.pk), actor=actor, text=text)


def _inapp(user, kind: str) -> Delivery:
    return Delivery.objects.get(recipient=user, channel="inapp", event__kind=kind)


def test_the_list_holds_the_users_own_notifications_newest_first(w):
    start_and_report(w)  # ban_vhxh is told twice: the case started, then its report arrived
    body = api_client(w.ban_vhxh).get(API).json()
    assert body["count"] == 2
    reported, started = body["results"]
    assert (reported["kind"], started["kind"]) == ("case.reported", "case.started")
    assert reported["id"] == _inapp(w.ban_vhxh, "case.reported").pk
    assert reported["case"] == w.case.pk
    assert reported["title"] == "Báo cáo kết quả chờ Ban xem xét: 15/TB-HĐND mục II.1.a"
    assert "Sở Lao động - Thương binh và Xã hội đã báo cáo kết quả" in reported["text"]
    assert reported["link"].endswith(f"/workflow/cases/{w.case.pk}/")
    assert reported["language"] == "vi"
    assert (reported["read"], reported["read_at"]) == (False, None)
    assert reported["created"] >= started["created"]


def test_a_user_who_chose_english_reads_the_notifications_in_english(w):
    NotificationSettings.objects.create(user=w.ban_vhxh, language="en")
    start_and_report(w)
    [reported, _started] = api_client(w.ban_vhxh).get(API).json()["results"]
    assert reported["language"] == "en"
    assert "15/TB-HĐND" in reported["title"]
    assert "Báo cáo kết quả" not in reported["title"]


def test_nobody_sees_anyone_elses_notifications(w):
    start_and_report(w)
    assert api_client(w.so_tc).get(API).json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }
    kinds = [n["kind"] for n in api_client(w.so_ldtbxh).get(API).json()["results"]]
    assert kinds == []  # the lead agency acted itself: it is not told about its own moves


def test_marking_one_read_answers_it_read_and_the_unread_filter_follows(w):
    start_and_report(w)
    client = api_client(w.ban_vhxh)
    reported = _inapp(w.ban_vhxh, "case.reported")
    response = client.post(f"{API}{reported.pk}/read/")
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["read"]) == (reported.pk, True)
    reported.refresh_from_db()
    assert reported.read_at is not None
    unread = client.get(API, {"unread": "true"}).json()["results"]
    read = client.get(API, {"unread": "false"}).json()["results"]
    assert [n["kind"] for n in unread] == ["case.started"]
    assert [n["id"] for n in read] == [reported.pk]
    again = client.post(f"{API}{reported.pk}/read/")  # reading twice changes nothing
    assert again.status_code == 200
    assert Delivery.objects.get(pk=reported.pk).read_at == reported.read_at


def test_another_users_notification_is_a_404_and_stays_unread(w):
    start_and_report(w)
    theirs = _inapp(w.ban_vhxh, "case.reported")
    response = api_client(w.thuongtruc).post(f"{API}{theirs.pk}/read/")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "Không có thông báo này trong hộp thư của bạn.",
        "detail_en": "There is no such notification in your inbox.",
        "code": "not_found",
    }
    assert Delivery.objects.get(pk=theirs.pk).read_at is None


def test_an_email_delivery_is_not_an_inbox_notification(w):
    start_and_report(w)
    email = Delivery.objects.get(recipient=w.ban_vhxh, channel="email", event__kind="case.reported")
    assert api_client(w.ban_vhxh).post(f"{API}{email.pk}/read/").status_code == 404


@pytest.mark.parametrize("value", ["maybe", "yes", "2", "truee"])
def test_a_bad_unread_value_is_a_400_in_both_languages(w, value):
    response = api_client(w.ban_vhxh).get(API, {"unread": value})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"]["unread"] == [f"Chỉ nhận true hoặc false, không nhận “{value}”."]
    assert body["errors_en"]["unread"] == [f"Only true or false is accepted, not “{value}”."]


def test_a_bad_overdue_value_on_the_case_list_is_a_400_too(w):
    response = api_client(w.thuongtruc).get("/api/v1/cases/", {"overdue": "maybe"})
    assert response.status_code == 400
    assert response.json()["errors_en"]["overdue"]


def test_the_list_is_paginated_like_the_other_lists(w):
    start_and_report(w)
    for n in range(3):
        _comment(w, w.so_khdt, f"Ý kiến {n}.")
    client = api_client(w.ban_vhxh)
    first = client.get(API, {"page_size": 2}).json()
    last = client.get(API, {"page_size": 2, "page": 3}).json()
    assert (first["count"], len(first["results"]), len(last["results"])) == (5, 2, 1)
    assert last["results"][0]["kind"] == "case.started"
    assert client.get(API, {"page": 9}).status_code == 404


def test_anonymous_callers_are_refused_with_401(w):
    assert api_client().get(API).status_code == 401
    assert api_client().post(f"{API}1/read/").status_code == 401


def test_a_page_costs_the_same_queries_whatever_its_length(w):
    _comment(w, w.ban_vhxh, "Nhắc.")  # so_khdt, coordinating, holds one notification
    client = api_client(w.so_khdt)

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(API).status_code == 200
        return len(queries)

    few = cost()
    for n in range(12):
        _comment(w, w.ban_vhxh, f"Nhắc {n}.")
    assert Delivery.objects.filter(recipient=w.so_khdt, channel="inapp").count() == 13
    assert cost() == few
