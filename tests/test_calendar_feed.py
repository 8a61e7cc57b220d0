"""My deadlines as a calendar: a month view (cases, extensions asked, sittings, overdue ones
marked) and a personal iCalendar feed behind a secret address, read back with the `icalendar`
library; a new secret revokes the old address (404), and the feed follows the cases."""

import datetime

from django.urls import reverse
from icalendar import Calendar

from conclusions.models import Sitting
from tests.helpers import case_of, login
from workflow.agenda import feed_renew
from workflow.extensions import extension_decide, extension_request
from workflow.models import CalendarFeed

CALENDAR = reverse("workflow:calendar")
D = datetime.date


def _feed_path(token: str) -> str:
    return reverse("calendar_feed", args=[token])


def _events(client, token: str) -> dict[str, dict]:
    response = client.get(_feed_path(token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    parsed = Calendar.from_ical(response.content)
    return {
        str(e["uid"]): {
            "start": e.decoded("dtstart"),
            "summary": str(e["summary"]),
            "sequence": int(e.get("sequence", 0)),
        }
        for e in parsed.walk("VEVENT")
    }


def test_the_month_shows_deadlines_extensions_and_sittings_with_overdue_marked(client, world):
    Sitting.objects.create(council=world.council, name="Kỳ họp thứ 12", opens_on=D(2026, 9, 8))
    login(client, world.so_ldtbxh)
    html = client.get(CALENDAR, {"month": "2026-09"}).content.decode()
    day = html.index('data-day="2026-09-30"')
    cell = html[day : html.index('role="gridcell"', day + 30)]
    assert 'data-kind="case"' in cell and 'data-overdue="1"' in cell
    assert "15/TB-HĐND · II.1.a" in cell
    assert "Kỳ họp: Kỳ họp thứ 12" in html
    assert html.index('data-day="2026-08-31"') < html.index('data-day="2026-09-01"')  # Monday


def test_an_extension_asked_shows_on_the_day_asked(client, world):
    extension_request(
        case=case_of(world), actor=world.so_ldtbxh, requested_until=D(2026, 12, 18), reason="Chờ."
    )
    html = login(client, world.thuongtruc).get(CALENDAR, {"month": "2026-12"}).content.decode()
    day = html.index('data-day="2026-12-18"')
    assert 'data-kind="extension"' in html[day : day + 600]


def test_a_month_that_cannot_be_read_is_a_bilingual_400(client, world):
    response = login(client, world.so_ldtbxh).get(CALENDAR, {"month": "2026-13"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tháng không hợp lệ" in html and "Invalid month" in html


def test_the_feed_is_read_back_by_icalendar_and_follows_the_case(client, world):
    login(client, world.so_ldtbxh)
    client.post(CALENDAR, {"feed": "renew"})
    feed = CalendarFeed.objects.get(user=world.so_ldtbxh)
    assert feed.token in client.get(CALENDAR).content.decode()
    client.logout()  # a calendar program has no session: the secret is the key
    events = _events(client, feed.token)
    uid = f"case-{world.case.pk}@dondoc"
    assert events[uid]["start"] == D(2026, 9, 30)
    assert events[uid]["summary"].startswith("[Quá hạn] Hạn: 15/TB-HĐND · II.1.a")
    extension = extension_request(
        case=case_of(world), actor=world.so_ldtbxh, requested_until=D(2027, 1, 29), reason="Chờ."
    )
    assert _events(client, feed.token)[f"extension-{extension.pk}@dondoc"]["start"] == D(
        2027, 1, 29
    )
    extension_decide(extension=extension, actor=world.thuongtruc, approve=True)
    moved = _events(client, feed.token)[uid]
    assert moved["start"] == D(2027, 1, 29)
    assert moved["summary"].startswith("Hạn: ")  # no longer overdue
    assert moved["sequence"] > events[uid]["sequence"]


def test_a_new_secret_revokes_the_old_address_and_turning_off_revokes_all(client, world):
    old = feed_renew(user=world.so_ldtbxh).token
    new = feed_renew(user=world.so_ldtbxh).token
    assert old != new
    assert client.get(_feed_path(old)).status_code == 404
    assert client.get(_feed_path(new)).status_code == 200
    login(client, world.so_ldtbxh).post(CALENDAR, {"feed": "revoke"})
    client.logout()
    assert client.get(_feed_path(new)).status_code == 404
    assert client.get("/calendar/not-a-real-secret-at-all-000.ics").status_code == 404


def test_each_user_sees_only_their_own_cases_in_the_feed(client, world):
    token = feed_renew(user=world.so_tc).token
    assert not any(uid.startswith("case-") for uid in _events(client, token))
