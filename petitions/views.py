"""Thin web pages for voter petitions: rounds, a round's petitions (and entering one), a
petition (its suggested repeats, routing or sending again to its commune, the committee's
grading of each answer, the voters' verdict). Reads through petitions.selectors, writes
through petitions.services; a refusal shows the page again with its 4xx, as the case page
does."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from viewflow.urls import Application

from conclusions.models import Council
from conclusions.selectors import roles_of
from petitions import services
from petitions.forms import GradeForm, PetitionForm, RepeatForm, RoundForm, RouteForm, VerdictForm
from petitions.models import Competence, Petition
from petitions.outcomes import PetitionOutcome, petition_outcome
from petitions.selectors import (
    may_record_verdict,
    may_register,
    petition_cases,
    petitions_visible_to,
    questioning_candidate,
    rounds_visible_to,
    times_raised,
)
from workflow.errors import CaseError, CaseInvalid
from workflow.models import CaseState
from workflow.transitions import Action, role_allows

ROWS = 200


class RoundListView(LoginRequiredMixin, TemplateView):
    """ "Kiến nghị cử tri": the rounds, and for the office the form that opens one."""

    template_name = "petitions/round_list.html"

    def get_context_data(self, form=None, **kwargs):
        user = self.request.user
        councils = list(_register_councils(user))
        rounds = rounds_visible_to(user).select_related("council", "notice")
        counts = dict(petitions_visible_to(user).values_list("round_id").annotate(n=Count("id")))
        rows = [{"round": r, "count": counts.get(r.pk, 0)} for r in rounds[:ROWS]]
        # A commune's own petitions from the province arrive as cases, not as a round of its own.
        received = Petition.objects.filter(
            commune_council_id__in=roles_of(user).council_ids, recommendation__isnull=False
        ).count()
        return super().get_context_data(
            rows=rows,
            received=received,
            councils=councils,
            form=form or (RoundForm() if councils else None),
            **kwargs,
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = RoundForm(request.POST)
        try:
            council = _chosen_council(request)
            created = services.round_open(
                council=council,
                sitting_name=form.service_arguments()["sitting_name"],
                answer_deadline=form.answer_deadline(),
                actor=request.user,
                meetings=_meetings(form),
            )
        except CaseError as refusal:
            messages.error(request, refusal.message)
            return self.render_to_response(self.get_context_data(form=form), status=refusal.status)
        messages.success(request, _("Đã mở đợt: %(round)s.") % {"round": created})
        return redirect("petitions:round_detail", pk=created.pk)


def _register_councils(user):
    """The councils whose rounds this user may open: their office or Standing Committee."""
    roles = roles_of(user)
    if roles.is_admin:
        return Council.objects.order_by("name")
    return Council.objects.filter(pk__in=roles.council_ids).order_by("name")


def _chosen_council(request) -> Council:
    councils = list(_register_councils(request.user))
    chosen = [c for c in councils if str(c.pk) == request.POST.get("council")]
    if not chosen and len(councils) == 1:
        chosen = councils
    if not chosen:
        raise CaseInvalid(_("Vui lòng chọn HĐND."))
    return chosen[0]


def _meetings(form: RoundForm) -> list:
    data = form.service_arguments()
    if not data["held_on"]:
        return []
    return [services.MeetingInput(data["held_on"], data["place"], data["deputies_group"])]


class RoundDetailView(LoginRequiredMixin, TemplateView):
    """One round's petitions; the office enters new ones here."""

    template_name = "petitions/round_detail.html"

    def get_context_data(self, form=None, **kwargs):
        user = self.request.user
        petition_round = get_object_or_404(
            rounds_visible_to(user).select_related("council", "notice"), pk=self.kwargs["pk"]
        )
        petitions = petitions_visible_to(user).filter(round=petition_round)
        repeats_only = self.request.GET.get("repeats") == "1"
        if repeats_only:
            petitions = petitions.filter(repeat_of__isnull=False)
        petitions = list(
            petitions.select_related("committee", "commune_council").order_by("number")[:ROWS]
        )
        raised = times_raised(petitions)
        may = may_register(user, petition_round.council_id)
        return super().get_context_data(
            round=petition_round,
            rows=[_row(p, raised[p.pk]) for p in petitions],
            repeats_only=repeats_only,
            form=form or (PetitionForm(petition_round=petition_round) if may else None),
            **kwargs,
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        petition_round = get_object_or_404(rounds_visible_to(request.user), pk=pk)
        form = PetitionForm(request.POST, petition_round=petition_round)
        try:
            registered = services.petition_register(
                round=petition_round, actor=request.user, **form.service_arguments()
            )
        except CaseError as refusal:
            messages.error(request, refusal.message)
            return self.render_to_response(self.get_context_data(form=form), status=refusal.status)
        messages.success(request, _entered_message(registered))
        return redirect("petitions:petition_detail", pk=registered.petition.pk)


def _entered_message(registered) -> str:
    number = registered.petition.number
    if registered.suggestions:
        return _(
            "Đã vào sổ kiến nghị số %(number)s. Có %(n)s kiến nghị của các kỳ họp trước có thể "
            "trùng: vui lòng xác nhận hoặc bỏ qua bên dưới."
        ) % {"number": number, "n": len(registered.suggestions)}
    return _("Đã vào sổ kiến nghị số %(number)s.") % {"number": number}


def _row(petition: Petition, raised: int) -> dict:
    return {
        "petition": petition,
        "raised": raised,
        "candidate": questioning_candidate(petition, raised),
        "routed": petition.recommendation_id is not None,
    }


class PetitionDetailView(LoginRequiredMixin, TemplateView):
    template_name = "petitions/petition_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        petition = get_object_or_404(
            petitions_visible_to(user).select_related(
                "round",
                "committee",
                "council",
                "repeat_of__round",
                "verdict_by",
                "commune_council",
                "recommendation__tracking_committee",
            ),
            pk=self.kwargs["pk"],
        )
        raised = times_raised([petition])[petition.pk]
        may = may_register(user, petition.council_id)
        cases = list(petition_cases(petition, user))
        return super().get_context_data(
            petition=petition,
            raised=raised,
            candidate=questioning_candidate(petition, raised),
            round_visible=rounds_visible_to(user).filter(pk=petition.round_id).exists(),
            commune_agencies=_commune_agencies(petition),
            may_register=may,
            suggestions=services.petition_suggestions(petition) if may else [],
            cases=[_case_row(case, user) for case in cases],
            route_form=self._route_form(petition, may),
            may_send_to_commune=may and self._forwarded_commune(petition),
            verdict_form=VerdictForm() if self._verdict_open(petition, cases) else None,
            **kwargs,
        )

    def _route_form(self, petition, may):
        open_ = not petition.recommendation_id and not petition.forwarded_to
        if may and open_ and petition.competence == Competence.PROVINCE:
            return RouteForm(council_id=petition.council_id)
        return None

    def _forwarded_commune(self, petition) -> bool:
        """Recorded as forwarded to its commune: it can be sent again once the commune's
        council uses Đôn đốc (until the voters' verdict on it is recorded)."""
        forwarded = petition.competence == Competence.COMMUNE and petition.forwarded_to
        return bool(forwarded) and petition.accepted is None

    def _verdict_open(self, petition, cases) -> bool:
        answered = petition.forwarded_to or any(
            c.state in (CaseState.REPORTED, CaseState.CLOSED) for c in cases
        )
        if petition.sent_to_commune:  # its case is the commune's, not among the user's
            answered = services.petition_answered(petition)
        return bool(answered) and may_record_verdict(self.request.user, petition)


def _commune_agencies(petition: Petition) -> str:
    """Who answers a petition sent to its commune's council: the lead of its item there."""
    if not petition.sent_to_commune:
        return ""
    return ", ".join(a.name for a in petition.recommendation.lead_agencies.all())


def _case_row(case, user) -> dict:
    may_grade = case.state == CaseState.REPORTED and role_allows(case, Action.CLOSE, user)
    outcome = petition_outcome(case.outcome) if case.state == CaseState.CLOSED else ""
    closed = case.state == CaseState.CLOSED
    return {
        "case": case,
        "outcome_label": PetitionOutcome(outcome).label
        if outcome
        else closed and case.get_outcome_display(),
        "grade_form": GradeForm(initial={"case": case.pk}, auto_id=f"id_grade{case.pk}_%s")
        if may_grade
        else None,
    }


class PetitionActionView(PetitionDetailView):
    """POST one of the petition's actions; a refusal shows the petition again with a 4xx."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        petition = get_object_or_404(petitions_visible_to(request.user), pk=pk)
        handler = ACTIONS.get(action)
        if handler is None:
            return self._refused(request, CaseInvalid(_("Thao tác không hợp lệ.")))
        try:
            done = handler(request, petition)
        except CaseError as refusal:
            return self._refused(request, refusal)
        messages.success(request, done)
        return redirect("petitions:petition_detail", pk=petition.pk)

    def _refused(self, request, refusal: CaseError) -> HttpResponse:
        messages.error(request, refusal.message)
        return self.render_to_response(self.get_context_data(), status=refusal.status)


def _route(request, petition) -> str:
    form = RouteForm(request.POST, council_id=petition.council_id)
    cases = services.petition_route(petition=petition, actor=request.user, **form.codes())
    deadline = cases[0].deadline
    return _(
        "Đã chuyển kiến nghị cho %(agencies)s, hạn trả lời %(deadline)s; "
        "%(committee)s theo dõi, đánh giá câu trả lời."
    ) % {
        "agencies": ", ".join(case.agency.name for case in cases),
        "deadline": deadline.strftime("%d/%m/%Y") if deadline else _("thường xuyên"),
        "committee": petition.committee.name,
    }


def _send_to_commune(request, petition) -> str:
    case = services.petition_send_to_commune(petition=petition, actor=request.user)
    return _(
        "Đã gửi kiến nghị đến %(council)s: %(agency)s trả lời trên Đôn đốc, hạn %(deadline)s."
    ) % {
        "council": case.agency.council,
        "agency": case.agency.name,
        "deadline": case.deadline.strftime("%d/%m/%Y") if case.deadline else _("thường xuyên"),
    }


def _grade(request, petition) -> str:
    data = GradeForm(request.POST).service_arguments()
    case = petition_cases(petition, request.user).filter(pk=data.pop("case")).first()
    if case is None:
        raise CaseInvalid(_("Không tìm thấy hồ sơ."))
    services.petition_grade(petition=petition, case=case, actor=request.user, **data)
    return _("Đã ghi nhận đánh giá của Ban; hồ sơ đã đóng.")


def _verdict(request, petition) -> str:
    data = VerdictForm(request.POST).service_arguments()
    services.petition_verdict(petition=petition, actor=request.user, **data)
    return _("Đã ghi nhận ý kiến cử tri.")


def _candidate(request, petition) -> Petition:
    pk = RepeatForm(request.POST).service_arguments()["candidate"]
    found = petitions_visible_to(request.user).filter(pk=pk).first()
    if found is None:
        raise CaseInvalid(_("Không tìm thấy kiến nghị."))
    return found


def _confirm(request, petition) -> str:
    first = _candidate(request, petition)
    services.petition_mark_repeat(petition=petition, actor=request.user, first=first)
    return _("Đã xác nhận: kiến nghị này được nêu lại.")


def _reject(request, petition) -> str:
    other = _candidate(request, petition)
    services.petition_reject_repeat(petition=petition, actor=request.user, candidate=other)
    return _("Đã bỏ qua gợi ý: đó là kiến nghị khác.")


def _unlink(request, petition) -> str:
    services.petition_mark_repeat(petition=petition, actor=request.user, first=None)
    return _("Đã bỏ liên kết kiến nghị lặp lại.")


ACTIONS = {
    "route": _route,
    "send-to-commune": _send_to_commune,
    "grade": _grade,
    "verdict": _verdict,
    "confirm": _confirm,
    "reject": _reject,
    "unlink": _unlink,
}


class PetitionsApplication(Application):
    app_name = "petitions"
    title = _("Kiến nghị cử tri")
    icon = "record_voice_over"
    menu_template_name = "petitions/menu.html"

    round_list_path = path("", RoundListView.as_view(), name="round_list")
    round_detail_path = path("rounds/<int:pk>/", RoundDetailView.as_view(), name="round_detail")
    petition_detail_path = path("<int:pk>/", PetitionDetailView.as_view(), name="petition_detail")
    petition_action_path = path(
        "<int:pk>/<slug:action>/", PetitionActionView.as_view(), name="petition_action"
    )

    def has_view_permission(self, user, obj=None) -> bool:
        return True
