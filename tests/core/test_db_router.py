"""Reads of reports, search and the assessment on the read replica (jiesu/core/db_router.py).

Two settings, one set of tests:

- **In CI, no second server** (no DATABASE_REPLICA_URL; CI's PostgreSQL pass, skipped on
  SQLite): this module declares the alias
  `replica` as Django's test mirror of the default test database. It is a second, separate
  connection (its own DatabaseWrapper and socket or SQLite handle) to the same database, and the
  router is switched on per test (JIESU_REPLICA_ALIAS). Each test asserts on which connection
  the view's queries ran: the report's on `replica`, none of them on `default`.
- **Against a real streaming replica**: when DATABASE_REPLICA_URL is set (scripts/replica.sh
  start; `bench/scaleout.py --test` runs this file so), settings.py declares the alias on the
  replica server, whose test database is the one the primary's test run creates, replayed. The
  same tests then also check that the connection the report read from is a server in recovery
  (`pg_is_in_recovery()`), i.e. the hot standby and not the primary.

The tests read no timing and need no order data: a month's public report is a real page with
zero orders, and its queries are what is counted.
"""

from __future__ import annotations

import copy
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.test.utils import CaptureQueriesContext

from jiesu.core import db_router, roles

# settings.py declares the alias only for DATABASE_REPLICA_URL, a real replica.
REAL_REPLICA = "replica" in connections.settings

POSTGRES = connections.settings[DEFAULT_DB_ALIAS]["ENGINE"].startswith("django.db.backends.postgresql")

if POSTGRES and "replica" not in connections.settings:
    # The CI form: a second connection to the default test database. Declared at import, before
    # pytest-django sets up the test databases, so that it makes `replica` a mirror of the
    # default test database; inert for other tests (the router ignores it unless
    # JIESU_REPLICA_ALIAS names it, and only tests asking for it may use it).
    _declared = copy.deepcopy(connections.settings[DEFAULT_DB_ALIAS])
    _declared["TEST"] = {**_declared.get("TEST", {}), "MIRROR": DEFAULT_DB_ALIAS}
    connections.settings["replica"] = connections.configure_settings(
        {DEFAULT_DB_ALIAS: copy.deepcopy(connections.settings[DEFAULT_DB_ALIAS]), "replica": _declared}
    )["replica"]

# A read replica is a PostgreSQL hot standby (settings.py refuses DATABASE_REPLICA_URL beside
# SQLite), so these run in CI's PostgreSQL pass. (An SQLite in-memory mirror cannot even be
# tried: a second shared-cache connection is locked out by the test's open transaction.)
pytestmark = [
    pytest.mark.skipif(not POSTGRES, reason="the read replica needs PostgreSQL (CI's PostgreSQL pass runs this)"),
    pytest.mark.django_db(databases=[DEFAULT_DB_ALIAS, "replica"]),
]

ORDER_TABLES = ("orders_workorder", "orders_orderunit", "followup_")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


@pytest.fixture(autouse=True)
def _close_replica():
    # Django closes the aliases it set up; this one it only mirrors, and an open connection to
    # the test database would keep it from being dropped at the end of the run.
    yield
    if POSTGRES:
        connections["replica"].close()


@pytest.fixture
def replica_on(settings):
    settings.JIESU_REPLICA_ALIAS = "replica"


def _touching_orders(queries) -> list[str]:
    return [q["sql"] for q in queries if any(t in q["sql"] for t in ORDER_TABLES)]


def _assert_is_replica_server():
    # On a real replica the connection that answered is a hot standby; on the CI mirror it is the
    # same server as the primary's, so there is nothing more to check there.
    if REAL_REPLICA:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            assert cursor.fetchone()[0] is True
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            assert cursor.fetchone()[0] is False


def test_public_monthly_report_reads_from_the_replica(replica_on, client):
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
    ):
        response = client.get("/public/reports/2026-10/")
    assert response.status_code == 200
    assert "2026" in response.content.decode()
    assert _touching_orders(on_replica.captured_queries), "the report read no order table on the replica"
    assert _touching_orders(on_primary.captured_queries) == []
    _assert_is_replica_server()


def test_without_a_replica_the_report_reads_from_the_primary(settings, client):
    settings.JIESU_REPLICA_ALIAS = None
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
    ):
        assert client.get("/public/reports/2026-10/").status_code == 200
    assert on_replica.captured_queries == []
    assert _touching_orders(on_primary.captured_queries)


def test_search_reads_from_the_replica_and_the_plain_work_list_from_the_primary(replica_on, make_user, client):
    client.force_login(make_user(roles.DISPATCHER))
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
    ):
        assert client.get("/orders/", {"q": "噪音"}).status_code == 200
    assert _touching_orders(on_replica.captured_queries)
    assert _touching_orders(on_primary.captured_queries) == []
    # Who is asking comes from the primary, also inside a replica read (a fresh session may not
    # have reached the replica yet).
    assert any("django_session" in q["sql"] for q in on_primary.captured_queries)
    assert not any("django_session" in q["sql"] or "directory_user" in q["sql"] for q in on_replica.captured_queries)

    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
    ):
        assert client.get("/orders/").status_code == 200
    assert on_replica.captured_queries == []
    assert _touching_orders(on_primary.captured_queries)


def test_month_assessment_reads_its_lines_on_the_replica_and_stores_on_the_primary(replica_on, make_user):
    from jiesu.assessment import services
    from jiesu.assessment.models import AssessmentRun

    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
    ):
        run = services.run_assessment(datetime(2026, 10, 1).date(), actor=make_user(roles.SUPERVISOR))
    assert any("orders_orderunit" in q["sql"] for q in on_replica.captured_queries)
    assert not any("assessment_assessmentrun" in q["sql"] for q in on_replica.captured_queries)
    assert any("INSERT" in q["sql"] and "assessment_assessmentrun" in q["sql"] for q in on_primary.captured_queries)
    assert AssessmentRun.objects.filter(pk=run.pk, current=True).exists()


def test_writes_and_locks_stay_on_the_primary_inside_a_replica_read(replica_on):
    from jiesu.orders.models import WorkOrder

    with db_router.replica_reads() as alias:
        assert alias == "replica"
        assert router.db_for_read(WorkOrder) == "replica"
        assert router.db_for_write(WorkOrder) == DEFAULT_DB_ALIAS
        assert WorkOrder.objects.select_for_update().db == DEFAULT_DB_ALIAS
        # Who is logged in is never read from the replica.
        from django.contrib.auth import get_user_model
        from django.contrib.sessions.models import Session

        assert router.db_for_read(get_user_model()) == DEFAULT_DB_ALIAS
        assert router.db_for_read(Session) == DEFAULT_DB_ALIAS
    assert router.db_for_read(WorkOrder) == DEFAULT_DB_ALIAS
    assert not router.allow_migrate("replica", "orders")


def test_replica_reads_fall_back_to_the_primary_when_none_is_configured(settings):
    from jiesu.orders.models import WorkOrder

    settings.JIESU_REPLICA_ALIAS = None
    with db_router.replica_reads() as alias:
        assert alias == DEFAULT_DB_ALIAS
        assert router.db_for_read(WorkOrder) == DEFAULT_DB_ALIAS
