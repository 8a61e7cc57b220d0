"""The viewflow Material site: one menu of applications, Vietnamese first."""

from django.utils.translation import gettext_lazy as _
from viewflow.urls import Site

from notifications.views import NotificationsApplication
from workflow.flows import IntakeFlow
from workflow.intake_views import IntakeApplication
from workflow.views import CasesApplication

site = Site(
    title=_("Đôn đốc"),
    viewsets=[
        CasesApplication(),
        IntakeApplication(IntakeFlow),
        NotificationsApplication(),
    ],
)
