"""Two levels of councils: the province's read-only roll-up of its communes equals each
commune's own dashboard and lists the overdue cases behind each number; a commune's people
never see the province's cases nor another commune's."""

import datetime
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse

from conclusions.models import Agency, Committee, Council, Membership, SourceKind
from conclusions.services import RecommendationInput, notice_register
from reports.communes import commune_rollup
from reports.queries import dashboard_figures
from tests.helpers import detail_url
from tests.world import TODAY
from workflow.models import Case
from workflow.selectors import cases_visible_to
from workflow.services import ReportInput, case_transition, notice_issue

D = datetime.date


def _commune(w, code: str, name: str, deadlines: list[D | None]) -> SimpleNamespace:
    c = SimpleNamespace()
    c.council = Council.objects.create(
        code=code, name=name, level=Council.Level.COMMUNE, place=name, parent=w.council
    )
    c.committee = Committee.objects.create(
        council=c.council, code=f"{code}-ktxh", name="Ban Kinh tế - Xã hội", kind="economy_society"
    )
    c.ubnd = Agency.objects.create(
        council=c.council, code=f"ubnd-{code}", name=f"UBND {name}", kind="peoples_committee"
    )
    c.chair = _seat(f"tt_{code}", Membership.Role.STANDING, c.council)
    c.officer = _seat(f"ubnd_{code}", Membership.Role.AGENCY_OFFICER, c.council, agency=c.ubnd)
    c.member = _seat(f"ban_{code}", Membership.Role.COMMITTEE_MEMBER, c.council, c.committee)
    notice = notice_register(
        council=c.council,
        number="05/TB-HĐND",
        issue_date=D(2026, 6, 1),
        title=f"Kết luận giám sát của HĐND {name}",
        source_kind=SourceKind.THEMATIC_SUPERVISION,
        tracking_committee=c.committee,
        recommendations=[
            RecommendationInput(
                anchor=f"II.{i}", text=f"Kiến nghị {i}", lead_agency_codes=[c.ubnd.code], deadline=d
            )
            for i, d in enumerate(deadlines, start=1)
        ],
        actor=c.chair,
    )
    c.cases = notice_issue(notice=notice, actor=c.chair)
    return c


def _seat(username, role, council, committee=None, agency=None) -> User:
    user = User.objects.create_user(username, password="demo")
    Membership.objects.create(
        user=user, role=role, council=council, committee=committee, agency=agency
    )
    return user


@pytest.fixture
def communes(world):
    a = _commune(world, "vi-thanh", "phường Vị Thanh", [D(2026, 10, 1), D(2026, 11, 2), None])
    b = _commune(world, "vi-thuy", "xã Vị Thủy", [D(2026, 9, 1), D(2026, 12, 31)])
    # One of a's cases done on time, one of b's reported and waiting for review.
    first = a.cases[0]
    for actor, action, extra in (
        (a.officer, "start", {}),
        (a.officer, "report", {"report": ReportInput(text="Xong")}),
        (a.member, "close", {"outcome": "implemented"}),
    ):
        case_transition(case=Case.objects.get(pk=first.pk), actor=actor, action=action, **extra)
    case = Case.objects.get(pk=b.cases[0].pk)
    case_transition(case=case, actor=b.officer, action="start")
    case_transition(
        case=Case.objects.get(pk=case.pk),
        actor=b.officer,
        action="report",
        report=ReportInput(text="Đã làm"),
    )
    return a, b


def test_the_roll_up_counts_equal_each_communes_own_dashboard(world, communes):
    rows = {row.council.code: row for row in commune_rollup(world.council, TODAY)}
    assert set(rows) == {"vi-thanh", "vi-thuy"}
    for commune in communes:
        own = dashboard_figures(cases_visible_to(commune.chair), TODAY).totals
        mine = rows[commune.council.code].counts
        assert (mine.open, mine.in_progress_overdue, mine.closed, mine.on_time_text) == (
            own.open,
            own.in_progress_overdue,
            own.closed,
            own.on_time_text,
        )
    a, b = rows["vi-thanh"].counts, rows["vi-thuy"].counts
    # Its closed case was reported after its deadline: done late, of two cases due.
    assert (a.open, a.in_progress_overdue, a.closed, a.on_time_text, a.due) == (2, 1, 1, "0,0%", 2)
    assert (b.open, b.in_progress_overdue, b.closed) == (2, 0, 0)


def test_the_overdue_cases_behind_each_number_are_listed(world, communes, client):
    a, _b = communes
    overdue = Case.objects.get(pk=a.cases[1].pk)
    rows = {row.council.code: row for row in commune_rollup(world.council, TODAY)}
    assert [case.pk for case in rows["vi-thanh"].overdue] == [overdue.pk]
    client.force_login(world.thuongtruc)
    page = client.get(reverse("reports:communes")).content.decode()
    assert 'data-testid="overdue-vi-thanh"' in page and f'data-case="{overdue.pk}"' in page
    assert 'data-testid="menu-communes"' in page
    assert "Các xã, phường thuộc HĐND tỉnh Hậu Giang" in page


def test_one_overdue_case_reads_in_the_singular_in_english(world, communes, client):
    client.force_login(world.thuongtruc)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("reports:communes")).content.decode()
    assert ": 1 overdue case<" in page
    assert "1 overdue cases" not in page


def test_the_province_only_reads_the_roll_up_it_never_acts_on_a_communes_case(
    world, communes, client
):
    a, _b = communes
    client.force_login(world.thuongtruc)
    assert client.get(detail_url(a.cases[1])).status_code == 404
    assert not cases_visible_to(world.thuongtruc).filter(council=a.council).exists()


@pytest.mark.parametrize("who", ["chair", "officer", "member"])
def test_a_commune_never_sees_the_provinces_cases_nor_another_communes(world, communes, who):
    a, b = communes
    user = getattr(a, who)
    seen = set(cases_visible_to(user).values_list("council__code", flat=True))
    assert seen <= {"vi-thanh"}
    assert not cases_visible_to(user).filter(pk=world.case.pk).exists()
    assert not cases_visible_to(user).filter(council=b.council).exists()


def test_who_holds_no_seat_in_a_province_gets_no_roll_up(world, communes, client):
    a, _b = communes
    for user in (a.chair, world.so_ldtbxh, world.ban_vhxh):
        client.force_login(user)
        response = client.get(reverse("reports:communes"))
        assert response.status_code == 404
    page = client.get(reverse("reports:index")).content.decode()
    assert 'data-testid="menu-communes"' not in page


def test_a_notice_to_ubnd_cac_xa_opens_one_case_per_commune_followed_by_the_province(
    world, communes
):
    a, b = communes
    Agency.objects.create(
        council=world.council,
        code="ubnd-cac-xa",
        name="UBND các xã, phường",
        kind=Agency.Kind.COMMUNE_COMMITTEES,
    )
    notice = notice_register(
        council=world.council,
        number="61/TB-HĐND",
        issue_date=D(2026, 11, 2),
        title="Kết luận giám sát chuyển đổi số cấp xã",
        source_kind=SourceKind.THEMATIC_SUPERVISION,
        tracking_committee=world.vhxh,
        recommendations=[
            RecommendationInput(
                anchor="II.1",
                text="Hoàn thành số hóa hồ sơ thủ tục hành chính cấp xã.",
                lead_agency_codes=["ubnd-cac-xa"],
                deadline=D(2026, 12, 31),
            )
        ],
        actor=world.vanphong,
    )
    cases = notice_issue(notice=notice, actor=world.thuongtruc)
    assert sorted(case.agency.code for case in cases) == ["ubnd-vi-thanh", "ubnd-vi-thuy"]
    assert {(case.council_id, case.committee_id) for case in cases} == {
        (world.council.pk, world.vhxh.pk)
    }
    for commune, other in ((a, b), (b, a)):
        seen = cases_visible_to(commune.officer).filter(notice=notice)
        assert [case.agency for case in seen] == [commune.ubnd]
        assert not cases_visible_to(commune.officer).filter(agency=other.ubnd).exists()
        assert not cases_visible_to(commune.officer).filter(pk=world.case.pk).exists()
    assert cases_visible_to(world.thuongtruc).filter(notice=notice).count() == 2
    started = case_transition(
        case=Case.objects.get(pk=cases[0].pk), actor=a.officer, action="start"
    )
    assert started.state == "in_progress"
