"""The preview: every row of a file checked as the import would write it, with each
problem beside its cell and each remark beside its row. Nothing is written here."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from conclusions import rules
from intake.imports.base import RowError, RowErrors, SheetImport
from intake.imports.reading import BadFile, Layout, Table, header_key, match_headers

HEADER_SEARCH = 10  # rows looked at for the header
REQUIRED = _("Chưa nhập %(column)s.")
TOO_LONG = _("Dài quá %(limit)s ký tự (hiện có %(length)s).")


@dataclass
class CheckedRow:
    number: int  # as numbered in the sheet
    values: dict[str, str]
    errors: dict[str, list[RowError]] = field(default_factory=dict)  # column key ("" = row)
    notes: list[str] = field(default_factory=list)
    cleaned: dict | None = None

    def add(self, error: RowError) -> None:
        self.errors.setdefault(error.column, []).append(error)


@dataclass
class Preview:
    rows: list[CheckedRow]
    ignored_headers: list[str] = field(default_factory=list)

    @property
    def rows_with_errors(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def is_valid(self) -> bool:
        return not self.rows_with_errors

    def cleaned(self) -> list[dict]:
        return [row.cleaned for row in self.rows]


def header_names(sheet_import: SheetImport) -> dict[str, str]:
    """Every name a column may be headed with (its key, its label in Vietnamese and in
    English, its aliases), compared as `header_key`."""
    names: dict[str, str] = {}
    for column in sheet_import.columns:
        labels = [column.key, *column.aliases]
        for language in ("vi", "en"):
            with translation.override(language):
                labels.append(str(column.label))
        names.update({header_key(label): column.key for label in labels if header_key(label)})
    return names


def stored_rows(sheet_import: SheetImport, table: Table) -> tuple[list, list[str]]:
    """The table as kept until confirmation: [[row number, {column key: text}], …], and the
    headers no column claims. Raises BadFile for a header row that does not fit."""
    names = header_names(sheet_import)
    headers, body = _header_row(table, names)
    layout = match_headers(headers, sheet_import.columns, names)
    rows = [[number, _values(cells, layout)] for number, cells in body]
    rows = [row for row in rows if any(row[1].values())]
    if not rows:
        raise BadFile(_("Tệp chỉ có dòng tiêu đề, chưa có dòng dữ liệu nào."))
    return rows, layout.ignored


def _header_row(table: Table, names: dict[str, str]) -> tuple[list[str], list]:
    """The header is the row among the first few that names the most columns: a sheet often
    opens with its title ("DANH SÁCH KIẾN NGHỊ …") above the header."""
    lines = [(0, table.headers), *table.rows[: HEADER_SEARCH - 1]]
    scores = [sum(header_key(cell) in names for cell in cells) for _number, cells in lines]
    best = scores.index(max(scores))
    if best == 0:
        return table.headers, table.rows
    return table.rows[best - 1][1], table.rows[best:]


def _values(cells: list[str], layout: Layout) -> dict[str, str]:
    return {
        key: rules.normalize_text(cells[index]) if index < len(cells) else ""
        for key, index in layout.positions.items()
    }


def check_rows(sheet_import: SheetImport, rows: list, context) -> Preview:
    """Every stored row checked: the machinery's rules, then the import's own."""
    checked = [CheckedRow(number, _complete(sheet_import, values)) for number, values in rows]
    for row in checked:
        _check_cells(sheet_import, row)
        if not row.errors:
            _clean(sheet_import, row, context)
    good = [row for row in checked if not row.errors]
    for index, error in sheet_import.check_rows([row.cleaned for row in good], context):
        good[index].add(error)
    for row in checked:
        if not row.errors:
            row.notes = [str(note) for note in sheet_import.notes(row.cleaned, context)]
    return Preview(checked)


def _complete(sheet_import: SheetImport, values: dict[str, str]) -> dict[str, str]:
    return {column.key: values.get(column.key, "") for column in sheet_import.columns}


def _check_cells(sheet_import: SheetImport, row: CheckedRow) -> None:
    for column in sheet_import.columns:
        value = row.values[column.key]
        if column.required and not value:
            row.add(RowError(column.key, REQUIRED, column=column.label))
        elif len(value) > column.max_length:
            row.add(RowError(column.key, TOO_LONG, limit=column.max_length, length=len(value)))
        else:
            try:
                rules.validate_text(value)
            except ValidationError as error:
                row.add(RowError(column.key, error.message, **error.params))


def _clean(sheet_import: SheetImport, row: CheckedRow, context) -> None:
    try:
        row.cleaned = sheet_import.clean_row(dict(row.values), context)
    except RowError as error:
        row.add(error)
    except RowErrors as errors:
        for error in errors.errors:
            row.add(error)
