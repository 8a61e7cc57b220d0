"""Defects found by trying the pages and the API as an attacker and as a careless user would
(issue 16): each test failed before its fix. Every refusal is a 4xx that writes nothing."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from viewflow.workflow import STATUS

from intake.flows import IntakeFlow
from tests.defects_support import (  # noqa: F401  (fixtures among them)
    API,
    REGISTRATION,
    _api,
    _deep,
    _draft,
    _login,
    _notice_body,
    _refused,
    _rows,
    _task,
    foreign_agency,
)
from workflow.models import Case


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


@pytest.mark.parametrize(
    "path", ["/api/v1/cases/B/decision/", "/api/v1/notifications/%C2%A0X/read/"]
)
def test_a_post_with_a_session_to_no_api_address_is_a_json_404_not_a_csrf_page(world, path):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.thuongtruc)
    response = client.post(path, {}, content_type="application/json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
