"""A large sheet of older notices for the import benchmark: `rows` recommendations in
notices of `per_notice` rows, agencies named every way the import reads them (full names,
short forms, codes, several per cell), deadlines in every form a notice writes them."""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User

from conclusions.models import Agency, Committee, Council, Membership, Sitting
from intake.imports import get_import
from intake.imports.template import template_workbook

DEPARTMENTS = [
    ("so-tc", "Sở Tài chính"),
    ("so-noi-vu", "Sở Nội vụ"),
    ("so-y-te", "Sở Y tế"),
    ("so-gddt", "Sở Giáo dục và Đào tạo"),
    ("so-xd", "Sở Xây dựng"),
    ("so-nnmt", "Sở Nông nghiệp và Môi trường"),
    ("so-khcn", "Sở Khoa học và Công nghệ"),
    ("so-vhttdl", "Sở Văn hóa, Thể thao và Du lịch"),
    ("so-ct", "Sở Công Thương"),
    ("so-tp", "Sở Tư pháp"),
]
DEADLINES = [
    "30/9/2026",
    "trong quý III/2026",
    "trong tháng 11/2026",
    "trong 6 tháng",
    "15 ngày làm việc",
    "30 ngày",
    "trước kỳ họp cuối năm 2026",
    "thường xuyên",
    "",
]
TEXT = (
    "Rà soát, đánh giá kết quả thực hiện chính sách hỗ trợ đào tạo nghề cho lao động nông "
    "thôn giai đoạn 2021-2025; đề xuất giải pháp nâng cao chất lượng, gắn đào tạo với giải "
    "quyết việc làm (mục {anchor} của thông báo {number})."
)


def build_registry() -> tuple[Council, User]:
    """A province council with its committee, departments, a sitting and an office clerk."""
    council = Council.objects.create(
        code="bench-import",
        name="HĐND tỉnh Thử Nhập",
        level=Council.Level.PROVINCE,
        place="Thử Nhập",
    )
    Committee.objects.create(
        council=council,
        code="ban-vhxh",
        name="Ban Văn hóa - Xã hội",
        kind=Committee.Kind.CULTURE_SOCIETY,
    )
    ubnd = Agency.objects.create(
        council=council,
        code="ubnd-tinh",
        name="Ủy ban nhân dân tỉnh",
        kind=Agency.Kind.PEOPLES_COMMITTEE,
    )
    Agency.objects.bulk_create(
        Agency(council=council, code=code, name=name, kind=Agency.Kind.DEPARTMENT, parent=ubnd)
        for code, name in DEPARTMENTS
    )
    Sitting.objects.create(
        council=council, name="Kỳ họp thường lệ cuối năm 2026", opens_on="2026-12-08"
    )
    clerk = User.objects.create(username="bench-import-clerk", password=make_password(None))
    Membership.objects.create(user=clerk, role=Membership.Role.OFFICE_CLERK, council=council)
    return council, clerk


def notice_sheet(rows: int, per_notice: int) -> bytes:
    """The import's own template, filled in."""
    notices = get_import("thong-bao")
    return template_workbook(notices, (_row(index, per_notice) for index in range(rows)))


def _row(index: int, per_notice: int) -> list[str]:
    number = f"{index // per_notice + 1}/TB-HĐND"
    anchor = f"II.{index % per_notice + 1}"
    lead_code, lead_name = DEPARTMENTS[index % len(DEPARTMENTS)]
    other_code, other_name = DEPARTMENTS[(index + 3) % len(DEPARTMENTS)]
    lead = [lead_name, lead_code, "UBND tỉnh"][index % 3]
    coordinating = "" if index % 4 == 0 else f"{other_name}; {other_code}"
    return [
        number,
        "05/06/2026",
        "Kết luận giám sát việc thực hiện chính sách đào tạo nghề",
        "Ban Văn hóa - Xã hội",
        anchor,
        TEXT.format(anchor=anchor, number=number),
        lead,
        coordinating,
        DEADLINES[index % len(DEADLINES)],
    ]
