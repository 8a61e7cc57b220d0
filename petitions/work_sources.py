"""The petitions' rows in "Việc của tôi" (workflow/work.py): answered petitions whose voters'
verdict the office or the following committee has yet to record (the deputies' group reports it
at the next meetings with voters). An answer waiting for the committee's grading is already
there: it is a reported case, listed by workflow's committee source."""

import datetime

from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from conclusions.selectors import roles_of
from petitions.models import Petition
from workflow.models import CaseState
from workflow.work import WorkItem

EXCERPT_CHARS = 140


class VerdictsAwaiting:
    name = "petition.verdict"

    def _petitions(self, user) -> QuerySet[Petition]:
        roles = roles_of(user)
        scope = Q(council_id__in=roles.clerk_council_ids) | Q(committee_id__in=roles.committee_ids)
        return Petition.objects.filter(
            scope,
            accepted__isnull=True,
            recommendation__cases__state=CaseState.CLOSED,
        ).annotate(answered_at=Max("recommendation__cases__closed_at"))

    def count(self, user, today: datetime.date) -> int:
        return self._petitions(user).count()

    def items(self, user, today: datetime.date, limit: int) -> list[WorkItem]:
        rows = (
            self._petitions(user)
            .select_related("round", "committee")
            .order_by("answered_at", "id")[:limit]
        )
        return [self._item(petition) for petition in rows]

    def _item(self, petition: Petition) -> WorkItem:
        return WorkItem(
            source=self.name,
            id=petition.pk,
            expected=_("Chờ ý kiến cử tri về trả lời"),
            title=_("%(sitting)s · kiến nghị số %(number)s")
            % {"sitting": petition.round.sitting_name, "number": petition.number},
            excerpt=Truncator(" ".join(petition.text.split())).chars(EXCERPT_CHARS),
            url=reverse("petitions:petition_detail", args=[petition.pk]),
            since=petition.answered_at,
            deadline=None,
            party=petition.committee.name,
        )


SOURCES = [VerdictsAwaiting()]
