"""A notification tells the facts as they were when it went out (the deadline then, the rung
reached, by its one number and name), not today's; its card shows a short excerpt of the
recommendation, not all of it; notifications are "Tin nhắn", never "Thông báo" (a conclusion
notice)."""

import datetime
import re

from django.urls import reverse

from notifications.fanout import fan_out_pending
from notifications.models import Delivery
from tests.helpers import case_of, committed, login
from workflow.escalation import escalate_due
from workflow.extensions import extension_decide, extension_request
from workflow.models import Case, Recommendation

INBOX = reverse("notifications:inbox")
RUNG_7 = "Mức 7 · Quá hạn: đề xuất giải trình, chất vấn"


def _escalated_and_told(world) -> None:
    escalate_due(datetime.datetime(2026, 11, 24, 9, tzinfo=datetime.UTC))
    fan_out_pending()
    assert case_of(world).escalation_level == 7


def _card(html: str, testid: str) -> list[str]:
    return re.findall(rf'data-testid="{testid}">([^<]+)<', html)


def test_the_deadline_and_rung_are_those_of_the_day_it_was_sent(client, world):
    _escalated_and_told(world)
    with committed():  # each its own request, as on the site
        extension = extension_request(
            case=case_of(world),
            actor=world.so_ldtbxh,
            requested_until=datetime.date(2027, 1, 29),
            reason="Chờ kết quả điều tra lao động.",
        )
    with committed():
        extension_decide(
            actor=world.thuongtruc, extension=extension, approve=True, approved_until=None
        )
    case = case_of(world)
    assert case.deadline == datetime.date(2027, 1, 29) and case.escalation_level == 0
    html = login(client, world.thuongtruc).get(INBOX).content.decode()
    # The escalation, then the extension request: both went out while 30/09/2026 held.
    assert _card(html, "notification-deadline") == ["Hạn khi gửi: 30/09/2026"] * 2
    assert _card(html, "notification-rung") == [RUNG_7]


def test_a_card_shows_an_excerpt_not_the_whole_recommendation(client, world):
    long_text = "Rà soát nhu cầu đào tạo nghề cho lao động nông thôn. " * 20
    Recommendation.objects.filter(pk=world.case.recommendation_id).update(text=long_text)
    _escalated_and_told(world)
    html = login(client, world.thuongtruc).get(INBOX).content.decode()
    [excerpt] = _card(html, "notification-excerpt")
    assert len(excerpt.strip()) <= 160 and excerpt.strip().endswith("…")
    assert long_text.strip() not in html


def test_the_same_number_and_name_on_the_case_page_and_the_dashboard(client, world):
    _escalated_and_told(world)
    login(client, world.thuongtruc)
    case_page = client.get(reverse("workflow:case_detail", args=[world.case.pk])).content.decode()
    assert f'<dd data-testid="escalation-level">{RUNG_7}</dd>' in case_page
    dashboard = client.get(reverse("reports:index")).content.decode()
    assert _card(dashboard, "rung") == [RUNG_7]
    assert _card(client.get(INBOX).content.decode(), "notification-rung") == [RUNG_7]


def test_notifications_are_messages_and_notices_are_conclusion_notices(client, world):
    _escalated_and_told(world)
    assert Delivery.objects.filter(recipient=world.thuongtruc).exists()
    login(client, world.thuongtruc)
    for url in (INBOX, reverse("workflow:inbox"), reverse("workflow:case_list")):
        html = client.get(url).content.decode()
        assert "Tin nhắn" in html  # the bell, the menu
        words = re.findall(r">\s*([^<>]*Thông báo[^<>]*)<", html)
        assert all("Thông báo kết luận" in w or "Tổng quan" in w for w in words), words
    case_list = client.get(reverse("workflow:case_list")).content.decode()
    assert "<th>Thông báo kết luận</th>" in case_list
    assert Case.objects.count() == 1
