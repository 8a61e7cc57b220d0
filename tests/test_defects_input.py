"""Defects found by trying the pages and the API as an attacker and as a careless user would
(issue 16): each test failed before its fix. Every refusal is a 4xx that writes nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from viewflow.workflow import STATUS

from conclusions.models import ConclusionNotice, Recommendation
from intake.flows import IntakeFlow
from reports.models import ReportSnapshot
from tests.defects_support import (  # noqa: F401  (fixtures among them)
    API,
    FAR,
    REGISTRATION,
    _action,
    _api,
    _draft,
    _login,
    _refused,
    _rows,
    _started,
    _task,
    foreign_agency,
)
from workflow.models import Case, Extension


@pytest.mark.parametrize("name", ["period_from", "period_to", "overdue_on"])
def test_a_far_date_in_the_case_list_filter_is_shown_as_an_error(client, world, name):
    response = _login(client, world.thuongtruc).get(reverse("workflow:case_list"), {name: FAR})
    assert response.status_code == 400
    assert "01/01/2000" in response.content.decode()


@pytest.mark.parametrize("name", ["period_from", "period_to"])
def test_a_far_date_in_the_dashboard_filter_is_shown_as_an_error(client, world, name):
    response = _login(client, world.thuongtruc).get(reverse("reports:index"), {name: FAR})
    assert response.status_code == 400
    assert "01/01/2000" in response.content.decode()


@pytest.mark.parametrize(
    "fields",
    [{"as_of": FAR}, {"period_to": FAR}, {"period_from": "01/01/0001"}],
    ids=["as_of", "period_to", "period_from"],
)
def test_a_report_request_with_a_far_date_is_refused(client, world, fields):
    data = {"kind": "results", "as_of": "05/06/2026", "council": world.council.pk} | fields
    response = _login(client, world.thuongtruc).post(reverse("reports:report_list"), data)
    assert response.status_code == 400
    assert "01/01/2000" in response.content.decode()
    assert not ReportSnapshot.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"issue_date": FAR},
        {"rec-0-deadline": FAR},
        {"rec-0-deadline": "trong quý IV/9999"},
    ],
    ids=["issue-date", "deadline", "quarter-year"],
)
def test_the_intake_refuses_a_far_date(client, world, fields):
    before = _rows()
    data = REGISTRATION | {"council": world.council.pk, "tracking_committee": world.vhxh.pk}
    response = _login(client, world.vanphong).post(
        reverse("intake:register:execute"), data | fields
    )
    assert response.status_code == 200
    assert _rows() == before


def test_the_intake_check_refuses_a_far_deadline(client, world):
    process = _draft(client, world)
    task = _task(process, IntakeFlow.check)
    _login(client, world.ban_vhxh).post(reverse("intake:check:assign", args=[process.pk, task.pk]))
    [item] = process.notice.recommendations.all()
    response = client.post(
        reverse("intake:check:execute", args=[process.pk, task.pk]),
        {f"r{item.pk}-lead_agencies": ["so-ldtbxh"], f"r{item.pk}-deadline": FAR},
    )
    assert response.status_code == 200
    assert "01/01/2000" in response.content.decode()
    item.refresh_from_db()
    assert item.deadline == datetime.date(2026, 12, 30)


def test_an_extension_to_a_far_date_is_refused_on_the_page(client, world):
    before = _rows()
    response = _login(client, world.so_ldtbxh).post(
        _action(world.case, "extension-request"),
        {"requested_until": FAR, "reason": "Chờ kinh phí."},
    )
    assert response.status_code == 400
    assert "01/01/2000" in response.content.decode()
    assert _rows() == before


def test_an_extension_stored_with_a_far_date_cannot_be_approved(world):
    extension = Extension.objects.create(
        case=world.case,
        requested_by=world.so_ldtbxh,
        requested_until=datetime.date(9999, 12, 31),
        reason="Chờ kinh phí.",
        deadline_at_request=world.case.deadline,
    )
    Case.objects.filter(pk=world.case.pk).update(extension_undecided=True)
    before = _rows()
    response = _api(world.thuongtruc).post(f"{API}/extensions/{extension.pk}/approve/", {})
    _refused(response)
    extension.refresh_from_db()
    assert extension.status == Extension.Status.PENDING
    assert Case.objects.get(pk=world.case.pk).deadline == world.case.deadline
    assert _rows() == before


def test_an_approval_meeting_a_far_deadline_stored_before_the_rules_is_refused(client, world):
    process = _draft(client, world)
    check = _task(process, IntakeFlow.check)
    _login(client, world.ban_vhxh).post(reverse("intake:check:assign", args=[process.pk, check.pk]))
    [item] = process.notice.recommendations.all()
    fields = {f"r{item.pk}-lead_agencies": ["so-ldtbxh"], f"r{item.pk}-deadline": "30/12/2026"}
    assert client.post(reverse("intake:check:execute", args=[process.pk, check.pk]), fields)
    Recommendation.objects.filter(pk=item.pk).update(deadline=datetime.date(9999, 12, 31))
    approve = _task(process, IntakeFlow.approve)
    _login(client, world.thuongtruc).post(
        reverse("intake:approve:assign", args=[process.pk, approve.pk])
    )
    response = client.post(
        reverse("intake:approve:execute", args=[process.pk, approve.pk]), {"decision": "approve"}
    )
    assert 400 <= response.status_code < 500
    assert "01/01/2000" in response.content.decode()
    approve.refresh_from_db()
    assert (approve.status, approve.owner) == (STATUS.ASSIGNED, world.thuongtruc)
    assert ConclusionNotice.objects.get(pk=process.notice_id).status == "draft"
    assert not Case.objects.filter(notice_id=process.notice_id).exists()


# ------------------------------------------------------------------ text the forms take


def test_a_nul_byte_in_a_comment_is_refused(client, world):
    before = _rows()
    response = _login(client, world.so_khdt).post(
        _action(world.case, "comment"), {"text": "Ý kiến\x00 có NUL"}
    )
    assert response.status_code == 400
    assert _rows() == before


def test_a_comment_as_long_as_a_book_is_refused(client, world):
    before = _rows()
    response = _login(client, world.so_khdt).post(
        _action(world.case, "comment"), {"text": "ý" * 200_000}
    )
    assert response.status_code == 400
    assert "10000" in response.content.decode() or "10.000" in response.content.decode()
    assert _rows() == before


def test_a_report_over_the_apis_length_is_refused_on_the_page(client, world):
    _started(client, world)
    before = _rows()
    response = client.post(
        _action(world.case, "report"), {"text": "x" * 10_001, "self_assessment": "done"}
    )
    assert response.status_code == 400
    assert _rows() == before
    assert Case.objects.get(pk=world.case.pk).state == "in_progress"


def test_more_evidence_files_than_the_api_takes_are_refused_on_the_page(client, world, settings):
    _started(client, world)
    before = _rows()
    files = [
        SimpleUploadedFile(f"bien-ban-{n}.pdf", b"%PDF-1.4", content_type="application/pdf")
        for n in range(settings.DONDOC_EVIDENCE_MAX_FILES + 1)
    ]
    response = client.post(
        _action(world.case, "report"),
        {"text": "Đã hoàn thành.", "self_assessment": "done", "evidence": files},
    )
    assert response.status_code == 400
    assert str(settings.DONDOC_EVIDENCE_MAX_FILES) in response.content.decode()
    assert _rows() == before


def test_a_bad_filter_on_the_case_list_page_is_shown(client, world):
    response = _login(client, world.thuongtruc).get(
        reverse("workflow:case_list"), {"state": "nonsense"}
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


# ----------------------------------------------------------- notices: whose agencies
