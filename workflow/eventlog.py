"""The event log is append-only, and the database itself says so.

Triggers (migrations 0003 and 0007, on PostgreSQL and on SQLite) refuse every UPDATE and
DELETE on workflow_caseevent, and the deletion of a case that has events. The one way
through is a row in workflow_caseevent_unlock, written inside a transaction and removed
before it ends; `event_log_unlocked` is the only code that writes it. Only tools call it:
the demo loader restamping the history it imports, a benchmark removing the synthetic cases
it built, and `flush`, which empties every table. Nothing in the product does."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction


@contextmanager
def event_log_unlocked(reason: str, *, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Let the statements inside the block, and only they, rewrite or remove events.

    The unlock row is never committed: it is removed when the block ends, and rolled back
    with the block's savepoint if the block fails; no other transaction ever sees it."""
    token = uuid.uuid4().hex
    with transaction.atomic(using=using):
        with connections[using].cursor() as cursor:
            cursor.execute(
                "INSERT INTO workflow_caseevent_unlock (token, reason) VALUES (%s, %s)",
                [token, reason[:60]],
            )
        yield
        with connections[using].cursor() as cursor:
            cursor.execute("DELETE FROM workflow_caseevent_unlock WHERE token = %s", [token])
