"""The registration form as a clerk uses it, without a script: every error at once beside its
field, items added, removed and moved, agencies by name, one deadline field for every kind a
notice writes with its computed date shown, and the signed .docx read into a draft."""

import datetime
import re
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conclusions.models import Agency, AgencyAlias, ConclusionNotice, Membership, Sitting
from devtools.notice_corpus import render
from intake.models import NoticeIntakeProcess
from tests.helpers import login
from tests.test_intake_flow import FUNDING, REGISTER, TRAINING, _registration

PREVIEW = reverse("intake:deadline_preview")

SIGNED = """HĐND TỈNH HẬU GIANG || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
THƯỜNG TRỰC HĐND || Độc lập - Tự do - Hạnh phúc
Số: 21/TB-HĐND || Hậu Giang, ngày 10 tháng 6 năm 2026
THÔNG BÁO
Kết luận giám sát chuyên đề về đào tạo nghề cho lao động nông thôn
Thường trực HĐND tỉnh kết luận như sau:
I. KIẾN NGHỊ
1. Đề nghị UBND tỉnh chỉ đạo Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với \
Sở Tài chính rà soát nhu cầu đào tạo nghề; hoàn thành trong quý III/2026.
2. Sở Kế hoạch và Đầu tư chủ trì bố trí vốn đầu tư cho các trường nghề, trong 30 ngày làm việc.
3. Sở Y tế chủ trì khám sức khỏe cho học viên trước ngày 30/9/2026.
II. TỔ CHỨC THỰC HIỆN
Giao Ban Văn hóa - Xã hội HĐND tỉnh theo dõi, đôn đốc việc thực hiện.
Nơi nhận: || TM. THƯỜNG TRỰC HĐND
- Lưu: VT. || CHỦ TỊCH
|| Trần Văn Huyến
"""


def _page(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def _values(html: str, field: str) -> list[str]:
    """The values of `rec-N-<field>` in the page, in item order."""
    found = re.findall(rf'name="rec-(\d+)-{field}" value="([^"]*)"', html)
    found += re.findall(rf'<textarea name="rec-(\d+)-{field}"[^>]*>\s*([^<]*)</textarea>', html)
    return [value.strip() for _index, value in sorted(found, key=lambda pair: int(pair[0]))]


def _anchors(html: str) -> list[str]:
    return _values(html, "anchor")


@pytest.fixture
def clerk(client, world):
    return login(client, world.vanphong)


# ------------------------------------------------------------------ all errors at once


def test_every_error_shows_at_once_beside_its_field_and_nothing_is_written(clerk, world):
    unknown = {**TRAINING, "lead_agencies": "Sở Y tế", "deadline": "trong quý V/2026"}
    early = {**FUNDING, "lead_agencies": "", "deadline": "01/06/2026"}
    data = _registration(world, items=(unknown, early)) | {"number": "", "issue_date": "31/02/2026"}
    html = _page(clerk.post(REGISTER, data))
    for message in (
        "This field is required." if "This field" in html else "Trường này là bắt buộc.",
        "Nhập ngày theo dạng dd/mm/yyyy.",
        "Không tìm thấy cơ quan “Sở Y tế” trong danh mục của HĐND.",
        "Không hiểu thời hạn “trong quý V/2026”.",
        "Kiến nghị II.1.b chưa có cơ quan chủ trì.",
    ):
        assert message in html, message
    assert html.count('role="alert"') >= 5
    assert 'data-testid="error-summary"' in html
    assert ConclusionNotice.objects.count() == 1  # the world's own
    assert not NoticeIntakeProcess.objects.exists()


def test_a_deadline_before_the_issue_date_is_refused_on_its_item(clerk, world):
    data = _registration(world, items=(TRAINING, {**FUNDING, "deadline": "01/06/2026"}))
    html = _page(clerk.post(REGISTER, data))
    assert "Thời hạn của kiến nghị II.1.b (01/06/2026) trước ngày ban hành" in html
    assert not NoticeIntakeProcess.objects.exists()


# ------------------------------------------------------------- add, remove and reorder


def test_adding_an_item_numbers_it_after_the_last_and_writes_nothing(clerk, world):
    html = _page(clerk.post(REGISTER, _registration(world) | {"_item": "add"}))
    assert _anchors(html) == ["II.1.a", "II.1.b", "II.1.c"]
    assert _values(html, "text")[:2] == [TRAINING["text"], FUNDING["text"]]
    assert 'role="alert"' not in html  # the new empty item is not an error yet
    assert not NoticeIntakeProcess.objects.exists()


def test_moving_an_item_up_keeps_each_items_fields_together(clerk, world):
    html = _page(clerk.post(REGISTER, _registration(world) | {"_item": "up:1"}))
    assert _anchors(html) == ["II.1.b", "II.1.a"]
    assert _values(html, "text") == [FUNDING["text"], TRAINING["text"]]
    assert _values(html, "deadline") == [FUNDING["deadline"], TRAINING["deadline"]]


def test_removing_an_item_drops_it_and_its_fields(clerk, world):
    html = _page(clerk.post(REGISTER, _registration(world) | {"_item": "remove:0"}))
    assert _anchors(html) == ["II.1.b"]
    assert 'name="rec-TOTAL_FORMS" value="1"' in html


def test_the_only_item_cannot_be_removed_nor_moved_past_the_ends(clerk, world):
    one = _registration(world, items=(TRAINING,))
    for operation in ("remove:0", "up:0", "down:0", "down:7", "remove:-1", "explode"):
        html = _page(clerk.post(REGISTER, one | {"_item": operation}))
        assert _anchors(html) == ["II.1.a"], operation


def test_items_registered_after_a_move_keep_the_new_order(clerk, world):
    moved = _page(clerk.post(REGISTER, _registration(world) | {"_item": "down:0"}))
    assert _anchors(moved) == ["II.1.b", "II.1.a"]
    data = _registration(world, items=(FUNDING, TRAINING))
    assert clerk.post(REGISTER, data).status_code == 302
    notice = ConclusionNotice.objects.get(number="16/TB-HĐND")
    assert [r.anchor for r in notice.recommendations.order_by("position")] == ["II.1.b", "II.1.a"]


# ----------------------------------------------------------------- the agency picker


def test_agencies_are_picked_by_name_short_form_or_alias_without_diacritics(clerk, world):
    world.tc.short_name = "STC"
    world.tc.save()
    AgencyAlias.objects.create(agency=world.khdt, name="Sở KH&ĐT")
    item = {
        **TRAINING,
        "lead_agencies": "so lao dong - thuong binh va xa hoi",
        "coordinating_agencies": "STC; Sở KH&ĐT",
        "accountable": "Ủy ban nhân dân tỉnh",
    }
    assert clerk.post(REGISTER, _registration(world, items=(item,))).status_code == 302
    recommendation = ConclusionNotice.objects.get(number="16/TB-HĐND").recommendations.get()
    assert [a.code for a in recommendation.lead_agencies.all()] == ["so-ldtbxh"]
    assert {a.code for a in recommendation.coordinating_agencies.all()} == {"so-tc", "so-khdt"}
    assert recommendation.accountable == world.ubnd


def test_a_name_two_agencies_answer_to_is_refused_naming_both(clerk, world):
    AgencyAlias.objects.create(agency=world.tc, name="Sở Kinh tế")
    AgencyAlias.objects.create(agency=world.khdt, name="Sở Kinh tế")
    item = {**TRAINING, "coordinating_agencies": "Sở Kinh tế"}
    html = _page(clerk.post(REGISTER, _registration(world, items=(item,))))
    assert "“Sở Kinh tế” có thể là" in html
    assert "Sở Tài chính" in html and "Sở Kế hoạch và Đầu tư" in html
    assert not NoticeIntakeProcess.objects.exists()


def test_an_agency_of_another_council_is_not_found(clerk, world):
    Agency.objects.create(council=world.other_council, code="so-yt-ct", name="Sở Y tế Cần Thơ")
    item = {**TRAINING, "lead_agencies": "so-yt-ct"}
    html = _page(clerk.post(REGISTER, _registration(world, items=(item,))))
    assert "Không tìm thấy cơ quan có mã: so-yt-ct." in html


# ---------------------------------------------------------------- one deadline field


@pytest.fixture
def sitting(world):
    return Sitting.objects.create(
        council=world.council,
        name="Kỳ họp thứ 14 (kỳ họp thường lệ cuối năm 2026)",
        opens_on=datetime.date(2026, 12, 8),
    )


@pytest.mark.parametrize(
    ("words", "date", "spec", "due"),
    [
        ("30/09/2026", datetime.date(2026, 9, 30), {}, "30/09/2026"),
        ("30 ngày làm việc", None, {"working_days": 30}, "22/07/2026"),
        ("trong quý III/2026", None, {"quarter": 3, "year": 2026}, "30/09/2026"),
        # The end of August 2026 falls in the National Day holiday: the next working day.
        ("trong tháng 8/2026", None, {"month": 8, "year": 2026}, "03/09/2026"),
        ("trong 6 tháng", None, {"months": 6}, "10/12/2026"),
        ("thường xuyên", None, {}, ""),
    ],
)
def test_one_deadline_field_takes_every_kind_and_keeps_the_words(
    clerk, world, words, date, spec, due
):
    item = {**TRAINING, "deadline": words}
    preview = _page(
        clerk.post(REGISTER, _registration(world, items=(item,)) | {"_item": "refresh"})
    )
    if due:
        assert f"Hạn: {due}" in preview
    else:
        assert "Thường xuyên, không có hạn" in preview
    assert clerk.post(REGISTER, _registration(world, items=(item,))).status_code == 302
    saved = ConclusionNotice.objects.get(number="16/TB-HĐND").recommendations.get()
    assert (saved.deadline, saved.deadline_spec) == (date, spec)
    assert saved.deadline_phrase == (words if spec else "")


def test_a_deadline_before_a_sitting_is_counted_with_the_councils_lead_time(clerk, world, sitting):
    item = {**TRAINING, "deadline": "trước kỳ họp cuối năm 2026"}
    preview = _page(
        clerk.post(REGISTER, _registration(world, items=(item,)) | {"_item": "refresh"})
    )
    assert "Hạn: 27/11/2026" in preview  # 10 days before 08/12, on a working day
    assert clerk.post(REGISTER, _registration(world, items=(item,))).status_code == 302
    saved = ConclusionNotice.objects.get(number="16/TB-HĐND").recommendations.get()
    assert saved.deadline_spec == {"sitting": sitting.pk, "lead_days": 10}


def test_the_deadline_calculator_answers_the_page_as_it_types(clerk, world, sitting):
    answer = clerk.get(PREVIEW, {"words": "30 ngày làm việc", "issued": "10/06/2026"}).json()
    assert answer["ok"] and answer["due"] == "22/07/2026"
    assert "30 ngày làm việc" in answer["summary"]
    before = clerk.get(PREVIEW, {"words": "trước kỳ họp thứ 14", "issued": "10/06/2026"}).json()
    assert before["due"] == "27/11/2026"
    bad = clerk.get(PREVIEW, {"words": "sớm nhất có thể", "issued": "10/06/2026"}).json()
    assert bad == {"ok": False, "problem": "Không hiểu thời hạn “sớm nhất có thể”."}
    assert clerk.get(PREVIEW, {"words": "x" * 5000}).status_code == 200


def test_the_deadline_calculator_is_for_council_people_only(client, world):
    login(client, world.outsider)
    assert client.get(PREVIEW, {"words": "30 ngày làm việc"}).status_code in (403, 404)


# ------------------------------------------------------------ the signed notice, read


def _upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("21-TB-HDND.docx", render(SIGNED, "docx"))


def test_the_signed_docx_is_read_into_a_draft_beside_its_text(clerk, world):
    html = _page(clerk.post(REGISTER, {"attachment": _upload(), "_read": "1"}))
    assert 'data-testid="document-text"' in html
    assert "Kết luận giám sát chuyên đề về đào tạo nghề cho lao động nông thôn" in html
    assert 'name="number" value="21/TB-HĐND"' in html
    assert 'name="issue_date" value="10/06/2026"' in html
    assert _anchors(html) == ["I.1", "I.2", "I.3"]
    assert _values(html, "lead_agencies")[:2] == [
        "Sở Lao động - Thương binh và Xã hội",
        "Sở Kế hoạch và Đầu tư",
    ]
    assert _values(html, "deadline")[:2] == [
        "hoàn thành trong quý III/2026",
        "trong 30 ngày làm việc",
    ]
    # The agency the council's registry does not know is marked, not guessed.
    assert "Không tìm thấy “Sở Y tế” trong danh mục cơ quan của HĐND." in html
    assert "dd-field-uncertain" in html
    assert not NoticeIntakeProcess.objects.exists()


def test_a_corrected_draft_is_registered_with_the_signed_file_attached(clerk, world):
    html = _page(clerk.post(REGISTER, {"attachment": _upload(), "_read": "1"}))
    token = re.search(r'name="draft" value="([0-9a-f]+)"', html)[1]
    items = [
        {"anchor": "I.1", "text": "Rà soát nhu cầu.", "lead_agencies": "so-ldtbxh"},
        {"anchor": "I.2", "text": "Bố trí vốn.", "lead_agencies": "Sở Kế hoạch và Đầu tư"},
        {"anchor": "I.3", "text": "Khám sức khỏe.", "lead_agencies": "Sở Tài chính"},
    ]
    data = _registration(world, number="21/TB-HĐND", items=items) | {"draft": token}
    assert clerk.post(REGISTER, data).status_code == 302
    notice = ConclusionNotice.objects.get(number="21/TB-HĐND")
    assert notice.attachment.name.endswith(".docx")
    assert notice.attachment.read().startswith(b"PK")
    assert not default_storage.exists(f"intake-drafts/{token}")  # the kept copy is gone


def test_a_draft_file_of_another_session_cannot_be_claimed(client, world):
    html = _page(
        login(client, world.vanphong).post(REGISTER, {"attachment": _upload(), "_read": "1"})
    )
    token = re.search(r'name="draft" value="([0-9a-f]+)"', html)[1]
    client.logout()
    clerk2 = User.objects.create_user("vanphong2", password="demo")
    Membership.objects.create(user=clerk2, role=Membership.Role.OFFICE_CLERK, council=world.council)
    other = login(client, clerk2)  # another clerk, another session
    data = _registration(world, number="22/TB-HĐND", items=(TRAINING,)) | {"draft": token}
    assert other.post(REGISTER, data).status_code == 302
    assert not ConclusionNotice.objects.get(number="22/TB-HĐND").attachment


def test_a_scan_or_another_file_is_refused_with_a_reason(clerk, world):
    scan = SimpleUploadedFile("tb.pdf", b"%PDF-1.4\n%%EOF\n")
    html = _page(clerk.post(REGISTER, {"attachment": scan, "_read": "1"}))
    assert 'role="alert"' in html
    assert not NoticeIntakeProcess.objects.exists()
