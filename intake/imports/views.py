"""The import pages: the list, the upload (with its template), the preview and the confirm.
Thin: the reading, checking and writing are intake.imports' services."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.datastructures import MultiValueDict
from django.views.generic import TemplateView

from conclusions.models import Council
from intake.imports.base import SheetImport, get_import, registered_imports
from intake.imports.forms import UploadForm
from intake.imports.reading import BadFile
from intake.imports.rendering import preview_table
from intake.imports.services import (
    ImportInvalid,
    pending_import_confirm,
    pending_import_create,
    pending_import_preview,
)
from intake.imports.template import template_workbook
from intake.models import PendingImport
from intake.selectors import councils_of_member
from workflow.errors import CaseError, CaseNotFound

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OPTIONS_PREFIX = "options"


def councils_importing(user, sheet_import: SheetImport) -> QuerySet[Council]:
    councils = councils_of_member(user).order_by("name")
    allowed = [c.pk for c in councils if sheet_import.may_import(user, c)]
    return Council.objects.filter(pk__in=allowed).order_by("name")


class ImportListView(LoginRequiredMixin, TemplateView):
    """ "Nhập từ Excel": the imports this user may run."""

    template_name = "intake/imports/list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        imports = [i for i in registered_imports() if councils_importing(user, i).exists()]
        return super().get_context_data(imports=imports, **kwargs)


class _ImportView(LoginRequiredMixin, TemplateView):
    def dispatch(self, request, *args, **kwargs):
        self.sheet_import = get_import(kwargs["key"])
        if self.sheet_import is None:
            raise Http404
        if request.user.is_authenticated:
            self.councils = councils_importing(request.user, self.sheet_import)
            if not self.councils.exists():
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(sheet_import=self.sheet_import, **kwargs)


class ImportTemplateView(_ImportView):
    def get(self, request, *args, **kwargs) -> HttpResponse:
        response = HttpResponse(template_workbook(self.sheet_import), content_type=XLSX)
        name = f"mau-nhap-{self.sheet_import.key}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ImportUploadView(_ImportView):
    template_name = "intake/imports/upload.html"

    def get(self, request, *args, **kwargs) -> HttpResponse:
        return self._page(UploadForm(councils=self.councils), self._options_form(None))

    def post(self, request, *args, **kwargs) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES, councils=self.councils)
        if not form.is_valid():
            return self._page(form, self._options_form(None), status=400)
        council = form.cleaned_data["council"]
        options = self._options_form(request.POST, council)
        if options is not None and not options.is_valid():
            return self._page(form, options, status=400)
        try:
            pending = self._create(form, council, options)
        except BadFile as error:
            form.add_error("file", str(error))
            return self._page(form, options, status=400)
        except CaseError as refusal:
            form.add_error(None, refusal.message)
            return self._page(form, options, status=refusal.status)
        return redirect("intake:imports:preview", key=self.sheet_import.key, pk=pending.pk)

    def _create(self, form, council, options) -> PendingImport:
        upload = form.cleaned_data["file"]
        return pending_import_create(
            sheet_import=self.sheet_import,
            user=self.request.user,
            council=council,
            filename=upload.name or "",
            data=upload.read(),
            options=_raw_options(options),
        )

    def _options_form(self, data, council=None):
        council = council or self.councils.first()
        form = self.sheet_import.make_options_form(data, council=council, user=self.request.user)
        if form is not None:
            form.prefix = OPTIONS_PREFIX
        return form

    def _page(self, form, options, status: int = 200) -> HttpResponse:
        context = self.get_context_data(form=form, options_form=options)
        return self.render_to_response(context, status=status)


def _raw_options(form) -> dict:
    """The options form's fields as posted, to bind the form again at confirmation."""
    if form is None:
        return {}
    data: MultiValueDict = form.data
    return {name: data.getlist(form.add_prefix(name)) for name in form.fields}


class ImportPreviewView(_ImportView):
    template_name = "intake/imports/preview.html"

    def get(self, request, *args, **kwargs) -> HttpResponse:
        pending = self._pending(kwargs["pk"])
        if pending.confirmed_at is not None:
            return self._page(pending, None)
        try:
            preview = pending_import_preview(sheet_import=self.sheet_import, pending=pending)
        except CaseError as refusal:
            messages.error(request, refusal.message)
            return self._page(pending, None, status=refusal.status)
        return self._page(pending, preview)

    def post(self, request, *args, **kwargs) -> HttpResponse:
        try:
            pending = pending_import_confirm(
                sheet_import=self.sheet_import, pending_id=kwargs["pk"], user=request.user
            )
        except CaseNotFound:
            raise Http404 from None
        except ImportInvalid as refusal:
            messages.error(request, refusal.message)
            return self._page(self._pending(kwargs["pk"]), refusal.preview, status=400)
        except CaseError as refusal:
            messages.error(request, refusal.message)
            return self._page(self._pending(kwargs["pk"]), None, status=refusal.status)
        messages.success(request, pending.summary)
        return redirect("intake:imports:preview", key=self.sheet_import.key, pk=pending.pk)

    def _pending(self, pk) -> PendingImport:
        mine = PendingImport.objects.filter(user=self.request.user, key=self.sheet_import.key)
        return get_object_or_404(mine.select_related("council", "user"), pk=pk)

    def _page(self, pending: PendingImport, preview, status: int = 200) -> HttpResponse:
        only_errors = self.request.GET.get("loi") == "1"
        table = ""
        if preview is not None:
            table = preview_table(self.sheet_import, preview, only_errors=only_errors)
        context = self.get_context_data(
            pending=pending, preview=preview, table=table, only_errors=only_errors
        )
        return self.render_to_response(context, status=status)
