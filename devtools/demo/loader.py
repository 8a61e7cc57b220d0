"""Load the demo world of fixtures/demo: today's Cần Thơ city council with its committees and
departments, a recent notice dated a few weeks before today, and some of its ward and commune
councils with their own notices; the 2024 history of Hậu Giang (the notices after the three
"Lắng nghe và Trao đổi" programmes) carried into Cần Thơ by the recorded successions of 2025;
and a ward council of Quảng Ngãi with one notice.

Notices and successions are played in the order of their days: the 2024 notices under Hậu
Giang's bodies, then the mergers (`succession_record`, the people's seats carried over), then
the notices of today's bodies. Notices go through `notice_register` and `notice_issue`; cases
move through `case_transition` and the extension services, so every case carries the event
timeline a real one would. Only the timestamps are moved back afterwards, to the dates the
story gives. Loading again creates nothing that already exists: bodies by code, accounts by
username, notices by council, number and year."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from conclusions.models import (
    Agency,
    Committee,
    ConclusionNotice,
    Council,
    DocumentSetting,
    Membership,
    Sitting,
    Succession,
    Term,
)
from conclusions.selectors import forget_roles
from conclusions.services import RecommendationInput, notice_register
from devtools.demo.aliases import seed_agency_aliases
from devtools.demo.briefings import load_briefings
from devtools.demo.fixtures import (
    AccountSpec,
    DemoWorld,
    ItemSpec,
    NoticeSpec,
    Step,
    SuccessionSpec,
    demo_world,
)
from devtools.demo.petitions import load_petitions
from devtools.demo.streams import load_streams
from workflow.decisions import case_decide
from workflow.escalation import escalate_due
from workflow.eventlog import event_log_unlocked
from workflow.extensions import extension_decide, extension_request
from workflow.models import Case, CaseEvent, CaseState, EventKind, Extension
from workflow.services import (
    ReportInput,
    case_comment,
    case_transition,
    notice_issue,
    report_stamps,
)
from workflow.successions import succession_record
from workflow.transitions import Action

DEMO_PASSWORD = "demo"
# The steps of a story that are not transitions of the case.
COMMENT = "comment"
EXTEND = "extension_request"
APPROVE = "extension_approve"

Date = datetime.date


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
    world = demo_world(today)
    councils = _ensure_councils(world)
    committees = _ensure_committees(world, councils)
    agencies = _ensure_agencies(world, councils)
    seed_agency_aliases()
    _ensure_documents(world, councils, committees)
    for term in world.terms:
        Term.objects.get_or_create(
            council=councils[term.council],
            name=term.name,
            defaults={"starts_on": term.starts_on, "ends_on": term.ends_on},
        )
    bodies = _Bodies(
        councils=councils,
        committees=committees,
        accounts=_ensure_accounts(world, councils, committees, agencies),
        sittings=_ensure_sittings(world, councils),
    )
    new = [spec for spec in world.notices if not _notice_exists(spec)]
    streams = _play_in_order(world, new, bodies)
    escalate_due()  # climbs the ladder and drafts the letters its rungs call for
    for spec in new:
        _decide(spec, bodies)
    load_briefings(today)
    return _result(today, new_notices=len(new) + streams, accounts=len(bodies.accounts))


def _play_in_order(world: DemoWorld, new: Sequence[NoticeSpec], bodies: _Bodies) -> int:
    """The notices and the mergers in the order of their days; the streams' Hậu Giang history
    (resolutions, a programme, the council's own task, all of 2021–2024) just before the first
    merger. Returns how many notices the streams issued."""
    successions, streams = list(world.successions), None

    def merge(succession: SuccessionSpec) -> None:
        nonlocal streams
        if streams is None:
            streams = _load_streams()
        _ensure_succession(succession, bodies)

    for spec in new:
        while successions and successions[0].day <= spec.issue_date:
            merge(successions.pop(0))
        _load_notice(spec, bodies)
    for succession in successions:
        merge(succession)
    streams = streams if streams is not None else _load_streams()
    return streams + load_petitions(after_mergers=True)  # Cần Thơ's, with its communes


def _load_streams() -> int:
    """Resolutions, a programme, the council's own task, two rounds of voter petitions."""
    return load_streams(DEMO_PASSWORD) + load_petitions()


def _ensure_councils(world: DemoWorld) -> dict[str, Council]:
    councils: dict[str, Council] = {}
    for spec in world.councils:
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


def _ensure_committees(world: DemoWorld, councils: dict[str, Council]) -> dict[str, Committee]:
    return {
        spec.code: Committee.objects.get_or_create(
            code=spec.code,
            defaults={"council": councils[spec.council], "kind": spec.kind, "name": spec.name},
        )[0]
        for spec in world.committees
    }


def _ensure_agencies(world: DemoWorld, councils: dict[str, Council]) -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for spec in world.agencies:
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


def _ensure_documents(
    world: DemoWorld, councils: dict[str, Council], committees: dict[str, Committee]
) -> None:
    for spec in world.documents:
        DocumentSetting.objects.get_or_create(
            council=councils[spec.council],
            committee=committees.get(spec.committee),
            kind=spec.kind,
            defaults={
                "capacity": "\n".join(spec.capacity),
                "signer": spec.signer,
                "recipients": "\n".join(spec.recipients),
            },
        )


def _ensure_accounts(
    world: DemoWorld,
    councils: dict[str, Council],
    committees: dict[str, Committee],
    agencies: dict[str, Agency],
) -> dict[str, User]:
    accounts: dict[str, User] = {}
    for spec in world.accounts:
        accounts[spec.username] = user = _ensure_user(spec)
        if seat := spec.seat:
            Membership.objects.get_or_create(
                user=user,
                role=seat.role,
                council=councils[seat.council],
                committee=committees.get(seat.committee),
                agency=agencies.get(seat.agency),
                defaults={"is_head": seat.head},
            )
    return accounts


def _ensure_user(spec: AccountSpec) -> User:
    user, created = User.objects.get_or_create(
        username=spec.username,
        defaults={
            "first_name": spec.family,
            "last_name": spec.given,
            "is_staff": spec.superuser,
            "is_superuser": spec.superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _ensure_sittings(world: DemoWorld, councils: dict[str, Council]) -> dict[str, Sitting]:
    return {
        spec.name: Sitting.objects.get_or_create(
            council=councils[spec.council], name=spec.name, defaults={"opens_on": spec.opens_on}
        )[0]
        for spec in world.sittings
    }


def _ensure_succession(spec: SuccessionSpec, bodies: _Bodies) -> None:
    """Record the merger unless it is there; its transfers are dated on its day."""
    model = Council if spec.kind == Succession.Kind.COUNCIL else Agency
    if model.objects.filter(code__in=spec.predecessors, successor__isnull=False).exists():
        return
    succession = succession_record(
        actor=bodies.accounts["admin"],
        kind=spec.kind,
        from_codes=list(spec.predecessors),
        to_code=spec.to,
        on=spec.day,
        basis=spec.basis,
        carry_memberships=spec.carry_memberships,
    )
    transfers = CaseEvent.objects.filter(kind=EventKind.TRANSFERRED, data__succession=succession.pk)
    with event_log_unlocked("demo: a merger on its day"):
        transfers.update(created_at=_moment(spec.day, 0))
    for user in bodies.accounts.values():
        forget_roles(user)  # their seats moved


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
    ConclusionNotice.objects.filter(pk=notice.pk).update(created_at=_moment(spec.issue_date, 0))
    for item in spec.items:
        # An item to "UBND các xã, phường" opened a case per commune: each plays the story.
        for case in (c for c in issued if c.recommendation.anchor == item.anchor):
            _play(case, item.steps, bodies.accounts)
            _backdate(case, spec.issue_date, item.steps)
    return notice


def _decide(spec: NoticeSpec, bodies: _Bodies) -> None:
    """The Standing Committee's decisions on the notice's cases that reached its rung."""
    for item in spec.items:
        if item.decision is None:
            continue
        case = Case.objects.get(
            notice__council__code=spec.council,
            notice__number=spec.number,
            notice__issue_year=spec.issue_date.year,
            recommendation__anchor=item.anchor,
        )
        decision = item.decision
        case_decide(
            case=case,
            actor=bodies.accounts[decision.by],
            decision=decision.decision,
            sitting=bodies.sittings[decision.sitting] if decision.sitting else None,
            until=decision.until,
            note=decision.text,
        )


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
        _take(step, Case.objects.get(pk=case.pk), accounts[step.by])


def _take(step: Step, case: Case, actor: User) -> None:
    if step.do == COMMENT:
        case_comment(case=case, actor=actor, text=step.text)
    elif step.do == EXTEND:
        extension_request(
            case=case,
            actor=actor,
            requested_until=cast(Date, step.until),
            reason=step.text,
            letter_number=step.letter,
        )
    elif step.do == APPROVE:
        pending = case.extensions.get(status=Extension.Status.PENDING)
        extension_decide(extension=pending, actor=actor, approve=True, note=step.text)
    else:
        case_transition(
            case=case,
            actor=actor,
            action=step.do,
            note="" if step.do == Action.REPORT else step.text,
            outcome=step.outcome,
            report=_report(step),
        )


def _report(step: Step) -> ReportInput | None:
    if step.do != Action.REPORT:
        return None
    return ReportInput(text=step.text, letter_number=step.letter, letter_date=step.date)


def _backdate(case: Case, issued: Date, steps: Sequence[Step]) -> None:
    """Move the timestamps the services wrote to "now" back to the days the story gives."""
    opened = _moment(issued, 0)
    stamped = [(_moment(step.date, i), step) for i, step in enumerate(steps, start=1)]

    def at(action: str) -> list[datetime.datetime]:
        return [stamp for stamp, step in stamped if step.do == action]

    with event_log_unlocked("demo: imported history"):
        _restamp(case.events.order_by("id"), "created_at", [opened, *(t for t, _ in stamped)])
    _restamp(case.reports.order_by("id"), "created_at", at(Action.REPORT))
    _restamp(case.extensions.order_by("id"), "requested_at", at(EXTEND))
    _restamp(case.extensions.exclude(decided_at=None).order_by("id"), "decided_at", at(APPROVE))
    is_closed = Case.objects.filter(pk=case.pk, state=CaseState.CLOSED).exists()
    reported = at(Action.REPORT)
    Case.objects.filter(pk=case.pk).update(
        opened_at=opened,
        updated_at=stamped[-1][0] if stamped else opened,
        closed_at=at(Action.CLOSE)[-1] if is_closed else None,
        # The agency is judged on time or late by the day it reported, the committee by the
        # day it should have reviewed that report by (workflow/definitions).
        **(report_stamps(case, reported[-1]) if reported else {}),
    )


def _restamp(queryset: QuerySet, field_name: str, stamps: Sequence[datetime.datetime]) -> None:
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
