"""The built-in report kinds (DOMAIN.md, "Reports the Standing Committee needs"):
A results by agency and committee, B one notice, G the weekly digest, F the candidates for
the next sitting. Registered when the reports app is ready (reports/apps.py)."""

from django.utils.translation import gettext_lazy as _

from reports.candidates import candidates_figures
from reports.documents.candidates import candidates_document
from reports.documents.notice import notice_document
from reports.documents.results import results_document
from reports.documents.weekly import weekly_document
from reports.figures import notice_figures, results_figures, weekly_figures
from reports.models import ReportSnapshot
from reports.registry import ReportKind, register
from workflow.errors import CaseInvalid, CaseNotFound
from workflow.selectors import cases_visible_to

Kind = ReportSnapshot.Kind


def _check_notice_chosen(*, actor, council, notice, options) -> None:
    if notice is None:
        raise CaseInvalid(_("Vui lòng chọn thông báo kết luận cần báo cáo."))
    if not cases_visible_to(actor).filter(notice=notice, council=council).exists():
        raise CaseNotFound(_("Không tìm thấy thông báo."))


def register_builtin_kinds() -> None:
    register(ReportKind(Kind.RESULTS, Kind.RESULTS.label, results_figures, results_document))
    register(
        ReportKind(
            Kind.NOTICE, Kind.NOTICE.label, notice_figures, notice_document, _check_notice_chosen
        )
    )
    register(ReportKind(Kind.WEEKLY, Kind.WEEKLY.label, weekly_figures, weekly_document))
    register(
        ReportKind(Kind.CANDIDATES, Kind.CANDIDATES.label, candidates_figures, candidates_document)
    )
