"""The REST API end to end, second half: case lists and pages, transitions, evidence,
extensions, the deadline calculator, the overdue figures and the schema."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.api_support import (
    API,
    notice_body,
    reported,
    reported_with,
    started,
)
from tests.helpers import api_client
from workflow.models import Case, Evidence, Extension, ProgressReport


def test_cases_are_listed_with_filters_and_ordering(world):
    api_client(world.thuongtruc).post(f"{API}/notices/", notice_body(), format="json")
    client = api_client(world.thuongtruc)
    everything = client.get(f"{API}/cases/").json()
    assert everything["count"] == 5
    by_agency = client.get(f"{API}/cases/", {"agency": "so-tc"}).json()
    assert {c["agency"]["code"] for c in by_agency["results"]} == {"so-tc"}
    assert by_agency["count"] == 2
    by_committee = client.get(f"{API}/cases/", {"committee": "ban-ktns"}).json()
    assert [c["anchor"] for c in by_committee["results"]] == ["II.1.b"]
    by_notice = client.get(f"{API}/cases/", {"notice": world.notice.pk}).json()
    assert [c["id"] for c in by_notice["results"]] == [world.case.pk]
    # Every dated deadline is past (the world's is 30/09/2026); the ongoing one never is.
    overdue = client.get(f"{API}/cases/", {"overdue": "true"}).json()
    assert overdue["count"] == 4
    not_overdue = client.get(f"{API}/cases/", {"overdue": "false"}).json()
    assert [c["anchor"] for c in not_overdue["results"]] == ["II.2"]
    latest_first = client.get(f"{API}/cases/", {"ordering": "-deadline"}).json()["results"]
    dated = [c["deadline"] for c in latest_first if c["deadline"]]
    assert dated == sorted(dated, reverse=True)
    page = client.get(f"{API}/cases/", {"page_size": 2, "page": 3}).json()
    assert (page["count"], len(page["results"]), page["next"]) == (5, 1, None)


def test_a_bad_filter_is_a_400_in_both_languages(world):
    response = api_client(world.thuongtruc).get(f"{API}/cases/", {"state": "lost"})
    assert response.status_code == 400
    assert response.json()["errors"]["state"]
    assert response.json()["errors_en"]["state"]
    assert api_client(world.thuongtruc).get(f"{API}/cases/", {"notice": "1.5"}).status_code == 400
    missing_page = api_client(world.thuongtruc).get(f"{API}/cases/", {"page": 99})
    assert missing_page.status_code == 404
    assert "Trang 99" in missing_page.json()["detail"]


@pytest.mark.parametrize("extra_cases", [0, 30])
def test_a_page_of_cases_costs_the_same_queries_however_many_cases(
    world, extra_cases, django_assert_max_num_queries
):
    for index in range(extra_cases):
        api_client(world.thuongtruc).post(
            f"{API}/notices/",
            notice_body(number=f"{index + 100}/TB-HĐND"),
            format="json",
        )
    client = api_client(world.thuongtruc)
    # token + user, memberships, count, page, coordinating agencies
    with django_assert_max_num_queries(5):
        response = client.get(f"{API}/cases/", {"page_size": 100})
    assert len(response.json()["results"]) == min(1 + 4 * extra_cases, 100)


@pytest.mark.parametrize("more", [0, 30])
def test_notice_and_timeline_pages_cost_the_same_queries_however_long(
    world, more, django_assert_max_num_queries
):
    for index in range(more):
        api_client(world.thuongtruc).post(
            f"{API}/notices/", notice_body(number=f"{index + 100}/TB-HĐND"), format="json"
        )
        extension = api_client(world.so_ldtbxh).post(
            f"{API}/cases/{world.case.pk}/extensions/",
            {"requested_until": "2099-01-01", "reason": "Chờ."},
            format="json",
        )
        api_client(world.thuongtruc).post(f"{API}/extensions/{extension.json()['id']}/reject/")
    client = api_client(world.so_ldtbxh)
    with django_assert_max_num_queries(4):  # token + user, memberships, count, page
        notices = client.get(f"{API}/notices/", {"page_size": 100}).json()
    with django_assert_max_num_queries(5):  # … and the case
        events = client.get(f"{API}/cases/{world.case.pk}/events/", {"page_size": 100}).json()
    assert len(notices["results"]) == 1 + more
    assert len(events["results"]) == 1 + 2 * more


def test_the_case_page_and_its_timeline(world):
    reported(world)
    detail = api_client(world.ban_vhxh).get(f"{API}/cases/{world.case.pk}/").json()
    assert detail["state"] == "reported"
    assert detail["actions"] == ["return", "close"]
    assert detail["reports"][0]["letter_number"] == "245/SLĐTBXH-VP"
    assert detail["deadline_explanation"]["vi"].endswith("hạn 30/09/2026")
    events = api_client(world.ban_vhxh).get(f"{API}/cases/{world.case.pk}/events/").json()
    assert [e["kind"] for e in events["results"]] == [
        "case.opened",
        "case.started",
        "case.reported",
    ]
    assert events["results"][1]["actor"] == "so_ldtbxh"


def test_a_case_goes_from_start_to_close_through_the_api(world):
    assert started(world).json()["state"] == "in_progress"
    pdf = SimpleUploadedFile("ket-qua.pdf", b"%PDF-1.4 bao cao", content_type="application/pdf")
    reported = reported_with(world, evidence=[pdf])
    evidence = reported["reports"][0]["evidence"][0]
    assert (evidence["original_name"], evidence["size"]) == ("ket-qua.pdf", 16)
    download = api_client(world.ban_vhxh).get(evidence["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 bao cao"
    assert "attachment" in download["Content-Disposition"]
    returned = api_client(world.ban_vhxh).post(
        f"{API}/cases/{world.case.pk}/return/", {"reason": "Thiếu số liệu."}, format="json"
    )
    assert returned.json()["state"] == "in_progress"
    reported_with(world)
    closed = api_client(world.ban_vhxh).post(
        f"{API}/cases/{world.case.pk}/close/", {"outcome": "partially"}, format="json"
    )
    assert (closed.json()["state"], closed.json()["outcome"]) == ("closed", "partially")
    reopened = api_client(world.thuongtruc).post(
        f"{API}/cases/{world.case.pk}/reopen/", {"note": "Cử tri phản ánh."}, format="json"
    )
    assert reopened.json()["state"] == "in_progress"
    case = Case.objects.get(pk=world.case.pk)
    assert (case.state, case.outcome) == ("in_progress", "")
    assert list(case.events.values_list("kind", flat=True)) == [
        "case.opened",
        "case.started",
        "case.reported",
        "case.returned",
        "case.reported",
        "case.closed",
        "case.reopened",
    ]
    assert case.events.get(kind="case.returned").note == "Thiếu số liệu."


@pytest.mark.parametrize("coordinating", [True, False])
def test_a_transition_answers_with_the_case_as_its_page_shows_it_in_few_queries(
    world, coordinating, django_assert_max_num_queries
):
    """The answer is built from what the move holds in memory (the first report and its
    files too): it must be what the case's page reads back."""
    if not coordinating:
        world.case.coordinating_agencies.clear()
    officer, committee = api_client(world.so_ldtbxh), api_client(world.ban_vhxh)
    case = f"{API}/cases/{world.case.pk}"
    # token + user, roles, the case, its coordinating agencies if it has any, then the write:
    # a savepoint here (BEGIN in production), the row, the event, its release (COMMIT)
    with django_assert_max_num_queries(8 if coordinating else 7):
        answer = officer.post(f"{case}/start/").json()
    assert answer == officer.get(f"{case}/").json()
    assert len(answer["coordinating_agencies"]) == coordinating
    pdf = SimpleUploadedFile("ket-qua.pdf", b"%PDF-1.4 bao cao", content_type="application/pdf")
    with django_assert_max_num_queries(10 if coordinating else 9):  # … the report, its file
        answer = officer.post(
            f"{case}/report/", {"text": "Xong.", "evidence": [pdf]}, format="multipart"
        ).json()
    assert answer == officer.get(f"{case}/").json()
    assert [e["original_name"] for e in answer["reports"][0]["evidence"]] == ["ket-qua.pdf"]
    committee.post(f"{case}/return/", {"reason": "Thiếu số liệu."}, format="json")
    answer = officer.post(f"{case}/report/", {"text": "Bổ sung."}, format="multipart").json()
    assert answer == officer.get(f"{case}/").json()
    assert [r["text"] for r in answer["reports"]] == ["Bổ sung.", "Xong."]


def test_each_answer_is_built_for_its_own_request(world, settings):
    """A serializer shares its plain fields with every other of its class (`api.serializers`);
    what depends on the request (what this user may do, the address of a file) stays its own."""
    settings.ALLOWED_HOSTS = ["testserver", "hdnd.example"]
    pdf = SimpleUploadedFile("ket-qua.pdf", b"%PDF-1.4 bao cao", content_type="application/pdf")
    started(world)
    reported_with(world, evidence=[pdf])
    case = f"{API}/cases/{world.case.pk}/"
    committee = api_client(world.ban_vhxh).get(case, HTTP_HOST="hdnd.example").json()
    officer = api_client(world.so_ldtbxh).get(case).json()
    assert (committee["actions"], officer["actions"]) == (["return", "close"], [])
    urls = [answer["reports"][0]["evidence"][0]["url"] for answer in (committee, officer)]
    assert [url.split("/")[2] for url in urls] == ["hdnd.example", "testserver"]
    assert committee["reports"][0]["text"] == officer["reports"][0]["text"]


def test_a_transition_the_state_does_not_allow_is_a_409(world):
    response = api_client(world.so_ldtbxh).post(
        f"{API}/cases/{world.case.pk}/report/", {"text": "Xong."}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict"
    assert body["detail"] == "Không thể “Báo cáo kết quả”: hồ sơ đang ở trạng thái “Đã giao”."
    assert not ProgressReport.objects.exists()


def test_the_refusal_of_a_role_reads_in_both_languages(world):
    started(world)
    response = api_client(world.so_khdt).post(
        f"{API}/cases/{world.case.pk}/report/", {"text": "Xong."}, format="json"
    )
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Bạn không có quyền thực hiện “Báo cáo kết quả” trên hồ sơ này.",
        "detail_en": "You are not allowed to “Report results” on this case.",
        "code": "forbidden",
    }


def test_evidence_of_a_forbidden_type_or_size_is_refused_with_a_clear_message(world, settings):
    started(world)
    exe = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = api_client(world.so_ldtbxh).post(
        f"{API}/cases/{world.case.pk}/report/",
        {"text": "Xong.", "evidence": [exe]},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Tệp “virus.exe” không được chấp nhận.")
    settings.EVIDENCE_MAX_BYTES = 10
    big = SimpleUploadedFile("lon.pdf", b"%PDF" + b"0" * 20, content_type="application/pdf")
    response = api_client(world.so_ldtbxh).post(
        f"{API}/cases/{world.case.pk}/report/",
        {"text": "Xong.", "evidence": [big]},
        format="multipart",
    )
    assert response.status_code == 400
    assert "quá lớn" in response.json()["detail"]
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()
    assert Case.objects.get(pk=world.case.pk).state == "in_progress"


def test_too_many_evidence_files_are_refused(world, settings):
    started(world)
    files = [
        SimpleUploadedFile(f"{i}.pdf", b"%PDF", content_type="application/pdf") for i in range(11)
    ]
    response = api_client(world.so_ldtbxh).post(
        f"{API}/cases/{world.case.pk}/report/",
        {"text": "Xong.", "evidence": files},
        format="multipart",
    )
    assert response.status_code == 400
    assert "tối đa 10 tệp" in response.json()["detail"]
    assert not Evidence.objects.exists()


def test_an_extension_is_requested_and_approved(world):
    requested = api_client(world.so_ldtbxh).post(
        f"{API}/cases/{world.case.pk}/extensions/",
        {"requested_until": "2026-10-30", "reason": "Chờ số liệu điều tra."},
        format="json",
    )
    assert requested.status_code == 201, requested.json()
    extension_id = requested.json()["id"]
    assert requested.json()["status"] == "pending"
    approved = api_client(world.thuongtruc).post(
        f"{API}/extensions/{extension_id}/approve/", {"note": "Đồng ý."}, format="json"
    )
    assert approved.status_code == 200, approved.json()
    assert (approved.json()["status"], approved.json()["approved_until"]) == (
        "approved",
        "2026-10-30",
    )
    assert approved.json()["decided_by"] == "thuongtruc"
    case = Case.objects.get(pk=world.case.pk)
    assert (case.deadline, case.original_deadline) == (
        datetime.date(2026, 10, 30),
        datetime.date(2026, 9, 30),
    )
    again = api_client(world.thuongtruc).post(f"{API}/extensions/{extension_id}/reject/", {})
    assert again.status_code == 409
    page = api_client(world.so_ldtbxh).get(f"{API}/cases/{world.case.pk}/").json()
    assert page["extensions"] == [approved.json()]
    started = api_client(world.so_ldtbxh).post(f"{API}/cases/{world.case.pk}/start/").json()
    assert started["extensions"] == [approved.json()]


def test_an_extension_is_rejected(world):
    extension = api_client(world.so_ldtbxh).post(
        f"{API}/cases/{world.case.pk}/extensions/",
        {"requested_until": "2026-10-30", "reason": "Chờ số liệu."},
        format="json",
    )
    rejected = api_client(world.thuongtruc).post(
        f"{API}/extensions/{extension.json()['id']}/reject/", {"note": "Không đủ lý do."}
    )
    assert rejected.json()["status"] == "rejected"
    assert Extension.objects.get().status == "rejected"
    assert Case.objects.get(pk=world.case.pk).deadline == datetime.date(2026, 9, 30)


def test_the_deadline_calculator_explains_tet(world):
    response = api_client(world.so_ldtbxh).get(
        f"{API}/calendar/deadline/", {"start": "2025-01-24", "working_days": 10}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["due"] == "2025-02-14"
    assert body["summary"].endswith("→ hạn 14/02/2025")
    assert body["summary_en"].endswith("→ due 14/02/2025")
    tet = [day for day in body["explanation"] if not day["weekend"]]
    assert tet[0]["day"] == "2025-01-27" and "Tết" in tet[0]["reason"]
    assert any(day["weekend"] for day in body["explanation"])
    days = api_client(world.so_ldtbxh).get(
        f"{API}/calendar/deadline/", {"start": "2025-03-19", "calendar_days": 10}
    )
    assert days.json()["due"] == "2025-03-31"  # 29/03 is a Saturday


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2025-01-24"},
        {"start": "2025-01-24", "working_days": 1, "calendar_days": 1},
        {"start": "2025-01-24", "working_days": -1},
        {"start": "2025-01-24", "working_days": 100000},
        {"start": "10000-01-01", "working_days": 1},
        {"start": "2025-01-24", "working_days": 1, "council": "khong-co"},
    ],
)
def test_the_deadline_calculator_refuses_bad_queries(world, query):
    response = api_client(world.so_ldtbxh).get(f"{API}/calendar/deadline/", query)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_overdue_figures_count_only_the_cases_the_user_may_see(world):
    api_client(world.thuongtruc).post(f"{API}/notices/", notice_body(), format="json")
    standing = api_client(world.thuongtruc).get(f"{API}/reports/overdue/").json()
    committees = {row["code"]: row for row in standing["by_committee"]}
    assert (committees["ban-vhxh"]["total"], committees["ban-vhxh"]["overdue"]) == (4, 3)
    assert (committees["ban-ktns"]["total"], committees["ban-ktns"]["overdue"]) == (1, 1)
    agency = api_client(world.so_tc).get(f"{API}/reports/overdue/").json()
    assert [(r["code"], r["total"], r["overdue"]) for r in agency["by_agency"]] == [("so-tc", 2, 2)]
    assert {r["code"] for r in agency["by_committee"]} == {"ban-vhxh", "ban-ktns"}
    assert api_client(world.outsider).get(f"{API}/reports/overdue/").json()["by_agency"] == []


def test_the_openapi_schema_is_valid_and_complete(db, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s"))
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = set(schema["paths"])
    assert {
        "/api/v1/auth/token/",
        "/api/v1/notices/",
        "/api/v1/cases/{id}/report/",
        "/api/v1/cases/{id}/return/",
        "/api/v1/extensions/{id}/approve/",
        "/api/v1/calendar/deadline/",
        "/api/v1/reports/overdue/",
    } <= paths
    refusal = schema["paths"]["/api/v1/cases/{id}/start/"]["post"]["responses"]["409"]
    assert refusal["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
