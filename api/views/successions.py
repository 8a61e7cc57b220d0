"""Successions (the 2025 mergers): a superuser records one, or previews what it would move."""

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from api import inputs as i
from api.errors import validated
from workflow.successions import succession_preview, succession_record


def _arguments(request) -> dict:
    data = validated(i.SuccessionInput, request)
    return {
        "actor": request.user,
        "kind": data["kind"],
        "from_codes": data["from"],
        "to_code": data["to"],
        "on": data["on"],
    }


class SuccessionView(APIView):
    """Record a succession: every open case of the predecessors moves to the successor, with a
    `case.transferred` event each; closed cases stay; predecessors become read-only history."""

    @extend_schema(request=i.SuccessionInput, responses=OpenApiTypes.OBJECT, tags=["successions"])
    def post(self, request):
        data = validated(i.SuccessionInput, request)
        succession = succession_record(
            **_arguments(request),
            basis=data["basis"],
            carry_memberships=data["carry_memberships"],
        )
        body = {
            "id": succession.pk,
            "kind": succession.kind,
            "from": data["from"],
            "to": data["to"],
            "on": succession.on,
            "basis": succession.basis,
            "moved_cases": succession.moved_cases,
            "carry_memberships": succession.carry_memberships,
        }
        return Response(body, status.HTTP_201_CREATED)


class SuccessionPreviewView(APIView):
    """What recording the succession would move; nothing is written."""

    @extend_schema(request=i.SuccessionInput, responses=OpenApiTypes.OBJECT, tags=["successions"])
    def post(self, request):
        return Response(succession_preview(**_arguments(request)).json())
