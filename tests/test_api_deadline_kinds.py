"""`/api/v1/calendar/deadline/` computes every deadline kind a notice uses (and the parser
reads): a date, working days, calendar days, N months, end of a month, end of a quarter,
before a sitting with the council's lead time, or the words as written; GET and POST alike;
bad input is a 400 in Vietnamese and English."""

import datetime

import pytest

from conclusions.models import Sitting
from tests.helpers import api_client

URL = "/api/v1/calendar/deadline/"


@pytest.fixture
def sitting(world):
    world.council.sitting_lead_days = 10
    world.council.save(update_fields=["sitting_lead_days"])
    return Sitting.objects.create(
        council=world.council,
        name="Kỳ họp thường lệ cuối năm 2026",
        opens_on=datetime.date(2026, 12, 8),
    )


def _ask(world, query: dict, method: str = "get"):
    client = api_client(world.so_ldtbxh)
    if method == "post":
        return client.post(URL, query, format="json")
    return client.get(URL, query)


CASES = [
    ({"date": "2026-09-30"}, "2026-09-30", "date", {"date": "2026-09-30"}),
    ({"working_days": 15}, "2026-06-26", "working_days", {"working_days": 15}),
    ({"calendar_days": 30}, "2026-07-06", "calendar_days", {"calendar_days": 30}),
    ({"months": 3}, "2026-09-07", "months", {"months": 3}),
    ({"month": 7, "year": 2026}, "2026-07-31", "month_end", {"month": 7, "year": 2026}),
    ({"quarter": 3, "year": 2026}, "2026-09-30", "quarter_end", {"quarter": 3, "year": 2026}),
    ({"text": "trong quý III/2026"}, "2026-09-30", "quarter_end", {"quarter": 3, "year": 2026}),
    ({"text": "trong tháng 7/2026"}, "2026-07-31", "month_end", {"month": 7, "year": 2026}),
    ({"text": "trong 3 tháng"}, "2026-09-07", "months", {"months": 3}),
    (
        {"text": "15 ngày làm việc kể từ ngày ký"},
        "2026-06-26",
        "working_days",
        {"working_days": 15},
    ),
    ({"text": "chậm nhất ngày 30 tháng 9 năm 2026"}, "2026-09-30", "date", {"date": "2026-09-30"}),
]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("rule", "due", "kind", "spec"), CASES)
def test_each_kind_is_computed_with_its_explanation(world, method, rule, due, kind, spec):
    response = _ask(world, {"start": "2026-06-05", **rule}, method)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["due"], body["rule"], body["spec"]) == (due, kind, spec)
    day = datetime.date.fromisoformat(due)
    assert body["summary"].startswith("Từ ngày 05/06/2026")
    assert body["summary"].endswith(f"→ hạn {day:%d/%m/%Y}")
    assert body["summary_en"].endswith(f"→ due {day:%d/%m/%Y}")


def test_a_month_ending_on_a_sunday_moves_to_the_next_working_day(world):
    body = _ask(world, {"start": "2026-03-05", "month": 5, "year": 2026}).json()
    assert (body["due"], body["moved_from"]) == ("2026-06-01", "2026-05-31")
    assert "chuyển sang ngày làm việc kế tiếp" in body["summary"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_before_a_sitting_takes_the_councils_lead_time(world, sitting, method):
    query = {"start": "2026-06-05", "sitting": sitting.pk}
    body = _ask(world, query, method).json()
    assert body["rule"] == "before_sitting"
    assert body["spec"] == {"sitting": sitting.pk, "lead_days": 10}
    assert body["due"] < "2026-11-28" or body["due"] == "2026-11-27"
    assert "10 ngày trước kỳ họp “Kỳ họp thường lệ cuối năm 2026”" in body["summary"]
    world.council.sitting_lead_days = 5
    world.council.save(update_fields=["sitting_lead_days"])
    assert _ask(world, query).json()["spec"]["lead_days"] == 5
    explicit = _ask(world, {**query, "lead_days": 3}).json()
    assert (explicit["spec"]["lead_days"], explicit["due"]) == (3, "2026-12-04")


def test_a_sitting_in_words_is_found_among_the_councils_sittings(world, sitting):
    query = {"start": "2026-06-05", "council": "hau-giang", "text": "trước kỳ họp cuối năm 2026"}
    body = _ask(world, query).json()
    assert body["spec"] == {"sitting": sitting.pk, "lead_days": 10}
    assert body["text"] == "trước kỳ họp cuối năm 2026"


def test_ongoing_work_has_no_deadline(world):
    body = _ask(world, {"start": "2026-06-05", "text": "thường xuyên"}).json()
    assert (body["due"], body["rule"], body["spec"]) == (None, "none", None)
    assert body["summary"] == "Không có thời hạn (“thường xuyên”)."


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-06-05"}, "Chọn đúng một cách tính thời hạn"),
        ({"start": "2026-06-05", "months": 2, "working_days": 3}, "Chọn đúng một cách"),
        ({"start": "2026-06-05", "quarter": 3}, "Cần năm (year)"),
        ({"start": "2026-06-05", "months": 2, "year": 2026}, "Cần năm (year)"),
        ({"start": "2026-06-05", "months": 2, "lead_days": 3}, "lead_days chỉ dùng với sitting"),
        ({"start": "2026-06-05", "months": 0}, "Phải lớn hơn hoặc bằng 1"),
        ({"start": "2026-06-05", "quarter": 5, "year": 2026}, "Phải nhỏ hơn hoặc bằng 4"),
        ({"start": "2026-06-05", "quarter": 1, "year": 2026}, "đã qua so với ngày bắt đầu"),
        ({"start": "2026-06-05", "month": 5, "year": 2026}, "đã qua so với ngày bắt đầu"),
        ({"start": "2026-06-05", "date": "2026-06-01"}, "đã qua so với ngày bắt đầu"),
        ({"start": "2026-06-05", "sitting": 999999}, "Không tìm thấy kỳ họp số 999999."),
        ({"start": "2026-06-05", "text": "sớm nhất có thể"}, "Không hiểu thời hạn"),
        ({"start": "2026-06-05", "text": "x" * 301}, "Tối đa 300 ký tự."),
        ({"start": "2026-06-05", "text": "trước kỳ họp cuối năm 2026"}, "Chưa có kỳ họp nào"),
        ({"start": "05/06/2026", "months": 2}, "Ngày không hợp lệ"),
    ],
)
def test_bad_input_is_a_bilingual_400(world, query, message):
    response = _ask(world, query)
    assert response.status_code == 400
    body = response.json()
    assert message in body["detail"], body
    assert body["detail_en"] and body["detail_en"] != body["detail"]


def test_a_sitting_of_another_council_or_already_open_is_refused(world, sitting):
    other = {"start": "2026-06-05", "council": "can-tho", "sitting": sitting.pk}
    assert "Không tìm thấy kỳ họp" in _ask(world, other).json()["detail"]
    late = _ask(world, {"start": "2026-12-09", "sitting": sitting.pk})
    assert late.status_code == 400
    assert "không sau ngày bắt đầu" in late.json()["detail"]
