"""The demo's voter petitions (fixtures/demo/petitions.yaml): two rounds of the Hậu Giang
council and one of Cần Thơ's (its commune petitions sent to phường Vị Thanh's own council),
written through the petitions' services, answers moved through `case_transition` and
graded by the committees, repeats confirmed, verdicts recorded; then the timestamps are moved
back to the story's days. Loading again adds nothing (rounds found by sitting, petitions by
text)."""

import datetime
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from conclusions.models import Committee, ConclusionNotice, Council, Membership
from petitions.models import Petition, PetitionRound
from petitions.services import (
    MeetingInput,
    petition_grade,
    petition_mark_repeat,
    petition_register,
    petition_verdict,
    round_open,
)
from workflow.eventlog import event_log_unlocked
from workflow.models import Case, CaseEvent, ProgressReport
from workflow.services import ReportInput, case_transition, report_stamps

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "demo" / "petitions.yaml"


def load_petitions(*, after_mergers: bool = False) -> int:
    """Whatever of the demo's petitions is missing, the rounds of Hậu Giang or (after the
    mergers) of Cần Thơ; returns how many notices it issued (carriers, communes' notices)."""
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    before, entered = ConclusionNotice.objects.count(), {}
    for spec in data["rounds"]:
        if spec.get("after_mergers", False) != after_mergers:
            continue
        council = Council.objects.get(code=spec.get("council", data["council"]))
        office = User.objects.get(username=spec.get("office", data["office"]))
        petition_round = PetitionRound.objects.filter(
            council=council, sitting_name=spec["sitting"]
        ).first()
        if petition_round is None:
            petition_round = _open(council, spec, office)
        for item in spec["petitions"]:
            entered[item["key"]] = _petition(petition_round, item, office, entered)
    return ConclusionNotice.objects.count() - before


def _open(council, spec, office) -> PetitionRound:
    return round_open(
        council=council,
        sitting_name=spec["sitting"],
        answer_deadline=spec["answer_deadline"],
        actor=office,
        opened_on=spec["opened_on"],
        meetings=[MeetingInput(m["date"], m["place"], m["group"]) for m in spec["meetings"]],
    )


def _petition(petition_round, item, office, entered) -> Petition:
    found = Petition.objects.filter(round=petition_round, text=item["text"]).first()
    if found is not None:
        return found
    petition = petition_register(
        round=petition_round,
        text=item["text"],
        locality=item["locality"],
        field=item["field"],
        committee=Committee.objects.get(code=item["committee"]),
        competence=item["competence"],
        meetings=list(petition_round.meetings.all()[:1]),
        lead_agency_codes=item.get("lead", ()),
        coordinating_agency_codes=item.get("coordinating", ()),
        actor=office,
    ).petition
    if "repeat_of" in item:
        petition_mark_repeat(petition=petition, actor=office, first=entered[item["repeat_of"]])
    for case in Case.objects.filter(recommendation_id=petition.recommendation_id):
        _play(petition, case, item.get("steps", {}))
    if "verdict" in item:
        _verdict(petition, item["verdict"], office)
    _restamp_petition(petition, petition_round.opened_on)
    return petition


def _play(petition, case, steps: dict) -> None:
    officer = Membership.objects.filter(agency_id=case.agency_id).first()
    member = Membership.objects.filter(committee_id=case.committee_id).first()
    days = [petition.round.opened_on]
    if "start" in steps:
        case_transition(case=case, actor=officer.user, action="start")
        days.append(steps["start"])
    if "report" in steps:
        report = ReportInput(text="Đã xem xét, trả lời kiến nghị bằng văn bản.")
        case_transition(case=case, actor=officer.user, action="report", report=report)
        days.append(steps["report"])
    if "outcome" in steps:
        petition_grade(petition=petition, case=case, actor=member.user, outcome=steps["outcome"])
        days.append(steps["grade"])
    _backdate(case, days)


def _verdict(petition, verdict: dict, office) -> None:
    petition_verdict(
        petition=petition, actor=office, accepted=verdict["accepted"], note=verdict["note"]
    )
    Petition.objects.filter(pk=petition.pk).update(verdict_at=_moment(verdict["day"], 0))


def _restamp_petition(petition, day: datetime.date) -> None:
    rows = Petition.objects.filter(pk=petition.pk)
    rows.update(created_at=_moment(day, 0))
    rows.filter(forwarded_at__isnull=False).update(forwarded_at=_moment(day, 0))


def _backdate(case: Case, days: list[datetime.date]) -> None:
    """The timestamps the services wrote "now", moved back to the story's days."""
    stamps = [_moment(day, index) for index, day in enumerate(days)]
    ids = list(case.events.order_by("id").values_list("id", flat=True))
    with event_log_unlocked("demo: imported history"):
        for pk, stamp in zip(ids, stamps, strict=True):
            CaseEvent.objects.filter(pk=pk).update(created_at=stamp)
    reported = stamps[2] if len(stamps) > 2 else None
    if reported:
        ProgressReport.objects.filter(case=case).update(created_at=reported)
    closed = stamps[3] if len(stamps) > 3 else None
    Case.objects.filter(pk=case.pk).update(
        opened_at=stamps[0],
        updated_at=stamps[-1],
        closed_at=closed,
        **(report_stamps(case, reported) if reported else {}),
    )


def _moment(day: datetime.date, index: int) -> datetime.datetime:
    naive = datetime.datetime.combine(day, datetime.time(8, 0))
    return timezone.make_aware(naive + datetime.timedelta(minutes=40 * index))
