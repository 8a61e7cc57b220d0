"""The columns of the intake's lists, in words a council office uses: the notice (its number
and title), the step, who holds it (by name, not login), since when. The workflow engine's own
columns (#process/task, "Brief", "Process summary", raw statuses) are not shown."""

from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from viewflow.workflow import STATUS

from intake.models import NoticeIntakeProcess

STATUS_NAMES = {
    STATUS.NEW: _("Chờ nhận"),
    STATUS.ASSIGNED: _("Đang xử lý"),
    STATUS.STARTED: _("Đang xử lý"),
    STATUS.DONE: _("Đã xong"),
    STATUS.CANCELED: _("Đã hủy"),
    STATUS.ERROR: _("Lỗi"),
}


def person(user) -> str:
    """A person by name; the login only when no name is on record."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def when(moment) -> str:
    return date_format(localtime(moment), "d/m/Y H:i") if moment else ""


def notice_of(process):
    """The notice of a task's process (read with select_related, no query of its own)."""
    if isinstance(process, NoticeIntakeProcess):
        return process.notice
    return process.noticeintakeprocess.notice


class TaskColumns:
    """Columns of a list of the intake's tasks."""

    def notice_number(self, task):
        url = task.flow_task.reverse("index", args=[task.process_id, task.pk])
        return format_html('<a href="{}">{}</a>', url, notice_of(task.process).number)

    notice_number.short_description = _("Số thông báo")

    def notice_title(self, task):
        return notice_of(task.process).title

    notice_title.short_description = _("Trích yếu")

    def step(self, task):
        return task.flow_task.task_title

    step.short_description = _("Bước")

    def holder(self, task):
        return person(task.owner)

    holder.short_description = _("Người xử lý")

    def waiting_since(self, task):
        return when(task.created)

    waiting_since.short_description = _("Từ lúc")

    def finished_at(self, task):
        return when(task.finished)

    finished_at.short_description = _("Xong lúc")

    def state(self, task):
        return STATUS_NAMES.get(task.status, task.status)

    state.short_description = _("Tình trạng")


class ProcessColumns:
    """Columns of the list of notices taken in."""

    def notice_number(self, process):
        url = self.request.resolver_match.flow_viewset.reverse("process_detail", args=[process.pk])
        return format_html('<a href="{}">{}</a>', url, notice_of(process).number)

    notice_number.short_description = _("Số thông báo")

    def notice_title(self, process):
        return notice_of(process).title

    notice_title.short_description = _("Trích yếu")

    def state(self, process):
        if process.finished:
            return _("Đã mở hồ sơ") if process.approved else STATUS_NAMES[STATUS.CANCELED]
        return _("Đang tiếp nhận")

    state.short_description = _("Tình trạng")

    def started_at(self, process):
        return when(process.created)

    started_at.short_description = _("Vào sổ lúc")
