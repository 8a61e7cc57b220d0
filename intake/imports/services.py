"""The only writers of imports: keep a checked file for its uploader, then write it once.

A file is read and its rows kept as text (`PendingImport`); the preview and the confirmation
both check those rows against the data of their own moment, so a confirmation never writes
what the preview would now refuse. The confirmation locks its pending row, so a second
(or concurrent) confirmation finds it confirmed and writes nothing."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from conclusions import rules
from intake.imports.base import SheetImport
from intake.imports.checking import Preview, check_rows, stored_rows
from intake.imports.reading import read_table
from intake.models import PendingImport
from workflow.errors import CaseConflict, CaseForbidden, CaseInvalid, CaseNotFound

NOT_ALLOWED = _("Bạn không có quyền nhập dữ liệu này cho %(council)s.")
NOTHING_WRITTEN = _("Chưa nhập dòng nào: %(reason)s")
STILL_BAD = _("Tệp còn %(count)s dòng có lỗi; chưa nhập dòng nào.")


class ImportInvalid(CaseInvalid):
    """The rows do not pass (any more): the preview to show instead."""

    def __init__(self, preview: Preview) -> None:
        super().__init__(STILL_BAD, count=preview.rows_with_errors)
        self.preview = preview


def pending_import_create(
    *, sheet_import: SheetImport, user, council, filename: str, data: bytes, options: dict
) -> PendingImport:
    """Read the file (BadFile if it cannot be) and keep its rows for `user` to confirm."""
    if not sheet_import.may_import(user, council):
        raise CaseForbidden(NOT_ALLOWED, council=council)
    rows, ignored = stored_rows(sheet_import, read_table(data, filename))
    _forget_expired()
    return PendingImport.objects.create(
        key=sheet_import.key,
        user=user,
        council=council,
        filename=filename[: rules.FILE_NAME],
        options=options,
        rows=rows,
        ignored_headers=ignored,
    )


def _forget_expired() -> None:
    """Files never confirmed go once their preview has expired (anyone's, at any upload)."""
    expired = timezone.now() - datetime.timedelta(hours=rules.IMPORT_PENDING_HOURS)
    PendingImport.objects.filter(created_at__lt=expired).delete()


def pending_import_preview(*, sheet_import: SheetImport, pending: PendingImport) -> Preview:
    """The kept rows checked now; nothing is written."""
    context = sheet_import.prepare(
        council=pending.council, options=pending_options(sheet_import, pending)
    )
    preview = check_rows(sheet_import, pending.rows, context)
    preview.ignored_headers = pending.ignored_headers
    return preview


def pending_options(sheet_import: SheetImport, pending: PendingImport) -> dict:
    form = sheet_import.make_options_form(
        MultiValueDict(pending.options), council=pending.council, user=pending.user
    )
    if form is None:
        return {}
    if not form.is_valid():
        raise CaseInvalid(_("Tùy chọn nhập không còn hợp lệ; hãy tải tệp lên lại."))
    return form.cleaned_data


def pending_import_confirm(*, sheet_import: SheetImport, pending_id, user) -> PendingImport:
    """Write every row in one transaction, once; a failure writes nothing."""
    with transaction.atomic():
        pending = _locked(sheet_import, pending_id, user)
        if not sheet_import.may_import(user, pending.council):
            raise CaseForbidden(NOT_ALLOWED, council=pending.council)
        options = pending_options(sheet_import, pending)
        context = sheet_import.prepare(council=pending.council, options=options)
        preview = check_rows(sheet_import, pending.rows, context)
        if not preview.is_valid:
            raise ImportInvalid(preview)
        summary = _write(sheet_import, preview, user, pending.council, context)
        pending.confirmed_at, pending.summary, pending.rows = timezone.now(), summary, []
        pending.save(update_fields=["confirmed_at", "summary", "rows"])
    return pending


def _locked(sheet_import: SheetImport, pending_id, user) -> PendingImport:
    pending = (
        PendingImport.objects.select_for_update()
        .select_related("council", "user")
        .filter(pk=pending_id, key=sheet_import.key, user=user)
        .first()
    )
    if pending is None:
        raise CaseNotFound(_("Không tìm thấy tệp nhập này."))
    if pending.confirmed_at is not None:
        raise CaseConflict(_("Tệp này đã được nhập; không nhập lại lần nữa."))
    if pending.created_at < timezone.now() - datetime.timedelta(hours=rules.IMPORT_PENDING_HOURS):
        raise CaseConflict(_("Bản xem trước đã quá hạn; hãy tải tệp lên lại."))
    return pending


def _write(sheet_import: SheetImport, preview: Preview, user, council, context) -> str:
    try:
        with transaction.atomic():
            return str(
                sheet_import.write(preview.cleaned(), actor=user, council=council, context=context)
            )
    except ValidationError as error:
        raise CaseInvalid(NOTHING_WRITTEN, reason=" ".join(error.messages)) from None
