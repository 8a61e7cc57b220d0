"""Finding the council's agencies and committees in a notice's text, however it names them:
the full name, the name without the province, the short form ("Sở LĐ-TB&XH", "UBND tỉnh"),
the initials of a department ("Sở KH&CN"), an alias the admin added; with or without
diacritics. Every name becomes a pattern over folded text (intake.parsing.text.fold); all
of a council's patterns are one regular expression, tried longest first."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from intake.parsing.text import clean, fold

# Long forms and the short forms notices use for them, both folded. A name written one way
# also matches the other.
SHORT_FORMS = {
    "uy ban nhan dan": "ubnd",
    "hoi dong nhan dan": "hdnd",
    "uy ban mat tran to quoc viet nam": "ubmttqvn",
    "mat tran to quoc viet nam": "mttqvn",
    "ban quan ly": "bql",
    "khu cong nghiep": "kcn",
    "cum cong nghiep": "ccn",
    "khu kinh te": "kkt",
    "phat thanh va truyen hinh": "ptth",
    "bao hiem xa hoi": "bhxh",
    "thanh pho": "tp",
    "van phong": "vp",
}
# Names whose initials are a usual short form: "Sở Khoa học và Công nghệ" → "Sở KH&CN".
INITIAL_PREFIXES = ("so", "phong", "ban")
PLACE_WORDS = ("tinh", "thanh pho", "tp", "xa", "phuong", "dac khu", "thi xa", "huyen")
SEPARATORS = r"[\s\-,&./]"
WORD_GAP = rf"(?:{SEPARATORS}+(?:va{SEPARATORS}+)?)"
INITIAL_GAP = rf"(?:{SEPARATORS}*(?:va\s+)?)"
LETTER = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Entry:
    """One body of the registry: an agency or a committee."""

    code: str
    name: str
    short_name: str = ""
    aliases: tuple[str, ...] = ()
    parent: str = ""


@dataclass(frozen=True)
class Mention:
    """Where the text names a body: `codes` holds one code, or several when the words fit
    more than one body of the registry."""

    start: int
    end: int
    codes: tuple[str, ...]
    text: str


class NameFinder:
    def __init__(self, entries: Iterable[Entry], place: str = "") -> None:
        owners: dict[str, set[str]] = {}
        first_words: set[str] = set()
        for entry in entries:
            for pattern, firsts in _patterns(entry, fold(clean(place))):
                owners.setdefault(pattern, set()).add(entry.code)
                first_words |= firsts
        ordered = sorted(owners, key=len, reverse=True)
        self.codes = [tuple(sorted(owners[p])) for p in ordered]
        body = "|".join(f"(?P<n{i}>{p})" for i, p in enumerate(ordered))
        # Only where a name can begin is the long alternation tried: many times faster.
        guard = "|".join(sorted(map(re.escape, first_words), key=len, reverse=True))
        self.regex = (
            re.compile(rf"(?<![a-z0-9])(?=(?:{guard})(?![a-z0-9]))(?:{body})(?![a-z0-9])")
            if ordered
            else None
        )

    def find(self, text: str, folded: str | None = None) -> list[Mention]:
        if self.regex is None:
            return []
        folded = fold(text) if folded is None else folded
        return [
            Mention(m.start(), m.end(), self.codes[int(m.lastgroup[1:])], text[m.start() : m.end()])
            for m in self.regex.finditer(folded)
        ]


def _patterns(entry: Entry, place: str) -> set[tuple[str, frozenset[str]]]:
    """Each pattern of the entry's names, with the words it can begin with."""
    names = {fold(clean(n)) for n in (entry.name, entry.short_name, *entry.aliases) if n.strip()}
    names |= {short for name in names for short in _without_place(name, place)}
    patterns = {(_words_pattern(name), _first_words(name)) for name in names}
    patterns |= {(p, _first_words(name)) for name in names if (p := _initials_pattern(name))}
    return {(p, firsts) for p, firsts in patterns if p}


def _first_words(name: str) -> frozenset[str]:
    tokens = _tokens(name)
    if not tokens:
        return frozenset()
    for long, short in SHORT_FORMS.items():
        if tokens[0] in (short, _tokens(long)[0]):
            return frozenset({tokens[0], short, _tokens(long)[0]})
    return frozenset({tokens[0]})


def _without_place(name: str, place: str) -> set[str]:
    """ "uy ban nhan dan tinh hau giang" → "uy ban nhan dan tinh"; "… cong nghiep tinh hau
    giang" → also "… cong nghiep"."""
    if not place or not name.endswith(" " + place):
        return set()
    shorter = name[: -len(place) - 1].rstrip(" ,-")
    found = {shorter}
    for word in PLACE_WORDS:
        bare = shorter[: -len(word) - 1].rstrip(" ,-")
        if shorter.endswith(" " + word) and len(_tokens(bare)) >= 3 and bare not in SHORT_FORMS:
            found.add(bare)
    return found


def _tokens(name: str) -> list[str]:
    return [t for t in LETTER.findall(name.replace("&", " va ")) if t != "va"]


def _words_pattern(name: str) -> str:
    tokens = _tokens(name)
    if not tokens:
        return ""
    parts, index = [], 0
    while index < len(tokens):
        step, alternative = _short_form_at(tokens, index)
        parts.append(alternative)
        index += step
    return WORD_GAP.join(parts)


def _short_form_at(tokens: Sequence[str], index: int) -> tuple[int, str]:
    for long, short in SHORT_FORMS.items():
        words = _tokens(long)
        if tokens[index : index + len(words)] == words:
            return len(words), f"(?:{WORD_GAP.join(words)}|{short})"
        if tokens[index] == short:
            return 1, f"(?:{WORD_GAP.join(words)}|{short})"
    return 1, re.escape(tokens[index])


def _initials_pattern(name: str) -> str:
    """ "so lao dong - thuong binh va xa hoi" → so ld[-&,]tb[-&,]xh, letters apart or not."""
    tokens = _tokens(name)
    if len(tokens) < 3 or tokens[0] not in INITIAL_PREFIXES:
        return ""
    letters = [t[0] for t in tokens[1:]]
    return tokens[0] + WORD_GAP + INITIAL_GAP.join(letters)
