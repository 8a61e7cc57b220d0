"""Vietnamese working days: pure functions over `holidays.VN` plus local overrides.

Civil Code 2015, arts. 147-148: the first day of a period is not counted, and a period whose
last day is a day off ends on the next working day. Every computed deadline keeps the days
it skipped and why, so a user can see how it was reached."""

import calendar as gregorian
import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache

import holidays

LANGUAGES = {"vi": "vi", "en": "en_US"}
WEEKEND_NAMES = {"vi": ("Thứ Bảy", "Chủ nhật"), "en": ("Saturday", "Sunday")}
SWAPPED = {"vi": "Ngày làm việc bù", "en": "Working day (swapped)"}
MAX_DAYS = 3660  # ten years: longer periods are input errors, not deadlines


@dataclass(frozen=True)
class Override:
    """A local change to the national calendar: an extra day off, or a day worked."""

    is_working_day: bool
    reason: str


@dataclass(frozen=True)
class DayOff:
    day: datetime.date
    reason: dict[str, str]  # language -> why this day is not worked
    is_weekend: bool = False


@dataclass(frozen=True)
class DayMark:
    HOLIDAY = "holiday"  # a public holiday
    LOCAL = "local"  # a day off the council (or the whole country's calendar here) adds
    WORKED = "worked"  # a weekend day worked in exchange for a bridge day off

    day: datetime.date
    kind: str
    reason: dict[str, str]  # language -> why


@dataclass(frozen=True)
class Deadline:
    """A due date and how it was reached: start, rule, amount and the days off it skipped."""

    # date, extension, working_days, calendar_days, months, quarter_end, month_end,
    # before_sitting
    rule: str
    start: datetime.date
    due: datetime.date
    amount: int | None = None
    skipped: tuple[DayOff, ...] = field(default_factory=tuple)
    moved_from: datetime.date | None = None  # a nominal due date that fell on a day off
    label: str = ""  # e.g. the sitting's name

    def to_json(self) -> dict:
        return {
            "rule": self.rule,
            "start": self.start.isoformat(),
            "due": self.due.isoformat(),
            "amount": self.amount,
            "moved_from": self.moved_from.isoformat() if self.moved_from else None,
            "label": self.label,
            "skipped": [
                {"day": d.day.isoformat(), "reason": d.reason, "weekend": d.is_weekend}
                for d in self.skipped
            ],
        }

    @classmethod
    def from_json(cls, data: dict) -> "Deadline":
        return cls(
            rule=data["rule"],
            start=datetime.date.fromisoformat(data["start"]),
            due=datetime.date.fromisoformat(data["due"]),
            amount=data.get("amount"),
            moved_from=_date_or_none(data.get("moved_from")),
            label=data.get("label", ""),
            skipped=tuple(
                DayOff(datetime.date.fromisoformat(d["day"]), d["reason"], d["weekend"])
                for d in data.get("skipped", [])
            ),
        )


class WorkingCalendar:
    def __init__(self, overrides: Mapping[datetime.date, Override] | None = None) -> None:
        self.overrides = dict(overrides or {})

    @property
    def _national(self) -> dict[str, holidays.HolidayBase]:
        return national_holidays()

    def day_off(self, day: datetime.date) -> DayOff | None:
        """Why `day` is not a working day, or None when it is one."""
        override = self.overrides.get(day)
        if override is not None:
            reason = {lang: override.reason for lang in LANGUAGES}
            return None if override.is_working_day else DayOff(day, reason)
        national = self._national
        if day in national["vi"]:
            return DayOff(day, {lang: national[lang][day] for lang in LANGUAGES})
        if not national["vi"].is_working_day(day):  # a weekend not swapped into a working day
            index = 0 if day.weekday() == 5 else 1
            return DayOff(day, {k: v[index] for k, v in WEEKEND_NAMES.items()}, True)
        return None

    def is_working_day(self, day: datetime.date) -> bool:
        return self.day_off(day) is None

    def marks(self, first: datetime.date, last: datetime.date) -> Iterator[DayMark]:
        """The days a date picker marks between two dates: public holidays, local days off,
        and weekend days worked (a swapped Saturday, or a council's own)."""
        day = first
        while day <= last:
            if (mark := self._mark(day)) is not None:
                yield mark
            day += datetime.timedelta(days=1)

    def _mark(self, day: datetime.date) -> DayMark | None:
        weekend = day.weekday() >= 5
        override = self.overrides.get(day)
        if override is not None and override.is_working_day != (not weekend):
            kind = DayMark.WORKED if override.is_working_day else DayMark.LOCAL
            return DayMark(day, kind, {lang: override.reason for lang in LANGUAGES})
        if override is not None:
            return None
        national = self._national
        if day in national["vi"]:
            return DayMark(day, DayMark.HOLIDAY, {lang: national[lang][day] for lang in LANGUAGES})
        if weekend and national["vi"].is_working_day(day):
            return DayMark(day, DayMark.WORKED, {lang: SWAPPED[lang] for lang in LANGUAGES})
        return None

    def add_working_days(self, start: datetime.date, days: int) -> Deadline:
        _check_amount(days)
        skipped: list[DayOff] = []
        day, counted = start, 0
        while counted < days:
            day += datetime.timedelta(days=1)
            off = self.day_off(day)
            if off is None:
                counted += 1
            else:
                skipped.append(off)
        return Deadline("working_days", start, day, days, tuple(skipped))

    def shift_working_days(self, day: datetime.date, days: int) -> datetime.date:
        """The working day `days` working days after (or, if negative, before) `day`."""
        _check_amount(abs(days))
        step = datetime.timedelta(days=1 if days >= 0 else -1)
        for _ in range(abs(days)):
            day += step
            while not self.is_working_day(day):
                day += step
        return day

    def add_calendar_days(self, start: datetime.date, days: int) -> Deadline:
        _check_amount(days)
        return self._rolled("calendar_days", start, start + datetime.timedelta(days=days), days)

    def on_date(self, start: datetime.date, due: datetime.date) -> Deadline:
        return self._rolled("date", start, due)

    def extended_to(self, decided: datetime.date, until: datetime.date) -> Deadline:
        """The new deadline an approved extension sets, decided on `decided`."""
        return self._rolled("extension", decided, until)

    def quarter_end(self, start: datetime.date, year: int, quarter: int) -> Deadline:
        if quarter not in (1, 2, 3, 4):
            raise ValueError("quarter must be 1-4")
        first_of_next = datetime.date(year + quarter // 4, quarter % 4 * 3 + 1, 1)
        return self._rolled(
            "quarter_end", start, first_of_next - datetime.timedelta(days=1), quarter
        )

    def month_end(self, start: datetime.date, year: int, month: int) -> Deadline:
        """By the end of a month ("trong tháng 5/2026")."""
        last = gregorian.monthrange(year, month)[1]
        return self._rolled("month_end", start, datetime.date(year, month, last), month)

    def add_months(self, start: datetime.date, months: int) -> Deadline:
        """Civil Code art. 147: a period of months ends on the same day of the last month,
        or on that month's last day when it has no such day ("trong 6 tháng")."""
        if not 0 <= months <= MAX_DAYS // 30:
            raise ValueError("number of months out of range")
        index = start.month - 1 + months
        year, month = start.year + index // 12, index % 12 + 1
        day = min(start.day, gregorian.monthrange(year, month)[1])
        return self._rolled("months", start, datetime.date(year, month, day), months)

    def before_sitting(
        self, start: datetime.date, sitting_opens: datetime.date, name: str, lead_days: int = 1
    ) -> Deadline:
        """The last working day at least `lead_days` days before a council sitting opens:
        the day before it by default, or the day its documents must be sent out."""
        day = sitting_opens - datetime.timedelta(days=max(lead_days, 1))
        skipped = []
        while (off := self.day_off(day)) is not None:
            skipped.append(off)
            day -= datetime.timedelta(days=1)
        amount = lead_days if lead_days > 1 else None
        return Deadline("before_sitting", start, day, amount, tuple(skipped), None, name)

    def recompute(self, deadline: Deadline) -> Deadline:
        """The same rule counted again on this calendar: what a calendar change would do."""
        start, amount = deadline.start, deadline.amount
        if deadline.rule == "working_days":
            return self.add_working_days(start, amount)
        if deadline.rule == "calendar_days":
            return self.add_calendar_days(start, amount)
        if deadline.rule == "before_sitting":
            lead = amount or 1
            opens = deadline.due + datetime.timedelta(days=len(deadline.skipped) + lead)
            return self.before_sitting(start, opens, deadline.label, lead)
        nominal = deadline.moved_from or deadline.due
        return self._rolled(deadline.rule, start, nominal, amount)

    def _rolled(
        self, rule: str, start: datetime.date, nominal: datetime.date, amount: int | None = None
    ) -> Deadline:
        skipped = list(self._days_off_from(nominal))
        due = nominal + datetime.timedelta(days=len(skipped))
        return Deadline(rule, start, due, amount, tuple(skipped), nominal if skipped else None)

    def _days_off_from(self, day: datetime.date) -> Iterator[DayOff]:
        for _ in range(MAX_DAYS):
            off = self.day_off(day)
            if off is None:
                return
            yield off
            day += datetime.timedelta(days=1)


@cache
def national_holidays() -> dict[str, holidays.HolidayBase]:
    """The national calendar in each language, one per process: the same for every council
    and request, and each year is worked out once (it took about a millisecond per request)."""
    return {lang: holidays.VN(language=code) for lang, code in LANGUAGES.items()}


def _check_amount(days: int) -> None:
    if not 0 <= days <= MAX_DAYS:
        raise ValueError(f"number of days must be between 0 and {MAX_DAYS}")


def _date_or_none(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_RULES = {
    "vi": {
        "date": "hạn ghi trong văn bản",
        "extension": "gia hạn theo quyết định",
        "working_days": "cộng {n} ngày làm việc",
        "calendar_days": "cộng {n} ngày",
        "months": "cộng {n} tháng",
        "quarter_end": "hết quý {n}",
        "month_end": "hết tháng {n}",
        "before_sitting": "trước kỳ họp “{label}”",
        "lead": "{n} ngày trước kỳ họp “{label}” (thời hạn gửi tài liệu)",
        "start": "Từ ngày {start}",
        "skipped": "bỏ qua {ranges}",
        "weekends": "{n} ngày nghỉ cuối tuần",
        "moved": "ngày {day} là ngày nghỉ nên chuyển sang ngày làm việc kế tiếp",
        "due": "hạn {due}",
    },
    "en": {
        "date": "date set in the notice",
        "extension": "extended by decision",
        "working_days": "plus {n} working days",
        "calendar_days": "plus {n} days",
        "months": "plus {n} months",
        "quarter_end": "end of quarter {n}",
        "month_end": "end of month {n}",
        "before_sitting": "before the sitting “{label}”",
        "lead": "{n} days before the sitting “{label}” (when its documents are sent)",
        "start": "From {start}",
        "skipped": "skipping {ranges}",
        "weekends": "{n} weekend days",
        "moved": "{day} is a day off, so it moves to the next working day",
        "due": "due {due}",
    },
}


def explain(deadline: Deadline, language: str = "vi") -> str:
    """One line a person can check by hand, e.g. "Từ ngày 24/01/2025, cộng 10 ngày làm việc,
    bỏ qua Tết Nguyên Đán 27/01–01/02/2025; 6 ngày nghỉ cuối tuần → hạn 14/02/2025"."""
    text = _RULES["en" if language.startswith("en") else "vi"]
    parts = [text["start"].format(start=_dmy(deadline.start)), _rule_text(deadline, text)]
    skipped = _describe_skipped(deadline.skipped, language, text)
    if skipped:
        parts.append(text["skipped"].format(ranges=skipped))
    if deadline.moved_from:
        parts.append(text["moved"].format(day=_dmy(deadline.moved_from)))
    return ", ".join(parts) + " → " + text["due"].format(due=_dmy(deadline.due))


def _rule_text(deadline: Deadline, text: dict[str, str]) -> str:
    rule, amount = deadline.rule, deadline.amount
    if rule == "quarter_end":
        amount = f"{_ROMAN[amount]}/{(deadline.moved_from or deadline.due).year}"
    elif rule == "month_end":
        amount = f"{amount}/{(deadline.moved_from or deadline.due).year}"
    elif rule == "before_sitting" and amount:
        rule = "lead"
    return text[rule].format(n=amount, label=deadline.label)


def _describe_skipped(days: tuple[DayOff, ...], language: str, text: dict[str, str]) -> str:
    lang = "en" if language.startswith("en") else "vi"
    weekends = sum(1 for d in days if d.is_weekend)
    runs = _runs([d for d in days if not d.is_weekend])
    described = [f"{_run_name(run, lang)} {_span(run)}" for run in runs]
    if weekends:
        described.append(text["weekends"].format(n=weekends))
    return "; ".join(described)


def _runs(days: list[DayOff]) -> list[list[DayOff]]:
    """Group holidays no more than a weekend apart, so Tết reads as one range."""
    runs: list[list[DayOff]] = []
    for day in days:
        if runs and (day.day - runs[-1][-1].day).days <= 3:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def _run_name(run: list[DayOff], lang: str) -> str:
    names = [d.reason[lang] for d in run]
    # The name the others are variations of ("Tết Nguyên Đán" in "Mùng hai Tết Nguyên Đán").
    return max(names, key=lambda n: (sum(n in other for other in names), -len(n)))


def _span(run: list[DayOff]) -> str:
    first, last = run[0].day, run[-1].day
    if first == last:
        return _dmy(first)
    return f"{first:%d/%m}–{_dmy(last)}"


def _dmy(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"
