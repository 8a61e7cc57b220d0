"""Synthetic cases for the benchmarks and the multi-process tests (PostgreSQL).

Rows are written with one INSERT … SELECT over generate_series, so a million cases take
seconds, not hours. Every bench object lives under the council with code `bench`."""

import datetime

from django.conf import settings
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
)
from workflow.eventlog import event_log_unlocked
from workflow.models import Outcome

AGENCIES = 1000
BENCH_CODE = "bench"

_INSERT_CASES = """
INSERT INTO workflow_case (recommendation_id, notice_id, council_id, committee_id, agency_id,
    state, outcome, deadline, original_deadline, deadline_explanation, escalation_level,
    next_escalation_at, ladder_cycle, extension_pending, opened_at, updated_at)
SELECT (%(recs)s::bigint[])[g / %(width)s + 1], %(notice)s, %(council)s, %(committee)s,
       (%(agencies)s::bigint[])[g %% %(width)s + 1], 'in_progress', '', d, d, '{}', 0,
       CASE WHEN g < %(due)s THEN %(now)s - interval '1 minute'
            ELSE %(now)s + make_interval(days => 1 + g %% 300) END,
       0, false, %(now)s, %(now)s
FROM generate_series(0, %(cases)s - 1) AS g,
     LATERAL (SELECT CASE WHEN g < %(due)s THEN %(today)s::date + 10 - g %% 90
                          ELSE %(today)s::date + 60 + g %% 300 END AS d) AS deadline
"""


# Cases in every state for the dashboard benchmark: deadlines a year around today, some
# overdue, some due soon; two in five closed (a share of them late), spread over committees;
# some overdue cases high on the ladder; one open case in two hundred asks for more time.
_INSERT_SPREAD_CASES = """
INSERT INTO workflow_case (recommendation_id, notice_id, council_id, committee_id, agency_id,
    state, outcome, deadline, original_deadline, deadline_explanation, escalation_level,
    next_escalation_at, ladder_cycle, extension_pending, opened_at, updated_at, closed_at)
SELECT (%(recs)s::bigint[])[g / %(width)s + 1], %(notice)s, %(council)s,
       (%(committees)s::bigint[])[g %% cardinality(%(committees)s::bigint[]) + 1],
       (%(agencies)s::bigint[])[g %% %(width)s + 1], s.state,
       CASE WHEN s.state = 'closed' THEN (%(outcomes)s::text[])[g %% 6 + 1] ELSE '' END,
       dl.d, dl.d, '{}',
       CASE WHEN s.state <> 'closed' AND dl.d < %(today)s::date THEN g %% 9 ELSE 0 END,
       NULL, 0, false,
       (dl.d - 90 + g %% 60)::timestamp AT TIME ZONE %(tz)s, %(now)s,
       CASE WHEN s.state = 'closed'
            THEN (dl.d + (g %% 11) - 7 + time '10:00')::timestamp AT TIME ZONE %(tz)s END
FROM generate_series(0, %(cases)s - 1) AS g,
     LATERAL (SELECT CASE WHEN g %% 10 < 4 THEN 'closed' WHEN g %% 10 = 4 THEN 'reported'
                          WHEN g %% 10 < 8 THEN 'in_progress' ELSE 'assigned' END AS state) AS s,
     LATERAL (SELECT CASE WHEN s.state = 'closed'
                          THEN %(today)s::date - 10 - ((g::bigint * 7919) %% 300)::int
                          ELSE %(today)s::date - 150 + ((g::bigint * 7919) %% 350)::int
                     END AS d) AS dl
"""
_INSERT_PENDING_EXTENSIONS = """
INSERT INTO workflow_extension (case_id, requested_by_id, requested_at, requested_until, reason,
    letter_number, deadline_at_request, status, decision_note)
SELECT id, %(user)s, %(now)s, deadline + 30, 'Thử tải', '', deadline, 'pending', ''
FROM workflow_case
WHERE council_id = %(council)s AND state <> 'closed' AND deadline IS NOT NULL AND id %% 199 = 7
"""
BENCH_COMMITTEES = 4
BENCH_USER = "bench-thuongtruc"


@transaction.atomic
def build_cases(
    *, cases: int, due: int, now: datetime.datetime | None = None, spread: bool = False
) -> Council:
    """`cases` open cases of which the first `due` have a rung due at `now`; with `spread`,
    cases in every state instead (see _INSERT_SPREAD_CASES) and a Standing Committee user,
    `bench_user()`, who sees them all."""
    now = now or timezone.now()
    council, committee, notice = _bench_council()
    width = min(cases, AGENCIES) or 1
    agencies = _agencies(council, width)
    recs = _recommendations(notice, committee, -(-cases // width))
    if spread:
        _spread(council, committee, notice, agencies, recs, cases, now)
        return council
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT_CASES,
            {
                "recs": recs,
                "agencies": agencies,
                "width": width,
                "notice": notice.pk,
                "council": council.pk,
                "committee": committee.pk,
                "due": due,
                "cases": cases,
                "now": now,
                "today": timezone.localdate(now),
            },
        )
        cursor.execute("ANALYZE workflow_case")
    return council


def _spread(council, committee, notice, agencies, recs, cases, now) -> None:
    committees = [committee.pk] + [
        Committee.objects.create(
            council=council, code=f"{BENCH_CODE}-ban-{i}", name=f"Ban thử tải {i}", kind="legal"
        ).pk
        for i in range(1, BENCH_COMMITTEES)
    ]
    user = User.objects.create_user(BENCH_USER)
    Membership.objects.create(user=user, role=Membership.Role.STANDING, council=council)
    params = {
        "recs": recs,
        "agencies": agencies,
        "committees": committees,
        "width": len(agencies),
        "notice": notice.pk,
        "council": council.pk,
        "cases": cases,
        "now": now,
        "today": timezone.localdate(now),
        "tz": settings.TIME_ZONE,
        "outcomes": list(Outcome.values),
        "user": user.pk,
    }
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_SPREAD_CASES, params)
        cursor.execute(_INSERT_PENDING_EXTENSIONS, params)
        cursor.execute("ANALYZE workflow_case")
        cursor.execute("ANALYZE workflow_extension")


def bench_user():
    """The Standing Committee member of the bench council (built with `spread=True`)."""
    return User.objects.get(username=BENCH_USER)


def drop_cases() -> None:
    """Remove every bench object, so a benchmark leaves the database as it found it."""
    council = Council.objects.filter(code=BENCH_CODE).first()
    if council is None:
        User.objects.filter(username=BENCH_USER).delete()
        return
    with event_log_unlocked("bench: synthetic cases"), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM workflow_extension WHERE case_id IN "
            "(SELECT id FROM workflow_case WHERE council_id = %s)",
            [council.pk],
        )
        cursor.execute(
            "DELETE FROM workflow_caseevent WHERE case_id IN "
            "(SELECT id FROM workflow_case WHERE council_id = %s)",
            [council.pk],
        )
        cursor.execute("DELETE FROM workflow_case WHERE council_id = %s", [council.pk])
    Recommendation.objects.filter(notice__council=council).delete()
    ConclusionNotice.objects.filter(council=council).delete()
    Agency.objects.filter(council=council).delete()
    Committee.objects.filter(council=council).delete()
    council.delete()
    User.objects.filter(username=BENCH_USER).delete()


def _bench_council() -> tuple[Council, Committee, ConclusionNotice]:
    council = Council.objects.create(
        code=BENCH_CODE, name="HĐND thử tải", level=Council.Level.PROVINCE, place="Thử tải"
    )
    committee = Committee.objects.create(
        council=council, code=f"{BENCH_CODE}-ban", name="Ban thử tải", kind=Committee.Kind.LEGAL
    )
    notice = ConclusionNotice.objects.create(
        council=council,
        number="1/TB-THU",
        issue_date=datetime.date(2026, 1, 5),
        issue_year=2026,
        title="Thử tải",
        source_kind="thematic_supervision",
        tracking_committee=committee,
        status=ConclusionNotice.Status.ISSUED,
    )
    return council, committee, notice


def _agencies(council: Council, count: int) -> list[int]:
    rows = Agency.objects.bulk_create(
        Agency(
            council=council,
            code=f"{BENCH_CODE}-{i}",
            name=f"Cơ quan {i}",
            kind=Agency.Kind.DEPARTMENT,
        )
        for i in range(count)
    )
    return [a.pk for a in rows]


def _recommendations(notice, committee, count: int) -> list[int]:
    rows = Recommendation.objects.bulk_create(
        Recommendation(
            notice=notice,
            position=i,
            anchor=f"{i}",
            text="Kiến nghị thử tải",
            tracking_committee=committee,
        )
        for i in range(count)
    )
    return [r.pk for r in rows]
