from typing import NamedTuple

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from viewflow.forms import Layout, Row

from conclusions import rules
from conclusions.models import Agency, Committee, ConclusionNotice, Membership, Sitting, SourceKind
from conclusions.rules import DATE_FORMAT as DATE_FORMAT  # day first; importable from here
from conclusions.rules import DATE_INPUT_FORMATS as DATE_INPUT_FORMATS
from conclusions.selectors import roles_of
from workflow.definitions import Result, result_q
from workflow.errors import CaseInvalid
from workflow.filters import Bucket, filter_cases, words_q
from workflow.models import Case, CaseState, Decision, Extension, Outcome, SelfAssessment
from workflow.selectors import notices_visible_to
from workflow.services import ReportInput
from workflow.transitions import Action


class ServiceForm(forms.Form):
    """A form that hands its cleaned data to a service: shape and limits here, the rest in the
    service. Every form a service reads builds on it."""

    # The refusal names the field of the first error; the case forms' messages name it
    # themselves ("Vui lòng nêu lý do …"), so theirs go out as written.
    names_the_field = True

    def service_arguments(self) -> dict:
        """The cleaned data, or a refusal carrying the first error: nothing is written."""
        if not self.is_valid():
            field, errors = next(iter(self.errors.items()))
            label = self.fields[field].label if field in self.fields else ""
            named = self.names_the_field and label
            raise CaseInvalid(f"{label}: {errors[0]}" if named else errors[0])
        return dict(self.cleaned_data)


class _CaseForm(ServiceForm):
    names_the_field = False


class TransitionForm(forms.Form):
    """One form for every transition; each action reads only the fields it needs."""

    note = rules.TextField(label=_("Ghi chú / lý do"), required=False, rows=3)
    outcome = forms.ChoiceField(
        label=_("Kết quả đánh giá"), required=False, choices=[("", "---------"), *Outcome.choices]
    )
    text = rules.TextField(label=_("Nội dung báo cáo"), required=False, rows=4)
    letter_number = rules.TextField(label=_("Số công văn"), required=False, limit=rules.NUMBER)
    letter_date = rules.date_field(
        _("Ngày công văn"), required=False, help_text=_("Ngày/tháng/năm, ví dụ 20/09/2026")
    )
    evidence = rules.EvidenceField(label=_("Tệp minh chứng"), required=False)
    self_assessment = forms.ChoiceField(
        label=_("Cơ quan tự đánh giá kết quả"),
        required=False,
        choices=[("", "---------"), *SelfAssessment.choices],
        help_text=_("Ban theo dõi sẽ đánh giá, xác nhận kết quả khi xem xét báo cáo."),
    )

    @classmethod
    def for_action(cls, action: str, data=None) -> "TransitionForm":
        """The form one action's panel shows: only that action's fields, worded for it.

        `data` refills the panel after a refusal, so the user does not type it all again."""
        form = cls(data=data, auto_id=f"id_{action}_%s")
        spec = ACTION_FORMS[action]
        form.fields = {name: form.fields[name] for name in spec.fields}
        for name in spec.required:
            form.fields[name].required = True
        if "note" in form.fields and spec.note_label:
            form.fields["note"].label = spec.note_label
        return form

    def service_arguments(self, action: str) -> dict:
        if not self.is_valid():
            first = next(iter(self.errors.values()))[0]
            raise CaseInvalid(first)
        data = self.cleaned_data
        arguments = {"note": data["note"], "outcome": data["outcome"]}
        if action == Action.REPORT:
            arguments["report"] = ReportInput(
                text=data["text"],
                letter_number=data["letter_number"],
                letter_date=data["letter_date"],
                files=data["evidence"],
                self_assessment=data["self_assessment"],
                self_assessment_required=True,
            )
        return arguments


class ActionForm(NamedTuple):
    hint: Promise
    fields: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    note_label: Promise | None = None
    layout: Layout | None = None


# What each action asks for. "Required" here only mirrors what `case_transition` refuses
# without, so that the browser can say so before the page is sent.
ACTION_FORMS: dict[str, ActionForm] = {
    Action.START: ActionForm(
        hint=_("Xác nhận cơ quan đã tiếp nhận kiến nghị và bắt đầu thực hiện."),
    ),
    Action.REPORT: ActionForm(
        hint=_(
            "Báo cáo kết quả thực hiện kèm công văn và tệp minh chứng; "
            "Ban theo dõi sẽ xem xét báo cáo."
        ),
        fields=("text", "self_assessment", "letter_number", "letter_date", "evidence"),
        # Asked on the page; the API keeps it optional for the clients written before it.
        required=("text", "self_assessment"),
        layout=Layout("text", "self_assessment", Row("letter_number", "letter_date"), "evidence"),
    ),
    Action.CLOSE: ActionForm(
        hint=_("Báo cáo đạt yêu cầu: đánh giá kết quả và đóng hồ sơ."),
        fields=("outcome", "note"),
        required=("outcome",),
        note_label=_("Nhận xét của Ban (không bắt buộc)"),
    ),
    Action.RETURN: ActionForm(
        hint=_("Báo cáo chưa đạt yêu cầu: trả lại để cơ quan tiếp tục thực hiện."),
        fields=("note",),
        required=("note",),
        note_label=_("Lý do trả lại"),
    ),
    Action.REOPEN: ActionForm(
        hint=_("Mở lại hồ sơ đã đóng để cơ quan tiếp tục thực hiện."),
        fields=("note",),
        note_label=_("Lý do mở lại (không bắt buộc)"),
    ),
}


class CommentForm(_CaseForm):
    text = rules.TextField(
        label=_("Ý kiến"),
        rows=2,
        error_messages={"required": _("Nội dung ý kiến không được để trống.")},
    )


class CaseFilterForm(forms.Form):
    q = rules.TextField(label=_("Tìm nội dung"), required=False, limit=rules.SEARCH)
    state = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Tất cả")), *CaseState.choices]
    )
    committee = forms.ModelChoiceField(
        label=_("Ban theo dõi"),
        required=False,
        queryset=Committee.objects.all(),
        empty_label=_("Tất cả"),
    )
    agency = forms.ModelChoiceField(
        label=_("Cơ quan"),
        required=False,
        queryset=Agency.objects.filter(is_active=True),
        empty_label=_("Tất cả"),
    )
    notice = forms.ModelChoiceField(
        label=_("Thông báo kết luận"),
        required=False,
        queryset=ConclusionNotice.objects.all(),
        empty_label=_("Tất cả"),
    )
    overdue = forms.BooleanField(label=_("Chỉ hồ sơ quá hạn"), required=False)
    # The dashboard's numbers link here with these (workflow/filters.py).
    bucket = forms.ChoiceField(
        label=_("Tình hình"), required=False, choices=[("", _("Tất cả")), *Bucket.choices]
    )
    source_kind = forms.ChoiceField(
        label=_("Nguồn"), required=False, choices=[("", _("Tất cả")), *SourceKind.choices]
    )
    period_from = rules.date_field(_("Giao từ ngày"), required=False, placeholder=True)
    period_to = rules.date_field(_("đến ngày"), required=False, placeholder=True)
    overdue_on = rules.date_field(_("Quá hạn vào ngày"), required=False, placeholder=True)

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:
            self._scope_choices(user)

    def _scope_choices(self, user) -> None:
        """The committees and agencies of the councils the user sits in, the notices they may
        see: never every council's (3,400 councils hold some 70,000 agencies, which took the
        page seconds to draw, and other councils' notices are none of the user's business)."""
        if roles_of(user).is_admin:
            return
        councils = Membership.objects.filter(user=user).values("council_id")
        self.fields["committee"].queryset = Committee.objects.filter(council__in=councils)
        self.fields["agency"].queryset = Agency.objects.filter(council__in=councils, is_active=True)
        self.fields["notice"].queryset = notices_visible_to(user)

    def filter(self, cases: QuerySet[Case]) -> QuerySet[Case]:
        if not self.is_bound or not self.is_valid():
            return cases
        data = self.cleaned_data
        cases = filter_cases(
            cases,
            source_kind=data["source_kind"],
            period_from=data["period_from"],
            period_to=data["period_to"],
            bucket=data["bucket"],
            overdue_on=data["overdue_on"],
        )
        for name in ("state", "committee", "agency", "notice"):
            if data[name]:
                cases = cases.filter(**{name: data[name]})
        if data["overdue"]:  # the agency is late (workflow/definitions.py)
            cases = cases.filter(result_q(Result.IN_PROGRESS_OVERDUE, timezone.localdate()))
        if rules.search_key(data["q"]):
            cases = cases.filter(words_q(data["q"]))
        return cases


class ExtensionRequestForm(_CaseForm):
    """The lead agency's request to move its deadline ("Đề nghị gia hạn")."""

    requested_until = rules.date_field(
        _("Gia hạn đến ngày"),
        help_text=_("Ngày/tháng/năm, sau thời hạn hiện tại"),
        error_messages={"required": _("Vui lòng nhập ngày đề nghị gia hạn đến.")},
    )
    reason = rules.TextField(
        label=_("Lý do đề nghị gia hạn"),
        rows=3,
        error_messages={"required": _("Vui lòng nêu lý do đề nghị gia hạn.")},
    )
    letter_number = rules.TextField(label=_("Số công văn"), required=False, limit=rules.NUMBER)

    layout = Layout(Row("requested_until", "letter_number"), "reason")


class ExtensionDecisionForm(_CaseForm):
    """The Standing Committee's (or the delegated committee's) decision on a pending request.

    The request decided is named in the form, so that a decision never lands on a request
    filed after the page was opened."""

    APPROVE, REJECT = "approve", "reject"

    extension = forms.ModelChoiceField(
        queryset=Extension.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Không tìm thấy đề nghị gia hạn."),
            "invalid_choice": _("Không tìm thấy đề nghị gia hạn."),
        },
    )
    decision = forms.ChoiceField(
        choices=[(APPROVE, _("Chấp thuận")), (REJECT, _("Không chấp thuận"))],
        error_messages={
            "required": _("Vui lòng chọn chấp thuận hoặc không chấp thuận."),
            "invalid_choice": _("Vui lòng chọn chấp thuận hoặc không chấp thuận."),
        },
    )
    approved_until = rules.date_field(
        _("Gia hạn đến ngày khác (không bắt buộc)"),
        required=False,
        help_text=_("Để trống để gia hạn đến ngày cơ quan đề nghị"),
    )
    note = rules.TextField(label=_("Ý kiến (không bắt buộc)"), required=False, rows=2)

    layout = Layout("approved_until", "note")

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["extension"].queryset = case.extensions.all()

    @classmethod
    def for_panel(
        cls, case: Case, extension: Extension, data=None, auto_id="id_extension-decide_%s"
    ) -> "ExtensionDecisionForm":
        """The form the decision panel shows: the decision itself is the button pressed."""
        form = cls(data=data, case=case, initial={"extension": extension}, auto_id=auto_id)
        del form.fields["decision"]
        return form

    def service_arguments(self) -> dict:
        data = super().service_arguments()
        return {
            "extension": data["extension"],
            "approve": data["decision"] == self.APPROVE,
            "approved_until": data["approved_until"],
            "note": data["note"],
        }


class DecisionForm(_CaseForm):
    """The Standing Committee's decision on a case at its rung of the ladder."""

    decision = forms.ChoiceField(
        label=_("Quyết định"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Vui lòng chọn một quyết định."),
            "invalid_choice": _("Vui lòng chọn một quyết định."),
        },
    )
    sitting = forms.ModelChoiceField(
        label=_("Kỳ họp"),
        required=False,
        queryset=Sitting.objects.none(),
        help_text=_("Bắt buộc khi chất vấn; không bắt buộc với phiên giải trình, báo cáo kỳ họp"),
        error_messages={"invalid_choice": _("Kỳ họp đã chọn không thuộc HĐND của hồ sơ.")},
    )
    until = rules.date_field(
        _("Thời hạn mới"),
        required=False,
        help_text=_("Khi tiếp tục đôn đốc: ngày/tháng/năm cơ quan phải báo cáo"),
    )
    note = rules.TextField(label=_("Ý kiến"), required=False, rows=2)

    layout = Layout("decision", Row("sitting", "until"), "note")

    def __init__(self, *args, case: Case, **kwargs) -> None:
        kwargs.setdefault("auto_id", "id_decision_%s")
        super().__init__(*args, **kwargs)
        self.fields["sitting"].queryset = Sitting.objects.filter(council_id=case.council_id)


class LetterSendForm(_CaseForm):
    """The office numbers a drafted letter and records the day it was sent."""

    number = rules.TextField(
        label=_("Số, ký hiệu"),
        required=False,
        limit=rules.NUMBER,
        help_text=_("Để trống để lấy số tiếp theo trong năm"),
    )
    sent_on = rules.date_field(_("Ngày gửi"), required=False, help_text=_("Để trống: hôm nay"))

    layout = Layout(Row("number", "sent_on"))
