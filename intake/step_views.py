"""The three human steps of the intake: the office registers (from the signed document, read
into a draft), the tracking committee checks agencies and deadlines, the Standing Committee
approves. Thin: the forms read, the services write, viewflow's activation moves the flow."""

from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from conclusions import rules
from conclusions.models import ConclusionNotice, Council, Recommendation
from conclusions.selectors import roles_of
from intake import drafts
from intake.entries import DeadlineScope, agency_book, preview
from intake.forms import ApprovalForm, NoticeRegistrationForm
from intake.item_forms import (
    PREFIX,
    RecommendationCheckForm,
    RecommendationFormSet,
    due_of,
    reshaped,
    save_corrections,
    written_deadline,
)
from intake.models import NoticeIntakeProcess
from intake.parsing import UnreadableNotice
from intake.services import notice_step_record
from workflow.calendar import explain
from workflow.errors import CaseError
from workflow.models import NoticeEventKind

READ, OPERATION = "_read", "_item"


def recommendations_of(notice: ConclusionNotice) -> QuerySet[Recommendation]:
    return notice.recommendations.select_related("accountable").prefetch_related(
        "lead_agencies", "coordinating_agencies"
    )


class RegisterNoticeView(TemplateView):
    """Start: the office clerk uploads the signed notice, corrects the draft read from it (or
    types one), and registers it with its recommendations."""

    template_name = "intake/register.html"

    def get(self, request, *args, **kwargs) -> HttpResponse:
        form = NoticeRegistrationForm(councils=self.councils)
        return self._page(form, self._items(None, form), token="")

    def post(self, request, *args, **kwargs) -> HttpResponse:
        data, token = request.POST, request.POST.get("draft", "")
        form = NoticeRegistrationForm(data, request.FILES, councils=self.councils)
        upload_ok = form["attachment"].errors == [] if request.FILES else True
        if request.FILES.get("attachment") and upload_ok:
            token = drafts.keep_upload(request.session, request.FILES["attachment"])
        if READ in data:
            return self._read(form, token)
        operation = data.get(OPERATION)
        if operation is not None:
            changed = reshaped(data, operation) or data
            form = NoticeRegistrationForm(changed, councils=self.councils)
            return self._page(form, self._items(changed, form), token=token, quiet=True)
        formset = self._items(data, form)
        if all([form.is_valid(), formset.is_valid()]):
            notice = self._register(form, formset, token)
            if notice is not None:
                return self._start(notice, token)
        return self._page(form, formset, token=token)

    @property
    def councils(self) -> QuerySet[Council]:
        return Council.objects.filter(pk__in=roles_of(self.request.user).clerk_council_ids)

    def _council(self, form) -> Council | None:
        chosen = form["council"].value()
        councils = self.councils
        return councils.filter(pk=chosen).first() if str(chosen).isdigit() else councils.first()

    def _scope(self, form) -> DeadlineScope | None:
        council = self._council(form)
        if council is None:
            return None
        issued = None
        field = form.fields["issue_date"]
        try:
            issued = field.clean(form["issue_date"].value())
        except Exception:  # a date not typed yet: counted from today, as the parser does
            issued = None
        return DeadlineScope.of(council, issued or timezone.localdate())

    def _items(self, data, form, initial=None):
        kwargs = {"book": agency_book(self.councils), "scope": self._scope(form)}
        return RecommendationFormSet(data, prefix=PREFIX, initial=initial, form_kwargs=kwargs)

    def _read(self, form, token: str) -> HttpResponse:
        entry = drafts.kept(self.request.session, token)
        council = self._council(form)
        if entry is None or council is None:
            form.add_error("attachment", _("Chọn tệp thông báo đã ký (.docx hoặc PDF) để đọc."))
            return self._page(form, self._items(None, form), token=token)
        try:
            draft = drafts.read_kept(entry, council)
        except UnreadableNotice as refusal:
            form.add_error("attachment", refusal.message)
            return self._page(form, self._items(None, form), token=token)
        notice, items = drafts.initial_values(draft, council)
        form = NoticeRegistrationForm(initial=notice, councils=self.councils)
        form.fields["issue_date"].initial = notice["issue_date"]
        messages.info(
            self.request,
            _("Đã đọc %(count)s kiến nghị từ văn bản. Kiểm tra các ô được đánh dấu rồi vào sổ.")
            % {"count": len(draft.recommendations)},
        )
        return self._page(form, self._items(None, form, initial=items), token=token)

    def _register(self, form, formset, token: str) -> ConclusionNotice | None:
        entry = drafts.kept(self.request.session, token)
        attachment = drafts.open_kept(entry) if entry else None
        try:
            return form.register(
                recommendations=formset.inputs(), actor=self.request.user, attachment=attachment
            )
        finally:
            if attachment is not None:
                attachment.close()

    def _page(self, form, formset, *, token: str, quiet: bool = False) -> HttpResponse:
        entry = drafts.kept(self.request.session, token)
        book = agency_book(self.councils)
        context = self.get_context_data(
            form=form,
            formset=formset,
            token=token if entry else "",
            document=entry,
            document_lines=drafts.document_lines(entry) if entry else [],
            agencies=book.rows(),
            quiet=quiet,
            max_items=rules.RECOMMENDATIONS,
        )
        return self.render_to_response(context)

    def _start(self, notice: ConclusionNotice, token: str) -> HttpResponse:
        drafts.drop(self.request.session, token)  # the notice holds its own copy now
        activation = self.request.activation
        activation.process.notice = notice
        with transaction.atomic():
            activation.execute()
            tell_next(notice, NoticeEventKind.REGISTERED, self.request.user)
        messages.success(
            self.request,
            _("Đã vào sổ thông báo %(number)s; đã báo Ban theo dõi kiểm tra.")
            % {"number": notice.number},
        )
        return redirect(activation.get_success_url(self.request))


class _TaskPage(TemplateView):
    """A human step of the flow: the notice being taken in, and how to finish the step."""

    @property
    def process(self) -> NoticeIntakeProcess:
        return self.request.activation.process

    @property
    def scope(self) -> DeadlineScope:
        notice = self.process.notice
        return DeadlineScope.of(notice.council, notice.issue_date)

    def get_context_data(self, **kwargs):
        notice = self.process.notice
        return super().get_context_data(
            process=self.process,
            notice=notice,
            recommendations=with_due_dates(recommendations_of(notice), self.scope),
            **kwargs,
        )

    def finish(self, message, told: NoticeEventKind, note: str = "") -> HttpResponse:
        activation = self.request.activation
        with transaction.atomic():
            activation.execute()
            tell_next(self.process.notice, told, self.request.user, note)
        messages.success(self.request, message % {"number": self.process.notice.number})
        return redirect(activation.get_success_url(self.request))


def tell_next(notice, kind: NoticeEventKind, actor, note: str = "") -> None:
    """Record the step; the notifications app tells whoever must act next."""
    if kind == NoticeEventKind.APPROVED:
        link = f"{reverse('workflow:case_list')}?notice={notice.pk}"
    else:
        link = reverse("intake:queue")
    notice_step_record(notice=notice, kind=kind, actor=actor, link=link, note=note)


def with_due_dates(recommendations, scope: DeadlineScope) -> list[Recommendation]:
    """Each recommendation with `due` (the date its case will get) and `due_summary`."""
    items = list(recommendations)
    language = get_language() or "vi"
    for item in items:
        deadline = due_of(item, scope)
        item.due = deadline.due if deadline else None
        item.due_summary = explain(deadline, language) if deadline else ""
        item.written = written_deadline(item)
    return items


class CheckRecommendationsView(_TaskPage):
    """The tracking committee corrects the agencies and deadlines, then passes it on."""

    template_name = "intake/check.html"

    def get(self, request, *args, **kwargs) -> HttpResponse:
        return self._page(self._forms())

    def post(self, request, *args, **kwargs) -> HttpResponse:
        check_forms = self._forms(request.POST)
        if all([form.is_valid() for form in check_forms]) and save_corrections(check_forms):
            return self.finish(
                _("Đã kiểm tra thông báo %(number)s; đã báo Thường trực HĐND phê duyệt."),
                NoticeEventKind.CHECKED,
            )
        return self._page(check_forms)

    def _forms(self, data=None) -> list[RecommendationCheckForm]:
        notice = self.process.notice
        book = agency_book([notice.council_id])
        scope = self.scope
        return [
            RecommendationCheckForm(data, recommendation=item, book=book, scope=scope)
            for item in with_due_dates(recommendations_of(notice), scope)
        ]

    def _page(self, check_forms) -> HttpResponse:
        book = agency_book([self.process.notice.council_id])
        context = self.get_context_data(check_forms=check_forms, agencies=book.rows())
        return self.render_to_response(context)


class ApproveNoticeView(_TaskPage):
    """The Standing Committee approves (the cases open) or returns it to the committee."""

    template_name = "intake/approve.html"

    def get(self, request, *args, **kwargs) -> HttpResponse:
        return self._page(ApprovalForm(instance=self.process))

    def post(self, request, *args, **kwargs) -> HttpResponse:
        form = ApprovalForm(request.POST, instance=self.process)
        if not form.is_valid():
            return self._page(form)
        try:
            with transaction.atomic():
                process = form.save()
                told = NoticeEventKind.APPROVED if process.approved else NoticeEventKind.RETURNED
                return self.finish(self._done_message(process), told, process.review_note)
        except CaseError as refusal:
            messages.error(request, refusal.message)
            return self._page(form, status=refusal.status)

    def _done_message(self, process: NoticeIntakeProcess):
        if process.approved:
            return _("Đã phê duyệt thông báo %(number)s; hồ sơ theo dõi đã được mở.")
        return _("Đã trả lại thông báo %(number)s; đã báo Ban theo dõi kiểm tra lại.")

    def _page(self, form, status: int = 200) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=status)


def deadline_preview(request) -> JsonResponse:
    """The deadline field's computed date while the user types: `words`, `issued`
    (dd/mm/yyyy, default today) and `council` (id, default the user's own)."""
    roles = roles_of(request.user)
    councils = Council.objects.filter(pk__in=roles.council_ids | _committee_councils(roles))
    council = councils.filter(pk=request.GET.get("council") or 0).first() or councils.first()
    if council is None:
        return JsonResponse({"ok": False, "problem": str(_("Không tìm thấy HĐND."))}, status=404)
    words = request.GET.get("words", "")[: rules.DEADLINE_PHRASE]
    issued = _day(request.GET.get("issued", ""))
    return JsonResponse(preview(words, DeadlineScope.of(council, issued), get_language() or "vi"))


def _committee_councils(roles) -> set[int]:
    from conclusions.models import Committee

    ids = Committee.objects.filter(pk__in=roles.committee_ids).values_list("council_id", flat=True)
    return set(ids)


def _day(text: str):
    field = rules.date_field("", required=False)
    try:
        return field.clean(text)
    except Exception:
        return None
