"""The kinds of report a snapshot can freeze: the built-in ones (A, B, F, G, in
reports/kinds.py) and those a stream registers from its own app's `ready()` (Reports C, D,
E: DESIGN.md, a stream's report lives in its app; reports never imports a stream).

A kind says how its figures are computed "as of" a day and how they read as a document; the
report page, the Excel workbook and the Word document are all drawn from that document."""

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
