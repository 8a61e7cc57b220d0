"""A resolution's implementation items entered on its page by the register's keepers (the
office, the Standing Committee) through the API's own service: the case opens at once with
its deadline counted on the council's calendar; bad input is refused as the API refuses it, in
Vietnamese or English, and writes nothing; nobody else sees the form or may post it."""

from html import unescape

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conclusions.models import ConclusionNotice, Recommendation
from resolutions.models import ImplementationItem, Resolution
from tests.helpers import api_client
from tests.resolutions_support import ADOPTED, document, register
from workflow.models import Case

API = "/api/v1"
TEXT = "Kế hoạch triển khai Nghị quyết về hỗ trợ đào tạo nghề"


def _client(user, language: str = "vi") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _item(world, **changes) -> dict:
    return {
        "form": "item",
        "kind": "document",
        "lead_agency": world.ldtbxh.pk,
        "deadline": "01/01/2027",
        "text": TEXT,
    } | changes


def _read(response) -> str:
    return unescape(response.content.decode())


def _written() -> tuple[int, int, int, int]:
    return (
        ImplementationItem.objects.count(),
        Recommendation.objects.count(),
        Case.objects.count(),
        ConclusionNotice.objects.count(),
    )


def test_the_office_gives_a_resolution_its_items_and_their_cases_open(world):
    resolution = register(world, "20/2025/NQ-HĐND")
    url = reverse("resolutions:resolution_detail", args=[resolution.pk])
    office = _client(world.vanphong)
    assert 'data-testid="item-form"' in office.get(url).content.decode()
    done = office.post(url, _item(world), follow=True)
    # 01/01/2027 is New Year's Day: the case is due the next working day.
    assert "thời hạn 04/01/2027" in done.content.decode()
    item = ImplementationItem.objects.get()
    case = Case.objects.get(recommendation=item.recommendation)
    assert (item.kind, case.agency, case.committee) == ("document", world.ldtbxh, world.vhxh)
    assert case.deadline.isoformat() == "2027-01-04" and case.state == "assigned"
    assert case.notice.number == "TD-20/2025/NQ-HĐND"
    second = _item(world, kind="report", lead_agency=world.tc.pk, deadline="", text="Báo cáo năm")
    done = _client(world.thuongtruc, "en").post(url, second, follow=True)
    assert "to Sở Tài chính, deadline regular (no deadline)." in _read(done)
    report = ImplementationItem.objects.get(kind="report")
    assert (report.recommendation.anchor, report.recommendation.notice) == ("2", case.notice)
    assert Case.objects.get(recommendation=report.recommendation).deadline is None
    page = office.get(url).content.decode()
    assert TEXT in page and "Báo cáo năm" in page


def test_a_deadline_may_be_written_as_notices_write_them(world):
    resolution = register(world, "26/2025/NQ-HĐND")
    url = reverse("resolutions:resolution_detail", args=[resolution.pk])
    answer = _client(world.vanphong).post(url, _item(world, deadline="trong 2 tháng"))
    assert answer.status_code == 302
    recommendation = ImplementationItem.objects.get().recommendation
    assert recommendation.deadline_spec == {"months": 2}
    # Two months after 10/03/2025 is Saturday 10/05/2025: the next working day.
    assert Case.objects.get(recommendation=recommendation).deadline.isoformat() == "2025-05-12"


@pytest.mark.parametrize(
    ("changes", "vietnamese", "english"),
    [
        (
            {"deadline": "01/03/2025"},
            "trước ngày ban hành thông báo (10/03/2025)",
            "before the notice's issue date (10/03/2025)",
        ),
        ({"deadline": "31/02/2026"}, "Ngày không hợp lệ", "Invalid date"),
        ({"deadline": "01/01/2101"}, "31/12/2100", "31/12/2100"),
        (
            {"deadline": "trước mùa mưa bão"},
            "Không hiểu thời hạn “trước mùa mưa bão”.",
            "The deadline “trước mùa mưa bão” was not understood.",
        ),
        ({"text": ""}, "Nội dung", "Content"),
        ({"kind": "speech"}, "Loại", "Kind"),
    ],
)
def test_bad_input_is_refused_in_either_language_and_writes_nothing(
    world, changes, vietnamese, english
):
    resolution = register(world, "21/2025/NQ-HĐND", items=[document()])
    url = reverse("resolutions:resolution_detail", args=[resolution.pk])
    before = _written()
    for language, words in (("vi", vietnamese), ("en", english)):
        answer = _client(world.vanphong, language).post(url, _item(world, **changes))
        assert answer.status_code == 400
        assert words in _read(answer), language
    assert _written() == before


def test_the_page_refuses_a_deadline_before_adoption_as_the_api_does(world):
    resolution = register(world, "22/2025/NQ-HĐND")
    url = reverse("resolutions:resolution_detail", args=[resolution.pk])
    body = {
        "number": "23/2025/NQ-HĐND",
        "date": ADOPTED.isoformat(),
        "title": "Nghị quyết thử",
        "kind": "normative",
        "field": "Lao động, việc làm",
        "lead_agency": "so-ldtbxh",
        "committee": "ban-vhxh",
        "in_force_from": ADOPTED.isoformat(),
        "items": [{"kind": "document", "text": TEXT, "deadline": {"date": "2025-03-01"}}],
    }
    api = api_client(world.vanphong).post(f"{API}/resolutions/", body, format="json").json()
    for language, key in (("vi", "detail"), ("en", "detail_en")):
        page = _client(world.vanphong, language).post(url, _item(world, deadline="01/03/2025"))
        assert api[key] in _read(page)


def test_a_resolution_without_a_tracking_committee_is_refused_with_why(world):
    resolution = register(world, "24/2025/NQ-HĐND")
    Resolution.objects.filter(pk=resolution.pk).update(committee=None)
    url = reverse("resolutions:resolution_detail", args=[resolution.pk])
    answer = _client(world.vanphong).post(url, _item(world))
    assert answer.status_code == 400
    assert "Nghị quyết chưa có Ban theo dõi" in answer.content.decode()
    assert not ImplementationItem.objects.exists()


def test_only_the_registers_keepers_see_the_form_and_may_post_it(world):
    resolution = register(world, "25/2025/NQ-HĐND", items=[document()])
    url = reverse("resolutions:resolution_detail", args=[resolution.pk])
    before = _written()
    for user in (world.ban_vhxh, world.so_ldtbxh):  # they see the resolution, not the form
        client = _client(user)
        page = client.get(url)
        assert page.status_code == 200 and 'data-testid="item-form"' not in page.content.decode()
        refused = client.post(url, _item(world))
        assert refused.status_code == 403
        assert 'data-testid="item-form"' not in refused.content.decode()
    assert _client(world.so_tc).post(url, _item(world)).status_code == 404
    assert _client(world.other_thuongtruc).post(url, _item(world)).status_code == 404
    assert _written() == before
