"""The event log refuses UPDATE and DELETE (and, on PostgreSQL, TRUNCATE) in the database
itself, on PostgreSQL and on SQLite; a case that has events cannot be deleted either.

The one way through is explicit and lasts one transaction: a row in
`workflow_caseevent_unlock`, written and removed by `workflow.eventlog.event_log_unlocked`
(the demo loader restamping imported history, a benchmark removing its synthetic cases,
`flush` emptying every table). It replaces 0003's `SET LOCAL dondoc.import_history`.

SQLite drops a table's triggers when Django rebuilds the table: a later migration that
alters workflow_caseevent or workflow_case must create them again (tests/test_event_log.py
fails on SQLite if it does not)."""

from django.db import migrations, models

REFUSED = "Nhật ký sự kiện chỉ được ghi thêm (workflow_caseevent is append-only)"
KEEPS_HISTORY = "Hồ sơ đã có sự kiện, không xóa được (a case with events is kept)"

UNLOCK_TABLE = """
CREATE TABLE workflow_caseevent_unlock (
    token varchar(32) NOT NULL PRIMARY KEY,
    reason varchar(60) NOT NULL
)
"""

POSTGRESQL = [
    UNLOCK_TABLE,
    f"""
CREATE OR REPLACE FUNCTION workflow_caseevent_append_only() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM workflow_caseevent_unlock) THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{REFUSED}: % refused', TG_OP USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER workflow_caseevent_no_delete BEFORE DELETE ON workflow_caseevent
    FOR EACH ROW EXECUTE FUNCTION workflow_caseevent_append_only()
""",
    """
CREATE TRIGGER workflow_caseevent_no_truncate BEFORE TRUNCATE ON workflow_caseevent
    FOR EACH STATEMENT EXECUTE FUNCTION workflow_caseevent_append_only()
""",
    f"""
CREATE FUNCTION workflow_case_keeps_history() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM workflow_caseevent WHERE case_id = OLD.id)
       AND NOT EXISTS (SELECT 1 FROM workflow_caseevent_unlock) THEN
        RAISE EXCEPTION '{KEEPS_HISTORY}: case %', OLD.id USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER workflow_case_keeps_history BEFORE DELETE ON workflow_case
    FOR EACH ROW EXECUTE FUNCTION workflow_case_keeps_history()
""",
]

# 0003's function, for going back.
POSTGRESQL_BACK = [
    "DROP TRIGGER workflow_case_keeps_history ON workflow_case",
    "DROP FUNCTION workflow_case_keeps_history()",
    "DROP TRIGGER workflow_caseevent_no_truncate ON workflow_caseevent",
    "DROP TRIGGER workflow_caseevent_no_delete ON workflow_caseevent",
    """
CREATE OR REPLACE FUNCTION workflow_caseevent_append_only() RETURNS trigger AS $$
BEGIN
    IF current_setting('dondoc.import_history', true) = 'on' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'workflow_caseevent is append-only';
END;
$$ LANGUAGE plpgsql
""",
    "DROP TABLE workflow_caseevent_unlock",
]

_LOCKED = "NOT EXISTS (SELECT 1 FROM workflow_caseevent_unlock)"

SQLITE = [
    UNLOCK_TABLE,
    *(
        f"""
CREATE TRIGGER workflow_caseevent_no_{operation.lower()} BEFORE {operation}
    ON workflow_caseevent WHEN {_LOCKED}
BEGIN
    SELECT RAISE(ABORT, '{REFUSED}: {operation} refused');
END
"""
        for operation in ("UPDATE", "DELETE")
    ),
    f"""
CREATE TRIGGER workflow_case_keeps_history BEFORE DELETE ON workflow_case
    WHEN {_LOCKED} AND EXISTS (SELECT 1 FROM workflow_caseevent WHERE case_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, '{KEEPS_HISTORY}');
END
""",
]

SQLITE_BACK = [
    "DROP TRIGGER workflow_case_keeps_history",
    "DROP TRIGGER workflow_caseevent_no_delete",
    "DROP TRIGGER workflow_caseevent_no_update",
    "DROP TABLE workflow_caseevent_unlock",
]


def _run(statements_by_vendor: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("workflow", "0006_event_kind_choices")]
    operations = [
        migrations.AlterField(
            model_name="caseevent",
            name="case",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT,
                related_name="events",
                to="workflow.case",
                verbose_name="hồ sơ",
            ),
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_BACK, "sqlite": SQLITE_BACK}),
        ),
    ]
