"""The outcomes the committees grade petition answers with, as practice reports count them,
mapped onto the case's own outcomes: grading a petition's answer IS closing its case, so there
is one state machine and Report A counts petitions like any other case."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow.models import Outcome


class PetitionOutcome(models.TextChoices):
    RESOLVED = "resolved", _("Giải quyết dứt điểm")
    EXPLAINED = "explained", _("Giải trình, cung cấp thông tin")
    ROADMAP = "roadmap", _("Có lộ trình, chưa có nguồn lực")
    IN_PROGRESS = "in_progress", _("Đang giải quyết")
    FORWARDED = "forwarded", _("Chuyển cơ quan có thẩm quyền")


CASE_OUTCOME = {
    PetitionOutcome.RESOLVED: Outcome.IMPLEMENTED,
    PetitionOutcome.EXPLAINED: Outcome.EXPLAINED,
    PetitionOutcome.ROADMAP: Outcome.ROADMAP,
    # The answer is accepted as far as it goes and the work goes on: the case closes as
    # partially done; a petition raised again links to this one, the Standing Committee may
    # reopen it.
    PetitionOutcome.IN_PROGRESS: Outcome.PARTIALLY,
    PetitionOutcome.FORWARDED: Outcome.FORWARDED,
}
PETITION_OUTCOME = {case: petition for petition, case in CASE_OUTCOME.items()}


def petition_outcome(case_outcome: str) -> str:
    """The petition outcome a closed case was graded with ("" for "not implemented")."""
    return PETITION_OUTCOME.get(case_outcome, "")
