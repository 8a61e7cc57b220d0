"""0018 changed workflow_case's foreign keys (their single-column indexes dropped), which SQLite
does by rebuilding the table, and a rebuilt table loses the event log's triggers: put them back
as 0013 did. On PostgreSQL nothing was lost and nothing is done."""

from importlib import import_module

from django.db import migrations

AGAIN = import_module("workflow.migrations.0013_sqlite_event_log_triggers_again")


class Migration(migrations.Migration):
    dependencies = [("workflow", "0020_case_list_notices")]
    operations = [migrations.RunPython(AGAIN.triggers_again, migrations.RunPython.noop)]
