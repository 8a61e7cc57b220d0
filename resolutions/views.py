"""The register, evaluations, programmes and questions as pages: reads through the selectors,
writes through the services, refusals shown in the user's language."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from viewflow.urls import Application

from conclusions.models import Committee, Council
from conclusions.selectors import roles_of
from resolutions.figures import with_effect
from resolutions.forms import (
    EvaluationForm,
    ItemForm,
    NoticeForm,
    ProgrammeForm,
    QuestionForm,
    ResolutionForm,
)
from resolutions.models import Programme
from resolutions.selectors import (
    may_keep_register,
    may_see_callers,
    programmes_visible_to,
    questions_visible_to,
    resolutions_visible_to,
)
from resolutions.services import (
    evaluation_record,
    programme_create,
    programme_notice,
    question_add,
    resolution_items_add,
    resolution_register,
)
from workflow.errors import CaseError
from workflow.selectors import cases_visible_to

ROWS = 200
REFUSALS = (CaseError, ValidationError)  # the services' refusals: nothing was written


def _keeper_council(user) -> Council | None:
    """The council whose register this user keeps (Standing Committee or office)."""
    roles = roles_of(user)
    return Council.objects.filter(pk__in=roles.council_ids).order_by("pk").first()


def _refused(request: HttpRequest, refusal: Exception) -> None:
    # A ValidationError's `message` keeps its parameters apart; `messages` fills them in.
    text = refusal.message if isinstance(refusal, CaseError) else "; ".join(refusal.messages)
    messages.error(request, text)


class ResolutionListView(LoginRequiredMixin, TemplateView):
    """ "Nghị quyết": the register this user may see, each with its effect class today."""

    template_name = "resolutions/resolution_list.html"

    def get_context_data(self, form=None, **kwargs):
        user = self.request.user
        rows = with_effect(resolutions_visible_to(user), timezone.localdate()).select_related(
            "lead_agency"
        )
        council = _keeper_council(user)
        if form is None and council is not None:
            form = ResolutionForm(council=council)
        return super().get_context_data(
            resolutions=rows.order_by("-adopted_on", "-id")[:ROWS], form=form, **kwargs
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        council = _keeper_council(request.user)
        if council is None:
            raise Http404
        form = ResolutionForm(request.POST, council=council)
        try:
            resolution = resolution_register(
                council=council, actor=request.user, **form.service_arguments()
            )
        except REFUSALS as refusal:
            _refused(request, refusal)
            context = self.get_context_data(form=form)
            return self.render_to_response(context, status=getattr(refusal, "status", 400))
        return redirect("resolutions:resolution_detail", pk=resolution.pk)


class ResolutionDetailView(LoginRequiredMixin, TemplateView):
    """A resolution, its implementation items with their cases, its evaluations; the
    register's keepers (Standing Committee, office) give it new items here."""

    template_name = "resolutions/resolution_detail.html"

    def get_context_data(self, form=None, item_form=None, **kwargs):
        user = self.request.user
        resolution = get_object_or_404(
            resolutions_visible_to(user).select_related("lead_agency", "committee", "notice"),
            pk=self.kwargs["pk"],
        )
        cases = (
            cases_visible_to(user)
            .filter(recommendation__resolution_item__resolution=resolution)
            .select_related("notice", "recommendation", "agency", "committee")
            .order_by("recommendation__position")
        )
        may_evaluate = _may_evaluate(user, resolution.council_id)
        keeper = may_keep_register(user, resolution.council_id)
        return super().get_context_data(
            resolution=resolution,
            page=list(cases),
            evaluations=resolution.evaluations.select_related("evaluated_by"),
            form=form or (EvaluationForm() if may_evaluate else None),
            item_form=(item_form or ItemForm(resolution=resolution)) if keeper else None,
            **kwargs,
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        resolution = get_object_or_404(
            resolutions_visible_to(request.user).select_related("council", "lead_agency"), pk=pk
        )
        adding = request.POST.get("form") == "item"
        if adding:
            form, write = ItemForm(request.POST, resolution=resolution), _add_item
        else:
            form, write = EvaluationForm(request.POST), _evaluate
        try:
            done = write(resolution, request.user, form.service_arguments())
        except REFUSALS as refusal:
            _refused(request, refusal)
            context = self.get_context_data(**{"item_form" if adding else "form": form})
            return self.render_to_response(context, status=getattr(refusal, "status", 400))
        messages.success(request, done)
        return redirect("resolutions:resolution_detail", pk=pk)


def _add_item(resolution, user, data: dict) -> str:
    """The API's service (resolution_items_add): the item's case opens at once, its deadline
    counted on the council's working-day calendar."""
    (item,) = resolution_items_add(resolution=resolution, actor=user, **data)
    recommendation = item.recommendation
    case = recommendation.cases.order_by("pk").first()  # one per commune for "UBND các xã"
    deadline = f"{case.deadline:%d/%m/%Y}" if case.deadline else _("thường xuyên")
    return _("Đã giao “%(kind)s” cho %(agency)s, thời hạn %(deadline)s.") % {
        "kind": item.get_kind_display(),
        "agency": recommendation.lead_agencies.get(),
        "deadline": deadline,
    }


def _evaluate(resolution, user, data: dict) -> str:
    evaluation_record(resolution=resolution, actor=user, **data)
    return _("Đã ghi đánh giá.")


def _may_evaluate(user, council_id: int) -> bool:
    roles = roles_of(user)
    committees = Committee.objects.filter(pk__in=roles.committee_ids, council_id=council_id)
    return roles.is_admin or council_id in roles.council_ids or committees.exists()


def _programme_committees(user):
    roles = roles_of(user)
    if roles.is_admin:
        return Committee.objects.all()
    return Committee.objects.filter(council_id__in=roles.council_ids) | Committee.objects.filter(
        pk__in=roles.committee_ids
    )


class ProgrammeListView(LoginRequiredMixin, TemplateView):
    """ "Lắng nghe và Trao đổi": the episodes this user may see."""

    template_name = "resolutions/programme_list.html"

    def get_context_data(self, form=None, **kwargs):
        committees = _programme_committees(self.request.user)
        if form is None and committees.exists():
            form = ProgrammeForm(committees=committees)
        programmes = programmes_visible_to(self.request.user).select_related("committee")
        return super().get_context_data(
            programmes=programmes.order_by("-aired_on", "-id")[:ROWS], form=form, **kwargs
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ProgrammeForm(request.POST, committees=_programme_committees(request.user))
        try:
            programme = programme_create(actor=request.user, **form.service_arguments())
        except REFUSALS as refusal:
            _refused(request, refusal)
            context = self.get_context_data(form=form)
            return self.render_to_response(context, status=getattr(refusal, "status", 400))
        return redirect("resolutions:programme_detail", pk=programme.pk)


class ProgrammeDetailView(LoginRequiredMixin, TemplateView):
    """An episode, its questions (a department: those named to it; callers: the office
    only), the form to write a question down and the one-click notice."""

    template_name = "resolutions/programme_detail.html"

    def _programme(self) -> Programme:
        return get_object_or_404(
            programmes_visible_to(self.request.user).select_related("committee", "notice"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, question_form=None, notice_form=None, **kwargs):
        user, programme = self.request.user, self._programme()
        keeper = _keeps_programme(user, programme)
        questions = (
            questions_visible_to(user)
            .filter(programme=programme)
            .select_related("agency", "recommendation")
            .prefetch_related("recommendation__cases")
        )
        return super().get_context_data(
            programme=programme,
            questions=questions,
            callers=may_see_callers(user, programme.council_id),
            question_form=question_form
            or (QuestionForm(council=programme.council) if keeper else None),
            notice_form=notice_form or (NoticeForm() if keeper else None),
            **kwargs,
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = self._programme()
        if request.POST.get("form") == "notice":
            form, kwargs = NoticeForm(request.POST), {"notice_form": None}
            action = _make_notice
        else:
            form, kwargs = QuestionForm(request.POST, council=programme.council), {}
            action = _add_question
        try:
            action(programme, request.user, form.service_arguments())
        except REFUSALS as refusal:
            _refused(request, refusal)
            key = "notice_form" if request.POST.get("form") == "notice" else "question_form"
            kwargs[key] = form
            context = self.get_context_data(**kwargs)
            return self.render_to_response(context, status=getattr(refusal, "status", 400))
        return redirect("resolutions:programme_detail", pk=pk)


def _keeps_programme(user, programme) -> bool:
    roles = roles_of(user)
    return (
        roles.is_admin
        or programme.council_id in roles.council_ids
        or programme.committee_id in roles.committee_ids
    )


def _add_question(programme, user, data: dict) -> None:
    question_add(programme=programme, actor=user, **data)


def _make_notice(programme, user, data: dict) -> None:
    programme_notice(programme=programme, actor=user, **data)


class ResolutionsApplication(Application):
    app_name = "resolutions"
    title = _("Nghị quyết, đường dây nóng")
    icon = "gavel"
    menu_template_name = "resolutions/menu.html"

    resolution_list_path = path("", ResolutionListView.as_view(), name="resolution_list")
    resolution_detail_path = path(
        "<int:pk>/", ResolutionDetailView.as_view(), name="resolution_detail"
    )
    programme_list_path = path("programmes/", ProgrammeListView.as_view(), name="programme_list")
    programme_detail_path = path(
        "programmes/<int:pk>/", ProgrammeDetailView.as_view(), name="programme_detail"
    )

    def has_view_permission(self, user, obj=None) -> bool:
        return True
