"""On PostgreSQL the event log refuses UPDATE: history is appended, never rewritten.

The one exception is explicit: a transaction that imports past records (the demo loader)
may restamp them after `SET LOCAL dondoc.import_history = 'on'`."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION workflow_caseevent_append_only() RETURNS trigger AS $$
BEGIN
    IF current_setting('dondoc.import_history', true) = 'on' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'workflow_caseevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER workflow_caseevent_no_update BEFORE UPDATE ON workflow_caseevent
    FOR EACH ROW EXECUTE FUNCTION workflow_caseevent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS workflow_caseevent_no_update ON workflow_caseevent;
DROP FUNCTION IF EXISTS workflow_caseevent_append_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("workflow", "0002_escalation_extensions_calendar")]
    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
