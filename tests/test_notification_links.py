"""Everyone told can open what they are told about: a case lives through every kind of event
(the ladder climbed rung by rung, extensions asked, refused and granted, a report returned,
the case closed and reopened), the events are fanned out, and every delivery's link opens
for its recipient, the office and the People's Committee (read-only) included."""

import datetime
from urllib.parse import urlsplit

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse

from conclusions.models import Agency
from notifications.fanout import fan_out_pending
from notifications.messages import Composer
from notifications.models import Delivery
from notifications.rules import QUIET_KINDS
from tests.helpers import case_of, committed, move
from tests.history import D, at
from tests.notify_servers import add_people
from tests.world import build_world
from workflow.decisions import case_decide
from workflow.escalation import DEFAULT_LADDER, escalate_due
from workflow.extensions import extension_decide, extension_request
from workflow.letters import letter_send
from workflow.models import CaseEvent, Decision, EventKind, Outcome, UrgingLetter
from workflow.publication import notice_publish
from workflow.services import ReportInput, case_comment
from workflow.successions import succession_record

LADDER = set(range(1, 9))  # the default ladder: three reminders, due, four overdue rungs
WATCHERS = {"vanphong", "chutich_ubnd", "chuyenvien_ubnd"}


def _extension(w, *, approve: bool) -> None:
    asked = extension_request(
        case=case_of(w), actor=w.so_ldtbxh, requested_until=D(2026, 10, 30), reason="Chờ số liệu."
    )
    extension_decide(extension=asked, actor=w.thuongtruc, approve=approve)


def _climb_every_rung(w) -> list[int]:
    """Run the sweep at the moment each rung falls due, up to the ladder's last timed rung
    (after it come repeat reminders, without end); returns the rungs reached in turn."""
    reached, top = [], DEFAULT_LADDER[-1].level
    while top not in reached and (due := case_of(w).next_escalation_at) is not None:
        moment = due + datetime.timedelta(minutes=1)
        with time_machine.travel(moment, tick=False):
            reached += list(escalate_due(moment).by_level)
    return reached


def _merge_department(w) -> None:
    Agency.objects.create(
        council=w.council, code="so-nv", name="Sở Nội vụ", kind="department", parent=w.ubnd
    )
    admin = User.objects.create_superuser("quantri", password="demo")
    with committed():
        succession_record(
            actor=admin,
            kind="agency",
            from_codes=["so-ldtbxh"],
            to_code="so-nv",
            on=D(2026, 11, 1),  # recorded late: the seats carried over hold at the tests' NOW
            basis="Nghị định 45/2025/NĐ-CP",
            carry_memberships=True,
        )


def _live_through_every_kind_of_event(w) -> None:
    with at(D(2026, 6, 10)):
        case_comment(case=case_of(w), actor=w.so_khdt, text="Sở KH&ĐT sẵn sàng phối hợp.")
        move(w, w.so_ldtbxh, "start")
    with at(D(2026, 6, 15)):
        _extension(w, approve=False)
    with at(D(2026, 6, 20)):
        _extension(w, approve=True)
    assert _climb_every_rung(w) == sorted(LADDER)
    with at(D(2027, 1, 4)):  # the office sends the drafted letter; the Standing Committee decides
        with committed():
            letter_send(
                letter=UrgingLetter.objects.filter(items__case=w.case).first(), actor=w.vanphong
            )
        with committed():
            case_decide(case=case_of(w), actor=w.thuongtruc, decision=Decision.RE_SUPERVISION)
    with at(D(2027, 1, 5)):
        move(w, w.so_ldtbxh, "report", report=ReportInput(text="Đã rà soát."))
        move(w, w.ban_vhxh, "return", note="Thiếu số liệu theo xã.")
        move(w, w.so_ldtbxh, "report", report=ReportInput(text="Đã bổ sung số liệu."))
        move(w, w.ban_vhxh, "close", outcome=Outcome.IMPLEMENTED)
        move(w, w.thuongtruc, "reopen", note="Cử tri tiếp tục phản ánh.")
    with at(D(2027, 1, 6)):  # a merger: the department's open case goes on under its successor
        _merge_department(w)
    fan_out_pending()


@pytest.fixture
def lived(db):
    with at(D(2026, 6, 5), 8):
        w = add_people(build_world())
    _live_through_every_kind_of_event(w)
    return w


def test_publishing_tells_no_one(world):
    with committed():
        notice_publish(notice=world.notice, actor=world.thuongtruc, publish=True)
    fan_out_pending()
    published = CaseEvent.objects.get(case=world.case, kind=EventKind.PUBLISHED)
    assert not Delivery.objects.filter(event=published).exists()


def _deliveries():
    return Delivery.objects.select_related(
        "recipient",
        "event__actor",
        "event__case__notice",
        "event__case__recommendation",
        "event__case__agency",
        "event__case__committee",
    ).order_by("id")


TOLD_KINDS = set(EventKind.values) - QUIET_KINDS


def test_the_case_lived_through_every_kind_of_event_and_every_rung(lived):
    events = CaseEvent.objects.filter(case=lived.case)
    assert set(events.values_list("kind", flat=True)) >= TOLD_KINDS
    rungs = events.filter(kind=EventKind.ESCALATED).values_list("level", flat=True)
    assert set(rungs) == LADDER
    told = set(_deliveries().values_list("recipient__username", flat=True))
    assert told >= WATCHERS  # the office and the People's Committee are told too


def test_every_delivery_opens_for_its_recipient(client, lived):
    composer, opened = Composer(), set()
    deliveries = list(_deliveries())
    assert {d.event.kind for d in deliveries} == TOLD_KINDS
    for delivery in deliveries:
        client.force_login(delivery.recipient)
        page = urlsplit(composer.compose(delivery).link).path
        if (delivery.recipient_id, page) not in opened:  # the same page for the same person
            assert client.get(page).status_code == 200, (delivery.recipient, delivery.event)
            opened.add((delivery.recipient_id, page))
        if delivery.channel == "inapp":
            response = client.get(reverse("notifications:open", args=[delivery.pk]), follow=True)
            assert response.status_code == 200, (delivery.recipient, delivery.event)
            assert response.redirect_chain == [(page, 302)]
