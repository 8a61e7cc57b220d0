"""Reports: overdue figures and Report A's results."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api import inputs as i
from api import serializers as s
from api.errors import validated
from reports.figures import results_as_of
from reports.history import in_council_as_of
from workflow.definitions import definitions_json
from workflow.filters import filter_cases
from workflow.selectors import cases_visible_to, overdue_figures


class OverdueReportView(APIView):
    """Open, closed and overdue cases by committee and by agency, over the cases the user
    may see."""

    @extend_schema(responses=s.OverdueReport, tags=["reports"])
    def get(self, request):
        today = timezone.localdate()
        return Response({"as_of": today, **overdue_figures(request.user, today)})


class ResultsReportView(APIView):
    """Report A's figures as of a day, by agency and by committee, over the cases the user may
    see: read from the event log by the same code as the frozen report, and counted by the
    definitions returned beside them."""

    @extend_schema(parameters=[i.ResultsQuery], responses=s.ResultsReport, tags=["reports"])
    def get(self, request):
        query = validated(i.ResultsQuery, request, data=request.query_params)
        cases = filter_cases(
            cases_visible_to(request.user),
            committee=query.get("committee"),
            period_from=query.get("period_from"),
            period_to=query.get("period_to"),
        )
        if query.get("council"):
            cases = in_council_as_of(cases, query["council"].pk, query["as_of"])
        figures = results_as_of(cases, query["as_of"])
        return Response(s.ResultsReport(figures | {"definitions": definitions_json()}).data)
