"""The kinds of report a snapshot can freeze: the built-in ones (A, B, F, G, in
reports/kinds.py) and those a stream registers from its own app's `ready()` (Reports C, D,
E: DESIGN.md, a stream's report lives in its app; reports never imports a stream).

A kind says how its figures are computed "as of" a day and how they read as a document; the
report page, the Excel workbook and the Word document are all drawn from that document.

A stream may also add its own candidates to Report F (a petition the voters did not accept):
`register_candidates` from its `ready()`, read when the report is frozen."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.functional import Promise

# figures(snapshot, cases the author may see in the council, filtered; progress(percent)) -> dict
Figures = Callable[..., dict]
# document(snapshot, figures) -> reports.documents.Document
DocumentBuilder = Callable[..., object]
# check(actor, council, options) raises workflow.errors.CaseInvalid / CaseNotFound
Check = Callable[..., None]
# options_form(user) -> {name: django form field}: the kind's own fields on the web form that
# asks for a report; the chosen kind's cleaned values (a model instance as its pk) become
# `options` (reports/forms.py).
OptionsForm = Callable[..., dict]


@dataclass(frozen=True)
class ReportKind:
    code: str  # stored in ReportSnapshot.kind (at most 16 characters)
    label: Promise
    figures: Figures
    document: DocumentBuilder
    check: Check | None = None  # the kind's own conditions on a request (e.g. a notice chosen)
    options_form: OptionsForm | None = None


_KINDS: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> ReportKind:
    if len(kind.code) > 16:
        raise ValueError(f"Report kind code too long: {kind.code!r}")
    _KINDS[kind.code] = kind
    return kind


def kind_of(code: str) -> ReportKind | None:
    return _KINDS.get(code)


def kinds() -> Mapping[str, ReportKind]:
    return dict(_KINDS)


def kind_choices() -> list[tuple[str, Promise]]:
    """ReportSnapshot.kind's choices, read when asked, so late registrations count."""
    return [(kind.code, kind.label) for kind in _KINDS.values()]


# ------------------------------------------------------------------ Report F's other sources

# rows(snapshot=, cases=, day=) -> [reports.candidates.candidate_row(...), ...]: the cases among
# `cases` (Report F's scope) the source proposes as of `day`, closed ones included if it says so.
CandidateRows = Callable[..., list[dict]]


@dataclass(frozen=True)
class CandidateSource:
    """An app's own reasons to put a case before the sitting (Report F). Its reason codes are
    its own; `reasons` words each one, formatted with the row's `details[code]`."""

    code: str
    label: Promise  # a column of Report F's summary by agency
    note: Promise  # how the source chooses, printed under Report F's tables
    reasons: Mapping[str, Promise]
    rows: CandidateRows


_CANDIDATE_SOURCES: dict[str, CandidateSource] = {}


def register_candidates(source: CandidateSource) -> CandidateSource:
    _CANDIDATE_SOURCES[source.code] = source
    return source


def candidate_sources() -> Mapping[str, CandidateSource]:
    return dict(_CANDIDATE_SOURCES)
