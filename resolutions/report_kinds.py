"""Reports D and E, registered with the reports machinery (reports/registry.py) when the app
is ready; the snapshot freezes their figures as of a day like any other report's."""

from django.utils.translation import gettext_lazy as _

from reports.registry import ReportKind, register
from resolutions.documents import programmes_document, resolutions_document
from resolutions.figures import question_figures, resolution_figures
from resolutions.selectors import questions_visible_to, resolutions_visible_to

RESOLUTIONS = "resolutions"
PROGRAMMES = "programmes"


def _resolutions(snapshot, cases, progress) -> dict:
    resolutions = resolutions_visible_to(snapshot.created_by).filter(council=snapshot.council)
    return resolution_figures(resolutions, cases, snapshot.as_of)


def _programmes(snapshot, cases, progress) -> dict:
    questions = questions_visible_to(snapshot.created_by).filter(
        programme__council=snapshot.council
    )
    return question_figures(questions, snapshot.as_of)


def register_kinds() -> None:
    register(
        ReportKind(
            RESOLUTIONS,
            _("Báo cáo D: nghị quyết theo mức độ tác động"),
            _resolutions,
            resolutions_document,
        )
    )
    register(
        ReportKind(
            PROGRAMMES,
            _("Báo cáo E: câu hỏi chương trình “Lắng nghe và Trao đổi”"),
            _programmes,
            programmes_document,
        )
    )
