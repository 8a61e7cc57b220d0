"""What the user is told after an action: what happened, and what comes next, by whom and by
when ("Đã gửi báo cáo; Ban Văn hóa - Xã hội sẽ đánh giá trước ngày 15/12/2026")."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from workflow.models import Case, Decision, Extension, Outcome
from workflow.transitions import Action


def _day(value: datetime.date | None) -> str:
    return date_format(value, "d/m/Y") if value else ""


def _by_deadline(case: Case) -> str:
    if case.deadline is None:
        return _("khi hoàn thành (việc thường xuyên)")
    return _("trước ngày %(date)s") % {"date": _day(case.deadline)}


def after_transition(case: Case, action: str) -> str:
    """`case` as saved by the transition."""
    words = {"agency": case.agency.name, "committee": case.committee.name}
    if action == Action.START:
        return _("Đã tiếp nhận hồ sơ; đề nghị báo cáo kết quả %(when)s.") % {
            "when": _by_deadline(case)
        }
    if action == Action.REPORT:
        return _("Đã gửi báo cáo; %(committee)s sẽ đánh giá trước ngày %(date)s.") % (
            words | {"date": _day(case.review_due)}
        )
    if action == Action.RETURN:
        return _("Đã trả lại báo cáo; %(agency)s thực hiện tiếp và báo cáo lại %(when)s.") % (
            words | {"when": _by_deadline(case)}
        )
    if action == Action.CLOSE:
        outcome = dict(Outcome.choices).get(case.outcome, "")
        return _("Đã đóng hồ sơ, kết quả “%(outcome)s”; %(agency)s nhận được tin nhắn.") % (
            words | {"outcome": outcome}
        )
    return _("Đã mở lại hồ sơ; %(agency)s thực hiện tiếp và báo cáo lại %(when)s.") % (
        words | {"when": _by_deadline(case)}
    )


def after_comment() -> str:
    return _("Đã gửi ý kiến; những người cùng xử lý hồ sơ nhận được tin nhắn.")


def after_extension_request(case: Case, extension: Extension) -> str:
    decider = case.committee.name if case.council.committee_decides_extensions else None
    return _(
        "Đã gửi đề nghị gia hạn đến ngày %(date)s; %(decider)s sẽ quyết định. Trong khi chờ, "
        "hồ sơ tạm dừng đôn đốc quá hạn."
    ) % {"date": _day(extension.requested_until), "decider": decider or _("Thường trực HĐND")}


def after_extension_decision(case: Case, extension: Extension) -> str:
    if extension.status == Extension.Status.APPROVED:
        return _(
            "Đã chấp thuận gia hạn đến ngày %(date)s; %(agency)s báo cáo kết quả trước ngày đó."
        ) % {"date": _day(extension.approved_until), "agency": case.agency.name}
    return _("Đã không chấp thuận gia hạn; thời hạn vẫn là %(when)s.") % {
        "when": _day(case.deadline) or _("thường xuyên")
    }


def after_decision(case: Case) -> str:
    decision = dict(Decision.choices).get(case.decision, "")
    if case.decision == Decision.KEEP_URGING:
        return _("Đã ghi quyết định “%(decision)s”; %(agency)s báo cáo trước ngày %(date)s.") % {
            "decision": decision,
            "agency": case.agency.name,
            "date": _day(case.decision_until),
        }
    return _("Đã ghi quyết định “%(decision)s”; việc đôn đốc tự động dừng lại.") % {
        "decision": decision
    }
