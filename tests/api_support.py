"""What the API tests share: the address, a notice body, and cases moved through the API."""

from tests.helpers import api_client

API = "/api/v1"


def notice_body(**changes) -> dict:
    body = {
        "number": "22/TB-HĐND",
        "issue_date": "2025-01-24",
        "title": "Kết luận giám sát chuyên đề về giáo dục nghề nghiệp",
        "signer": "Trần Văn Huyến",
        "source_kind": "thematic_supervision",
        "tracking_committee": "ban-vhxh",
        "recommendations": [
            {
                "anchor": "II.1.a",
                "text": "Rà soát mạng lưới cơ sở giáo dục nghề nghiệp.",
                "lead_agencies": ["so-ldtbxh", "so-tc"],
                "coordinating_agencies": ["so-khdt"],
                "accountable": "ubnd-tinh",
                "deadline": {"working_days": 10},
            },
            {
                "anchor": "II.1.b",
                "text": "Bố trí kinh phí đào tạo nghề cho lao động nông thôn.",
                "lead_agencies": ["so-tc"],
                "tracking_committee": "ban-ktns",
                "deadline": {"date": "2025-03-29"},
            },
            {
                "anchor": "II.2",
                "text": "Thường xuyên tuyên truyền về học nghề.",
                "lead_agencies": ["so-ldtbxh"],
                "deadline": None,
            },
        ],
    }
    return body | changes


def started(world):
    response = api_client(world.so_ldtbxh).post(f"{API}/cases/{world.case.pk}/start/", {})
    assert response.status_code == 200, response.json()
    return response


def reported(world, **extra):
    started(world)
    body = {"text": "Đã mở 12 lớp đào tạo nghề.", "letter_number": "245/SLĐTBXH-VP"} | extra
    response = api_client(world.so_ldtbxh).post(
        f"{API}/cases/{world.case.pk}/report/", body, format="multipart"
    )
    assert response.status_code == 200, response.json()
    return response


def agency_lookups(queries) -> int:
    """How many times notice_register looked its agencies up: once per run of the service."""
    sql = [q["sql"] for q in queries.captured_queries]
    return sum('FROM "conclusions_agency"' in q and '"code" IN' in q for q in sql)


def reported_with(world, **extra) -> dict:
    body = {"text": "Đã mở 12 lớp đào tạo nghề.", "letter_date": "2026-09-20"} | extra
    response = api_client(world.so_ldtbxh).post(
        f"{API}/cases/{world.case.pk}/report/", body, format="multipart"
    )
    assert response.status_code == 200, response.json()
    return response.json()
