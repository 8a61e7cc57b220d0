"""The intake steps waiting for a user, for "Việc của tôi" (workflow/work.py): the tasks of
the intake flow that the user may take (viewflow's queue) or has taken and not finished."""

import datetime

from django.db.models import Q, QuerySet
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from viewflow.workflow import STATUS
from viewflow.workflow.models import Task

from intake.flows import IntakeFlow
from workflow.work import WorkItem

# What each human step expects, in the inbox's words; a step added later shows its own title.
EXPECTED = {
    "check": _("Chờ Ban kiểm tra thông báo"),
    "approve": _("Chờ Thường trực HĐND phê duyệt thông báo"),
}


class IntakeTasks:
    name = "intake.task"

    def _tasks(self, user) -> QuerySet[Task]:
        flow = IntakeFlow.instance
        open_to_user = Q(pk__in=flow.tasks_open_to(user).values("pk"))
        taken = Q(owner=user, status=STATUS.ASSIGNED, process__flow_class=IntakeFlow)
        return Task.objects.filter(open_to_user | taken)

    def count(self, user, today: datetime.date) -> int:
        return self._tasks(user).count() if user.is_authenticated else 0

    def items(self, user, today: datetime.date, limit: int) -> list[WorkItem]:
        if not user.is_authenticated:
            return []
        tasks = (
            self._tasks(user)
            .select_related("process__noticeintakeprocess__notice")
            .order_by("created", "id")[:limit]
        )
        return [self._item(task) for task in tasks]

    def _item(self, task: Task) -> WorkItem:
        notice = task.process.noticeintakeprocess.notice
        node = task.flow_task
        title = getattr(node, "task_title", "") or str(node)
        expected = EXPECTED.get(getattr(node, "name", ""), "") or _("Chờ xử lý: %(step)s") % {
            "step": title
        }
        return WorkItem(
            source=self.name,
            id=task.pk,
            expected=expected,
            title=notice.number or str(notice),
            excerpt=Truncator(notice.title).chars(140),
            url=task.reverse("index"),
            since=task.created,
            deadline=None,
            state=str(title),
            state_code="intake",
            party=_("Tiếp nhận thông báo kết luận"),
        )


SOURCES = [IntakeTasks()]
