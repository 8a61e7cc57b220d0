"""The figures of each report, computed "as of" a day from the event log
(reports/history.py) and returned as JSON-ready dicts for `ReportSnapshot.figures`:

A. results by agency and by committee, with the appendix of overdue items (also the API's
   `GET /api/v1/reports/results/`, through the same `results_as_of`);
B. one notice, item by item, with the latest report and the committee's assessment;
G. the weekly digest: due in 3/7/15 working days, newly overdue, extensions waiting;
F. the candidates for questioning, explanation or re-supervision (reports/candidates.py).

Every case is counted by the rules of workflow/definitions.py, the ones the dashboard uses."""

from reports.candidates import candidates_figures
from reports.figures.common import RESULTS_VERSION, Progress, ReviewClock, Tally, judged_as_of
from reports.figures.notice import notice_figures
from reports.figures.results import results_as_of, results_figures
from reports.figures.weekly import weekly_figures

__all__ = [
    "RESULTS_VERSION",
    "Progress",
    "ReviewClock",
    "Tally",
    "candidates_figures",
    "judged_as_of",
    "notice_figures",
    "results_as_of",
    "results_figures",
    "weekly_figures",
]
