"""Deadlines counted the Vietnamese way, each with an explanation a person can check."""

import datetime

import pytest

from workflow.calendar import Deadline, Override, WorkingCalendar, explain

D = datetime.date
calendar = WorkingCalendar()


def test_ten_working_days_skip_tet_as_the_domain_example_says():
    deadline = calendar.add_working_days(D(2025, 1, 24), 10)
    assert deadline.due == D(2025, 2, 14)
    assert explain(deadline) == (
        "Từ ngày 24/01/2025, cộng 10 ngày làm việc, bỏ qua Tết Nguyên Đán 27/01–01/02/2025; "
        "5 ngày nghỉ cuối tuần → hạn 14/02/2025"
    )
    assert explain(deadline, "en").endswith("→ due 14/02/2025")
    assert "Lunar New Year 27/01–01/02/2025" in explain(deadline, "en")


def test_the_first_day_is_not_counted():
    assert calendar.add_working_days(D(2026, 11, 2), 1).due == D(2026, 11, 3)  # Mon -> Tue
    assert calendar.add_working_days(D(2026, 11, 6), 1).due == D(2026, 11, 9)  # Fri -> Mon
    assert calendar.add_working_days(D(2026, 11, 6), 0).due == D(2026, 11, 6)


def test_a_swapped_saturday_is_a_working_day_and_its_compensatory_day_is_not():
    assert calendar.is_working_day(D(2025, 4, 26))  # Saturday worked (làm bù)
    assert not calendar.is_working_day(D(2025, 5, 2))  # compensatory day off (nghỉ bù)
    assert calendar.add_working_days(D(2025, 4, 25), 1).due == D(2025, 4, 26)


def test_national_holidays_are_days_off():
    for day in [D(2026, 1, 1), D(2026, 2, 17), D(2026, 4, 30), D(2026, 5, 1), D(2026, 9, 2)]:
        assert not calendar.is_working_day(day), day
    assert calendar.day_off(D(2026, 9, 2)).reason["vi"] == "Quốc khánh"


def test_calendar_days_ending_on_a_day_off_move_to_the_next_working_day():
    deadline = calendar.add_calendar_days(D(2026, 1, 1), 45)  # 15/02/2026 is a Sunday before Tết
    assert deadline.due == D(2026, 2, 23)
    assert deadline.moved_from == D(2026, 2, 15)
    assert "chuyển sang ngày làm việc kế tiếp" in explain(deadline)


def test_calendar_days_ending_on_a_working_day_stay():
    deadline = calendar.add_calendar_days(D(2026, 6, 5), 32)
    assert (deadline.due, deadline.skipped, deadline.moved_from) == (D(2026, 7, 7), (), None)


def test_a_fixed_date_on_a_holiday_moves_too():
    assert calendar.on_date(D(2026, 6, 5), D(2026, 9, 2)).due == D(2026, 9, 3)
    assert calendar.on_date(D(2026, 6, 5), D(2026, 9, 30)).due == D(2026, 9, 30)


@pytest.mark.parametrize(
    ("quarter", "due"),
    [(1, D(2026, 3, 31)), (2, D(2026, 6, 30)), (3, D(2026, 9, 30)), (4, D(2026, 12, 31))],
)
def test_end_of_quarter(quarter, due):
    deadline = calendar.quarter_end(D(2026, 1, 2), 2026, quarter)
    assert deadline.due == due
    assert f"hết quý {'I' * quarter if quarter < 4 else 'IV'}" in explain(deadline)


def test_before_a_sitting_is_the_last_working_day_before_it_opens():
    deadline = calendar.before_sitting(D(2026, 6, 5), D(2026, 12, 7), "Kỳ họp thứ 12")
    assert deadline.due == D(2026, 12, 4)  # the sitting opens on a Monday
    assert "Kỳ họp thứ 12" in explain(deadline)


def test_local_overrides_add_days_off_and_working_days():
    local = WorkingCalendar(
        {
            D(2026, 11, 10): Override(is_working_day=False, reason="Ngày truyền thống của tỉnh"),
            D(2026, 11, 14): Override(is_working_day=True, reason="Làm bù"),
        }
    )
    deadline = local.add_working_days(D(2026, 11, 9), 4)
    assert deadline.due == D(2026, 11, 14)
    assert "Ngày truyền thống của tỉnh 10/11/2026" in explain(deadline)


def test_a_deadline_survives_a_round_trip_through_json():
    deadline = calendar.add_working_days(D(2025, 1, 24), 10)
    assert Deadline.from_json(deadline.to_json()) == deadline


@pytest.mark.parametrize("days", [-1, 100_000])
def test_impossible_periods_are_refused(days):
    with pytest.raises(ValueError):
        calendar.add_working_days(D(2026, 1, 1), days)


@pytest.mark.parametrize(
    "make",
    [
        lambda c: c.add_working_days(D(2026, 11, 2), 10),
        lambda c: c.add_calendar_days(D(2026, 11, 2), 8),
        lambda c: c.on_date(D(2026, 11, 2), D(2026, 11, 10)),
        lambda c: c.quarter_end(D(2026, 1, 2), 2026, 4),
        lambda c: c.before_sitting(D(2026, 11, 2), D(2026, 11, 11), "Kỳ họp thứ 13"),
    ],
)
def test_recomputing_on_the_same_calendar_changes_nothing_and_a_new_day_off_shows(make):
    deadline = make(calendar)
    assert calendar.recompute(deadline) == deadline
    local = WorkingCalendar(
        {
            D(2026, 11, 10): Override(False, "Ngày nghỉ của tỉnh"),
            D(2026, 12, 31): Override(False, "Ngày nghỉ của tỉnh"),
        }
    )
    assert local.recompute(deadline).due != deadline.due
