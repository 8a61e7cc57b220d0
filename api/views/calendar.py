"""The working-day calendar: a deadline counted the Vietnamese way, for every kind a notice
uses (the kinds of conclusions.deadline_spec, a fixed date, or the words as written), with
the days off it skipped. GET reads the query string, POST the same fields as JSON."""

import datetime

from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api import inputs as i
from api import serializers as s
from api.errors import validated
from conclusions.deadline_spec import describe_deadline_spec
from conclusions.models import Council, Sitting
from conclusions.services import refusal
from intake.parsing.deadlines import Context, SittingRow, due_of_spec, read_deadline
from workflow.calendar import Deadline, explain
from workflow.deadlines import calendar_for, spec_deadline

SPEC_KINDS = ("working_days", "calendar_days", "months", "quarter", "month", "sitting")
DEFAULT_LEAD_DAYS = 10  # without a council: the usual time documents go out before a sitting
NO_DEADLINE = _("Không có thời hạn (“%(words)s”).")


class DeadlineView(APIView):
    """A deadline counted the Vietnamese way, and the days off it skipped."""

    @extend_schema(parameters=[i.DeadlineQuery], responses=s.DeadlineResult, tags=["calendar"])
    def get(self, request):
        return self._answer(validated(i.DeadlineQuery, request, data=request.query_params))

    @extend_schema(request=i.DeadlineQuery, responses=s.DeadlineResult, tags=["calendar"])
    def post(self, request):
        return self._answer(validated(i.DeadlineQuery, request))

    def _answer(self, query: dict) -> Response:
        council = Council.objects.get(pk=query["council"]) if "council" in query else None
        start, words = query["start"], query.get("text", "")
        spec = _spec_of_text(words, start, council) if words else _spec_of_query(query)
        if spec is None:
            return Response(_no_deadline(start, words))
        spec = _checked(spec, start, council)
        council_id = council.pk if council else _council_of(spec)
        calendar = calendar_for(council_id)
        if "date" in spec:
            deadline = calendar.on_date(start, spec["date"])
        else:
            deadline = spec_deadline(spec, start, calendar)
        return Response(_deadline_answer(deadline) | {"spec": _json(spec), "text": words})


def _spec_of_query(query: dict) -> dict:
    if "date" in query:
        return {"date": query["date"]}
    kind = next(kind for kind in SPEC_KINDS if kind in query)
    keys = {kind, *({"year"} if kind in ("quarter", "month") else ())}
    keys |= {"lead_days"} & query.keys()
    return {key: query[key] for key in keys}


def _spec_of_text(words: str, start: datetime.date, council: Council | None) -> dict | None:
    sittings = ()
    if council is not None:
        sittings = tuple(
            SittingRow(row.pk, row.name, row.opens_on)
            for row in Sitting.objects.filter(council=council).order_by("opens_on")
        )
    lead_days = council.sitting_lead_days if council else DEFAULT_LEAD_DAYS
    reading = read_deadline(words, Context(start, sittings, lead_days), cell=True)
    if reading.problem is not None:
        raise refusal(reading.problem, field="text", words=reading.words or words)
    return reading.spec


def _checked(spec: dict, start: datetime.date, council: Council | None) -> dict:
    """The spec, refused where the services would refuse it; a sitting's lead time filled in
    from its council."""
    if "sitting" in spec:
        return _sitting_spec(spec, start, council)
    due = due_of_spec(spec, start)
    if due is not None and due < start:
        raise refusal(
            _("Thời hạn %(deadline)s đã qua so với ngày bắt đầu %(start)s."),
            deadline=lazy(_described, str)(spec),
            start=f"{start:%d/%m/%Y}",
        )
    return spec


def _sitting_spec(spec: dict, start: datetime.date, council: Council | None) -> dict:
    sittings = Sitting.objects.select_related("council")
    if council is not None:
        sittings = sittings.filter(council=council)
    sitting = sittings.filter(pk=spec["sitting"]).first()
    if sitting is None:
        raise refusal(_("Không tìm thấy kỳ họp số %(id)s."), field="sitting", id=spec["sitting"])
    if sitting.opens_on <= start:
        raise refusal(
            _("Kỳ họp “%(name)s” khai mạc ngày %(day)s, không sau ngày bắt đầu."),
            field="sitting",
            name=sitting.name,
            day=f"{sitting.opens_on:%d/%m/%Y}",
        )
    return {"sitting": sitting.pk, "lead_days": spec.get("lead_days") or _lead_days(sitting)}


def _lead_days(sitting: Sitting) -> int:
    return sitting.council.sitting_lead_days or 1


def _council_of(spec: dict) -> int | None:
    if "sitting" in spec:
        return Sitting.objects.values_list("council_id", flat=True).get(pk=spec["sitting"])
    return None


def _described(spec: dict) -> str:
    if "date" in spec:
        return f"{spec['date']:%d/%m/%Y}"
    return describe_deadline_spec(spec)


def _json(spec: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in spec.items()}


def _no_deadline(start: datetime.date, words: str) -> dict:
    summary = {}
    for language in ("vi", "en"):
        with translation.override(language):
            summary[language] = str(NO_DEADLINE) % {"words": words}
    return {
        "due": None,
        "rule": "none",
        "start": start,
        "amount": None,
        "moved_from": None,
        "explanation": [],
        "summary": summary["vi"],
        "summary_en": summary["en"],
        "spec": None,
        "text": words,
    }


def _deadline_answer(deadline: Deadline) -> dict:
    return {
        "due": deadline.due,
        "rule": deadline.rule,
        "start": deadline.start,
        "amount": deadline.amount,
        "moved_from": deadline.moved_from,
        "explanation": [
            {
                "day": off.day,
                "reason": off.reason["vi"],
                "reason_en": off.reason["en"],
                "weekend": off.is_weekend,
            }
            for off in deadline.skipped
        ],
        "summary": explain(deadline, "vi"),
        "summary_en": explain(deadline, "en"),
    }
