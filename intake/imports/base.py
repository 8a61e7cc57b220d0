"""What an import declares: its columns, who may use it, how a row is read and how the rows
are written. The machinery (reading, preview, confirm) lives beside it and never needs to
know which import it runs."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django import forms
from django.utils.functional import Promise

from conclusions import rules


@dataclass(frozen=True)
class Column:
    """One column of the sheet. `label` is the Vietnamese header the template carries; a file
    may also head it with `key` or any of `aliases` (matched without case, diacritics or
    spacing). `hint` is shown as the header cell's comment in the template."""

    key: str
    label: Promise | str
    required: bool = False
    hint: Promise | str = ""
    aliases: tuple[str, ...] = ()
    max_length: int = rules.TEXT
    width: int = 24


class RowError(Exception):
    """One problem with one cell of a row: `column` is a Column key ("" for the whole row).
    The message stays lazy, its parameters apart, so it reads in the page's language."""

    def __init__(self, column: str, message: Promise | str, /, **params) -> None:
        super().__init__(column, message)
        self.column, self.message, self.params = column, message, params

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


class RowErrors(Exception):
    """Several problems of one row at once."""

    def __init__(self, errors: Iterable[RowError]) -> None:
        self.errors = list(errors)
        super().__init__(self.errors)


def read_cells(
    values: dict[str, str], readers: Mapping[str, Callable[[str], object]]
) -> tuple[dict, list[RowError]]:
    """The row with each column of `readers` replaced by what its reader makes of the text,
    and every RowError they raised: a row's problems are shown all at once, not one a try."""
    row, errors = dict(values), []
    for key, read in readers.items():
        try:
            row[key] = read(values[key])
        except RowError as error:
            errors.append(error)
    return row, errors


class SheetImport:
    """Subclass it, fill in the class attributes, implement the methods, then
    `register(MyImport())` in your AppConfig.ready(). See the package's docstring."""

    key: str = ""
    title: Promise | str = ""
    description: Promise | str = ""
    columns: Sequence[Column] = ()
    options_form: type[forms.Form] | None = None

    def may_import(self, user, council) -> bool:
        raise NotImplementedError

    def make_options_form(self, data=None, *, council, user) -> forms.Form | None:
        """The options form bound to `data`; override to hand the form the council."""
        return self.options_form(data) if self.options_form else None

    def prepare(self, *, council, options) -> object:
        """Everything the rows are checked against, read once (no query per row)."""
        return None

    def clean_row(self, values: dict[str, str], context) -> dict:
        """The row's values (stripped strings, "" when empty; never called with a required
        value missing) → what `write` takes. Raise RowError or RowErrors."""
        raise NotImplementedError

    def check_rows(self, rows: list[dict], context) -> Iterable[tuple[int, RowError]]:
        """Problems between rows (a number used twice …): (index in `rows`, error)."""
        return ()

    def notes(self, cleaned: dict, context) -> list[str]:
        """Remarks that do not stop the import, shown beside the row in the preview."""
        return []

    def write(self, rows: list[dict], *, actor, council, context) -> str:
        """Write every row; called once, inside one transaction (raise to write nothing).
        Returns the sentence shown to the user afterwards."""
        raise NotImplementedError

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


_REGISTRY: dict[str, SheetImport] = {}


def register(sheet_import: SheetImport) -> SheetImport:
    """Make an import available at /intake/nhap/<key>/. Registering a key twice replaces it
    (AppConfig.ready() may run more than once in tests)."""
    if not sheet_import.key or not sheet_import.columns:
        raise ValueError("An import needs a key and columns.")
    _REGISTRY[sheet_import.key] = sheet_import
    return sheet_import


def get_import(key: str) -> SheetImport | None:
    return _REGISTRY.get(key)


def registered_imports() -> list[SheetImport]:
    return sorted(_REGISTRY.values(), key=lambda i: i.key)
