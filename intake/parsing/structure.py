"""A notice's body as a tree of its numbered parts: sections (I., II.), points (1., 2.1.),
letters (a), b)), dashes and pluses, and the rows of a table of recommendations. Each part
knows its anchor as the document numbers it ("II.1.a"; the second dash under II.2 is
"II.2.-2") and the unnumbered paragraphs that follow it."""

import re
from dataclasses import dataclass, field

from intake.parsing.extract import Block
from intake.parsing.text import fold

ROMAN_NUMERALS = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}
MARKERS = [
    ("roman", re.compile(r"^(?P<label>[IVX]{1,4})\s*[.)-]\s*(?P<rest>.*)$")),
    (
        "decimal",
        re.compile(r"^(?P<label>\d{1,2}(?:\.\d{1,2})*)(?P<end>\.|\)|\s*-)?\s+(?P<rest>.*)$"),
    ),
    ("letter", re.compile(r"^(?P<label>[a-zđ])\s*[).]\s+(?P<rest>.*)$")),
    ("dash", re.compile(r"^(?P<label>[-•*])\s*(?P<rest>\S.*)$")),
    ("plus", re.compile(r"^(?P<label>\+)\s*(?P<rest>\S.*)$")),
]
RANK = {"caps": 0, "roman": 1, "decimal1": 2, "decimal2": 3, "decimal3": 4, "letter": 5}
RANK |= {"dash": 6, "plus": 7}
# Columns of a table of recommendations, by the words of their heading (folded).
COLUMNS = [
    ("anchor", re.compile(r"^(?:s\.?\s*)?tt$|^so\s+tt|^stt|^muc$")),
    ("coordinating", re.compile(r"phoi\s+hop")),
    ("deadline", re.compile(r"thoi\s+(?:han|gian)|tien\s+do|han\s+hoan\s+thanh")),
    ("lead", re.compile(r"chu\s+tri|co\s+quan|don\s+vi|giai\s+quyet")),
    ("text", re.compile(r"noi\s+dung|kien\s+nghi|nhiem\s+vu|de\s+nghi|van\s+de")),
]


@dataclass(eq=False)
class Part:
    style: str  # caps, roman, decimal1…3, letter, dash, plus, row, group, root
    label: str
    text: str
    parent: "Part | None" = None
    children: list["Part"] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)  # a table row: column -> text
    anchor: str = ""

    @property
    def full_text(self) -> str:
        return " ".join([self.text, *self.body]).strip()

    def ancestors(self):
        part = self.parent
        while part is not None and part.style != "root":
            yield part
            part = part.parent

    def leaves(self):
        if not self.children:
            yield self
        for child in self.children:
            yield from child.leaves()


def build_tree(blocks: list[Block]) -> Part:
    root = Part("root", "", "")
    stack: list[Part] = []
    table: list[Block] = []
    for block in [*blocks, Block("")]:
        if block.cells:
            table.append(block)
            continue
        if table:
            _add_table(stack[-1] if stack else root, table)
            table = []
        if block.text:
            _add_paragraph(root, stack, block.text)
    _number(root)
    return root


def _add_paragraph(root: Part, stack: list[Part], text: str) -> None:
    part = _marked(text)
    if part is None:
        (stack[-1] if stack else root).body.append(text)
        return
    _pop_for(stack, part.style)
    part.parent = stack[-1] if stack else root
    part.parent.children.append(part)
    stack.append(part)


def _marked(text: str) -> Part | None:
    for style, regex in MARKERS:
        m = regex.match(text)
        if m is None or not _plausible(style, m):
            continue
        if style == "decimal":
            style = f"decimal{min(m['label'].count('.') + 1, 3)}"
        return Part(style, m["label"], m["rest"].strip())
    if _is_heading(text):
        return Part("caps", "", text)
    return None


def _plausible(style: str, m: re.Match) -> bool:
    if style == "roman":
        return m["label"] in ROMAN_NUMERALS and bool(m["rest"])
    if style == "decimal":
        return bool(m["end"] or "." in m["label"]) and not m["rest"][:1].isdigit()
    return True


def _is_heading(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    short = len(text) < 150 and " " in text
    return len(letters) >= 4 and short and all(ch.isupper() for ch in letters)


def _pop_for(stack: list[Part], style: str) -> None:
    """Leave on the stack the parts the new one sits under."""
    for index, part in enumerate(stack):
        if part.style == style:
            del stack[index:]
            return
    if style in ("caps", "roman"):
        while stack and RANK.get(stack[-1].style, 9) >= RANK[style]:
            stack.pop()


def _add_table(parent: Part, rows: list[Block]) -> None:
    columns = _columns(rows[0].cells)
    if "text" not in columns.values():
        parent.body.extend(row.text for row in rows)
        return
    group = parent
    for row in rows[1:]:
        cells = _dedupe(row.cells)
        if len(cells) == 1:
            group = _group(parent, cells[0])
            continue
        mapped = {columns[i]: cell for i, cell in enumerate(row.cells) if i in columns}
        if mapped.get("text"):
            label = mapped.get("anchor", "").strip().rstrip(".")
            group.children.append(Part("row", label, mapped["text"], group, cells=mapped))


def _group(parent: Part, text: str) -> Part:
    part = _marked(text) or Part("group", "", text)
    part.style, part.parent = "group", parent
    parent.children.append(part)
    return part


def _columns(header: tuple[str, ...]) -> dict[int, str]:
    columns: dict[int, str] = {}
    for index, cell in enumerate(header):
        words = fold(cell).strip()
        for name, regex in COLUMNS:
            if regex.search(words) and name not in columns.values():
                columns[index] = name
                break
    return columns


def _dedupe(cells: tuple[str, ...]) -> list[str]:
    return [c for i, c in enumerate(cells) if c and c not in cells[:i]]


def _number(part: Part, prefix: tuple[str, ...] = ()) -> None:
    counts: dict[str, int] = {}
    for child in part.children:
        counts[child.style] = counts.get(child.style, 0) + 1
        own = _own_label(child, counts[child.style], prefix)
        child.anchor = ".".join(own)
        _number(child, own)


def _own_label(part: Part, index: int, prefix: tuple[str, ...]) -> tuple[str, ...]:
    if part.style in ("caps", "group") and not part.label:
        return prefix
    if part.style in ("dash", "plus"):
        return (*prefix, f"{'-' if part.style == 'dash' else '+'}{index}")
    label = part.label or str(index)
    if prefix and label.startswith(prefix[-1] + ".") and label[0].isdigit():
        return (*prefix[:-1], label)  # "2.1" under "2": II.2.1, not II.2.2.1
    return (*prefix, label)
