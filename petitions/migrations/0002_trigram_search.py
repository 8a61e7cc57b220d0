"""PostgreSQL's text tools for the search for repeats (petitions/repeats.py): pg_trgm and
unaccent, an IMMUTABLE wrapper of unaccent (unaccent itself is only STABLE, since its
dictionary could change, so no index may use it) and a GIN trigram index on the petitions'
subjects without diacritics. SQLite gets nothing: it compares in Python."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """CREATE OR REPLACE FUNCTION immutable_unaccent(text) RETURNS text
       LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
       AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$""",
    """CREATE INDEX petition_subject_trgm ON petitions_petition
       USING gin (immutable_unaccent(subject) gin_trgm_ops)""",
]
BACKWARD = [
    "DROP INDEX IF EXISTS petition_subject_trgm",
    "DROP FUNCTION IF EXISTS immutable_unaccent(text)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_petitions")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
