"""Petitions among Report F's candidates (reports.registry.CandidateSource): a petition whose
answer the voters did not accept, or raised for the third time, is proposed for questioning
with each of its cases in the report's scope, closed ones too (an answer graded and closed but
not accepted by the voters is still one). As of the report's day: a verdict recorded by then,
the times raised by the petition's own round (petitions.selectors.times_raised)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from petitions.models import Petition
from petitions.selectors import RAISED_FOR_QUESTIONING, times_raised
from reports.candidates import candidate_row
from reports.history import cases_as_of, day_end
from reports.registry import CandidateSource, register_candidates

NOT_ACCEPTED, RAISED_AGAIN = "petition_not_accepted", "petition_raised_often"


def register() -> None:
    register_candidates(
        CandidateSource(
            code="petitions",
            label=_("Kiến nghị cử tri chưa đồng tình, nêu lần thứ ba"),
            note=_(
                "Kiến nghị cử tri (kể cả hồ sơ đã đóng): cử tri không đồng tình với trả lời, "
                "hoặc kiến nghị được nêu từ lần thứ ba (tính các lần nêu lại đã xác nhận)."
            ),
            reasons={
                NOT_ACCEPTED: _("Cử tri không đồng tình với trả lời: %(note)s"),
                RAISED_AGAIN: _("Kiến nghị cử tri nêu lần thứ %(times)s"),
            },
            rows=candidate_rows,
        )
    )


def candidate_rows(*, snapshot, cases, day) -> list[dict]:
    chosen = _candidates(cases, day)
    if not chosen:
        return []
    rows = (
        cases_as_of(cases.filter(recommendation_id__in=chosen), day)
        .select_related("notice", "recommendation", "agency", "committee")
        .order_by("pk")
    )
    return [candidate_row(case, **chosen[case.recommendation_id]) for case in rows]


def _candidates(cases, day) -> dict[int, dict]:
    """The routed petitions in scope that are candidates as of the day, by their item."""
    end = day_end(day)
    petitions = list(
        Petition.objects.filter(
            Q(accepted=False, verdict_at__lt=end) | Q(repeat_of__isnull=False),
            recommendation_id__in=cases.values("recommendation_id"),
            round__opened_on__lte=day,
        ).select_related("round")
    )
    raised = times_raised(petitions)
    chosen = {}
    for petition in petitions:
        reasons, details = [], {}
        if petition.accepted is False and petition.verdict_at < end:
            reasons.append(NOT_ACCEPTED)
            details[NOT_ACCEPTED] = {"note": petition.verdict_note}
        if raised[petition.pk] >= RAISED_FOR_QUESTIONING:
            reasons.append(RAISED_AGAIN)
            details[RAISED_AGAIN] = {"times": raised[petition.pk]}
        if reasons:
            chosen[petition.recommendation_id] = {"reasons": reasons, "details": details}
    return chosen
