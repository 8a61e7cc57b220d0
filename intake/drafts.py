"""The signed notice a clerk uploads: kept aside while the registration page goes back and
forth (in storage, its key in the clerk's own session, so that nobody else can claim it),
read into the page's initial values, and attached to the notice once it is registered."""

import json
import uuid

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.formats import date_format

from conclusions.models import Agency, Committee, Council
from intake.parsing import NoticeDraft, UnreadableNotice, parse_notice
from intake.parsing.extract import extract_blocks
from intake.parsing.text import clean

SESSION_KEY = "intake_drafts"
FOLDER = "intake-drafts"
KEEP = 20  # drafts a session remembers


def keep_upload(session, upload) -> str:
    """Store the upload; the token that names it in this session."""
    token = uuid.uuid4().hex
    name = clean(upload.name)[-100:] or "thong-bao"
    path = default_storage.save(f"{FOLDER}/{token}", upload)
    drafts = dict(session.get(SESSION_KEY, {}))
    drafts[token] = {"path": path, "name": name}
    for old in list(drafts)[:-KEEP]:
        _forget(drafts, old)
    session[SESSION_KEY] = drafts
    return token


def kept(session, token: str) -> dict | None:
    """{"path", "name"} of this session's own draft file, or None."""
    entry = session.get(SESSION_KEY, {}).get(token or "")
    if entry and default_storage.exists(entry["path"]):
        return entry
    return None


def open_kept(entry: dict) -> File:
    return File(default_storage.open(entry["path"], "rb"), name=entry["name"])


def drop(session, token: str) -> None:
    drafts = dict(session.get(SESSION_KEY, {}))
    _forget(drafts, token)
    session[SESSION_KEY] = drafts


def _forget(drafts: dict, token: str) -> None:
    entry = drafts.pop(token, None)
    if entry:
        default_storage.delete(entry["path"])


def document_lines(entry: dict) -> list[str]:
    """The document's text, paragraph by paragraph (table rows cell by cell), to read beside
    the form; empty when it cannot be read (the form says why)."""
    with default_storage.open(entry["path"], "rb") as handle:
        data = handle.read()
    try:
        blocks = extract_blocks(data, entry["name"])
    except UnreadableNotice:
        return []
    return [" | ".join(b.cells) if b.cells else b.text for b in blocks]


def read_kept(entry: dict, council: Council) -> NoticeDraft:
    with default_storage.open(entry["path"], "rb") as handle:
        return parse_notice(handle.read(), entry["name"], council=council)


# --- the draft as the form's initial values ---------------------------------------------------


def initial_values(draft: NoticeDraft, council: Council) -> tuple[dict, list[dict]]:
    """The notice's and the items' initial values, as the inputs show them (strings), each
    with the parser's warnings on the fields they concern."""
    names = dict(Agency.objects.filter(council=council).values_list("code", "name"))
    committee = Committee.objects.filter(council=council, code=draft.tracking_committee).first()
    notice = {
        "council": str(council.pk),
        "number": draft.number,
        "issue_date": date_format(draft.issue_date, "d/m/Y") if draft.issue_date else "",
        "title": draft.title,
        "signer": draft.signer,
        "source_kind": draft.source_kind,
        "tracking_committee": str(committee.pk) if committee else "",
    }
    items = [_item_values(item, names) for item in draft.recommendations]
    warnings = _warnings_by_path(draft)
    notice["notes"] = _notes(notice, warnings.get("", {}))
    for index, item in enumerate(items):
        item["notes"] = _notes(item, warnings.get(str(index), {}))
    return notice, items or [{}]


def _item_values(item, names: dict[str, str]) -> dict:
    def named(codes):
        return "; ".join(names.get(code, code) for code in codes)

    return {
        "anchor": item.anchor,
        "text": item.text,
        "lead_agencies": named(item.lead_agencies),
        "coordinating_agencies": named(item.coordinating_agencies),
        "accountable": named([item.accountable] if item.accountable else []),
        "deadline": _deadline_words(item),
    }


def _deadline_words(item) -> str:
    if item.deadline_text:
        return item.deadline_text
    if item.deadline and "date" in item.deadline:
        return date_format(item.deadline["date"], "d/m/Y")
    return ""


FIELD_OF = {"deadline_text": "deadline", "accountable": "accountable", "date": "issue_date"}


def _warnings_by_path(draft: NoticeDraft) -> dict[str, dict[str, dict]]:
    """{"" (the notice) or an item's index: {field: {"vi": [...], "en": [...]}}}; a warning
    on no field of the form goes to "_"."""
    found: dict[str, dict[str, dict]] = {}
    for warning in draft.warnings:
        owner, name = _owner_and_field(warning.path)
        texts = found.setdefault(owner, {}).setdefault(name, {"vi": [], "en": []})
        for language in ("vi", "en"):
            with translation.override(language):
                texts[language].append(str(warning.message) % warning.params)
    return found


def _owner_and_field(path: str) -> tuple[str, str]:
    if path.startswith("recommendations["):
        index, _, rest = path[len("recommendations[") :].partition("]")
        name = rest.lstrip(".").split(".")[0] or "_"
        return index, FIELD_OF.get(name, name)
    return "", FIELD_OF.get(path, path) or "_"


def _notes(values: dict, warnings: dict[str, dict]) -> str:
    notes = {name: {"value": values.get(name, ""), **texts} for name, texts in warnings.items()}
    return json.dumps(notes, ensure_ascii=False)
