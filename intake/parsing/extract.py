"""The text of a signed notice, in reading order: paragraphs and table rows of a .docx, the
text layer of a PDF. A PDF without one (a scan) is refused, never guessed at."""

import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from intake.parsing.numbering import Numbering
from intake.parsing.text import clean

DOCX, PDF = "docx", "pdf"
# Fewer letters than this per page and the PDF is taken for a scan.
MIN_LETTERS_PER_PAGE = 40


class UnreadableNotice(Exception):
    """The file cannot be read as a notice; `message` says why, in a lazy translation."""

    def __init__(self, code: str, message) -> None:
        super().__init__(str(message))
        self.code, self.message = code, message


@dataclass(frozen=True)
class Block:
    """A paragraph, or a row of a table of recommendations (`cells`)."""

    text: str
    cells: tuple[str, ...] = ()


def file_kind(data: bytes, filename: str) -> str:
    """DOCX or PDF, from the file's first bytes (its name may lie)."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04") and filename.lower().endswith(".docx"):
        return DOCX
    raise UnreadableNotice(
        "unsupported_file",
        _("Chỉ đọc được thông báo dạng .docx hoặc .pdf có lớp chữ (không phải .doc, ảnh)."),
    )


def extract_blocks(data: bytes, filename: str) -> list[Block]:
    kind = file_kind(data, filename)
    return _docx_blocks(data) if kind == DOCX else _pdf_blocks(data)


# --- .docx ----------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TABLE_HEADINGS = re.compile(r"nội dung|kiến nghị|nhiệm vụ", re.IGNORECASE)
TABLE_ROLES = re.compile(r"chủ trì|thực hiện|thời hạn|phối hợp|cơ quan", re.IGNORECASE)


def _docx_blocks(data: bytes) -> list[Block]:
    import docx  # python-docx, imported when a .docx arrives

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # an uploaded file: whatever python-docx trips on, it is unreadable
        raise UnreadableNotice(
            "unreadable_file", _("Tệp .docx bị hỏng hoặc không phải văn bản Word.")
        ) from error
    try:
        return _body_blocks(document)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError) as error:
        raise UnreadableNotice(
            "unreadable_file", _("Tệp .docx bị hỏng hoặc không phải văn bản Word.")
        ) from error


def _body_blocks(document) -> list[Block]:
    numbering = Numbering.of(document)
    blocks: list[Block] = []
    for element in document.element.body.iterchildren():
        if element.tag == f"{W}p":
            _add_paragraph(blocks, element, numbering)
        elif element.tag == f"{W}tbl":
            blocks.extend(_table_blocks(element, numbering))
    return blocks


def _add_paragraph(blocks: list[Block], p, numbering: Numbering) -> None:
    pieces = p.iter(f"{W}t", f"{W}tab", f"{W}br")
    text = clean("".join(el.text or "" if el.tag == f"{W}t" else " " for el in pieces))
    label = numbering.label(p)
    if label:
        text = f"{label} {text}"
    if text:
        blocks.append(Block(text))


def _rows(tbl):
    for tr in tbl.iterchildren(f"{W}tr"):
        yield [tc for tc in tr.iterchildren(f"{W}tc")]


def _cell_text(tc, numbering: Numbering) -> list[str]:
    paragraphs: list[Block] = []
    for p in tc.iter(f"{W}p"):
        _add_paragraph(paragraphs, p, numbering)
    return [b.text for b in paragraphs]


def _table_blocks(tbl, numbering: Numbering) -> list[Block]:
    rows = [[_cell_text(tc, numbering) for tc in row] for row in _rows(tbl)]
    if rows and _is_recommendation_table(rows[0]):
        return [
            Block(" | ".join(" ".join(c) for c in r), tuple(" ".join(c) for c in r)) for r in rows
        ]
    # A layout table (the header, the signature): its cells' paragraphs, cell by cell.
    return [Block(text) for row in rows for cell in row for text in cell]


def _is_recommendation_table(header: list[list[str]]) -> bool:
    words = " ".join(" ".join(cell) for cell in header)
    return len(header) >= 3 and bool(TABLE_HEADINGS.search(words) and TABLE_ROLES.search(words))


# --- PDF ------------------------------------------------------------------------------------

PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$")


def _pdf_blocks(data: bytes) -> list[Block]:
    pages = _pdf_pages(data)
    letters = sum(sum(ch.isalpha() for ch in page) for page in pages)
    if letters < MIN_LETTERS_PER_PAGE * max(len(pages), 1):
        raise UnreadableNotice(
            "no_text_layer",
            _(
                "Tệp PDF không có lớp chữ (bản quét hoặc ảnh chụp): không đọc tự động được. "
                "Hãy tải lên bản .docx hoặc bản PDF xuất từ Word, hoặc nhập thông báo bằng tay."
            ),
        )
    lines = [clean(line) for page in pages for line in page.splitlines()]
    return [Block(text) for text in join_lines(line for line in lines if line)]


def _pdf_pages(data: bytes) -> list[str]:
    import pypdf  # imported when a PDF arrives

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        return [page.extract_text() or "" for page in reader.pages]
    except Exception as error:  # an uploaded file: whatever pypdf trips on, it is unreadable
        raise UnreadableNotice(
            "unreadable_file", _("Tệp PDF bị hỏng hoặc được bảo vệ, không đọc được.")
        ) from error


# A line that starts a paragraph of its own: a list marker, a heading, a header line.
STARTS_BLOCK = re.compile(
    r"^(?:[IVXLC]{1,6}[.)]\s|\d{1,3}(?:\.\d{1,3})+\.?\s|\d{1,3}[.)]\s|[a-zđ][.)]\s|[-–•+*]\s?"
    r"|Số\s*:|Nơi nhận|TM\.|KT\.|Q\.|TL\.|TUQ\.|\(?[Đđ]ã ký\)?|Căn cứ|Thực hiện)"
)
ENDS_BLOCK = re.compile(r"[.:!?]$")


def join_lines(lines) -> list[str]:
    """A PDF's lines, wrapped by the page, joined back into paragraphs: a line starts a
    paragraph after a short line (the last of a paragraph), after a full stop or a colon, or
    when it opens with a list marker or a header word."""
    lines = [line for line in lines if not PAGE_NUMBER.match(line)]
    width = max((len(line) for line in lines), default=0)
    paragraphs: list[str] = []
    previous = ""
    for line in lines:
        if paragraphs and not _starts_paragraph(line, previous, width):
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
        previous = line
    return paragraphs


def _starts_paragraph(line: str, previous: str, width: int) -> bool:
    if STARTS_BLOCK.match(line):
        return True
    if line[:1].islower() or line[:1].isdigit():
        return False  # a sentence going on
    return bool(
        STARTS_BLOCK.match(line)
        or ENDS_BLOCK.search(previous)
        or len(previous) < 0.7 * width
        or _is_caps(line) != _is_caps(previous)
    )


def _is_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and " " in text.strip() and all(ch.isupper() for ch in letters)
