"""Time the Standing Committee's dashboard on N synthetic cases against a hand-written SQL
aggregate computing the same figures, in the same run, and print the ratio. PostgreSQL, in a
scratch database of its own."""

import statistics
import time
from collections.abc import Callable

from django.contrib.auth.models import User
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

from conclusions.models import Membership
from devtools.bench_pages import dashboard_floor, floor_params, list_plan, measure_pages
from devtools.country import Country, build_country
from devtools.scratch import ScratchCommand
from devtools.synthetic import World, build_cases_in_every_state
from reports.queries import (
    chart_range,
    dashboard_figures,
    overdue_series,
)
from reports.views import DashboardView
from workflow.models import Case
from workflow.selectors import cases_visible_to


class Command(ScratchCommand):
    help = "Đo tốc độ trang Tổng quan / Benchmark the dashboard (PostgreSQL)."

    def add_work_arguments(self, parser) -> None:
        parser.add_argument("--cases", type=int, default=1_000_000)
        parser.add_argument("--repeat", type=int, default=5, help="runs of each, median kept")
        parser.add_argument(
            "--councils",
            type=int,
            default=1,
            help="spread the cases over this many councils (3400: the country) and time one "
            "council's dashboard, case list and case page",
        )

    def check_options(self, *, cases: int, repeat: int, councils: int) -> None:
        if cases < 1 or repeat < 1 or not 1 <= councils <= cases:
            raise CommandError("--cases and --repeat must be positive, --councils 1 to --cases.")

    def work(self, *, cases: int, repeat: int, councils: int) -> None:
        self.stdout.write(f"Building {cases:,} cases in every state over {councils:,} councils …")
        started = time.perf_counter()
        if councils > 1:
            world = build_country(cases=cases, councils=councils, log=self.stdout.write)
        else:
            world = build_cases_in_every_state(cases=cases, committees=4, now=timezone.now())
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE workflow_case, workflow_extension")
        self.stdout.write(f"… built in {time.perf_counter() - started:.0f} s")
        self._report(cases, self._measure(world, repeat))
        if councils > 1:
            self._report_pages(world, repeat)

    def _report_pages(self, country: Country, repeat: int) -> None:
        mine = Case.objects.filter(council=country.council).count()
        commune = Case.objects.filter(council__memberships__user=country.commune_standing).count()
        self.stdout.write(
            f"\nOne council's pages ({mine:,} of its cases among {country.cases:,} in "
            f"{country.councils:,} councils; the last council's dashboard, {commune:,} cases), "
            f"median of {repeat}:"
        )
        self.stdout.write(
            f"{'page':<11}{'who':<22}{'ms':>9}{'floor ms':>10}{'× floor':>9}{'queries':>9}"
        )
        for row in measure_pages(country, repeat):
            self.stdout.write(
                f"{row['page']:<11}{row['who']:<22}{row['ms']:>9.1f}{row['floor ms']:>10.2f}"
                f"{row['ms'] / row['floor ms']:>9.1f}{row['queries']:>9}"
            )
        self.stdout.write("\nThe Standing Committee's first page of the list, as planned:")
        for line in list_plan(country):
            self.stdout.write(f"  {line}")

    def _measure(self, world: World, repeat: int) -> dict[str, float]:
        today = timezone.localdate()
        user = User.objects.get(
            memberships__council=world.council, memberships__role=Membership.Role.STANDING
        )
        first, last, step = chart_range(today, None, None)
        params = floor_params(world.council.pk, today)
        client = Client()
        client.force_login(user)

        def dashboard():
            cases = cases_visible_to(user)
            figures = dashboard_figures(cases, today)
            DashboardView()._decisions(cases, today, figures.horizon, _NoLinks())
            return figures, overdue_series(cases, first, last, step)

        def page():
            response = client.get("/reports/")
            assert response.status_code == 200, response.status_code

        figures, series = dashboard()
        floor_rows, floor_series = dashboard_floor(params)
        _check_same(figures, series, floor_rows, floor_series)
        runs = {
            "SQL floor": lambda: dashboard_floor(params),
            "dashboard figures": dashboard,
            "dashboard page": page,
        }
        return {name: _median(run, repeat) for name, run in runs.items()}

    def _report(self, cases: int, timings: dict[str, float]) -> None:
        floor = timings["SQL floor"]
        self.stdout.write(f"\n{'method':<20}{'seconds':>10}{'× floor':>10}")
        for name, seconds in timings.items():
            self.stdout.write(f"{name:<20}{seconds:>10.3f}{seconds / floor:>10.2f}")
        self.stdout.write(
            f"\nN={cases:,}: the dashboard's figures take "
            f"{timings['dashboard figures'] / floor:.2f}× the hand-written SQL, the whole page "
            f"{timings['dashboard page'] / floor:.2f}×; the figures agree."
        )


class _NoLinks:
    def cases(self, **params) -> str:
        return ""


def _check_same(figures, series, floor_rows, floor_series) -> None:
    """The two ways must compute the same numbers, or the comparison means nothing."""
    totals = [sum(row[i] or 0 for row in floor_rows) for i in range(3, 16)]
    mine = figures.totals
    expected = [
        mine.total,
        mine.open,
        mine.due_soon,
        mine.in_progress_overdue,
        mine.awaiting_review,
        mine.review_overdue,
        mine.done_late,
        mine.due_done_on_time,
        mine.due,
        mine.extension_pending,
        mine.high_level,
        mine.decision,
        mine.overdue_days,
    ]
    if totals != expected:
        raise CommandError(f"The dashboard and the SQL floor disagree: {expected} ≠ {totals}")
    floor_points = {day: int(n) for day, n in floor_series}
    if any(floor_points.get(day, n) != n for day, n in series):
        raise CommandError("The overdue chart and the SQL floor disagree.")


def _median(run: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)
