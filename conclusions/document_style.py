"""How a council signs and distributes a document: its `DocumentSetting` rows over defaults.

Looked up from the most particular to the most general: the committee's own row for that kind
of document, the council's row for that kind, the council's row for every report ("report"),
then the defaults below, field by field. The distribution list never names the document's own
author (a report of the Standing Committee is not sent to the Standing Committee)."""

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Q

from conclusions.models import Committee, Council, DocumentKind, DocumentSetting

STANDING = "THƯỜNG TRỰC HĐND"


@dataclass(frozen=True)
class DocumentStyle:
    issuer: str  # the issuing body, under the council's name
    symbol: str  # after the number: "15/BC-HĐND"
    capacity: tuple[str, ...]  # "TM. THƯỜNG TRỰC HĐND", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"
    signer: str
    recipients: tuple[str, ...]  # "Nơi nhận", without the author

    def as_json(self) -> dict:
        return {
            "issuer": self.issuer,
            "symbol": self.symbol,
            "capacity": list(self.capacity),
            "signer": self.signer,
            "recipients": list(self.recipients),
        }

    @classmethod
    def from_json(cls, data: dict) -> "DocumentStyle":
        return cls(
            data["issuer"],
            data["symbol"],
            tuple(data["capacity"]),
            data["signer"],
            tuple(data["recipients"]),
        )


def document_style(
    council: Council, kind: str, committee: Committee | None = None
) -> DocumentStyle:
    """The style a document of `kind` takes in `council` (and `committee`, for its letters)."""
    rows = _rows(council, kind, committee)
    default = _default(council, kind, committee)

    def pick(name: str) -> str:
        return next((getattr(r, name) for r in rows if getattr(r, name).strip()), "")

    issuer = pick("issuer").strip() or default.issuer
    capacity = _lines(pick("capacity")) or default.capacity
    recipients = _lines(pick("recipients")) or default.recipients
    authors = {issuer, STANDING if issuer == STANDING else ""}
    if committee is not None and kind == DocumentKind.COMMITTEE_LETTER:
        authors.add(committee.name)
    return DocumentStyle(
        issuer=issuer,
        symbol=pick("symbol").strip() or default.symbol,
        capacity=capacity,
        signer=pick("signer").strip() or default.signer,
        recipients=tuple(r for r in recipients if not names_author(r, authors)),
    )


def names_author(recipient: str, authors: set[str]) -> bool:
    """Whether a line of the distribution list is the document's author itself."""
    return _folded(recipient) in {_folded(a) for a in authors if a}


def _folded(text: str) -> str:
    text = unicodedata.normalize("NFC", text).strip().lstrip("-–+ ").rstrip(";.,: ")
    text = re.sub(r"\bhội đồng nhân dân\b", "hđnd", text.casefold())
    return re.sub(r"\s+", " ", text)


def _rows(council: Council, kind: str, committee: Committee | None) -> list[DocumentSetting]:
    kinds = [kind, *([DocumentKind.REPORT] if kind.startswith("report.") else [])]
    found = DocumentSetting.objects.filter(council=council, kind__in=kinds).filter(
        Q(committee__isnull=True) | Q(committee=committee)
    )
    rank = {(committee.pk if committee else None, kind): 0, (None, kind): 1}
    return sorted(found, key=lambda r: rank.get((r.committee_id, r.kind), 2))


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _default(council: Council, kind: str, committee: Committee | None) -> DocumentStyle:
    province = council.level == Council.Level.PROVINCE
    if kind == DocumentKind.COMMITTEE_LETTER and committee is not None:
        name = committee.name.upper()
        return DocumentStyle(
            issuer=name,
            symbol=f"HĐND-{initials(committee.name)}",
            capacity=(f"TM. {name}", "TRƯỞNG BAN"),
            signer="",
            recipients=("Thường trực HĐND", "Lưu: VT"),
        )
    if kind in (DocumentKind.COMMITTEE_LETTER, DocumentKind.STANDING_LETTER):
        return DocumentStyle(
            issuer=STANDING,
            symbol="HĐND-VP",
            capacity=(f"TM. {STANDING}", "CHỦ TỊCH"),
            signer="",
            recipients=("Các Ban của HĐND", "Lưu: VT"),
        )
    return DocumentStyle(
        issuer=STANDING,
        symbol="BC-HĐND",
        capacity=(f"TM. {STANDING}", "CHỦ TỊCH"),
        signer="",
        recipients=(
            ("Thường trực Tỉnh ủy", "UBND tỉnh", "Các Ban của HĐND tỉnh", "Lưu: VT")
            if province
            else ("Thường trực Đảng ủy", "Ủy ban nhân dân", "Các Ban của HĐND", "Lưu: VT")
        ),
    )


def initials(name: str) -> str:
    """ "Ban Văn hóa - Xã hội" → "VHXH", the letters a committee's symbol is made of."""
    words = [w for w in re.split(r"[\s\-–]+", name) if w and w.casefold() != "ban"]
    return "".join(w[0] for w in words).upper()
