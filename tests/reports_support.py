"""What the report tests share: the report fixture, the cases by council, builders."""

import pytest

from reports.models import ReportSnapshot
from reports.snapshots import snapshot_request
from tests.figures_by_hand import (
    AGENCY_ROW,
    COMMITTEE_ROW,
    results_by_hand,
)
from tests.history import (  # noqa: F401 (story, story_history and story_world are fixtures)
    CHECK_DAYS,
    D,
    more_cases,
    status_on,
    story,
    story_history,
    story_world,
)
from workflow.models import Case

ISSUE = D(2026, 6, 5)


@pytest.fixture(autouse=True)
def build_in_process(settings):
    settings.DONDOC_REPORTS_SYNC = True


@pytest.fixture
def report(django_capture_on_commit_callbacks):
    """Ask for a report the way the page does, and return it once built."""

    def make(user, kind, day, council=None, **filters) -> ReportSnapshot:
        council = council or user.memberships.first().council
        with django_capture_on_commit_callbacks(execute=True):
            snapshot = snapshot_request(
                actor=user, kind=kind, as_of=day, council=council, **filters
            )
        snapshot.refresh_from_db()
        assert snapshot.status == ReportSnapshot.Status.DONE, snapshot.error
        return snapshot

    return make


def _pick(row: dict, names) -> dict:
    return {name: row[name] for name in names}


def _all_cases():
    return list(
        Case.objects.select_related("agency", "committee").prefetch_related(
            "events", "extensions", "reports"
        )
    )


def _hau_giang(cases, world):
    return [case for case in cases if case.council_id == world.council.pk]


def _assert_results_match(snapshot: ReportSnapshot, cases, day) -> None:
    """Every figure of Report A against the same figure counted by hand (figures_by_hand)."""
    expected, figures = results_by_hand(cases, day), snapshot.figures
    assert _pick(figures["totals"], COMMITTEE_ROW) == _pick(expected["totals"], COMMITTEE_ROW)
    agencies = {row["code"]: _pick(row, AGENCY_ROW) for row in figures["by_agency"]}
    assert agencies == {k: _pick(v, AGENCY_ROW) for k, v in expected["by_agency"].items()}
    committees = {row["code"]: _pick(row, COMMITTEE_ROW) for row in figures["by_committee"]}
    assert committees == {k: _pick(v, COMMITTEE_ROW) for k, v in expected["by_committee"].items()}
    listed = {
        item["case"]: _pick(item, ("days_overdue", "urgings", "reminders", "deadline"))
        for item in figures["overdue"]
    }
    assert listed == expected["overdue"]


# ------------------------------------------------------------------------------ report A


def _one(case):
    return Case.objects.prefetch_related("events", "extensions").get(pk=case.pk)


def _latest(rows, end):
    rows = [r for r in rows if r.created_at < end]
    return max(rows, key=lambda r: (r.created_at, r.pk)) if rows else None
