"""A case knows whether a request for more time waits for a decision (the dashboard counts and
lists them from the council's own rows, not from the whole country's requests). SQLite adds
the column by rebuilding workflow_case, which loses the event log's triggers: they are put
back as 0013 did."""

from importlib import import_module

from django.db import migrations, models

AGAIN = import_module("workflow.migrations.0013_sqlite_event_log_triggers_again")
MARK_UNDECIDED = """
UPDATE workflow_case SET extension_undecided = true
WHERE id IN (SELECT case_id FROM workflow_extension WHERE status = 'pending')
"""


class Migration(migrations.Migration):
    dependencies = [
        ("conclusions", "0011_agency_kind_commune_committees"),
        ("workflow", "0021_sqlite_event_log_triggers_after_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="case",
            name="case_council_figures",
        ),
        migrations.AddField(
            model_name="case",
            name="extension_undecided",
            field=models.BooleanField(
                db_default=False, default=False, verbose_name="có đề nghị gia hạn chờ quyết định"
            ),
        ),
        migrations.RunSQL(MARK_UNDECIDED, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["council", "state", "deadline"],
                include=(
                    "committee",
                    "agency",
                    "outcome",
                    "reported_at",
                    "closed_at",
                    "deadline_when_reported",
                    "review_due",
                    "escalation_level",
                    "decision",
                    "decision_until",
                    "extension_undecided",
                    "id",
                ),
                name="case_council_figures",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("extension_undecided", True)),
                fields=["council"],
                name="case_extension_undecided",
            ),
        ),
        migrations.RunPython(AGAIN.triggers_again, migrations.RunPython.noop),
    ]
