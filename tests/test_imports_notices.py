"""Older notices from Excel: one row per recommendation; agencies and deadlines read as the
notice parser reads them; each notice registered as a draft that enters the intake flow at
the tracking committee's check, then goes through approval to open cases."""

import datetime

import pytest
from django.urls import reverse

from conclusions.models import AgencyAlias, ConclusionNotice, Recommendation, Sitting
from intake.flows import IntakeFlow
from intake.imports import get_import
from intake.imports.template import template_header, template_workbook
from intake.models import NoticeIntakeProcess, PendingImport
from notifications.models import Delivery
from tests.helpers import login
from tests.imports_support import cp1258, csv_text, preview_url, upload
from tests.test_intake_flow import _check_data, _take, _url
from workflow.models import Case, NoticeEvent

KEY = "thong-bao"
NOTICES = get_import(KEY)
TITLE = "Kết luận giám sát về giáo dục nghề nghiệp"


def _row(anchor, lead, coordinating="", deadline="", number="20/TB-HĐND", **changes):
    row = {
        "number": number,
        "issued": "05/03/2026",
        "title": TITLE,
        "committee": "Ban Văn hóa - Xã hội",
        "anchor": anchor,
        "text": f"Kiến nghị {anchor} về đào tạo nghề.",
    }
    row.update(changes)
    return [*row.values(), lead, coordinating, deadline]


def _import(client, world, rows, *, source_kind="thematic_supervision", name="tb.xlsx"):
    login(client, world.vanphong)
    data = template_workbook(NOTICES, rows) if name.endswith(".xlsx") else rows
    response = upload(client, KEY, data, name, **{"options-source_kind": source_kind})
    return preview_url(response)


def test_old_notices_are_registered_as_drafts_waiting_for_the_committees_check(client, world):
    rows = [
        _row("1", "Sở LĐ-TB&XH", "SO-KHDT; Sở Tài chính", "30/9/2026"),
        _row("2", "So Tai chinh", "", "trong quý III/2026"),
        _row("3", "UBND tỉnh", "Sở Kế hoạch và Đầu tư", "thường xuyên"),
        _row("a", "so-khdt", "", "15 ngày làm việc", number="21/TB-HĐND", committee="ban-ktns"),
    ]
    url = _import(client, world, rows, source_kind="explanation_session")
    html = client.get(url).content.decode()
    assert "4 dòng dữ liệu" in html and "không có lỗi." in html
    assert "Thời hạn: 30/09/2026" in html
    assert "Thời hạn: hết quý III/2026" in html
    assert "Thời hạn: 15 ngày làm việc" in html
    assert not ConclusionNotice.objects.filter(number="20/TB-HĐND").exists()
    assert client.post(url).status_code == 302
    assert "Đã vào sổ 2 thông báo với 4 kiến nghị" in client.get(url).content.decode()

    notice = ConclusionNotice.objects.get(number="20/TB-HĐND")
    assert (notice.status, notice.source_kind, notice.issue_date) == (
        "draft",
        "explanation_session",
        datetime.date(2026, 3, 5),
    )
    assert notice.tracking_committee == world.vhxh and notice.registered_by == world.vanphong
    first, second, third = notice.recommendations.order_by("position")
    assert [a.code for a in first.lead_agencies.all()] == ["so-ldtbxh"]
    assert {a.code for a in first.coordinating_agencies.all()} == {"so-khdt", "so-tc"}
    assert first.deadline == datetime.date(2026, 9, 30)
    assert second.deadline_spec == {"quarter": 3, "year": 2026}
    assert second.deadline_phrase == "trong quý III/2026"
    assert (third.deadline, third.deadline_spec, third.deadline_phrase) == (
        None,
        {},
        "thường xuyên",
    )
    other = ConclusionNotice.objects.get(number="21/TB-HĐND")
    assert other.tracking_committee == world.ktns
    assert other.recommendations.get().deadline_spec == {"working_days": 15}
    process = NoticeIntakeProcess.objects.get(notice=notice)
    task = process.task_set.get(flow_task=IntakeFlow.check)
    assert task.status == "NEW"  # in Ban VHXH's queue
    queue = login(client, world.ban_vhxh).get(reverse("intake:queue")).content.decode()
    assert _url(process, IntakeFlow.check, "assign").removesuffix("assign/") in queue
    told = Delivery.objects.filter(notice_event__notice=notice, channel="inapp")
    assert list(told.values_list("recipient__username", flat=True)) == ["ban_vhxh"]
    assert NoticeEvent.objects.filter(kind="notice.registered").count() == 2


def test_an_imported_notice_goes_through_check_and_approval_to_open_cases(client, world):
    url = _import(
        client, world, [_row("1", "Sở Lao động - Thương binh và Xã hội", "", "trong 6 tháng")]
    )
    assert client.post(url).status_code == 302
    process = NoticeIntakeProcess.objects.get(notice__number="20/TB-HĐND")
    _take(client, world.ban_vhxh, process, IntakeFlow.check)
    checked = client.post(_url(process, IntakeFlow.check, "execute"), _check_data(process.notice))
    assert checked.status_code == 302
    _take(client, world.thuongtruc, process, IntakeFlow.approve)
    approved = client.post(_url(process, IntakeFlow.approve, "execute"), {"decision": "approve"})
    assert approved.status_code == 302
    case = Case.objects.get(notice=process.notice)
    assert case.agency == world.ldtbxh
    assert case.deadline == datetime.date(2026, 9, 7)  # 05/03 + 6 months = 05/09 (Sat) → Mon


def test_every_bad_row_is_shown_with_its_reason_and_nothing_is_registered(client, world):
    for agency in (world.tc, world.khdt):  # "Sở KH" now names two agencies
        AgencyAlias.objects.create(agency=agency, name="Sở KH")
    rows = [
        _row("1", "Sở Không Tồn Tại", "", "30/9/2026"),
        _row("2", "so-tc", "so-tc", "sớm nhất có thể"),
        _row("3", "so-tc", "", "30/02/2026"),
        _row("4", "so-tc", "", ""),
        _row("4", "so-tc", "", ""),
        _row("5", "so-tc", "", "", issued="06/03/2026"),
        _row("6", "Sở KH", "", ""),
        _row("1", "so-tc", "", "", number="15/TB-HĐND", issued="05/06/2026"),
        _row("1", "so-tc", "", "", number="22/TB-HĐND", issued="31/02/2026", committee="Ban Y tế"),
        _row("1", "so-tc", "", "quý I/2026", number="23/TB-HĐND", issued="05/06/2026"),
    ]
    url = _import(client, world, rows)
    html = client.get(url).content.decode()
    assert "9 dòng có lỗi" in html
    for message in [
        "Không có cơ quan “Sở Không Tồn Tại” trong danh mục của HĐND.",
        "Cơ quan so-tc vừa chủ trì vừa phối hợp.",
        "Không hiểu thời hạn “sớm nhất có thể”.",
        "Không hiểu thời hạn “30/02/2026”.",
        "Mục 4 đã có ở một dòng trên của thông báo này.",
        "Khác với dòng đầu của thông báo 20/TB-HĐND.",
        "khớp với nhiều cơ quan",
        "Số thông báo 15/TB-HĐND đã được dùng trong năm 2026.",
        "Ngày “31/02/2026” không hợp lệ",
        "Không có Ban “Ban Y tế” của HĐND.",
        "Thời hạn “quý I/2026” trước ngày ban hành 05/06/2026.",
    ]:
        assert message in html, message
    assert client.post(url).status_code == 400
    assert not ConclusionNotice.objects.exclude(pk=world.notice.pk).exists()
    assert not NoticeIntakeProcess.objects.exists()


def test_a_deadline_before_a_sitting_takes_the_councils_lead_time(client, world):
    world.council.sitting_lead_days = 7
    world.council.save(update_fields=["sitting_lead_days"])
    sitting = Sitting.objects.create(
        council=world.council,
        name="Kỳ họp thường lệ cuối năm 2026",
        opens_on=datetime.date(2026, 12, 8),
    )
    url = _import(client, world, [_row("1", "so-tc", "", "trước kỳ họp cuối năm 2026")])
    assert (
        "Thời hạn: 7 ngày trước kỳ họp Kỳ họp thường lệ cuối năm 2026"
        in client.get(url).content.decode()
    )
    assert client.post(url).status_code == 302
    item = Recommendation.objects.get(notice__number="20/TB-HĐND")
    assert item.deadline_spec == {"sitting": sitting.pk, "lead_days": 7}


def test_notices_arrive_as_a_csv_in_windows_1258(client, world):
    rows = [
        template_header(NOTICES),
        _row(
            "1",
            "Sở Lao động - Thương binh và Xã hội",
            "Sở Kế hoạch và Đầu tư",
            "trong tháng 5/2026",
        ),
    ]
    url = _import(client, world, cp1258(csv_text(rows, ";")), name="tb.csv")
    assert client.post(url).status_code == 302
    item = Recommendation.objects.get(notice__number="20/TB-HĐND")
    assert item.text == "Kiến nghị 1 về đào tạo nghề."
    assert item.deadline_spec == {"month": 5, "year": 2026}
    assert ConclusionNotice.objects.get(number="20/TB-HĐND").title == TITLE


@pytest.mark.parametrize("who", ["thuongtruc", "ban_vhxh", "so_tc", "outsider"])
def test_only_the_office_clerk_imports_notices(client, world, who):
    login(client, getattr(world, who))
    assert client.get(reverse("intake:imports:upload", args=[KEY])).status_code == 403
    response = upload(client, KEY, template_workbook(NOTICES, [_row("1", "so-tc")]), "tb.xlsx")
    assert response.status_code == 403
    assert not PendingImport.objects.exists()


def test_the_upload_page_offers_the_source_of_the_notices(client, world):
    html = login(client, world.vanphong).get(reverse("intake:imports:upload", args=[KEY]))
    assert 'name="options-source_kind"' in html.content.decode()
    response = upload(
        client,
        KEY,
        template_workbook(NOTICES, [_row("1", "so-tc")]),
        "tb.xlsx",
        **{"options-source_kind": "nonsense"},
    )
    assert response.status_code == 400
    assert not PendingImport.objects.exists()
