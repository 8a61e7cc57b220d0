"""The working-day calendar: a deadline counted the Vietnamese way."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api import inputs as i
from api import serializers as s
from api.errors import validated
from workflow.calendar import Deadline, explain
from workflow.deadlines import calendar_for


class DeadlineView(APIView):
    """A deadline counted the Vietnamese way, and the days off it skipped."""

    @extend_schema(parameters=[i.DeadlineQuery], responses=s.DeadlineResult, tags=["calendar"])
    def get(self, request):
        query = validated(i.DeadlineQuery, request, data=request.query_params)
        calendar = calendar_for(query.get("council"))
        if "working_days" in query:
            deadline = calendar.add_working_days(query["start"], query["working_days"])
        else:
            deadline = calendar.add_calendar_days(query["start"], query["calendar_days"])
        return Response(_deadline_answer(deadline))


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
