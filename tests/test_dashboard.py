"""The dashboard ("Tổng quan"): every number equals the same count made in Python over the
cases the user may see, and its link opens the list of exactly those cases; charts follow
the filters; committees and agencies see their own share; the cost does not grow with the
number of cases."""

import datetime
import html
import re
from collections import defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports.queries import chart_range, dashboard_figures, overdue_series
from tests.figures_by_hand import live_by_hand, overdue_on_by_hand
from tests.history import (  # noqa: F401 (story, story_history and story_world are fixtures)
    D,
    more_cases,
    story,
    story_history,
    story_world,
    visible_cases_in_python,
)
from workflow.filters import due_soon_until
from workflow.models import Case, CaseState
from workflow.selectors import cases_visible_to

URL = "/reports/"


def _page(client, user, **params) -> str:
    client.force_login(user)
    response = client.get(reverse("reports:index"), params)
    assert response.status_code == 200
    return response.content.decode()


def _listed(client, url: str) -> set[int]:
    page = client.get(url).content.decode()
    assert "dd-pager" not in page  # everything on one page, or the comparison means nothing
    return {int(pk) for pk in re.findall(r'<tr class="[^"]*" data-case="(\d+)"', page)}


def _section(page: str, testid: str) -> str:
    start = page.index(f'data-testid="{testid}"')
    return page[start : page.index("</section>", start)]


def _cards(page: str) -> dict[str, tuple[str, str]]:
    found = re.findall(
        r'<a class="dd-figure[^"]*" href="([^"]+)" data-bucket="(\w+)">\s*'
        r'<span class="dd-figure-value">([^<]+)</span>',
        page,
    )
    return {bucket: (html.unescape(href), value.strip()) for href, bucket, value in found}


def _rows(section: str) -> dict[str, dict[str, tuple[str, str]]]:
    rows = {}
    for chunk in section.split('<tr data-row="')[1:]:
        name = html.unescape(chunk[: chunk.index('"')])
        links = re.findall(r'<a href="([^"]+)" data-bucket="(\w+)">([^<]+)</a>', chunk)
        rows[name] = {b: (html.unescape(href), value) for href, b, value in links}
    return rows


def _buckets(cases, today) -> dict[str, set[int]]:
    """Each dashboard number recounted by hand from the cases' events (tests/figures_by_hand)."""
    return live_by_hand(cases, today, due_soon_until(today))


def _overdue_on(cases, day) -> set[int]:
    return overdue_on_by_hand(cases, day)


def test_every_number_equals_the_cases_behind_it_and_links_to_exactly_them(client, world, history):
    page = _page(client, world.thuongtruc)
    cases = visible_cases_in_python(world.thuongtruc)
    expected = _buckets(cases, timezone.localdate())
    cards = _cards(page)
    assert set(cards) == {
        "open",
        "due_soon",
        "in_progress_overdue",
        "awaiting_review",
        "review_overdue",
        "closed",
        "decision",
        "on_time_rate",
    }
    for bucket, (href, value) in cards.items():
        wanted = expected["due_done_on_time" if bucket == "on_time_rate" else bucket]
        if bucket != "on_time_rate":
            assert int(value) == len(wanted), bucket
        assert _listed(client, href) == wanted, bucket
    due = len(expected["due"])
    rate = f"{100 * len(expected['due_done_on_time']) / due:.1f}%".replace(".", ",")
    assert cards["on_time_rate"][1] == rate
    # d, i, j and today's world case; not the foreign one
    assert len(expected["in_progress_overdue"]) == 4
    assert 'data-testid="note"' in _section(page, "totals")  # "Cách tính" under the cards


@pytest.mark.parametrize("section, key", [("by-committee", "committee"), ("by-agency", "agency")])
def test_each_committee_and_agency_row_counts_and_links_its_own_cases(
    client, world, history, section, key
):
    page = _page(client, world.thuongtruc)
    rows = _rows(_section(page, section))
    groups = defaultdict(list)
    for case in visible_cases_in_python(world.thuongtruc):
        groups[getattr(case, key).name if key == "committee" else str(case.agency)].append(case)
    assert set(rows) == set(groups)
    today = timezone.localdate()
    for name, links in rows.items():
        expected = _buckets(groups[name], today)
        for bucket, (href, value) in links.items():
            wanted = expected[bucket]
            if bucket != "due_done_on_time":  # shown as the rate
                assert int(value) == len(wanted), (name, bucket)
            assert _listed(client, href) == wanted, (name, bucket)


def test_the_agencies_with_most_overdue_days_come_first(client, world, history):
    page = _page(client, world.thuongtruc)
    today = timezone.localdate()
    days = defaultdict(int)
    for case in visible_cases_in_python(world.thuongtruc):
        if case.state in ("assigned", "in_progress") and case.deadline and case.deadline < today:
            days[str(case.agency)] += (today - case.deadline).days
    shown = re.findall(
        r"<tr><td>([^<]+)</td><td class=\"dd-num\"><a [^>]+>\d+</a></td>"
        r"<td class=\"dd-num\"><a [^>]+>(\d+)</a></td></tr>",
        _section(page, "most-overdue"),
    )
    wanted = sorted(days.items(), key=lambda item: (-item[1], item[0]))
    assert [(html.unescape(n), int(d)) for n, d in shown] == wanted


def test_the_decisions_waiting_list_the_extensions_and_the_high_rungs(client, world, history):
    page = _page(client, world.thuongtruc)
    decisions = _section(page, "decisions")
    j = history.cases["j"]
    assert f"/workflow/cases/{j.pk}/" in decisions  # its request never got an answer
    pending_url = html.unescape(
        re.search(r'href="([^"]+)" data-bucket="extension_pending"', decisions)[1]
    )
    assert _listed(client, pending_url) == {j.pk}
    high = {
        c.pk
        for c in visible_cases_in_python(world.thuongtruc)
        if c.state != CaseState.CLOSED and c.escalation_level >= 7
    }
    assert high  # d has climbed to the last rungs long ago
    high_url = html.unescape(re.search(r'href="([^"]+)" data-bucket="high_level"', decisions)[1])
    assert _listed(client, high_url) == high


def _chart(page: str) -> list[tuple[datetime.date, int, str]]:
    points = re.findall(
        r'<a href="([^"]+)" data-day="([\d-]+)" data-value="(\d+)">',
        _section(page, "overdue-chart").replace("</section>", ""),
    )
    return [(datetime.date.fromisoformat(d), int(v), html.unescape(h)) for h, d, v in points]


def test_the_overdue_chart_counts_each_day_from_deadlines_and_closing_days(client, world, history):
    page = _page(client, world.thuongtruc, period_from="01/03/2026", period_to="31/07/2026")
    cases = [
        c
        for c in visible_cases_in_python(world.thuongtruc)
        if D(2026, 3, 1) <= timezone.localdate(c.opened_at) <= D(2026, 7, 31)
    ]
    points = _chart(page)
    assert points[0][0] == D(2026, 3, 1) and points[-1][0] == D(2026, 7, 31)
    assert len(points) <= 62
    for day, value, _url in points:
        assert value == len(_overdue_on(cases, day)), day
    peak = max(points, key=lambda p: p[1])
    assert peak[1] >= 3
    assert _listed(client, peak[2]) == _overdue_on(cases, peak[0])


def test_the_chart_defaults_to_the_last_ninety_days(client, world, history):
    points = _chart(_page(client, world.thuongtruc))
    today = timezone.localdate()
    assert points[0][0] == today - datetime.timedelta(days=89) and points[-1][0] == today
    assert points[-1][1] == len(
        _buckets(visible_cases_in_python(world.thuongtruc), today)["in_progress_overdue"]
    )


@pytest.mark.postgres
def test_the_single_chart_query_agrees_with_the_portable_fallback(world, history):
    cases = cases_visible_to(world.thuongtruc)
    first, last = D(2026, 3, 1), timezone.localdate()
    one_query = overdue_series(cases, first, last, 3, vendor="postgresql")
    assert one_query == overdue_series(cases, first, last, 3, vendor="sqlite")
    assert max(value for _day, value in one_query) >= 4


def test_the_state_chart_bars_link_to_each_state(client, world, history):
    page = _page(client, world.thuongtruc)
    bars = re.findall(
        r'<a href="([^"]+)" data-state="(\w+)">.*?class="dd-chart-value">(\d+)</text>',
        _section(page, "state-chart"),
        flags=re.S,
    )
    cases = visible_cases_in_python(world.thuongtruc)
    assert [state for _h, state, _v in bars] == list(CaseState.values)
    for href, state, value in bars:
        wanted = {c.pk for c in cases if c.state == state}
        assert int(value) == len(wanted)
        assert _listed(client, html.unescape(href)) == wanted


def test_filters_apply_to_numbers_charts_and_the_lists_behind_them(client, world, history):
    cases = visible_cases_in_python(world.thuongtruc)
    n2 = history.notices[1]
    filters = [
        ({"source_kind": "thematic_supervision"}, lambda c: c.notice_id == n2.pk),
        ({"committee": world.vhxh.pk}, lambda c: c.committee_id == world.vhxh.pk),
        ({"agency": world.tc.pk}, lambda c: c.agency_id == world.tc.pk),
        (
            {"period_from": "10/03/2026", "period_to": "20/03/2026"},
            lambda c: c.notice_id == n2.pk,
        ),
    ]
    today = timezone.localdate()
    for params, keep in filters:
        page = _page(client, world.thuongtruc, **params)
        for name in ("committee", "agency"):
            if name in params:  # the filter bar shows what is filtered
                assert f'<option value="{params[name]}" selected>' in page
        chosen = [c for c in cases if keep(c)]
        expected = _buckets(chosen, today)
        for bucket, (href, value) in _cards(page).items():
            if bucket == "on_time_rate":
                continue
            assert int(value) == len(expected[bucket]), (params, bucket)
            for name, param in params.items():
                assert f"{name}={param}".replace("/", "%2F") in href
            assert _listed(client, href) == expected[bucket], (params, bucket)
        # The chart runs over the period (the last 90 days without one), on the same cases.
        day, value, _url = _chart(page)[-1]
        assert day == (D(2026, 3, 20) if "period_to" in params else today)
        assert value == len(_overdue_on(chosen, day))


def test_a_bad_period_is_refused_with_a_message_and_nothing_filtered(client, world):
    client.force_login(world.thuongtruc)
    params = {"period_from": "31/07/2026", "period_to": "01/03/2026"}
    response = client.get(reverse("reports:index"), params)
    assert response.status_code == 400
    page = response.content.decode()
    assert "ngày bắt đầu phải trước ngày kết thúc" in page
    everything = _buckets(visible_cases_in_python(world.thuongtruc), timezone.localdate())
    assert int(_cards(page)["open"][1]) == len(everything["open"])


def test_a_committee_sees_its_own_cases_only(client, world, history):
    page = _page(client, world.ban_ktns)
    assert set(_rows(_section(page, "by-committee"))) == {"Ban Kinh tế - Ngân sách"}
    assert 'data-testid="decisions"' not in page  # the Standing Committee decides those
    expected = _buckets(visible_cases_in_python(world.ban_ktns), timezone.localdate())
    overdue = expected["in_progress_overdue"]
    assert int(_cards(page)["in_progress_overdue"][1]) == len(overdue) == 2  # i and j


def test_the_office_sees_its_councils_figures_as_the_standing_committee_does(
    client, world, history
):
    office = _cards(_page(client, world.vanphong))
    standing = _cards(_page(client, world.thuongtruc))
    assert {b: v for b, (_h, v) in office.items()} == {b: v for b, (_h, v) in standing.items()}
    expected = _buckets(visible_cases_in_python(world.vanphong), timezone.localdate())
    overdue = expected["in_progress_overdue"]
    assert int(office["in_progress_overdue"][1]) == len(overdue) > 0
    assert _listed(client, office["in_progress_overdue"][0]) == set(overdue)


def test_an_agency_sees_its_own_cases_by_deadline(client, world, history):
    page = _page(client, world.so_ldtbxh)
    assert 'data-testid="by-agency"' not in page
    own = _section(page, "own-cases")
    listed = [int(pk) for pk in re.findall(r'data-case="(\d+)"', own)]
    mine = sorted(
        (
            c
            for c in visible_cases_in_python(world.so_ldtbxh)
            if c.agency_id == world.ldtbxh.pk and c.state != CaseState.CLOSED
        ),
        key=lambda c: (c.deadline or datetime.date.max, c.pk),
    )
    assert listed == [c.pk for c in mine]
    assert own.count("dd-badge-overdue") == 3  # d, j and today's world case


def test_other_councils_and_outsiders_see_nothing_of_this_one(client, world, history):
    foreign = _cards(_page(client, world.other_thuongtruc))
    assert (foreign["open"][1], foreign["in_progress_overdue"][1]) == ("1", "1")
    assert _listed(client, foreign["in_progress_overdue"][0]) == {history.foreign.pk}
    assert all(
        value == "0"
        for b, (_h, value) in _cards(_page(client, world.outsider)).items()
        if b != "on_time_rate"
    )
    client.logout()
    assert client.get(URL).status_code == 302


def test_the_site_still_opens_on_my_work_and_the_menu_offers_the_dashboard(client, world):
    client.force_login(world.thuongtruc)
    assert client.get("/", follow=True).redirect_chain[-1][0].endswith("/workflow/")
    page = _page(client, world.thuongtruc)
    assert "Tổng quan" in page and 'data-testid="menu-reports"' in page


def test_the_dashboard_costs_the_same_queries_for_few_or_many_cases(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.thuongtruc)
    client.get(URL)  # warm the session and the calendar caches
    # 21: the counts' transaction (a savepoint here) and its memory for grouping are three.
    with django_assert_max_num_queries(21):
        assert client.get(URL).status_code == 200
    more_cases(world, 40)
    with django_assert_max_num_queries(21):
        assert client.get(URL, {"source_kind": "thematic_supervision"}).status_code == 200


def test_the_high_rungs_list_reads_the_councils_ladder_once_whatever_its_length(client, world):
    client.force_login(world.thuongtruc)
    more_cases(world, 12)
    still_open = Case.objects.exclude(state=CaseState.CLOSED)
    still_open.filter(pk=world.case.pk).update(escalation_level=8)
    client.get(URL)
    with CaptureQueriesContext(connection) as one:
        rungs = client.get(URL).content.decode().count('data-testid="rung"')
    still_open.update(escalation_level=8)
    with CaptureQueriesContext(connection) as many:
        page = client.get(URL).content.decode()
    assert page.count('data-testid="rung"') > rungs + 5
    assert len(many) == len(one)


def test_a_councils_figures_and_chart_read_only_columns_of_its_covering_index(world, history):
    """Every column the counts and the chart read is in the council's covering index, so that
    PostgreSQL answers both from the index alone (an index-only scan) and never visits the
    council's rows, which lie one to a page among the country's."""
    today = timezone.localdate()
    cases = cases_visible_to(world.thuongtruc)
    (index,) = [i for i in Case._meta.indexes if i.name == "case_council_figures"]
    covered = {Case._meta.get_field(name).column for name in (*index.fields, *index.include)}
    with CaptureQueriesContext(connection) as queries:
        dashboard_figures(cases, today)
        overdue_series(cases, *chart_range(today, None, None))
    read = [set(re.findall(r'"workflow_case"\."(\w+)"', q["sql"])) for q in queries]
    assert sum(bool(columns) for columns in read) == 2  # the counts, the chart
    for columns in read:
        assert columns <= covered, columns - covered
