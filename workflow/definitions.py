"""How the figures are defined: the one place (DOMAIN.md, "How the figures are defined").

On a given day each case counts in exactly one `Result`:

- closed as implemented: done on time if the report the committee accepted was sent on or
  before the deadline in force when it was sent, however late the committee closed it; done
  late otherwise. Closed with another outcome (partially, explained or on a roadmap,
  forwarded, not implemented): that outcome whatever the dates, so "not implemented" is
  never on time;
- reported and waiting for the committee: awaiting review. It runs on the committee's own
  clock (`Council.review_working_days` from the report), never as the agency being late;
- otherwise (assigned, in progress, or returned): in progress, overdue once the deadline in
  force has passed.

The rules are `Q` objects over a case's fields, which are either the live columns (`LIVE`:
the dashboard and the case list) or annotations "as of" a day read from the event log
(`AS_OF`, reports/history.py: Report A and the API's results), so both count with the same
words. Beside them: the on-time rate, the claimed and verified results, the review clock,
what counts as an urging step, and the "Cách tính" note printed under every table."""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.db import models
from django.db.models import F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from workflow.calendar import WorkingCalendar
from workflow.models import CaseState, EventKind, Outcome, SelfAssessment


class Result(models.TextChoices):
    """Where a case stands on a day; the nine add up to the total."""

    DONE_ON_TIME = "done_on_time", _("Hoàn thành đúng hạn")
    DONE_LATE = "done_late", _("Hoàn thành quá hạn")
    PARTIALLY = "partially", _("Hoàn thành một phần")
    IN_PROGRESS = "in_progress", _("Đang thực hiện trong hạn")
    IN_PROGRESS_OVERDUE = "in_progress_overdue", _("Đang thực hiện quá hạn")
    AWAITING_REVIEW = "awaiting_review", _("Chờ Ban đánh giá")
    NOT_IMPLEMENTED = "not_implemented", _("Chưa thực hiện")
    EXPLAINED_OR_ROADMAP = "explained_or_roadmap", _("Đã giải trình, có lộ trình")
    FORWARDED = "forwarded", _("Chuyển cấp có thẩm quyền")


# The agency owes the next move in these states; in the others it has reported or is done.
AGENCY_TURN = (CaseState.ASSIGNED, CaseState.IN_PROGRESS)
# The committee verified the work as done: the outcome "implemented", on time or not.
VERIFIED_DONE = (Result.DONE_ON_TIME, Result.DONE_LATE)
# The agency claims it is done: its latest report's own assessment.
CLAIMED_DONE = SelfAssessment.DONE
# Every step of urging a case received. The ladder's rungs (reminders before the deadline,
# the warning on it, the committee's urging letter, the Standing Committee's letter, the
# proposals for an explanation session, questioning or re-supervision) are all escalation
# events; other kinds of urging join this tuple when they exist.
URGING_KINDS: tuple[str, ...] = (EventKind.ESCALATED,)

_OTHER_OUTCOMES = {
    Result.PARTIALLY: (Outcome.PARTIALLY,),
    Result.EXPLAINED_OR_ROADMAP: (Outcome.EXPLAINED, Outcome.ROADMAP),
    Result.FORWARDED: (Outcome.FORWARDED,),
}


@dataclass(frozen=True)
class Fields:
    """The names under which a queryset holds what the rules read."""

    state: str
    outcome: str
    deadline: str  # the deadline in force on the day
    reported_at: str  # when the latest report was sent
    deadline_when_reported: str  # the deadline in force at that moment
    closed_at: str


LIVE = Fields("state", "outcome", "deadline", "reported_at", "deadline_when_reported", "closed_at")
AS_OF = Fields(
    "state_at",
    "outcome_at",
    "deadline_at",
    "reported_at_d",
    "deadline_when_reported_d",
    "closed_at_d",
)


def with_report_day(cases: QuerySet, fields: Fields = LIVE) -> QuerySet:
    """Adds what the agency is judged by: `report_day`, the day of the latest report (for a
    case closed without a report on record, imported with no history, its closing day), and
    `report_deadline`, the deadline in force then (else the deadline)."""
    return cases.alias(
        report_day=TruncDate(Coalesce(F(fields.reported_at), F(fields.closed_at))),
        report_deadline=Coalesce(F(fields.deadline_when_reported), F(fields.deadline)),
    )


def result_q(result: str, day: datetime.date, fields: Fields = LIVE) -> Q:
    """The cases in `result` at the end of `day`; the nine conditions exclude one another.
    The queryset must carry `with_report_day`."""
    closed = Q(**{fields.state: CaseState.CLOSED})
    implemented = closed & Q(**{fields.outcome: Outcome.IMPLEMENTED})
    agency_turn = Q(**{f"{fields.state}__in": AGENCY_TURN})
    past = Q(**{f"{fields.deadline}__lt": day})
    not_past = Q(**{f"{fields.deadline}__isnull": True}) | Q(**{f"{fields.deadline}__gte": day})
    if result == Result.DONE_ON_TIME:
        return implemented & report_on_time_q()
    if result == Result.DONE_LATE:
        return implemented & report_late_q()
    if result in _OTHER_OUTCOMES:
        return closed & Q(**{f"{fields.outcome}__in": _OTHER_OUTCOMES[result]})
    if result == Result.NOT_IMPLEMENTED:  # or an outcome never recorded
        known = [Outcome.IMPLEMENTED, *(o for group in _OTHER_OUTCOMES.values() for o in group)]
        return closed & ~Q(**{f"{fields.outcome}__in": known})
    if result == Result.AWAITING_REVIEW:
        return Q(**{fields.state: CaseState.REPORTED})
    if result == Result.IN_PROGRESS_OVERDUE:
        return agency_turn & past
    if result == Result.IN_PROGRESS:
        return agency_turn & not_past
    raise ValueError(result)


def report_on_time_q() -> Q:
    """Sent on or before the deadline in force then; without a deadline, always on time."""
    return (
        Q(report_deadline__isnull=True)
        | Q(report_day__isnull=True)
        | Q(report_day__lte=F("report_deadline"))
    )


def report_late_q() -> Q:
    """The exact complement of `report_on_time_q`, written out so that no NULL slips past."""
    return Q(
        report_deadline__isnull=False,
        report_day__isnull=False,
        report_day__gt=F("report_deadline"),
    )


def result_expression(day: datetime.date, fields: Fields = LIVE) -> models.Case:
    """The case's `Result` as one SQL expression (the queryset carries `with_report_day`)."""
    return models.Case(
        *(When(result_q(result, day, fields), then=Value(result.value)) for result in Result),
        default=Value(""),
        output_field=models.CharField(),
    )


def with_agency_done_on(cases: QuerySet) -> QuerySet:
    """Adds `agency_done_on` to live cases: the day the agency's move ended (its report, or
    the closing of a case closed without one) for a case reported or closed, else None."""
    return cases.alias(
        agency_done_on=models.Case(
            When(
                Q(state__in=(CaseState.REPORTED, CaseState.CLOSED)),
                then=TruncDate(Coalesce(F("reported_at"), F("closed_at"))),
            ),
            default=None,
            output_field=models.DateField(),
        )
    )


def overdue_on_q(day: datetime.date) -> Q:
    """In progress overdue at the end of a past `day`, judged on the live columns (the chart):
    the deadline had passed and the agency had not reported yet. On today it is exactly
    `Result.IN_PROGRESS_OVERDUE`; for past days a deadline moved by an extension and a report
    returned since are not back-dated (Report A reads the event log instead)."""
    return Q(deadline__lt=day) & (Q(agency_done_on__isnull=True) | Q(agency_done_on__gt=day))


def due_q(day: datetime.date, fields: Fields = LIVE) -> Q:
    """Due by `day`: the deadline in force had passed. The on-time rate's denominator."""
    return Q(**{f"{fields.deadline}__lt": day})


def on_time_rate(done_on_time_and_due: int, due: int) -> float | None:
    """ "Tỷ lệ hoàn thành đúng hạn": done on time, of the cases due; None if none is due."""
    return done_on_time_and_due / due if due else None


# ------------------------------------------------------------------ the committee's clock


def review_due(calendar: WorkingCalendar, reported_on: datetime.date, working_days: int):
    """The day the committee should have reviewed a report sent on `reported_on` by."""
    return calendar.add_working_days(reported_on, working_days).due


def review_overdue_q(day: datetime.date) -> Q:
    """Live: a report waiting for review past the committee's review deadline."""
    return Q(state=CaseState.REPORTED, review_due__lt=day)


def is_review_overdue(review_due_on: datetime.date | None, day: datetime.date) -> bool:
    """The same rule for a case read "as of" a day (reports/history.py)."""
    return review_due_on is not None and review_due_on < day


class WorkingDayCount:
    """Working days between two days (the first not counted, Civil Code Art. 147), in constant
    time per question after one pass over the span: the review time of many reports."""

    def __init__(self, calendar: WorkingCalendar, first: datetime.date, last: datetime.date):
        self.first, self.counts, total = first, [], 0
        for offset in range((last - first).days + 1):
            total += calendar.is_working_day(first + datetime.timedelta(days=offset))
            self.counts.append(total)

    def between(self, start: datetime.date, end: datetime.date) -> int:
        return self._upto(end) - self._upto(start)

    def _upto(self, day: datetime.date) -> int:
        return self.counts[(day - self.first).days]


# ----------------------------------------------------------------------------- the words


class Definition(NamedTuple):
    term: Promise
    text: Promise


DEFINITIONS: dict[str, Definition] = {
    "done_on_time": Definition(
        _("Hoàn thành đúng hạn"),
        _(
            "Ban đánh giá “Hoàn thành” và báo cáo được Ban chấp nhận đã gửi trước hoặc đúng "
            "thời hạn có hiệu lực lúc gửi, dù Ban đánh giá sau thời hạn; gửi sau thời hạn là "
            "hoàn thành quá hạn. Hoàn thành một phần, đã giải trình, có lộ trình, chuyển cấp "
            "có thẩm quyền, chưa thực hiện: theo kết quả Ban đánh giá, không xét thời hạn."
        ),
    ),
    "awaiting_review": Definition(
        _("Chờ Ban đánh giá"),
        _(
            "cơ quan đã báo cáo, Ban chưa đóng hoặc trả lại; tính vào thời hạn đánh giá của "
            "Ban, không tính là cơ quan quá hạn."
        ),
    ),
    "in_progress_overdue": Definition(
        _("Đang thực hiện quá hạn"),
        _(
            "chưa báo cáo, hoặc báo cáo bị trả lại, khi thời hạn có hiệu lực đã qua; gia hạn "
            "được chấp thuận thay thời hạn từ ngày chấp thuận, thời hạn ban đầu vẫn được giữ."
        ),
    ),
    "on_time_rate": Definition(
        _("Tỷ lệ hoàn thành đúng hạn"),
        _(
            "số kiến nghị hoàn thành đúng hạn trên số kiến nghị đã đến hạn (thời hạn có hiệu "
            "lực trước ngày tính số liệu); hoàn thành một phần tính riêng; “chưa thực hiện” "
            "không bao giờ tính là đúng hạn."
        ),
    ),
    "claimed_verified": Definition(
        _("Cơ quan báo hoàn thành, Ban xác nhận hoàn thành"),
        _(
            "cơ quan tự đánh giá “đã hoàn thành” trong báo cáo gần nhất; Ban xác nhận khi đóng "
            "hồ sơ với kết quả “Hoàn thành”; chênh lệch là số báo hoàn thành chưa được xác nhận."
        ),
    ),
    "extensions": Definition(
        _("Gia hạn"),
        _(
            "mọi đề nghị gia hạn gửi đến ngày tính số liệu, số được chấp thuận và không chấp "
            "thuận đã quyết định đến ngày đó."
        ),
    ),
    "urgings": Definition(
        _("Số lần đôn đốc"),
        _(
            "mọi bước đôn đốc hồ sơ đã nhận đến ngày tính số liệu, trước và sau thời hạn: nhắc "
            "hạn, cảnh báo đến hạn, công văn đôn đốc của Ban, văn bản của Thường trực HĐND, "
            "đề xuất giải trình, chất vấn, tái giám sát."
        ),
    ),
    "review_clock": Definition(
        _("Thời hạn Ban đánh giá"),
        _(
            "mỗi HĐND quy định số ngày làm việc kể từ ngày cơ quan gửi báo cáo (mặc định 10); "
            "quá hạn đánh giá khi qua thời hạn đó mà Ban chưa đóng hoặc trả lại; thời gian "
            "đánh giá là số ngày làm việc từ ngày báo cáo đến ngày Ban đóng hoặc trả lại (trung "
            "vị)."
        ),
    ),
}


def definitions_note(*keys: str) -> list[str]:
    """ "Cách tính" and one line per definition, in the active language."""
    return [str(_("Cách tính:"))] + [
        f"- {DEFINITIONS[key].term}: {DEFINITIONS[key].text}" for key in keys
    ]


def definitions_json() -> dict[str, dict[str, str]]:
    """Every definition in Vietnamese and English, for the API."""
    result = {}
    for key, definition in DEFINITIONS.items():
        result[key] = {}
        for language in ("vi", "en"):
            with translation.override(language):
                result[key][language] = f"{definition.term}: {definition.text}"
    return result
