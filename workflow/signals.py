"""Signals workflow sends. Workflow never imports who listens (notifications does)."""

from django.dispatch import Signal

# Sent inside the transaction that inserted case events in bulk, where no post_save fires,
# with `event_ids`: notifications then has them fanned out as soon as they commit.
events_bulk_created = Signal()
