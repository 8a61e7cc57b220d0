"""The demo's resolution register, its "Lắng nghe và Trao đổi" episode with hotline questions
and the council's own task (fixtures/demo/resolutions.yaml, programmes.yaml), written through
the streams' services; loading again adds nothing (found again by number, date and code)."""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from conclusions.models import Agency, Committee, ConclusionNotice, Council, Membership
from conclusions.services import RecommendationInput, notice_register
from resolutions.models import Evaluation, Programme, Resolution
from resolutions.services import (
    ItemInput,
    evaluation_record,
    programme_create,
    programme_notice,
    question_add,
    resolution_register,
)
from workflow.eventlog import event_log_unlocked
from workflow.models import Case, CaseEvent, CaseState, ProgressReport
from workflow.services import ReportInput, case_transition, notice_issue

FOLDER = Path(settings.BASE_DIR) / "fixtures" / "demo"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _read(name: str) -> dict:
    return yaml.safe_load((FOLDER / name).read_text(encoding="utf-8"))


def load_streams(password: str) -> int:
    """Everything of both files that is missing; returns how many notices it issued."""
    before = ConclusionNotice.objects.count()
    _load_register(_read("resolutions.yaml"))
    data = _read("programmes.yaml")
    council = Council.objects.get(code=data["council"])
    _load_programme(council, data["programme"])
    _load_task(council, data["task"], password)
    return ConclusionNotice.objects.count() - before


def _load_register(data: dict) -> None:
    council = Council.objects.get(code=data["council"])
    committee = Committee.objects.get(code=data["committee"])
    evaluator = User.objects.get(username=data["evaluator"])
    office = Membership.objects.filter(council=council, role="office_clerk").first().user
    for row in data["resolutions"]:
        if Resolution.objects.filter(council=council, number=row["number"]).exists():
            continue
        resolution = resolution_register(
            council=council,
            number=row["number"],
            adopted_on=row["date"],
            title=row["title"],
            kind=row["kind"],
            sector=row["field"],
            lead_agency_code=row["lead"],
            committee=committee,
            in_force_from=row["date"],
            items=[_item(item) for item in row.get("items", ())],
            actor=office,
        )
        for case in Case.objects.filter(notice_id=resolution.notice_id):
            _backdate(case, row["date"])
        if not Evaluation.objects.filter(resolution=resolution).exists():
            evaluation_record(
                resolution=resolution,
                as_of=data["evaluated_on"],
                effect=row["effect"],
                note=row.get("note", ""),
                actor=evaluator,
            )


def _item(raw: dict) -> ItemInput:
    return ItemInput(
        kind=raw["kind"], text=raw["text"], deadline=datetime.date.fromisoformat(raw["deadline"])
    )


def _load_programme(council: Council, data: dict) -> None:
    committee = Committee.objects.get(code=data["committee"])
    if Programme.objects.filter(council=council, aired_on=data["date"]).exists():
        return
    office = User.objects.get(username=data["recorder"])
    programme = programme_create(
        committee=committee,
        aired_on=data["date"],
        topic=data["topic"],
        agency_codes=data["agencies"],
        actor=office,
    )
    for q in data["questions"]:
        question_add(
            programme=programme,
            received_at=datetime.datetime.fromisoformat(q["at"]).replace(tzinfo=TZ),
            text=q["text"],
            locality=q.get("locality", ""),
            answered_live=q.get("live", False),
            agency_code=q["agency"],
            caller_consent=q.get("consent", False),
            caller_name=q.get("name", ""),
            caller_phone=q.get("phone", ""),
            actor=office,
        )
    spec = data["notice"]
    notice = programme_notice(
        programme=programme,
        number=spec["number"],
        issue_date=spec["issue_date"],
        deadline=spec["deadline"],
        actor=office,
    )
    notice_issue(notice=notice, actor=User.objects.get(username=spec["issuer"]))
    for answer in data["answered_later"]:
        case = Case.objects.get(notice=notice, recommendation__anchor=str(answer["position"]))
        _answer(case, answer["report"], answer["reviewer"])
    for case in Case.objects.filter(notice=notice):
        steps = next(
            (
                a["steps"]
                for a in data["answered_later"]
                if case.recommendation.anchor == str(a["position"])
            ),
            (),
        )
        _backdate(case, spec["issue_date"], steps)


def _answer(case: Case, text: str, reviewer: str, outcome: str = "implemented") -> None:
    officer = Membership.objects.filter(agency=case.agency).first().user
    case_transition(case=case, actor=officer, action="start")
    case_transition(
        case=Case.objects.get(pk=case.pk),
        actor=officer,
        action="report",
        report=ReportInput(text=text, self_assessment="done"),
    )
    case_transition(
        case=Case.objects.get(pk=case.pk),
        actor=User.objects.get(username=reviewer),
        action="close",
        outcome=outcome,
    )


def _load_task(council: Council, data: dict, password: str) -> None:
    body_spec, member_spec, spec = data["body"], data["member"], data["notice"]
    body, _ = Agency.objects.get_or_create(
        code=body_spec["code"],
        defaults={
            "council": council,
            "name": body_spec["name"],
            "kind": Agency.Kind.COUNCIL_BODY,
            "committee": Committee.objects.get(code=body_spec["committee"]),
        },
    )
    member, created = User.objects.get_or_create(
        username=member_spec["username"],
        defaults={"first_name": member_spec["family"], "last_name": member_spec["given"]},
    )
    if created:
        member.set_password(password)
        member.save(update_fields=["password"])
    Membership.objects.get_or_create(
        user=member, role=Membership.Role.AGENCY_OFFICER, council=council, agency=body
    )
    if ConclusionNotice.objects.filter(council=council, number=spec["number"]).exists():
        return
    item = data["item"]
    notice = notice_register(
        council=council,
        number=spec["number"],
        issue_date=spec["issue_date"],
        title=spec["title"],
        source_kind="listen_and_discuss",
        tracking_committee=Committee.objects.get(code=spec["committee"]),
        recommendations=[
            RecommendationInput(
                anchor=item["anchor"],
                text=item["text"],
                lead_agency_codes=[body.code],
                deadline_spec=item["period"],
                deadline_phrase=item["phrase"],
            )
        ],
        actor=User.objects.get(username=spec["registrar"]),
    )
    [case] = notice_issue(notice=notice, actor=User.objects.get(username=spec["issuer"]))
    _answer(case, item["report"], spec["issuer"])
    _backdate(case, spec["issue_date"], item["steps"])


def _backdate(case: Case, opened: datetime.date, steps=()) -> None:
    """The timestamps the services wrote "now", moved back to the story's days (opening, then
    start, report and close), as the demo loader does for its notices."""
    stamps = [_moment(opened, 0), *(_moment(day, i) for i, day in enumerate(steps, start=1))]
    ids = list(case.events.order_by("id").values_list("id", flat=True))
    with event_log_unlocked("demo: imported history"):
        for pk, stamp in zip(ids, stamps, strict=True):
            CaseEvent.objects.filter(pk=pk).update(created_at=stamp)
    if len(stamps) > 2:
        ProgressReport.objects.filter(case=case).update(created_at=stamps[2])
    closed = Case.objects.filter(pk=case.pk, state=CaseState.CLOSED).exists()
    Case.objects.filter(pk=case.pk).update(
        opened_at=stamps[0], updated_at=stamps[-1], closed_at=stamps[-1] if closed else None
    )


def _moment(day: datetime.date, index: int) -> datetime.datetime:
    naive = datetime.datetime.combine(day, datetime.time(8, 0))
    return timezone.make_aware(naive + datetime.timedelta(minutes=40 * index))
