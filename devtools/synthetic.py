"""The one builder of synthetic worlds, for the benchmarks, the load test and the tests that
need many cases: a council with numbered committees and agencies, people seated in them, and
cases opened either through the services (every event a real case has) or with one
INSERT … SELECT over generate_series (a million in seconds; PostgreSQL only).

Everything hangs from the council with code `synthetic`. The tools build it in a scratch
database of their own (devtools/scratch.py), never beside real data."""

import datetime
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone

from conclusions.models import (
    Agency,
    Committee,
    ConclusionNotice,
    Council,
    Membership,
    Recommendation,
    SourceKind,
)
from conclusions.services import RecommendationInput, notice_register
from workflow.models import Case, Outcome
from workflow.services import notice_issue

CODE = "synthetic"
AGENCIES = 1000  # the most agencies build_cases spreads its cases over
PER_NOTICE = 100  # recommendations per notice when cases open through the services

_CASE_INDEXES = """
SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
FROM pg_index i
WHERE i.indrelid = 'workflow_case'::regclass
  AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid)
"""
_INSERT_OPEN_CASES = """
INSERT INTO workflow_case (recommendation_id, notice_id, council_id, committee_id, agency_id,
    state, outcome, deadline, original_deadline, deadline_explanation, escalation_level,
    next_escalation_at, ladder_cycle, extension_pending, opened_at, updated_at, decision)
SELECT (%(recs)s::bigint[])[g / %(width)s + 1], %(notice)s, %(council)s, %(committee)s,
       (%(agencies)s::bigint[])[g %% %(width)s + 1], 'in_progress', '', d, d, '{}', 0,
       CASE WHEN g < %(due)s THEN %(now)s - interval '1 minute'
            ELSE %(now)s + make_interval(days => 1 + g %% 300) END,
       0, false, %(now)s, %(now)s, ''
FROM generate_series(0, %(cases)s - 1) AS g,
     LATERAL (SELECT CASE WHEN g < %(due)s THEN %(today)s::date + 10 - g %% 90
                          ELSE %(today)s::date + 60 + g %% 300 END AS d) AS deadline
"""

# Deadlines a year around today, some overdue, some due soon; two in five closed (a share of
# them late), spread over the committees; some overdue cases high on the ladder.
_INSERT_CASES_IN_EVERY_STATE = """
INSERT INTO workflow_case (recommendation_id, notice_id, council_id, committee_id, agency_id,
    state, outcome, deadline, original_deadline, deadline_explanation, escalation_level,
    next_escalation_at, ladder_cycle, extension_pending, opened_at, updated_at, closed_at,
    decision)
SELECT (%(recs)s::bigint[])[g / %(width)s + 1], %(notice)s, %(council)s,
       (%(committees)s::bigint[])[g %% cardinality(%(committees)s::bigint[]) + 1],
       (%(agencies)s::bigint[])[g %% %(width)s + 1], s.state,
       CASE WHEN s.state = 'closed' THEN (%(outcomes)s::text[])[g %% 6 + 1] ELSE '' END,
       dl.d, dl.d, '{}',
       CASE WHEN s.state <> 'closed' AND dl.d < %(today)s::date THEN g %% 9 ELSE 0 END,
       NULL, 0, false,
       (dl.d - 90 + g %% 60)::timestamp AT TIME ZONE %(tz)s, %(now)s,
       CASE WHEN s.state = 'closed'
            THEN (dl.d + (g %% 11) - 7 + time '10:00')::timestamp AT TIME ZONE %(tz)s END,
       ''
FROM generate_series(0, %(cases)s - 1) AS g,
     LATERAL (SELECT CASE WHEN g %% 10 < 4 THEN 'closed' WHEN g %% 10 = 4 THEN 'reported'
                          WHEN g %% 10 < 8 THEN 'in_progress' ELSE 'assigned' END AS state) AS s,
     LATERAL (SELECT CASE WHEN s.state = 'closed'
                          THEN %(today)s::date - 10 - ((g::bigint * 7919) %% 300)::int
                          ELSE %(today)s::date - 150 + ((g::bigint * 7919) %% 350)::int
                     END AS d) AS dl
"""
# One open case in two hundred asks for more time.
_INSERT_PENDING_EXTENSIONS = """
INSERT INTO workflow_extension (case_id, requested_by_id, requested_at, requested_until, reason,
    letter_number, deadline_at_request, status, decision_note)
SELECT id, %(user)s, %(now)s, deadline + 30, 'Thử tải', '', deadline, 'pending', ''
FROM workflow_case
WHERE council_id = %(council)s AND state <> 'closed' AND deadline IS NOT NULL AND id %% 199 = 7
"""
# The cases' own flag of a request waiting for a decision (workflow/extensions.py sets it).
MARK_UNDECIDED = """
UPDATE workflow_case SET extension_undecided = true
WHERE id IN (SELECT case_id FROM workflow_extension WHERE status = 'pending')
"""


@dataclass(frozen=True)
class World:
    council: Council
    committees: Sequence[Committee]
    agencies: Sequence[Agency]


def build_world(*, agencies: int = 1, committees: int = 1) -> World:
    council = Council.objects.create(
        code=CODE, name="HĐND tỉnh (thử tải)", level=Council.Level.PROVINCE, place="Thử tải"
    )
    return World(
        council=council,
        committees=Committee.objects.bulk_create(
            Committee(
                council=council,
                code=f"{CODE}-ban-{i}",
                name=f"Ban thử tải {i}",
                kind=Committee.Kind.LEGAL,
            )
            for i in range(1, committees + 1)
        ),
        agencies=Agency.objects.bulk_create(
            Agency(
                council=council,
                code=f"{CODE}-so-{i}",
                name=f"Sở thử tải {i}",
                kind=Agency.Kind.DEPARTMENT,
            )
            for i in range(1, agencies + 1)
        ),
    )


def seat_people(world: World, *, role: str, per_body: int = 1) -> list[User]:
    """`per_body` people with `role` in each agency (officers), each committee (members) or
    the council (any other role), named `<body code>-<n>`. They sign in with a token or a
    forced login, never a password."""
    bodies = {
        Membership.Role.AGENCY_OFFICER: world.agencies,
        Membership.Role.COMMITTEE_MEMBER: world.committees,
    }.get(role, [world.council])
    seats = [(body, n) for body in bodies for n in range(per_body)]
    users = User.objects.bulk_create(
        User(username=f"{body.code}-{n}", password=make_password(None)) for body, n in seats
    )
    Membership.objects.bulk_create(
        Membership(user=user, role=role, council=world.council, **_seat_of(body))
        for user, (body, _n) in zip(users, seats, strict=True)
    )
    return users


def _seat_of(body: Council | Committee | Agency) -> dict:
    if isinstance(body, Committee):
        return {"committee": body}
    if isinstance(body, Agency):
        return {"agency": body}
    return {}


def open_cases(world: World, count: int) -> list[Case]:
    """`count` cases opened as a real intake opens them (notice_register, notice_issue), each
    led by the next agency and tracked by the next committee in turn."""
    cases: list[Case] = []
    for first in range(0, count, PER_NOTICE):
        items = [
            RecommendationInput(
                anchor=f"{i + 1}",
                text=f"Kiến nghị thử tải số {i + 1}.",
                lead_agency_codes=[world.agencies[i % len(world.agencies)].code],
                tracking_committee=world.committees[i % len(world.committees)],
                deadline_spec={"working_days": 30},
            )
            for i in range(first, min(first + PER_NOTICE, count))
        ]
        notice = notice_register(
            council=world.council,
            number=f"{first // PER_NOTICE + 1}/TB-TT",
            issue_date=timezone.localdate(),
            title="Thông báo thử tải",
            source_kind=SourceKind.THEMATIC_SUPERVISION,
            tracking_committee=world.committees[0],
            recommendations=items,
        )
        cases += notice_issue(notice=notice)
    return cases


@transaction.atomic
def build_cases(*, cases: int, due: int, now: datetime.datetime | None = None) -> World:
    """A world of `cases` open cases over up to AGENCIES agencies, the first `due` of them
    with a rung of the ladder due at `now`, the others due within a year."""
    now = now or timezone.now()
    world = build_world(agencies=min(cases, AGENCIES) or 1)
    params = {**_notice_for_rows(world, cases, now), "due": due}
    with bulk_cases(), connection.cursor() as cursor:
        cursor.execute(_INSERT_OPEN_CASES, params)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE workflow_case")
    return world


@transaction.atomic
def build_cases_in_every_state(*, cases: int, committees: int, now: datetime.datetime) -> World:
    """A world of `cases` cases in every state (see _INSERT_CASES_IN_EVERY_STATE) over up to
    AGENCIES agencies, some with a pending extension, and one Standing Committee member."""
    world = build_world(agencies=min(cases, AGENCIES) or 1, committees=committees)
    [standing] = seat_people(world, role=Membership.Role.STANDING)
    params = {
        **_notice_for_rows(world, cases, now),
        "committees": [committee.pk for committee in world.committees],
        "tz": settings.TIME_ZONE,
        "outcomes": list(Outcome.values),
        "user": standing.pk,
    }
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_CASES_IN_EVERY_STATE, params)
        cursor.execute(_INSERT_PENDING_EXTENSIONS, params)
        cursor.execute(MARK_UNDECIDED)
        cursor.execute("ANALYZE workflow_case")
        cursor.execute("ANALYZE workflow_extension")
    return world


@contextmanager
def bulk_cases(log=None) -> Iterator[None]:
    """For rows made consistent by their builder: drop the case table's indexes (but those of
    its constraints) and build them again once the rows are in, one sort per index instead of
    millions of insertions into each, and check no foreign key row by row meanwhile."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(_CASE_INDEXES)
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET session_replication_role")
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for name, definition in indexes:
                cursor.execute(definition)
                if log:
                    log(f"… index {name}")


def _notice_for_rows(world: World, cases: int, now: datetime.datetime) -> dict:
    """One issued notice with a recommendation for every `width` cases (one per agency);
    returns what the INSERT … SELECT statements need to hang their rows on it."""
    width = len(world.agencies)
    notice = ConclusionNotice.objects.create(
        council=world.council,
        number="1/TB-THU",
        issue_date=timezone.localdate(now),
        issue_year=timezone.localdate(now).year,
        title="Thử tải",
        source_kind=SourceKind.THEMATIC_SUPERVISION,
        tracking_committee=world.committees[0],
        status=ConclusionNotice.Status.ISSUED,
    )
    recommendations = Recommendation.objects.bulk_create(
        Recommendation(
            notice=notice,
            position=i,
            anchor=f"{i}",
            text="Kiến nghị thử tải",
            search_key="kien nghi thu tai",
            tracking_committee=world.committees[0],
        )
        for i in range(-(-cases // width))
    )
    return {
        "recs": [recommendation.pk for recommendation in recommendations],
        "agencies": [agency.pk for agency in world.agencies],
        "width": width,
        "notice": notice.pk,
        "council": world.council.pk,
        "committee": world.committees[0].pk,
        "cases": cases,
        "now": now,
        "today": timezone.localdate(now),
    }
