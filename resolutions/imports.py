"""The resolution register from Excel (intake.imports): one row per resolution. Each row is
entered in the register as the office would type it; the whole sheet in one transaction."""

from collections import Counter
from functools import partial

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conclusions import rules
from conclusions.models import Council
from conclusions.selectors import roles_of
from intake.imports import cells
from intake.imports.base import Column, RowError, RowErrors, SheetImport, read_cells
from intake.parsing.registry import registry_for
from intake.parsing.text import fold
from resolutions.models import Resolution
from resolutions.services import resolution_register

# What a clerk writes in the "Loại" and "Tình trạng" columns, folded (no diacritics, case).
KINDS = {
    "quy pham phap luat": Resolution.Kind.NORMATIVE,
    "qppl": Resolution.Kind.NORMATIVE,
    "normative": Resolution.Kind.NORMATIVE,
    "ca biet": Resolution.Kind.INDIVIDUAL,
    "individual": Resolution.Kind.INDIVIDUAL,
}
STATUSES = {
    "": Resolution.Status.IN_FORCE,
    "con hieu luc": Resolution.Status.IN_FORCE,
    "in_force": Resolution.Status.IN_FORCE,
    "duoc sua doi, bo sung": Resolution.Status.AMENDED,
    "sua doi, bo sung": Resolution.Status.AMENDED,
    "amended": Resolution.Status.AMENDED,
    "duoc thay the": Resolution.Status.REPLACED,
    "bi thay the": Resolution.Status.REPLACED,
    "replaced": Resolution.Status.REPLACED,
    "het hieu luc": Resolution.Status.EXPIRED,
    "expired": Resolution.Status.EXPIRED,
}
BAD_KIND = _("Loại “%(value)s” không rõ: ghi “Quy phạm pháp luật” hoặc “Cá biệt”.")
BAD_STATUS = _(
    "Tình trạng “%(value)s” không rõ: ghi “Còn hiệu lực”, “Được sửa đổi, bổ sung”, "
    "“Được thay thế” hoặc “Hết hiệu lực”."
)
ONE_AGENCY = _("Ghi một cơ quan chủ trì.")
TAKEN = _("Số nghị quyết %(number)s đã có trong sổ năm %(year)s.")
TWICE = _("Số nghị quyết %(number)s có hai dòng trong tệp.")
ENDS_BEFORE = _("Ngày hết hiệu lực trước ngày có hiệu lực.")


class ResolutionImport(SheetImport):
    key = "nghi-quyet"
    title = _("Sổ nghị quyết")
    description = _(
        "Mỗi dòng một nghị quyết của HĐND. Hiệu lực từ để trống thì lấy ngày ban hành; tình "
        "trạng để trống là còn hiệu lực."
    )
    columns = [
        Column(
            "number",
            _("Số, ký hiệu"),
            required=True,
            hint=_("Ví dụ: 16/NQ-HĐND"),
            aliases=("so", "so nghi quyet", "so ky hieu nghi quyet"),
            max_length=rules.NUMBER,
            width=18,
        ),
        Column("date", _("Ngày ban hành"), required=True, hint=_("dd/mm/yyyy"), width=14),
        Column("title", _("Trích yếu"), required=True, max_length=rules.TITLE, width=60),
        Column("kind", _("Loại"), required=True, hint=_("Quy phạm pháp luật hoặc Cá biệt")),
        Column("field", _("Lĩnh vực"), required=True, max_length=100),
        Column(
            "lead_agency",
            _("Cơ quan chủ trì"),
            required=True,
            hint=_("Tên, tên viết tắt hoặc mã cơ quan chủ trì tổ chức thực hiện"),
            width=30,
        ),
        Column("committee", _("Ban theo dõi"), hint=_("Tên hoặc mã Ban của HĐND"), width=22),
        Column("in_force_from", _("Hiệu lực từ"), hint=_("dd/mm/yyyy"), width=14),
        Column("in_force_to", _("Hiệu lực đến"), hint=_("dd/mm/yyyy"), width=14),
        Column("status", _("Tình trạng"), width=20),
    ]

    def may_import(self, user, council: Council) -> bool:
        roles = roles_of(user)
        return roles.is_admin or council.pk in roles.council_ids

    def prepare(self, *, council: Council, options) -> dict:
        taken = Resolution.objects.filter(council=council).values_list("number", "issue_year")
        return {"registry": registry_for(council), "taken": set(taken)}

    def clean_row(self, values: dict[str, str], context) -> dict:
        registry = context["registry"]
        row, errors = read_cells(
            values,
            {
                "date": partial(_date, "date"),
                "in_force_from": partial(_date, "in_force_from"),
                "in_force_to": partial(_date, "in_force_to"),
                "kind": partial(_choice, "kind", KINDS, BAD_KIND),
                "status": partial(_choice, "status", STATUSES, BAD_STATUS),
                "lead_agency": partial(_one_agency, registry),
                "committee": partial(_committee, registry),
            },
        )
        if not errors:
            row["in_force_from"] = row["in_force_from"] or row["date"]
            if row["in_force_to"] and row["in_force_to"] < row["in_force_from"]:
                errors.append(RowError("in_force_to", ENDS_BEFORE))
        if errors:
            raise RowErrors(errors)
        return row

    def check_rows(self, rows: list[dict], context):
        keys = Counter((row["number"], row["date"].year) for row in rows)
        for index, row in enumerate(rows):
            key = (row["number"], row["date"].year)
            if key in context["taken"]:
                yield index, RowError("number", TAKEN, number=row["number"], year=key[1])
            elif keys[key] > 1:
                yield index, RowError("number", TWICE, number=row["number"])

    def write(self, rows: list[dict], *, actor, council, context) -> str:
        committees = {c.code: c for c in council.committees.all()}
        for row in rows:
            resolution_register(
                council=council,
                number=row["number"],
                adopted_on=row["date"],
                title=row["title"],
                kind=row["kind"],
                sector=row["field"],
                lead_agency_code=row["lead_agency"],
                committee=committees.get(row["committee"]),
                in_force_from=row["in_force_from"],
                in_force_to=row["in_force_to"],
                status=row["status"],
                actor=actor,
            )
        return gettext("Đã vào sổ %(n)s nghị quyết.") % {"n": len(rows)}


def _date(column: str, cell: str):
    return cells.read_date(column, cell) if cell else None


def _choice(column: str, choices: dict, message, cell: str):
    """What a clerk wrote, among `choices` (folded: without diacritics or case)."""
    if (found := choices.get(fold(cell).strip())) is None:
        raise RowError(column, message, value=cell)
    return found


def _one_agency(registry, cell: str) -> str:
    agencies = cells.read_agencies("lead_agency", cell, registry)
    if len(agencies) != 1:
        raise RowError("lead_agency", ONE_AGENCY)
    return agencies[0]


def _committee(registry, cell: str) -> str:
    return cells.read_committee("committee", cell, registry) if cell else ""
