"""The register, evaluations, programmes and questions as pages, Vietnamese first."""

from django.test import Client
from django.urls import reverse

from resolutions.models import Evaluation, HotlineQuestion, Programme, Resolution
from resolutions.services import programme_create, question_add
from tests.resolutions_support import document, register
from tests.world import NOW


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_office_enters_a_resolution_and_a_committee_evaluates_it(world):
    office = _client(world.vanphong)
    url = reverse("resolutions:resolution_list")
    form = {
        "number": "16/NQ-HĐND",
        "adopted_on": "06/07/2025",
        "title": "Thông qua Đề án nâng cao chất lượng hoạt động HĐND",
        "kind": "individual",
        "sector": "Tổ chức bộ máy",
        "lead_agency": world.ldtbxh.pk,
        "committee": world.vhxh.pk,
        "in_force_from": "06/07/2025",
    }
    assert office.post(url, form).status_code == 302
    resolution = Resolution.objects.get()
    page = office.get(url).content.decode()
    assert "16/NQ-HĐND" in page and "06/07/2025" in page and "Chưa đánh giá" in page
    bad = office.post(url, form)  # the same number again
    assert bad.status_code == 400 and "đã có trong sổ" in bad.content.decode()
    assert Resolution.objects.count() == 1
    detail = reverse("resolutions:resolution_detail", args=[resolution.pk])
    committee = _client(world.ban_vhxh)
    answer = committee.post(detail, {"as_of": "30/06/2026", "effect": "unclear", "note": "Chờ"})
    assert answer.status_code == 302
    assert "Tác động chưa thấy rõ" in committee.get(detail).content.decode()
    assert committee.post(detail, {"as_of": "31/12/2030", "effect": "none"}).status_code == 400
    assert Evaluation.objects.count() == 1
    assert _client(world.so_tc).get(detail).status_code == 404


def test_a_department_sees_only_its_resolutions_in_english_too(world):
    own = register(world, "20/2025/NQ-HĐND", items=[document()])
    other = register(world, "21/2025/NQ-HĐND", lead="so-tc")
    department = _client(world.so_ldtbxh)
    page = department.get(reverse("resolutions:resolution_list")).content.decode()
    assert own.number in page and other.number not in page
    detail = department.get(reverse("resolutions:resolution_detail", args=[own.pk]))
    assert "Kế hoạch triển khai nghị quyết" in detail.content.decode()
    department.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = department.get(reverse("resolutions:resolution_list")).content.decode()
    assert "Resolution register" in english


def test_the_programme_page_shows_callers_to_the_office_only(world):
    programme = programme_create(
        committee=world.vhxh, aired_on=NOW.date(), topic="Đào tạo nghề", actor=world.vanphong
    )
    question_add(
        programme=programme,
        received_at=NOW,
        text="Hỗ trợ học nghề?",
        agency_code="so-ldtbxh",
        caller_consent=True,
        caller_name="Lê Thị Năm",
        caller_phone="0987654321",
        actor=world.vanphong,
    )
    url = reverse("resolutions:programme_detail", args=[programme.pk])
    assert "Lê Thị Năm" in _client(world.vanphong).get(url).content.decode()
    for user in (world.thuongtruc, world.so_ldtbxh):
        page = _client(user).get(url).content.decode()
        assert "Hỗ trợ học nghề?" in page and "Lê Thị Năm" not in page
    assert _client(world.so_khdt).get(url).status_code == 404
    office = _client(world.vanphong)
    answer = office.post(
        url,
        {
            "form": "question",
            "received_at": "24/11/2026 10:05",
            "text": "Vay vốn xuất khẩu lao động?",
            "agency": world.khdt.pk,
        },
    )
    assert answer.status_code == 302
    notice = office.post(
        url, {"form": "notice", "number": "71/TB-HĐND", "issue_date": "24/11/2026"}
    )
    assert notice.status_code == 302
    assert HotlineQuestion.objects.filter(recommendation__isnull=False).count() == 2
    assert Programme.objects.get().notice.number == "71/TB-HĐND"
