"""django-q2 entry points (config/schedules.py): each calls a service."""

from django.utils import timezone

from briefings.reminders import reminders_send
from briefings.services import rounds_open


def open_rounds_and_remind() -> str:
    """Daily: open the rounds of the periods that have ended, then remind the communes."""
    opened = rounds_open(today=timezone.localdate())
    reminded = reminders_send()
    return f"{opened} reports opened, {reminded} reminders sent"
