"""The demo's agency aliases (fixtures/demo/agency_aliases.yaml), for the notice parser."""

from pathlib import Path

import yaml
from django.conf import settings

from conclusions.models import Agency, AgencyAlias

ALIASES = Path(settings.BASE_DIR) / "fixtures" / "demo" / "agency_aliases.yaml"


def seed_agency_aliases(path: Path = ALIASES) -> int:
    """Add the aliases the demo's agencies lack; returns how many were added."""
    wanted = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    agencies = Agency.objects.in_bulk(list(wanted), field_name="code")
    existing = set(AgencyAlias.objects.values_list("agency__code", "name"))
    new = [
        AgencyAlias(agency=agencies[code], name=name)
        for code, names in wanted.items()
        if code in agencies
        for name in names
        if (code, name) not in existing
    ]
    AgencyAlias.objects.bulk_create(new)
    return len(new)
