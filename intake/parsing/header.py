"""The parts of a signed notice around its body: the number and date in the header, the
title after "THÔNG BÁO", where the body ends, the signature, and the source the title names."""

import datetime
import re

from django.utils.translation import gettext_lazy as _

from conclusions.models import SourceKind
from intake.parsing.draft import NoticeDraft
from intake.parsing.extract import Block
from intake.parsing.text import fold

HEADER_BLOCKS = 40
NUMBER = re.compile(r"\bS[ốôo]\s*:?\s*(?P<n>\d{0,5}\s*/\s*[A-ZĐ][\wĐđ.\-]*(?:\s*/\s*[\wĐđ.\-]+)?)")
DATE = re.compile(
    r"[a-z]\s*,\s*ngay\s+(?P<d>\d{1,2})\s+thang\s+"
    r"(?P<m>\d{1,2})\s+nam\s+(?P<y>\d{4})"
)
DOC_TYPE = re.compile(r"^thong\s+bao\b")
TITLE_STOP = re.compile(
    r"^(?:can\s+cu|thuc\s+hien|ngay\s+\d|(?:sang|chieu|toi)\s+ngay|vao\s+ngay|trong\s+|tai\s+|"
    r"[-_=*]{3,}|kinh\s+gui)"
)
BODY_END = re.compile(r"^(?:tren\s+day\s+la|noi\s+nhan|thong\s+bao\s+nay\s+|van\s+ban\s+nay\s+)")
SIGNS_FOR = re.compile(r"^(?:tm|kt|q|tl|tuq)\.\s*\S")
# A capacity line in capitals: "PHÓ CHỦ TỊCH", "CHỦ TỌA KỲ HỌP".
CAPACITY = re.compile(
    r"^(?:(?:pho\s+)?chu\s+tich\b|(?:pho\s+)?truong\s+ban\b|uy\s+vien\s+thuong\s+truc\b|"
    r"thuong\s+truc\s+h|chu\s+toa\b)"
)
SIGNED = re.compile(r"^\(?\s*(?:da\s+ky|ky\s+ten|ky\s+va\s+dong\s+dau)")
PERSON = re.compile(r"^[A-ZĐÀ-Ỹ][^\s\d,;:()]*(?:\s+[A-ZĐÀ-Ỹ][^\s\d,;:()]*){1,5}$")
SOURCE_KINDS = [
    (re.compile(r"giai\s+trinh"), SourceKind.EXPLANATION_SESSION),
    (re.compile(r"chat\s+van"), SourceKind.QUESTIONING),
    (re.compile(r"lang\s+nghe\s+va\s+trao\s+doi"), SourceKind.LISTEN_AND_DISCUSS),
    (re.compile(r"cu\s+tri"), SourceKind.VOTER_PETITIONS),
    (re.compile(r"nghi\s+quyet"), SourceKind.RESOLUTION_FOLLOW_UP),
    (re.compile(r"giam\s+sat"), SourceKind.THEMATIC_SUPERVISION),
]
# Section headings (folded): recommendations, an assessment, the closing instructions.


def read_number_and_date(draft: NoticeDraft, blocks: list[Block], folded: list[str]) -> None:
    # One string, so that a date the page wrapped over two lines is still found.
    text = " ".join(b.text for b in blocks[:HEADER_BLOCKS])
    low = fold(text)
    if m := NUMBER.search(text):
        draft.number = re.sub(r"\s+", "", m["n"])
    if m := DATE.search(low):
        draft.issue_date = _date(int(m["y"]), int(m["m"]), int(m["d"]))
    if not draft.number:
        draft.warn("number", _("Không thấy số, ký hiệu (dòng “Số: …/TB-HĐND”)."))
    if draft.issue_date is None:
        draft.warn("issue_date", _("Không thấy ngày ban hành (dòng “…, ngày … tháng … năm …”)."))


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def read_title(draft: NoticeDraft, blocks: list[Block], folded: list[str]) -> int:
    """The title after the "THÔNG BÁO" line; returns the index where the body starts."""
    for index, low in enumerate(folded[:HEADER_BLOCKS]):
        if DOC_TYPE.match(low) and blocks[index].text.isupper():
            lines, end = _title_lines(blocks, folded, index)
            draft.title = _title_text(blocks[index].text, lines)
            return end
    draft.warn("title", _("Không thấy trích yếu (dòng “Kết luận …” sau chữ THÔNG BÁO)."))
    return next(
        (i + 1 for i, b in enumerate(blocks[:HEADER_BLOCKS]) if DATE.search(fold(b.text))), 0
    )


def _title_lines(blocks: list[Block], folded: list[str], index: int) -> tuple[list[str], int]:
    lines: list[str] = []
    end = index + 1
    while end < len(blocks) and len(lines) < 3:
        text, low = blocks[end].text, folded[end]
        if TITLE_STOP.match(low) or blocks[end].cells or len(text) > 300 or text.endswith("."):
            break
        if lines and not (low.startswith("ve ") or low.startswith("tai ") or text[0].islower()):
            break
        lines.append(text)
        end += 1
    while end < len(blocks) and re.fullmatch(r"[-_=*. ]+", blocks[end].text):
        end += 1
    return lines, end


def _title_text(doc_type: str, lines: list[str]) -> str:
    title = " ".join(lines).strip(" -_")
    rest = doc_type[len("THÔNG BÁO") :].strip()
    if rest and not fold(title).startswith(fold(rest)):
        title = f"{rest.capitalize()} {title[:1].lower()}{title[1:]}".strip()
    return title


def _is_capacity(text: str, low: str) -> bool:
    return len(text) < 80 and bool(SIGNS_FOR.match(low) or (text.isupper() and CAPACITY.match(low)))


def body_end_index(blocks: list[Block], folded: list[str], start: int) -> int:
    for index in range(start, len(folded)):
        if BODY_END.match(folded[index]) or _is_capacity(blocks[index].text, folded[index]):
            return index
    return len(folded)


def read_signature(draft: NoticeDraft, blocks: list[Block], folded: list[str]) -> None:
    capacity: list[str] = []
    for block, low in zip(blocks, folded, strict=True):
        if _is_capacity(block.text, low):
            capacity.append(block.text)
        elif capacity and _is_person(block.text, low):
            draft.signer = block.text
            break
    draft.signer_capacity = ", ".join(capacity)
    if not draft.signer:
        draft.warn("signer", _("Không thấy người ký ở cuối văn bản."))


def _is_person(text: str, low: str) -> bool:
    return bool(PERSON.match(text)) and not text.isupper() and not SIGNED.match(low)


def read_source_kind(draft: NoticeDraft) -> None:
    words = fold(draft.title)
    for regex, kind in SOURCE_KINDS:
        if regex.search(words):
            draft.source_kind = kind
            return
    draft.source_kind = SourceKind.THEMATIC_SUPERVISION
    draft.warn("source_kind", _("Không rõ nguồn của thông báo; tạm chọn “Giám sát chuyên đề”."))
