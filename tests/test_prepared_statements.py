"""On PostgreSQL a statement run a sixth time on one connection is prepared there, so that
the server plans it once (config/settings.py); a deployment behind a pooler that cannot keep
prepared statements turns that off with one setting."""

import os
import subprocess
import sys

import pytest
from django.db import connection

from workflow.models import Case

pytestmark = pytest.mark.postgres


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_a_query_run_a_sixth_time_on_a_connection_is_prepared(db):
    def run_once():
        return list(Case.objects.filter(pk=-7, state="assigned"))

    for _ in range(5):
        run_once()
    assert not [s for s in _prepared() if '"workflow_case"."id" = $1' in s]
    run_once()
    prepared = [s for s in _prepared() if '"workflow_case"."id" = $1' in s]
    assert len(prepared) == 1 and '"workflow_case"."state" = $2' in prepared[0]


@pytest.mark.parametrize(("value", "threshold"), [("", 5), ("false", None)])
def test_prepared_statements_can_be_turned_off(value, threshold):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    environment.pop("DATABASE_PREPARED_STATEMENTS", None)
    if value:
        environment["DATABASE_PREPARED_STATEMENTS"] = value
    options = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; "
         "print(settings.DATABASES['default']['OPTIONS'])"],
        env=environment, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert f"'prepare_threshold': {threshold}" in options
    assert "'server_side_binding': True" in options
