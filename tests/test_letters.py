"""The rungs that are letters draft them: the committee's urging letter to the agency, the
Standing Committee's letter to the People's Committee chair. One letter lists every overdue
item of one agency and one committee; the office numbers and sends it; the case timeline shows
it with its number; whoever sees the case downloads it; it reads back as written.

The named world's case (Sở LĐ-TB&XH, Ban Văn hóa - Xã hội) is due 30/09/2026, with two more of
the same agency and committee, one of the same agency for Ban Kinh tế - Ngân sách and one of Sở
KH&ĐT for Ban Văn hóa - Xã hội, all due the same day: the urging letters fall due 01/10."""

import datetime
import io
from zoneinfo import ZoneInfo

import docx
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conclusions.models import DocumentKind, DocumentSetting, SourceKind
from conclusions.services import RecommendationInput, notice_register
from tests.helpers import docx_texts
from workflow.errors import CaseConflict, CaseForbidden, CaseInvalid
from workflow.escalation import escalate_due
from workflow.letters import letter_content, letter_send
from workflow.models import Case, CaseEvent, LetterItem, UrgingLetter
from workflow.services import ReportInput, case_transition, notice_issue

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date
DEADLINE = D(2026, 9, 30)


def at(day: D, hour: int = 8) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


@pytest.fixture(autouse=True)
def october():
    with time_machine.travel(at(D(2026, 10, 2), 9), tick=False):
        yield


@pytest.fixture
def w(world):
    notice = notice_register(
        council=world.council,
        number="22/TB-HĐND",
        issue_date=D(2026, 6, 10),
        title="Kết luận giám sát về an sinh xã hội",
        source_kind=SourceKind.THEMATIC_SUPERVISION,
        tracking_committee=world.vhxh,
        recommendations=[
            _item("1", "Chi trả trợ cấp đúng hạn cho người có công.", "so-ldtbxh"),
            _item("2", "Rà soát hộ nghèo, hộ cận nghèo năm 2026.", "so-ldtbxh"),
            _item("3", "Bố trí vốn đào tạo nghề.", "so-ldtbxh", committee=world.ktns),
            _item("4", "Tổng hợp nhu cầu vốn vay giải quyết việc làm.", "so-khdt"),
        ],
        actor=world.vanphong,
    )
    world.others = {c.recommendation.anchor: c for c in notice_issue(notice=notice)}
    return world


def _item(anchor, text, lead, committee=None) -> RecommendationInput:
    return RecommendationInput(
        anchor=anchor,
        text=text,
        lead_agency_codes=[lead],
        accountable_code="ubnd-tinh",
        tracking_committee=committee,
        deadline=DEADLINE,
    )


def _letter(w, committee, agency, kind=UrgingLetter.Kind.COMMITTEE) -> UrgingLetter:
    return UrgingLetter.objects.get(committee=committee, agency=agency, kind=kind)


def _anchors(letter: UrgingLetter) -> list[str]:
    return sorted(letter.items.values_list("case__recommendation__anchor", flat=True))


def _download(client, user, letter) -> bytes:
    client.force_login(user)
    response = client.get(reverse("reports:letter_download", args=[letter.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


# ------------------------------------------------------------------------------- drafting


def test_the_urging_letter_rung_drafts_one_letter_per_agency_and_committee(w):
    escalate_due(at(D(2026, 10, 1)))
    assert UrgingLetter.objects.count() == 3
    assert _anchors(_letter(w, w.vhxh, w.ldtbxh)) == ["1", "2", "II.1.a"]
    assert _anchors(_letter(w, w.ktns, w.ldtbxh)) == ["3"]
    assert _anchors(_letter(w, w.vhxh, w.khdt)) == ["4"]
    letter = _letter(w, w.vhxh, w.ldtbxh)
    assert (letter.status, letter.number, letter.addressee) == ("draft", "", w.ubnd)
    drafted = CaseEvent.objects.filter(kind="case.letter_drafted")
    assert drafted.count() == 5
    assert drafted.get(case=w.case).data == {"letter_id": letter.pk, "kind": "committee"}


@pytest.mark.postgres  # SQLite's sweep moves its cases one query each
def test_drafting_takes_the_same_queries_for_one_letter_or_many(w, django_assert_num_queries):
    Case.objects.exclude(pk=w.case.pk).update(next_escalation_at=at(D(2026, 10, 5)))
    with CaptureQueriesContext(connection) as one:
        escalate_due(at(D(2026, 10, 1)))  # one case, one letter
    Case.objects.filter(next_escalation_at=at(D(2026, 10, 5))).update(
        next_escalation_at=at(D(2026, 10, 1))
    )
    with django_assert_num_queries(len(one)):
        escalate_due(at(D(2026, 10, 1)))  # four more cases, two more letters, one joined
    assert UrgingLetter.objects.count() == 3
    assert LetterItem.objects.count() == 5


def test_sweeping_again_drafts_nothing_more(w):
    escalate_due(at(D(2026, 10, 1)))
    escalate_due(at(D(2026, 10, 1)))
    escalate_due(at(D(2026, 10, 2)))
    assert LetterItem.objects.count() == 5
    assert CaseEvent.objects.filter(kind="case.letter_drafted").count() == 5


def test_a_case_reaching_the_rung_later_joins_the_open_draft(w):
    Case.objects.filter(pk=w.others["2"].pk).update(deadline=D(2026, 10, 1))
    case = Case.objects.get(pk=w.others["2"].pk)
    case.next_escalation_at = at(D(2026, 10, 2), 7)
    case.save(update_fields=["next_escalation_at"])
    escalate_due(at(D(2026, 10, 1)))
    assert _anchors(_letter(w, w.vhxh, w.ldtbxh)) == ["1", "II.1.a"]
    escalate_due(at(D(2026, 10, 2)))
    assert _anchors(_letter(w, w.vhxh, w.ldtbxh)) == ["1", "2", "II.1.a"]


def test_the_standing_committees_rung_drafts_its_letter_to_the_peoples_committee(w):
    escalate_due(at(D(2026, 10, 1)))
    escalate_due(at(D(2026, 10, 15)))
    letter = _letter(w, w.vhxh, w.ldtbxh, UrgingLetter.Kind.STANDING)
    assert (_anchors(letter), letter.addressee) == (["1", "2", "II.1.a"], w.ubnd)


# ------------------------------------------------------------------------ numbering, sending


def test_the_office_numbers_and_sends_it_and_the_timeline_shows_the_number(w, client):
    escalate_due(at(D(2026, 10, 1)))
    first = letter_send(letter=_letter(w, w.vhxh, w.ldtbxh), actor=w.vanphong)
    second = letter_send(
        letter=_letter(w, w.ktns, w.ldtbxh), actor=w.vanphong, sent_on=D(2026, 10, 1)
    )
    assert (first.number, first.sent_on, first.status) == ("1/HĐND-VHXH", D(2026, 10, 2), "sent")
    assert (second.number, second.sequence) == ("2/HĐND-KTNS", 2)
    event = CaseEvent.objects.get(case=w.case, kind="case.letter_sent")
    assert event.data == {
        "letter_id": first.pk,
        "kind": "committee",
        "number": "1/HĐND-VHXH",
        "sent_on": "2026-10-02",
    }
    client.force_login(w.so_ldtbxh)
    html = client.get(reverse("workflow:case_detail", args=[w.case.pk])).content.decode()
    assert "Công văn đôn đốc của Ban số 1/HĐND-VHXH ngày 02/10/2026" in html
    assert reverse("reports:letter_download", args=[first.pk]) in html


def test_the_office_may_give_the_number_of_its_own_register(w):
    escalate_due(at(D(2026, 10, 1)))
    letter = letter_send(
        letter=_letter(w, w.vhxh, w.ldtbxh), actor=w.vanphong, number="245/HĐND-VHXH"
    )
    assert (letter.number, letter.sequence) == ("245/HĐND-VHXH", None)
    with pytest.raises(CaseInvalid, match="đã dùng"):
        letter_send(letter=_letter(w, w.vhxh, w.khdt), actor=w.vanphong, number="245/HĐND-VHXH")


def test_only_the_office_sends_and_only_once(w):
    escalate_due(at(D(2026, 10, 1)))
    letter = _letter(w, w.vhxh, w.ldtbxh)
    for someone in (w.ban_vhxh, w.thuongtruc, w.so_ldtbxh):
        with pytest.raises(CaseForbidden):
            letter_send(letter=letter, actor=someone)
    letter_send(letter=letter, actor=w.vanphong)
    with pytest.raises(CaseConflict, match="đã được gửi"):
        letter_send(letter=letter, actor=w.vanphong)
    with pytest.raises(CaseInvalid, match="sau hôm nay"):
        letter_send(letter=_letter(w, w.ktns, w.ldtbxh), actor=w.vanphong, sent_on=D(2026, 10, 3))


def test_a_case_reported_since_the_draft_is_left_out_of_the_letter(w):
    escalate_due(at(D(2026, 10, 1)))
    case = Case.objects.get(pk=w.others["1"].pk)
    case_transition(case=case, actor=w.so_ldtbxh, action="start")
    case = Case.objects.get(pk=case.pk)
    case_transition(case=case, actor=w.so_ldtbxh, action="report", report=ReportInput(text="Xong."))
    letter = letter_send(letter=_letter(w, w.vhxh, w.ldtbxh), actor=w.vanphong)
    assert [item["anchor"] for item in letter.content["items"]] == ["II.1.a", "2"]
    assert _anchors(letter) == ["2", "II.1.a"]
    assert not CaseEvent.objects.filter(case=case, kind="case.letter_sent").exists()


def test_the_office_sends_from_its_page(w, client):
    escalate_due(at(D(2026, 10, 1)))
    letter = _letter(w, w.vhxh, w.ldtbxh)
    client.force_login(w.vanphong)
    page = client.get(reverse("workflow:letter_list")).content.decode()
    assert f'data-letter="{letter.pk}"' in page and 'data-action="letter-send"' in page
    response = client.post(
        reverse("workflow:letter_send", args=[letter.pk]), {"number": "", "sent_on": "02/10/2026"}
    )
    assert response.status_code == 302
    assert UrgingLetter.objects.get(pk=letter.pk).number == "1/HĐND-VHXH"
    client.force_login(w.ban_vhxh)
    page = client.get(reverse("workflow:letter_list")).content.decode()
    assert "1/HĐND-VHXH" in page and 'data-action="letter-send"' not in page


# --------------------------------------------------------------------------- reading it back


def test_the_letter_reads_back_with_its_agency_items_number_and_signature(w, client):
    DocumentSetting.objects.create(
        council=w.council,
        committee=w.vhxh,
        kind=DocumentKind.COMMITTEE_LETTER,
        capacity="TM. BAN VĂN HÓA - XÃ HỘI\nTRƯỞNG BAN",
        signer="Trần Thị Mai",
        recipients="Thường trực HĐND tỉnh\nBan Văn hóa - Xã hội\nLưu: VT",
    )
    escalate_due(at(D(2026, 10, 1)))
    letter = letter_send(letter=_letter(w, w.vhxh, w.ldtbxh), actor=w.vanphong)
    texts = docx_texts(_download(client, w.so_ldtbxh, letter))
    for expected in (
        "HĐND TỈNH HẬU GIANG",
        "BAN VĂN HÓA - XÃ HỘI",
        "Số: 1/HĐND-VHXH",
        "V/v đôn đốc thực hiện kiến nghị sau giám sát",
        "Hậu Giang, ngày 02 tháng 10 năm 2026",
        "Kính gửi:",
        "- Sở Lao động - Thương binh và Xã hội;",
        "- Ủy ban nhân dân tỉnh.",
        "Rà soát nhu cầu đào tạo nghề cho lao động nông thôn.",
        "Chi trả trợ cấp đúng hạn cho người có công.",
        "Rà soát hộ nghèo, hộ cận nghèo năm 2026.",
        "15/TB-HĐND ngày 05/06/2026",
        "Nơi nhận:",
        "- Như trên;",
        "- Thường trực HĐND tỉnh;",
        "- Lưu: VT.",
        "TM. BAN VĂN HÓA - XÃ HỘI",
        "TRƯỞNG BAN",
        "Trần Thị Mai",
    ):
        assert expected in texts, expected
    assert "- Ban Văn hóa - Xã hội;" not in texts  # never the letter's own author
    assert "Bố trí vốn đào tạo nghề." not in texts  # another committee's letter
    assert any("trước ngày 17/10/2026" in t for t in texts)  # 15 days to answer
    overdue = [
        row
        for row in docx.Document(io.BytesIO(_download(client, w.thuongtruc, letter))).tables[1].rows
    ]
    assert [cell.text for cell in overdue[1].cells][-2:] == ["30/09/2026", "2"]


def test_the_standing_committees_letter_is_addressed_to_the_chair_and_signed_as_set(w, client):
    DocumentSetting.objects.create(
        council=w.council,
        kind=DocumentKind.STANDING_LETTER,
        capacity="TM. THƯỜNG TRỰC HĐND\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        signer="Lê Văn Bình",
    )
    escalate_due(at(D(2026, 10, 15)))
    letter = _letter(w, w.vhxh, w.ldtbxh, UrgingLetter.Kind.STANDING)
    texts = docx_texts(_download(client, w.thuongtruc, letter))
    assert "DỰ THẢO" in texts and "Số: …/HĐND-VP" in texts
    assert "- Chủ tịch Ủy ban nhân dân tỉnh;" in texts
    assert [t for t in texts if t in ("TM. THƯỜNG TRỰC HĐND", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")] == [
        "TM. THƯỜNG TRỰC HĐND",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
    ]
    assert "Lê Văn Bình" in texts


def test_a_sent_letter_keeps_what_it_said(w):
    escalate_due(at(D(2026, 10, 1)))
    letter = letter_send(letter=_letter(w, w.vhxh, w.ldtbxh), actor=w.vanphong)
    DocumentSetting.objects.create(
        council=w.council, committee=w.vhxh, kind=DocumentKind.COMMITTEE_LETTER, signer="Người khác"
    )
    assert letter_content(UrgingLetter.objects.get(pk=letter.pk))["style"]["signer"] == ""


def test_whoever_sees_a_case_of_the_letter_downloads_it_and_nobody_else(w, client):
    escalate_due(at(D(2026, 10, 1)))
    letter = _letter(w, w.vhxh, w.ldtbxh)
    url = reverse("reports:letter_download", args=[letter.pk])
    statuses = {}
    for name in ("so_ldtbxh", "ban_vhxh", "thuongtruc", "vanphong", "so_khdt", "so_tc", "ban_ktns"):
        client.force_login(getattr(w, name))
        statuses[name] = client.get(url).status_code
    assert statuses == {
        "so_ldtbxh": 200,
        "ban_vhxh": 200,
        "thuongtruc": 200,
        "vanphong": 200,  # the office numbers it
        "so_khdt": 200,  # coordinates the world's case, which the letter lists
        "so_tc": 404,
        "ban_ktns": 404,
    }
