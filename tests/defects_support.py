"""What the defect tests share: rows counted before and after, a foreign agency, API clients."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from viewflow.workflow import STATUS

from conclusions.models import Agency, ConclusionNotice, Recommendation
from intake.models import NoticeIntakeProcess
from reports.models import ReportSnapshot
from workflow.models import Case, CaseEvent, Extension, ProgressReport

API = "/api/v1"

DEEP = 5_000  # a few KB of [[[[…]]]]


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _login(client, user):
    client.force_login(user)
    return client


def _action(case, action: str) -> str:
    return reverse("workflow:case_action", args=[case.pk, action])


def _rows() -> tuple[int, ...]:
    return (
        ConclusionNotice.objects.count(),
        Recommendation.objects.count(),
        Case.objects.count(),
        CaseEvent.objects.count(),
        ProgressReport.objects.count(),
        Extension.objects.count(),
        ReportSnapshot.objects.count(),
        NoticeIntakeProcess.objects.count(),
    )


def _refused(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert body["detail"] and body["detail_en"] and body["code"]
    return body


# ------------------------------------------------------------ drafts in the intake

REGISTRATION = {
    "number": "16/TB-HĐND",
    "issue_date": "10/06/2026",
    "title": "Kết luận giám sát chuyên đề về đào tạo nghề bí mật",
    "source_kind": "thematic_supervision",
    "rec-TOTAL_FORMS": "1",
    "rec-INITIAL_FORMS": "0",
    "rec-MIN_NUM_FORMS": "1",
    "rec-MAX_NUM_FORMS": "200",
    "rec-0-anchor": "II.1.a",
    "rec-0-text": "Rà soát nhu cầu đào tạo nghề.",
    "rec-0-lead_agencies": ["so-ldtbxh"],
    "rec-0-deadline": "30/12/2026",
}


def _draft(client, world) -> NoticeIntakeProcess:
    data = REGISTRATION | {"council": world.council.pk, "tracking_committee": world.vhxh.pk}
    response = _login(client, world.vanphong).post(reverse("intake:register:execute"), data)
    assert response.status_code == 302
    return NoticeIntakeProcess.objects.get(notice__number="16/TB-HĐND")


def _task(process, node):
    return process.task_set.get(flow_task=node, status__in=[STATUS.NEW, STATUS.ASSIGNED])


# -------------------------------------------------------------- dates out of range

FAR = "31/12/9999"


def _started(client, world):
    assert _login(client, world.so_ldtbxh).post(_action(world.case, "start")).status_code == 302


def _notice_body(item: dict) -> dict:
    recommendation = {
        "anchor": "II.1",
        "text": "Rà soát nhu cầu đào tạo nghề.",
        "lead_agencies": ["so-ldtbxh"],
        "deadline": {"working_days": 10},
    }
    return {
        "number": "30/TB-HĐND",
        "issue_date": "2026-06-10",
        "title": "Kết luận giám sát",
        "source_kind": "thematic_supervision",
        "tracking_committee": "ban-vhxh",
        "recommendations": [recommendation | item],
    }


@pytest.fixture
def foreign_agency(world):
    return Agency.objects.create(
        council=world.other_council, code="so-tc-cantho", name="Sở Tài chính Cần Thơ"
    )


def _deep(depth: int = DEEP) -> str:
    return "[" * depth + "]" * depth
