"""The resolution register (issue #13): implementation tracked as cases, effect classes as
of a day, Report D frozen and answered by the API."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from reports.documents import document_for
from reports.models import ReportSnapshot
from reports.snapshots import snapshot_request
from resolutions.models import Evaluation, Resolution
from tests.helpers import api_client, carried_out, committed
from tests.resolutions_support import D, document, evaluate, periodic_report, register
from tests.world import TODAY
from workflow.models import Case, CaseState

API = "/api/v1"


@pytest.fixture
def register_of_four(world):
    """Four resolutions: evaluated on different days, one in force only from 2026."""
    w = world
    a = register(w, "10/2025/NQ-HĐND")
    b = register(w, "11/2025/NQ-HĐND", kind="individual", sector="Y tế")
    c = register(w, "12/2025/NQ-HĐND")
    late = register(w, "05/2026/NQ-HĐND", adopted=D(2026, 7, 1))
    evaluate(w, a, D(2026, 1, 15), "unclear", "Chưa có số liệu đánh giá.")
    evaluate(w, a, D(2026, 6, 30), "concrete", "Đã hỗ trợ 1.200 lao động học nghề.")
    evaluate(w, b, D(2026, 1, 15), "concrete")
    evaluate(w, c, D(2026, 6, 30), "none", "Chưa bố trí kinh phí.")
    evaluate(w, late, D(2026, 10, 1), "concrete")
    return a, b, c, late


def _report_d(user, day: datetime.date) -> dict:
    answer = api_client(user).get(f"{API}/reports/resolutions/", {"as_of": day.isoformat()})
    assert answer.status_code == 200, answer.content
    return answer.json()


def test_effect_class_counts_differ_as_of_different_days(world, register_of_four):
    january = _report_d(world.thuongtruc, D(2026, 2, 1))
    assert january["in_force"] == 3  # 05/2026 is not yet adopted
    assert january["effect"] == {"concrete": 1, "unclear": 1, "none": 0, "not_evaluated": 1}
    july = _report_d(world.thuongtruc, D(2026, 7, 1))
    assert july["in_force"] == 4
    assert july["effect"] == {"concrete": 2, "unclear": 0, "none": 1, "not_evaluated": 1}
    today = _report_d(world.thuongtruc, TODAY)
    assert today["effect"] == {"concrete": 3, "unclear": 0, "none": 1, "not_evaluated": 0}
    assert today["sentence"].startswith("3/4 nghị quyết có kết quả cụ thể; 0/4 nghị quyết")
    assert today["sentence_en"].startswith("3/4 resolutions with concrete results")
    assert today["by_kind"] == {"normative": 3, "individual": 1}
    assert {r["sector"]: r["total"] for r in today["by_sector"]} == {
        "Lao động, việc làm": 3,
        "Y tế": 1,
    }


def test_a_resolution_no_longer_in_force_is_not_counted(world, register_of_four):
    a = register_of_four[0]
    Resolution.objects.filter(pk=a.pk).update(
        in_force_to=D(2026, 3, 31), status=Resolution.Status.REPLACED
    )
    assert _report_d(world.thuongtruc, D(2026, 3, 31))["in_force"] == 3
    assert _report_d(world.thuongtruc, D(2026, 4, 1))["in_force"] == 2


def test_report_d_is_frozen_as_of_a_day_with_its_sentence_and_tables(
    world, register_of_four, settings
):
    settings.DONDOC_REPORTS_SYNC = True
    with committed():
        snapshot = snapshot_request(
            actor=world.thuongtruc, kind="resolutions", as_of=D(2026, 2, 1), council=world.council
        )
    snapshot.refresh_from_db()
    assert snapshot.status == ReportSnapshot.Status.DONE
    evaluate(world, register_of_four[2], D(2026, 1, 20), "concrete")  # a late evaluation
    frozen = ReportSnapshot.objects.get(pk=snapshot.pk)
    assert frozen.figures["effect"]["not_evaluated"] == 1
    document = document_for(frozen)
    assert (
        "1/3 nghị quyết có kết quả cụ thể; 1/3 nghị quyết tác động chưa thấy rõ"
        in (document.paragraphs[0])
    )
    assert [t.key for t in document.tables] == [
        "effect",
        "by_sector",
        "lacking_documents",
        "overdue_reports",
        "resolutions",
    ]
    page = _client(world.thuongtruc).get(reverse("reports:snapshot", args=[snapshot.pk]))
    assert "1/3 nghị quyết có kết quả cụ thể" in page.content.decode()
    for fmt in ("xlsx", "docx"):
        answer = _client(world.thuongtruc).get(
            reverse("reports:snapshot_export", args=[snapshot.pk, fmt])
        )
        assert answer.status_code == 200, fmt


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_implementation_items_open_cases_and_report_d_lists_what_is_missing(world):
    w = world
    resolution = register(w, "20/2025/NQ-HĐND", items=[document(), periodic_report()])
    cases = Case.objects.filter(notice=resolution.notice).order_by("recommendation__position")
    assert [(c.agency.code, c.deadline, c.committee.code) for c in cases] == [
        ("so-ldtbxh", D(2025, 6, 30), "ban-vhxh"),
        ("so-ldtbxh", D(2026, 6, 30), "ban-vhxh"),
    ]
    assert resolution.notice.source_kind == "resolution_follow_up"
    figures = _report_d(w.thuongtruc, TODAY)
    assert [r["number"] for r in figures["lacking_documents"]] == ["20/2025/NQ-HĐND"]
    assert [(r["number"], r["days_overdue"]) for r in figures["overdue_reports"]] == [
        ("20/2025/NQ-HĐND", 147)
    ]
    plan = cases[0]
    carried_out(
        plan,
        agency=w.so_ldtbxh,
        committee=w.ban_vhxh,
        report="UBND tỉnh ban hành Kế hoạch 88/KH-UBND.",
    )
    assert _report_d(w.thuongtruc, TODAY)["lacking_documents"] == []
    assert len(_report_d(w.thuongtruc, D(2026, 1, 1))["lacking_documents"]) == 1  # as it was
    detail = api_client(w.so_ldtbxh).get(f"{API}/resolutions/{resolution.pk}/").json()
    assert [(i["kind"], i["cases"][0]["state"]) for i in detail["implementation"]] == [
        ("document", CaseState.CLOSED),
        ("report", CaseState.ASSIGNED),
    ]
    assert detail["lacking_documents"] is False


def test_the_register_and_its_evaluations_through_the_api(world):
    w = world
    body = {
        "number": "16/NQ-HĐND",
        "date": "2025-07-06",
        "title": "Thông qua Đề án nâng cao chất lượng hoạt động HĐND các cấp",
        "kind": "individual",
        "field": "Tổ chức bộ máy",
        "lead_agency": "so-ldtbxh",
        "committee": "ban-vhxh",
        "in_force_from": "2025-07-06",
        "items": [{"kind": "document", "text": "Kế hoạch triển khai", "deadline": {"months": 2}}],
    }
    created = api_client(w.vanphong).post(f"{API}/resolutions/", body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["number"], data["field"], data["lead_agency"]) == (
        "16/NQ-HĐND",
        "Tổ chức bộ máy",
        "so-ldtbxh",
    )
    # Two months after 06/07/2025 is Saturday 06/09/2025: the next working day.
    assert data["implementation"][0]["cases"][0]["deadline"] == "2025-09-08"
    url = f"{API}/resolutions/{data['id']}/evaluations/"
    evaluation = {"as_of": "2026-06-30", "effect": "concrete", "note": "Có kết quả."}
    answer = api_client(w.ban_vhxh).post(url, evaluation, format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["evaluated_by"] == "ban_vhxh"
    detail = api_client(w.thuongtruc).get(f"{API}/resolutions/{data['id']}/").json()
    assert [e["effect"] for e in detail["evaluations"]] == ["concrete"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"as_of": "2026-06-30", "effect": "great"}, "effect"),
        ({"as_of": "2027-01-01", "effect": "none"}, "as_of"),
        ({"as_of": "2024-01-01", "effect": "none"}, "as_of"),
        ({"effect": "none"}, "as_of"),
    ],
)
def test_a_bad_evaluation_is_a_bilingual_400_and_writes_nothing(world, body, field):
    resolution = register(world, "30/2025/NQ-HĐND")
    url = f"{API}/resolutions/{resolution.pk}/evaluations/"
    answer = api_client(world.thuongtruc).post(url, body, format="json")
    assert answer.status_code == 400
    refusal = answer.json()
    assert refusal["detail"] and refusal["detail_en"] and field in refusal["errors"]
    assert not Evaluation.objects.exists()


def test_who_may_register_and_evaluate(world):
    w = world
    body = {
        "number": "40/NQ-HĐND",
        "date": "2025-07-06",
        "title": "Nghị quyết thử",
        "kind": "normative",
        "field": "Y tế",
        "lead_agency": "so-ldtbxh",
        "in_force_from": "2025-07-06",
    }
    refused = api_client(w.so_ldtbxh).post(f"{API}/resolutions/", body, format="json")
    assert refused.status_code == 403
    assert refused.json()["detail_en"]
    assert (
        api_client(w.other_thuongtruc).post(f"{API}/resolutions/", body, format="json").status_code
        == 404
    )
    assert not Resolution.objects.exists()
    twice = api_client(w.vanphong)
    assert twice.post(f"{API}/resolutions/", body, format="json").status_code == 201
    again = twice.post(f"{API}/resolutions/", body, format="json")
    assert again.status_code == 400 and "number" in again.json()["errors"]
    other = body | {"number": "41/NQ-HĐND", "committee": "ban-khong-co"}
    unknown = twice.post(f"{API}/resolutions/", other, format="json")
    assert unknown.status_code == 400 and "committee" in unknown.json()["errors"]
    assert "No committee found with code" in unknown.json()["detail_en"]
    resolution = Resolution.objects.get()
    url = f"{API}/resolutions/{resolution.pk}/evaluations/"
    ok = {"as_of": "2026-06-30", "effect": "none"}
    assert api_client(w.so_ldtbxh).post(url, ok, format="json").status_code == 403
    assert api_client(w.outsider).post(url, ok, format="json").status_code == 404
    assert not Evaluation.objects.exists()
