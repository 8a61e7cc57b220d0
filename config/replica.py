"""Reports and dashboards read from a PostgreSQL streaming replica when
`DATABASE_REPLICA_URL` is set; everything else stays on the primary.

Which reads may go there is decided per view, in one list (`REPLICA_VIEWS`): the
Standing Committee's dashboard and the API's figures, pages that only read and can bear
being a moment behind. Every other page, every write, and everything read for a write
(a transition reads the case it moves, a sweep the rows it claims) uses the primary,
because a view not in the list never reaches the replica and the router also sends to the
primary whatever runs inside a transaction.

No read-your-writes surprise for the person who just acted: any request that is not a
plain read (POST, PUT, PATCH, DELETE) sets a signed cookie, and for
`DONDOC_REPLICA_STICKY_SECONDS` (10 by default) that browser's reports read from the
primary, so a dashboard opened right after closing a case counts it. Others may see the
figures of a moment ago, as they would have a moment earlier. And the replica is used only
while it keeps up: before each such page one query asks it whether it is still in recovery
and has replayed all the WAL it received; if not (replay paused or stuck, the replica
promoted, or down) the page reads from the primary. (An API script with a token and no
cookie jar gets the same guard, not the stickiness: it may read the figures of a moment
before its own write.)"""

import contextvars
import logging
import time

from django.conf import settings
from django.core import signing
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

PRIMARY, REPLICA = "default", "replica"
REPLICA_VIEWS = frozenset({"reports:index", "api:overdue", "api:results"})
STICKY_COOKIE = "dondoc_primary_until"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_reading_from_replica: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "dondoc_reading_from_replica", default=False
)


class PrimaryReplicaRouter:
    """Writes always to the primary; reads to the replica only inside a replica view, and
    never inside a transaction (what is read for a write is read where it is written)."""

    def db_for_read(self, model, **hints) -> str:
        if _reading_from_replica.get() and not connections[PRIMARY].in_atomic_block:
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the same data on both

    def allow_migrate(self, db, app_label, **hints) -> bool:
        return db == PRIMARY  # the replica follows the primary's WAL, schema included


class ReplicaReadsMiddleware:
    """Runs the views of REPLICA_VIEWS with their reads on the replica (and renders them
    there, templates read lazily), and makes a browser that wrote stick to the primary."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if REPLICA in settings.DATABASES and request.method not in SAFE_METHODS:
            until = time.time() + settings.DONDOC_REPLICA_STICKY_SECONDS
            response.set_signed_cookie(
                STICKY_COOKIE,
                f"{until:.3f}",
                max_age=settings.DONDOC_REPLICA_STICKY_SECONDS,
                httponly=True,
                secure=request.is_secure(),
                samesite="Lax",
            )
        return response

    def process_view(self, request, view, args, kwargs):
        if not _may_read_replica(request):
            return None
        token = _reading_from_replica.set(True)
        try:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            return response
        finally:
            _reading_from_replica.reset(token)


def _may_read_replica(request) -> bool:
    match = request.resolver_match
    return (
        REPLICA in settings.DATABASES
        and request.method in SAFE_METHODS
        and match is not None
        and match.view_name in REPLICA_VIEWS
        and not _wrote_recently(request)
        and replica_keeps_up()
    )


def _wrote_recently(request) -> bool:
    try:
        until = float(request.get_signed_cookie(STICKY_COOKIE))
    except (KeyError, ValueError, signing.BadSignature):
        return False
    return until > time.time()


def replica_keeps_up() -> bool:
    """Whether the replica is still a replica and has replayed all it received."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery() "
                "AND pg_last_wal_receive_lsn() IS NOT NULL "
                "AND pg_last_wal_replay_lsn() >= pg_last_wal_receive_lsn()"
            )
            return bool(cursor.fetchone()[0])
    except DatabaseError:
        logger.warning("The replica cannot be reached: reports read from the primary")
        connections[REPLICA].close()
        return False
