"""What a person types into the intake's two friendly fields, read on the server.

- One deadline field per item: a date (dd/mm/yyyy), or the words a notice uses ("30 ngày
  làm việc", "trong quý III/2026", "trong tháng 5/2026", "trong 6 tháng", "trước kỳ họp …",
  "thường xuyên"), read by the notice parser's own `read_deadline` and counted on the
  council's working-day calendar, so the page shows the date the case will get.
- The agency picker: names, short forms, aliases or codes separated by ";" (what the picker's
  script fills in, and what a person types without it), each resolved against the council's
  registry; a name that fits none or several is said so, never guessed."""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from conclusions import rules
from conclusions.deadline_spec import parse_deadline_spec
from conclusions.models import Agency, Council, Sitting
from intake.parsing.deadlines import Context, SittingRow, read_deadline
from intake.parsing.names import Entry, NameFinder
from intake.parsing.text import fold
from workflow.calendar import Deadline, explain
from workflow.deadlines import calendar_for, spec_deadline

NOT_UNDERSTOOD = _("Không hiểu thời hạn “%(words)s”.")
ONGOING = ("thuong xuyen", "dinh ky", "lien tuc")
DATE_LIKE = re.compile(r"^\d{1,4}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{1,5}$")
BAD_DATE = _("Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 31/12/2026.")


@dataclass(frozen=True)
class DeadlineEntry:
    """The deadline field read: at most one of `date` and `spec`; both empty is "thường xuyên"."""

    words: str
    date: datetime.date | None = None
    spec: dict = field(default_factory=dict)

    @property
    def ongoing(self) -> bool:
        return self.date is None and not self.spec


@dataclass(frozen=True)
class DeadlineScope:
    """What a deadline is counted from: the notice's issue date and its council."""

    council_id: int
    issued: datetime.date
    lead_days: int = 10

    @classmethod
    def of(cls, council: Council, issued: datetime.date | None) -> "DeadlineScope":
        from django.utils import timezone

        return cls(council.pk, issued or timezone.localdate(), council.sitting_lead_days)

    def context(self) -> Context:
        sittings = tuple(
            SittingRow(s.pk, s.name, s.opens_on)
            for s in Sitting.objects.filter(council_id=self.council_id).order_by("opens_on")
        )
        return Context(issued=self.issued, sittings=sittings, lead_days=self.lead_days)


def read_deadline_entry(words: str, scope: DeadlineScope | None) -> DeadlineEntry:
    """The field's words as a date or a period; a ValidationError says what is not understood.
    Without a scope only a typed date is read (and checked); words are kept as they are."""
    words = rules.normalize_text(words or "").strip()
    if not words or fold(words).strip(" .") in ONGOING:
        return DeadlineEntry(words)
    day = _typed_date(words)
    if day is not None:
        rules.validate_date(day)
        return DeadlineEntry(words, date=day)
    if DATE_LIKE.match(words):
        raise ValidationError(BAD_DATE)
    if scope is None:
        return DeadlineEntry(words)
    reading = read_deadline(words, scope.context(), cell=True)
    if reading.spec is None:
        if reading.problem is None:  # "thường xuyên" inside a longer phrase
            return DeadlineEntry(words)
        raise ValidationError(reading.problem, params={"words": reading.words or words})
    if "date" in reading.spec:
        rules.validate_date(reading.spec["date"])
        return DeadlineEntry(words, date=reading.spec["date"])
    return DeadlineEntry(words, spec=parse_deadline_spec(reading.spec))


def _typed_date(words: str) -> datetime.date | None:
    for format in rules.DATE_INPUT_FORMATS:
        try:
            return datetime.datetime.strptime(words, format).date()
        except ValueError:
            continue
    return None


def counted(entry: DeadlineEntry, scope: DeadlineScope) -> Deadline | None:
    """The due date the case will get, counted as notice_issue counts it."""
    calendar = calendar_for(scope.council_id)
    if entry.spec:
        return spec_deadline(entry.spec, scope.issued, calendar)
    if entry.date is not None:
        return calendar.on_date(scope.issued, entry.date)
    return None


def preview(words: str, scope: DeadlineScope, language: str) -> dict:
    """The deadline field's answer for the page: the date, how it was counted, or the problem."""
    try:
        entry = read_deadline_entry(words, scope)
        deadline = counted(entry, scope)
    except ValidationError as error:
        return {"ok": False, "problem": " ".join(error.messages)}
    except Sitting.DoesNotExist:
        return {"ok": False, "problem": str(_("Không tìm thấy kỳ họp."))}
    if deadline is None:
        return {"ok": True, "due": "", "summary": str(_("Thường xuyên, không có hạn"))}
    return {
        "ok": True,
        "due": date_format(deadline.due, "d/m/Y"),
        "summary": explain(deadline, language),
    }


# --- agencies -------------------------------------------------------------------------------


class AgencyBook:
    """A council's active agencies, found by code, full name, short form or alias."""

    def __init__(self, agencies) -> None:
        self.by_code = {agency.code: agency for agency in agencies}
        entries = []
        for agency in self.by_code.values():
            aliases = tuple(alias.name for alias in agency.aliases.all())
            entries.append(Entry(agency.code, agency.name, agency.short_name, aliases))
        self.finder = NameFinder(entries)
        self.exact = {fold(e.name): e.code for e in entries}
        self.exact |= {fold(e.short_name): e.code for e in entries if e.short_name}

    def resolve(self, token: str) -> list[str]:
        """The codes `token` may mean: one when it is clear."""
        token = token.strip()
        if token in self.by_code:
            return [token]
        folded = fold(token)
        if folded in self.exact:
            return [self.exact[folded]]
        mentions = [
            m for m in self.finder.find(token, folded) if m.end - m.start >= len(folded) - 2
        ]
        return sorted({code for m in mentions for code in m.codes})

    def rows(self) -> list[dict]:
        """What the picker's script searches: each agency's code and names."""
        return [
            {
                "code": agency.code,
                "name": agency.name,
                "short": agency.short_name,
                "aliases": [alias.name for alias in agency.aliases.all()],
            }
            for agency in self.by_code.values()
        ]


def agency_book(councils) -> AgencyBook:
    agencies = (
        Agency.objects.filter(council__in=councils, is_active=True)
        .prefetch_related("aliases")
        .order_by("name", "code")
    )
    return AgencyBook(agencies)


def split_agencies(values) -> list[str]:
    """The tokens of the picker: its values (one per agency, as older clients post them) each
    split at ";" and new lines."""
    tokens = []
    for value in values:
        for part in str(value).replace("\n", ";").split(";"):
            if part.strip():
                tokens.append(part.strip())
    return tokens
