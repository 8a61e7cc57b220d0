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
from petitions.models import PetitionRound
from resolutions.models import Programme, Resolution


@pytest.fixture
def demo(db):
    call_command("loaddemo", stdout=io.StringIO())
    return Council.objects.get(code="hau-giang")


def _page(client, username: str, url: str) -> str:
    client.force_login(User.objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_successor_reads_the_petition_rounds_and_registers_of_hau_giang(client, demo):
    rounds = PetitionRound.objects.filter(council=demo)
    resolution = Resolution.objects.filter(council=demo).order_by("pk").first()
    programme = Programme.objects.filter(council=demo).first()
    assert rounds.exists() and resolution and programme
    for username in ("thuongtruc", "vanphong", "ban_vhxh"):
        _reads_the_registers(client, username, rounds, resolution, programme)


def _reads_the_registers(client, username, rounds, resolution, programme) -> None:
    petitions = _page(client, username, reverse("petitions:round_list"))
    for petition_round in rounds:
        assert reverse("petitions:round_detail", args=[petition_round.pk]) in petitions
    register = _page(client, username, reverse("resolutions:resolution_list"))
    assert resolution.number in register
    detail = reverse("resolutions:resolution_detail", args=[resolution.pk])
    assert resolution.title in _page(client, username, detail)
    programmes = _page(client, username, reverse("resolutions:programme_list"))
    assert programme.topic in programmes


def test_hau_giangs_rounds_stay_read_only_for_the_successor(client, demo):
    petition_round = PetitionRound.objects.filter(council=demo).first()
    url = reverse("petitions:round_detail", args=[petition_round.pk])
    html = _page(client, "thuongtruc", url)
    assert 'name="text"' not in html  # no form to enter a petition into the old round
    response = client.post(url, {"text": "Kiến nghị mới", "locality": "xã Vị Thanh"})
    assert 400 <= response.status_code < 500
    assert not petition_round.petitions.filter(text="Kiến nghị mới").exists()


def test_a_row_without_a_state_shows_no_empty_state_badge(client, demo):
    html = _page(client, "tt_vithanh", reverse("workflow:inbox"))
    assert 'data-source="briefing.report"' in html
    states = re.findall(r'data-testid="work-state">([^<]*)<', html)
    assert all(state.strip() for state in states), states


def test_a_commune_finds_the_petitions_the_city_sent_it_under_kien_nghi_cu_tri(client, demo):
    html = _page(client, "tt_vithanh", reverse("petitions:round_list"))
    assert 'data-testid="petitions-received"' in html
    assert "HĐND cấp trên đã chuyển 1 kiến nghị cử tri" in html
    assert f"{reverse('workflow:case_list')}?source_kind=voter_petitions" in html
    assert 'data-testid="petitions-received"' not in _page(
        client, "thuongtruc", reverse("petitions:round_list")
    )
