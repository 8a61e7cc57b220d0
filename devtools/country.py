"""A synthetic country: `councils` councils (about 3,400, as in Vietnam: provinces and
communes), each with its committees and agencies, one issued notice and its
recommendations, and `cases` cases in every state, one in a hundred the first council's and
the rest spread evenly over the others, with INSERT … SELECT over generate_series. The first
council is the one the benchmarks look at, with a Standing Committee member, a committee
member and an agency officer seated. PostgreSQL only; built by the tools in a scratch
database of their own (devtools/scratch.py)."""

import datetime
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
from devtools.synthetic import MARK_UNDECIDED, bulk_cases
from workflow.models import Outcome

CODE = "country"
COMMITTEES = 4  # per council
AGENCIES = 20  # per council

# One case in BIG_SHARE belongs to the first council (a province: some 34 times a commune's
# share at 3,400 councils, the one the benchmarks look at); the others go round the rest.
# Case g is the j-th case of its council k: agency j % A and recommendation j / A of that
# council, so (recommendation, agency) stays unique. States, deadlines and outcomes as in
# devtools/synthetic.py's world in every state.
_INSERT = """
INSERT INTO workflow_case (recommendation_id, notice_id, council_id, committee_id, agency_id,
    state, outcome, deadline, original_deadline, deadline_explanation, escalation_level,
    next_escalation_at, ladder_cycle, extension_pending, opened_at, updated_at, closed_at,
    decision)
SELECT CASE WHEN k = 0 THEN (%(big_recs)s::bigint[])[j / %(a)s + 1]
            ELSE (%(recs)s::bigint[])[(k - 1) * %(r)s + j / %(a)s + 1] END,
       (%(notices)s::bigint[])[k + 1],
       (%(councils)s::bigint[])[k + 1], (%(committees)s::bigint[])[k * %(m)s + j %% %(m)s + 1],
       (%(agencies)s::bigint[])[k * %(a)s + j %% %(a)s + 1], s.state,
       CASE WHEN s.state = 'closed' THEN (%(outcomes)s::text[])[g %% 6 + 1] ELSE '' END,
       dl.d, dl.d, '{}',
       CASE WHEN s.state <> 'closed' AND dl.d < %(today)s::date THEN g %% 9 ELSE 0 END,
       NULL, 0, false,
       (dl.d - 90 + g %% 60)::timestamp AT TIME ZONE %(tz)s, %(now)s,
       CASE WHEN s.state = 'closed'
            THEN (dl.d + (g %% 11) - 7 + time '10:00')::timestamp AT TIME ZONE %(tz)s END,
       ''
FROM generate_series(%(first)s, %(last)s - 1) AS g,
     LATERAL (SELECT g %% %(share)s = 0 AS big, g - g / %(share)s - 1 AS rest) AS b,
     LATERAL (SELECT CASE WHEN big THEN 0 ELSE 1 + rest %% (%(c)s - 1) END AS k,
                     CASE WHEN big THEN g / %(share)s ELSE rest / (%(c)s - 1) END AS j) AS p,
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
WHERE state <> 'closed' AND deadline IS NOT NULL AND id %% 199 = 7
"""
CHUNK = 1_000_000  # cases per statement
BIG_SHARE = 100  # one case in a hundred is the first council's


@dataclass(frozen=True)
class Country:
    council: Council  # the first, the one looked at
    standing: User
    member: User
    officer: User
    commune_standing: User  # of the last council, one of the many with an even share
    councils: int
    cases: int


def build_country(
    *, cases: int, councils: int, now: datetime.datetime | None = None, log=None
) -> Country:
    now = now or timezone.now()
    with transaction.atomic():
        bodies = _bodies(councils, cases, now)
        people = _people(bodies)
    params = {**bodies["params"], "now": now, "today": timezone.localdate(now)}
    with bulk_cases(log):
        for first in range(0, cases, CHUNK):
            with transaction.atomic(), connection.cursor() as cursor:
                last = min(cases, first + CHUNK)
                cursor.execute(_INSERT, {**params, "first": first, "last": last})
            if log:
                log(f"… {min(cases, first + CHUNK):,} cases")
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_PENDING_EXTENSIONS, {"user": people[0].pk, "now": now})
        cursor.execute(MARK_UNDECIDED)
        cursor.execute("VACUUM workflow_case, workflow_extension")
        # Every table, as autovacuum would have by the time anyone looks: the councils' bodies
        # too, whose thousands of rows the planner would otherwise take for a few.
        cursor.execute("ANALYZE")
    return Country(bodies["first"], *people, councils=councils, cases=cases)


def _bodies(councils: int, cases: int, now: datetime.datetime) -> dict:
    made = Council.objects.bulk_create(
        Council(
            code=f"{CODE}-{k}",
            name=f"HĐND thử tải {k}",
            level=Council.Level.PROVINCE if k < 34 else Council.Level.COMMUNE,
            place=f"Nơi {k}",
        )
        for k in range(councils)
    )
    committees = Committee.objects.bulk_create(
        Committee(council=c, code=f"{c.code}-ban-{i}", name=f"Ban {i}", kind=Committee.Kind.LEGAL)
        for c in made
        for i in range(COMMITTEES)
    )
    agencies = Agency.objects.bulk_create(
        Agency(council=c, code=f"{c.code}-so-{i}", name=f"Sở {i}", kind=Agency.Kind.DEPARTMENT)
        for c in made
        for i in range(AGENCIES)
    )
    notices = ConclusionNotice.objects.bulk_create(
        ConclusionNotice(
            council=c,
            number="1/TB-THU",
            issue_date=timezone.localdate(now),
            issue_year=timezone.localdate(now).year,
            title="Thử tải",
            source_kind=SourceKind.THEMATIC_SUPERVISION,
            tracking_committee=committees[k * COMMITTEES],
            status=ConclusionNotice.Status.ISSUED,
        )
        for k, c in enumerate(made)
    )
    per_council = -(-cases // max(councils - 1, 1)) // AGENCIES + 1
    big = _recommendations(notices[:1], committees, cases // BIG_SHARE // AGENCIES + 1)
    rest = _recommendations(notices[1:], committees[COMMITTEES:], per_council)
    return {
        "first": made[0],
        "last": made[-1],
        "committee": committees[0],
        "agency": agencies[0],
        "params": {
            "councils": [c.pk for c in made],
            "committees": [c.pk for c in committees],
            "agencies": [a.pk for a in agencies],
            "notices": [n.pk for n in notices],
            "big_recs": [r.pk for r in big],
            "recs": [r.pk for r in rest],
            "share": BIG_SHARE,
            "c": councils,
            "m": COMMITTEES,
            "a": AGENCIES,
            "r": per_council,
            "tz": settings.TIME_ZONE,
            "outcomes": list(Outcome.values),
        },
    }


def _recommendations(notices, committees, per_notice: int) -> list[Recommendation]:
    return Recommendation.objects.bulk_create(
        (
            Recommendation(
                notice=notice,
                position=i,
                anchor=f"{i + 1}",
                text="Kiến nghị thử tải",
                tracking_committee=committees[k * COMMITTEES],
            )
            for k, notice in enumerate(notices)
            for i in range(per_notice)
        ),
        batch_size=5000,
    )


def _people(bodies: dict) -> tuple[User, User, User, User]:
    first, last = bodies["first"], bodies["last"]
    seats = [
        ("thuongtruc", first, Membership.Role.STANDING, {}),
        ("uyvien", first, Membership.Role.COMMITTEE_MEMBER, {"committee": bodies["committee"]}),
        ("chuyenvien", first, Membership.Role.AGENCY_OFFICER, {"agency": bodies["agency"]}),
        ("thuongtruc-xa", last, Membership.Role.STANDING, {}),
    ]
    users = []
    for name, council, role, body in seats:
        user = User.objects.create(username=f"{CODE}-{name}", password=make_password(None))
        Membership.objects.create(user=user, role=role, council=council, **body)
        users.append(user)
    return users[0], users[1], users[2], users[3]
