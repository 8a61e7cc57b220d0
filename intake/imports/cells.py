"""Reading one cell of a notice sheet: a date, the agencies it names (the parser's name
matcher: full names, short forms, aliases, with or without diacritics; or codes), a
committee, a deadline as written. Each reader returns its value or raises RowError."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from conclusions import rules
from intake.imports.base import RowError
from intake.parsing.deadlines import Context, Reading, due_of_spec, read_deadline
from intake.parsing.names import NameFinder
from intake.parsing.registry import Registry
from intake.parsing.text import fold

PARTS = re.compile(r"[;\n]+")
# What may stand between two agencies of one cell: separators and linking words.
FILLER = re.compile(r"(?:[\s,;/&()+.\-]|\b(?:va|cac|voi|cung)\b)+")
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")

BAD_DATE = _("Ngày “%(value)s” không hợp lệ: ghi theo dạng ngày/tháng/năm, ví dụ 05/06/2026.")
UNKNOWN_AGENCY = _("Không có cơ quan “%(name)s” trong danh mục của HĐND.")
TWO_AGENCIES = _("“%(name)s” khớp với nhiều cơ quan: %(codes)s; hãy ghi rõ hơn hoặc dùng mã.")
UNKNOWN_COMMITTEE = _("Không có Ban “%(name)s” của HĐND.")


def read_date(column: str, value: str) -> datetime.date:
    for pattern in DATE_FORMATS:
        try:
            day = datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        try:
            rules.validate_date(day)
        except ValidationError as error:
            raise RowError(column, error.message, **error.params) from None
        return day
    raise RowError(column, BAD_DATE, value=value)


def read_agencies(column: str, value: str, registry: Registry) -> list[str]:
    """The agency codes a cell names, in order, each once."""
    codes: list[str] = []
    for part in filter(None, (p.strip() for p in PARTS.split(value))):
        code = part.lower()  # codes are slugs: "SO-TC" is so-tc
        found = [code] if code in registry.agency_names else _named(column, part, registry.agencies)
        codes.extend(code for code in found if code not in codes)
    return codes


def _named(column: str, part: str, finder: NameFinder) -> list[str]:
    folded = fold(part)
    mentions = finder.find(part, folded)
    uncertain = next((m for m in mentions if len(m.codes) > 1), None)
    if uncertain:
        raise RowError(column, TWO_AGENCIES, name=uncertain.text, codes=", ".join(uncertain.codes))
    left = _leftover(part, folded, [(m.start, m.end) for m in mentions])
    if left:
        raise RowError(column, UNKNOWN_AGENCY, name=left)
    return [m.codes[0] for m in mentions]


def _leftover(text: str, folded: str, spans: list[tuple[int, int]]) -> str:
    """The words of `text` outside `spans` that are more than separators."""
    chunks, start = [], 0
    for begin, end in [*spans, (len(text), len(text))]:
        if FILLER.sub("", folded[start:begin]):
            chunks.append(text[start:begin].strip(" ,;"))
        start = end
    return ", ".join(chunks)


def read_committee(column: str, value: str, registry: Registry) -> str:
    if value.lower() in registry.committee_names:
        return value.lower()
    mentions = registry.committees.find(value)
    codes = {code for m in mentions for code in m.codes}
    if len(codes) != 1 or _leftover(value, fold(value), [(m.start, m.end) for m in mentions]):
        raise RowError(column, UNKNOWN_COMMITTEE, name=value)
    return codes.pop()


def read_deadline_cell(column: str, value: str, issued: datetime.date, registry: Registry):
    """(date or None, spec or None) as the cell writes it: "30/9/2026", "quý III/2026",
    "trong 6 tháng", "15 ngày làm việc", "trước kỳ họp cuối năm 2026", "thường xuyên"."""
    ctx = Context(issued, registry.sittings, registry.lead_days)
    reading: Reading = read_deadline(value, ctx, cell=True)
    if reading.problem is not None:
        raise RowError(column, reading.problem, words=reading.words or value)
    spec = reading.spec
    if spec is None:
        return None, None  # "thường xuyên": no deadline
    due = due_of_spec(spec, issued)
    if due is not None and due < issued:
        raise RowError(
            column,
            _("Thời hạn “%(words)s” trước ngày ban hành %(issued)s."),
            words=reading.words,
            issued=f"{issued:%d/%m/%Y}",
        )
    if "date" in spec:
        return spec["date"], None
    return None, spec
