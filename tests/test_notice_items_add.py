"""Streams grow an issued notice: items appended later open their cases at once, numbered
after the last item, with the same checks as at registration (workflow.notice_items_add)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from conclusions.services import RecommendationInput
from notifications.models import Delivery
from workflow.errors import CaseConflict
from workflow.models import Case, CaseEvent, EventKind
from workflow.services import notice_items_add

pytestmark = pytest.mark.django_db(transaction=True)


def _item(anchor, lead=("so-tc",), coordinating=("so-khdt",), **extra) -> RecommendationInput:
    return RecommendationInput(
        anchor=anchor,
        text=f"Kiến nghị {anchor}: nâng cấp đường giao thông nông thôn ấp 3.",
        lead_agency_codes=list(lead),
        coordinating_agency_codes=list(coordinating),
        deadline=datetime.date(2026, 12, 31),
        **extra,
    )


def test_appended_items_open_one_case_per_lead_agency_with_an_opened_event(world):
    cases = notice_items_add(
        notice=world.notice,
        items=[
            _item("KN.1", lead=("so-tc", "so-ldtbxh")),
            _item("KN.2", tracking_committee=world.ktns),
        ],
        actor=world.thuongtruc,
    )

    assert sorted((c.recommendation.anchor, c.agency.code) for c in cases) == [
        ("KN.1", "so-ldtbxh"),
        ("KN.1", "so-tc"),
        ("KN.2", "so-tc"),
    ]
    positions = [r.position for r in world.notice.recommendations.order_by("position")]
    assert positions == [1, 2, 3]
    kn2 = Case.objects.get(recommendation__anchor="KN.2")
    assert kn2.committee == world.ktns and kn2.deadline == datetime.date(2026, 12, 31)
    assert list(kn2.coordinating_agencies.values_list("code", flat=True)) == ["so-khdt"]
    opened = CaseEvent.objects.filter(case__in=cases, kind=EventKind.OPENED)
    assert opened.count() == 3
    # The bulk-created events reach the lead agencies' officers like any notice's.
    assert Delivery.objects.filter(event__in=opened, recipient=world.so_tc).exists()


def test_a_refused_item_writes_nothing(world):
    before = (Case.objects.count(), world.notice.recommendations.count())
    with pytest.raises(ValidationError):
        notice_items_add(
            notice=world.notice,
            items=[_item("KN.1"), _item("KN.2", lead=("so-tc",), coordinating=("so-tc",))],
            actor=world.thuongtruc,
        )
    with pytest.raises(ValidationError):
        notice_items_add(notice=world.notice, items=[_item("II.1.a")], actor=world.thuongtruc)
    with pytest.raises(ValidationError):
        other_council_agency = ("no-such-agency",)
        notice_items_add(
            notice=world.notice, items=[_item("KN.3", lead=other_council_agency)], actor=None
        )
    assert (Case.objects.count(), world.notice.recommendations.count()) == before


def test_a_draft_notice_does_not_grow_this_way(world):
    world.notice.status = world.notice.Status.DRAFT
    world.notice.save(update_fields=["status"])
    with pytest.raises(CaseConflict):
        notice_items_add(notice=world.notice, items=[_item("KN.1")], actor=world.thuongtruc)
