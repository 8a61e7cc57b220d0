"""Older notices from Excel: one row per recommendation, the notice's own columns repeated
on each of its rows. Each notice is registered as a draft and enters the intake flow at the
tracking committee's check (IntakeFlow.imported), as if the office had typed it in: the
committee checks agencies and deadlines, the Standing Committee approves, cases open."""

from collections import defaultdict

from django import forms
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from conclusions import rules
from conclusions.deadline_spec import describe_deadline_spec
from conclusions.models import ConclusionNotice, Council, SourceKind
from conclusions.selectors import roles_of
from conclusions.services import RecommendationInput, notice_register
from intake.imports import cells
from intake.imports.base import Column, RowError, RowErrors, SheetImport, read_cells
from intake.parsing.registry import registry_for
from intake.services import notice_step_record
from workflow.models import NoticeEventKind

AGENCY_HINT = _(
    "Tên đầy đủ, tên viết tắt (Sở LĐ-TB&XH, UBND tỉnh) hoặc mã cơ quan; nhiều cơ quan cách "
    "nhau bằng dấu chấm phẩy."
)
NOTICE_FIELDS = ("issue_date", "title", "tracking_committee")


class NoticeOptions(forms.Form):
    source_kind = forms.ChoiceField(
        label=_("Nguồn của các thông báo"),
        choices=SourceKind.choices,
        initial=SourceKind.THEMATIC_SUPERVISION,
    )


class NoticeImport(SheetImport):
    key = "thong-bao"
    title = _("Thông báo kết luận cũ")
    description = _(
        "Mỗi dòng một kiến nghị; các dòng cùng số thông báo thuộc một thông báo. Mỗi thông báo "
        "được vào sổ ở dạng dự thảo và chuyển Ban theo dõi kiểm tra, như khi nhập tay."
    )
    options_form = NoticeOptions
    columns = [
        Column(
            "number",
            _("Số thông báo"),
            required=True,
            hint=_("Ví dụ: 15/TB-HĐND. Các dòng cùng số là một thông báo."),
            aliases=("so", "so ky hieu", "so, ky hieu"),
            max_length=rules.NUMBER,
            width=16,
        ),
        Column(
            "issue_date",
            _("Ngày ban hành"),
            required=True,
            hint=_("dd/mm/yyyy, ví dụ 05/06/2026."),
            aliases=("ngay",),
            width=14,
        ),
        Column(
            "title", _("Trích yếu"), required=True, aliases=("tieu de",), max_length=rules.TITLE
        ),
        Column(
            "tracking_committee",
            _("Ban theo dõi"),
            required=True,
            hint=_("Tên hoặc mã Ban của HĐND, ví dụ: Ban Văn hóa - Xã hội."),
            width=22,
        ),
        Column(
            "anchor",
            _("Mục"),
            required=True,
            hint=_("Số mục như trong văn bản: II.1.a, 2.b …"),
            aliases=("so muc",),
            max_length=rules.ANCHOR,
            width=10,
        ),
        Column("text", _("Nội dung kiến nghị"), required=True, width=60),
        Column("lead_agencies", _("Cơ quan chủ trì"), required=True, hint=AGENCY_HINT, width=30),
        Column("coordinating_agencies", _("Cơ quan phối hợp"), hint=AGENCY_HINT, width=30),
        Column(
            "deadline",
            _("Thời hạn"),
            hint=_(
                "Như văn bản ghi: 30/9/2026, quý III/2026, tháng 5/2026, trong 6 tháng, "
                "15 ngày làm việc, trước kỳ họp cuối năm 2026, thường xuyên (không thời hạn)."
            ),
            max_length=rules.DEADLINE_PHRASE,
            width=26,
        ),
    ]

    def may_import(self, user, council: Council) -> bool:
        roles = roles_of(user)
        return roles.is_admin or council.pk in roles.clerk_council_ids

    def prepare(self, *, council: Council, options) -> dict:
        numbers = ConclusionNotice.objects.filter(council=council).values_list(
            "number", "issue_year"
        )
        return {
            "registry": registry_for(council),
            "taken": set(numbers),
            "options": options,
            "memo": {},  # a sheet repeats its cells: each distinct one is read once
        }

    def clean_row(self, values: dict[str, str], context) -> dict:
        registry = context["registry"]
        readers = {
            "issue_date": lambda v: cells.read_date("issue_date", v),
            "tracking_committee": lambda v: cells.read_committee("tracking_committee", v, registry),
            "lead_agencies": lambda v: cells.read_agencies("lead_agencies", v, registry),
            "coordinating_agencies": lambda v: cells.read_agencies(
                "coordinating_agencies", v, registry
            ),
        }
        row, errors = read_cells(
            values, {key: _memoized(context, key, read) for key, read in readers.items()}
        )
        if "issue_date" not in {e.column for e in errors}:
            errors.extend(_deadline(row, values["deadline"], context))
        errors.extend(_both_roles(row, errors))
        if errors:
            raise RowErrors(errors)
        return row

    def check_rows(self, rows: list[dict], context):
        for group in _notices(rows).values():
            first = rows[group[0]]
            yield from _taken(first, group[0], context["taken"])
            yield from _unlike_first(rows, group)
            yield from _repeated_anchors(rows, group)
            if len(group) > rules.RECOMMENDATIONS:
                message = _("Một thông báo có tối đa %(limit)s kiến nghị.")
                yield group[0], RowError("number", message, limit=rules.RECOMMENDATIONS)

    def notes(self, cleaned: dict, context) -> list[str]:
        if cleaned["deadline_date"] is None and not cleaned["deadline_spec"]:
            return []
        key = (get_language(), cleaned["deadline"], cleaned["issue_date"])
        return [_memo(context, "note", key, lambda _key: _deadline_note(cleaned, context))]

    def write(self, rows: list[dict], *, actor, council, context) -> str:
        from intake.flows import IntakeFlow  # the flow imports the intake's views

        registry = context["registry"]
        committees = {c.code: c for c in council.committees.all()}
        source_kind = context["options"]["source_kind"]
        groups = _notices(rows)
        queue = reverse("intake:queue")
        for group in groups.values():
            notice = _register(
                [rows[i] for i in group], council, committees, source_kind, actor, registry
            )
            IntakeFlow.imported.run(notice=notice, actor=actor)
            # As a typed-in notice: the tracking committee is told that it waits for them.
            notice_step_record(
                notice=notice, kind=NoticeEventKind.REGISTERED, actor=actor, link=queue
            )
        return gettext(
            "Đã vào sổ %(notices)s thông báo với %(items)s kiến nghị; các thông báo chờ Ban theo "
            "dõi kiểm tra."
        ) % {"notices": len(groups), "items": len(rows)}


def _memo(context: dict, kind: str, key, read):
    """`read(key)` once per distinct cell: its value, or the same RowError again."""
    memo = context["memo"]
    if (kind, key) not in memo:
        try:
            memo[(kind, key)] = read(key)
        except RowError as error:
            memo[(kind, key)] = error
    found = memo[(kind, key)]
    if isinstance(found, RowError):
        raise found
    return found


def _memoized(context: dict, kind: str, read):
    return lambda value: _memo(context, kind, value, read)


def _deadline(row: dict, words: str, context: dict) -> list[RowError]:
    row["deadline_date"], row["deadline_spec"] = None, None
    if not words:
        return []
    registry = context["registry"]

    def read(key):
        return cells.read_deadline_cell("deadline", key[0], key[1], registry)

    try:
        row["deadline_date"], row["deadline_spec"] = _memo(
            context, "deadline", (words, row["issue_date"]), read
        )
    except RowError as error:
        return [error]
    return []


def _deadline_note(cleaned: dict, context) -> str:
    if cleaned["deadline_date"] is not None:
        return gettext("Thời hạn: %(date)s") % {"date": f"{cleaned['deadline_date']:%d/%m/%Y}"}
    return gettext("Thời hạn: %(rule)s") % {"rule": _spec_text(cleaned, context)}


def _both_roles(row: dict, errors: list[RowError]) -> list[RowError]:
    if {e.column for e in errors} & {"lead_agencies", "coordinating_agencies"}:
        return []
    both = [c for c in row["lead_agencies"] if c in row["coordinating_agencies"]]
    if not both:
        return []
    message = _("Cơ quan %(codes)s vừa chủ trì vừa phối hợp.")
    return [RowError("coordinating_agencies", message, codes=", ".join(both))]


def _spec_text(cleaned: dict, context) -> str:
    spec = cleaned["deadline_spec"]
    if "sitting" in spec:
        name = next((s.name for s in context["registry"].sittings if s.pk == spec["sitting"]), "")
        return f"{describe_deadline_spec(spec)} {name}".strip()
    return describe_deadline_spec(spec)


def _notices(rows: list[dict]) -> dict[tuple[str, int], list[int]]:
    """Row indexes by notice (number, year of issue), in the order of the sheet."""
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        groups[(row["number"], row["issue_date"].year)].append(index)
    return groups


def _taken(first: dict, index: int, taken: set):
    if (first["number"], first["issue_date"].year) in taken:
        message = _("Số thông báo %(number)s đã được dùng trong năm %(year)s.")
        yield (
            index,
            RowError("number", message, number=first["number"], year=first["issue_date"].year),
        )


def _unlike_first(rows: list[dict], group: list[int]):
    first = rows[group[0]]
    for index in group[1:]:
        for key in NOTICE_FIELDS:
            if rows[index][key] != first[key]:
                message = _("Khác với dòng đầu của thông báo %(number)s.")
                yield index, RowError(key, message, number=first["number"])


def _repeated_anchors(rows: list[dict], group: list[int]):
    seen: set[str] = set()
    for index in group:
        anchor = rows[index]["anchor"]
        if anchor in seen:
            message = _("Mục %(anchor)s đã có ở một dòng trên của thông báo này.")
            yield index, RowError("anchor", message, anchor=anchor)
        seen.add(anchor)


def _register(rows, council, committees, source_kind, actor, registry) -> ConclusionNotice:
    first = rows[0]
    return notice_register(
        council=council,
        number=first["number"],
        issue_date=first["issue_date"],
        title=first["title"],
        source_kind=source_kind,
        tracking_committee=committees[first["tracking_committee"]],
        recommendations=[_item(row) for row in rows],
        actor=actor,
    )


def _item(row: dict) -> RecommendationInput:
    return RecommendationInput(
        anchor=row["anchor"],
        text=row["text"],
        lead_agency_codes=row["lead_agencies"],
        coordinating_agency_codes=row["coordinating_agencies"],
        deadline=row["deadline_date"],
        deadline_spec=row["deadline_spec"],
        deadline_phrase=row["deadline"],
    )
