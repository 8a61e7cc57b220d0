"""django-q2 entry point for report snapshots; it calls the service and returns a summary."""

from reports.snapshots import snapshot_build


def build_snapshot(snapshot_id: int) -> dict:
    snapshot = snapshot_build(snapshot_id)
    return {"snapshot": snapshot.pk, "status": snapshot.status}
