"""Django's `flush`, which empties every table, the event log included.

On PostgreSQL it is one TRUNCATE, which the event log's triggers refuse; on SQLite it is a
DELETE per table, which they refuse too. Emptying the whole database is not rewriting
history, so flush (and the test runner's teardown, which calls it) opens the log for its
own transaction, explicitly, like the other tools (workflow.eventlog)."""

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS

from workflow.eventlog import event_log_unlocked


class Command(flush.Command):
    def handle(self, **options) -> None:
        with event_log_unlocked("flush", using=options.get("database", DEFAULT_DB_ALIAS)):
            super().handle(**options)
