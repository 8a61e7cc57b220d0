"""The first import: other names of the council's agencies ("Sở LĐ-TB&XH", an older name),
which the notice parser reads. One row: the agency (its code or its name) and the alias."""

from functools import partial

from django.utils.translation import gettext_lazy as _

from conclusions.models import Agency, AgencyAlias
from conclusions.selectors import roles_of
from intake.imports.base import Column, RowError, RowErrors, SheetImport, read_cells
from intake.imports.reading import header_key

NAME_LENGTH = 200  # AgencyAlias.name


class AgencyAliasImport(SheetImport):
    key = "ten-co-quan"
    title = _("Tên gọi khác của cơ quan")
    description = _("Các cách văn bản thường gọi một cơ quan, để đọc thông báo tự nhận ra.")
    columns = [
        Column(
            "agency",
            _("Cơ quan"),
            required=True,
            hint=_("Mã hoặc tên đầy đủ của cơ quan trong danh mục, ví dụ: so-tc, Sở Tài chính."),
            aliases=("ma co quan",),
            width=36,
        ),
        Column(
            "alias",
            _("Tên gọi khác"),
            required=True,
            hint=_("Ví dụ: Sở LĐ-TB&XH, UBND tỉnh."),
            max_length=NAME_LENGTH,
            width=36,
        ),
    ]

    def may_import(self, user, council) -> bool:
        roles = roles_of(user)
        return roles.is_admin or council.pk in roles.council_ids

    def prepare(self, *, council, options) -> dict:
        agencies = list(Agency.objects.filter(council=council, is_active=True))
        by_name = {a.code.lower(): a for a in agencies}
        by_name |= {header_key(a.name): a for a in agencies}
        known = set(
            AgencyAlias.objects.filter(agency__in=agencies).values_list("agency_id", "name")
        )
        return {"agencies": by_name, "known": known}

    def clean_row(self, values: dict[str, str], context) -> dict:
        row, errors = read_cells(values, {"agency": partial(_agency, context["agencies"])})
        if errors:
            raise RowErrors(errors)
        return row

    def check_rows(self, rows: list[dict], context):
        seen: set[tuple[int, str]] = set()
        for index, row in enumerate(rows):
            pair = (row["agency"].pk, row["alias"])
            if pair in seen:
                yield index, RowError("alias", _("Trùng với một dòng phía trên."))
            seen.add(pair)

    def notes(self, cleaned: dict, context) -> list[str]:
        if (cleaned["agency"].pk, cleaned["alias"]) in context["known"]:
            return [str(_("Đã có trong danh mục; bỏ qua."))]
        return []

    def write(self, rows: list[dict], *, actor, council, context) -> str:
        new = [
            AgencyAlias(agency=row["agency"], name=row["alias"])
            for row in rows
            if (row["agency"].pk, row["alias"]) not in context["known"]
        ]
        AgencyAlias.objects.bulk_create(new)
        return str(_("Đã thêm %(count)s tên gọi khác của cơ quan.")) % {"count": len(new)}


def _agency(agencies: dict[str, Agency], cell: str) -> Agency:
    """The agency a cell names by its code or its full name."""
    agency = agencies.get(cell.lower()) or agencies.get(header_key(cell))
    if agency is None:
        raise RowError("agency", _("Không có cơ quan “%(name)s” trong danh mục."), name=cell)
    return agency
