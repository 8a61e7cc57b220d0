"""The council's registry as the parser reads it: agencies with their short forms and aliases,
committees, sittings, and how many days before a sitting its documents are due."""

from dataclasses import dataclass, field

from conclusions.models import Agency, AgencyAlias, Committee, Council, Sitting
from intake.parsing.deadlines import SittingRow
from intake.parsing.names import Entry, NameFinder


@dataclass(frozen=True)
class Registry:
    council: str
    place: str
    agencies: NameFinder
    committees: NameFinder
    agency_names: dict[str, str]
    committee_names: dict[str, str]
    sittings: tuple[SittingRow, ...]
    lead_days: int
    # What one parse has already read, by text: a heading is read once, not once per item.
    cache: dict = field(default_factory=dict, compare=False, repr=False)


def registry_for(council: Council) -> Registry:
    """Three queries: active agencies with their aliases, committees, sittings."""
    aliases: dict[int, list[str]] = {}
    for agency_id, name in AgencyAlias.objects.filter(
        agency__council=council, agency__is_active=True
    ).values_list("agency_id", "name"):
        aliases.setdefault(agency_id, []).append(name)
    agencies = [
        Entry(a.code, a.name, a.short_name, tuple(aliases.get(a.pk, ())))
        for a in Agency.objects.filter(council=council, is_active=True).only(
            "pk", "code", "name", "short_name"
        )
    ]
    committees = [
        Entry(c.code, c.name)
        for c in Committee.objects.filter(council=council).only("code", "name")
    ]
    sittings = tuple(
        SittingRow(s.pk, s.name, s.opens_on)
        for s in Sitting.objects.filter(council=council).order_by("opens_on")
    )
    return Registry(
        council=council.code,
        place=council.place,
        agencies=NameFinder(agencies, council.place),
        committees=NameFinder(committees, council.place),
        agency_names={e.code: e.name for e in agencies},
        committee_names={e.code: e.name for e in committees},
        sittings=sittings,
        lead_days=council.sitting_lead_days,
    )
