"""The REST API end to end, first half: tokens, notices issued in one call, and how refused
input answers, in both languages and writing nothing."""

import datetime
import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conclusions.models import ConclusionNotice, Recommendation
from tests.api_support import (
    API,
    agency_lookups,
    notice_body,
)
from tests.helpers import api_client
from workflow.models import Case, CaseEvent


def test_a_user_exchanges_username_and_password_for_a_token(world):
    response = APIClient().post(
        f"{API}/auth/token/", {"username": "so_ldtbxh", "password": "demo"}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=world.so_ldtbxh).key}
    again = APIClient().post(f"{API}/auth/token/", {"username": "so_ldtbxh", "password": "demo"})
    assert again.json()["token"] == response.json()["token"]


def test_a_wrong_password_gets_no_token_and_a_message_in_both_languages(world):
    response = APIClient().post(
        f"{API}/auth/token/", {"username": "so_ldtbxh", "password": "sai"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert {"detail_en", "code"} <= response.json().keys()
    assert not Token.objects.exists()


def test_the_token_opens_the_api_and_no_token_gets_401(world):
    assert api_client(world.so_ldtbxh).get(f"{API}/me/").json()["username"] == "so_ldtbxh"
    anonymous = APIClient().get(f"{API}/cases/")
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == "Token"
    assert anonymous.json()["code"] == "not_authenticated"
    forged = APIClient(HTTP_AUTHORIZATION="Token 0123456789abcdef").get(f"{API}/cases/")
    assert forged.status_code == 401


def test_the_standing_committee_issues_a_notice_in_one_call(world):
    response = api_client(world.thuongtruc).post(f"{API}/notices/", notice_body(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    notice = ConclusionNotice.objects.get(pk=body["id"])
    assert (notice.status, notice.number, notice.registered_by) == (
        "issued",
        "22/TB-HĐND",
        world.thuongtruc,
    )
    cases = {(c["anchor"], c["agency"]["code"]): c for c in body["cases"]}
    assert set(cases) == {
        ("II.1.a", "so-ldtbxh"),
        ("II.1.a", "so-tc"),
        ("II.1.b", "so-tc"),
        ("II.2", "so-ldtbxh"),
    }
    # 24/01/2025 + 10 working days, skipping Tết 27/01–31/01 → 14/02/2025.
    assert cases[("II.1.a", "so-ldtbxh")]["deadline"] == "2025-02-14"
    # 29/03/2025 is a Saturday: the deadline moves to Monday 31/03.
    assert cases[("II.1.b", "so-tc")]["deadline"] == "2025-03-31"
    assert cases[("II.1.b", "so-tc")]["committee"]["code"] == "ban-ktns"
    assert cases[("II.2", "so-ldtbxh")]["deadline"] is None
    assert cases[("II.1.a", "so-ldtbxh")]["coordinating_agencies"] == [
        {"code": "so-khdt", "name": "Sở Kế hoạch và Đầu tư"}
    ]
    stored = Case.objects.get(notice=notice, agency=world.ldtbxh, recommendation__anchor="II.1.a")
    assert stored.deadline == datetime.date(2025, 2, 14)
    assert any("Tết" in d["reason"]["vi"] for d in stored.deadline_explanation["skipped"])
    assert CaseEvent.objects.filter(case__notice=notice, kind="case.opened").count() == 4


def test_a_notice_shows_each_user_only_the_cases_they_may_see(world):
    created = api_client(world.thuongtruc).post(f"{API}/notices/", notice_body(), format="json")
    notice_id = created.json()["id"]
    seen = api_client(world.so_tc).get(f"{API}/notices/{notice_id}/").json()
    assert {c["agency"]["code"] for c in seen["cases"]} == {"so-tc"}
    listed = api_client(world.so_tc).get(f"{API}/notices/").json()
    assert [n["id"] for n in listed["results"]] == [notice_id]
    assert api_client(world.outsider).get(f"{API}/notices/{notice_id}/").status_code == 404


def test_decomposed_vietnamese_is_stored_precomposed(world):
    nfd = unicodedata.normalize("NFD", "Tổ chức đào tạo nghề cho người lao động")
    body = notice_body(
        number=unicodedata.normalize("NFD", "23/TB-HĐND"),
        title=nfd,
        recommendations=[{"anchor": "I.1", "text": nfd, "lead_agencies": ["so-ldtbxh"]}],
    )
    assert nfd != unicodedata.normalize("NFC", nfd)
    response = api_client(world.thuongtruc).post(f"{API}/notices/", body, format="json")
    assert response.status_code == 201, response.json()
    notice = ConclusionNotice.objects.get(pk=response.json()["id"])
    nfc = unicodedata.normalize("NFC", nfd)
    assert (notice.number, notice.title) == ("23/TB-HĐND", nfc)
    assert Recommendation.objects.get(notice=notice).text == nfc


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"tracking_committee": "ban-khong-co"}, "tracking_committee", "Không tìm thấy Ban"),
        ({"issue_date": "2025-02-30"}, "issue_date", "Ngày không hợp lệ"),
        ({"issue_date": "1899-01-01"}, "issue_date", "Ngày phải trong khoảng"),
        ({"source_kind": "gossip"}, "source_kind", "không phải là một lựa chọn hợp lệ"),
        ({"title": "x" * 501}, "title", "Tối đa 500 ký tự"),
        ({"number": 15}, "number", "Cần một chuỗi ký tự"),
        ({"recommendations": []}, "recommendations", "không được rỗng"),
        ({"recommendations": "II.1"}, "recommendations", "Cần một danh sách"),
        (
            {"recommendations": [{"anchor": "I", "text": "x", "lead_agencies": "so-tc"}]},
            "recommendations[0].lead_agencies",
            "Cần một danh sách mã",
        ),
        (
            {
                "recommendations": [
                    {"anchor": "I", "text": "x", "lead_agencies": ["so-tc"], "deadline": {}}
                ]
            },
            "recommendations[0].deadline",
            "Chọn đúng một cách tính thời hạn",
        ),
        (
            {
                "recommendations": [
                    {
                        "anchor": "I",
                        "text": "x",
                        "lead_agencies": ["so-tc"],
                        "deadline": {"working_days": 99999},
                    }
                ]
            },
            "recommendations[0].deadline.working_days",
            "nhỏ hơn hoặc bằng 3660",
        ),
        (
            {
                "recommendations": [
                    {
                        "anchor": "I",
                        "text": "x",
                        "lead_agencies": ["so-tc"],
                        "deadline": {"date": "9999-12-31"},
                    }
                ]
            },
            "recommendations[0].deadline.date",
            "Ngày phải trong khoảng",
        ),
    ],
)
def test_bad_notice_input_is_refused_field_by_field_and_nothing_is_written(
    world, change, field, says
):
    response = api_client(world.thuongtruc).post(
        f"{API}/notices/", notice_body(**change), format="json"
    )
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "invalid"
    assert says in body["errors"][field][0], body
    assert body["detail"].startswith(field)
    assert field in body["errors_en"]
    assert ConclusionNotice.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"number": "15/TB-HĐND", "issue_date": "2026-01-10"}, "đã được dùng trong năm 2026"),
        (
            {
                "recommendations": [
                    {"anchor": "I", "text": "x", "lead_agencies": ["so-khong-co", "so-tc"]}
                ]
            },
            "Không tìm thấy cơ quan có mã: so-khong-co",
        ),
        (
            {
                "recommendations": [
                    {"anchor": "I", "text": "x", "lead_agencies": ["so-tc"]},
                    {"anchor": "I", "text": "y", "lead_agencies": ["so-tc"]},
                ]
            },
            "Mục I bị trùng",
        ),
        (
            {
                "recommendations": [
                    {
                        "anchor": "I",
                        "text": "x",
                        "lead_agencies": ["so-tc"],
                        "deadline": {"date": "2025-01-01"},
                    }
                ]
            },
            "trước ngày ban hành",
        ),
    ],
)
def test_refusals_of_the_notice_service_come_back_in_both_languages(world, change, says):
    response = api_client(world.thuongtruc).post(
        f"{API}/notices/", notice_body(**change), format="json"
    )
    assert response.status_code == 400, response.json()
    body = response.json()
    assert says in body["detail"], body
    assert body["detail_en"]
    assert ConclusionNotice.objects.count() == 1
    assert Case.objects.count() == 1


def test_a_duplicate_number_refusal_reads_in_english_too(world):
    response = api_client(world.thuongtruc).post(
        f"{API}/notices/", notice_body(number="15/TB-HĐND", issue_date="2026-01-10"), format="json"
    )
    english = response.json()["detail_en"]
    assert "15/TB-HĐND" in english and "2026" in english


def test_a_refused_notice_runs_the_service_once_and_answers_in_both_languages(world):
    item = {"anchor": "I", "text": "x", "lead_agencies": ["so-khong-co"]}
    with CaptureQueriesContext(connection) as queries:
        response = api_client(world.thuongtruc).post(
            f"{API}/notices/", notice_body(recommendations=[item]), format="json"
        )
    assert agency_lookups(queries) == 1
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Không tìm thấy cơ quan có mã: so-khong-co.",
        "detail_en": "No agency found with code: so-khong-co.",
        "code": "invalid",
        "errors": {"non_field_errors": ["Không tìm thấy cơ quan có mã: so-khong-co."]},
        "errors_en": {"non_field_errors": ["No agency found with code: so-khong-co."]},
    }
    assert ConclusionNotice.objects.count() == 1


def test_a_refusal_of_one_field_keeps_its_path_in_both_languages(world):
    body = notice_body(number="15/TB-HĐND", issue_date="2026-01-10")
    response = api_client(world.thuongtruc, HTTP_ACCEPT_LANGUAGE="en").post(
        f"{API}/notices/", body, format="json"
    )
    assert response.json()["errors"] == {
        "number": ["Số thông báo 15/TB-HĐND đã được dùng trong năm 2026."]
    }
    assert response.json()["errors_en"] == {
        "number": ["Notice number 15/TB-HĐND is already used in 2026."]
    }
    assert (
        response.json()["detail"] == "number: Số thông báo 15/TB-HĐND đã được dùng trong năm 2026."
    )


def test_malformed_json_is_a_400_that_says_so(world):
    response = api_client(world.thuongtruc).post(
        f"{API}/notices/", '{"number": "1/TB",', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "không đọc được" in response.json()["detail"]


def test_a_json_array_where_an_object_belongs_is_a_400(world):
    response = api_client(world.thuongtruc).post(f"{API}/notices/", [1, 2], format="json")
    assert response.status_code == 400
    assert "cần một đối tượng JSON" in response.json()["detail"]
