"""Run by tests/test_replica.py in a process of its own, on the private primary and replica
(DATABASE_URL, DATABASE_REPLICA_URL): requests as the world's people, printing one JSON line
per request with where its case reads went. The test drives the replica between requests
(pause, resume) through stdin: one JSON request per line, answered by one JSON line."""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from tests.world import build_world  # noqa: E402


def where(method: str, client: Client, url: str, **data) -> dict:
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = getattr(client, method)(url, data=data or None)
    return {
        "status": response.status_code,
        "primary": sum("workflow_case" in q["sql"] for q in primary),
        "replica": sum("workflow_case" in q["sql"] for q in replica),
        "on_primary": [q["sql"][:300] for q in primary if "workflow_case" in q["sql"]],
        "replica_writes": sum(
            q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) for q in replica
        ),
        "body": response.json() if "json" in response.get("Content-Type", "") else None,
    }


def main() -> None:
    setup_test_environment()
    w = build_world()
    clients = {}
    for name in ("thuongtruc", "so_ldtbxh", "ban_vhxh"):
        clients[name] = Client()
        clients[name].force_login(getattr(w, name))
    print(json.dumps({"case": w.case.pk}), flush=True)
    for line in sys.stdin:
        ask = json.loads(line)
        answer = where(ask["method"], clients[ask["who"]], ask["url"], **ask.get("data", {}))
        print(json.dumps(answer), flush=True)


main()
