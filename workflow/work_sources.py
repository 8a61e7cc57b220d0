"""The inbox's sources of cases (workflow/work.py): what departments, committees and the
Standing Committee are expected to do next.

Each source is one select over an index that starts with the user's scope and the state:
(agency, state, deadline) for departments, (committee, review_due) of reported cases for
committees, (status, requested_at) of extensions and (council, escalation level) from the
decision rung for the Standing Committee. What a page needs beside (whether a case came back,
with the committee's reason; since when a case waits for a decision) is one more query over
the page's cases."""

import datetime

from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from conclusions.selectors import roles_of
from workflow.definitions import AGENCY_TURN
from workflow.filters import DECISION_LEVEL, Bucket, bucket_q
from workflow.models import Case, CaseEvent, CaseState, EventKind, Extension
from workflow.selectors import escalation_step_names, pending_extensions_of
from workflow.templatetags.work import rung_label
from workflow.work import WorkItem

EXCERPT_CHARS = 140
CASE_COLUMNS = ("notice", "recommendation", "agency", "committee")
# The latest of these events tells whether a case in progress came back from the committee.
TURNS = (EventKind.REPORTED, EventKind.RETURNED, EventKind.REOPENED)


def excerpt(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(EXCERPT_CHARS)


def case_title(case: Case) -> str:
    return _("%(notice)s · mục %(anchor)s") % {
        "notice": case.notice.number,
        "anchor": case.recommendation.anchor,
    }


def case_url(case_id: int) -> str:
    return reverse("workflow:case_detail", args=[case_id])


def returns_of(case_ids: list[int]) -> dict[int, CaseEvent]:
    """The committee's return for each case whose latest report came back and was not sent
    again since (reopened cases are not returned): one query for a page of cases."""
    latest: dict[int, CaseEvent] = {}
    events = CaseEvent.objects.filter(case_id__in=case_ids, kind__in=TURNS).order_by(
        "case_id", "created_at", "id"
    )
    for event in events.only("case_id", "kind", "note", "created_at", "actor_id"):
        latest[event.case_id] = event
    return {pk: e for pk, e in latest.items() if e.kind == EventKind.RETURNED}


def _ordered(cases: QuerySet[Case], deadline: str, since: str) -> QuerySet[Case]:
    return cases.select_related(*CASE_COLUMNS).order_by(
        F(deadline).asc(nulls_last=True), since, "id"
    )


class AgencyCases:
    """A department: the cases it leads that it must start, report, or report again."""

    name = "case.agency"

    def _cases(self, user) -> QuerySet[Case]:
        agencies = roles_of(user).agency_ids
        return Case.objects.filter(agency_id__in=agencies, state__in=AGENCY_TURN)

    def count(self, user, today: datetime.date) -> int:
        return self._cases(user).count()

    def items(self, user, today: datetime.date, limit: int) -> list[WorkItem]:
        cases = list(_ordered(self._cases(user), "deadline", "opened_at")[:limit])
        returned = returns_of([case.pk for case in cases])
        return [self._item(case, returned.get(case.pk)) for case in cases]

    def _item(self, case: Case, returned: CaseEvent | None) -> WorkItem:
        if returned is not None:
            expected = _("Bị trả lại: chờ báo cáo lại")
        elif case.state == CaseState.ASSIGNED:
            expected = _("Chờ tiếp nhận, thực hiện")
        else:
            expected = _("Chờ báo cáo")
        return WorkItem(
            source=self.name,
            id=case.pk,
            expected=expected,
            title=case_title(case),
            excerpt=excerpt(case.recommendation.text),
            url=case_url(case.pk),
            since=returned.created_at if returned else case.opened_at,
            deadline=case.deadline,
            state=case.get_state_display(),
            state_code="returned" if returned else case.state,
            party=case.committee.name,
            returned_reason=returned.note if returned else "",
            extra={"sort_since": case.opened_at},
        )


class CommitteeReviews:
    """A committee: the reports waiting for its review, by the day its review is due."""

    name = "case.review"

    def _cases(self, user) -> QuerySet[Case]:
        committees = roles_of(user).committee_ids
        return Case.objects.filter(committee_id__in=committees, state=CaseState.REPORTED)

    def count(self, user, today: datetime.date) -> int:
        return self._cases(user).count()

    def items(self, user, today: datetime.date, limit: int) -> list[WorkItem]:
        cases = _ordered(self._cases(user), "review_due", "reported_at")[:limit]
        return [self._item(case, today) for case in cases]

    def _item(self, case: Case, today: datetime.date) -> WorkItem:
        late = case.review_due is not None and case.review_due < today
        return WorkItem(
            source=self.name,
            id=case.pk,
            expected=_("Đánh giá chậm: chờ đánh giá") if late else _("Chờ đánh giá"),
            title=case_title(case),
            excerpt=excerpt(case.recommendation.text),
            url=case_url(case.pk),
            since=case.reported_at,
            deadline=case.review_due,
            state=case.get_state_display(),
            state_code=case.state,
            party=case.agency.name,
        )


class ExtensionDecisions:
    """Who decides extensions (the Standing Committee; a committee where the council delegates
    it): the requests waiting, by the deadline they would move."""

    name = "case.extension"

    def _extensions(self, user) -> QuerySet[Extension]:
        roles = roles_of(user)
        deciding = Q(council_id__in=roles.standing_council_ids) | Q(
            committee_id__in=roles.committee_ids, council__committee_decides_extensions=True
        )
        return pending_extensions_of(Case.objects.filter(deciding))

    def count(self, user, today: datetime.date) -> int:
        return self._extensions(user).count()

    def items(self, user, today: datetime.date, limit: int) -> list[WorkItem]:
        columns = [f"case__{name}" for name in CASE_COLUMNS]
        extensions = (
            self._extensions(user)
            .select_related("case", *columns)
            .order_by(F("case__deadline").asc(nulls_last=True), "requested_at", "id")[:limit]
        )
        return [self._item(extension) for extension in extensions]

    def _item(self, extension: Extension) -> WorkItem:
        case = extension.case
        return WorkItem(
            source=self.name,
            id=extension.pk,
            expected=_("Chờ quyết định gia hạn"),
            title=case_title(case),
            excerpt=excerpt(case.recommendation.text),
            url=case_url(case.pk) + "#action-extension-decide",
            since=extension.requested_at,
            deadline=case.deadline,
            state=case.get_state_display(),
            state_code=case.state,
            party=case.agency.name,
            extra={"requested_until": extension.requested_until},
        )


class DecisionRung:
    """The Standing Committee: open cases at its rung of the ladder that it has not decided
    (the dashboard's "waiting for the Standing Committee", the very same `bucket_q`)."""

    name = "case.decision"

    def _cases(self, user, today: datetime.date) -> QuerySet[Case]:
        councils = roles_of(user).standing_council_ids
        high = bucket_q(Bucket.HIGH_LEVEL, today, today)
        return Case.objects.filter(high, council_id__in=councils)

    def count(self, user, today: datetime.date) -> int:
        return self._cases(user, today).count()

    def items(self, user, today: datetime.date, limit: int) -> list[WorkItem]:
        cases = list(_ordered(self._cases(user, today), "deadline", "opened_at")[:limit])
        reached = dict(
            CaseEvent.objects.filter(
                case_id__in=[c.pk for c in cases],
                kind=EventKind.ESCALATED,
                level__gte=DECISION_LEVEL,
            )
            .order_by("case_id", "created_at")
            .values_list("case_id", "created_at")
        )
        names = {}
        for case in cases:
            if case.council_id not in names:
                names[case.council_id] = escalation_step_names(case.council_id)
        return [self._item(c, reached.get(c.pk), names[c.council_id]) for c in cases]

    def _item(self, case: Case, since, names) -> WorkItem:
        return WorkItem(
            source=self.name,
            id=case.pk,
            expected=_("Chờ Thường trực HĐND quyết định"),
            title=case_title(case),
            excerpt=excerpt(case.recommendation.text),
            url=case_url(case.pk) + "#action-decision",
            since=since or case.opened_at,
            deadline=case.deadline,
            state=rung_label(case.escalation_level, names.get(case.escalation_level)),
            state_code="decision",
            party=case.agency.name,
            extra={"sort_since": case.opened_at},
        )


SOURCES = [AgencyCases(), CommitteeReviews(), ExtensionDecisions(), DecisionRung()]
