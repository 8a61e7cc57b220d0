"""Successions (the 2025 mergers): the open cases of the predecessors move to the successor in
one transaction, one `case.transferred` event each; closed cases stay; predecessors become
read-only history; memberships follow only when asked; a succession that would leave a case
without an owner committee is refused with nothing written."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conclusions.models import Agency, Committee, Membership, SourceKind, Succession
from conclusions.services import RecommendationInput, notice_register
from tests.helpers import api_client, committed
from tests.world import ISSUED
from workflow.errors import CaseConflict, CaseForbidden, CaseInvalid
from workflow.models import Case, CaseEvent, CaseState, EventKind, Outcome
from workflow.selectors import cases_visible_to, takes_part_in
from workflow.services import ReportInput, case_transition, notice_issue
from workflow.successions import succession_preview, succession_record

ON = datetime.date(2026, 11, 1)
BASIS = "Nghị định 45/2025/NĐ-CP"


def _cases_led_by(w, code: str, count: int, number: str = "40/TB-HĐND") -> list[Case]:
    notice = notice_register(
        council=w.council,
        number=number,
        issue_date=ISSUED,
        title="Kết luận giám sát",
        source_kind=SourceKind.THEMATIC_SUPERVISION,
        tracking_committee=w.ktns,
        recommendations=[
            RecommendationInput(
                anchor=f"I.{i}",
                text=f"Kiến nghị {i}",
                lead_agency_codes=[code],
                deadline=datetime.date(2026, 12, 31),
            )
            for i in range(1, count + 1)
        ],
        actor=w.vanphong,
    )
    return notice_issue(notice=notice, actor=w.thuongtruc)


def _close(w, case: Case, officer, committee) -> Case:
    for action, kwargs in (
        ("start", {}),
        ("report", {"report": ReportInput(text="Đã xong")}),
    ):
        case_transition(case=Case.objects.get(pk=case.pk), actor=officer, action=action, **kwargs)
    return case_transition(
        case=Case.objects.get(pk=case.pk),
        actor=committee,
        action="close",
        outcome=Outcome.IMPLEMENTED,
    )


@pytest.fixture
def admin(db):
    return User.objects.create_superuser("quantri", password="demo")


@pytest.fixture
def noi_vu(world):
    return Agency.objects.create(
        council=world.council, code="so-nv", name="Sở Nội vụ", kind="department", parent=world.ubnd
    )


def _agency_merger(admin, **kwargs):
    arguments = {
        "actor": admin,
        "kind": "agency",
        "from_codes": ["so-ldtbxh"],
        "to_code": "so-nv",
        "on": ON,
        "basis": BASIS,
    }
    return succession_record(**arguments | kwargs)


def test_it_moves_exactly_the_open_cases_and_writes_one_transferred_event_each(
    world, admin, noi_vu
):
    cases = _cases_led_by(world, "so-ldtbxh", 3)
    closed = _close(world, cases[0], world.so_ldtbxh, world.ban_ktns)
    with committed():
        succession = _agency_merger(admin)
    open_ids = {world.case.pk, cases[1].pk, cases[2].pk}
    assert succession.moved_cases == 3
    assert set(Case.objects.filter(agency=noi_vu).values_list("pk", flat=True)) == open_ids
    assert Case.objects.get(pk=closed.pk).agency_id == world.ldtbxh.pk
    events = CaseEvent.objects.filter(kind=EventKind.TRANSFERRED)
    assert sorted(events.values_list("case_id", flat=True)) == sorted(open_ids)
    event = events.get(case=world.case)
    assert event.data | {} == event.data
    assert (event.data["from_agency"], event.data["to_agency"]) == (world.ldtbxh.pk, noi_vu.pk)
    assert (event.data["on"], event.data["basis"]) == (ON.isoformat(), BASIS)
    assert event.from_state == event.to_state == CaseState.ASSIGNED
    world.ldtbxh.refresh_from_db()
    assert (world.ldtbxh.successor, world.ldtbxh.is_active) == (noi_vu, False)
    assert world.ldtbxh.valid_to == ON - datetime.timedelta(days=1)
    # Deadlines already issued do not move.
    assert Case.objects.get(pk=cases[1].pk).deadline == datetime.date(2026, 12, 31)


def test_the_successor_also_answers_for_and_coordinates_what_its_predecessors_did(world, admin):
    finance = Agency.objects.create(
        council=world.council, code="so-tc-moi", name="Sở Tài chính (mới)", kind="department"
    )
    succession_record(
        actor=admin, kind="agency", from_codes=["so-khdt"], to_code="so-tc-moi", on=ON, basis=BASIS
    )
    case = Case.objects.get(pk=world.case.pk)
    assert list(case.coordinating_agencies.all()) == [finance]


def test_the_preview_tells_what_would_move_and_writes_nothing(world, admin, noi_vu):
    _cases_led_by(world, "so-ldtbxh", 2)
    plan = succession_preview(
        actor=admin, kind="agency", from_codes=["so-ldtbxh"], to_code="so-nv", on=ON
    )
    assert plan.json()["open_cases"] == 3
    assert plan.json()["moves"] == [{"from": "so-ldtbxh", "to": "so-nv", "cases": 3}]
    assert not Succession.objects.exists()
    assert not CaseEvent.objects.filter(kind=EventKind.TRANSFERRED).exists()


def test_a_succession_costs_one_update_per_predecessor_whatever_the_number_of_cases(
    world, admin, noi_vu
):
    _cases_led_by(world, "so-ldtbxh", 40)
    with CaptureQueriesContext(connection) as queries:
        succession = _agency_merger(admin)
    moves = [q for q in queries if q["sql"].startswith('UPDATE "workflow_case" SET agency_id')]
    assert succession.moved_cases == 41
    assert len(moves) == 1
    assert len(queries) < 40


def test_a_council_succession_hands_each_case_to_the_successors_committee_of_its_kind(world, admin):
    ct = world.other_council
    ct_vhxh = Committee.objects.create(
        council=ct, code="ct-vhxh", name="Ban VH-XH Cần Thơ", kind="culture_society"
    )
    succession_record(
        actor=admin,
        kind="council",
        from_codes=["hau-giang"],
        to_code="can-tho",
        on=datetime.date(2025, 7, 1),
        basis="Nghị quyết 202/2025/QH15",
    )
    case = Case.objects.get(pk=world.case.pk)
    assert (case.council, case.committee) == (ct, ct_vhxh)
    event = case.events.get(kind=EventKind.TRANSFERRED)
    assert event.data["from_committee"] == world.vhxh.pk
    assert event.data["from_name"] == "HĐND tỉnh Hậu Giang"


def test_it_is_refused_if_a_case_would_have_no_owner_committee_and_nothing_is_written(world, admin):
    before = Case.objects.get(pk=world.case.pk)
    with pytest.raises(CaseConflict) as refused:
        succession_record(
            actor=admin,
            kind="council",
            from_codes=["hau-giang"],
            to_code="can-tho",
            on=ON,
            basis=BASIS,
        )
    assert "Ban theo dõi" in refused.value.messages()["vi"]
    assert "committee" in refused.value.messages()["en"].lower()
    assert Case.objects.get(pk=world.case.pk).council_id == before.council_id
    assert not Succession.objects.exists()
    world.council.refresh_from_db()
    assert world.council.successor is None


def test_closed_cases_stay_with_the_predecessor_as_read_only_history(world, admin, noi_vu):
    closed = _close(world, world.case, world.so_ldtbxh, world.ban_vhxh)
    _agency_merger(admin)
    with pytest.raises(CaseConflict):
        case_transition(
            case=Case.objects.get(pk=closed.pk), actor=world.thuongtruc, action="reopen"
        )
    assert Case.objects.get(pk=closed.pk).state == CaseState.CLOSED


def test_memberships_follow_only_when_the_admin_says_so(world, admin, noi_vu):
    _agency_merger(admin)
    assert not Membership.objects.filter(agency=noi_vu).exists()
    finance = Agency.objects.create(
        council=world.council, code="so-tc-moi", name="Sở Tài chính (mới)", kind="department"
    )
    succession_record(
        actor=admin,
        kind="agency",
        from_codes=["so-khdt", "so-tc"],
        to_code="so-tc-moi",
        on=ON,
        basis=BASIS,
        carry_memberships=True,
    )
    carried = Membership.objects.filter(agency=finance)
    assert set(carried.values_list("user__username", flat=True)) == {"so_khdt", "so_tc"}
    assert all(seat.valid_from == ON for seat in carried)


def test_the_new_officer_acts_on_the_moved_case(world, admin, noi_vu):
    _agency_merger(admin, carry_memberships=True)
    case = case_transition(
        case=Case.objects.get(pk=world.case.pk), actor=world.so_ldtbxh, action="start"
    )
    assert (case.agency, case.state) == (noi_vu, CaseState.IN_PROGRESS)


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"actor": "so_ldtbxh"}, CaseForbidden),
        ({"kind": "province"}, CaseInvalid),
        ({"from_codes": []}, CaseInvalid),
        ({"from_codes": ["khong-co"]}, CaseInvalid),
        ({"to_code": "so-ldtbxh"}, CaseInvalid),
        ({"on": None}, CaseInvalid),
        ({"on": datetime.date(2027, 1, 1)}, CaseInvalid),
        ({"basis": "  "}, CaseInvalid),
        ({"basis": "x" * 301}, CaseInvalid),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_written(world, admin, noi_vu, changes, error):
    if changes.get("actor"):
        changes["actor"] = User.objects.get(username=changes["actor"])
    with pytest.raises(error):
        _agency_merger(admin, **changes)
    assert not Succession.objects.exists()
    assert Case.objects.get(pk=world.case.pk).agency_id == world.ldtbxh.pk


def test_a_body_already_succeeded_is_not_succeeded_again(world, admin, noi_vu):
    _agency_merger(admin)
    with pytest.raises(CaseConflict):
        _agency_merger(admin)
    assert Succession.objects.count() == 1


# ----------------------------------------------------------------------------------- API


def test_the_api_records_a_succession_for_a_superuser(world, admin, noi_vu):
    body = {"kind": "agency", "from": ["so-ldtbxh"], "to": "so-nv", "on": "2026-11-01"}
    response = api_client(admin).post(
        "/api/v1/successions/", body | {"basis": BASIS}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["moved_cases"] == 1
    assert response.json()["from"] == ["so-ldtbxh"]
    assert Case.objects.get(pk=world.case.pk).agency == noi_vu


def test_the_api_previews_without_writing(world, admin, noi_vu):
    body = {"kind": "agency", "from": ["so-ldtbxh"], "to": "so-nv", "on": "2026-11-01"}
    response = api_client(admin).post("/api/v1/successions/preview/", body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["open_cases"] == 1
    assert not Succession.objects.exists()


@pytest.mark.parametrize(
    ("user", "body", "status"),
    [
        ("thuongtruc", {}, 403),
        ("admin", {"kind": "council"}, 409),
        ("admin", {"on": "01/11/2026x"}, 400),
        ("admin", {"from": "so-ldtbxh"}, 400),
        ("admin", {"basis": ""}, 400),
    ],
)
def test_the_api_refuses_in_both_languages_and_writes_nothing(
    world, admin, noi_vu, user, body, status
):
    base = {
        "kind": "agency",
        "from": ["so-ldtbxh"],
        "to": "so-nv",
        "on": "2026-11-01",
        "basis": BASIS,
    }
    if body.get("kind") == "council":
        base |= {"from": ["hau-giang"], "to": "can-tho"}
    actor = admin if user == "admin" else User.objects.get(username=user)
    response = api_client(actor).post("/api/v1/successions/", base | body, format="json")
    assert response.status_code == status, response.json()
    assert response.json()["detail"] and response.json()["detail_en"]
    assert response.json()["detail"] != response.json()["detail_en"]
    assert not Succession.objects.exists()


# --------------------------------------------------------------------------------- admin


def test_the_admin_previews_then_records_a_succession(world, admin, noi_vu, client):
    client.force_login(admin)
    form = {
        "kind": "agency",
        "on": "01/11/2026",
        "basis": BASIS,
        "from_agencies": [world.ldtbxh.pk],
        "to_agency": noi_vu.pk,
        "preview_only": "on",
    }
    url = "/admin/conclusions/succession/add/"
    page = client.post(url, form).content.decode()
    assert "Xem trước: 1 hồ sơ đang mở sẽ được chuyển" in page
    assert not Succession.objects.exists()
    del form["preview_only"]
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Succession.objects.get().moved_cases == 1
    assert Case.objects.get(pk=world.case.pk).agency == noi_vu


def test_a_carried_seat_replaces_the_old_one_which_still_sees_the_history(world, admin, noi_vu):
    closed = _close(world, world.case, world.so_ldtbxh, world.ban_vhxh)
    open_case = _cases_led_by(world, "so-ldtbxh", 1)[0]
    _agency_merger(admin, carry_memberships=True)
    old, new = Membership.objects.filter(user=world.so_ldtbxh).order_by("id")
    assert (old.agency, old.valid_to) == (world.ldtbxh, ON - datetime.timedelta(days=1))
    assert (new.agency, new.valid_from, new.valid_to) == (noi_vu, ON, None)
    officer = User.objects.get(pk=world.so_ldtbxh.pk)
    seen = set(cases_visible_to(officer).values_list("pk", flat=True))
    assert {closed.pk, open_case.pk} <= seen
    assert not takes_part_in(Case.objects.get(pk=closed.pk), officer)
