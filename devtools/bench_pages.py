"""The case list and the case page of one council in a large country: each page as each
role sees it, timed against the hand-written SQL that reads the same rows, with its query
count and the plan PostgreSQL chooses for the list (which index, how many rows read)."""

import datetime
import statistics
import time
from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from devtools.country import Country
from reports.queries import chart_range
from workflow.filters import due_soon_until
from workflow.models import Case

_JOINED = """
SELECT c.*, n.number, n.issue_date, r.anchor, r.text, a.code, a.name, m.code, m.name
FROM workflow_case c
JOIN conclusions_conclusionnotice n ON n.id = c.notice_id
JOIN conclusions_recommendation r ON r.id = c.recommendation_id
JOIN conclusions_agency a ON a.id = c.agency_id
JOIN conclusions_committee m ON m.id = c.committee_id
"""
_LIST_FLOOR = (
    "SELECT count(*) FROM workflow_case c WHERE {where}",
    _JOINED + " WHERE {where} ORDER BY c.deadline, c.id LIMIT 25",
)
_CASE_FLOOR = (
    _JOINED + " WHERE c.id = %(case)s",
    "SELECT * FROM workflow_caseevent WHERE case_id = %(case)s ORDER BY created_at, id",
    "SELECT * FROM workflow_progressreport WHERE case_id = %(case)s",
    "SELECT * FROM workflow_extension WHERE case_id = %(case)s",
    "SELECT a.* FROM conclusions_agency a JOIN workflow_case_coordinating_agencies x "
    "ON x.agency_id = a.id WHERE x.case_id = %(case)s",
)

# The dashboard's floor: what a person would write by hand for the same numbers (the
# definitions of workflow/definitions.py), one statement each for the grouped counts and for
# the overdue-by-day chart.
_FLOOR_COUNTS = """
SELECT c.committee_id, c.agency_id, c.state, count(*),
       count(*) FILTER (WHERE c.state <> 'closed'),
       count(*) FILTER (WHERE c.state <> 'closed' AND c.deadline BETWEEN %(today)s AND %(soon)s),
       count(*) FILTER (WHERE c.state IN ('assigned', 'in_progress') AND c.deadline < %(today)s),
       count(*) FILTER (WHERE c.state = 'reported'),
       count(*) FILTER (WHERE c.state = 'reported' AND c.review_due < %(today)s),
       count(*) FILTER (WHERE c.state = 'closed' AND c.outcome = 'implemented'
                        AND j.deadline IS NOT NULL AND j.day > j.deadline),
       count(*) FILTER (WHERE c.deadline < %(today)s AND c.state = 'closed'
                        AND c.outcome = 'implemented'
                        AND (j.deadline IS NULL OR j.day IS NULL OR j.day <= j.deadline)),
       count(*) FILTER (WHERE c.deadline < %(today)s),
       count(*) FILTER (WHERE c.extension_undecided),
       count(*) FILTER (WHERE c.state <> 'closed' AND c.escalation_level >= 7),
       count(*) FILTER (WHERE c.extension_undecided
                        OR (c.state <> 'closed' AND c.escalation_level >= 7)),
       sum(%(today)s - c.deadline) FILTER (WHERE c.state IN ('assigned', 'in_progress')
                                          AND c.deadline < %(today)s)
FROM workflow_case c
CROSS JOIN LATERAL (
    SELECT (coalesce(c.reported_at, c.closed_at) AT TIME ZONE %(tz)s)::date AS day,
           coalesce(c.deadline_when_reported, c.deadline) AS deadline
) AS j
WHERE c.council_id = %(council)s
GROUP BY 1, 2, 3
"""
_FLOOR_CHART = """
WITH c AS MATERIALIZED (
    SELECT deadline, done_on FROM (
        SELECT deadline,
               CASE WHEN state IN ('reported', 'closed')
                    THEN (coalesce(reported_at, closed_at) AT TIME ZONE %(tz)s)::date END
               AS done_on
        FROM workflow_case
        WHERE council_id = %(council)s AND deadline < %(last)s
    ) AS s
    WHERE done_on IS NULL OR done_on >= %(first)s
), steps AS MATERIALIZED (
    SELECT deadline + 1 AS day, count(*) AS n FROM c
    WHERE done_on IS NULL OR done_on > deadline + 1 GROUP BY 1
    UNION ALL
    SELECT done_on, -count(*) FROM c WHERE done_on > deadline + 1 GROUP BY 1
)
SELECT b.day::date, coalesce(sum(steps.n), 0)
FROM generate_series(%(first)s::date, %(last)s::date, %(step)s * interval '1 day') AS b(day)
LEFT JOIN steps ON steps.day <= b.day
GROUP BY b.day
"""


_DASHBOARD = (_FLOOR_COUNTS, _FLOOR_CHART)


def measure_pages(country: Country, repeat: int) -> list[dict]:
    """One row per page and role: ms of the page, ms of the floor, queries, the ratio. The
    dashboard of the first council (a province) and of the last (a commune) too."""
    case = Case.objects.filter(council=country.council, agency=_agency(country)).first()
    case_list, case_page, dashboard = (
        reverse("workflow:case_list"),
        reverse("workflow:case_detail", args=[case.pk]),
        reverse("reports:index"),
    )
    today = timezone.localdate()
    commune = country.commune_standing
    province, commune_council = country.council.pk, commune.memberships.get().council_id
    params = {
        "council": province,
        "committee": country.member.memberships.get().committee_id,
        "agency": _agency(country),
        "case": case.pk,
    }
    pages = [
        ("dashboard", country.standing, dashboard, _DASHBOARD, floor_params(province, today)),
        ("dashboard", commune, dashboard, _DASHBOARD, floor_params(commune_council, today)),
        ("case list", country.standing, case_list, _list_floor("council"), params),
        ("case list", country.member, case_list, _list_floor("committee"), params),
        ("case list", country.officer, case_list, _list_floor("agency"), params),
        ("case page", country.standing, case_page, _CASE_FLOOR, params),
        ("case page", country.officer, case_page, _CASE_FLOOR, params),
    ]
    return [_measure_page(*page, repeat=repeat) for page in pages]


def _list_floor(body: str) -> list[str]:
    return [sql.format(where=f"c.{body}_id = %({body})s") for sql in _LIST_FLOOR]


def _measure_page(name, user, url, floor, params: dict, *, repeat: int) -> dict:
    client = Client()
    client.force_login(user)
    return {
        "page": name,
        "who": user.username,
        "queries": _queries(client, url),
        "ms": 1000 * _median(lambda: _get(client, url), repeat),
        "floor ms": 1000 * _median(lambda: _run(floor, params), repeat),
    }


def list_plan(country: Country) -> list[str]:
    """EXPLAIN ANALYZE of the Standing Committee's first page of the list, as the ORM asks."""
    from workflow.selectors import cases_visible_to

    first_page = (
        cases_visible_to(country.standing)
        .select_related("notice", "recommendation", "agency", "committee")
        .order_by("deadline", "id")[:25]
    )
    sql, params = first_page.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def _agency(country: Country) -> int:
    return country.officer.memberships.get().agency_id


def _get(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    return len(captured)


def _run(statements: list[str], params: dict) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, params)
            cursor.fetchall()


def _median(run: Callable[[], object], repeat: int) -> float:
    run()  # warm
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def dashboard_floor(params: dict) -> tuple[list[tuple], list[tuple]]:
    with connection.cursor() as cursor:
        cursor.execute(_FLOOR_COUNTS, params)
        rows = cursor.fetchall()
        cursor.execute(_FLOOR_CHART, params)
        return rows, cursor.fetchall()


def floor_params(council: int, today: datetime.date) -> dict:
    first, last, step = chart_range(today, None, None)
    return {
        "council": council,
        "today": today,
        "soon": due_soon_until(today),
        "tz": timezone.get_current_timezone_name(),
        "first": first,
        "last": last,
        "step": step,
    }
