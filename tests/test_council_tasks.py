"""The council's own tasks (issue #13): a recommendation addressed to a council body (a
committee, the office, a deputies' group). Its members act on it as an agency's officers do,
the Standing Committee reviews it, the ladder writes no letter about it, and the dashboard
shows it apart from the executive agencies."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from conclusions.models import Agency, Membership, SourceKind
from conclusions.services import RecommendationInput, notice_register
from reports.queries import dashboard_figures
from tests.helpers import committed
from tests.world import NOW, TODAY
from workflow.errors import CaseForbidden
from workflow.escalation import escalate_due
from workflow.models import Case, CaseState, UrgingLetter
from workflow.selectors import cases_awaiting, cases_visible_to
from workflow.services import ReportInput, case_transition, notice_issue


@pytest.fixture
def task(world):
    """ "Giao Ban Văn hóa - Xã hội tham mưu thực hiện chương trình … Thời gian: trong tháng
    5/2024" (seed 000), here in October 2026; Ban VHXH's member holds the body's seat."""
    w = world
    w.body = Agency.objects.create(
        council=w.council,
        code="hdnd-ban-vhxh",
        name="Ban Văn hóa - Xã hội HĐND tỉnh",
        kind=Agency.Kind.COUNCIL_BODY,
        committee=w.vhxh,
    )
    Membership.objects.create(
        user=w.ban_vhxh, role=Membership.Role.AGENCY_OFFICER, council=w.council, agency=w.body
    )
    notice = notice_register(
        council=w.council,
        number="02/KH-TT",
        issue_date=datetime.date(2026, 9, 1),
        title="Kế hoạch triển khai thực hiện nhiệm vụ đột phá “Đưa Nghị quyết vào cuộc sống”",
        source_kind=SourceKind.LISTEN_AND_DISCUSS,
        tracking_committee=w.vhxh,
        recommendations=[
            RecommendationInput(
                anchor="III.3",
                text="Tham mưu thực hiện chương trình “Lắng nghe và Trao đổi” về đào tạo nghề.",
                lead_agency_codes=["hdnd-ban-vhxh"],
                deadline_spec={"month": 10, "year": 2026},
            ),
            RecommendationInput(
                anchor="III.4",
                text="Chuẩn bị số liệu đào tạo nghề cho chương trình.",
                lead_agency_codes=["so-ldtbxh"],
                deadline_spec={"month": 10, "year": 2026},
            ),
        ],
        actor=w.vanphong,
    )
    with committed():
        case, w.agency_task = notice_issue(notice=notice, actor=w.thuongtruc)
    return case


def _fresh(case) -> Case:
    return Case.objects.get(pk=case.pk)


def test_its_members_act_on_it_and_the_standing_committee_reviews_it(world, task):
    w = world
    # "trong tháng 10/2026": Saturday 31/10, so the next working day.
    assert task.deadline == datetime.date(2026, 11, 2)
    assert task in cases_awaiting(w.ban_vhxh)
    with committed():
        case_transition(case=_fresh(task), actor=w.ban_vhxh, action="start")
        case_transition(
            case=_fresh(task),
            actor=w.ban_vhxh,
            action="report",
            report=ReportInput(text="Đã phát sóng chương trình ngày 28/10/2026."),
        )
    assert task not in cases_awaiting(w.ban_vhxh)  # the committee does not judge itself
    assert task in cases_awaiting(w.thuongtruc)
    with pytest.raises(CaseForbidden):
        case_transition(case=_fresh(task), actor=w.ban_vhxh, action="close", outcome="implemented")
    with committed():
        case_transition(
            case=_fresh(task), actor=w.thuongtruc, action="close", outcome="implemented"
        )
    assert _fresh(task).state == CaseState.CLOSED
    # The executive agencies' cases are still the committee's to review.
    assert w.case in cases_visible_to(w.ban_vhxh)


def test_departments_neither_see_nor_act_on_it(world, task):
    assert task not in cases_visible_to(world.so_ldtbxh)
    assert world.agency_task in cases_visible_to(world.so_ldtbxh)
    with pytest.raises(Exception) as refused:
        case_transition(case=_fresh(task), actor=world.so_ldtbxh, action="start")
    assert refused.value.status == 404


def test_the_ladder_urges_it_without_letters(world, task):
    escalate_due(datetime.datetime(2026, 11, 3, 8, tzinfo=NOW.tzinfo))  # the urging-letter rung
    climbed = _fresh(task)
    assert climbed.escalation_level == _fresh(world.agency_task).escalation_level > 0
    assert not UrgingLetter.objects.filter(items__case=climbed).exists()
    assert UrgingLetter.objects.filter(items__case=world.agency_task).exists()  # an agency's


def test_the_dashboard_shows_it_apart_from_the_executive_agencies(world, task):
    figures = dashboard_figures(cases_visible_to(world.thuongtruc), TODAY)
    assert [row.name for row in figures.by_council_body] == ["Ban Văn hóa - Xã hội HĐND tỉnh"]
    assert "Ban Văn hóa - Xã hội HĐND tỉnh" not in [row.name for row in figures.by_agency]
    client = Client()
    client.force_login(world.thuongtruc)
    page = client.get(reverse("reports:index")).content.decode()
    assert 'data-testid="by-council-body"' in page
