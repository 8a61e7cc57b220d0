"""On SQLite, Django rebuilds a table to add a column it cannot ALTER in (0010 and 0011 added
such columns to workflow_case), and a rebuilt table loses its triggers. This puts the event
log's triggers of 0007 back; on PostgreSQL nothing was lost and nothing is done. A later
migration that rebuilds workflow_case or workflow_caseevent on SQLite must do the same."""

from importlib import import_module

from django.db import migrations

FIRST = import_module("workflow.migrations.0007_caseevent_refuses_delete")
TRIGGERS = [
    "workflow_caseevent_no_update",
    "workflow_caseevent_no_delete",
    "workflow_case_keeps_history",
]


def triggers_again(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}", params=None)
    for statement in FIRST.SQLITE[1:]:  # [0] creates the unlock table, which was not rebuilt
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("workflow", "0012_urging_letters")]
    operations = [migrations.RunPython(triggers_again, migrations.RunPython.noop)]
