"""The ladder ends in decisions: on a case at its rung, the Standing Committee keeps urging
with a new date, calls an explanation session, questions at a named sitting, re-supervises, or
reports to the council sitting. Everyone else is refused (403), a case below the rung too (409),
bad input with 400; a decision is an event the agency and the committee are told of.

The named world's case is due 30/09/2026; the Standing Committee's rung (7) falls on 30/10."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conclusions.models import Sitting
from notifications.rules import event_facts, recipients_of
from workflow.escalation import escalate_due
from workflow.filters import Bucket, bucket_q
from workflow.models import Case, CaseEvent
from workflow.services import ReportInput, case_transition

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date
TODAY = datetime.datetime(2026, 11, 2, 9, tzinfo=TZ)  # a Monday, the case at rung 7


def at(day: D, hour: int = 7, minute: int = 30) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def sitting(world):
    return Sitting.objects.create(
        council=world.council, name="Kỳ họp thứ 12", opens_on=D(2026, 12, 8)
    )


@pytest.fixture
def at_the_rung(world):
    escalate_due(at(D(2026, 10, 31)))
    assert Case.objects.get(pk=world.case.pk).escalation_level == 7
    return world


def _client(user) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _decide(world, body, user=None):
    url = f"/api/v1/cases/{world.case.pk}/decision/"
    return _client(user or world.thuongtruc).post(url, body, format="json")


def _case(world) -> Case:
    return Case.objects.get(pk=world.case.pk)


def _escalations(world) -> list[int]:
    events = CaseEvent.objects.filter(case=world.case, kind="case.escalated").order_by("id")
    return list(events.values_list("level", flat=True))


# ------------------------------------------------------------------------------ each decision


def test_keep_urging_gives_a_new_date_and_the_ladder_resumes_after_it(at_the_rung):
    w = at_the_rung
    response = _decide(w, {"decision": "keep_urging", "until": "2026-11-20", "note": "Lần cuối."})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["decision"], body["until"], body["note"]) == (
        "keep_urging",
        "2026-11-20",
        "Lần cuối.",
    )
    assert (body["decided_by"], body["level"], body["case"]) == ("thuongtruc", 7, w.case.pk)
    case = _case(w)
    assert (case.decision, case.decision_until) == ("keep_urging", D(2026, 11, 20))
    assert case.next_escalation_at == at(D(2026, 11, 29), 7, 0)  # rung 8, after the new date
    escalate_due(at(D(2026, 11, 30)))
    assert _escalations(w) == [7, 8]


def test_a_keep_urging_pause_that_outlasts_a_rung_sends_it_the_day_urging_resumes(at_the_rung):
    w = at_the_rung
    assert _decide(w, {"decision": "keep_urging", "until": "2026-12-04"}).status_code == 201
    assert _case(w).next_escalation_at == at(D(2026, 12, 7), 7, 0)  # the working day after
    escalate_due(at(D(2026, 11, 30)))
    assert _escalations(w) == [7]
    escalate_due(at(D(2026, 12, 7)))
    assert _escalations(w) == [7, 8]


@pytest.mark.parametrize(
    "decision", ["explanation_session", "questioning", "re_supervision", "sitting_report"]
)
def test_every_other_decision_hands_the_case_to_the_council_and_stops_the_urging(
    at_the_rung, sitting, decision
):
    w = at_the_rung
    response = _decide(w, {"decision": decision, "sitting": sitting.pk, "note": "Theo kết luận."})
    assert response.status_code == 201, response.json()
    assert response.json()["sitting_name"] == "Kỳ họp thứ 12"
    case = _case(w)
    assert (case.decision, case.decision_until, case.next_escalation_at) == (decision, None, None)
    escalate_due(at(D(2027, 3, 1)))
    assert _escalations(w) == [7]
    # A report that comes back does not restart the urging in this ladder cycle either.
    case_transition(case=_case(w), actor=w.so_ldtbxh, action="start")
    case_transition(
        case=_case(w), actor=w.so_ldtbxh, action="report", report=ReportInput(text="Xong.")
    )
    case_transition(case=_case(w), actor=w.ban_vhxh, action="return", note="Chưa đạt.")
    assert _case(w).next_escalation_at is None


def test_a_decision_is_an_event_the_agency_and_the_committee_are_told_of(at_the_rung, sitting):
    w = at_the_rung
    _decide(w, {"decision": "questioning", "sitting": sitting.pk, "note": "Chất vấn Giám đốc Sở."})
    event = CaseEvent.objects.get(case=w.case, kind="case.decided")
    assert event.actor == w.thuongtruc
    assert event.note == "Chất vấn Giám đốc Sở."
    assert event.data | {"sitting": None} == {
        "decision": "questioning",
        "sitting": None,
        "sitting_name": "Kỳ họp thứ 12",
        "sitting_opens": "2026-12-08",
        "until": None,
        "level": 7,
    }
    [facts] = event_facts([event.pk])
    assert recipients_of([facts])[event.pk] == {w.so_ldtbxh.pk, w.ban_vhxh.pk}


def test_the_case_detail_lists_the_decisions_and_offers_the_next_one(at_the_rung):
    w = at_the_rung
    detail = _client(w.thuongtruc).get(f"/api/v1/cases/{w.case.pk}/").json()
    assert "decision" in detail["actions"]
    assert (detail["decision"], detail["decisions"]) == ("", [])
    _decide(w, {"decision": "re_supervision"})
    detail = _client(w.ban_vhxh).get(f"/api/v1/cases/{w.case.pk}/").json()
    assert "decision" not in detail["actions"]
    assert detail["decision"] == "re_supervision"
    assert [d["decision"] for d in detail["decisions"]] == ["re_supervision"]


# ---------------------------------------------------------------------------------- refusals


def _admin():
    return User.objects.create_superuser("admin", password="demo")


def test_anyone_but_the_standing_committee_is_refused(at_the_rung):
    w = at_the_rung
    statuses = {
        name: _decide(w, {"decision": "re_supervision"}, user).status_code
        for name, user in [
            ("so_ldtbxh", w.so_ldtbxh),
            ("so_khdt", w.so_khdt),
            ("ban_vhxh", w.ban_vhxh),
            ("admin", _admin()),
            ("so_tc", w.so_tc),
            ("vanphong", w.vanphong),
            ("tt_cantho", w.other_thuongtruc),
            ("outsider", w.outsider),
        ]
    }
    assert statuses == {
        "so_ldtbxh": 403,
        "so_khdt": 403,
        "ban_vhxh": 403,
        "admin": 403,
        "so_tc": 404,
        "vanphong": 403,  # the office reads its council's cases, and may not decide
        "tt_cantho": 404,
        "outsider": 404,
    }
    anonymous = APIClient().post(f"/api/v1/cases/{w.case.pk}/decision/", {}, format="json")
    assert anonymous.status_code == 401
    assert not CaseEvent.objects.filter(kind="case.decided").exists()
    assert _case(w).decision == ""


def test_a_refusal_is_bilingual_and_a_role_refusal_comes_before_bad_input(at_the_rung):
    response = _decide(at_the_rung, {"decision": "nonsense"}, at_the_rung.ban_vhxh)
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "forbidden"
    assert body["detail"] == "Chỉ Thường trực HĐND quyết định đối với hồ sơ ở bậc này."
    assert body["detail_en"]


def test_below_the_decision_rung_is_a_conflict(world):
    escalate_due(at(D(2026, 10, 16)))  # rung 6: the Standing Committee's letter
    response = _decide(world, {"decision": "re_supervision"})
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert _decide(world, {"decision": "nonsense"}).status_code == 409  # before bad input
    assert _case(world).decision == ""


def test_a_closed_case_is_a_conflict(at_the_rung):
    w = at_the_rung
    case_transition(case=_case(w), actor=w.so_ldtbxh, action="start")
    case_transition(
        case=_case(w), actor=w.so_ldtbxh, action="report", report=ReportInput(text="Xong.")
    )
    case_transition(case=_case(w), actor=w.ban_vhxh, action="close", outcome="implemented")
    assert _decide(w, {"decision": "re_supervision"}).status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "nonsense"}, "decision"),
        ({}, "decision"),
        ({"decision": "keep_urging", "until": "30/11/2026"}, "until"),
        ({"decision": "re_supervision", "sitting": 10**30}, "sitting"),
        ({"decision": "questioning", "sitting": 999999}, "sitting"),
    ],
)
def test_bad_input_is_refused_field_by_field(at_the_rung, body, field):
    response = _decide(at_the_rung, body)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert _case(at_the_rung).decision == ""


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"decision": "keep_urging"}, "Tiếp tục đôn đốc: vui lòng ấn định thời hạn mới."),
        (
            {"decision": "keep_urging", "until": "2026-11-02"},
            "Thời hạn mới phải sau hôm nay (02/11/2026).",
        ),
        ({"decision": "questioning"}, "Chất vấn: vui lòng chọn kỳ họp."),
        (
            {"decision": "re_supervision", "until": "2026-12-31"},
            "Chỉ quyết định tiếp tục đôn đốc mới có thời hạn mới.",
        ),
    ],
)
def test_a_decision_that_does_not_hold_together_is_refused(at_the_rung, body, message):
    response = _decide(at_the_rung, body)
    assert response.status_code == 400
    assert response.json()["detail"] == message
    assert not CaseEvent.objects.filter(kind="case.decided").exists()


def test_a_sitting_of_another_council_is_refused(at_the_rung):
    other = Sitting.objects.create(
        council=at_the_rung.other_council, name="Kỳ họp Cần Thơ", opens_on=D(2026, 12, 1)
    )
    response = _decide(at_the_rung, {"decision": "questioning", "sitting": other.pk})
    assert response.status_code == 400
    assert response.json()["detail"] == "Kỳ họp đã chọn không thuộc HĐND của hồ sơ."


# ----------------------------------------------------------------------------- the case page


def _page(client, user, world) -> str:
    client.force_login(user)
    response = client.get(reverse("workflow:case_detail", args=[world.case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_standing_committee_decides_on_the_case_page(client, at_the_rung, sitting):
    w = at_the_rung
    assert 'data-decision-panel="decision"' in _page(client, w.thuongtruc, w)
    url = reverse("workflow:case_action", args=[w.case.pk, "decision"])
    response = client.post(
        url, {"decision": "questioning", "sitting": sitting.pk, "note": "Giám đốc Sở trả lời."}
    )
    assert response.status_code == 302
    html = _page(client, w.thuongtruc, w)
    assert 'data-testid="case-decision"' in html
    assert "Chất vấn tại kỳ họp — Kỳ họp thứ 12" in html
    assert 'data-kind="case.decided"' in html
    assert 'data-decision-panel="decision"' in html  # it may decide again


def test_a_refused_decision_on_the_page_says_why(client, at_the_rung):
    w = at_the_rung
    client.force_login(w.thuongtruc)
    url = reverse("workflow:case_action", args=[w.case.pk, "decision"])
    response = client.post(url, {"decision": "keep_urging"})
    assert response.status_code == 400
    assert "Tiếp tục đôn đốc: vui lòng ấn định thời hạn mới." in response.content.decode()


def test_nobody_else_sees_the_panel_nor_the_standing_committee_below_the_rung(client, world):
    assert 'data-decision-panel="decision"' not in _page(client, world.thuongtruc, world)
    escalate_due(at(D(2026, 10, 31)))
    for user in (world.ban_vhxh, world.so_ldtbxh):
        assert 'data-decision-panel="decision"' not in _page(client, user, world)


def test_a_decided_case_leaves_the_standing_committees_list_until_its_new_date_passes(
    at_the_rung,
):
    def waiting(today):
        return Case.objects.filter(bucket_q(Bucket.HIGH_LEVEL, today, today)).exists()

    assert waiting(D(2026, 11, 2))
    _decide(at_the_rung, {"decision": "keep_urging", "until": "2026-11-20"})
    assert not waiting(D(2026, 11, 20)) and waiting(D(2026, 11, 21))
    _decide(at_the_rung, {"decision": "sitting_report"})
    assert not waiting(D(2026, 11, 21))
