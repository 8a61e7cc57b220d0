"""Vietnamese text as the parser compares it: folded to lower case without diacritics, one
character for one, so that a match in the folded text is a span of the original."""

import re
import unicodedata
from functools import lru_cache

SPACES = re.compile(r"[ \t\u00a0\u2002-\u200b\u202f\u3000]+")
PLAIN = {"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-", "“": '"', "”": '"', "’": "'"}


def clean(text: str) -> str:
    """Precomposed and single-spaced."""
    return SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


@lru_cache(maxsize=1)
def _folding_table() -> dict[int, str]:
    table = {}
    for code in [*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0].lower()
        if len(base) == 1 and base != char:
            table[code] = base
    table[ord("Đ")] = table[ord("đ")] = "d"
    table |= {ord(k): v for k, v in PLAIN.items()}  # a word processor's dashes and quotes
    return table


def fold(text: str) -> str:
    """Folded: "Sở Lao động – Thương binh" → "so lao dong - thuong binh", the same length."""
    return text.translate(_folding_table())
