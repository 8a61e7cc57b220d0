"""The case list and the case page of one council in a large country: each page as each
role sees it, timed against the hand-written SQL that reads the same rows, with its query
count and the plan PostgreSQL chooses for the list (which index, how many rows read)."""

import statistics
import time
from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from devtools.country import Country
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


def measure_pages(country: Country, repeat: int) -> list[dict]:
    """One row per page and role: ms of the page, ms of the floor, queries, the ratio."""
    case = Case.objects.filter(council=country.council, agency=_agency(country)).first()
    case_list, case_page = (
        reverse("workflow:case_list"),
        reverse("workflow:case_detail", args=[case.pk]),
    )
    pages = [
        ("case list", country.standing, case_list, "c.council_id = %(council)s"),
        ("case list", country.member, case_list, "c.committee_id = %(committee)s"),
        ("case list", country.officer, case_list, "c.agency_id = %(agency)s"),
        ("case page", country.standing, case_page, None),
        ("case page", country.officer, case_page, None),
    ]
    params = {
        "council": country.council.pk,
        "committee": country.member.memberships.get().committee_id,
        "agency": _agency(country),
        "case": case.pk,
    }
    return [_measure_page(*page, params=params, repeat=repeat) for page in pages]


def _measure_page(name, user, url, where, *, params: dict, repeat: int) -> dict:
    floor = [sql.format(where=where) for sql in _LIST_FLOOR] if where else list(_CASE_FLOOR)
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
