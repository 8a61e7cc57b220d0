"""The numbers Word draws in front of automatically numbered paragraphs ("1.", "a)", "–"):
they are not in the paragraph's text, so they are counted here from numbering.xml."""

from dataclasses import dataclass, field

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l")]
ROMAN += [(40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


def _roman(n: int) -> str:
    out = ""
    for value, letters in ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _format(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return LETTERS[(n - 1) % 26] * ((n - 1) // 26 + 1)
    if fmt == "upperLetter":
        return _format(n, "lowerLetter").upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    return str(n)


@dataclass
class Numbering:
    levels: dict[str, dict[int, Level]] = field(default_factory=dict)  # numId -> ilvl -> Level
    styles: dict[str, tuple[str, int]] = field(default_factory=dict)  # styleId -> (numId, ilvl)
    counters: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, document) -> "Numbering":
        numbering = cls()
        part = document.part
        try:
            root = part.numbering_part.element
        except (KeyError, NotImplementedError):
            return numbering
        abstract = {a.get(f"{W}abstractNumId"): _levels(a) for a in root.iter(f"{W}abstractNum")}
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is not None:
                numbering.levels[num.get(f"{W}numId")] = abstract.get(ref.get(f"{W}val"), {})
        for style in part.styles.element.iter(f"{W}style"):
            found = _num_pr(style)
            if found:
                numbering.styles[style.get(f"{W}styleId")] = found
        return numbering

    def label(self, p) -> str:
        """The number drawn before paragraph `p`, counting it; "" if it has none."""
        found = _num_pr(p) or self._style_num(p)
        if not found or found[0] not in self.levels:
            return ""
        num_id, ilvl = found
        levels = self.levels[num_id]
        level = levels.get(ilvl, Level())
        if level.fmt == "bullet":
            return "-"
        counts = self.counters.setdefault(num_id, [0] * 9)
        counts[ilvl] += 1
        counts[ilvl + 1 :] = [0] * (8 - ilvl)
        text = level.text
        for depth in range(ilvl + 1):
            shown = levels.get(depth, Level())
            value = _format(max(counts[depth], 1) + shown.start - 1, shown.fmt)
            text = text.replace(f"%{depth + 1}", value)
        return text

    def _style_num(self, p) -> tuple[str, int] | None:
        style = p.find(f"{W}pPr/{W}pStyle")
        return self.styles.get(style.get(f"{W}val")) if style is not None else None


def _levels(abstract) -> dict[int, Level]:
    levels = {}
    for lvl in abstract.iter(f"{W}lvl"):
        fmt, text, start = lvl.find(f"{W}numFmt"), lvl.find(f"{W}lvlText"), lvl.find(f"{W}start")
        levels[int(lvl.get(f"{W}ilvl"))] = Level(
            fmt.get(f"{W}val") if fmt is not None else "decimal",
            text.get(f"{W}val") if text is not None else "",
            int(start.get(f"{W}val")) if start is not None else 1,
        )
    return levels


def _num_pr(element) -> tuple[str, int] | None:
    num_pr = element.find(f"{W}pPr/{W}numPr")
    if num_pr is None:
        return None
    num_id, ilvl = num_pr.find(f"{W}numId"), num_pr.find(f"{W}ilvl")
    if num_id is None or num_id.get(f"{W}val") == "0":
        return None
    return num_id.get(f"{W}val"), int(ilvl.get(f"{W}val")) if ilvl is not None else 0
