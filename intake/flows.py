"""The notice intake as a BPMN flow: the office registers the notice, the tracking committee
checks agencies and deadlines, the Standing Committee approves, and the cases open by
themselves.

Who may do a step comes from council memberships (`roles_of`), never from Django
permissions. Each human step names its `Seat`, which answers both "may this user take this
task?" (the node's checks) and "which tasks may this user take?" (a Q for the lists)."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.utils import is_owner
from viewflow.workflow import STATUS, act, flow, lock
from viewflow.workflow.models import Task

from conclusions.models import ConclusionNotice
from conclusions.selectors import roles_of
from intake import views
from intake.models import NoticeIntakeProcess
from workflow.services import notice_issue

# How a task reaches its notice, for the list queries.
TASK_NOTICE = "process__noticeintakeprocess__notice__"


@dataclass(frozen=True)
class Seat:
    """A set of the user's seats (an attribute of `Roles`) matched against a notice field."""

    roles_attr: str
    notice_field: str

    def held_by(self, user, notice: ConclusionNotice) -> bool:
        return getattr(notice, self.notice_field) in getattr(roles_of(user), self.roles_attr)

    def lookup(self, user, prefix: str) -> Q:
        seats = getattr(roles_of(user), self.roles_attr)
        return Q(**{f"{prefix}{self.notice_field}__in": seats})


CLERK = Seat("clerk_council_ids", "council_id")
TRACKING_COMMITTEE = Seat("committee_ids", "tracking_committee_id")
STANDING_COMMITTEE = Seat("standing_council_ids", "council_id")
# Who may follow an intake: the council's Standing Committee and office, and the committee.
VIEWERS = (Seat("council_ids", "council_id"), TRACKING_COMMITTEE)


def may_register(user) -> bool:
    return bool(roles_of(user).clerk_council_ids)


class SeatView(flow.View):
    """A user task open to whoever holds `seat` for the process's notice."""

    assign_view_class = views.AssignIntakeTaskView

    def __init__(self, view, *, seat: Seat, **kwargs) -> None:
        super().__init__(view, **kwargs)
        self.seat = seat

    def holds_seat(self, user, task: Task) -> bool:
        return user.is_authenticated and self.seat.held_by(user, task.process.coerced.notice)

    def can_assign(self, user, task: Task) -> bool:
        return task.owner_id is None and self.holds_seat(user, task)

    def can_execute(self, user, task: Task) -> bool:
        # Re-checked at every step: a member who left the committee can no longer finish.
        return is_owner(task.owner, user) and self.holds_seat(user, task)


class IntakeFlow(flow.Flow):
    process_class = NoticeIntakeProcess
    process_title = _("Tiếp nhận thông báo kết luận")
    process_description = _(
        "Văn phòng vào sổ thông báo, Ban theo dõi kiểm tra cơ quan và thời hạn, Thường trực "
        "HĐND phê duyệt; hồ sơ theo dõi được mở tự động cho từng cơ quan chủ trì."
    )
    process_summary_template = "{{ process.notice.number }}: {{ process.notice.title }}"
    lock_impl = lock.select_for_update_lock

    register = (
        flow.Start(views.RegisterNoticeView.as_view())
        .Annotation(title=_("Vào sổ thông báo kết luận"))
        .Available(may_register)
        .Next(this.check)
    )
    # Notices imported from Excel (intake.imports.notices) start here and go to the check.
    imported = (
        flow.StartHandle(this.start_imported).Annotation(title=_("Nhập từ Excel")).Next(this.check)
    )
    check = (
        SeatView(views.CheckRecommendationsView.as_view(), seat=TRACKING_COMMITTEE)
        .Annotation(
            title=_("Ban kiểm tra cơ quan và thời hạn"),
            summary_template="{{ process.notice.number }}: {{ process.notice.title }}",
        )
        .Next(this.approve)
    )
    approve = (
        SeatView(views.ApproveNoticeView.as_view(), seat=STANDING_COMMITTEE)
        .Annotation(
            title=_("Thường trực HĐND phê duyệt"),
            summary_template="{{ process.notice.number }}: {{ process.notice.title }}",
        )
        .Next(this.approved)
    )
    approved = (
        flow.If(act.process.approved)
        .Annotation(title=_("Được phê duyệt?"))
        .Then(this.open_cases)
        .Else(this.check)
    )
    open_cases = (
        flow.Function(this.issue_notice).Annotation(title=_("Mở hồ sơ theo dõi")).Next(this.end)
    )
    end = flow.End().Annotation(title=_("Hoàn tất"))

    def start_imported(self, activation, *, notice: ConclusionNotice, actor) -> None:
        activation.process.notice = notice
        activation.task.owner = actor

    def issue_notice(self, activation) -> None:
        notice_issue(notice=activation.process.notice, actor=self.approver(activation.process))

    def approver(self, process: NoticeIntakeProcess):
        approval = (
            self.task_class._default_manager.filter(
                process_id=process.pk, flow_task=self.approve, status=STATUS.DONE
            )
            .order_by("-finished")
            .first()
        )
        return approval.owner if approval else None

    # Permissions and scoping: every list and page of the intake asks these.

    def has_view_permission(self, user, obj=None) -> bool:
        if not user.is_authenticated:
            return False
        if obj is not None:
            return self.processes_visible_to(user).filter(pk=obj.pk).exists()
        roles = roles_of(user)
        return roles.is_admin or bool(roles.council_ids or roles.committee_ids)

    def processes_visible_to(self, user) -> QuerySet[NoticeIntakeProcess]:
        processes = self.process_class._default_manager.filter(flow_class=type(self))
        return processes if roles_of(user).is_admin else processes.filter(_any(VIEWERS, user))

    def tasks_visible_to(self, user) -> QuerySet[Task]:
        tasks = self.task_class._default_manager.filter(process__flow_class=type(self))
        if roles_of(user).is_admin:
            return tasks
        return tasks.filter(_any(VIEWERS, user, TASK_NOTICE))

    def tasks_open_to(self, user) -> QuerySet[Task]:
        """The unassigned tasks this user may take: the flow's queue."""
        scope = Q(pk__in=[])
        for node in self.nodes():
            if isinstance(node, SeatView):
                scope |= Q(flow_task=node) & node.seat.lookup(user, TASK_NOTICE)
        return self.task_class._default_manager.filter(
            scope, process__flow_class=type(self), status=STATUS.NEW
        )


def _any(seats: tuple[Seat, ...], user, prefix: str = "notice__") -> Q:
    scope = Q(pk__in=[])
    for seat in seats:
        scope |= seat.lookup(user, prefix)
    return scope
