"""The two intake endpoints of the API: the council's agencies for integrations, and a signed
notice read into a draft that `POST /api/v1/notices/` takes back as it is, writing nothing;
as every role of the named world."""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from fpdf import FPDF

from conclusions.models import AgencyAlias, ConclusionNotice, Recommendation
from devtools.notice_corpus import render
from tests.helpers import api_client
from workflow.models import Case

API = "/api/v1"
NOTICE = """HĐND TỈNH HẬU GIANG || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
THƯỜNG TRỰC HĐND || Độc lập - Tự do - Hạnh phúc
Số: 16/TB-HĐND || Hậu Giang, ngày 10 tháng 6 năm 2026
THÔNG BÁO
Kết luận giám sát chuyên đề về đào tạo nghề cho lao động nông thôn
II. KIẾN NGHỊ
{first}
2. Sở Tài chính bố trí kinh phí đào tạo nghề trong quý IV/2026.
3. Sở Ngoại vụ phối hợp với doanh nghiệp tìm thị trường lao động, trong 6 tháng.
III. TỔ CHỨC THỰC HIỆN
Giao Ban Văn hóa - Xã hội HĐND tỉnh theo dõi, đôn đốc.
Nơi nhận: || TM. THƯỜNG TRỰC HĐND
- Như trên; || KT. CHỦ TỊCH
- Lưu: VT. || PHÓ CHỦ TỊCH
|| Mã Thị Tươi
""".replace(
    "{first}",
    "1. Đề nghị UBND tỉnh chỉ đạo Sở LĐ-TB&XH chủ trì, phối hợp với Sở KH&ĐT rà soát nhu cầu "
    "đào tạo nghề; hoàn thành trước ngày 30/9/2026.",
)


def _docx(source: str = NOTICE) -> SimpleUploadedFile:
    return SimpleUploadedFile("tb-16.docx", render(source, "docx"))


def _parse(user, upload=None, **fields):
    data = {"file": upload or _docx(), **fields}
    return api_client(user).post(f"{API}/notices/parse/", data, format="multipart")


def _written() -> tuple:
    return ConclusionNotice.objects.count(), Recommendation.objects.count(), Case.objects.count()


def test_the_office_gets_a_draft_in_the_shape_the_notice_endpoint_takes(world):
    before = _written()
    response = _parse(world.vanphong)
    assert response.status_code == 200, response.json()
    draft = response.json()
    assert _written() == before
    assert (draft["number"], draft["issue_date"]) == ("16/TB-HĐND", "2026-06-10")
    assert (draft["signer"], draft["signer_capacity"]) == (
        "Mã Thị Tươi",
        "TM. THƯỜNG TRỰC HĐND, KT. CHỦ TỊCH, PHÓ CHỦ TỊCH",
    )
    assert draft["tracking_committee"] == "ban-vhxh"
    first, second, third = draft["recommendations"]
    assert first == {
        "anchor": "II.1",
        "text": "Đề nghị UBND tỉnh chỉ đạo Sở LĐ-TB&XH chủ trì, phối hợp với Sở KH&ĐT rà soát "
        "nhu cầu đào tạo nghề; hoàn thành trước ngày 30/9/2026.",
        "lead_agencies": ["so-ldtbxh"],
        "coordinating_agencies": ["so-khdt"],
        "accountable": "ubnd-tinh",
        "tracking_committee": "",
        "deadline": {"date": "2026-09-30"},
        "deadline_text": "hoàn thành trước ngày 30/9/2026",
    }
    assert second["deadline"] == {"quarter": 4, "year": 2026}
    assert (third["lead_agencies"], third["deadline"]) == ([], {"months": 6})
    assert "Sở Ngoại vụ" in draft["warnings"]["recommendations[2].lead_agencies"][0]
    assert "Sở Ngoại vụ" in draft["warnings_en"]["recommendations[2].lead_agencies"][0]


def test_a_corrected_draft_is_issued_by_the_notice_endpoint_unchanged_otherwise(world):
    draft = _parse(world.thuongtruc).json()
    draft["recommendations"][2]["lead_agencies"] = ["so-tc"]  # the clerk's one correction
    response = api_client(world.thuongtruc).post(f"{API}/notices/", draft, format="json")
    assert response.status_code == 201, response.json()
    notice = ConclusionNotice.objects.get(pk=response.json()["id"])
    assert [r.deadline_phrase for r in notice.recommendations.order_by("position")] == [
        "hoàn thành trước ngày 30/9/2026",
        "trong quý IV/2026",
        "trong 6 tháng",
    ]
    deadlines = sorted(str(c.deadline) for c in Case.objects.filter(notice=notice))
    assert deadlines == ["2026-09-30", "2026-12-10", "2026-12-31"]


@pytest.mark.parametrize("role", ["so_ldtbxh", "ban_vhxh", "outsider"])
def test_other_roles_may_not_read_notices_in(world, role):
    response = _parse(getattr(world, role))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_without_a_token_the_answer_is_401(world):
    assert _parse(None).status_code == 401


def test_another_councils_standing_committee_may_not_read_for_this_council(world):
    response = _parse(world.other_thuongtruc, council="hau-giang")
    assert response.status_code == 403
    assert response.json()["detail_en"]


def test_a_superuser_names_the_council(world):
    admin = User.objects.create_superuser("root", password="x")
    assert _parse(admin).status_code == 400
    assert _parse(admin, council="hau-giang").json()["recommendations"][0]["anchor"] == "II.1"


def test_an_oversized_file_is_413_in_both_languages(world, settings):
    settings.DONDOC_NOTICE_MAX_BYTES = 1000
    response = _parse(world.vanphong)
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "too_large"
    assert "1000" in body["detail"] and body["detail_en"].startswith("The notice file is too")


def _scanned_pdf() -> SimpleUploadedFile:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 170, 250, style="F")
    return SimpleUploadedFile("scan.pdf", bytes(pdf.output()))


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("tb.doc", b"\xd0\xcf\x11\xe0 old Word"), "unsupported_file"),
        (SimpleUploadedFile("tb.docx", b"PK\x03\x04 not a zip"), "unreadable_file"),
        (None, "no_text_layer"),
    ],
)
def test_files_that_are_not_readable_notices_are_400_with_the_reason(world, upload, code):
    before = _written()
    response = _parse(world.vanphong, upload or _scanned_pdf())
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code
    assert body["detail"] != body["detail_en"]
    assert _written() == before


def test_a_request_without_a_file_says_which_field_is_missing(world):
    response = api_client(world.vanphong).post(f"{API}/notices/parse/", {}, format="multipart")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["file"]


def test_the_agency_list_gives_codes_names_aliases_and_parents(world):
    AgencyAlias.objects.create(agency=world.ldtbxh, name="Sở LĐ-TB&XH")
    response = api_client(world.so_tc).get(f"{API}/agencies/", {"council": "hau-giang"})
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()}
    assert set(rows) == {"ubnd-tinh", "so-ldtbxh", "so-khdt", "so-tc"}
    assert rows["so-ldtbxh"]["aliases"] == ["Sở LĐ-TB&XH"]
    assert rows["so-ldtbxh"]["parent"] == "ubnd-tinh"
    assert rows["ubnd-tinh"]["parent"] is None


@pytest.mark.parametrize(("role", "status"), [("outsider", 404), ("other_thuongtruc", 404)])
def test_the_agency_list_is_for_the_councils_own_people(world, role, status):
    response = api_client(getattr(world, role)).get(f"{API}/agencies/", {"council": "hau-giang"})
    assert response.status_code == status
    assert response.json()["code"] == "not_found"


def test_the_agency_list_needs_a_council(world):
    response = api_client(world.thuongtruc).get(f"{API}/agencies/")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["council"]
