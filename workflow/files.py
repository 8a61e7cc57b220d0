"""Stored files (evidence, notice attachments) are served only to those who may see the case
or notice they belong to; anyone else gets a 404. Nothing under MEDIA_ROOT is public."""

import mimetypes

from django.contrib.auth.decorators import login_required
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404

from workflow.selectors import evidence_visible_to, notices_visible_to


def file_response(stored: FieldFile, name: str, content_type: str | None = None) -> FileResponse:
    """The file as a download under its original name; never rendered by the browser."""
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    guessed = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(
        handle, as_attachment=True, filename=name, content_type=content_type or guessed
    )


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = get_object_or_404(evidence_visible_to(request.user), pk=pk)
    return file_response(evidence.file, evidence.original_name)


@login_required
def notice_attachment(request: HttpRequest, pk: int) -> FileResponse:
    notice = get_object_or_404(notices_visible_to(request.user).exclude(attachment=""), pk=pk)
    return file_response(notice.attachment, notice.attachment.name.rsplit("/", 1)[-1])
