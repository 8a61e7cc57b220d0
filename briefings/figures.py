"""A commune's figures in its report: the totals of its own dashboard (reports/queries.py),
counted by the same aggregate, so the report, the dashboard and the province's roll-up agree."""

import datetime

from reports.queries import Counts, counts_by_council
from workflow.models import Case

# What a report shows, in this order: the dashboard's numbers of the same names.
SHOWN = ("total", "open", "in_progress_overdue", "closed", "due", "due_done_on_time")


def commune_figures(council_id: int, today: datetime.date) -> dict:
    """The commune council's open, overdue and closed cases and its on-time rate on `today`."""
    counts = counts_by_council(Case.objects.filter(council_id=council_id), today).get(
        council_id, Counts()
    )
    return {name: getattr(counts, name) for name in SHOWN} | {
        "on_time_rate": counts.on_time_text,
        "on": today.isoformat(),
    }
