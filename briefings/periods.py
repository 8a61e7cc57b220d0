"""The reporting periods of a schedule: pure functions over dates."""

import datetime
from collections.abc import Iterator

from briefings.models import Frequency

MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}


def _month_start(day: datetime.date, months: int) -> datetime.date:
    """The first day of the period of `months` months (aligned on the year) holding `day`."""
    return day.replace(month=(day.month - 1) // months * months + 1, day=1)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1, day=1)


def periods(
    frequency: str, starts_on: datetime.date, ends_on: datetime.date | None
) -> Iterator[tuple[datetime.date, datetime.date]]:
    """(first day, last day) of each period from the one holding `starts_on`, in order, up to
    the one holding `ends_on` (endless if None). A one-off round is `starts_on`..`ends_on`."""
    if frequency == Frequency.ONCE:
        yield starts_on, ends_on or starts_on
        return
    months = MONTHS[frequency]
    start = _month_start(starts_on, months)
    while ends_on is None or start <= ends_on:
        following = _add_months(start, months)
        yield start, following - datetime.timedelta(days=1)
        start = following


def ended_periods(
    frequency: str, starts_on: datetime.date, ends_on: datetime.date | None, today: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """The periods whose last day has come by `today` (a round opens on its period's last day)."""
    found = []
    for first, last in periods(frequency, starts_on, ends_on):
        if last > today:
            break
        found.append((first, last))
    return found
