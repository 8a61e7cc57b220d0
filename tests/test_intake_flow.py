"""The notice intake flow through its pages: the office registers, Ban VHXH checks, the
Standing Committee approves, and the cases open by themselves. Roles come from memberships."""

import datetime

import pytest
from django.urls import reverse
from viewflow.workflow import STATUS

from conclusions.models import ConclusionNotice
from intake.flows import IntakeFlow
from intake.item_forms import written_deadline
from intake.models import NoticeIntakeProcess
from tests.helpers import login
from workflow.models import Case

REGISTER = reverse("intake:register:execute")

TRAINING = {
    "anchor": "II.1.a",
    "text": "Rà soát nhu cầu đào tạo nghề cho lao động nông thôn.",
    "lead_agencies": ["so-ldtbxh"],
    "coordinating_agencies": ["so-khdt"],
    "accountable": "ubnd-tinh",
    "deadline": "30/09/2026",
}
FUNDING = {
    "anchor": "II.1.b",
    "text": "Bố trí kinh phí hỗ trợ đào tạo nghề năm 2027.",
    "lead_agencies": ["so-tc", "so-khdt"],
    "deadline": "2026-12-31",
}


def _registration(world, *, number="16/TB-HĐND", items=(TRAINING, FUNDING)) -> dict:
    data = {
        "council": world.council.pk,
        "number": number,
        "issue_date": "10/06/2026",
        "title": "Kết luận giám sát chuyên đề về đào tạo nghề",
        "signer": "Trần Văn Huyến",
        "source_kind": "thematic_supervision",
        "tracking_committee": world.vhxh.pk,
        "rec-TOTAL_FORMS": str(len(items)),
        "rec-INITIAL_FORMS": "0",
        "rec-MIN_NUM_FORMS": "1",
        "rec-MAX_NUM_FORMS": "200",
    }
    for index, item in enumerate(items):
        data.update({f"rec-{index}-{name}": value for name, value in item.items()})
    return data


def _check_data(notice, **changes) -> dict:
    """What the check page posts: each recommendation as stored, with `changes` by anchor."""
    data = {}
    for item in notice.recommendations.all():
        fields = {
            "lead_agencies": [a.code for a in item.lead_agencies.all()],
            "coordinating_agencies": [a.code for a in item.coordinating_agencies.all()],
            "deadline": written_deadline(item),  # as the field shows it
            **changes.get(item.anchor.replace(".", "_"), {}),
        }
        data.update({f"r{item.pk}-{name}": value for name, value in fields.items()})
    return data


def _task(process, node):
    return process.task_set.get(flow_task=node, status__in=[STATUS.NEW, STATUS.ASSIGNED])


def _url(process, node, action: str) -> str:
    return reverse(f"intake:{node.name}:{action}", args=[process.pk, _task(process, node).pk])


def _take(client, user, process, node):
    response = login(client, user).post(_url(process, node, "assign"))
    assert response.status_code == 302


def _registered(client, world) -> NoticeIntakeProcess:
    assert login(client, world.vanphong).post(REGISTER, _registration(world)).status_code == 302
    return NoticeIntakeProcess.objects.get(notice__number="16/TB-HĐND")


def _checked(client, world) -> NoticeIntakeProcess:
    process = _registered(client, world)
    _take(client, world.ban_vhxh, process, IntakeFlow.check)
    response = client.post(_url(process, IntakeFlow.check, "execute"), _check_data(process.notice))
    assert response.status_code == 302
    return process


def test_a_notice_goes_from_registration_to_open_cases(client, world):
    response = login(client, world.vanphong).post(REGISTER, _registration(world))
    assert response.status_code == 302
    notice = ConclusionNotice.objects.get(number="16/TB-HĐND")
    assert notice.status == "draft"
    assert notice.registered_by == world.vanphong
    assert [r.anchor for r in notice.recommendations.all()] == ["II.1.a", "II.1.b"]
    process = NoticeIntakeProcess.objects.get(notice=notice)

    _take(client, world.ban_vhxh, process, IntakeFlow.check)
    page = client.get(_url(process, IntakeFlow.check, "execute"))
    assert page.status_code == 200
    assert "Bố trí kinh phí hỗ trợ đào tạo nghề" in page.content.decode()
    corrections = _check_data(
        notice,
        II_1_a={"deadline": "30/10/2026"},
        II_1_b={"lead_agencies": ["so-tc"], "coordinating_agencies": ["so-khdt"]},
    )
    response = client.post(_url(process, IntakeFlow.check, "execute"), corrections)
    assert response.status_code == 302
    assert not Case.objects.filter(notice=notice).exists()

    _take(client, world.thuongtruc, process, IntakeFlow.approve)
    response = client.post(_url(process, IntakeFlow.approve, "execute"), {"decision": "approve"})
    assert response.status_code == 302

    notice.refresh_from_db()
    assert notice.status == "issued"
    cases = Case.objects.filter(notice=notice).select_related("recommendation", "agency")
    assert {(c.recommendation.anchor, c.agency.code, c.deadline, c.state) for c in cases} == {
        ("II.1.a", "so-ldtbxh", datetime.date(2026, 10, 30), "assigned"),
        ("II.1.b", "so-tc", datetime.date(2026, 12, 31), "assigned"),
    }
    for case in cases:
        assert list(case.events.values_list("kind", "actor")) == [
            ("case.opened", world.thuongtruc.pk)
        ]
    funding = cases.get(recommendation__anchor="II.1.b")
    assert [a.code for a in funding.coordinating_agencies.all()] == ["so-khdt"]
    process.refresh_from_db()
    assert process.status == "DONE"
    assert process.approved


@pytest.mark.parametrize("who", ["so_ldtbxh", "ban_vhxh", "thuongtruc", "outsider", "anonymous"])
def test_only_the_office_clerk_may_start_an_intake(client, world, who):
    refused = 302 if who == "anonymous" else 403  # anonymous visitors are sent to log in
    if who != "anonymous":
        login(client, getattr(world, who))
    assert client.get(REGISTER).status_code == refused
    assert client.post(REGISTER, _registration(world)).status_code == refused
    assert not ConclusionNotice.objects.filter(number="16/TB-HĐND").exists()
    assert not NoticeIntakeProcess.objects.exists()


def test_the_office_clerk_sees_the_registration_form_in_vietnamese(client, world):
    html = login(client, world.vanphong).get(REGISTER).content.decode()
    assert "Vào sổ thông báo kết luận" in html
    assert '"code": "so-ldtbxh"' in html  # the picker's list of the council's agencies
    assert "dd/mm/yyyy" in html
    assert "Ctrl" not in html.replace("không cần giữ Ctrl", "")


def test_another_committee_can_neither_take_nor_do_the_check(client, world):
    # It may not see the process: 404, as for one that does not exist (tests/test_defects.py).
    process = _registered(client, world)
    login(client, world.ban_ktns)
    assert client.post(_url(process, IntakeFlow.check, "assign")).status_code == 404
    assert client.get(_url(process, IntakeFlow.check, "execute")).status_code == 404
    for page in ("process_detail", "process_chart"):
        assert client.get(reverse(f"intake:{page}", args=[process.pk])).status_code == 404

    _take(client, world.ban_vhxh, process, IntakeFlow.check)
    refused = login(client, world.ban_ktns).post(
        _url(process, IntakeFlow.check, "execute"), _check_data(process.notice)
    )
    assert refused.status_code == 404
    task = _task(process, IntakeFlow.check)
    assert (task.status, task.owner) == (STATUS.ASSIGNED, world.ban_vhxh)


def test_the_queue_lists_a_task_only_to_those_who_may_take_it(client, world):
    process = _registered(client, world)
    check_url = _url(process, IntakeFlow.check, "assign").removesuffix("assign/")
    queue = reverse("intake:queue")
    assert check_url in login(client, world.ban_vhxh).get(queue).content.decode()
    assert check_url not in login(client, world.ban_ktns).get(queue).content.decode()
    assert check_url not in login(client, world.vanphong).get(queue).content.decode()
    dashboard = login(client, world.ban_ktns).get(reverse("intake:index"))
    assert dashboard.status_code == 200
    assert check_url not in dashboard.content.decode()


@pytest.mark.parametrize("who", ["vanphong", "ban_vhxh", "tt_cantho"])
def test_only_the_standing_committee_of_the_council_may_approve(client, world, who):
    process = _checked(client, world)
    user = world.other_thuongtruc if who == "tt_cantho" else getattr(world, who)
    refused = 404 if who == "tt_cantho" else 403  # another council does not see the process
    login(client, user)
    assert client.post(_url(process, IntakeFlow.approve, "assign")).status_code == refused
    response = client.post(_url(process, IntakeFlow.approve, "execute"), {"decision": "approve"})
    assert response.status_code == refused
    assert ConclusionNotice.objects.get(pk=process.notice_id).status == "draft"
    assert not Case.objects.filter(notice_id=process.notice_id).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"number": "15/TB-HĐND"}, "Số thông báo 15/TB-HĐND đã được dùng trong năm 2026."),
        (
            {"items": ({**TRAINING, "deadline": "01/06/2026"},)},
            "Thời hạn của kiến nghị II.1.a (01/06/2026) trước ngày ban hành",
        ),
        (
            {"items": ({**TRAINING, "lead_agencies": ["so-khong-co"]},)},
            "Không tìm thấy cơ quan có mã: so-khong-co.",
        ),
        ({"items": ({**TRAINING, "lead_agencies": []},)}, "II.1.a chưa có cơ quan chủ trì"),
        (
            {"items": ({**TRAINING, "deadline": "trong quý V/2026"},)},
            "Không hiểu thời hạn “trong quý V/2026”.",
        ),
        (
            {"items": ({**TRAINING, "deadline": "trong 0 ngày làm việc"},)},
            "Số ngày phải là số nguyên",
        ),
    ],
    ids=[
        "duplicate-number",
        "deadline-before-issue",
        "unknown-agency",
        "no-lead-agency",
        "deadline-not-understood",
        "no-days",
    ],
)
def test_bad_input_shows_a_vietnamese_error_and_writes_nothing(client, world, changes, message):
    response = login(client, world.vanphong).post(REGISTER, _registration(world, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ConclusionNotice.objects.count() == 1  # the world's own notice
    assert not NoticeIntakeProcess.objects.exists()
    assert not IntakeFlow.task_class.objects.filter(process__flow_class=IntakeFlow).exists()


def test_a_refused_correction_keeps_every_recommendation_and_the_task(client, world):
    process = _registered(client, world)
    _take(client, world.ban_vhxh, process, IntakeFlow.check)
    corrections = _check_data(
        process.notice, II_1_a={"deadline": "30/10/2026"}, II_1_b={"deadline": "01/01/2026"}
    )
    response = client.post(_url(process, IntakeFlow.check, "execute"), corrections)
    assert response.status_code == 200
    assert "trước ngày ban hành" in response.content.decode()
    deadlines = process.notice.recommendations.values_list("deadline", flat=True)
    assert list(deadlines) == [datetime.date(2026, 9, 30), datetime.date(2026, 12, 31)]
    assert _task(process, IntakeFlow.check).status == STATUS.ASSIGNED
    assert not process.task_set.filter(flow_task=IntakeFlow.approve).exists()


def test_the_standing_committee_may_send_it_back_with_a_note(client, world):
    process = _checked(client, world)
    _take(client, world.thuongtruc, process, IntakeFlow.approve)
    execute = _url(process, IntakeFlow.approve, "execute")
    without_note = client.post(execute, {"decision": "return", "review_note": ""})
    assert without_note.status_code == 200
    assert "Vui lòng ghi rõ lý do trả lại." in without_note.content.decode()

    note = "Đề nghị Ban xem lại thời hạn mục II.1.b."
    assert client.post(execute, {"decision": "return", "review_note": note}).status_code == 302
    process.refresh_from_db()
    assert (process.approved, process.review_note) == (False, note)
    assert _task(process, IntakeFlow.check).status == STATUS.NEW
    assert ConclusionNotice.objects.get(pk=process.notice_id).status == "draft"
    assert not Case.objects.filter(notice_id=process.notice_id).exists()

    _take(client, world.ban_vhxh, process, IntakeFlow.check)
    page = client.get(_url(process, IntakeFlow.check, "execute")).content.decode()
    assert note in page


def test_anonymous_visitors_of_the_intake_are_asked_to_log_in(client, db):
    response = client.get("/intake/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/intake/")


def test_a_deadline_written_as_working_days_is_counted_when_the_cases_open(client, world):
    ten_days = {**TRAINING, "deadline": "10 ngày làm việc"}
    login(client, world.vanphong).post(REGISTER, _registration(world, items=(ten_days,)))
    notice = ConclusionNotice.objects.get(number="16/TB-HĐND")
    assert notice.recommendations.get().deadline_text == "10 ngày làm việc"
    process = notice.intake_process
    _take(client, world.ban_vhxh, process, IntakeFlow.check)
    client.post(_url(process, IntakeFlow.check, "execute"), _check_data(notice))
    _take(client, world.thuongtruc, process, IntakeFlow.approve)
    client.post(_url(process, IntakeFlow.approve, "execute"), {"decision": "approve"})
    case = Case.objects.get(notice=notice)
    assert case.deadline == datetime.date(2026, 6, 24)  # 10/06 + 10 working days
    assert case.deadline_explanation["rule"] == "working_days"
