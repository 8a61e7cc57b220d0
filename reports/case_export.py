"""Any case list as an Excel workbook, with the filters the user applied: the same rows as
the page (workflow.forms.CaseFilterForm over the cases the user may see), written row by
row so that a long list does not sit in memory."""

import io

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from workflow.forms import CaseFilterForm
from workflow.models import Case
from workflow.selectors import cases_visible_to

MAX_ROWS = 100_000  # beyond this, the sheet says so: filter the list further
WIDTHS = [16, 8, 60, 30, 26, 12, 16, 16, 10]


def case_list_workbook(cases: QuerySet[Case], title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Hồ sơ"))
    for letter, width in zip("ABCDEFGHI", WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append([_cell(sheet, title, bold=True)])
    sheet.append([_cell(sheet, header, bold=True) for header in _headers()])
    rows = (
        cases.select_related("notice", "recommendation", "agency", "committee")
        .order_by("deadline", "id")
        .iterator(chunk_size=2000)
    )
    for n, case in enumerate(rows):
        if n == MAX_ROWS:
            sheet.append([_cell(sheet, _("… còn nữa: hãy lọc danh sách hẹp hơn."))])
            break
        sheet.append(_row(sheet, case))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _headers() -> list[str]:
    return [
        _("Thông báo"),
        _("Mục"),
        _("Nội dung"),
        _("Cơ quan chủ trì"),
        _("Ban theo dõi"),
        _("Thời hạn"),
        _("Trạng thái"),
        _("Kết quả"),
        _("Quá hạn"),
    ]


def _row(sheet, case: Case) -> list:
    deadline = _cell(sheet, case.deadline or _("Thường xuyên"))
    if case.deadline:
        deadline.number_format = "DD/MM/YYYY"
    return [
        _cell(sheet, case.notice.number),
        _cell(sheet, case.recommendation.anchor),
        _cell(sheet, case.recommendation.text),
        _cell(sheet, case.agency.name),
        _cell(sheet, case.committee.name),
        deadline,
        _cell(sheet, case.get_state_display()),
        _cell(sheet, case.get_outcome_display() if case.outcome else ""),
        _cell(sheet, _("Có") if case.is_overdue else ""),
    ]


def _cell(sheet, value, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text starting with "=" stays text, never a formula
    if bold:
        cell.font = Font(bold=True)
    return cell


class CaseListExportView(LoginRequiredMixin, View):
    """GET with the case list's own filters: the same cases, as .xlsx."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CaseFilterForm(request.GET or None)
        if form.errors:
            return HttpResponseBadRequest(" ".join(str(e) for e in form.errors.values()))
        cases = form.filter(cases_visible_to(request.user))
        today = timezone.localdate()
        title = _("Danh sách hồ sơ, trích xuất ngày %(day)s") % {"day": f"{today:%d/%m/%Y}"}
        response = HttpResponse(
            case_list_workbook(cases, title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="ho-so-{today:%Y-%m-%d}.xlsx"'
        return response
