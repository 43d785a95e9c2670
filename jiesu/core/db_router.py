"""Reads of reports, search, insight and the assessment on a streaming read replica.

A centre that outgrows one PostgreSQL server keeps every write, and every read a person works
from (work lists, an order's page, the intake, the handling actions), on the primary, and sends
the heavy reads that tolerate a second's lag to a hot standby (``pg_basebackup -R``,
``scripts/replica.sh``): the public monthly reports, the assessment's dashboards and its
month computation, the order search, and the insight screens.

``DATABASE_REPLICA_URL`` declares the replica (settings.py adds the alias ``replica``, and sets
``JIESU_REPLICA_ALIAS``). Without it everything reads from the primary: the router answers
``default`` and nothing else changes.

What reads from the replica is decided by the code path, not by the model, because the same
tables (orders, parts, events) are read by the work lists, which must see an order the moment it
is written, and by the reports, which need not:
- ``ReplicaReadsMiddleware``: GET and HEAD requests to the views named in ``REPLICA_VIEWS``
  (a search only when it searches: ``orders:list`` with ``q``);
- ``replica_reads()``: a context manager for code outside a request (the assessment's month
  computation, ``jiesu assess``, Celery tasks), and ``read_alias()`` for raw SQL, which Django's
  routers do not see.
Writes go to the primary always (``db_for_write``), also inside a replica-read view (the audit
of an identity read, a session saved), and a row read from the replica and then saved is
written to the primary. ``SELECT ... FOR UPDATE`` is a write query in Django's eyes, so locks are
taken on the primary.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

# Views whose GET/HEAD reads go to the replica: reports (the public monthly report and its PDF,
# the assessment dashboard, a unit's assessment and the export), search (the order list when a
# query is given), insight (alerts and topics screens). Names are URL names (namespace:name).
REPLICA_VIEWS = frozenset(
    {
        "public:reports",
        "public:report",
        "public:report_pdf",
        "assessment:dashboard",
        "assessment:unit",
        "assessment:export",
        "insight:alerts",
        "insight:alert",
        "insight:topics",
    }
)
# Read from the replica only when the request searches (words, or a sealed caller number): a
# plain work list must be current.
REPLICA_VIEWS_WHEN_SEARCHING = frozenset({"orders:list"})

# Always read from the primary, also inside a replica read: who is logged in, with which
# session, token or lockout must be current (a session row a second old may not have reached the
# replica yet, and the user would be sent to the login page).
# "django_cache" is the database cache's table (the status look-up's guess counters when no Redis
# is configured): a counter read from a lagging replica would let guesses through.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "axes", "knox", "contenttypes", "admin", "django_cache"})

_replica = contextvars.ContextVar("jiesu_replica_reads", default=False)


def replica_alias() -> str | None:
    """The replica's alias when one is configured, else None."""
    return settings.JIESU_REPLICA_ALIAS or None


def read_alias() -> str:
    """The alias the current code path reads from: the replica inside ``replica_reads()`` (or a
    replica-read view) when one is configured, else the primary. For raw SQL
    (``connections[read_alias()]``), which the router does not see."""
    alias = replica_alias()
    return alias if alias and _replica.get() else DEFAULT_DB_ALIAS


@contextmanager
def replica_reads():
    """Reads inside this block go to the replica (when configured). Nested blocks are fine."""
    token = _replica.set(True)
    try:
        yield read_alias()
    finally:
        _replica.reset(token)


class ReplicaRouter:
    """DATABASE_ROUTERS entry: reads inside ``replica_reads()`` to the replica, all else to the
    primary. Migrations never run on the replica alias (a hot standby is read-only and gets the
    schema by replication)."""

    def db_for_read(self, model, **hints):
        # The database cache routes a stand-in class whose _meta has an app_label but no label.
        if (
            model._meta.app_label in PRIMARY_ONLY_APPS
            or getattr(model._meta, "label", None) == settings.AUTH_USER_MODEL
        ):
            return DEFAULT_DB_ALIAS
        return read_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Rows of one database always relate, and this is asked whenever a related object is set
        # (every event made names its order): answered before the settings are read.
        if obj1._state.db == obj2._state.db:
            return True
        # Both aliases hold the same rows (physical replication): a replica row may refer to a
        # primary row.
        aliases = {DEFAULT_DB_ALIAS, replica_alias()}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db != DEFAULT_DB_ALIAS and db == replica_alias():
            return False
        return None


def _searching(request) -> bool:
    return bool(request.GET.get("q", "").strip() or request.GET.get("caller", ""))


class ReplicaReadsMiddleware:
    """Marks the views of REPLICA_VIEWS as replica reads for the time of the view.

    After authentication in MIDDLEWARE: the session and the user are read from the primary (a
    password just changed, a session just ended must count at once); only the view's own reads
    move. Set in process_view, where the resolved URL name is known, and cleared when the
    response is back, so a thread of a gthread worker never carries it to the next request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _replica.set(False)
        try:
            return self.get_response(request)
        finally:
            _replica.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if replica_alias() is None or request.method not in ("GET", "HEAD"):
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        if name in REPLICA_VIEWS or (name in REPLICA_VIEWS_WHEN_SEARCHING and _searching(request)):
            # The lazy user (and its session) is read now, from the primary, not later in the
            # view or its template.
            user = getattr(request, "user", None)
            if user is not None:
                user.is_authenticated  # noqa: B018 (evaluates the lazy object)
            _replica.set(True)
        return None
