"""Which commune council a commune petition goes to. Its locality ("xã Vị Thanh", "Phường Vi
Thanh", "Vị Thanh") is matched against the commune and ward councils under the round's council,
by their place name folded as search folds it (conclusions.rules.search_key): without the unit
first, then, if several share the name, with it ("xã Vị Thủy" beside "phường Vị Thủy"). A
council uses Đôn đốc when it has a committee to follow the petition, its People's Committee
to answer it and someone holding a seat in it today."""

import datetime
from dataclasses import dataclass

from conclusions.models import Agency, Committee, Council, Membership
from conclusions.rules import search_key
from conclusions.selectors import seat_holds_on
from petitions.models import ForwardReason
from petitions.text import locality_key

COUNCIL_WORDS = ("hđnd ", "hội đồng nhân dân ")


@dataclass(frozen=True)
class CommuneDestination:
    council: Council | None
    committee: Committee | None = None
    peoples_committee: Agency | None = None
    reason: str = ""  # ForwardReason when the petition cannot be opened there

    @property
    def on_dondoc(self) -> bool:
        return not self.reason


def commune_destination(
    *, province_id: int, locality: str, committee: Committee, day: datetime.date
) -> CommuneDestination:
    council, reason = _commune_council(province_id, locality, day)
    if council is None:
        return CommuneDestination(None, reason=reason)
    owner = _owner(council, committee)
    answers = (
        Agency.objects.filter(council=council, kind=Agency.Kind.PEOPLES_COMMITTEE, is_active=True)
        .order_by("pk")
        .first()
    )
    if owner is None or answers is None or not _has_seats(council, day):
        return CommuneDestination(council, reason=ForwardReason.NOT_ON_DONDOC)
    return CommuneDestination(council, owner, answers)


def _commune_council(province_id, locality, day) -> tuple[Council | None, str]:
    communes = Council.objects.filter(
        seat_holds_on(day),  # in being on the day: the same inclusive, open-ended dates
        parent_id=province_id,
        level=Council.Level.COMMUNE,
        successor__isnull=True,
    )
    key = locality_key(locality)
    named = [c for c in communes if key and locality_key(c.place or _bare(c.name)) == key]
    if len(named) > 1:
        full = search_key(locality)
        named = [c for c in named if search_key(_bare(c.name)) == full]
        if len(named) != 1:
            return None, ForwardReason.AMBIGUOUS
    if not named:
        return None, ForwardReason.NO_COUNCIL
    return named[0], ""


def _bare(name: str) -> str:
    """ "HĐND phường Vị Thanh" → "phường Vị Thanh"."""
    for word in COUNCIL_WORDS:
        if name.lower().startswith(word):
            return name[len(word) :]
    return name


def _owner(council: Council, committee: Committee) -> Committee | None:
    """The commune committee of the same kind as the province's, else its Ban Kinh tế - Xã hội
    (the ward's committee for most matters voters raise), else its first committee."""
    committees = list(council.committees.order_by("pk"))
    for kind in (committee.kind, Committee.Kind.ECONOMY_SOCIETY):
        found = next((c for c in committees if c.kind == kind), None)
        if found:
            return found
    return committees[0] if committees else None


def _has_seats(council: Council, day: datetime.date) -> bool:
    return Membership.objects.filter(seat_holds_on(day), council=council).exists()
