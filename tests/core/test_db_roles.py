"""Append-only tables and the two database roles (issue 12, defect 8; R8.3).

TRUNCATE is refused on the event and audit tables (row triggers never see it), and the
application role made by `jiesu grant-app-role` can read and insert there but neither change,
truncate, nor disable the triggers, since it owns nothing. PostgreSQL only: SQLite has neither
TRUNCATE nor roles. The role is created inside the test's transaction, so it disappears with it.
"""

from __future__ import annotations

import uuid
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from jiesu.orders.models import OrderEvent, PersonalDataAccess, WorkOrder

pytestmark = pytest.mark.django_db

APPEND_ONLY = ("orders_orderevent", "orders_personaldataaccess")


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (TRUNCATE and roles)")


def refused(sql: str) -> str:
    with pytest.raises(DatabaseError) as exc, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    return str(exc.value)


@pytest.mark.parametrize(
    "sql",
    [
        "TRUNCATE orders_orderevent",
        "TRUNCATE orders_personaldataaccess",
        # Reaches the events through their foreign key: the trigger fires for every table truncated.
        "TRUNCATE orders_workorder CASCADE",
    ],
)
def test_truncate_of_an_append_only_table_is_refused(postgres, make_order, sql):
    order = make_order()
    PersonalDataAccess.objects.create(order=order, user=order.created_by, fields=["requester_phone"], purpose="test")
    with connection.cursor() as cursor:
        # The rows' deferred foreign-key checks would make PostgreSQL refuse the TRUNCATE on its own
        # ("pending trigger events"); run them now, so that only the append-only trigger can refuse.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert "append-only" in refused(sql)
    assert (
        OrderEvent.objects.filter(order=order).count() == 1 and PersonalDataAccess.objects.filter(order=order).exists()
    )


@pytest.fixture
def app_role(postgres):
    name = f"jiesu_app_test_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {name} NOLOGIN")
    return name


class as_role:
    """Run the block with the privileges of `role` (SET LOCAL ROLE within a savepoint)."""

    def __init__(self, role: str):
        self.role = role
        self.atomic = transaction.atomic()

    def __enter__(self):
        self.atomic.__enter__()
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {self.role}")

    def __exit__(self, *exc):
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
        return self.atomic.__exit__(*exc)


def test_application_role_works_but_cannot_rewrite_history(
    app_role, make_order, dispatcher, wangjing_office, dispatched_to
):
    out = StringIO()
    call_command("grant_app_role", app_role, stdout=out)
    assert "orders_orderevent" in out.getvalue() and "orders_personaldataaccess" in out.getvalue()

    with as_role(app_role):
        # The everyday work goes through: intake, dispatch (events appended), reads.
        order = make_order()
        dispatched_to(order, wangjing_office)
        assert order.events.count() == 2 and WorkOrder.objects.filter(pk=order.pk).exists()
        event_id = order.events.first().pk

    for sql in (
        f"UPDATE orders_orderevent SET action = 'x' WHERE id = {event_id}",
        f"DELETE FROM orders_orderevent WHERE id = {event_id}",
        "TRUNCATE orders_orderevent",
        "TRUNCATE orders_workorder CASCADE",
        "ALTER TABLE orders_orderevent DISABLE TRIGGER ALL",
        "DROP TRIGGER orders_orderevent_append_only ON orders_orderevent",
        "CREATE TABLE jiesu_app_made (id int)",
        "INSERT INTO django_migrations (app, name, applied) VALUES ('x', 'y', now())",
    ):
        with as_role(app_role):
            message = refused(sql)
        assert "permission denied" in message or "must be owner" in message, (sql, message)

    with as_role(app_role), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations")
        assert cursor.fetchone()[0] > 0


def test_grant_app_role_refuses_what_would_not_bind(postgres, app_role):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("grant_app_role", "jiesu_no_such_role_x", stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
    with pytest.raises(CommandError, match="owner"):
        call_command("grant_app_role", owner, stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE orders_attachment OWNER TO {app_role}")
    with pytest.raises(CommandError, match="orders_attachment"):
        call_command("grant_app_role", app_role, stdout=StringIO())


def test_grant_app_role_says_sqlite_has_no_roles():
    if connection.vendor != "sqlite":
        pytest.skip("the embedded database")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("grant_app_role", "jiesu_app", stdout=StringIO())
