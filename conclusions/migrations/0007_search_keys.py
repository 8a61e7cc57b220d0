"""Search keys (conclusions.rules.search_key) beside the searchable text, filled for the rows
already there, and on PostgreSQL a trigram index on each so that `LIKE '%words%'` searches
stay fast on millions of rows (SQLite, the single-office database, scans)."""

from django.db import migrations, models

from conclusions.rules import search_key

BATCH = 2000

INDEXES = [
    ("conclusions_recommendation", "recommendation_search_trgm"),
    ("conclusions_conclusionnotice", "notice_search_trgm"),
]


def fill_keys(apps, schema_editor):
    for model, source in [
        ("Recommendation", lambda row: row.text),
        ("ConclusionNotice", lambda row: f"{row.number} {row.title}"),
    ]:
        Model = apps.get_model("conclusions", model)
        batch = []
        for row in Model.objects.only("pk", "search_key", *_fields(model)).iterator(BATCH):
            row.search_key = search_key(source(row))
            batch.append(row)
            if len(batch) == BATCH:
                Model.objects.bulk_update(batch, ["search_key"])
                batch = []
        Model.objects.bulk_update(batch, ["search_key"])


def _fields(model: str) -> list[str]:
    return ["text"] if model == "Recommendation" else ["number", "title"]


def trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, name in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_key gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for _table, name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("conclusions", "0006_urging_letters"),
    ]

    operations = [
        migrations.AddField(
            model_name="conclusionnotice",
            name="search_key",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="search_key",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.RunPython(trigram_indexes, drop_trigram_indexes),
    ]
