"""Bulk imports from Excel (.xlsx) and CSV, with a template, a preview and one transaction.

A stream declares what a row is; the machinery does the rest::

    from intake.imports import Column, RowError, SheetImport, register

    class PetitionImport(SheetImport):
        key = "petitions"                      # URL slug: /intake/nhap/petitions/
        title = _("Kiến nghị cử tri")
        description = _("…")                   # optional, shown on the upload page
        columns = [
            Column("text", _("Nội dung kiến nghị"), required=True, hint=_("…")),
            Column("locality", _("Xã, phường"), aliases=("dia ban",)),
        ]
        options_form = None                    # optional Form class shown on the upload page;
                                               # override make_options_form(data, council=,
                                               # user=) to hand it the council; its
                                               # cleaned_data is `options`
        def may_import(self, user, council) -> bool: ...
        def prepare(self, *, council, options) -> object: ...   # lookups, read once
        def clean_row(self, values: dict[str, str], context) -> dict: ...
        def check_rows(self, rows: list[dict], context): ...    # optional: (index, RowError)
        def notes(self, cleaned: dict, context) -> list[str]: ...  # optional remarks
        def write(self, rows: list[dict], *, actor, council, context) -> str: ...

    register(PetitionImport())   # in the stream's AppConfig.ready()

`read_cells(values, {column key: reader})` reads the columns a row needs, each with its
reader, and returns the row and every RowError raised (a `clean_row` raises RowErrors(errors)
when there are any, after adding its own checks between columns). Readers for the usual
cells, each returning the value or raising RowError(column, …):
`intake.imports.cells.read_date` (dd/mm/yyyy), `read_agencies` (codes from names, short
forms, aliases or codes, ";"-separated; the notice parser's matcher), `read_committee`,
`read_deadline_cell` (the parser's deadline reader: a date or a deadline spec). Build the
registry they take once in `prepare` (`intake.parsing.registry_for(council)`).

What the machinery guarantees:
- Pages under the intake app: /intake/nhap/ (list), /intake/nhap/<key>/ (upload),
  /intake/nhap/<key>/mau.xlsx (template), /intake/nhap/<key>/<uuid>/ (preview, confirm);
  URL names `intake:imports:list|upload|template|preview`. Only councils for which
  `may_import` is true are offered; with none the pages answer 403.
- Reading (reading.py): the first sheet of an .xlsx, or a .csv in UTF-8 (BOM or not),
  UTF-16 or Windows-1258; ; , or tab separated. The header is the row among the first ten
  that names the most columns (a title row above it is passed over), matched to columns
  without case, diacritics, spaces or marks, by key, Vietnamese or English label, or
  alias; columns nobody claims are listed and ignored. Cells become text (dates
  dd/mm/yyyy, whole numbers without ".0"), NFC, stripped; empty rows are
  skipped. A file that is not a spreadsheet, empty, too big, too long, has formula cells,
  lacks a required column or names one twice is refused whole (`BadFile`, HTTP 400).
  Limits: `conclusions.rules.IMPORT_*`.
- Checking (checking.py): required values, length (`Column.max_length`) and unstorable
  characters first; `clean_row` runs only on a row that passed those, with every
  column's key present ("" when empty); then `check_rows` across the good rows, then
  `notes`. Errors stay lazy (RowError(column, message, **params)), so the preview reads
  in the user's language; "" as column puts the error in the row's remarks.
- Keeping (services.py): the rows are kept as text in a `PendingImport` of the uploader
  (another user gets 404), for `IMPORT_PENDING_HOURS`. Preview and confirmation both check
  them again against the data of that moment. Confirming locks the row, re-checks, and
  calls `write` once inside one transaction with every cleaned row (a ValidationError
  or any exception writes nothing); a second confirmation answers 409 and writes nothing.
"""

from intake.imports.base import (
    Column,
    RowError,
    RowErrors,
    SheetImport,
    get_import,
    read_cells,
    register,
    registered_imports,
)

__all__ = [
    "Column",
    "RowError",
    "RowErrors",
    "SheetImport",
    "get_import",
    "read_cells",
    "register",
    "registered_imports",
]
