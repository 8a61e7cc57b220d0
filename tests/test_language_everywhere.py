"""The language switch is on every page, the login page included, and English pages write
dates dd/mm/yyyy as Vietnamese ones do (and read them so in forms)."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.helpers import detail_url, login

PAGES = [
    "workflow:inbox",
    "workflow:case_list",
    "workflow:letter_list",
    "workflow:calendar",
    "notifications:inbox",
    "notifications:settings",
    "reports:index",
    "reports:report_list",
]


def test_the_login_page_has_the_language_switch(client):
    html = client.get(reverse("login")).content.decode()
    assert html.count('data-testid="language-switch"') == 1
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert "Log in" in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_every_page_has_one_language_switch(client, world, name):
    html = login(client, world.thuongtruc).get(reverse(name)).content.decode()
    assert html.count('data-testid="language-switch"') == 1, name


def test_the_case_page_has_it_too(client, world):
    html = login(client, world.so_ldtbxh).get(detail_url(world.case)).content.decode()
    assert html.count('data-testid="language-switch"') == 1


def test_english_pages_write_dates_day_first(client, world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = login(client, world.so_ldtbxh).get(detail_url(world.case)).content.decode()
    assert '<html lang="en"' in html
    assert "30/09/2026" in html and "05/06/2026" in html
    for american in ("Sept. 30", "Sep 30", "09/30/2026", "June 5"):
        assert american not in html


def test_english_forms_read_dates_day_first(client, world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    login(client, world.so_ldtbxh)
    response = client.post(
        reverse("workflow:case_action", args=[world.case.pk, "extension-request"]),
        {"requested_until": "31/12/2026", "reason": "Waiting for the labour survey."},
        follow=True,
    )
    assert response.status_code == 200
    assert "31/12/2026" in response.content.decode()
    assert world.case.extensions.get().requested_until.isoformat() == "2026-12-31"
