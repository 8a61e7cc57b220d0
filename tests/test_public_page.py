"""The council's public page: anyone, without logging in, sees the notices the Standing
Committee published with their items, agencies, deadlines, state and assessment, their
progress, and the on-time rate by agency; nothing unpublished, no evidence, no names but
the signer's; the page works without JavaScript."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.helpers import login, move, start_and_report
from workflow.errors import CaseConflict, CaseForbidden
from workflow.models import CaseEvent, EventKind, Outcome
from workflow.publication import notice_publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _council_page(client, world, **query):
    return client.get(reverse("publication:council", args=[world.council.code]), query)


def _notice_page(client, world):
    return client.get(reverse("publication:notice", args=[world.council.code, world.notice.pk]))


def test_an_unpublished_notice_is_not_there(client, world):
    assert world.notice.number not in _council_page(client, world).content.decode()
    assert _notice_page(client, world).status_code == 404


def test_a_published_notice_shows_its_items_to_an_anonymous_visitor(client, world):
    start_and_report(world)
    move(world, world.ban_vhxh, "close", outcome=Outcome.IMPLEMENTED, note="Đạt yêu cầu.")
    notice_publish(notice=world.notice, actor=world.thuongtruc, publish=True)

    council = _council_page(client, world)
    assert council.status_code == 200
    assert world.notice.number in council.content.decode()
    page = _notice_page(client, world).content.decode()
    assert "Rà soát nhu cầu đào tạo nghề" in page
    assert "Sở Lao động - Thương binh và Xã hội" in page and "Sở Kế hoạch và Đầu tư" in page
    assert "30/09/2026" in page and "Đạt yêu cầu." in page and "100%" in page
    assert "<script" not in page and "/evidence/" not in page
    for person in (world.thuongtruc, world.ban_vhxh, world.so_ldtbxh):
        assert person.username not in page


def test_withdrawing_takes_the_notice_off_at_once_despite_the_cache(client, world):
    notice_publish(notice=world.notice, actor=world.thuongtruc, publish=True)
    assert _notice_page(client, world).status_code == 200
    assert world.notice.number in _council_page(client, world).content.decode()

    notice_publish(notice=world.notice, actor=world.thuongtruc, publish=False)

    assert _notice_page(client, world).status_code == 404
    assert world.notice.number not in _council_page(client, world).content.decode()


def test_publishing_is_an_event_on_each_case_and_the_standing_committees_alone(world):
    with pytest.raises(CaseForbidden):
        notice_publish(notice=world.notice, actor=world.ban_vhxh, publish=True)
    with pytest.raises(CaseForbidden):
        notice_publish(notice=world.notice, actor=world.other_thuongtruc, publish=True)
    notice_publish(notice=world.notice, actor=world.thuongtruc, publish=True)
    with pytest.raises(CaseConflict):
        notice_publish(notice=world.notice, actor=world.thuongtruc, publish=True)
    kinds = list(CaseEvent.objects.filter(case=world.case).values_list("kind", flat=True))
    assert kinds.count(EventKind.PUBLISHED) == 1


def test_the_standing_committee_publishes_with_one_button(client, world):
    login(client, world.thuongtruc)
    page = client.get(reverse("workflow:notice_detail", args=[world.notice.pk])).content.decode()
    assert 'data-testid="publish-form"' in page
    client.post(reverse("workflow:notice_publish", args=[world.notice.pk]), {"publish": "1"})
    assert _notice_page(client, world).status_code == 200

    login(client, world.ban_vhxh)
    page = client.get(reverse("workflow:notice_detail", args=[world.notice.pk])).content.decode()
    assert 'data-testid="publish-form"' not in page


def test_the_page_reads_in_english_at_its_own_address(client, world):
    notice_publish(notice=world.notice, actor=world.thuongtruc, publish=True)
    english = _council_page(client, world, lang="en")
    assert english["Content-Language"] == "en"
    assert 'lang="en"' in english.content.decode()
    assert "On-time rate by agency" in english.content.decode()
    assert _council_page(client, world)["Content-Language"] == "vi"


def test_the_on_time_rate_by_agency_is_shown(client, world):
    page = _council_page(client, world).content.decode()
    assert "Sở Lao động - Thương binh và Xã hội" in page  # its deadline has passed: it is due
    assert "0%" in page
