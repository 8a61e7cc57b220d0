"""The office's Excel summary of a round's petitions (intake.imports): the preview notes the
row that repeats a petition of an earlier sitting; confirming enters every row, routes those
with lead agencies and forwards the central ones; a bad row writes nothing."""

import pytest

from petitions.models import Petition
from petitions.services import petition_suggestions
from tests.helpers import login
from tests.imports_support import preview_url, upload, xlsx
from tests.petition_world import build_rounds, enter

pytestmark = pytest.mark.django_db(transaction=True)

KEY = "kien-nghi-cu-tri"
HEADER = [
    "Nội dung kiến nghị",
    "Địa phương",
    "Lĩnh vực",
    "Ban theo dõi",
    "Thẩm quyền",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
]
ROAD = "Đề nghị sửa chữa tuyến đường giao thông nông thôn ấp 3 xã Vị Thanh."
AGAIN = "Cử tri ấp 3 tiếp tục kiến nghị sớm nâng cấp đường GTNT tại xã Vị Thanh."
ROWS = [
    [AGAIN, "xã Vị Thanh", "Giao thông", "Ban Kinh tế - Ngân sách", "Cấp tỉnh", "Sở Tài chính", ""],
    [
        "Đề nghị hỗ trợ đào tạo nghề cho thanh niên.",
        "phường Ngã Bảy",
        "Lao động",
        "ban-vhxh",
        "cấp tỉnh",
        "so-ldtbxh",
        "Sở Kế hoạch và Đầu tư",
    ],
    ["Đề nghị sửa đổi Luật Đất đai.", "xã Vị Thanh", "Đất đai", "ban-ktns", "Trung ương", "", ""],
]


@pytest.fixture
def rounds(world):
    return build_rounds(world)


def test_the_summary_is_previewed_with_its_repeat_noted_then_entered(client, world, rounds):
    first = enter(world, rounds.first, ROAD).petition
    login(client, world.vanphong)
    response = upload(
        client, KEY, xlsx([HEADER, *ROWS]), "tong-hop.xlsx", **{"options-round": rounds.second.pk}
    )
    url = preview_url(response)
    page = client.get(url).content.decode()
    assert "3 dòng dữ liệu" in page
    assert "Có thể đã nêu tại Kỳ họp thứ 20, kiến nghị số 1" in page
    assert Petition.objects.filter(round=rounds.second).count() == 0
    assert client.post(url).status_code == 302
    road, training, law = Petition.objects.filter(round=rounds.second).order_by("number")
    assert [p.text for p in (road, training, law)] == [r[0] for r in ROWS]
    assert [c.agency.code for c in road.recommendation.cases.all()] == ["so-tc"]
    training_case = training.recommendation.cases.get()
    assert training_case.committee == world.vhxh
    assert list(training_case.coordinating_agencies.values_list("code", flat=True)) == ["so-khdt"]
    assert law.forwarded_to and law.recommendation is None
    assert [s.petition for s in petition_suggestions(road)] == [first]


def test_a_bad_row_stops_the_sheet_and_nothing_is_written(client, world, rounds):
    login(client, world.vanphong)
    bad = [*ROWS, ["Kênh.", "xã Vị Thanh", "", "ban-ktns", "cấp huyện", "", ""]]
    bad.append(["Kênh 2.", "xã Vị Thanh", "", "ban-ktns", "cấp xã", "so-tc", ""])
    response = upload(
        client, KEY, xlsx([HEADER, *bad]), "tong-hop.xlsx", **{"options-round": rounds.second.pk}
    )
    page = client.get(preview_url(response)).content.decode()
    assert "“cấp huyện”: ghi cấp xã, cấp tỉnh hoặc trung ương." in page
    assert "Chỉ kiến nghị thuộc thẩm quyền cấp tỉnh được giao cơ quan chủ trì." in page
    assert client.post(preview_url(response)).status_code in (400, 409)
    assert not Petition.objects.filter(round=rounds.second).exists()


def test_a_department_may_not_import_petitions(client, world, rounds):
    login(client, world.so_tc)
    response = upload(
        client, KEY, xlsx([HEADER, *ROWS]), "tong-hop.xlsx", **{"options-round": rounds.second.pk}
    )
    assert response.status_code == 403
