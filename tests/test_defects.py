"""Defects found by trying the pages and the API as an attacker and as a careless user would
(issue 16): each test failed before its fix. Every refusal is a 4xx that writes nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from viewflow.workflow import STATUS

from conclusions.models import Agency, ConclusionNotice, Recommendation
from intake.flows import IntakeFlow
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
        {
            "rec-0-deadline": "",
            "rec-0-deadline_period": "quarter",
            "rec-0-deadline_amount": "4",
            "rec-0-deadline_year": "9999",
        },
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


def _started(client, world):
    assert _login(client, world.so_ldtbxh).post(_action(world.case, "start")).status_code == 302


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


@pytest.mark.parametrize(
    "item",
    [
        {"lead_agencies": ["so-tc-cantho"]},
        {"lead_agencies": ["so-ldtbxh", "so-tc-cantho"]},
        {"coordinating_agencies": ["so-tc-cantho"]},
        {"accountable": "so-tc-cantho"},
    ],
    ids=["lead", "one-of-the-leads", "coordinating", "accountable"],
)
def test_a_notice_names_only_agencies_of_its_own_council(world, foreign_agency, item):
    before = _rows()
    response = _api(world.thuongtruc).post(f"{API}/notices/", _notice_body(item), format="json")
    body = _refused(response)
    assert "so-tc-cantho" in body["detail"] and "so-tc-cantho" in body["detail_en"]
    assert _rows() == before


def test_the_same_agency_cannot_lead_and_coordinate(world):
    before = _rows()
    item = {"lead_agencies": ["so-ldtbxh"], "coordinating_agencies": ["so-ldtbxh", "so-khdt"]}
    response = _api(world.thuongtruc).post(f"{API}/notices/", _notice_body(item), format="json")
    body = _refused(response)
    assert "so-ldtbxh" in body["detail"]
    assert _rows() == before


def test_the_intake_refuses_the_same_agency_as_lead_and_coordinating(client, world):
    before = _rows()
    data = REGISTRATION | {
        "council": world.council.pk,
        "tracking_committee": world.vhxh.pk,
        "rec-0-coordinating_agencies": ["so-ldtbxh"],
    }
    response = _login(client, world.vanphong).post(reverse("intake:register:execute"), data)
    assert response.status_code == 200
    assert "vừa chủ trì vừa phối hợp" in response.content.decode()
    assert _rows() == before


# -------------------------------------------------------------------- deep JSON


def _deep(depth: int = DEEP) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("body", [_deep(), '{"username": ' + _deep() + "}", _deep(900)])
def test_deeply_nested_json_to_the_token_endpoint_is_a_400(db, body):
    response = APIClient().post(f"{API}/auth/token/", body, content_type="application/json")
    assert _refused(response)["code"] in ("parse_error", "invalid")


@pytest.mark.parametrize("path", ["notices/", "cases/{case}/start/", "cases/{case}/extensions/"])
def test_deeply_nested_json_to_the_writes_is_a_400(world, path):
    before = _rows()
    url = f"{API}/{path.format(case=world.case.pk)}"
    for user in (None, world.thuongtruc, world.so_ldtbxh):
        response = _api(user).post(url, _deep(), content_type="application/json")
        assert response.status_code in (400, 401, 403), response.content[:300]
        _refused(response, response.status_code)
    assert _rows() == before


# ---------------------------------------------------------------- intake: bulk actions


@pytest.mark.parametrize("who", ["other_thuongtruc", "ban_ktns", "so_tc"])
@pytest.mark.parametrize("page", ["intake:tasks_assign", "intake:tasks_unassign"])
def test_the_bulk_action_pages_list_no_draft_the_user_may_not_see(client, world, who, page):
    process = _draft(client, world)
    task = _task(process, IntakeFlow.check)
    _login(client, world.ban_vhxh).post(reverse("intake:check:assign", args=[process.pk, task.pk]))
    response = _login(client, getattr(world, who)).post(reverse(page), {"select_all": "1"})
    assert response.status_code < 500
    assert "bí mật" not in response.content.decode()
    # Confirming changes nothing either.
    _login(client, getattr(world, who)).post(reverse(page), {"select_all": "1", "_confirm": "1"})
    task.refresh_from_db()
    assert (task.status, task.owner) == (STATUS.ASSIGNED, world.ban_vhxh)


def test_the_bulk_assign_page_still_lists_the_users_own_queue(client, world):
    process = _draft(client, world)
    response = _login(client, world.ban_vhxh).post(
        reverse("intake:tasks_assign"), {"select_all": "1"}
    )
    assert "bí mật" in response.content.decode()
    _login(client, world.ban_vhxh).post(
        reverse("intake:tasks_assign"), {"select_all": "1", "_confirm": "1"}
    )
    assert _task(process, IntakeFlow.check).owner == world.ban_vhxh


def test_a_bulk_action_on_ids_that_are_not_ids_is_refused_not_a_500(client, world):
    process = _draft(client, world)
    for page in ("intake:tasks_assign", "intake:tasks_unassign"):
        response = _login(client, world.ban_vhxh).post(
            reverse(page), {"pk": ["abc", "1\x00"], "_confirm": "1"}
        )
        assert response.status_code < 500
    assert _task(process, IntakeFlow.check).owner is None


# ---------------------------------------------------------- not found is not found


@pytest.mark.parametrize(
    ("who", "status"),
    [("ban_ktns", 404), ("other_thuongtruc", 404), ("so_tc", 403), ("outsider", 403)],
)
def test_intake_pages_of_a_hidden_process_answer_as_for_a_missing_one(client, world, who, status):
    """404 for both; someone kept out of the whole intake app (403) is kept out whatever
    the id."""
    process = _draft(client, world)
    task = _task(process, IntakeFlow.check)
    missing = process.pk + 1000
    _login(client, getattr(world, who))
    for pk, task_pk in ((process.pk, task.pk), (missing, task.pk + 1000)):
        urls = [
            reverse("intake:process_detail", args=[pk]),
            reverse("intake:process_chart", args=[pk]),
            reverse("intake:check:assign", args=[pk, task_pk]),
            reverse("intake:check:execute", args=[pk, task_pk]),
            reverse("intake:check:detail", args=[pk, task_pk]),
        ]
        for url in urls:
            assert client.get(url).status_code == status, url
            assert client.post(url).status_code == status, url
    assert _task(process, IntakeFlow.check).owner is None


def test_a_task_of_another_process_is_404_under_a_visible_process(client, world):
    process = _draft(client, world)
    task = _task(process, IntakeFlow.check)
    url = reverse("intake:check:assign", args=[process.pk + 1000, task.pk])
    assert _login(client, world.ban_vhxh).post(url).status_code == 404
    assert _task(process, IntakeFlow.check).owner is None


# --------------------------------------------------------------- the API's own 404


def test_an_api_address_missing_its_slash_is_still_sent_on_or_refused_in_json(world, settings):
    settings.DEBUG = True
    client = _api(world.thuongtruc)
    moved = client.get(f"{API}/cases", {"state": "assigned"})
    assert (moved.status_code, moved["Location"]) == (301, f"{API}/cases/?state=assigned")
    response = client.post(f"{API}/cases/{world.case.pk}/start", {}, format="json")
    assert _refused(response, 404)["code"] == "not_found"
    assert Case.objects.get(pk=world.case.pk).state == "assigned"


@pytest.mark.parametrize(
    "path",
    ["/api/v1/nothing-here/", f"/api/v1/cases/{'9' * 30}/", "/api/v1/cases/abc/", "/api/x/"],
)
def test_api_404s_are_json_in_development_mode_too(world, settings, path):
    settings.DEBUG = True
    response = _api(world.thuongtruc).get(path, follow=True)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert _refused(response, 404)["code"] == "not_found"


# ------------------------------------------------------------------- bad parameters


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"page_size": "-1"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "many"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"overdue": "maybe"}, "overdue"),
        ({"ordering": "bogus"}, "ordering"),
        ({"ordering": "deadline,-secret"}, "ordering"),
    ],
)
def test_a_bad_query_parameter_is_a_400_naming_it(world, params, named):
    body = _refused(_api(world.thuongtruc).get(f"{API}/cases/", params))
    assert named in body["errors"] and named in body["errors_en"]
    assert body["errors"][named] != body["errors_en"][named]  # Vietnamese, then English


def test_good_query_parameters_still_work(world):
    client = _api(world.thuongtruc)
    params = {"page_size": "100", "overdue": "true", "ordering": "-deadline,opened_at"}
    assert client.get(f"{API}/cases/", params).status_code == 200
    assert client.get(f"{API}/cases/", {"overdue": "false"}).status_code == 200
    assert client.get(f"{API}/notices/", {"ordering": "-issue_date"}).status_code == 200
    body = _refused(client.get(f"{API}/notices/", {"ordering": "title"}))
    assert "ordering" in body["errors"]
