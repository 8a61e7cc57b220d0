"""Demo data drawn from the seeds: the Hậu Giang provincial council with its committees and
departments, the notices after the three 2024 "Lắng nghe và Trao đổi" programmes, a recent
notice dated a few weeks before today, and a ward council of Quảng Ngãi with one notice
(seed 003, retold after districts were abolished).

Notices go through `notice_register` and `notice_issue`; cases move through `case_transition`
and the extension services, so every case carries the event timeline a real one would. Only
the timestamps are moved back afterwards, to the dates the story gives. Loading again creates
nothing that already exists: bodies by code, accounts by username, notices by council, number
and year."""

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from conclusions.models import (
    Agency,
    Committee,
    ConclusionNotice,
    Council,
    Membership,
    Sitting,
    SourceKind,
)
from conclusions.services import RecommendationInput, notice_register
from devtools.demo_aliases import seed_agency_aliases
from workflow.calendar import WorkingCalendar
from workflow.escalation import escalate_due
from workflow.extensions import extension_decide, extension_request
from workflow.models import Case, CaseState, Extension, Outcome
from workflow.services import ReportInput, case_comment, case_transition, notice_issue
from workflow.transitions import Action

DEMO_PASSWORD = "demo"
COMMENT = "comment"
EXTEND = "extension_request"
APPROVE = "extension_approve"

Date = datetime.date
Role = Membership.Role


@dataclass(frozen=True)
class CouncilSpec:
    code: str
    name: str
    level: str
    place: str
    parent: str = ""
    valid_from: Date | None = None


@dataclass(frozen=True)
class CommitteeSpec:
    council: str
    code: str
    kind: str
    name: str


@dataclass(frozen=True)
class AgencySpec:
    council: str
    code: str
    name: str
    short_name: str = ""
    kind: str = Agency.Kind.DEPARTMENT
    parent: str = ""


@dataclass(frozen=True)
class AccountSpec:
    """`family` is the surname with the middle name, `given` the given name, so that
    `get_full_name()` reads in Vietnamese order: "Nguyễn Thị Bích Ngọc"."""

    username: str
    family: str
    given: str
    role: str = ""
    council: str = ""
    committee: str = ""
    agency: str = ""
    is_head: bool = False
    is_superuser: bool = False


@dataclass(frozen=True)
class Step:
    on: Date
    actor: str
    action: str
    text: str = ""
    letter: str = ""
    outcome: str = ""
    until: Date | None = None


@dataclass(frozen=True)
class ItemSpec:
    anchor: str
    text: str
    lead: str
    deadline: Date | None
    period: Mapping[str, int] | None = None  # instead of `deadline`: a RecommendationInput spec
    before_sitting: str = ""  # instead of `deadline`: the name of a demo sitting
    coordinating: Sequence[str] = ()
    accountable: str = "ubnd-tinh"
    committee: str = ""
    steps: Sequence[Step] = ()


@dataclass(frozen=True)
class SittingSpec:
    council: str
    name: str
    opens_on: Date


@dataclass(frozen=True)
class NoticeSpec:
    council: str
    number: str
    issue_date: Date
    title: str
    source_kind: str
    committee: str
    signer: str
    registrar: str
    issuer: str
    items: Sequence[ItemSpec] = field(default_factory=tuple)


@dataclass(frozen=True)
class DemoResult:
    new_notices: int
    notices: int
    cases: int
    overdue: int
    accounts: int

    def summary(self) -> str:
        return (
            f"Dữ liệu mẫu: {self.notices} thông báo ({self.new_notices} mới), "
            f"{self.cases} hồ sơ ({self.overdue} quá hạn), {self.accounts} tài khoản, "
            f"mật khẩu “{DEMO_PASSWORD}” / Demo data: {self.notices} notices "
            f"({self.new_notices} new), {self.cases} cases ({self.overdue} overdue), "
            f"{self.accounts} accounts, password “{DEMO_PASSWORD}”."
        )


def started(on: Date, actor: str, note: str = "") -> Step:
    return Step(on, actor, Action.START, note)


def reported(on: Date, actor: str, text: str, letter: str) -> Step:
    return Step(on, actor, Action.REPORT, text, letter=letter)


def returned(on: Date, actor: str, note: str) -> Step:
    return Step(on, actor, Action.RETURN, note)


def closed(on: Date, actor: str, outcome: str, note: str = "") -> Step:
    return Step(on, actor, Action.CLOSE, note, outcome=outcome)


def reopened(on: Date, actor: str, note: str) -> Step:
    return Step(on, actor, Action.REOPEN, note)


def commented(on: Date, actor: str, text: str) -> Step:
    return Step(on, actor, COMMENT, text)


def extension_asked(on: Date, actor: str, until: Date, reason: str, letter: str = "") -> Step:
    return Step(on, actor, EXTEND, reason, letter=letter, until=until)


def extension_approved(on: Date, actor: str, note: str = "") -> Step:
    return Step(on, actor, APPROVE, note)


COUNCILS = (
    CouncilSpec("hau-giang", "HĐND tỉnh Hậu Giang", Council.Level.PROVINCE, "Hậu Giang"),
    CouncilSpec("quang-ngai", "HĐND tỉnh Quảng Ngãi", Council.Level.PROVINCE, "Quảng Ngãi"),
    CouncilSpec(
        "duc-pho",
        "HĐND phường Đức Phổ",
        Council.Level.COMMUNE,
        "Đức Phổ",
        parent="quang-ngai",
        valid_from=Date(2025, 7, 1),
    ),
)

K = Committee.Kind
COMMITTEES = (
    CommitteeSpec("hau-giang", "ban-pc", K.LEGAL, "Ban Pháp chế"),
    CommitteeSpec("hau-giang", "ban-ktns", K.ECONOMY_BUDGET, "Ban Kinh tế - Ngân sách"),
    CommitteeSpec("hau-giang", "ban-vhxh", K.CULTURE_SOCIETY, "Ban Văn hóa - Xã hội"),
    CommitteeSpec("hau-giang", "ban-dt", K.ETHNIC, "Ban Dân tộc"),
    CommitteeSpec("duc-pho", "duc-pho-ban-ktxh", K.ECONOMY_SOCIETY, "Ban Kinh tế - Xã hội"),
    CommitteeSpec("duc-pho", "duc-pho-ban-pc", K.LEGAL, "Ban Pháp chế"),
)

A = Agency.Kind
AGENCIES = (
    AgencySpec(
        "hau-giang",
        "ubnd-tinh",
        "Ủy ban nhân dân tỉnh Hậu Giang",
        "UBND tỉnh",
        kind=A.PEOPLES_COMMITTEE,
    ),
    AgencySpec(
        "hau-giang",
        "so-ldtbxh",
        "Sở Lao động - Thương binh và Xã hội",
        "Sở LĐTBXH",
        parent="ubnd-tinh",
    ),
    AgencySpec("hau-giang", "so-khdt", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", parent="ubnd-tinh"),
    AgencySpec("hau-giang", "so-tc", "Sở Tài chính", parent="ubnd-tinh"),
    AgencySpec("hau-giang", "so-ct", "Sở Công Thương", parent="ubnd-tinh"),
    AgencySpec(
        "hau-giang", "so-tnmt", "Sở Tài nguyên và Môi trường", "Sở TN&MT", parent="ubnd-tinh"
    ),
    AgencySpec(
        "hau-giang",
        "so-nnptnt",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Sở NN&PTNT",
        parent="ubnd-tinh",
    ),
    AgencySpec("hau-giang", "so-xd", "Sở Xây dựng", parent="ubnd-tinh"),
    AgencySpec("hau-giang", "so-gddt", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT", parent="ubnd-tinh"),
    AgencySpec(
        "hau-giang",
        "bql-kcn",
        "Ban Quản lý các khu công nghiệp tỉnh Hậu Giang",
        "BQL các KCN",
        parent="ubnd-tinh",
    ),
    AgencySpec(
        "hau-giang",
        "dai-ptth",
        "Đài Phát thanh và Truyền hình Hậu Giang",
        "Đài PTTH Hậu Giang",
        kind=A.OTHER,
        parent="ubnd-tinh",
    ),
    AgencySpec(
        "duc-pho",
        "ubnd-duc-pho",
        "Ủy ban nhân dân phường Đức Phổ",
        "UBND phường Đức Phổ",
        kind=A.PEOPLES_COMMITTEE,
    ),
    AgencySpec(
        "duc-pho",
        "vp-duc-pho",
        "Văn phòng HĐND và UBND phường Đức Phổ",
        "Văn phòng HĐND-UBND phường",
        kind=A.COMMUNE_OFFICE,
        parent="ubnd-duc-pho",
    ),
    AgencySpec(
        "duc-pho",
        "kthtdt-duc-pho",
        "Phòng Kinh tế, Hạ tầng và Đô thị phường Đức Phổ",
        "Phòng KT, HT&ĐT phường",
        kind=A.COMMUNE_OFFICE,
        parent="ubnd-duc-pho",
    ),
)

ACCOUNTS = (
    AccountSpec("admin", "Lê Hoàng", "Minh", is_superuser=True),
    AccountSpec("thuongtruc", "Trần Thị Thanh", "Hương", Role.STANDING, "hau-giang", is_head=True),
    AccountSpec("vanphong", "Phạm Ngọc", "Hân", Role.OFFICE_CLERK, "hau-giang"),
    AccountSpec(
        "ban_vhxh", "Huỳnh Văn", "Lợi", Role.COMMITTEE_MEMBER, "hau-giang", committee="ban-vhxh"
    ),
    AccountSpec(
        "ban_ktns", "Võ Minh", "Triết", Role.COMMITTEE_MEMBER, "hau-giang", committee="ban-ktns"
    ),
    AccountSpec(
        "so_ldtbxh", "Nguyễn Thị Bích", "Ngọc", Role.AGENCY_OFFICER, "hau-giang", agency="so-ldtbxh"
    ),
    AccountSpec(
        "so_khdt", "Đặng Quốc", "Khánh", Role.AGENCY_OFFICER, "hau-giang", agency="so-khdt"
    ),
    AccountSpec("so_ct", "Lâm Thanh", "Tùng", Role.AGENCY_OFFICER, "hau-giang", agency="so-ct"),
    AccountSpec(
        "so_tnmt", "Châu Thị Mỹ", "Linh", Role.AGENCY_OFFICER, "hau-giang", agency="so-tnmt"
    ),
    AccountSpec(
        "bql_kcn", "Dương Hữu", "Phước", Role.AGENCY_OFFICER, "hau-giang", agency="bql-kcn"
    ),
    AccountSpec("tt_ducpho", "Trương Văn", "Sơn", Role.STANDING, "duc-pho", is_head=True),
    AccountSpec(
        "kt_ducpho", "Lê Thị Thu", "Hà", Role.AGENCY_OFFICER, "duc-pho", agency="kthtdt-duc-pho"
    ),
)

HG_SIGNER = "Trần Thị Thanh Hương"
LISTEN_TITLE = "Kết luận của Thường trực HĐND tỉnh tại Chương trình “Lắng nghe và Trao đổi” về "

LABOUR_2024 = NoticeSpec(
    council="hau-giang",
    number="68/TB-HĐND",
    issue_date=Date(2024, 6, 7),
    title=LISTEN_TITLE + "tình hình đào tạo nghề, giải quyết việc làm, xuất khẩu lao động "
    "trên địa bàn tỉnh",
    source_kind=SourceKind.LISTEN_AND_DISCUSS,
    committee="ban-vhxh",
    signer=HG_SIGNER,
    registrar="vanphong",
    issuer="thuongtruc",
    items=(
        ItemSpec(
            "II.1.a",
            "Rà soát, đánh giá nhu cầu đào tạo nghề của lao động nông thôn và lao động mất "
            "việc làm; xây dựng danh mục ngành nghề đào tạo gắn với nhu cầu tuyển dụng của "
            "doanh nghiệp trong các khu, cụm công nghiệp trên địa bàn tỉnh; hoàn thành trong quý "
            "III/2024.",
            lead="so-ldtbxh",
            coordinating=("bql-kcn",),
            deadline=None,
            period={"quarter": 3, "year": 2024},
            steps=(
                started(Date(2024, 6, 14), "so_ldtbxh", "Giao Phòng Giáo dục nghề nghiệp chủ trì."),
                commented(
                    Date(2024, 7, 19),
                    "bql_kcn",
                    "Ban Quản lý các khu công nghiệp đã gửi nhu cầu tuyển dụng của 27 doanh "
                    "nghiệp trong Khu công nghiệp Tân Phú Thạnh.",
                ),
                reported(
                    Date(2024, 9, 25),
                    "so_ldtbxh",
                    "Đã rà soát nhu cầu đào tạo nghề tại 08 huyện, thị xã, thành phố; ban hành "
                    "danh mục 32 ngành nghề đào tạo trình độ sơ cấp và dưới 03 tháng gắn với "
                    "nhu cầu của doanh nghiệp.",
                    "2135/SLĐTBXH-GDNN",
                ),
                closed(
                    Date(2024, 10, 15),
                    "ban_vhxh",
                    Outcome.IMPLEMENTED,
                    "Ban thống nhất đánh giá kiến nghị đã được thực hiện.",
                ),
            ),
        ),
        ItemSpec(
            "II.1.b",
            "Phối hợp Sở Tài chính cân đối, bố trí kinh phí thực hiện chính sách hỗ trợ đào "
            "tạo trình độ sơ cấp, đào tạo dưới 03 tháng theo Nghị quyết của HĐND tỉnh; chi trả "
            "dứt điểm tiền hỗ trợ cho người học đã hoàn thành khóa học.",
            lead="so-ldtbxh",
            coordinating=("so-tc",),
            deadline=Date(2024, 10, 31),
            steps=(
                started(Date(2024, 6, 18), "so_ldtbxh"),
                reported(
                    Date(2024, 10, 25),
                    "so_ldtbxh",
                    "Đã chi trả hỗ trợ cho 1.146 người học; còn 214 người chưa được chi trả do "
                    "chưa bổ sung đủ hồ sơ.",
                    "2468/SLĐTBXH-KHTC",
                ),
                returned(
                    Date(2024, 11, 12),
                    "ban_vhxh",
                    "Chưa đạt yêu cầu: báo cáo chưa nêu số người học chưa được chi trả theo "
                    "từng huyện và thời gian hoàn thành; đề nghị bổ sung.",
                ),
                commented(
                    Date(2024, 12, 3),
                    "so_ldtbxh",
                    "Sở đang phối hợp UBND cấp huyện tổng hợp hồ sơ còn thiếu, dự kiến chi trả "
                    "xong trong quý I/2025.",
                ),
            ),
        ),
        ItemSpec(
            "II.1.c",
            "Tăng cường tuyên truyền, tư vấn, định hướng nghề nghiệp cho người lao động đi làm "
            "việc ở nước ngoài theo hợp đồng; kịp thời cảnh báo các hình thức tuyển dụng, đưa "
            "người đi lao động ở nước ngoài trái phép.",
            lead="so-ldtbxh",
            coordinating=("dai-ptth",),
            deadline=None,
            steps=(started(Date(2024, 6, 20), "so_ldtbxh"),),
        ),
        ItemSpec(
            "II.2",
            "Trả lời bằng văn bản 06 ý kiến của cử tri gọi đến đường dây nóng của Chương trình "
            "chưa được trả lời trực tiếp (chi trả trợ cấp thất nghiệp, thủ tục đi làm việc tại "
            "Hàn Quốc theo Chương trình EPS), gửi Thường trực HĐND tỉnh và Ban Văn hóa - Xã hội.",
            lead="so-ldtbxh",
            deadline=Date(2024, 6, 28),
            steps=(
                started(Date(2024, 6, 10), "so_ldtbxh"),
                reported(
                    Date(2024, 6, 26),
                    "so_ldtbxh",
                    "Đã trả lời bằng văn bản 06 ý kiến cử tri và gửi Thường trực HĐND tỉnh.",
                    "1502/SLĐTBXH-VP",
                ),
                closed(Date(2024, 7, 5), "ban_vhxh", Outcome.IMPLEMENTED),
                reopened(
                    Date(2024, 12, 10),
                    "thuongtruc",
                    "Tại kỳ họp thường lệ cuối năm 2024, cử tri huyện Phụng Hiệp tiếp tục phản "
                    "ánh 02 trường hợp chưa nhận được trợ cấp thất nghiệp; đề nghị Sở kiểm tra, "
                    "trả lời lại.",
                ),
            ),
        ),
    ),
)

INDUSTRY_2024 = NoticeSpec(
    council="hau-giang",
    number="95/TB-HĐND",
    issue_date=Date(2024, 8, 9),
    title=LISTEN_TITLE + "tình hình thu hút đầu tư trong các khu, cụm công nghiệp",
    source_kind=SourceKind.LISTEN_AND_DISCUSS,
    committee="ban-ktns",
    signer=HG_SIGNER,
    registrar="vanphong",
    issuer="thuongtruc",
    items=(
        ItemSpec(
            "II.1.a",
            "Chủ trì, phối hợp Sở Kế hoạch và Đầu tư rà soát các dự án chậm triển khai trong "
            "các khu công nghiệp; kiên quyết chấm dứt hoạt động, thu hồi đất đối với các dự án "
            "không có khả năng thực hiện.",
            lead="bql-kcn",
            coordinating=("so-khdt",),
            deadline=Date(2024, 12, 31),
            steps=(
                started(Date(2024, 8, 16), "bql_kcn"),
                commented(
                    Date(2024, 9, 13),
                    "so_khdt",
                    "Sở Kế hoạch và Đầu tư đã cung cấp danh sách 09 dự án chậm tiến độ so với "
                    "cam kết.",
                ),
                reported(
                    Date(2024, 12, 20),
                    "bql_kcn",
                    "Đã rà soát 41 dự án; chấm dứt hoạt động 03 dự án, gia hạn tiến độ có điều "
                    "kiện 06 dự án.",
                    "1187/BQL-QLDN",
                ),
                closed(
                    Date(2025, 1, 15),
                    "ban_ktns",
                    Outcome.PARTIALLY,
                    "Còn 06 dự án được gia hạn cần tiếp tục theo dõi.",
                ),
            ),
        ),
        ItemSpec(
            "II.1.b",
            "Đẩy nhanh thủ tục giao đất, cho thuê đất và cấp giấy chứng nhận quyền sử dụng đất "
            "cho các nhà đầu tư thứ cấp trong khu công nghiệp; tháo gỡ vướng mắc về bồi thường, "
            "giải phóng mặt bằng; hoàn thành trong quý I/2025.",
            lead="so-tnmt",
            coordinating=("bql-kcn",),
            deadline=None,
            period={"quarter": 1, "year": 2025},
            steps=(started(Date(2024, 8, 23), "so_tnmt", "Đang tổng hợp hồ sơ từng dự án."),),
        ),
        ItemSpec(
            "II.1.c",
            "Tham mưu UBND tỉnh điều chỉnh, bổ sung phương án phát triển cụm công nghiệp; đề "
            "xuất cơ chế hỗ trợ đầu tư hạ tầng kỹ thuật cụm công nghiệp theo Nghị định số "
            "32/2024/NĐ-CP ngày 15/3/2024 của Chính phủ.",
            lead="so-ct",
            coordinating=("so-khdt", "so-tc"),
            deadline=Date(2024, 11, 29),
            steps=(
                started(Date(2024, 8, 20), "so_ct"),
                reported(
                    Date(2025, 2, 14),
                    "so_ct",
                    "Đã trình UBND tỉnh dự thảo Quyết định quy định hỗ trợ đầu tư hạ tầng cụm "
                    "công nghiệp; đang lấy ý kiến các sở, ngành.",
                    "215/SCT-QLCN",
                ),
            ),
        ),
        ItemSpec(
            "II.2",
            "Chủ trì, phối hợp các sở, ngành đánh giá kết quả thực hiện Nghị quyết của HĐND tỉnh "
            "về chính sách hỗ trợ, ưu đãi đầu tư; đề xuất sửa đổi, bổ sung cho phù hợp, báo cáo "
            "Thường trực HĐND tỉnh trước kỳ họp thường lệ cuối năm 2024.",
            lead="so-khdt",
            coordinating=("so-tc",),
            deadline=Date(2024, 11, 15),
            steps=(
                started(Date(2024, 8, 14), "so_khdt"),
                reported(
                    Date(2024, 11, 8),
                    "so_khdt",
                    "Đã báo cáo đánh giá; đề xuất sửa đổi Nghị quyết trong năm 2025, sau khi "
                    "các luật liên quan đến đầu tư được sửa đổi có hiệu lực.",
                    "3012/SKHĐT-DN",
                ),
                closed(
                    Date(2024, 11, 29),
                    "ban_ktns",
                    Outcome.ROADMAP,
                    "Ghi nhận lộ trình sửa đổi Nghị quyết trong năm 2025.",
                ),
            ),
        ),
    ),
)

GREEN_2024 = NoticeSpec(
    council="hau-giang",
    number="131/TB-HĐND",
    issue_date=Date(2024, 11, 8),
    title=LISTEN_TITLE + "tình hình thực hiện Đề án Hậu Giang xanh đến năm 2025, định hướng "
    "đến năm 2030",
    source_kind=SourceKind.LISTEN_AND_DISCUSS,
    committee="ban-ktns",
    signer=HG_SIGNER,
    registrar="vanphong",
    issuer="thuongtruc",
    items=(
        ItemSpec(
            "II.1.a",
            "Tăng cường kiểm tra, xử lý các cơ sở sản xuất, kinh doanh xả nước thải chưa qua xử "
            "lý ra kênh, rạch; đẩy nhanh tiến độ dự án thu gom, xử lý nước thải đô thị tại "
            "thành phố Vị Thanh và thành phố Ngã Bảy; báo cáo kết quả trong quý II/2025.",
            lead="so-tnmt",
            deadline=None,
            period={"quarter": 2, "year": 2025},
            steps=(
                started(Date(2024, 11, 15), "so_tnmt"),
                reported(
                    Date(2025, 6, 13),
                    "so_tnmt",
                    "Đã kiểm tra 46 cơ sở, xử phạt 07 cơ sở; dự án xử lý nước thải thành phố "
                    "Ngã Bảy chậm do vướng mặt bằng, Sở đã báo cáo rõ nguyên nhân.",
                    "1420/STNMT-MT",
                ),
                closed(
                    Date(2025, 6, 27),
                    "ban_ktns",
                    Outcome.EXPLAINED,
                    "Ban chấp nhận nội dung giải trình về tiến độ dự án.",
                ),
            ),
        ),
        ItemSpec(
            "II.1.b",
            "Đẩy mạnh phong trào trồng cây xanh phân tán; xây dựng kế hoạch trồng cây xanh năm "
            "2025 theo Đề án Hậu Giang xanh, hoàn thành trong quý I/2025.",
            lead="so-nnptnt",
            deadline=None,
            period={"quarter": 1, "year": 2025},
        ),
        ItemSpec(
            "II.1.c",
            "Rà soát, ưu tiên bố trí vốn đầu tư công cho các dự án thuộc Đề án Hậu Giang xanh "
            "trong kế hoạch đầu tư công năm 2025 và kế hoạch trung hạn giai đoạn 2026-2030.",
            lead="so-khdt",
            coordinating=("so-tc",),
            deadline=Date(2025, 5, 30),
            steps=(
                started(Date(2024, 11, 20), "so_khdt"),
                reported(
                    Date(2025, 5, 23),
                    "so_khdt",
                    "Chưa bố trí được vốn năm 2025 cho 03 dự án do chưa hoàn thành thủ tục "
                    "chuẩn bị đầu tư.",
                    "1388/SKHĐT-TH",
                ),
                closed(
                    Date(2025, 6, 11),
                    "ban_ktns",
                    Outcome.NOT_IMPLEMENTED,
                    "Chưa đạt mục tiêu; đề nghị đưa vào nội dung giám sát chuyên đề.",
                ),
            ),
        ),
        ItemSpec(
            "II.2",
            "Tuyên truyền, vận động doanh nghiệp, cơ sở kinh doanh và người dân hạn chế sử dụng "
            "túi ni lông khó phân hủy, sản phẩm nhựa dùng một lần; nghiên cứu, đề xuất cơ chế "
            "khuyến khích sử dụng sản phẩm thân thiện với môi trường.",
            lead="so-ct",
            deadline=None,
            steps=(
                started(Date(2024, 11, 14), "so_ct"),
                reported(
                    Date(2025, 3, 14),
                    "so_ct",
                    "Đã tổ chức 12 đợt tuyên truyền tại chợ, siêu thị; cơ chế khuyến khích "
                    "thuộc thẩm quyền của Bộ Công Thương, Sở đã có văn bản kiến nghị.",
                    "412/SCT-QLTM",
                ),
                closed(
                    Date(2025, 4, 2),
                    "ban_ktns",
                    Outcome.FORWARDED,
                    "Chuyển kiến nghị về cơ chế khuyến khích đến cơ quan có thẩm quyền ở "
                    "Trung ương.",
                ),
            ),
        ),
    ),
)

NOTICES_2024 = (LABOUR_2024, INDUSTRY_2024, GREEN_2024)


YEAR_END_SITTING = "Kỳ họp thường lệ cuối năm"


def _working_days_from(origin: Date) -> Callable[..., Date]:
    """`day(n)`: n working days after `origin` (before it if negative), or after `since`."""
    calendar = WorkingCalendar()

    def day(n: int, since: Date | None = None) -> Date:
        return calendar.shift_working_days(since or origin, n)

    return day


def _next_quarter(today: Date) -> dict[str, int]:
    quarter = (today.month - 1) // 3 + 1
    return {"quarter": quarter % 4 + 1, "year": today.year + (quarter == 4)}


def _year_end_sitting(today: Date) -> SittingSpec:
    opens_on = _working_days_from(today)(8)
    return SittingSpec("hau-giang", f"{YEAR_END_SITTING} {opens_on.year}", opens_on)


def demo_sittings(today: Date) -> tuple[SittingSpec, ...]:
    return (_year_end_sitting(today),)


def recent_notices(today: Date) -> tuple[NoticeSpec, ...]:
    """Notices issued a few weeks ago, so some deadlines are near and one has just passed."""
    return (_labour_recent(today), _ward_recent(today))


def _labour_recent(today: Date) -> NoticeSpec:
    day = _working_days_from(today)
    issued = day(-23)
    return NoticeSpec(
        council="hau-giang",
        number="52/TB-HĐND",
        issue_date=issued,
        title="Kết luận phiên giải trình của Thường trực HĐND tỉnh về việc thực hiện chính "
        "sách hỗ trợ người lao động mất việc làm và đào tạo nghề",
        source_kind=SourceKind.EXPLANATION_SESSION,
        committee="ban-vhxh",
        signer=HG_SIGNER,
        registrar="vanphong",
        issuer="thuongtruc",
        items=(
            ItemSpec(
                "II.1.a",
                "Rà soát, cập nhật danh sách người lao động mất việc làm, bị cắt giảm giờ làm "
                "tại các doanh nghiệp trong khu, cụm công nghiệp; tổ chức phiên giao dịch việc "
                "làm lưu động tại các xã, phường có đông lao động mất việc.",
                lead="so-ldtbxh",
                coordinating=("bql-kcn",),
                deadline=day(9),
            ),
            ItemSpec(
                "II.1.b",
                "Hướng dẫn, hỗ trợ người lao động mất việc làm hoàn thiện hồ sơ hưởng trợ cấp "
                "thất nghiệp và hỗ trợ học nghề; báo cáo kết quả chi trả hỗ trợ học nghề trong "
                "quý tới.",
                lead="so-ldtbxh",
                coordinating=("so-tc",),
                deadline=None,
                period=_next_quarter(today),
            ),
            ItemSpec(
                "II.1.c",
                "Phối hợp Bảo hiểm xã hội tỉnh giải quyết dứt điểm các hồ sơ hưởng trợ cấp thất "
                "nghiệp còn tồn đọng; trả lời bằng văn bản cho cử tri đã phản ánh.",
                lead="so-ldtbxh",
                deadline=day(3),
                steps=(
                    started(day(2, issued), "so_ldtbxh"),
                    extension_asked(
                        day(20, issued),
                        "so_ldtbxh",
                        until=day(20),
                        reason="Còn 37 hồ sơ phải xác minh thời gian đóng bảo hiểm thất nghiệp "
                        "với doanh nghiệp đã ngừng hoạt động; đề nghị gia hạn để trả lời đầy "
                        "đủ cho cử tri.",
                        letter="2790/SLĐTBXH-VL",
                    ),
                ),
            ),
            ItemSpec(
                "II.2",
                "Báo cáo Thường trực HĐND tỉnh kết quả giải quyết các ý kiến của cử tri nêu tại "
                "phiên giải trình, trước kỳ họp thường lệ cuối năm của HĐND tỉnh.",
                lead="so-ldtbxh",
                deadline=None,
                before_sitting=_year_end_sitting(today).name,
                steps=(
                    started(day(3, issued), "so_ldtbxh", "Đã phân công Văn phòng Sở tổng hợp."),
                ),
            ),
            ItemSpec(
                "II.3",
                "Tham mưu UBND tỉnh bố trí vốn ngân sách tỉnh năm tới ủy thác qua Ngân hàng "
                "Chính sách xã hội để cho vay giải quyết việc làm.",
                lead="so-khdt",
                coordinating=("so-ldtbxh",),
                committee="ban-ktns",
                deadline=day(15),
                steps=(
                    started(day(2, issued), "so_khdt"),
                    commented(
                        day(8, issued),
                        "so_ldtbxh",
                        "Sở Lao động - Thương binh và Xã hội đã gửi nhu cầu vốn vay giải quyết "
                        "việc làm năm tới.",
                    ),
                    reported(
                        day(19, issued),
                        "so_khdt",
                        "Đã tham mưu UBND tỉnh dự kiến bố trí 20 tỷ đồng trong kế hoạch vốn ngân "
                        "sách tỉnh năm tới, trình HĐND tỉnh tại kỳ họp cuối năm.",
                        "2874/SKHĐT-TH",
                    ),
                ),
            ),
            ItemSpec(
                "II.4",
                "Thẩm định, trình UBND tỉnh bổ sung kinh phí chi trả hỗ trợ đào tạo nghề còn "
                "nợ người học năm trước; thời hạn 15 ngày làm việc.",
                lead="so-tc",
                deadline=None,
                period={"working_days": 15},
            ),
        ),
    )


def _ward_recent(today: Date) -> NoticeSpec:
    day = _working_days_from(today)
    issued = day(-15)
    return NoticeSpec(
        council="duc-pho",
        number="12/TB-HĐND",
        issue_date=issued,
        title="Kết luận giám sát việc giải quyết kiến nghị cử tri về thoát nước và chiếu sáng "
        "công cộng trên địa bàn phường",
        source_kind=SourceKind.THEMATIC_SUPERVISION,
        committee="duc-pho-ban-ktxh",
        signer="Trương Văn Sơn",
        registrar="tt_ducpho",
        issuer="tt_ducpho",
        items=(
            ItemSpec(
                "II.1",
                "Khảo sát, lập phương án nạo vét, khơi thông các tuyến mương thoát nước tại các "
                "khu dân cư thường xuyên ngập úng trong mùa mưa bão.",
                lead="kthtdt-duc-pho",
                accountable="ubnd-duc-pho",
                deadline=day(8),
                steps=(
                    started(day(2, issued), "kt_ducpho"),
                    extension_asked(
                        day(6, issued),
                        "kt_ducpho",
                        until=day(25),
                        reason="Mưa lớn kéo dài, nước còn ngập nên chưa khảo sát được lòng "
                        "mương ở các khu dân cư trũng thấp.",
                        letter="85/KTHTĐT",
                    ),
                    extension_approved(
                        day(9, issued),
                        "tt_ducpho",
                        "Đồng ý gia hạn; đề nghị báo cáo tiến độ hằng tuần.",
                    ),
                ),
            ),
            ItemSpec(
                "II.2",
                "Sửa chữa, thay thế bóng đèn chiếu sáng công cộng bị hư hỏng trên các tuyến "
                "đường liên tổ dân phố trong 20 ngày làm việc; báo cáo kết quả về Thường trực "
                "HĐND phường.",
                lead="kthtdt-duc-pho",
                accountable="ubnd-duc-pho",
                deadline=None,
                period={"working_days": 20},
            ),
        ),
    )


def demo_notices(today: Date) -> tuple[NoticeSpec, ...]:
    return (*NOTICES_2024, *recent_notices(today))


@dataclass(frozen=True)
class _Bodies:
    councils: dict[str, Council]
    committees: dict[str, Committee]
    accounts: dict[str, User]
    sittings: dict[str, Sitting]


@transaction.atomic
def demo_load(*, today: Date | None = None) -> DemoResult:
    """Create whatever part of the demo is missing; what already exists is left as it is.
    The escalation sweep then runs once, so overdue cases show the rung they have reached."""
    today = today or timezone.localdate()
    councils = _ensure_councils()
    committees = _ensure_committees(councils)
    agencies = _ensure_agencies(councils)
    seed_agency_aliases()
    bodies = _Bodies(
        councils=councils,
        committees=committees,
        accounts=_ensure_accounts(councils, committees, agencies),
        sittings=_ensure_sittings(councils, today),
    )
    new = [_load_notice(s, bodies) for s in demo_notices(today) if not _notice_exists(s)]
    escalate_due()
    return _result(today, new_notices=len(new), accounts=len(bodies.accounts))


def _ensure_councils() -> dict[str, Council]:
    councils: dict[str, Council] = {}
    for spec in COUNCILS:
        councils[spec.code], _ = Council.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "level": spec.level,
                "place": spec.place,
                "parent": councils.get(spec.parent),
                "valid_from": spec.valid_from,
            },
        )
    return councils


def _ensure_committees(councils: dict[str, Council]) -> dict[str, Committee]:
    return {
        spec.code: Committee.objects.get_or_create(
            code=spec.code,
            defaults={"council": councils[spec.council], "kind": spec.kind, "name": spec.name},
        )[0]
        for spec in COMMITTEES
    }


def _ensure_agencies(councils: dict[str, Council]) -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for spec in AGENCIES:
        agencies[spec.code], _ = Agency.objects.get_or_create(
            code=spec.code,
            defaults={
                "council": councils[spec.council],
                "kind": spec.kind,
                "name": spec.name,
                "short_name": spec.short_name,
                "parent": agencies.get(spec.parent),
            },
        )
    return agencies


def _ensure_accounts(
    councils: dict[str, Council],
    committees: dict[str, Committee],
    agencies: dict[str, Agency],
) -> dict[str, User]:
    accounts: dict[str, User] = {}
    for spec in ACCOUNTS:
        accounts[spec.username] = user = _ensure_user(spec)
        if spec.role:
            Membership.objects.get_or_create(
                user=user,
                role=spec.role,
                council=councils[spec.council],
                committee=committees.get(spec.committee),
                agency=agencies.get(spec.agency),
                defaults={"is_head": spec.is_head},
            )
    return accounts


def _ensure_user(spec: AccountSpec) -> User:
    user, created = User.objects.get_or_create(
        username=spec.username,
        defaults={
            "first_name": spec.family,
            "last_name": spec.given,
            "is_staff": spec.is_superuser,
            "is_superuser": spec.is_superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _ensure_sittings(councils: dict[str, Council], today: Date) -> dict[str, Sitting]:
    return {
        spec.name: Sitting.objects.get_or_create(
            council=councils[spec.council], name=spec.name, defaults={"opens_on": spec.opens_on}
        )[0]
        for spec in demo_sittings(today)
    }


def _notice_exists(spec: NoticeSpec) -> bool:
    return ConclusionNotice.objects.filter(
        council__code=spec.council, number=spec.number, issue_year=spec.issue_date.year
    ).exists()


def _load_notice(spec: NoticeSpec, bodies: _Bodies) -> ConclusionNotice:
    notice = notice_register(
        council=bodies.councils[spec.council],
        number=spec.number,
        issue_date=spec.issue_date,
        title=spec.title,
        source_kind=spec.source_kind,
        tracking_committee=bodies.committees[spec.committee],
        recommendations=[_recommendation_input(item, bodies) for item in spec.items],
        signer=spec.signer,
        actor=bodies.accounts[spec.registrar],
    )
    issued = notice_issue(notice=notice, actor=bodies.accounts[spec.issuer])
    cases = {case.recommendation.anchor: case for case in issued}
    ConclusionNotice.objects.filter(pk=notice.pk).update(created_at=_moment(spec.issue_date, 0))
    for item in spec.items:
        _play(cases[item.anchor], item.steps, bodies.accounts)
        _backdate(cases[item.anchor], spec.issue_date, item.steps)
    return notice


def _recommendation_input(item: ItemSpec, bodies: _Bodies) -> RecommendationInput:
    period = item.period
    if item.before_sitting:
        period = {"sitting": bodies.sittings[item.before_sitting].pk}
    return RecommendationInput(
        anchor=item.anchor,
        text=item.text,
        lead_agency_codes=[item.lead],
        coordinating_agency_codes=list(item.coordinating),
        deadline=item.deadline,
        deadline_spec=period,
        accountable_code=item.accountable,
        tracking_committee=bodies.committees.get(item.committee),
    )


def _play(case: Case, steps: Sequence[Step], accounts: dict[str, User]) -> None:
    for step in steps:
        _take(step, Case.objects.get(pk=case.pk), accounts[step.actor])


def _take(step: Step, case: Case, actor: User) -> None:
    if step.action == COMMENT:
        case_comment(case=case, actor=actor, text=step.text)
    elif step.action == EXTEND:
        extension_request(
            case=case,
            actor=actor,
            requested_until=cast(Date, step.until),
            reason=step.text,
            letter_number=step.letter,
        )
    elif step.action == APPROVE:
        pending = case.extensions.get(status=Extension.Status.PENDING)
        extension_decide(extension=pending, actor=actor, approve=True, note=step.text)
    else:
        case_transition(
            case=case,
            actor=actor,
            action=step.action,
            note="" if step.action == Action.REPORT else step.text,
            outcome=step.outcome,
            report=_report(step),
        )


def _report(step: Step) -> ReportInput | None:
    if step.action != Action.REPORT:
        return None
    return ReportInput(text=step.text, letter_number=step.letter, letter_date=step.on)


def _backdate(case: Case, issued: Date, steps: Sequence[Step]) -> None:
    """Move the timestamps the services wrote to "now" back to the days the story gives."""
    opened = _moment(issued, 0)
    stamped = [(_moment(step.on, i), step) for i, step in enumerate(steps, start=1)]

    def at(action: str) -> list[datetime.datetime]:
        return [stamp for stamp, step in stamped if step.action == action]

    _restamp(case.events.order_by("id"), "created_at", [opened, *(t for t, _ in stamped)])
    _restamp(case.reports.order_by("id"), "created_at", at(Action.REPORT))
    _restamp(case.extensions.order_by("id"), "requested_at", at(EXTEND))
    _restamp(case.extensions.exclude(decided_at=None).order_by("id"), "decided_at", at(APPROVE))
    is_closed = Case.objects.filter(pk=case.pk, state=CaseState.CLOSED).exists()
    Case.objects.filter(pk=case.pk).update(
        opened_at=opened,
        updated_at=stamped[-1][0] if stamped else opened,
        closed_at=at(Action.CLOSE)[-1] if is_closed else None,
    )


def _restamp(queryset: QuerySet, field_name: str, stamps: Sequence[datetime.datetime]) -> None:
    if connection.vendor == "postgresql":  # the event log lets only history imports restamp
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL dondoc.import_history = 'on'")
    ids = list(queryset.values_list("id", flat=True))
    for pk, stamp in zip(ids, stamps, strict=True):
        queryset.model.objects.filter(pk=pk).update(**{field_name: stamp})


def _moment(day: Date, index: int) -> datetime.datetime:
    """A time of the working day; later steps on the same day come later."""
    naive = datetime.datetime.combine(day, datetime.time(8, 0)) + datetime.timedelta(
        minutes=40 * index
    )
    return timezone.make_aware(naive)


def _result(today: Date, *, new_notices: int, accounts: int) -> DemoResult:
    open_cases = Case.objects.exclude(state=CaseState.CLOSED)
    return DemoResult(
        new_notices=new_notices,
        notices=ConclusionNotice.objects.count(),
        cases=Case.objects.count(),
        overdue=open_cases.filter(deadline__lt=today).count(),
        accounts=accounts,
    )
