"""Deadlines, escalation and extensions on the case page: what each role sees, and the
requests and decisions made through it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.helpers import action_url, case_of, detail_url, due_in, login
from tests.world import TODAY
from workflow.calendar import Deadline, explain
from workflow.deadlines import calendar_for
from workflow.escalation import escalate_due, ladder_for
from workflow.extensions import extension_request
from workflow.models import Case, Extension

DAY = datetime.timedelta(days=1)
REASON = "Chờ bố trí kinh phí năm 2027."


def _dmy(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


def _request_form(until: datetime.date, reason=REASON) -> dict:
    return {"requested_until": _dmy(until), "reason": reason, "letter_number": "310/SLĐTBXH"}


def _requested(world, days_after_deadline=60) -> Extension:
    case = case_of(world)
    return extension_request(
        case=case,
        actor=world.so_ldtbxh,
        requested_until=case.deadline + days_after_deadline * DAY,
        reason=REASON,
        letter_number="310/SLĐTBXH",
    )


def _decision_form(extension, decision="approve", **fields) -> dict:
    return {"extension": extension.pk, "decision": decision, **fields}


def test_the_case_page_explains_how_the_deadline_was_computed(client, world):
    case = case_of(world)
    expected = explain(Deadline.from_json(case.deadline_explanation), "vi")
    html = login(client, world.so_khdt).get(detail_url(case)).content.decode()
    assert expected in html
    assert "Từ ngày 05/06/2026" in html and "30/09/2026" in html
    assert "Thời hạn ban đầu" not in html  # never moved
    assert "Chưa gia hạn" in html and "Chưa có đề nghị gia hạn." in html


def test_the_explanation_follows_the_users_language(client, world):
    login(client, world.so_khdt)
    client.post(reverse("set_language"), {"language": "en", "next": detail_url(world.case)})
    html = client.get(detail_url(world.case)).content.decode()
    assert "From 05/06/2026, date set in the notice → due 30/09/2026" in html


def test_the_page_shows_the_rung_reached_and_when_the_next_one_falls_due(client, world):
    case = due_in(world, 20)
    Case.objects.filter(pk=case.pk).update(
        next_escalation_at=datetime.datetime(2026, 12, 3, 0, 0, tzinfo=datetime.UTC)
    )
    html = login(client, world.so_ldtbxh).get(detail_url(case)).content.decode()
    assert "Chưa đôn đốc" in html
    assert "03/12/2026 07:00" in html  # local time, Asia/Ho_Chi_Minh
    assert str(ladder_for(case.council_id)[0].name) in html  # the rung due then
    assert "Tạm dừng" not in html


def test_the_lead_agency_requests_an_extension_through_the_page(client, world):
    case = due_in(world, 20)
    login(client, world.so_ldtbxh)
    html = client.get(detail_url(case)).content.decode()
    assert 'data-extension-panel="extension-request"' in html
    assert 'name="requested_until"' in html and 'format="%d/%m/%Y"' in html
    until = case.deadline + 60 * DAY

    response = client.post(action_url(case, "extension-request"), _request_form(until))

    assert response.status_code == 302
    extension = Extension.objects.get()
    assert (extension.status, extension.requested_until) == ("pending", until)
    assert (extension.requested_by, extension.letter_number) == (world.so_ldtbxh, "310/SLĐTBXH")
    assert case_of(world).extension_pending
    html = client.get(detail_url(case)).content.decode()
    assert "Tạm dừng đôn đốc quá hạn trong khi chờ quyết định gia hạn" in html
    assert f"đề nghị gia hạn đến {_dmy(until)} đang chờ quyết định" in html
    assert 'data-status="pending"' in html and REASON in html and "Chờ quyết định" in html
    assert 'data-extension-panel="extension-request"' not in html  # one pending request at a time
    assert 'data-extension-panel="extension-decide"' not in html  # the agency does not decide
    assert f'Đề nghị gia hạn</strong>: <span class="dd-event-detail">đến {_dmy(until)}' in html


def test_a_coordinating_agency_sees_no_request_panel_and_may_not_request(client, world):
    case = due_in(world, 20)
    login(client, world.so_khdt)
    html = client.get(detail_url(case)).content.decode()
    assert 'data-extension-panel="extension-request"' not in html

    response = client.post(action_url(case, "extension-request"), _request_form(TODAY + 60 * DAY))

    assert response.status_code == 403
    assert "Chỉ cơ quan chủ trì được đề nghị gia hạn." in response.content.decode()
    assert not Extension.objects.exists()
    assert not case_of(world).extension_pending


def test_the_standing_committee_approves_another_date_through_the_page(client, world):
    due_in(world, 20)
    extension = _requested(world)
    login(client, world.thuongtruc)
    html = client.get(detail_url(world.case)).content.decode()
    assert 'data-extension-panel="extension-decide"' in html
    assert 'data-decision="approve"' in html and 'data-decision="reject"' in html
    assert REASON in html.split('data-extension-panel="extension-decide"')[1]
    assert 'data-extension-panel="extension-request"' not in html
    other_date = TODAY + 45 * DAY

    response = client.post(
        action_url(world.case, "extension-decide"),
        _decision_form(extension, approved_until=_dmy(other_date), note="Đồng ý một phần."),
    )

    assert response.status_code == 302
    case = case_of(world)
    assert case.deadline == calendar_for(case.council_id).on_date(TODAY, other_date).due
    assert (case.original_deadline, case.extension_pending) == (datetime.date(2026, 9, 30), False)
    extension.refresh_from_db()
    assert (extension.status, extension.approved_until) == ("approved", case.deadline)
    assert extension.decided_by == world.thuongtruc
    html = client.get(detail_url(case)).content.decode()
    assert f"<strong>{_dmy(case.deadline)}</strong>" in html
    assert "Thời hạn ban đầu" in html and "30/09/2026" in html
    assert "Đã gia hạn 1 lần" in html and "Đồng ý một phần." in html
    assert explain(Deadline.from_json(case.deadline_explanation), "vi") in html
    assert f"Thời hạn theo quyết định gia hạn ngày {_dmy(TODAY)}" in html
    assert (
        f"Đã chấp thuận gia hạn đến ngày {_dmy(case.deadline)}; "
        "Sở Lao động - Thương binh và Xã hội báo cáo kết quả trước ngày đó." in html
    )
    assert 'data-extension-panel="extension-decide"' not in html


def test_the_owning_committee_cannot_decide_unless_the_council_delegates(client, world):
    due_in(world, 20)
    extension = _requested(world)
    login(client, world.ban_vhxh)
    html = client.get(detail_url(world.case)).content.decode()
    assert 'data-extension-panel="extension-decide"' not in html
    refused = client.post(action_url(world.case, "extension-decide"), _decision_form(extension))
    assert refused.status_code == 403
    assert Extension.objects.get().status == "pending"

    world.council.committee_decides_extensions = True
    world.council.save()
    html = client.get(detail_url(world.case)).content.decode()
    assert 'data-extension-panel="extension-decide"' in html
    response = client.post(
        action_url(world.case, "extension-decide"), _decision_form(extension, "reject")
    )
    assert response.status_code == 302
    assert Extension.objects.get().status == "rejected"
    case = case_of(world)
    assert (case.extension_pending, case.deadline) == (False, TODAY + 20 * DAY)
    html = client.get(detail_url(case)).content.decode()
    assert "Không chấp thuận" in html and "Tạm dừng" not in html


def test_a_date_not_after_the_deadline_is_refused_and_nothing_is_written(client, world):
    login(client, world.so_ldtbxh)
    response = client.post(
        action_url(world.case, "extension-request"),
        _request_form(datetime.date(2026, 9, 30), reason="Lý do cần giữ lại."),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ngày đề nghị gia hạn phải sau thời hạn hiện tại (30/09/2026)." in html
    assert 'dd-panel-refused" data-extension-panel="extension-request"' in html
    assert "Lý do cần giữ lại." in html  # what was typed stays in the panel
    assert not Extension.objects.exists()
    assert not case_of(world).extension_pending


def test_an_unreadable_or_missing_date_is_refused_in_vietnamese(client, world):
    login(client, world.so_ldtbxh)
    bad = client.post(
        action_url(world.case, "extension-request"),
        {"requested_until": "31/02/2027", "reason": REASON},
    )
    assert bad.status_code == 400
    assert "Ngày không hợp lệ" in bad.content.decode()
    missing = client.post(action_url(world.case, "extension-request"), {"reason": REASON})
    assert missing.status_code == 400
    assert "Vui lòng nhập ngày đề nghị gia hạn đến." in missing.content.decode()
    assert not Extension.objects.exists()


def test_an_approval_before_the_current_deadline_is_refused(client, world):
    due_in(world, 20)
    extension = _requested(world)
    response = login(client, world.thuongtruc).post(
        action_url(world.case, "extension-decide"),
        _decision_form(extension, approved_until=_dmy(TODAY), note="Giữ ý kiến này."),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f"Ngày gia hạn phải sau thời hạn hiện tại ({_dmy(TODAY + 20 * DAY)})." in html
    assert 'dd-panel-refused" data-extension-panel="extension-decide"' in html
    assert "Giữ ý kiến này." in html
    assert Extension.objects.get().status == "pending"
    assert case_of(world).deadline == TODAY + 20 * DAY


def test_a_decision_on_a_request_already_decided_is_a_conflict(client, world):
    due_in(world, 20)
    extension = _requested(world)
    login(client, world.thuongtruc)
    client.post(action_url(world.case, "extension-decide"), _decision_form(extension, "reject"))
    again = client.post(action_url(world.case, "extension-decide"), _decision_form(extension))
    assert again.status_code == 409
    assert Extension.objects.get().status == "rejected"


def test_a_late_request_waits_for_a_decision_without_pausing_the_ladder(client, world):
    _requested(world)  # the world's deadline, 30/09/2026, has passed
    html = login(client, world.thuongtruc).get(detail_url(world.case)).content.decode()
    assert 'data-extension-panel="extension-decide"' in html
    assert "Tạm dừng" not in html


@pytest.mark.parametrize("action", ["extension-request", "extension-decide"])
def test_another_agency_gets_not_found(client, world, action):
    due_in(world, 20)
    extension = _requested(world)
    login(client, world.so_tc)
    assert client.get(detail_url(world.case)).status_code == 404
    data = _request_form(TODAY + 90 * DAY) | _decision_form(extension)
    assert client.post(action_url(world.case, action), data).status_code == 404
    assert Extension.objects.get().status == "pending"


def test_an_escalation_shows_the_number_and_name_of_the_rung_reached(client, world):
    escalate_due(timezone.now())  # the deadline passed weeks ago
    case = case_of(world)
    assert case.escalation_level > 0
    name = {step.level: step.name for step in ladder_for(case.council_id)}[case.escalation_level]
    rung = f"Mức {case.escalation_level} · {name}"
    html = login(client, world.ban_vhxh).get(detail_url(case)).content.decode()
    assert f'Đôn đốc tự động</strong>: <span class="dd-event-detail">{rung}' in html
    assert f'<dd data-testid="escalation-level">{rung}</dd>' in html
