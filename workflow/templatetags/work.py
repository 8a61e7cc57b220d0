"""Template words shared by the case page, the inbox, the dashboard and the notifications."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def rung_label(level: int | None, name: str | None = "") -> str:
    """The one way a rung of the ladder is named everywhere: "Mức 5 · <its name>"."""
    if not level:
        return _("Chưa đôn đốc")
    label = _("Mức %(level)s") % {"level": level}
    return f"{label} · {name}" if name else label
