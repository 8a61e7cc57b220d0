"""Registering a notice: good input is stored, bad input is refused in Vietnamese."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from conclusions.models import ConclusionNotice, Recommendation, SourceKind
from conclusions.services import RecommendationInput, notice_register, recommendation_update
from workflow.errors import CaseConflict
from workflow.models import Case
from workflow.services import notice_issue


def _register(w, number="16/TB-HĐND", issue_date=datetime.date(2026, 7, 1), items=None):
    return notice_register(
        council=w.council,
        number=number,
        issue_date=issue_date,
        title="Kết luận giám sát",
        source_kind=SourceKind.THEMATIC_SUPERVISION,
        tracking_committee=w.ktns,
        recommendations=items
        or [
            RecommendationInput(
                anchor="II.1",
                text="Đẩy nhanh giải ngân vốn đầu tư công.",
                lead_agency_codes=["so-khdt", "so-tc"],
                coordinating_agency_codes=["so-ldtbxh"],
                deadline=datetime.date(2026, 12, 31),
            ),
            RecommendationInput(
                anchor="II.2", text="Rà soát các dự án chậm tiến độ.", lead_agency_codes=["so-khdt"]
            ),
        ],
        actor=w.vanphong,
    )


def _refusal(callable_) -> str:
    with pytest.raises(ValidationError) as refusal:
        callable_()
    return " ".join(refusal.value.messages)


def test_issuing_opens_one_case_per_recommendation_and_lead_agency(world):
    notice = _register(world)
    cases = notice_issue(notice=notice, actor=world.thuongtruc)
    assert sorted((c.recommendation.anchor, c.agency.code) for c in cases) == [
        ("II.1", "so-khdt"),
        ("II.1", "so-tc"),
        ("II.2", "so-khdt"),
    ]
    assert {c.committee for c in cases} == {world.ktns}
    ongoing = Case.objects.get(recommendation__anchor="II.2")
    assert ongoing.deadline is None
    assert ConclusionNotice.objects.get(pk=notice.pk).status == "issued"
    assert list(
        Case.objects.get(recommendation__anchor="II.1", agency=world.tc).coordinating_agencies.all()
    ) == [world.ldtbxh]


def test_a_notice_is_issued_only_once(world):
    notice = _register(world)
    notice_issue(notice=notice)
    with pytest.raises(CaseConflict):
        notice_issue(notice=ConclusionNotice.objects.get(pk=notice.pk))
    assert Case.objects.filter(notice=notice).count() == 3


def test_a_duplicate_number_in_the_same_year_is_refused(world):
    message = _refusal(lambda: _register(world, number="15/TB-HĐND"))
    assert "15/TB-HĐND đã được dùng trong năm 2026" in message
    assert ConclusionNotice.objects.count() == 1


def test_the_same_number_next_year_is_accepted(world):
    items = [RecommendationInput(anchor="1", text="x", lead_agency_codes=["so-tc"])]
    notice = _register(
        world, number="15/TB-HĐND", issue_date=datetime.date(2027, 1, 5), items=items
    )
    assert notice.issue_year == 2027


def test_a_deadline_before_the_issue_date_is_refused(world):
    items = [
        RecommendationInput(
            anchor="II.1",
            text="x",
            lead_agency_codes=["so-khdt"],
            deadline=datetime.date(2026, 6, 30),
        )
    ]
    message = _refusal(lambda: _register(world, items=items))
    assert "30/06/2026" in message and "01/07/2026" in message
    assert not ConclusionNotice.objects.filter(number="16/TB-HĐND").exists()


def test_an_unknown_agency_is_refused_and_nothing_is_written(world):
    items = [RecommendationInput(anchor="II.1", text="x", lead_agency_codes=["so-khong-co"])]
    assert "so-khong-co" in _refusal(lambda: _register(world, items=items))
    assert not ConclusionNotice.objects.filter(number="16/TB-HĐND").exists()
    assert Recommendation.objects.count() == 1


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], "ít nhất một kiến nghị"),
        ([RecommendationInput(anchor="II.1", text="x", lead_agency_codes=[])], "chủ trì"),
        (
            [
                RecommendationInput(anchor="II.1", text="x", lead_agency_codes=["so-tc"]),
                RecommendationInput(anchor="II.1", text="y", lead_agency_codes=["so-tc"]),
            ],
            "trùng",
        ),
    ],
)
def test_incomplete_recommendations_are_refused(world, items, expected):
    with pytest.raises(ValidationError) as refusal:
        notice_register(
            council=world.council,
            number="17/TB-HĐND",
            issue_date=datetime.date(2026, 7, 1),
            title="x",
            source_kind=SourceKind.QUESTIONING,
            tracking_committee=world.ktns,
            recommendations=items,
        )
    assert expected in " ".join(refusal.value.messages)
    assert not ConclusionNotice.objects.filter(number="17/TB-HĐND").exists()


def test_the_tracking_committee_must_belong_to_the_issuing_council(world):
    message = _refusal(
        lambda: notice_register(
            council=world.other_council,
            number="1/TB-HĐND",
            issue_date=datetime.date(2026, 7, 1),
            title="x",
            source_kind=SourceKind.QUESTIONING,
            tracking_committee=world.ktns,
            recommendations=[
                RecommendationInput(anchor="1", text="x", lead_agency_codes=["so-tc"])
            ],
        )
    )
    assert "Ban theo dõi" in message


def test_the_committee_corrects_agencies_and_deadline_before_issue(world):
    notice = _register(world)
    recommendation = notice.recommendations.get(anchor="II.2")
    recommendation_update(
        recommendation=recommendation,
        lead_agency_codes=["so-tc"],
        coordinating_agency_codes=["so-khdt"],
        deadline=datetime.date(2026, 10, 15),
    )
    recommendation.refresh_from_db()
    assert recommendation.deadline == datetime.date(2026, 10, 15)
    assert [a.code for a in recommendation.lead_agencies.all()] == ["so-tc"]


def test_an_issued_notice_cannot_be_corrected(world):
    recommendation = world.notice.recommendations.get()
    message = _refusal(
        lambda: recommendation_update(
            recommendation=recommendation, lead_agency_codes=["so-tc"], deadline=None
        )
    )
    assert "đã ban hành" in message
    assert [a.code for a in recommendation.lead_agencies.all()] == ["so-ldtbxh"]


def test_a_refusal_stays_lazy_and_reads_in_either_language(world):
    items = [RecommendationInput(anchor="II.1", text="x", lead_agency_codes=["so-khong-co"])]
    with translation.override("vi"), pytest.raises(ValidationError) as refusal:
        _register(world, items=items)
    with translation.override("en"):
        assert refusal.value.messages == ["No agency found with code: so-khong-co."]
    with translation.override("vi"):
        assert refusal.value.messages == ["Không tìm thấy cơ quan có mã: so-khong-co."]
