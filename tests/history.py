"""A spring and summer of follow-up in the named world, played day by day through the real
services with the clock moved (time-machine), the escalation sweep running every morning.

Ten cases under two notices, each with a story that a report must read correctly "as of" any
day: closed on time, closed late, saved by an extension, refused an extension, returned and
reported again, closed then reopened then closed late, no deadline at all, an extension
approved after the deadline, an extension still waiting. One more case in another council
must never be counted. tests/figures_by_hand.py recomputes every figure in plain Python from
the case rows, their events and their extensions, independently of the SQL under test."""

import datetime
from collections import defaultdict
from collections.abc import Callable
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from conclusions.models import Agency, Committee, Membership, SourceKind
from conclusions.services import RecommendationInput, notice_register
from tests.figures_by_hand import end_of
from tests.world import NOW, build_world
from workflow.escalation import escalate_due
from workflow.extensions import extension_decide, extension_request
from workflow.models import Case, Extension, Outcome
from workflow.services import ReportInput, case_transition, notice_issue

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date
FIRST_DAY, LAST_DAY = D(2026, 3, 2), D(2026, 7, 31)
# The days the reports are checked on, each a turn in some story.
CHECK_DAYS = (
    D(2026, 4, 12),
    D(2026, 4, 20),
    D(2026, 5, 15),
    D(2026, 6, 18),
    D(2026, 7, 10),
    LAST_DAY,
)


def built_once(name: str, build: Callable[[], object]):
    """A module fixture `name` holding `build()`: built once per test module inside a
    transaction that is rolled back at the end; each test runs in its own savepoint on top of
    it. Built at the world's `NOW`, like the tests that read it (module fixtures come before
    `frozen_clock`)."""

    @pytest.fixture(scope="module", name=name)
    def fixture(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), transaction.atomic():
            with time_machine.travel(NOW, tick=True):
                built = build()
            yield built
            transaction.set_rollback(True)

    return fixture


story = built_once("story", lambda: build_history(build_world()))


@pytest.fixture(name="history")
def story_history(story, db):
    """The story, for a test that runs in its own savepoint on top of it."""
    return story


@pytest.fixture(name="world")
def story_world(history):
    """The world the story was played in, in place of a fresh one."""
    return history.world


def at(day: datetime.date, hour: int = 9, minute: int = 0):
    moment = datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)
    return time_machine.travel(moment, tick=False)


def _items(*specs) -> list[RecommendationInput]:
    return [
        RecommendationInput(
            anchor=anchor,
            text=f"Kiến nghị {anchor}: {text}",
            lead_agency_codes=[lead],
            coordinating_agency_codes=coordinating,
            deadline=deadline,
        )
        for anchor, text, lead, coordinating, deadline in specs
    ]


def build_history(w) -> SimpleNamespace:
    """Plays the stories on top of `build_world()`; returns the cases by name."""
    h = SimpleNamespace(world=w)
    with at(FIRST_DAY, 8):
        n1 = notice_register(
            council=w.council,
            number="21/TB-HĐND",
            issue_date=FIRST_DAY,
            title="Kết luận giám sát về giáo dục nghề nghiệp",
            source_kind=SourceKind.LISTEN_AND_DISCUSS,
            tracking_committee=w.vhxh,
            recommendations=_items(
                ("I.1", "đúng hạn", "so-ldtbxh", [], D(2026, 4, 15)),
                ("I.2", "đóng muộn", "so-khdt", [], D(2026, 4, 15)),
                ("I.3", "được gia hạn", "so-tc", [], D(2026, 4, 15)),
                ("I.4", "không làm gì", "so-ldtbxh", [], D(2026, 4, 15)),
                ("I.5", "bị trả lại", "so-khdt", [], D(2026, 5, 20)),
            ),
            actor=w.vanphong,
        )
        a, b, c, d, e = notice_issue(notice=n1, actor=w.thuongtruc)
    with at(D(2026, 3, 16), 8):
        n2 = notice_register(
            council=w.council,
            number="34/TB-HĐND",
            issue_date=D(2026, 3, 16),
            title="Kết luận giám sát chuyên đề về ngân sách",
            source_kind=SourceKind.THEMATIC_SUPERVISION,
            tracking_committee=w.ktns,
            recommendations=_items(
                ("II.1", "gia hạn bị từ chối", "so-tc", ["so-khdt"], D(2026, 5, 15)),
                ("II.2", "đóng, mở lại, đóng muộn", "so-ldtbxh", [], D(2026, 6, 30)),
                ("II.3", "thường xuyên", "so-khdt", [], None),
                ("II.4", "gia hạn sau thời hạn", "so-tc", [], D(2026, 6, 10)),
                ("II.5", "gia hạn chờ quyết định", "so-ldtbxh", [], D(2026, 6, 19)),
            ),
            actor=w.vanphong,
        )
        f, g, hh, i, j = notice_issue(notice=n2, actor=w.thuongtruc)
    h.cases = dict(zip("abcdefghij", (a, b, c, d, e, f, g, hh, i, j), strict=True))
    h.notices = (n1, n2)
    h.foreign = _foreign_case(w)
    _play(w, h.cases, _stories(w))
    return h


def _foreign_case(w) -> Case:
    """A case of another council, overdue all along: no report here may count it."""
    committee = Committee.objects.create(
        council=w.other_council, code="ct-ban-ktns", name="Ban KT-NS Cần Thơ", kind="economy_budget"
    )
    Agency.objects.create(
        council=w.other_council, code="ct-so-tc", name="Sở Tài chính Cần Thơ", kind="department"
    )
    with at(FIRST_DAY, 8):
        notice = notice_register(
            council=w.other_council,
            number="5/TB-HĐND",
            issue_date=FIRST_DAY,
            title="Kết luận của HĐND thành phố Cần Thơ",
            source_kind=SourceKind.THEMATIC_SUPERVISION,
            tracking_committee=committee,
            recommendations=_items(("1", "ở nơi khác", "ct-so-tc", [], D(2026, 3, 31))),
            actor=w.other_thuongtruc,
        )
        [case] = notice_issue(notice=notice, actor=w.other_thuongtruc)
    return case


Step = tuple[datetime.date, str, Callable]


def step(w, action: str, actor: str | None = None, *, report=None, **kwargs) -> Callable:
    """A story's step: `actor` (a name in the world, the case's lead officer if none) makes the
    transition; a report reads "Báo cáo <anchor>" with the fields in `report`."""

    def run(case):
        extra = {}
        if action == "report":
            text = f"Báo cáo {case.recommendation.anchor}"
            extra["report"] = ReportInput(text=text, **(report or {}))
        who = getattr(w, actor) if actor else _lead_officer(w, case)
        case_transition(case=case, actor=who, action=action, **extra, **kwargs)

    return run


def ask_step(w, until: datetime.date, reason: str) -> Callable:
    """A story's step: the case's lead officer asks for an extension until `until`."""
    return lambda case: extension_request(
        case=case, actor=_lead_officer(w, case), requested_until=until, reason=reason
    )


def decide_step(w, approve: bool, **kwargs) -> Callable:
    """A story's step: the Standing Committee decides the case's pending extension."""

    def run(case):
        pending = case.extensions.get(status=Extension.Status.PENDING)
        extension_decide(extension=pending, actor=w.thuongtruc, approve=approve, **kwargs)

    return run


def _stories(w) -> list[tuple[datetime.date, str, Callable]]:
    def move(action, actor, **kwargs):
        return step(w, action, actor, report={"letter_number": "12/BC"}, **kwargs)

    def ask(until):
        return ask_step(w, until, "Chờ kinh phí.")

    def decide(approve):
        return decide_step(w, approve, note="Ý kiến")

    lead = {"a": "so_ldtbxh", "b": "so_khdt", "c": "so_tc", "e": "so_khdt", "f": "so_tc"}
    lead |= {"g": "so_ldtbxh", "h": "so_khdt"}
    start = {k: move("start", v) for k, v in lead.items()}
    report = {k: move("report", v) for k, v in lead.items()}
    vhxh_close = lambda outcome: move("close", "ban_vhxh", outcome=outcome)  # noqa: E731
    ktns_close = lambda outcome: move("close", "ban_ktns", outcome=outcome)  # noqa: E731
    return [
        (D(2026, 3, 5), "a", start["a"]),
        (D(2026, 3, 6), "b", start["b"]),
        (D(2026, 3, 10), "e", start["e"]),
        (D(2026, 3, 20), "g", start["g"]),
        (D(2026, 3, 20), "h", start["h"]),
        (D(2026, 4, 8), "c", ask(D(2026, 6, 10))),
        (D(2026, 4, 10), "a", report["a"]),
        (D(2026, 4, 10), "c", decide(True)),
        (D(2026, 4, 11), "c", start["c"]),
        (D(2026, 4, 14), "a", vhxh_close(Outcome.IMPLEMENTED)),
        (D(2026, 4, 20), "b", report["b"]),
        (D(2026, 4, 22), "b", vhxh_close(Outcome.PARTIALLY)),
        (D(2026, 5, 11), "e", report["e"]),
        (D(2026, 5, 11), "f", ask(D(2026, 7, 31))),
        (D(2026, 5, 13), "e", move("return", "ban_vhxh", note="Thiếu số liệu")),
        (D(2026, 5, 13), "f", decide(False)),
        (D(2026, 5, 14), "f", start["f"]),
        (D(2026, 5, 27), "e", report["e"]),
        (D(2026, 5, 29), "e", vhxh_close(Outcome.NOT_IMPLEMENTED)),
        (D(2026, 6, 1), "i", ask(D(2026, 7, 15))),
        (D(2026, 6, 5), "c", report["c"]),
        (D(2026, 6, 8), "c", vhxh_close(Outcome.EXPLAINED)),
        (D(2026, 6, 10), "g", report["g"]),
        (D(2026, 6, 15), "g", ktns_close(Outcome.ROADMAP)),
        (D(2026, 6, 15), "j", ask(D(2026, 7, 31))),
        (D(2026, 6, 20), "g", move("reopen", "thuongtruc", note="Chưa có kết quả")),
        (D(2026, 6, 25), "f", report["f"]),
        (D(2026, 7, 1), "f", ktns_close(Outcome.FORWARDED)),
        (D(2026, 7, 3), "i", decide(True)),
        (D(2026, 7, 10), "g", report["g"]),
        (D(2026, 7, 20), "g", ktns_close(Outcome.IMPLEMENTED)),
    ]


def more_cases(w, count: int) -> list[Case]:
    """`count` more cases today, over both committees and the three departments, some started
    and some past their deadline: the larger of two data sizes."""
    agencies = ("so-ldtbxh", "so-khdt", "so-tc")
    notice = notice_register(
        council=w.council,
        number="99/TB-HĐND",
        issue_date=timezone.localdate(),
        title="Nhiều kiến nghị",
        source_kind=SourceKind.VOTER_PETITIONS,
        tracking_committee=w.ktns,
        recommendations=[
            RecommendationInput(
                anchor=f"{n}",
                text=f"Kiến nghị số {n}",
                lead_agency_codes=[agencies[n % 3]],
                tracking_committee=w.vhxh if n % 2 else w.ktns,
                deadline=timezone.localdate() + datetime.timedelta(days=10 * (n % 4) + 1),
            )
            for n in range(count)
        ],
        actor=w.vanphong,
    )
    cases = notice_issue(notice=notice, actor=w.thuongtruc)
    for case in cases[::3]:
        case_transition(case=case, actor=_lead_officer(w, case), action="start")
    Case.objects.filter(pk__in=[c.pk for c in cases[1::4]]).update(
        deadline=timezone.localdate() - datetime.timedelta(days=5)
    )
    return cases


def _lead_officer(w, case):
    return {w.ldtbxh.pk: w.so_ldtbxh, w.khdt.pk: w.so_khdt, w.tc.pk: w.so_tc}[case.agency_id]


def _play(w, cases: dict[str, Case], stories) -> None:
    by_day = defaultdict(list)
    for day, name, step in stories:
        by_day[day].append((name, step))
    day = FIRST_DAY
    while day <= LAST_DAY:
        with at(day, 7, 30):
            escalate_due(timezone.now())
        for minute, (name, step) in enumerate(by_day.pop(day, [])):
            with at(day, 9, minute):
                step(Case.objects.get(pk=cases[name].pk))
        day += datetime.timedelta(days=1)
    assert not by_day, "a story step fell outside the played days"


# ---------------------------------------------------------------- independent figures


def status_on(case: Case, day: datetime.date) -> dict | None:
    """Where one case stood at the end of `day` (state, deadline in force), worked out from its
    rows in Python; the figures themselves are counted in tests/figures_by_hand.py."""
    end = end_of(day)
    if case.opened_at >= end:
        return None
    events = sorted(
        (e for e in case.events.all() if e.created_at < end), key=lambda e: (e.created_at, e.pk)
    )
    approved = sorted(
        (x for x in case.extensions.all() if x.status == "approved" and x.decided_at < end),
        key=lambda x: x.decided_at,
    )
    state = events[-1].to_state if events else case.state
    deadline = approved[-1].approved_until if approved else case.original_deadline
    return {"case": case, "state": state, "deadline": deadline}


def visible_cases_in_python(user) -> list[Case]:
    """The cases a user may see, decided in Python from their memberships: the Standing
    Committee and the office see their council's, a committee the cases it owns, an agency
    those it leads or coordinates and, for a People's Committee, those of the agencies under
    it and those it answers for."""
    seats = list(Membership.objects.filter(user=user).select_related("agency"))
    R = Membership.Role
    councils = {m.council_id for m in seats if m.role in (R.STANDING, R.OFFICE_CLERK)}
    committees = {m.committee_id for m in seats if m.committee_id}
    agencies = {m.agency_id for m in seats if m.agency_id}
    overseen = {
        child.pk
        for m in seats
        if m.agency and m.agency.kind == Agency.Kind.PEOPLES_COMMITTEE
        for child in m.agency.children.all()
    }
    cases = Case.objects.select_related("agency", "committee").prefetch_related(
        "events", "extensions", "coordinating_agencies"
    )
    return [
        case
        for case in cases
        if case.council_id in councils
        or case.committee_id in committees
        or case.agency_id in agencies | overseen
        or case.accountable_id in agencies
        or any(a.pk in agencies for a in case.coordinating_agencies.all())
    ]
