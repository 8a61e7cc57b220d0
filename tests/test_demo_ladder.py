"""The demo shows where the ladder ends: a drafted urging letter the office can number and send,
and a decision of the Standing Committee on a case long past its deadline."""

import io

import docx
import pytest
from django.core.management import call_command
from django.urls import reverse

from workflow.models import Case, CaseEvent, UrgingLetter


@pytest.fixture
def demo(db):
    call_command("loaddemo", stdout=io.StringIO())


def test_the_demo_has_a_drafted_urging_letter_signed_as_the_council_set_it(demo, client):
    letter = (
        UrgingLetter.objects.filter(status="draft", council__code="can-tho").order_by("id").first()
    )
    assert letter is not None and letter.items.exists()
    client.login(username="vanphong", password="demo")
    page = client.get(reverse("workflow:letter_list")).content.decode()
    assert f'data-letter="{letter.pk}"' in page and 'data-action="letter-send"' in page
    body = client.get(reverse("reports:letter_download", args=[letter.pk])).content
    texts = [
        p.text
        for t in docx.Document(io.BytesIO(body)).tables
        for c in t._cells
        for p in c.paragraphs
    ]
    assert "TRƯỞNG BAN" in texts or "PHÓ CHỦ TỊCH" in texts


def test_the_demo_has_a_decision_of_the_standing_committee(demo, client):
    event = CaseEvent.objects.get(kind="case.decided")
    case = Case.objects.get(pk=event.case_id)
    assert (case.decision, case.recommendation.anchor, case.notice.number) == (
        "questioning",
        "II.1.b",
        "68/TB-HĐND",
    )
    assert event.data["sitting_name"].startswith("Kỳ họp thường lệ cuối năm")
    client.login(username="thuongtruc", password="demo")
    html = client.get(reverse("workflow:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="case-decision"' in html and "Chất vấn tại kỳ họp" in html


def test_loading_again_decides_nothing_twice(demo):
    call_command("loaddemo", stdout=io.StringIO())
    assert CaseEvent.objects.filter(kind="case.decided").count() == 1
