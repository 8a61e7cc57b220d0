"""My deadlines as a calendar: the month view and the personal iCalendar feed.

Both read the same entries: the deadlines of the open cases the user may see, the extensions
asked for on them (at the date asked), and the sittings of the user's councils. The feed is
built with the `icalendar` library, live at every fetch, so a calendar that subscribed to it
(Outlook, Google Calendar, Thunderbird) follows the cases as they move: each event keeps its
UID, and its SEQUENCE and LAST-MODIFIED move with the case. The feed's address holds a secret
of the user's own; a new secret revokes the old address."""

import calendar as monthly
import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from conclusions.models import Sitting
from workflow.definitions import AGENCY_TURN
from workflow.models import CalendarFeed, Case, CaseState, Extension
from workflow.selectors import cases_visible_to, pending_extensions_of
from workflow.work_sources import excerpt

FEED_PAST = datetime.timedelta(days=183)  # the feed reaches half a year back,
FEED_AHEAD = datetime.timedelta(days=730)  # and two years ahead
FEED_LIMIT = 2000  # entries of each kind, nearest first


@dataclass
class Entry:
    """One dated thing on the user's calendar."""

    kind: str  # "case", "extension", "sitting"
    uid: str
    day: datetime.date
    title: str
    detail: str
    url: str
    overdue: bool = False
    changed: datetime.datetime | None = None
    sequence: int = 0


def entries_between(user, first: datetime.date, last: datetime.date) -> list[Entry]:
    """Everything dated from `first` to `last`, by day (cases, then extensions, then sittings)."""
    today = timezone.localdate()
    found = [
        *(_case_entry(case, today) for case in _cases(user, first, last)),
        *(_extension_entry(extension) for extension in _extensions(user, first, last)),
        *(_sitting_entry(sitting) for sitting in _sittings(user, first, last)),
    ]
    order = {"case": 0, "extension": 1, "sitting": 2}
    return sorted(found, key=lambda e: (e.day, order[e.kind], e.uid))


def _cases(user, first, last):
    return (
        cases_visible_to(user)
        .exclude(state=CaseState.CLOSED)
        .filter(deadline__range=(first, last))
        .select_related("notice", "recommendation", "agency")
        .order_by("deadline", "id")[:FEED_LIMIT]
    )


def _extensions(user, first, last):
    return (
        pending_extensions_of(cases_visible_to(user))
        .filter(requested_until__range=(first, last))
        .select_related("case__notice", "case__recommendation", "case__agency")
        .order_by("requested_until", "id")[:FEED_LIMIT]
    )


def _sittings(user, first, last):
    councils = user.memberships.values_list("council_id", flat=True)
    return Sitting.objects.filter(council_id__in=councils, opens_on__range=(first, last)).order_by(
        "opens_on", "id"
    )[:FEED_LIMIT]


def _case_name(case: Case) -> str:
    return f"{case.notice.number} · {case.recommendation.anchor} · {case.agency.name}"


def _case_entry(case: Case, today: datetime.date) -> Entry:
    late = case.state in AGENCY_TURN and case.deadline < today
    return Entry(
        kind="case",
        uid=f"case-{case.pk}@dondoc",
        day=case.deadline,
        title=_("Hạn: %(case)s") % {"case": _case_name(case)},
        detail=excerpt(case.recommendation.text),
        url=reverse("workflow:case_detail", args=[case.pk]),
        overdue=late,
        changed=case.updated_at,
        sequence=case.ladder_cycle,
    )


def _extension_entry(extension: Extension) -> Entry:
    case = extension.case
    return Entry(
        kind="extension",
        uid=f"extension-{extension.pk}@dondoc",
        day=extension.requested_until,
        title=_("Đề nghị gia hạn đến ngày này: %(case)s") % {"case": _case_name(case)},
        detail=excerpt(extension.reason),
        url=reverse("workflow:case_detail", args=[case.pk]) + "#extensions",
        changed=extension.requested_at,
    )


def _sitting_entry(sitting: Sitting) -> Entry:
    return Entry(
        kind="sitting",
        uid=f"sitting-{sitting.pk}@dondoc",
        day=sitting.opens_on,
        title=_("Kỳ họp: %(name)s") % {"name": sitting.name},
        detail="",
        url="",
    )


# ------------------------------------------------------------------------------ month view


@dataclass
class Day:
    day: datetime.date
    in_month: bool
    entries: list[Entry]


def month_weeks(user, year: int, month: int) -> list[list[Day]]:
    """The weeks (Monday first) that cover the month, each day with its entries."""
    weeks = monthly.Calendar(firstweekday=0).monthdatescalendar(year, month)
    entries = entries_between(user, weeks[0][0], weeks[-1][-1])
    by_day: dict[datetime.date, list[Entry]] = {}
    for entry in entries:
        by_day.setdefault(entry.day, []).append(entry)
    return [[Day(d, d.month == month, by_day.get(d, [])) for d in week] for week in weeks]


# ------------------------------------------------------------------------------ the feed


def feed_of(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def feed_renew(*, user) -> CalendarFeed:
    """A new secret address for the user's feed; the previous address stops working."""
    feed, _created = CalendarFeed.objects.update_or_create(
        user=user,
        defaults={"token": secrets.token_urlsafe(32), "created_at": timezone.now()},
    )
    return feed


def feed_revoke(*, user) -> int:
    deleted, _kinds = CalendarFeed.objects.filter(user=user).delete()
    return deleted


def feed_url(feed: CalendarFeed) -> str:
    return settings.SITE_URL + reverse("calendar_feed", args=[feed.token])


def feed_ical(user) -> bytes:
    """The user's calendar as iCalendar (RFC 5545): all-day events, one per entry."""
    today = timezone.localdate()
    ical = Calendar()
    ical.add("prodid", "-//Đôn đốc//dondoc//VI")
    ical.add("version", "2.0")
    ical.add("calscale", "GREGORIAN")
    ical.add("x-wr-calname", _("Đôn đốc: thời hạn của %(user)s") % {"user": _name(user)})
    ical.add("x-wr-timezone", settings.TIME_ZONE)
    ical.add("refresh-interval;value=duration", "PT1H")
    now = timezone.now()
    for entry in entries_between(user, today - FEED_PAST, today + FEED_AHEAD):
        ical.add_component(_event(entry, now))
    return ical.to_ical()


def _event(entry: Entry, now: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", now)
    event.add("dtstart", entry.day)
    event.add("dtend", entry.day + datetime.timedelta(days=1))
    event.add("summary", (_("[Quá hạn] ") if entry.overdue else "") + entry.title)
    link = settings.SITE_URL + entry.url if entry.url else ""
    if entry.detail or link:
        event.add("description", "\n".join(part for part in (entry.detail, link) if part))
    if link:
        event.add("url", link)
    event.add("categories", [entry.kind])
    event.add("transp", "TRANSPARENT")
    if entry.changed:
        event.add("last-modified", entry.changed)
    event.add("sequence", entry.sequence)
    return event


def _name(user) -> str:
    return user.get_full_name() or user.get_username()
