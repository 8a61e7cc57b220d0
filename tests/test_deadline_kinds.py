"""The deadline kinds a signed notice writes besides a date and a number of days: the end of a
month, N months, and a sitting less the days its documents must be sent ahead; each counted
the Civil Code way, explained, and kept with the notice's own words."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from conclusions.deadline_spec import describe_deadline_spec, parse_deadline_spec
from conclusions.models import Recommendation
from tests.helpers import api_client
from workflow.calendar import Deadline, Override, WorkingCalendar, explain
from workflow.models import Case

D = datetime.date
calendar = WorkingCalendar()


def test_the_end_of_a_month_moves_to_the_next_working_day_when_it_is_a_day_off():
    deadline = calendar.month_end(D(2026, 3, 2), 2026, 5)
    assert deadline.due == D(2026, 6, 1)  # 31 May 2026 is a Sunday
    assert deadline.moved_from == D(2026, 5, 31)
    assert "hết tháng 5/2026" in explain(deadline)
    assert "end of month 5/2026" in explain(deadline, "en")


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (D(2026, 6, 5), 6, D(2026, 12, 7)),  # 5 December 2026 is a Saturday
        (D(2026, 8, 31), 6, D(2027, 3, 1)),  # February has no 31st: its last day, a Sunday
        (D(2026, 1, 15), 1, D(2026, 2, 23)),  # 15 February falls in Tết 2026
    ],
)
def test_a_period_of_months_ends_on_the_same_day_of_the_last_month(start, months, due):
    deadline = calendar.add_months(start, months)
    assert deadline.due == due
    assert f"cộng {months} tháng" in explain(deadline)


def test_before_a_sitting_with_a_lead_time_is_the_last_working_day_that_many_days_before():
    deadline = calendar.before_sitting(D(2026, 6, 5), D(2026, 12, 8), "Kỳ họp thứ 12", 10)
    assert deadline.due == D(2026, 11, 27)  # 28 November is a Saturday: back to Friday
    assert "10 ngày trước kỳ họp “Kỳ họp thứ 12”" in explain(deadline)


@pytest.mark.parametrize(
    "make",
    [
        lambda c: c.month_end(D(2026, 11, 2), 2026, 12),
        lambda c: c.add_months(D(2026, 6, 30), 6),
        lambda c: c.before_sitting(D(2026, 11, 2), D(2026, 12, 10), "Kỳ họp thứ 13", 10),
    ],
)
def test_the_new_kinds_survive_json_and_a_calendar_change_shows(make):
    deadline = make(calendar)
    assert Deadline.from_json(deadline.to_json()) == deadline
    assert calendar.recompute(deadline) == deadline
    local = WorkingCalendar(
        {
            D(2026, 11, 30): Override(False, "Ngày nghỉ của tỉnh"),
            D(2026, 12, 30): Override(False, "Ngày nghỉ của tỉnh"),
            D(2026, 12, 31): Override(False, "Ngày nghỉ của tỉnh"),
        }
    )
    assert local.recompute(deadline).due != deadline.due


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ({"months": 6}, "6 tháng"),
        ({"month": 5, "year": 2026}, "hết tháng 5/2026"),
        ({"sitting": 3, "lead_days": 10}, "10 ngày trước kỳ họp"),
        ({"sitting": 3}, "trước kỳ họp"),
    ],
)
def test_each_kind_is_checked_and_described(spec, words):
    assert parse_deadline_spec(spec) == spec
    with translation.override("vi"):
        assert describe_deadline_spec(spec) == words


@pytest.mark.parametrize(
    "spec",
    [
        {"month": 13, "year": 2026},
        {"month": 5},
        {"months": 0},
        {"months": 6, "year": 2026},
        {"sitting": 3, "lead_days": 0},
        {"working_days": 3, "lead_days": 2},
        {"months": 2, "calendar_days": 3},
    ],
)
def test_impossible_specs_are_refused(spec):
    with pytest.raises(ValidationError):
        parse_deadline_spec(spec)


def _post(user, deadline, deadline_text=""):
    item = {"anchor": "II.1", "text": "Rà soát.", "lead_agencies": ["so-tc"], "deadline": deadline}
    if deadline_text:
        item["deadline_text"] = deadline_text
    body = {
        "number": "40/TB-HĐND",
        "issue_date": "2026-06-05",
        "title": "Kết luận giám sát",
        "source_kind": "thematic_supervision",
        "tracking_committee": "ban-vhxh",
        "recommendations": [item],
    }
    return api_client(user).post("/api/v1/notices/", body, format="json")


@pytest.mark.parametrize(
    ("deadline", "due"),
    [
        ({"month": 9, "year": 2026}, D(2026, 9, 30)),
        ({"months": 6}, D(2026, 12, 7)),
        ({"quarter": 3, "year": 2026}, D(2026, 9, 30)),
    ],
)
def test_the_api_issues_notices_with_every_kind_and_keeps_the_words(world, deadline, due):
    response = _post(world.thuongtruc, deadline, "trong quý III/2026")
    assert response.status_code == 201, response.json()
    case = Case.objects.get(notice_id=response.json()["id"])
    assert case.deadline == due
    assert Recommendation.objects.get(notice_id=case.notice_id).deadline_phrase == (
        "trong quý III/2026"
    )


def test_a_sitting_deadline_counts_the_lead_days_given_in_the_spec(world):
    sitting = world.council.sittings.create(
        name="Kỳ họp thường lệ cuối năm 2026", opens_on=D(2026, 12, 8)
    )
    response = _post(world.thuongtruc, {"sitting": sitting.pk, "lead_days": 10})
    assert response.status_code == 201, response.json()
    assert Case.objects.get(notice_id=response.json()["id"]).deadline == D(2026, 11, 27)


@pytest.mark.parametrize(
    "deadline",
    [{"quarter": 3}, {"month": 9, "year": 2026, "months": 2}, {"months": 2, "lead_days": 3}],
)
def test_the_api_refuses_a_deadline_that_mixes_kinds_in_both_languages(world, deadline):
    response = _post(world.thuongtruc, deadline)
    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == ["recommendations[0].deadline"]
    assert body["errors"] != body["errors_en"]
    assert not Recommendation.objects.filter(notice__number="40/TB-HĐND").exists()
