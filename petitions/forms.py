"""The petitions' web forms: shape and limits only (conclusions/rules.py); the services decide
the rest. Each `service_arguments()` gives the cleaned data or the first error as a refusal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from conclusions import rules
from conclusions.models import Agency, Committee
from petitions.models import Competence, PetitionRound, VoterMeeting
from petitions.outcomes import PetitionOutcome
from workflow.forms import ServiceForm

PLACE = 200
RULES = [
    ("working_days", _("Số ngày làm việc")),
    ("calendar_days", _("Số ngày")),
    ("date", _("Đến ngày")),
]


class _ServiceForm(ServiceForm):
    names_the_field = False  # the petitions' messages name their field themselves


class RoundForm(_ServiceForm):
    sitting_name = rules.TextField(
        label=_("Kỳ họp"), limit=PLACE, help_text=_("Ví dụ: Kỳ họp thứ 7 (kỳ họp cuối năm 2026)")
    )
    rule = forms.ChoiceField(label=_("Thời hạn trả lời tính theo"), choices=RULES)
    days = forms.IntegerField(label=_("Số ngày"), required=False, min_value=1, max_value=3660)
    until = rules.date_field(_("Hoặc đến ngày"), required=False, placeholder=True)
    held_on = rules.date_field(_("Ngày tiếp xúc cử tri"), required=False, placeholder=True)
    place = rules.TextField(label=_("Địa điểm"), required=False, limit=PLACE)
    deputies_group = rules.TextField(label=_("Tổ đại biểu"), required=False, limit=PLACE)

    def answer_deadline(self) -> dict:
        data = self.service_arguments()
        value = data["until"] if data["rule"] == "date" else data["days"]
        return {data["rule"]: value} if value else {}


class PetitionForm(_ServiceForm):
    text = rules.TextField(label=_("Nội dung kiến nghị"), rows=4)
    locality = rules.TextField(label=_("Địa phương (xã, phường)"), limit=PLACE)
    field = rules.TextField(label=_("Lĩnh vực"), required=False, limit=PLACE)
    committee = forms.ModelChoiceField(label=_("Ban theo dõi"), queryset=Committee.objects.none())
    competence = forms.ChoiceField(label=_("Thẩm quyền giải quyết"), choices=Competence.choices)
    meetings = forms.ModelMultipleChoiceField(
        label=_("Nêu tại buổi tiếp xúc"), required=False, queryset=VoterMeeting.objects.none()
    )

    def __init__(self, *args, petition_round: PetitionRound, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = Committee.objects.filter(
            council_id=petition_round.council_id
        )
        self.fields["meetings"].queryset = petition_round.meetings.all()
        self.fields["competence"].initial = Competence.PROVINCE


class RouteForm(_ServiceForm):
    lead = forms.ModelMultipleChoiceField(
        label=_("Cơ quan chủ trì (UBND tỉnh giao)"), queryset=Agency.objects.none()
    )
    coordinating = forms.ModelMultipleChoiceField(
        label=_("Cơ quan phối hợp"), required=False, queryset=Agency.objects.none()
    )

    def __init__(self, *args, council_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(council_id=council_id, is_active=True)
        self.fields["lead"].queryset = agencies
        self.fields["coordinating"].queryset = agencies

    def codes(self) -> dict:
        data = self.service_arguments()
        return {
            "lead_agency_codes": [a.code for a in data["lead"]],
            "coordinating_agency_codes": [a.code for a in data["coordinating"]],
        }


class GradeForm(_ServiceForm):
    case = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)
    outcome = forms.ChoiceField(label=_("Đánh giá trả lời"), choices=PetitionOutcome.choices)
    note = rules.TextField(label=_("Nhận xét của Ban"), required=False, rows=2)


class VerdictForm(_ServiceForm):
    accepted = forms.TypedChoiceField(
        label=_("Ý kiến cử tri về trả lời"),
        choices=[("1", _("Đồng tình")), ("0", _("Chưa đồng tình"))],
        coerce=lambda value: value == "1",
    )
    note = rules.TextField(label=_("Ghi chú (ý kiến của cử tri)"), required=False, rows=2)


class RepeatForm(_ServiceForm):
    candidate = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)
