"""A small named world, built once per test: one province council and the people in it.

Alice-and-Bob style: `thuongtruc` chairs, `ban_vhxh` owns the labour case, `so_ldtbxh` leads it,
`so_khdt` coordinates it, `ban_ktns` and `so_tc` belong to the council but not to this case,
and `outsider` holds no seat at all.

The world lives at a fixed instant, `NOW`: every test travels there (the autouse `frozen_clock`
fixture in conftest.py), so that no test reads the machine's clock and none starts failing on
some future date."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User

from conclusions.models import Agency, Committee, Council, Membership, SourceKind
from conclusions.services import RecommendationInput, notice_register
from workflow.services import notice_issue

ISSUED = datetime.date(2026, 6, 5)
# Weeks after the world's deadline (30/09/2026), a Tuesday morning after the 07:00 sweep.
NOW = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
TODAY = NOW.date()


def build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    w.council = Council.objects.create(
        code="hau-giang",
        name="HĐND tỉnh Hậu Giang",
        level=Council.Level.PROVINCE,
        place="Hậu Giang",
    )
    w.other_council = Council.objects.create(
        code="can-tho", name="HĐND thành phố Cần Thơ", level=Council.Level.PROVINCE, place="Cần Thơ"
    )
    w.vhxh = Committee.objects.create(
        council=w.council,
        code="ban-vhxh",
        name="Ban Văn hóa - Xã hội",
        kind=Committee.Kind.CULTURE_SOCIETY,
    )
    w.ktns = Committee.objects.create(
        council=w.council,
        code="ban-ktns",
        name="Ban Kinh tế - Ngân sách",
        kind=Committee.Kind.ECONOMY_BUDGET,
    )
    w.ubnd = _agency(w.council, "ubnd-tinh", "Ủy ban nhân dân tỉnh", Agency.Kind.PEOPLES_COMMITTEE)
    w.ldtbxh = _agency(w.council, "so-ldtbxh", "Sở Lao động - Thương binh và Xã hội", parent=w.ubnd)
    w.khdt = _agency(w.council, "so-khdt", "Sở Kế hoạch và Đầu tư", parent=w.ubnd)
    w.tc = _agency(w.council, "so-tc", "Sở Tài chính", parent=w.ubnd)
    R = Membership.Role
    w.thuongtruc = _user("thuongtruc", R.STANDING, w.council)
    w.other_thuongtruc = _user("tt_cantho", R.STANDING, w.other_council)
    w.vanphong = _user("vanphong", R.OFFICE_CLERK, w.council)
    w.ban_vhxh = _user("ban_vhxh", R.COMMITTEE_MEMBER, w.council, committee=w.vhxh)
    w.ban_ktns = _user("ban_ktns", R.COMMITTEE_MEMBER, w.council, committee=w.ktns)
    w.so_ldtbxh = _user("so_ldtbxh", R.AGENCY_OFFICER, w.council, agency=w.ldtbxh)
    w.so_khdt = _user("so_khdt", R.AGENCY_OFFICER, w.council, agency=w.khdt)
    w.so_tc = _user("so_tc", R.AGENCY_OFFICER, w.council, agency=w.tc)
    w.outsider = User.objects.create_user("outsider", password="demo")
    w.notice = notice_register(
        council=w.council,
        number="15/TB-HĐND",
        issue_date=ISSUED,
        title="Kết luận chương trình “Lắng nghe và Trao đổi” về đào tạo nghề, việc làm",
        source_kind=SourceKind.LISTEN_AND_DISCUSS,
        tracking_committee=w.vhxh,
        recommendations=[
            RecommendationInput(
                anchor="II.1.a",
                text="Rà soát nhu cầu đào tạo nghề cho lao động nông thôn.",
                lead_agency_codes=["so-ldtbxh"],
                coordinating_agency_codes=["so-khdt"],
                accountable_code="ubnd-tinh",
                deadline=datetime.date(2026, 9, 30),
            ),
        ],
        actor=w.vanphong,
    )
    [w.case] = notice_issue(notice=w.notice, actor=w.thuongtruc)
    return w


def _agency(council, code, name, kind=Agency.Kind.DEPARTMENT, parent=None) -> Agency:
    return Agency.objects.create(council=council, code=code, name=name, kind=kind, parent=parent)


def _user(username, role, council, committee=None, agency=None) -> User:
    user = User.objects.create_user(username, password="demo")
    Membership.objects.create(
        user=user, role=role, council=council, committee=committee, agency=agency
    )
    return user
