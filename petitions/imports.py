"""The office's Excel summary of a round's petitions (intake.imports): one row a petition.
The preview notes, beside each row, the petitions of earlier sittings it may repeat (the same
search as when a petition is typed in); confirming enters every row in one transaction, routes
those whose lead agencies are given, and the clerk confirms the repeats on each petition's page."""

from functools import partial

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from conclusions.rules import search_key
from intake.imports import cells
from intake.imports.base import Column, RowError, RowErrors, SheetImport, read_cells
from intake.parsing.registry import registry_for
from petitions.communes import commune_destination
from petitions.models import Competence, ForwardReason, PetitionRound
from petitions.repeats import repeat_suggestions
from petitions.selectors import may_register
from petitions.services import petition_register

AGENCY_HINT = _("Tên, tên viết tắt hoặc mã cơ quan; nhiều cơ quan cách nhau bằng dấu chấm phẩy.")
COMPETENCE_WORDS = {
    "cap xa": Competence.COMMUNE,
    "xa": Competence.COMMUNE,
    "commune": Competence.COMMUNE,
    "cap tinh": Competence.PROVINCE,
    "tinh": Competence.PROVINCE,
    "province": Competence.PROVINCE,
    "trung uong": Competence.CENTRAL,
    "central": Competence.CENTRAL,
}


class RoundOptions(forms.Form):
    round = forms.ModelChoiceField(
        label=_("Đợt kiến nghị (kỳ họp)"), queryset=PetitionRound.objects.none()
    )


class PetitionImport(SheetImport):
    key = "kien-nghi-cu-tri"
    title = _("Kiến nghị cử tri")
    description = _(
        "Bảng tổng hợp kiến nghị cử tri của Văn phòng: mỗi dòng một kiến nghị. Kiến nghị thuộc "
        "thẩm quyền cấp tỉnh có cơ quan chủ trì được giao ngay; kiến nghị có thể đã nêu ở kỳ "
        "họp trước được ghi chú để xác nhận."
    )
    options_form = RoundOptions
    columns = [
        Column("text", _("Nội dung kiến nghị"), required=True, aliases=("noi dung",), width=60),
        Column(
            "locality",
            _("Địa phương"),
            required=True,
            hint=_("Xã, phường nơi cử tri kiến nghị, ví dụ: xã Vị Thanh."),
            aliases=("xa, phuong", "xa phuong", "dia ban"),
            max_length=200,
            width=20,
        ),
        Column("field", _("Lĩnh vực"), aliases=("linh vuc",), max_length=200, width=18),
        Column(
            "committee",
            _("Ban theo dõi"),
            required=True,
            hint=_("Tên hoặc mã Ban của HĐND, ví dụ: Ban Kinh tế - Ngân sách."),
            width=22,
        ),
        Column(
            "competence",
            _("Thẩm quyền"),
            required=True,
            hint=_("Cấp xã, cấp tỉnh hoặc trung ương."),
            aliases=("tham quyen giai quyet",),
            max_length=40,
            width=14,
        ),
        Column("lead_agencies", _("Cơ quan chủ trì"), hint=AGENCY_HINT, width=30),
        Column("coordinating_agencies", _("Cơ quan phối hợp"), hint=AGENCY_HINT, width=30),
    ]

    def may_import(self, user, council) -> bool:
        return may_register(user, council.pk)

    def make_options_form(self, data=None, *, council, user):
        form = RoundOptions(data)
        rounds = (
            PetitionRound.objects.filter(council=council)
            if council
            else PetitionRound.objects.none()
        )
        form.fields["round"].queryset = rounds.order_by("-opened_on", "-id")
        return form

    def prepare(self, *, council, options) -> dict:
        committees = {c.code: c for c in council.committees.all()}
        return {"registry": registry_for(council), "committees": committees, "options": options}

    def clean_row(self, values: dict[str, str], context) -> dict:
        registry = context["registry"]
        row, errors = read_cells(
            values,
            {
                "committee": partial(cells.read_committee, "committee", registry=registry),
                "competence": _competence,
                "lead_agencies": partial(cells.read_agencies, "lead_agencies", registry=registry),
                "coordinating_agencies": partial(
                    cells.read_agencies, "coordinating_agencies", registry=registry
                ),
            },
        )
        errors.extend(_agency_problems(row, errors))
        if errors:
            raise RowErrors(errors)
        return row

    def notes(self, cleaned: dict, context) -> list[str]:
        found = repeat_suggestions(
            round=context["options"]["round"], text=cleaned["text"], locality=cleaned["locality"]
        )
        repeats = [
            gettext("Có thể đã nêu tại %(sitting)s, kiến nghị số %(number)s (giống %(score)s%%).")
            % {
                "sitting": s.petition.round.sitting_name,
                "number": s.petition.number,
                "score": round(s.score * 100),
            }
            for s in found[:3]
        ]
        if cleaned["competence"] != Competence.COMMUNE:
            return repeats
        return [*repeats, _commune_note(cleaned, context)]

    def write(self, rows: list[dict], *, actor, council, context) -> str:
        petition_round = context["options"]["round"]
        repeats = 0
        for row in rows:
            registered = petition_register(
                round=petition_round,
                text=row["text"],
                locality=row["locality"],
                field=row["field"],
                committee=context["committees"][row["committee"]],
                competence=row["competence"],
                lead_agency_codes=row["lead_agencies"],
                coordinating_agency_codes=row["coordinating_agencies"],
                actor=actor,
            )
            repeats += bool(registered.suggestions)
        return ngettext(
            "Đã vào sổ %(n)s kiến nghị; %(repeats)s có thể đã nêu ở kỳ họp trước: xác nhận trên "
            "trang của từng kiến nghị.",
            "Đã vào sổ %(n)s kiến nghị; %(repeats)s có thể đã nêu ở kỳ họp trước: xác nhận trên "
            "trang của từng kiến nghị.",
            len(rows),
        ) % {"n": len(rows), "repeats": repeats}


def _commune_note(cleaned: dict, context) -> str:
    """Where a commune row will go (petitions/communes.py), for the clerk to check first."""
    destination = commune_destination(
        province_id=context["options"]["round"].council_id,
        locality=cleaned["locality"],
        committee=context["committees"][cleaned["committee"]],
        day=timezone.localdate(),
    )
    if destination.on_dondoc:
        return gettext("Cấp xã: chuyển %(council)s, theo dõi trên Đôn đốc.") % {
            "council": destination.council
        }
    return gettext("Cấp xã: chỉ ghi nhận đã chuyển (%(reason)s).") % {
        "reason": ForwardReason(destination.reason).label
    }


def _competence(value: str) -> str:
    found = COMPETENCE_WORDS.get(search_key(value))
    if found is None:
        raise RowError(
            "competence", _("“%(value)s”: ghi cấp xã, cấp tỉnh hoặc trung ương."), value=value
        )
    return found


def _agency_problems(row: dict, errors: list[RowError]) -> list[RowError]:
    if any(e.column in ("competence", "lead_agencies") for e in errors):
        return []
    problems = []
    if row["lead_agencies"] and row["competence"] != Competence.PROVINCE:
        problems.append(
            RowError(
                "lead_agencies",
                _("Chỉ kiến nghị thuộc thẩm quyền cấp tỉnh được giao cơ quan chủ trì."),
            )
        )
    both = sorted(set(row["lead_agencies"]) & set(row.get("coordinating_agencies") or []))
    if both:
        problems.append(
            RowError(
                "coordinating_agencies",
                _("Cơ quan %(codes)s vừa chủ trì vừa phối hợp."),
                codes=", ".join(both),
            )
        )
    return problems
