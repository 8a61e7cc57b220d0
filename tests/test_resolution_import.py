"""The resolution register from Excel (intake.imports): a preview first, then every row
entered in one transaction; a bad row stops the whole sheet and says why."""

import datetime

from resolutions.models import Resolution
from tests.helpers import login
from tests.imports_support import preview_url, upload, xlsx

KEY = "nghi-quyet"
HEADER = [
    "Số nghị quyết",
    "Ngày ban hành",
    "Trích yếu",
    "Loại",
    "Lĩnh vực",
    "Cơ quan chủ trì",
    "Ban theo dõi",
    "Hiệu lực từ",
    "Hiệu lực đến",
    "Tình trạng",
]


def _rows(*extra):
    return [
        [
            "16/NQ-HĐND",
            "06/07/2022",
            "Thông qua Đề án nâng cao chất lượng hoạt động HĐND",
            "Cá biệt",
            "Tổ chức bộ máy",
            "Sở LĐ-TB&XH",
            "Ban Văn hóa - Xã hội",
            "",
            "",
            "",
        ],
        [
            "05/2023/NQ-HĐND",
            "10/03/2023",
            "Quy định mức hỗ trợ học nghề",
            "Quy phạm pháp luật",
            "Lao động, việc làm",
            "so-ldtbxh",
            "",
            "20/03/2023",
            "31/12/2025",
            "Hết hiệu lực",
        ],
        *extra,
    ]


def test_the_register_is_imported_after_a_preview(client, world):
    login(client, world.vanphong)
    url = preview_url(upload(client, KEY, xlsx([HEADER, *_rows()]), "nq.xlsx"))
    assert "2 dòng dữ liệu" in client.get(url).content.decode()
    assert not Resolution.objects.exists()
    assert client.post(url).status_code == 302
    first = Resolution.objects.get(number="16/NQ-HĐND")
    assert (first.kind, first.lead_agency.code, first.committee.code, first.in_force_from) == (
        "individual",
        "so-ldtbxh",
        "ban-vhxh",
        datetime.date(2022, 7, 6),
    )
    second = Resolution.objects.get(number="05/2023/NQ-HĐND")
    assert (second.status, second.in_force_to) == ("expired", datetime.date(2025, 12, 31))


def test_a_bad_row_is_shown_and_nothing_is_entered(client, world):
    login(client, world.vanphong)
    bad = [
        "17/NQ-HĐND",
        "31/02/2022",
        "Nghị quyết lỗi",
        "Nghị định",
        "Y tế",
        "Sở Không Có",
        "",
        "",
        "",
        "Còn hiệu lực",
    ]
    twice = _rows()[0]
    url = preview_url(upload(client, KEY, xlsx([HEADER, *_rows(bad, twice)]), "nq.xlsx"))
    html = client.get(url).content.decode()
    assert "31/02/2022" in html and "Nghị định" in html and "Sở Không Có" in html
    assert "có hai dòng trong tệp" in html
    client.post(url)
    assert not Resolution.objects.exists()


def test_only_the_standing_committee_and_the_office_import(client, world):
    login(client, world.so_ldtbxh)
    answer = upload(client, KEY, xlsx([HEADER, *_rows()]), "nq.xlsx")
    assert answer.status_code == 403
    assert not Resolution.objects.exists()
