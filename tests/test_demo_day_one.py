"""What a council office notices on its first day with the demo (`manage.py loaddemo`): Cần
Thơ's people read, read-only, the registers Hậu Giang left them, and "Việc của tôi" draws no
empty state beside a row that has none."""

import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from conclusions.models import Council


@pytest.fixture
def demo(db):
    call_command("loaddemo", stdout=io.StringIO())
    return Council.objects.get(code="hau-giang")


def _page(client, username: str, url: str) -> str:
    client.force_login(User.objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_row_without_a_state_shows_no_empty_state_badge(client, demo):
    html = _page(client, "tt_vithanh", reverse("workflow:inbox"))
    assert 'data-source="briefing.report"' in html
    states = re.findall(r'data-testid="work-state">([^<]*)<', html)
    assert all(state.strip() for state in states), states
