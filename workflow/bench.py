"""Synthetic cases for the escalation benchmark and the multi-process tests (PostgreSQL).

Rows are written with one INSERT … SELECT over generate_series, so a million cases take
seconds, not hours. Every bench object lives under the council with code `bench`."""

import datetime

from django.db import connection, transaction
from django.utils import timezone

from conclusions.models import Agency, Committee, ConclusionNotice, Council, Recommendation

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


@transaction.atomic
def build_cases(*, cases: int, due: int, now: datetime.datetime | None = None) -> Council:
    """`cases` open cases of which the first `due` have a rung due at `now`."""
    now = now or timezone.now()
    council, committee, notice = _bench_council()
    width = min(cases, AGENCIES) or 1
    agencies = _agencies(council, width)
    recs = _recommendations(notice, committee, -(-cases // width))
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


def drop_cases() -> None:
    """Remove every bench object, so a benchmark leaves the database as it found it."""
    council = Council.objects.filter(code=BENCH_CODE).first()
    if council is None:
        return
    with connection.cursor() as cursor:
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
