"""Local calendar changes: counted for new deadlines, shown (never applied) for issued ones."""

import datetime

from django.contrib.auth.models import User
from django.urls import reverse

from conclusions.models import SourceKind
from conclusions.services import RecommendationInput, notice_register
from workflow.calendar import Deadline, explain
from workflow.deadlines import deadline_drift
from workflow.models import CalendarOverride, Case
from workflow.services import notice_issue

D = datetime.date


def _day_off(council, day, reason="Ngày nghỉ của tỉnh"):
    return CalendarOverride.objects.create(
        council=council, day=day, is_working_day=False, reason=reason
    )


def _issue(w, spec, number="30/TB-HĐND"):
    notice = notice_register(
        council=w.council,
        number=number,
        issue_date=D(2026, 6, 5),
        title="Kết luận",
        source_kind=SourceKind.EXPLANATION_SESSION,
        tracking_committee=w.vhxh,
        recommendations=[
            RecommendationInput(
                anchor="1", text="Báo cáo", deadline_spec=spec, lead_agency_codes=["so-ldtbxh"]
            )
        ],
    )
    [case] = notice_issue(notice=notice)
    return case


def test_a_period_is_counted_on_the_council_calendar_at_issue(world):
    _day_off(world.council, D(2026, 6, 10))
    case = _issue(world, {"working_days": 5})
    assert case.deadline == D(2026, 6, 15)  # 8, 9, (10 off), 11, 12, 15
    explanation = explain(Deadline.from_json(case.deadline_explanation))
    assert "Ngày nghỉ của tỉnh 10/06/2026" in explanation


def test_another_councils_day_off_does_not_count(world):
    _day_off(world.other_council, D(2026, 6, 10))
    assert _issue(world, {"working_days": 5}).deadline == D(2026, 6, 12)


def test_a_new_day_off_does_not_move_issued_deadlines_but_shows_what_would_change(world):
    assert deadline_drift(day=D(2026, 9, 30), council_id=world.council.pk) == []
    override = _day_off(world.council, D(2026, 9, 30))
    assert Case.objects.get(pk=world.case.pk).deadline == D(2026, 9, 30)
    [(case, counted)] = deadline_drift(day=override.day, council_id=world.council.pk)
    assert (case, counted.due) == (world.case, D(2026, 10, 1))
    assert deadline_drift(day=D(2026, 11, 20), council_id=world.council.pk) == []


def test_the_admin_lists_the_cases_a_calendar_change_would_move(client, world):
    override = _day_off(world.council, D(2026, 9, 30))
    client.force_login(User.objects.create_superuser("root", password="x"))
    page = client.get(reverse("admin:workflow_calendaroverride_impact", args=[override.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "30/09/2026" in html and "01/10/2026" in html and "15/TB-HĐND" in html


def test_quarter_and_sitting_deadlines(world):
    assert _issue(world, {"quarter": 3, "year": 2026}).deadline == D(2026, 9, 30)
    sitting = world.council.sittings.create(name="Kỳ họp thứ 12", opens_on=D(2026, 12, 7))
    case = _issue(world, {"sitting": sitting.pk}, number="31/TB-HĐND")
    assert case.deadline == D(2026, 12, 4)
    assert "Kỳ họp thứ 12" in explain(Deadline.from_json(case.deadline_explanation))
