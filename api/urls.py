from django.urls import include, path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from api import intake, resolutions, views


class IdConverter:
    """An id that fits PostgreSQL's bigint; longer numbers are not ids (404)."""

    regex = views.ID

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

app_name = "api"

router = SimpleRouter()
router.register("notices", views.NoticeViewSet, basename="notice")
router.register("cases", views.CaseViewSet, basename="case")
router.register("extensions", views.ExtensionViewSet, basename="extension")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("resolutions", resolutions.ResolutionViewSet, basename="resolution")
router.register("programmes", resolutions.ProgrammeViewSet, basename="programme")
router.register("petition-rounds", views.PetitionRoundViewSet, basename="petition-round")
router.register("petitions", views.PetitionViewSet, basename="petition")

urlpatterns = [
    path("v1/auth/token/", views.TokenView.as_view(), name="token"),
    path("v1/me/", views.MeView.as_view(), name="me"),
    path("v1/calendar/deadline/", views.DeadlineView.as_view(), name="deadline"),
    path("v1/reports/overdue/", views.OverdueReportView.as_view(), name="overdue"),
    path("v1/reports/results/", views.ResultsReportView.as_view(), name="results"),
    path(
        "v1/reports/resolutions/",
        resolutions.ResolutionsReportView.as_view(),
        name="report_resolutions",
    ),
    path("v1/evidence/<id:pk>/", views.EvidenceView.as_view(), name="evidence"),
    path("v1/successions/", views.SuccessionView.as_view(), name="successions"),
    path(
        "v1/successions/preview/",
        views.SuccessionPreviewView.as_view(),
        name="succession_preview",
    ),
    path("v1/agencies/", intake.AgencyListView.as_view(), name="agencies"),
    path("v1/notices/parse/", intake.NoticeParseView.as_view(), name="notice_parse"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^(?P<rest>.*)$", views.not_found, name="not_found"),  # last: JSON, never HTML
]
