"""Deadlines as notices write them, read into a deadline spec (conclusions.deadline_spec) or a
date, keeping the words: "trước ngày 30/9/2026", "chậm nhất ngày 30 tháng 9 năm 2026",
"trong quý III/2026", "trong tháng 5/2026", "trong 6 tháng", "trong 15 ngày làm việc kể từ
ngày ký", "trước kỳ họp thường lệ cuối năm 2026", "thường xuyên" (none)."""

import calendar as gregorian
import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from intake.parsing.text import fold

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
NUMBER_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8}
NUMBER_WORDS |= {"chin": 9, "muoi": 10, "muoi lam": 15, "ba muoi": 30}

YEAR = r"(?:\s*[/-]\s*|\s+nam\s+)(?P<year>\d{4})"
SHORT_DATE = r"(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})(?:\s*[/.-]\s*(?P<year>\d{4}))?"
LONG_DATE = r"(?P<day>\d{1,2})\s+thang\s+(?P<month>\d{1,2})(?:\s*,?\s+nam\s+(?P<year>\d{4}))?"
COUNT = r"(?P<n>\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
WITHIN = r"(?:trong(?:\s+vong|\s+thoi\s+(?:han|gian))?|sau|khong\s+qua)\s+(?:(?:toi\s+)?da\s+)?"
BY = r"(?:truoc|cham\s+nhat(?:\s+la)?(?:\s+(?:vao|trong))?|han\s+chot(?:\s+la)?|den(?:\s+het)?"
BY += r"|trong|xong\s+truoc|hoan\s+thanh\s+(?:truoc|trong)|thoi\s+han(?:\s+la)?:?)"
UNTIL_END = r"(?:trong|het|cuoi|den\s+het|truoc\s+khi\s+het|cham\s+nhat(?:\s+la)?(?:\s+trong)?"
UNTIL_END += r"|truoc\s+het|hoan\s+thanh\s+trong)"


@dataclass(frozen=True)
class Reading:
    """What a recommendation's words say about its deadline. `spec` is the API's shape
    ({"date": …}, {"quarter": …, "year": …}, …) or None; `problem` explains a None that
    is not "thường xuyên"."""

    spec: dict | None
    words: str = ""
    problem: Promise | None = None
    start: int = -1


@dataclass(frozen=True)
class SittingRow:
    pk: int
    name: str
    opens_on: datetime.date


@dataclass(frozen=True)
class Context:
    issued: datetime.date
    sittings: Sequence[SittingRow] = ()
    lead_days: int = 10


def _date_spec(m: re.Match, ctx: Context) -> dict | None:
    day, month = int(m["day"]), int(m["month"])
    year = int(m["year"]) if m["year"] else _year_after(ctx.issued, month, day)
    try:
        return {"date": datetime.date(year, month, day)}
    except ValueError:
        return None


def _year_after(issued: datetime.date, month: int, day: int) -> int:
    return issued.year + ((month, day) < (issued.month, issued.day))


def _quarter_spec(m: re.Match, ctx: Context) -> dict:
    quarter = ROMAN[m["q"]]
    year = int(m["year"]) if m["year"] else ctx.issued.year + (quarter < _quarter_of(ctx.issued))
    return {"quarter": quarter, "year": year}


def _quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def _month_spec(m: re.Match, ctx: Context) -> dict | None:
    month = int(m["month"])
    if not 1 <= month <= 12:
        return None
    year = int(m["year"]) if m["year"] else ctx.issued.year + (month < ctx.issued.month)
    return {"month": month, "year": year}


def _month_before_spec(m: re.Match, ctx: Context) -> dict | None:
    spec = _month_spec(m, ctx)
    if spec is None:
        return None
    month, year = spec["month"] - 1, spec["year"]
    return {"month": month, "year": year} if month else {"month": 12, "year": year - 1}


def _first_half_spec(m: re.Match, ctx: Context) -> dict:
    return {"month": 6, "year": int(m["year"]) if m["year"] else ctx.issued.year}


def _year_end_spec(m: re.Match, ctx: Context) -> dict:
    return {"date": datetime.date(int(m["year"]), 12, 31)}


def _count(m: re.Match) -> int:
    raw = m["n"]
    return int(raw) if raw.isdigit() else NUMBER_WORDS[raw]


def _months_spec(m: re.Match, ctx: Context) -> dict:
    return {"months": _count(m)}


def _working_days_spec(m: re.Match, ctx: Context) -> dict:
    return {"working_days": _count(m)}


def _days_spec(m: re.Match, ctx: Context) -> dict:
    return {"calendar_days": _count(m)}


SITTING = re.compile(
    r"(?:truoc|tai|trinh)\s+(?:khi\s+(?:khai\s+mac|to\s+chuc|dien\s+ra|trien\s+khai)\s+)?"
    r"(?:cac\s+)?ky\s+hop(?P<rest>[^.;:]{0,80})"
)
SITTING_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
SITTING_NUMBER = re.compile(r"\bthu\s+(\d{1,2})\b")

# (pattern, reader, needs a cue word before it outside a deadline cell), most specific first.
PATTERNS = [
    (rf"{BY}\s+(?:ngay\s+)?{LONG_DATE}", _date_spec),
    (rf"{BY}\s+(?:ngay\s+)?{SHORT_DATE}(?![\d/])", _date_spec),
    (
        rf"{UNTIL_END}\s+(?:thoi\s+gian\s+)?quy\s+(?P<q>iv|iii|ii|i|[1-4])\b(?:{YEAR})?",
        _quarter_spec,
    ),
    (rf"{UNTIL_END}\s+thang\s+(?P<month>\d{{1,2}})(?:{YEAR})?(?![\d/])", _month_spec),
    (rf"truoc\s+thang\s+(?P<month>\d{{1,2}})(?:{YEAR})?(?![\d/])", _month_before_spec),
    (r"(?:trong\s+)?(?:6|sau)\s+thang\s+dau\s+nam(?:\s+(?P<year>\d{4}))?", _first_half_spec),
    (r"(?:trong|cuoi|het|truoc\s+(?:khi\s+)?het)\s+nam\s+(?P<year>\d{4})", _year_end_spec),
    (rf"{WITHIN}{COUNT}\s+ngay\s+lam\s+viec", _working_days_spec),
    (rf"{WITHIN}{COUNT}\s+thang\b(?!\s*\d)", _months_spec),
    (rf"{WITHIN}{COUNT}\s+ngay\b(?!\s+(?:\d|lam\s+viec))", _days_spec),
]
CELL_PATTERNS = [
    (rf"^(?:ngay\s+)?{LONG_DATE}", _date_spec),
    (rf"^{SHORT_DATE}(?![\d/])", _date_spec),
    (rf"^quy\s+(?P<q>iv|iii|ii|i|[1-4])\b(?:{YEAR})?", _quarter_spec),
    (rf"^thang\s+(?P<month>\d{{1,2}})(?:{YEAR})?(?![\d/])", _month_spec),
    (r"^nam\s+(?P<year>\d{4})$", _year_end_spec),
    (rf"^{COUNT}\s+ngay\s+lam\s+viec", _working_days_spec),
    (rf"^{COUNT}\s+thang\b", _months_spec),
    (rf"^{COUNT}\s+ngay\b", _days_spec),
]
COMPILED = [(re.compile(rf"(?<![a-z0-9]){p}"), read) for p, read in PATTERNS]
COMPILED_CELL = [(re.compile(p), read) for p, read in CELL_PATTERNS]
ONGOING = re.compile(r"\b(?:thuong\s+xuyen|dinh\s+ky|hang\s+(?:nam|quy|thang)|lien\s+tuc)\b")
# Words that announce a deadline; if one is there and nothing above is, say so.
DEADLINE_CUES = re.compile(
    r"\b(?:cham\s+nhat|han\s+chot|thoi\s+han|truoc\s+(?:ngay|thoi\s+diem|mua|dip|tet|khi)"
    r"|som\s+nhat|trong\s+thoi\s+gian\s+(?!\d)|hoan\s+thanh\s+truoc|truoc\s+quy)\b"
)
CLAUSE_END = re.compile(r"[;.](?:\s|$)")


def read_deadline(text: str, ctx: Context, *, cell: bool = False) -> Reading:
    """The first deadline `text` states, with its words; or why there is none."""
    folded = fold(text)
    found = _first(folded, text, ctx, [*COMPILED_CELL, *COMPILED] if cell else COMPILED)
    sitting = _sitting(folded, text, ctx)
    if sitting and (not found or sitting.start < found.start):
        return sitting
    if found:
        return found
    ongoing = ONGOING.search(folded)
    if ongoing:
        return Reading(None, text[ongoing.start() : ongoing.end()], None, ongoing.start())
    cue = DEADLINE_CUES.search(folded)
    if cue:
        words = _clause(text, cue.start())
        return Reading(None, words, _("Không hiểu thời hạn “%(words)s”."), cue.start())
    if cell and text.strip():
        return Reading(None, text.strip(), _("Không hiểu thời hạn “%(words)s”."), 0)
    return Reading(None, "", _("Không thấy thời hạn."))


def _first(folded: str, text: str, ctx: Context, patterns) -> Reading | None:
    best: Reading | None = None
    for regex, read in patterns:
        m = regex.search(folded)
        if m is None or (best is not None and m.start() >= best.start):
            continue
        spec = read(m, ctx)
        words = text[m.start() : m.end()].strip()
        if spec is None:
            best = Reading(None, words, _("Không hiểu thời hạn “%(words)s”."), m.start())
        else:
            best = Reading(spec, words, None, m.start())
    return best


def _sitting(folded: str, text: str, ctx: Context) -> Reading | None:
    m = SITTING.search(folded)
    if m is None:
        return None
    rest = m["rest"]
    end = m.start("rest") + _sitting_words_end(rest)
    words = text[m.start() : end].strip(" ,")
    sitting = _which_sitting(rest[: end - m.start("rest")], ctx)
    if sitting is None:
        return Reading(
            None,
            words,
            _("Chưa có kỳ họp nào khớp với “%(words)s” trong danh mục kỳ họp của HĐND."),
            m.start(),
        )
    return Reading({"sitting": sitting.pk, "lead_days": ctx.lead_days}, words, None, m.start())


def _sitting_words_end(rest: str) -> int:
    """Where the sitting's description stops: after its year, or at the first comma."""
    year = SITTING_YEAR.search(rest)
    if year:
        return year.end()
    comma = rest.find(",")
    return comma if comma >= 0 else len(rest)


def _which_sitting(rest: str, ctx: Context) -> SittingRow | None:
    year = SITTING_YEAR.search(rest)
    number = SITTING_NUMBER.search(rest)
    later = [s for s in sorted(ctx.sittings, key=lambda s: s.opens_on) if s.opens_on > ctx.issued]
    if number:
        return next((s for s in later if f"thu {number[1]}" in fold(s.name)), None)
    if year:
        later = [s for s in later if s.opens_on.year == int(year[1])]
    if "cuoi nam" in rest:
        return _named(later, "cuoi nam") or next((s for s in later if s.opens_on.month >= 10), None)
    if "giua nam" in rest or "dau nam" in rest:
        return _named(later, "giua nam") or next((s for s in later if s.opens_on.month < 9), None)
    return later[0] if later else None


def _named(sittings: Sequence[SittingRow], words: str) -> SittingRow | None:
    return next((s for s in sittings if words in fold(s.name)), None)


def _clause(text: str, start: int) -> str:
    end = CLAUSE_END.search(text, start)
    return text[start : end.start() if end else len(text)][:80].strip()


def due_of_spec(spec: dict, issued: datetime.date) -> datetime.date | None:
    """A rough due date for sanity checks (no calendar): a date, or the end of a period."""
    if "date" in spec:
        return spec["date"]
    if "quarter" in spec:
        month = spec["quarter"] * 3
        return datetime.date(spec["year"], month, gregorian.monthrange(spec["year"], month)[1])
    if "month" in spec:
        last = gregorian.monthrange(spec["year"], spec["month"])[1]
        return datetime.date(spec["year"], spec["month"], last)
    return None
