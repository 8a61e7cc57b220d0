"""Vietnamese text is found however it is typed: without diacritics, in capitals, with
combining marks instead of precomposed letters (conclusions.rules.search_key), in the case
list page and the API alike, on PostgreSQL (trigram index) and SQLite."""

import unicodedata

import pytest
from django.db import connection
from django.urls import reverse

from conclusions.models import Recommendation
from conclusions.rules import search_key
from tests.helpers import api_client, login

pytestmark = pytest.mark.django_db

FOUND = [
    "lao dong nong thon",
    "LAO ĐỘNG NÔNG THÔN",
    unicodedata.normalize("NFD", "đào tạo nghề"),  # combining marks, as some keyboards type
    "  Đào   tạo  ",
    "15/tb-hdnd",  # the notice's number, without its Đ
]
NOT_FOUND = ["lao dong thanh thi", "xây dựng cầu"]


def test_the_search_key_folds_what_vietnamese_keyboards_type():
    assert search_key("Người LAO ĐỘNG") == "nguoi lao dong"
    assert search_key(unicodedata.normalize("NFD", "Sở Y tế")) == "so y te"
    assert search_key("Thường\u00a0trực\n HĐND") == "thuong truc hdnd"


@pytest.mark.parametrize("words", FOUND)
def test_the_case_list_finds_the_words_typed_any_way(client, world, words):
    login(client, world.ban_vhxh)
    page = client.get(reverse("workflow:case_list"), {"q": words})
    assert page.status_code == 200
    assert "nhu cầu đào tạo nghề" in page.content.decode()


@pytest.mark.parametrize("words", NOT_FOUND)
def test_other_words_find_nothing(client, world, words):
    login(client, world.ban_vhxh)
    page = client.get(reverse("workflow:case_list"), {"q": words})
    assert "nhu cầu đào tạo nghề" not in page.content.decode()


@pytest.mark.parametrize(("words", "count"), [(FOUND[0], 1), (FOUND[2], 1), (NOT_FOUND[0], 0)])
def test_the_api_searches_the_same_way(world, words, count):
    answer = api_client(world.ban_vhxh).get("/api/v1/cases/", {"q": words})
    assert answer.status_code == 200
    assert answer.json()["count"] == count


def test_rows_inserted_in_bulk_get_their_search_key_too(world):
    copy = Recommendation.objects.bulk_create(
        [
            Recommendation(
                notice=world.notice,
                position=9,
                anchor="II.9",
                text="Nâng cấp ĐƯỜNG giao thông nông thôn",
                tracking_committee=world.vhxh,
            )
        ]
    )[0]
    copy.refresh_from_db()
    assert copy.search_key == "nang cap duong giao thong nong thon"


def test_a_changed_text_is_found_by_its_new_words(world):
    recommendation = world.case.recommendation
    recommendation.text = "Hỗ trợ vốn vay cho hộ nghèo."
    recommendation.save(update_fields=["text"])
    answer = api_client(world.ban_vhxh).get("/api/v1/cases/", {"q": "ho ngheo"})
    assert answer.json()["count"] == 1


@pytest.mark.postgres
def test_postgresql_answers_the_search_from_the_trigram_index(world):
    """The planner may use it: the query Django writes for the search is one the index
    answers (a small table would be scanned anyway, so scans are priced out here)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = (
        Recommendation.objects.filter(search_key__contains="lao dong nong thon")
        .order_by()
        .explain()
    )
    assert "recommendation_search_trgm" in plan
