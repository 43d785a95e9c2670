"""Order events partitioned by month on PostgreSQL (issue 17, item 4; jiesu/orders/partitions.py).

The migration turns the events table into a partitioned one on a live database; months are made
ahead by the daily job and the demo; an event of a month with no partition yet waits in the
default partition and moves into its month when that is made; every partition stays append-only.
PostgreSQL only: SQLite has no partitioning.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from jiesu.core import append_only
from jiesu.orders import partitions, services
from jiesu.orders.models import OrderEvent

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (declarative partitioning)")


def where(table: str, pk: int) -> str:
    """The partition a row is stored in."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def refused(sql: str, params=()) -> str:
    with pytest.raises(DatabaseError) as exc, transaction.atomic(), connection.cursor() as cursor:
        # Rows moved or inserted in this test's transaction leave foreign-key checks pending, and
        # PostgreSQL refuses a TRUNCATE for that alone: run them first, so only the trigger can refuse.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql, params)
    return str(exc.value)


def record(order, actor, at: datetime) -> OrderEvent:
    event = services.new_event(order, action="contact_recorded", actor=actor, at=at, data={"note": "已电话联系"})
    services.write_events([event], notify=False)
    return OrderEvent.objects.get(order=order, action="contact_recorded", at=at)


def test_the_events_table_is_partitioned_by_beijing_month(postgres):
    assert partitions.is_partitioned("orders_orderevent")
    assert partitions.is_partitioned("orders_personaldataaccess")
    listed = {p.name: p.bounds for p in partitions.partitions("orders_orderevent")}
    assert listed["orders_orderevent_default"] == "DEFAULT"
    months = sorted(n for n in listed if re.fullmatch(r"orders_orderevent_y\d{4}m\d{2}", n))
    # The migration made the month it ran in (or, on a database that had events, the next) and two more.
    assert len(months) >= partitions.MONTHS_AHEAD + 1
    # A month begins at 00:00 Beijing time: 16:00 UTC the day before.
    assert "16:00:00+00" in listed[months[0]] or "00:00:00+08" in listed[months[0]]


def test_an_event_is_stored_in_its_month_and_read_back_through_the_order(postgres, make_order, call_taker):
    order = make_order()
    partitions.ensure_months(date(2031, 3, 1), date(2031, 3, 31))
    # 23:30 on 31 March in Beijing is still March there (15:30 UTC); 00:10 on 1 April is April's.
    march = record(order, call_taker, datetime(2031, 3, 31, 23, 30, tzinfo=BEIJING))
    assert where("orders_orderevent", march.pk) == "orders_orderevent_y2031m03"
    april = services.new_event(
        order, action="note_added", actor=call_taker, at=datetime(2031, 4, 1, 0, 10, tzinfo=BEIJING), data={}
    )
    services.write_events([april], notify=False)
    stored = OrderEvent.objects.get(order=order, action="note_added")
    assert where("orders_orderevent", stored.pk) == "orders_orderevent_default"
    assert [e.action for e in order.events.all()][-2:] == ["contact_recorded", "note_added"]
    assert march.data["note"] == "已电话联系"


def test_a_month_made_late_takes_its_events_from_the_default_partition(postgres, make_order, call_taker):
    order = make_order()
    event = record(order, call_taker, datetime(2032, 7, 15, 9, 0, tzinfo=BEIJING))
    assert where("orders_orderevent", event.pk) == "orders_orderevent_default"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM orders_orderevent")
        before = cursor.fetchone()[0]

    made = partitions.ensure_months(date(2032, 6, 20), date(2032, 8, 1))

    months = ["y2032m06", "y2032m07", "y2032m08"]
    assert made == [f"{t}_{m}" for t in ("orders_orderevent", "orders_personaldataaccess") for m in months]
    assert where("orders_orderevent", event.pk) == "orders_orderevent_y2032m07"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM orders_orderevent")
        assert cursor.fetchone()[0] == before
        cursor.execute("SELECT count(*) FROM orders_orderevent_default WHERE id = %s", [event.pk])
        assert cursor.fetchone()[0] == 0
    moved = OrderEvent.objects.get(pk=event.pk)
    assert (moved.order_id, moved.at, moved.data) == (event.order_id, event.at, event.data)
    # Still append-only, in the month it moved to and in the default partition it left.
    assert "append-only" in refused("UPDATE orders_orderevent SET action = 'x' WHERE id = %s", [event.pk])
    assert "append-only" in refused("DELETE FROM orders_orderevent_y2032m07")
    assert "append-only" in refused("TRUNCATE orders_orderevent_y2032m07")
    assert "append-only" in refused("TRUNCATE orders_orderevent_default")
    # Made once: a second call makes nothing.
    assert partitions.ensure_months(date(2032, 6, 1), date(2032, 8, 31)) == []


def test_the_daily_job_makes_this_month_and_the_next_ones(postgres):
    made = partitions.ensure_ahead(2, today=date(2033, 11, 20))
    months = ["y2033m11", "y2033m12", "y2034m01"]
    assert made == [f"{t}_{m}" for t in ("orders_orderevent", "orders_personaldataaccess") for m in months]
    assert partitions.ensure_ahead(2, today=date(2033, 11, 21)) == []


def test_partitioning_a_live_table_keeps_its_rows_where_they_are(postgres, make_order):
    """The migration's path on a database that already holds events, on a table of the same
    shape: its rows stay in the old table (no copy), which becomes the partition of everything
    before the first month, keeping its indexes and foreign keys; new rows get the next ids."""
    order = make_order()
    table = "scratch_events"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {table} (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, at timestamptz NOT NULL, "
            "order_id bigint NOT NULL REFERENCES orders_workorder (id) DEFERRABLE INITIALLY DEFERRED, note text)"
        )
        cursor.execute(f"CREATE INDEX scratch_events_at ON {table} (at)")
        cursor.execute(f"CREATE INDEX scratch_events_order ON {table} (order_id)")
        cursor.execute(
            f"INSERT INTO {table} (at, order_id, note) SELECT %s - g * interval '1 day', %s, 'old' "
            "FROM generate_series(1, 40) g",
            [datetime(2030, 5, 10, 12, tzinfo=BEIJING), order.pk],
        )
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(f"SELECT to_regclass('{table}')::oid")
        old_oid = cursor.fetchone()[0]
    with connection.schema_editor() as editor:
        append_only.install(editor, table)

    done = partitions.partition_table(connection, table, "at", now=datetime(2030, 5, 10, 12, tzinfo=BEIJING))

    assert "scratch_events_legacy holds the events before 2030-06" in done
    assert partitions.is_partitioned(table)
    listed = {p.name: p.bounds for p in partitions.partitions(table)}
    assert listed["scratch_events_legacy"] == "FOR VALUES FROM (MINVALUE) TO ('2030-05-31 16:00:00+00')"
    assert {
        "scratch_events_y2030m06",
        "scratch_events_y2030m07",
        "scratch_events_y2030m08",
        "scratch_events_default",
    } <= set(listed)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('scratch_events_legacy')::oid")
        assert cursor.fetchone()[0] == old_oid  # the same table: nothing was copied
        cursor.execute(f"SELECT count(*), max(id) FROM {table} WHERE note = 'old'")
        assert cursor.fetchone() == (40, 40)
        # Its two indexes became the partitioned table's, not built a second time.
        cursor.execute("SELECT count(*) FROM pg_index WHERE indrelid = to_regclass('scratch_events_legacy')")
        assert cursor.fetchone()[0] == 3
        cursor.execute(
            f"INSERT INTO {table} (at, order_id, note) VALUES (%s, %s, 'new') RETURNING id, tableoid::regclass::text",
            [datetime(2030, 6, 2, tzinfo=BEIJING), order.pk],
        )
        assert cursor.fetchone() == (41, "scratch_events_y2030m06")
        cursor.execute(
            f"INSERT INTO {table} (at, order_id, note) VALUES (%s, %s, 'late') RETURNING tableoid::regclass::text",
            [datetime(2030, 5, 30, tzinfo=BEIJING), order.pk],
        )
        assert cursor.fetchone()[0] == "scratch_events_legacy"
    # The foreign key holds on the partitioned table.
    with pytest.raises(DatabaseError, match="foreign key"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (at, order_id) VALUES (now(), -1)")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert "append-only" in refused(f"UPDATE {table} SET note = 'changed' WHERE note = 'old'")
    assert "append-only" in refused(f"DELETE FROM {table} WHERE note = 'new'")
    assert "append-only" in refused("TRUNCATE scratch_events_legacy")
    assert partitions.partition_table(connection, table, "at") == f"{table} is already partitioned"


def test_a_table_partitioned_when_empty_has_no_legacy_partition(postgres):
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE scratch_empty "
            "(id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, at timestamptz NOT NULL)"
        )
    with connection.schema_editor() as editor:
        append_only.install(editor, "scratch_empty")
    partitions.partition_table(connection, "scratch_empty", "at", now=datetime(2030, 12, 31, 23, tzinfo=BEIJING))
    names = [p.name for p in partitions.partitions("scratch_empty")]
    assert names == [
        "scratch_empty_default",
        "scratch_empty_y2030m12",
        "scratch_empty_y2031m01",
        "scratch_empty_y2031m02",
    ]


def test_the_legacy_partition_ends_a_month_later_when_the_next_is_under_a_day_away():
    assert partitions._legacy_bound(datetime(2030, 5, 10, 12, tzinfo=BEIJING)) == date(2030, 6, 1)
    assert partitions._legacy_bound(datetime(2030, 5, 31, 12, tzinfo=BEIJING)) == date(2030, 7, 1)


def test_the_partitions_command_lists_and_makes_months(postgres):
    out = StringIO()
    call_command("partitions", "--from", "2034-02", "--to", "2034-03", stdout=out)
    text = out.getvalue()
    assert "made orders_orderevent_y2034m02" in text and "made orders_orderevent_y2034m03" in text
    assert re.search(r"orders_orderevent_default .* DEFAULT", text)
    with pytest.raises(CommandError, match="not a month: '2034-13'"):
        call_command("partitions", "--from", "2034-13", "--to", "2034-14")
    with pytest.raises(CommandError, match="before --from"):
        call_command("partitions", "--from", "2034-05", "--to", "2034-04")
    with pytest.raises(CommandError, match="go together"):
        call_command("partitions", "--from", "2034-05")


def test_on_sqlite_nothing_is_partitioned():
    if connection.vendor != "sqlite":
        pytest.skip("the embedded database")
    assert partitions.ensure_ahead() == [] and partitions.partitions("orders_orderevent") == []
    out = StringIO()
    call_command("partitions", "--ahead", "2", stdout=out)
    assert "not partitioned" in out.getvalue()


def test_an_event_dated_before_its_order_was_received_is_refused(make_order, call_taker):
    """WorkOrder.history reads from the order's receipt on (less a day): an event before that
    would be lost to it, so none can be written."""
    order = make_order()
    with pytest.raises(ValueError, match="before the order was received"):
        services.new_event(order, action="note_added", actor=call_taker, at=order.received_at - timedelta(days=2))
    early = services.new_event(order, action="note_added", actor=call_taker, at=order.received_at - timedelta(hours=2))
    services.write_events([early], notify=False)
    assert "note_added" in [e.action for e in order.history()]


def test_an_orders_history_reads_only_the_partitions_from_its_month_on(postgres, make_order):
    partitions.ensure_months(date(2026, 1, 1), date(2026, 12, 31))
    order = make_order(received_at=datetime(2026, 6, 1, 0, 30, tzinfo=BEIJING))
    sql, params = order.history().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # From 31 May (the margin of a day) on: May's partition and the later ones, none before.
    assert "orders_orderevent_y2026m05" in plan and "orders_orderevent_y2026m06" in plan
    assert "orders_orderevent_y2026m04" not in plan and "orders_orderevent_y2026m01" not in plan
    assert [e.action for e in order.history()][:1] == ["created"]


def test_a_read_of_a_requesters_identity_is_recorded_in_its_month(postgres, make_order, call_taker):
    from jiesu.orders.models import PersonalDataAccess

    partitions.ensure_ahead(0)  # this month's, whenever the test database was made
    order = make_order()
    record = PersonalDataAccess.objects.create(order=order, user=call_taker, fields=["requester_phone"], purpose="test")
    received = record.at.astimezone(BEIJING)
    assert where("orders_personaldataaccess", record.pk) == f"orders_personaldataaccess_y{received:%Y}m{received:%m}"
    assert "append-only" in refused("DELETE FROM orders_personaldataaccess WHERE id = %s", [record.pk])


def test_months_are_made_only_for_append_only_tables(postgres):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE scratch_plain (id bigint, at timestamptz NOT NULL) PARTITION BY RANGE (at)")
    with pytest.raises(DatabaseError, match="scratch_plain is not an append-only table"), transaction.atomic():
        partitions.ensure_months(date(2030, 1, 1), date(2030, 1, 31), tables={"scratch_plain": "at"})


def test_the_application_role_makes_months_only_through_the_function(postgres):
    """The nightly job runs as the application's role, which creates nothing itself."""
    import uuid

    from tests.core.test_db_roles import as_role

    role = f"jiesu_app_test_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
    call_command("grant_app_role", role, stdout=StringIO())
    with as_role(role):
        made = partitions.ensure_months(date(2035, 3, 1), date(2035, 3, 31))
    assert "orders_orderevent_y2035m03" in made
    with as_role(role), pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE orders_orderevent_y2035m04 PARTITION OF orders_orderevent DEFAULT")
