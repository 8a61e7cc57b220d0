"""Thin API views: each reads through a selector scoped by `cases_visible_to`, writes through
one service, and leaves every refusal to api.errors. One module per concern; every view is
importable from `api.views` as before."""

from api.views.auth import MeView, TokenView
from api.views.calendar import DeadlineView
from api.views.cases import CaseViewSet, ExtensionViewSet
from api.views.common import ID
from api.views.files import EvidenceView, not_found
from api.views.notices import NoticeViewSet
from api.views.notifications import NotificationViewSet
from api.views.petitions import PetitionRoundViewSet, PetitionViewSet
from api.views.reports import OverdueReportView, ResultsReportView
from api.views.successions import SuccessionPreviewView, SuccessionView

__all__ = [
    "ID",
    "CaseViewSet",
    "DeadlineView",
    "EvidenceView",
    "ExtensionViewSet",
    "MeView",
    "NoticeViewSet",
    "NotificationViewSet",
    "OverdueReportView",
    "PetitionRoundViewSet",
    "PetitionViewSet",
    "ResultsReportView",
    "SuccessionPreviewView",
    "SuccessionView",
    "TokenView",
    "not_found",
]
