"""The back office shows cases, events, reports and notices but cannot change them: those
change only through services that log what happened. The escalation ladder is edited there,
with audiences chosen by name, and a rung that would tell nobody is refused."""

import datetime

import pytest
from django.urls import reverse

from conclusions.models import ConclusionNotice, Recommendation
from tests.helpers import start_and_report
from workflow.models import Case, CaseEvent, EscalationStep, ProgressReport
from workflow.services import ReportInput


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _case_row(case) -> tuple:
    row = Case.objects.filter(pk=case.pk)
    return row.values_list("state", "deadline", "agency", "committee", "escalation_level").get()


def _reported(w) -> ProgressReport:
    report = ReportInput(text="Đã mở 12 lớp đào tạo nghề.", letter_number="245/SLĐTBXH-VP")
    start_and_report(w, report)
    return ProgressReport.objects.get(case=w.case)


def test_the_case_page_shows_the_case_with_nothing_to_edit(world, admin_client):
    page = admin_client.get(_url(Case, "change", world.case.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "30/09/2026" in html or "30 tháng 9 năm 2026" in html
    for field in ("deadline", "agency", "committee", "state"):
        assert f'name="{field}"' not in html
    assert 'name="_save"' not in html


def test_posting_a_new_deadline_agency_or_state_to_a_case_is_refused(world, admin_client):
    before = _case_row(world.case)
    response = admin_client.post(
        _url(Case, "change", world.case.pk),
        {"deadline": "31/12/2030", "agency": world.tc.pk, "committee": world.ktns.pk},
    )
    assert response.status_code == 403
    assert _case_row(world.case) == before
    assert admin_client.get(_url(Case, "add")).status_code == 403


def test_cases_events_and_reports_cannot_be_deleted_from_the_admin(world, admin_client):
    report = _reported(world)
    event = CaseEvent.objects.filter(case=world.case).first()
    for model, pk in ((Case, world.case.pk), (CaseEvent, event.pk), (ProgressReport, report.pk)):
        assert admin_client.post(_url(model, "delete", pk), {"post": "yes"}).status_code == 403
    admin_client.post(
        _url(Case, "changelist"), {"action": "delete_selected", "_selected_action": [world.case.pk]}
    )
    assert Case.objects.filter(pk=world.case.pk).exists()
    assert CaseEvent.objects.filter(pk=event.pk).exists()
    assert ProgressReport.objects.filter(pk=report.pk).exists()


def test_a_submitted_report_cannot_be_edited(world, admin_client):
    report = _reported(world)
    page = admin_client.get(_url(ProgressReport, "change", report.pk))
    assert page.status_code == 200 and "Đã mở 12 lớp đào tạo nghề." in page.content.decode()
    response = admin_client.post(
        _url(ProgressReport, "change", report.pk), {"text": "Đã hoàn thành tất cả."}
    )
    assert response.status_code == 403
    assert ProgressReport.objects.get(pk=report.pk).text == "Đã mở 12 lớp đào tạo nghề."


def test_an_issued_notice_and_its_recommendations_are_shown_not_edited(world, admin_client):
    notice, recommendation = world.notice, world.notice.recommendations.get()
    page = admin_client.get(_url(ConclusionNotice, "change", notice.pk))
    assert page.status_code == 200
    assert "Rà soát nhu cầu đào tạo nghề" in page.content.decode()
    assert 'name="recommendations-0-deadline"' not in page.content.decode()
    response = admin_client.post(
        _url(ConclusionNotice, "change", notice.pk),
        {"recommendations-0-deadline": "31/12/2030", "recommendations-0-id": recommendation.pk},
    )
    assert response.status_code == 403
    assert Recommendation.objects.get(pk=recommendation.pk).deadline == datetime.date(2026, 9, 30)
    assert admin_client.get(_url(ConclusionNotice, "add")).status_code == 403


def _rung(world, **change) -> dict:
    return {
        "council": world.council.pk,
        "level": 1,
        "name": "Nhắc hạn trước 10 ngày làm việc",
        "offset": -10,
        "unit": EscalationStep.Unit.WORKING_DAYS,
        "action": EscalationStep.Action.REMINDER,
        "audience": ["agency_officers", "standing"],
        **change,
    }


def test_a_rung_s_audience_is_chosen_by_its_vietnamese_name(world, admin_client):
    page = admin_client.get(_url(EscalationStep, "add")).content.decode()
    assert 'type="checkbox" name="audience" value="standing"' in page
    assert "Thường trực HĐND" in page and "Lãnh đạo cơ quan chủ trì" in page
    response = admin_client.post(_url(EscalationStep, "add"), _rung(world))
    assert response.status_code == 302
    assert EscalationStep.objects.get().audience == ["agency_officers", "standing"]
    listing = admin_client.get(_url(EscalationStep, "changelist")).content.decode()
    assert "Cán bộ cơ quan chủ trì, Thường trực HĐND" in listing


@pytest.mark.parametrize(
    ("audience", "says"),
    [
        (["standing", "chairman"], "“chairman” không phải nhóm người được báo"),
        ([], "Chọn ít nhất một nhóm người được báo"),
    ],
)
def test_a_rung_that_would_tell_nobody_is_refused(world, admin_client, audience, says):
    response = admin_client.post(_url(EscalationStep, "add"), _rung(world, audience=audience))
    assert response.status_code == 200
    assert says in response.content.decode()
    assert not EscalationStep.objects.exists()


def test_a_stored_unknown_audience_is_shown_and_must_be_removed(world, admin_client):
    step = EscalationStep.objects.create(**_rung(world, council=world.council, audience=["ceo"]))
    page = admin_client.get(_url(EscalationStep, "change", step.pk)).content.decode()
    assert "ceo (không hợp lệ)" in page
    kept = _rung(world, audience=["ceo"])
    response = admin_client.post(_url(EscalationStep, "change", step.pk), kept)
    assert "“ceo” không phải nhóm người được báo" in response.content.decode()
    assert EscalationStep.objects.get(pk=step.pk).audience == ["ceo"]
    fixed = _rung(world, audience=["agency_head"])
    assert admin_client.post(_url(EscalationStep, "change", step.pk), fixed).status_code == 302
    assert EscalationStep.objects.get(pk=step.pk).audience == ["agency_head"]
