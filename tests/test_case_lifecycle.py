"""Every transition of a case, who may make it, and what it leaves behind."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.helpers import move, start_and_report
from workflow.errors import CaseConflict, CaseForbidden, CaseInvalid, CaseNotFound
from workflow.models import Case, CaseEvent, CaseState, Outcome, ProgressReport
from workflow.services import ReportInput, case_comment


def _report(text="Đã mở 12 lớp đào tạo nghề cho 360 lao động.", files=()):
    return ReportInput(
        text=text,
        letter_number="245/SLĐTBXH-VP",
        letter_date=datetime.date(2026, 9, 20),
        files=files,
    )


def test_a_new_case_is_assigned_to_the_lead_agency_and_logged(world):
    case = world.case
    assert (case.state, case.agency, case.committee) == ("assigned", world.ldtbxh, world.vhxh)
    assert list(case.coordinating_agencies.all()) == [world.khdt]
    assert case.deadline == case.original_deadline == datetime.date(2026, 9, 30)
    assert list(case.events.values_list("kind", "to_state")) == [("case.opened", "assigned")]


def test_the_lead_agency_starts_and_reports_with_evidence(world):
    move(world, world.so_ldtbxh, "start")
    pdf = SimpleUploadedFile("ket-qua.pdf", b"%PDF-1.4 bao cao", content_type="application/pdf")
    case = move(world, world.so_ldtbxh, "report", report=_report(files=[pdf]))
    assert Case.objects.get(pk=case.pk).state == CaseState.REPORTED
    report = ProgressReport.objects.get(case=case)
    assert report.letter_number == "245/SLĐTBXH-VP"
    assert [(e.original_name, e.size) for e in report.evidence.all()] == [("ket-qua.pdf", 16)]
    assert report.evidence.get().file.read() == b"%PDF-1.4 bao cao"
    assert list(case.events.values_list("kind", "actor__username", "from_state", "to_state")) == [
        ("case.opened", "thuongtruc", "", "assigned"),
        ("case.started", "so_ldtbxh", "assigned", "in_progress"),
        ("case.reported", "so_ldtbxh", "in_progress", "reported"),
    ]
    # The event carries what the figures read "as of" a day (workflow/definitions.py).
    data = case.events.last().data
    assert (data["report_id"], data["self_assessment"]) == (report.pk, "")
    assert data["deadline"] == "2026-09-30"
    assert data["review_due"] == Case.objects.get(pk=case.pk).review_due.isoformat()


def test_the_committee_closes_with_a_graded_outcome(world):
    start_and_report(world, _report())
    case = move(world, world.ban_vhxh, "close", outcome=Outcome.PARTIALLY)
    case.refresh_from_db()
    assert (case.state, case.outcome) == ("closed", "partially")
    assert case.closed_at is not None
    assert case.events.last().data == {"outcome": "partially"}


def test_the_committee_returns_a_report_with_a_reason(world):
    start_and_report(world, _report())
    case = move(world, world.ban_vhxh, "return", note="Chưa có số liệu theo từng huyện.")
    event = case.events.last()
    assert (Case.objects.get(pk=case.pk).state, event.kind) == ("in_progress", "case.returned")
    assert event.note == "Chưa có số liệu theo từng huyện."


def test_the_standing_committee_reopens_a_closed_case(world):
    start_and_report(world, _report())
    move(world, world.ban_vhxh, "close", outcome=Outcome.IMPLEMENTED)
    case = move(world, world.thuongtruc, "reopen", note="Cử tri tiếp tục phản ánh.")
    case.refresh_from_db()
    assert (case.state, case.outcome, case.closed_at) == ("in_progress", "", None)


@pytest.mark.parametrize(
    ("actor", "action"),
    [
        ("so_khdt", "start"),  # coordinating agency may comment, not act
        ("ban_vhxh", "start"),  # the committee does not do the agency's work
        ("thuongtruc", "start"),
        ("vanphong", "start"),
    ],
)
def test_only_the_lead_agency_may_start(world, actor, action):
    with pytest.raises((CaseForbidden, CaseNotFound)):
        move(world, getattr(world, actor), action)
    assert Case.objects.get(pk=world.case.pk).state == "assigned"
    assert world.case.events.count() == 1


def test_a_coordinating_agency_trying_to_report_is_forbidden(world):
    move(world, world.so_ldtbxh, "start")
    with pytest.raises(CaseForbidden) as refusal:
        move(world, world.so_khdt, "report", report=_report())
    assert "không có quyền" in refusal.value.messages()["vi"]
    assert "not allowed" in refusal.value.messages()["en"]
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("actor", ["so_ldtbxh", "ban_ktns", "thuongtruc"])
def test_only_the_owning_committee_closes(world, actor):
    start_and_report(world, _report())
    with pytest.raises((CaseForbidden, CaseNotFound)):
        move(world, getattr(world, actor), "close", outcome=Outcome.IMPLEMENTED)
    assert Case.objects.get(pk=world.case.pk).state == "reported"


def test_only_the_standing_committee_reopens(world):
    start_and_report(world, _report())
    move(world, world.ban_vhxh, "close", outcome=Outcome.IMPLEMENTED)
    with pytest.raises(CaseForbidden):
        move(world, world.ban_vhxh, "reopen")
    assert Case.objects.get(pk=world.case.pk).state == "closed"


@pytest.mark.parametrize(
    ("actor", "action"),
    [
        ("so_ldtbxh", "report"),
        ("ban_vhxh", "close"),
        ("ban_vhxh", "return"),
        ("thuongtruc", "reopen"),
    ],
)
def test_an_illegal_transition_is_a_conflict_and_writes_nothing(world, actor, action):
    with pytest.raises(CaseConflict) as refusal:
        move(
            world,
            getattr(world, actor),
            action,
            note="x",
            outcome="implemented",
            report=_report(),
        )
    assert "Đã giao" in refusal.value.messages()["vi"]
    assert Case.objects.get(pk=world.case.pk).state == "assigned"
    assert CaseEvent.objects.count() == 1
    assert not ProgressReport.objects.exists()


def test_closing_needs_an_outcome_and_returning_needs_a_reason(world):
    start_and_report(world, _report())
    with pytest.raises(CaseInvalid):
        move(world, world.ban_vhxh, "close", outcome="")
    with pytest.raises(CaseInvalid):
        move(world, world.ban_vhxh, "close", outcome="excellent")
    with pytest.raises(CaseInvalid):
        move(world, world.ban_vhxh, "return", note="   ")
    assert Case.objects.get(pk=world.case.pk).state == "reported"
    assert world.case.events.count() == 3


def test_a_report_without_text_or_with_a_forbidden_file_writes_nothing(world):
    move(world, world.so_ldtbxh, "start")
    with pytest.raises(CaseInvalid):
        move(world, world.so_ldtbxh, "report", report=_report(text=" "))
    script = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(CaseInvalid) as refusal:
        move(world, world.so_ldtbxh, "report", report=_report(files=[script]))
    assert "virus.exe" in refusal.value.messages()["vi"]
    assert Case.objects.get(pk=world.case.pk).state == "in_progress"
    assert not ProgressReport.objects.exists()


def test_an_oversized_evidence_file_is_refused(world, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    move(world, world.so_ldtbxh, "start")
    big = SimpleUploadedFile("bao-cao.pdf", b"x" * 11, content_type="application/pdf")
    with pytest.raises(CaseInvalid) as refusal:
        move(world, world.so_ldtbxh, "report", report=_report(files=[big]))
    assert "quá lớn" in refusal.value.messages()["vi"]
    assert not ProgressReport.objects.exists()


def test_an_unknown_action_is_invalid(world):
    with pytest.raises(CaseInvalid):
        move(world, world.so_ldtbxh, "delete")


def test_a_user_who_cannot_see_the_case_gets_not_found(world):
    with pytest.raises(CaseNotFound):
        move(world, world.so_tc, "start")
    with pytest.raises(CaseNotFound):
        move(world, world.outsider, "start")


def test_the_coordinating_agency_comments_and_the_outsider_cannot(world):
    case_comment(case=world.case, actor=world.so_khdt, text="Sở KH&ĐT đã bố trí vốn 2027.")
    assert world.case.events.last().kind == "case.commented"
    with pytest.raises(CaseNotFound):
        case_comment(case=world.case, actor=world.so_tc, text="xem")
    with pytest.raises(CaseInvalid):
        case_comment(case=world.case, actor=world.so_khdt, text="   ")


def test_the_state_field_cannot_be_set_by_hand(world):
    with pytest.raises(AttributeError):
        world.case.state = CaseState.CLOSED


def test_decomposed_vietnamese_is_stored_precomposed(world):
    move(world, world.so_ldtbxh, "start")
    decomposed = "Đa\u0303 hoa\u0300n tha\u0300nh"  # "Đã hoàn thành" typed with combining marks
    move(world, world.so_ldtbxh, "report", report=_report(text=decomposed))
    assert ProgressReport.objects.get().text == "Đã hoàn thành"
