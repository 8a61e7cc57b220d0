"""Queries compiled once and run with new values give the ORM's own rows: the seats' query for
every user and day (a seat's dates still count), and a case's row for its page and every
transition, scoped by each user's roles, for every user and case."""

import datetime

from django.contrib.auth.models import User
from django.db import connection

from api.views.cases import _DETAIL_ROW, _detail_rows
from conclusions.models import Committee, Membership, SourceKind
from conclusions.selectors import _SEATS, _seats, roles_of
from conclusions.services import RecommendationInput, notice_register
from tests.notify_servers import add_people
from workflow.models import Case, CaseState
from workflow.selectors import cases_visible_with
from workflow.services import notice_issue

DAY = datetime.date(2026, 11, 24)


def test_compiled_seats_are_the_orms_rows_for_every_user_and_day(world):
    add_people(world)
    seat = Membership.objects.filter(user=world.so_ldtbxh).first()
    seat.valid_from = DAY + datetime.timedelta(days=1)
    seat.save(update_fields=["valid_from"])
    for user in User.objects.all():
        for day in (DAY, DAY + datetime.timedelta(days=1)):
            assert sorted(_SEATS.rows(day=day, user_id=user.pk), key=repr) == sorted(
                _seats(day, user.pk), key=repr
            ), (user.username, day)
    assert _SEATS.rows(day=DAY, user_id=world.so_ldtbxh.pk) == []  # not seated yet
    assert _SEATS.rows(day=seat.valid_from, user_id=world.so_ldtbxh.pk)
    if connection.vendor == "postgresql":
        assert _SEATS._compiled["default"] is not None  # compiled, not the ORM's way


def _seen(case) -> tuple:
    related = (case.notice, case.recommendation, case.agency, case.committee, case.council)
    flags = (case.has_coordinating, case.has_reports, case.has_extensions, case.has_decisions)
    return (
        [(f.attname, getattr(case, f.attname)) for f in Case._meta.concrete_fields],
        [(type(r).__name__, r.pk, str(r)) for r in related],
        flags,
    )


def test_a_cases_row_compiled_once_per_shape_is_the_orms_for_every_user_and_case(world):
    add_people(world)
    User.objects.create_superuser("root", "root@example.org", "x")
    R = Membership.Role  # seats in several bodies: IN lists of several ids, in any order
    for agency in (world.ldtbxh, world.ubnd):
        Membership.objects.create(
            user=world.so_khdt, role=R.AGENCY_OFFICER, council=world.council, agency=agency
        )
    for committee in Committee.objects.filter(council=world.council):
        Membership.objects.get_or_create(
            user=world.ban_ktns, role=R.COMMITTEE_MEMBER, council=world.council, committee=committee
        )
    Case.objects.filter(pk=world.case.pk).update(state=CaseState.CLOSED)
    notice = notice_register(
        council=world.council,
        number="16/TB-HĐND",
        issue_date=DAY,
        title="Kết luận giám sát ngân sách",
        source_kind=SourceKind.THEMATIC_SUPERVISION,
        tracking_committee=world.ktns,
        recommendations=[
            RecommendationInput(
                anchor=anchor,
                text="Báo cáo kết quả.",
                lead_agency_codes=[lead],
                coordinating_agency_codes=coordinating,
                accountable_code="ubnd-tinh",
                deadline=DAY + datetime.timedelta(days=60),
            )
            for anchor, lead, coordinating in [("1", "so-tc", []), ("2", "so-khdt", ["so-tc"])]
        ],
        actor=world.vanphong,
    )
    notice_issue(notice=notice, actor=world.thuongtruc)
    seen = 0
    for user in User.objects.all():
        roles = roles_of(user)
        for case_id in [*Case.objects.values_list("pk", flat=True), 10**15]:
            compiled = _DETAIL_ROW.instances(pk=case_id, **vars(roles))
            orm = _detail_rows(cases_visible_with(roles)).filter(pk=case_id)
            assert [_seen(c) for c in compiled] == [_seen(c) for c in orm], (user, case_id)
            seen += len(compiled)
    assert 0 < seen < User.objects.count() * Case.objects.count()  # some see, some do not
    if connection.vendor == "postgresql":
        shapes = [shape for shape, template in _DETAIL_ROW._compiled.items() if template]
        assert len(shapes) >= 3  # compiled, not the ORM's way, for users of several kinds
