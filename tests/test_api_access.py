"""Every API endpoint × every demo role: who gets 200, who 403 (sees the case, may not act),
who 404 (may not see it: another agency's case, another council), who 401 (no token). A
refusal writes nothing. The office and the People's Committee above the lead agency see the
case read-only: 200 on every read, 403 on every move."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from rest_framework.test import APIClient

from notifications.fanout import fan_out_pending
from notifications.models import Delivery
from tests.helpers import api_client, move, start_and_report
from tests.notify_servers import add_people
from workflow.extensions import extension_request
from workflow.models import Case, CaseEvent, Evidence, Extension, Outcome
from workflow.services import ReportInput

API = "/api/v1"
ROLES = [
    "anonymous",
    "outsider",
    "other_thuongtruc",  # another council's Standing Committee
    "vanphong",  # the office: sees its council's cases (it compiles the reports), read-only
    "chuyenvien_ubnd",  # the People's Committee above the lead agency and accountable: read-only
    "ban_ktns",  # another committee of the same council
    "so_tc",  # another agency: the case is none of its business
    "so_khdt",  # the coordinating agency: sees, comments, does not act
    "so_ldtbxh",  # the lead agency
    "ban_vhxh",  # the owning committee
    "thuongtruc",  # the Standing Committee
    "admin",  # superuser: sees everything, holds no seat
]
SEES_THE_CASE = {
    "vanphong",
    "chuyenvien_ubnd",
    "so_khdt",
    "so_ldtbxh",
    "ban_vhxh",
    "thuongtruc",
    "admin",
}
SEES_THE_NOTICE = SEES_THE_CASE
EVERYONE = set(ROLES) - {"anonymous"}


@pytest.fixture
def world(world):
    """The named world with the heads and the People's Committee officers added."""
    return add_people(world)


def _user(world, role: str):
    if role == "admin":
        return User.objects.create_superuser("admin", password="demo")
    return getattr(world, role)


def _client(world, role: str) -> APIClient:
    return api_client(None if role == "anonymous" else _user(world, role))


def _in_progress(world) -> None:
    move(world, world.so_ldtbxh, "start")


def _reported(world) -> None:
    pdf = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4", content_type="application/pdf")
    start_and_report(world, ReportInput(text="Đã xong.", files=[pdf]))


def _closed(world) -> None:
    _reported(world)
    move(world, world.ban_vhxh, "close", outcome=Outcome.IMPLEMENTED)


def _pending_extension(world) -> None:
    extension_request(
        case=Case.objects.get(pk=world.case.pk),
        actor=world.so_ldtbxh,
        requested_until=world.case.deadline.replace(year=world.case.deadline.year + 1),
        reason="Chờ số liệu.",
    )


def _told(world) -> None:
    fan_out_pending()  # the opened case is told to the lead and coordinating agencies


def _nothing(world) -> None:
    pass


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str  # {case}, {notice}, {extension}, {evidence}, {notification} are filled in
    allowed: frozenset[str]
    sees: frozenset[str] = frozenset(SEES_THE_CASE)  # the others get 404
    setup: Any = _nothing
    body: Any = None
    ok: int = 200


def _case_endpoint(name, method, path, allowed, **kwargs) -> Endpoint:
    return Endpoint(name, method, path, frozenset(allowed), **kwargs)


NOTICE_BODY = {
    "number": "30/TB-HĐND",
    "issue_date": "2026-07-01",
    "title": "Kết luận giám sát",
    "source_kind": "thematic_supervision",
    "tracking_committee": "ban-vhxh",
    "recommendations": [{"anchor": "I.1", "text": "Rà soát.", "lead_agencies": ["so-tc"]}],
}

ENDPOINTS = [
    Endpoint("me", "get", "/me/", frozenset(EVERYONE), sees=frozenset(EVERYONE)),
    Endpoint("case list", "get", "/cases/", frozenset(EVERYONE), sees=frozenset(EVERYONE)),
    _case_endpoint("case detail", "get", "/cases/{case}/", SEES_THE_CASE),
    _case_endpoint("case events", "get", "/cases/{case}/events/", SEES_THE_CASE),
    _case_endpoint("start", "post", "/cases/{case}/start/", {"so_ldtbxh"}, body={}),
    _case_endpoint(
        "report",
        "post",
        "/cases/{case}/report/",
        {"so_ldtbxh"},
        setup=_in_progress,
        body={"text": "Đã hoàn thành."},
    ),
    _case_endpoint(
        "return",
        "post",
        "/cases/{case}/return/",
        {"ban_vhxh"},
        setup=_reported,
        body={"reason": "Thiếu số liệu."},
    ),
    _case_endpoint(
        "close",
        "post",
        "/cases/{case}/close/",
        {"ban_vhxh"},
        setup=_reported,
        body={"outcome": "implemented"},
    ),
    _case_endpoint("reopen", "post", "/cases/{case}/reopen/", {"thuongtruc"}, setup=_closed),
    _case_endpoint(
        "extension request",
        "post",
        "/cases/{case}/extensions/",
        {"so_ldtbxh"},
        body={"requested_until": "2027-12-31", "reason": "Chờ số liệu."},
        ok=201,
    ),
    _case_endpoint(
        "extension approve",
        "post",
        "/extensions/{extension}/approve/",
        {"thuongtruc"},
        setup=_pending_extension,
        body={},
    ),
    _case_endpoint(
        "extension reject",
        "post",
        "/extensions/{extension}/reject/",
        {"thuongtruc"},
        setup=_pending_extension,
        body={},
    ),
    _case_endpoint("evidence", "get", "/evidence/{evidence}/", SEES_THE_CASE, setup=_reported),
    Endpoint("notice list", "get", "/notices/", frozenset(EVERYONE), sees=frozenset(EVERYONE)),
    Endpoint(
        "notice detail",
        "get",
        "/notices/{notice}/",
        frozenset(SEES_THE_NOTICE),
        sees=frozenset(SEES_THE_NOTICE),
    ),
    Endpoint(
        "notice create",
        "post",
        "/notices/",
        frozenset({"thuongtruc", "admin"}),
        sees=frozenset(EVERYONE),  # nothing to hide: everyone else is refused with 403
        body=NOTICE_BODY,
        ok=201,
    ),
    Endpoint(
        "deadline",
        "get",
        "/calendar/deadline/?start=2026-06-05&working_days=10",
        frozenset(EVERYONE),
        sees=frozenset(EVERYONE),
    ),
    Endpoint(
        "notification list",
        "get",
        "/notifications/",
        frozenset(EVERYONE),
        sees=frozenset(EVERYONE),
        setup=_told,
    ),
    Endpoint(
        "notification read",
        "post",
        "/notifications/{notification}/read/",
        frozenset({"so_ldtbxh"}),  # the lead agency's own notification of the new case
        sees=frozenset(),  # anyone else's notification does not exist for them
        setup=_told,
    ),
    Endpoint(
        "overdue report",
        "get",
        "/reports/overdue/",
        frozenset(EVERYONE),
        sees=frozenset(EVERYONE),
    ),
]


def _expected(endpoint: Endpoint, role: str) -> int:
    if role == "anonymous":
        return 401
    if role in endpoint.allowed:
        return endpoint.ok
    return 403 if role in endpoint.sees else 404


def _path(world, template: str) -> str:
    extension = Extension.objects.filter(case=world.case).first()
    evidence = Evidence.objects.filter(report__case=world.case).first()
    told = Delivery.objects.filter(recipient=world.so_ldtbxh, channel="inapp").first()
    return API + template.format(
        case=world.case.pk,
        notice=world.notice.pk,
        extension=extension.pk if extension else 0,
        evidence=evidence.pk if evidence else 0,
        notification=told.pk if told else 0,
    )


def _written(world) -> tuple:
    case = Case.objects.get(pk=world.case.pk)
    return (
        case.state,
        case.deadline,
        CaseEvent.objects.count(),
        list(Extension.objects.values_list("status", flat=True)),
        list(Delivery.objects.filter(read_at__isnull=False).values_list("pk", flat=True)),
    )


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_each_role_gets_exactly_what_it_may(world, endpoint):
    endpoint.setup(world)
    clients = {role: _client(world, role) for role in ROLES}
    path = _path(world, endpoint.path)
    statuses = {}
    for role, client in clients.items():
        # Each role starts from the same state: its request runs in a savepoint undone after.
        with transaction.atomic():
            before = _written(world)
            if endpoint.method == "get":
                response = client.get(path)
            else:
                response = client.post(path, endpoint.body or {}, format="json")
            statuses[role] = response.status_code
            if response.status_code >= 400:
                body = response.json()
                assert body["detail"] and body["detail_en"] and body["code"], (role, body)
                assert _written(world) == before, role
            transaction.set_rollback(True)
    assert statuses == {role: _expected(endpoint, role) for role in ROLES}


@pytest.mark.parametrize("role", sorted(EVERYONE))
def test_lists_and_figures_hold_only_what_the_role_may_see(world, role):
    client = _client(world, role)
    cases = client.get(f"{API}/cases/").json()
    notices = client.get(f"{API}/notices/").json()
    figures = client.get(f"{API}/reports/overdue/").json()
    sees = role in SEES_THE_CASE
    assert [c["id"] for c in cases["results"]] == ([world.case.pk] if sees else [])
    assert sum(row["total"] for row in figures["by_agency"]) == (1 if sees else 0)
    assert [n["id"] for n in notices["results"]] == (
        [world.notice.pk] if role in SEES_THE_NOTICE else []
    )


@pytest.mark.parametrize("role", ["vanphong", "chuyenvien_ubnd"])
def test_those_who_only_watch_a_case_read_it_all_and_are_offered_no_action(world, role):
    _reported(world)
    client = _client(world, role)
    case = client.get(f"{API}/cases/{world.case.pk}/").json()
    assert case["actions"] == []
    [evidence] = case["reports"][0]["evidence"]
    assert client.get(evidence["url"]).status_code == 200
    events = client.get(f"{API}/cases/{world.case.pk}/events/").json()["results"]
    assert [e["kind"] for e in events] == ["case.opened", "case.started", "case.reported"]


def test_another_agencys_case_id_is_a_404_on_every_case_endpoint(world):
    _reported(world)
    client = _client(world, "so_tc")
    for suffix in ("", "events/"):
        assert client.get(f"{API}/cases/{world.case.pk}/{suffix}").status_code == 404
    for action in ("start", "report", "return", "close", "reopen", "extensions"):
        response = client.post(f"{API}/cases/{world.case.pk}/{action}/", {})
        assert response.status_code == 404, action
        assert response.json()["detail"] == "Không tìm thấy hồ sơ."


def test_a_coordinating_agency_trying_to_report_is_refused_with_403(world):
    _in_progress(world)
    response = _client(world, "so_khdt").post(
        f"{API}/cases/{world.case.pk}/report/", {"text": "Báo cáo thay."}, format="json"
    )
    assert response.status_code == 403
    assert Case.objects.get(pk=world.case.pk).state == "in_progress"
    assert not world.case.reports.exists()


def test_a_case_id_beyond_any_database_id_is_a_json_404(world):
    response = _client(world, "thuongtruc").get(f"{API}/cases/{'9' * 30}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
