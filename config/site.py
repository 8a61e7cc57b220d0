"""The viewflow Material site: one menu of applications, Vietnamese first."""

from django.utils.translation import gettext_lazy as _
from viewflow.urls import Site

from briefings.views import BriefingsApplication
from intake.flows import IntakeFlow
from intake.views import IntakeApplication
from notifications.views import NotificationsApplication
from petitions.views import PetitionsApplication
from reports.views import ReportsApplication
from resolutions.views import ResolutionsApplication
from workflow.views import CasesApplication

# CasesApplication comes first: "/" lands on its "Việc của tôi".
site = Site(
    title=_("Đôn đốc"),
    viewsets=[
        CasesApplication(),
        IntakeApplication(IntakeFlow),
        PetitionsApplication(),
        ReportsApplication(),
        ResolutionsApplication(),
        BriefingsApplication(),
        NotificationsApplication(),
    ],
)
