"""Order events partitioned by month on PostgreSQL (issue 17: a store built for 100M orders).

Why: at Beijing's volume five years are about 100 million orders and 750 million events. The
events table is the largest and only grows (it is append-only: nothing is ever deleted), and the
reads that span many orders (the monthly assessment, reports, Open311's status feed) are read by
time. With one partition per month, a month's reads scan one month's table and indexes, vacuum
and index upkeep work month by month instead of on one table of hundreds of millions of rows,
and an old month can be moved to other storage (``ALTER TABLE ... SET TABLESPACE``) or detached
for an archive without touching the live month.

Layout, made by migration orders 0015 (:func:`partition_table`) on a live database:

- ``orders_orderevent`` is a table partitioned by RANGE on ``at``; its primary key is
  ``(id, at)`` because a partitioned table's unique keys must hold the partition key. Ids still
  come from one identity sequence, so ``id`` alone is unique and Django keeps it as the key.
- ``orders_orderevent_y2026m12`` and so on: one partition per month of Beijing time (from 00:00
  on the 1st, ``TIME_ZONE``), made ahead by :func:`ensure_months`.
- ``orders_orderevent_legacy``: on a database that already held events, the old table itself,
  attached as the partition of everything before the first monthly one. Nothing is copied: a
  CHECK constraint validated beforehand (which blocks no writes) lets PostgreSQL attach it
  without a scan, so the table is locked only for the few catalogue changes of the swap. On a new
  database there is no such partition.
- ``orders_orderevent_default`` takes an event whose month has no partition yet, so an insert
  never fails for want of one. :func:`ensure_months` moves such rows into their month's
  partition when it makes it (in one transaction: detach the default, make the month, move the
  rows, attach the default again).

The append-only triggers are on the partitioned table (PostgreSQL gives every partition a copy of
its row triggers) and each partition refuses TRUNCATE on its own (statement triggers are not
copied). Months are made by ``jiesu_month_partitions``, a SECURITY DEFINER function like the
order numbers' (``numbering``): the application's role creates nothing. The schedule runs
:func:`ensure_ahead` nightly (``event-partitions``), ``jiesu partitions`` shows and extends
them, and the demo generator makes the months of the history it writes before writing it.

SQLite (the embedded default, a small centre on one machine) has no partitioning; everything
here does nothing there.

The records of who read a requester's identity (``orders_personaldataaccess``, migration 0016)
are partitioned the same way.

Left as they are: the orders table itself is not partitioned (33 tables hold foreign keys to
an order's id, and a partitioned table's key would have to include its month); nor are the
smaller append-only tables (caller and staff events, alert events).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection as default_connection
from django.db import transaction
from django.utils import timezone

from jiesu.core import append_only

# table -> the column its months are cut on. Both grow with every order and are never deleted:
# the events (about 7.5 an order) and the records of who read a requester's identity (R8.3).
PARTITIONED = {"orders_orderevent": "at", "orders_personaldataaccess": "at"}
# Months made ahead of the current one by the daily job: three days of failed jobs would still
# leave a month and more before the default partition had to take anything.
MONTHS_AHEAD = 2

FUNCTION = """
CREATE OR REPLACE FUNCTION jiesu_month_partitions(p_table text, p_column text, p_tz text, p_first date, p_last date)
RETURNS SETOF text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
  month date := date_trunc('month', p_first)::date;
  lo timestamptz;
  hi timestamptz;
  part text;
  dflt text := p_table || '_default';
  waiting boolean;
BEGIN
  -- It runs as the owner: only for the append-only tables this module partitions.
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass(p_table)
                 AND tgfoid = to_regproc('jiesu_append_only')) THEN
    RAISE EXCEPTION '% is not an append-only table', p_table;
  END IF;
  WHILE month <= p_last LOOP
    part := p_table || '_y' || to_char(month, 'YYYY') || 'm' || to_char(month, 'MM');
    lo := month::timestamp AT TIME ZONE p_tz;
    hi := (month + interval '1 month')::timestamp AT TIME ZONE p_tz;
    IF to_regclass(part) IS NULL THEN
      EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I >= %L AND %I < %L)', dflt, p_column, lo, p_column, hi)
        INTO waiting;
      BEGIN
        IF waiting THEN
          -- Rows the default partition took for this month move into it. Detached, the default
          -- partition loses the copies of the append-only row triggers (and gets them back on
          -- ATTACH), so the rows can leave it; all of it is one transaction.
          EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', p_table, dflt);
          EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', part, p_table, lo, hi);
          EXECUTE format('INSERT INTO %I SELECT * FROM %I WHERE %I >= %L AND %I < %L',
                         p_table, dflt, p_column, lo, p_column, hi);
          EXECUTE format('DELETE FROM %I WHERE %I >= %L AND %I < %L', dflt, p_column, lo, p_column, hi);
          EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I DEFAULT', p_table, dflt);
        ELSE
          EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', part, p_table, lo, hi);
        END IF;
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION jiesu_append_only()', part || '_no_truncate', part);
        RETURN NEXT part;
      EXCEPTION
        -- invalid_object_definition: the month lies in the legacy partition's range;
        -- duplicate_table: another session made it meanwhile.
        WHEN invalid_object_definition OR duplicate_table THEN NULL;
      END;
    END IF;
    month := (month + interval '1 month')::date;
  END LOOP;
END
$$;
"""


def _is_postgres(connection) -> bool:
    return connection.vendor == "postgresql"


def install_function(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT quote_ident(current_schema())")
        schema = cursor.fetchone()[0]
        cursor.execute(FUNCTION.format(schema=schema))
        # The application role is granted it by `jiesu grant-app-role`; nobody else may call it.
        cursor.execute("REVOKE ALL ON FUNCTION jiesu_month_partitions(text, text, text, date, date) FROM PUBLIC")


def month_start(day: date) -> datetime:
    """00:00 Beijing time (TIME_ZONE) on the first of `day`'s month."""
    return datetime(day.year, day.month, 1, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def ensure_months(first: date, last: date, *, tables: dict[str, str] | None = None, connection=None) -> list[str]:
    """Make the monthly partitions of every partitioned table (`tables`: name -> column, default
    PARTITIONED) for the months from `first` to `last` (days, Beijing time) that have none; the
    names made. Nothing on SQLite."""
    connection = connection or default_connection
    if not _is_postgres(connection) or last < first:
        return []
    made = []
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # PostgreSQL refuses to change a table that has foreign-key checks pending in this
        # transaction (the demo writes events, then makes the months of its next batch): run them
        # now, then defer the rest again, as Django's constraints are.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, column in (tables or PARTITIONED).items():
            if not is_partitioned(table, connection=connection):
                continue
            cursor.execute(
                "SELECT jiesu_month_partitions(%s, %s, %s, %s, %s)", [table, column, settings.TIME_ZONE, first, last]
            )
            made += [row[0] for row in cursor.fetchall()]
    return made


def ensure_ahead(months: int = MONTHS_AHEAD, *, today: date | None = None) -> list[str]:
    """The daily job: this month's partition and the next `months`."""
    today = today or timezone.localdate()
    last = today.replace(day=1)
    for _ in range(months):
        last = _next_month(last)
    return ensure_months(today, last)


def is_partitioned(table: str, *, connection=None) -> bool:
    connection = connection or default_connection
    if not _is_postgres(connection):
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [table])
        row = cursor.fetchone()
    return bool(row) and row[0] == "p"


@dataclass(frozen=True)
class Partition:
    table: str
    name: str
    bounds: str  # PostgreSQL's own text: FOR VALUES FROM (...) TO (...), or DEFAULT
    rows: int  # the planner's estimate (pg_class.reltuples); -1 before the first ANALYZE
    size: int  # bytes, with indexes


def partitions(table: str, *, connection=None) -> list[Partition]:
    connection = connection or default_connection
    if not is_partitioned(table, connection=connection):
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), c.reltuples::bigint, "
            "pg_total_relation_size(c.oid) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s) ORDER BY c.relname",
            [table],
        )
        return [Partition(table, *row) for row in cursor.fetchall()]


def _legacy_bound(now: datetime) -> date:
    """The first monthly partition's first day when an existing table becomes the legacy one:
    next month's, or the month after when next month is less than a day away (the CHECK
    constraint that lets the table be attached without a scan must hold for every event written
    until the swap)."""
    local = timezone.localtime(now)
    bound = _next_month(local.date())
    if month_start(bound) - now < timedelta(days=1):
        bound = _next_month(bound)
    return bound


def _instant(moment: datetime) -> str:
    """An aware time as an SQL literal: DDL takes no bound parameters (a connection with
    server-side binding, JIESU_PG_PREPARE, sends them as $1), and the time is ours, not input."""
    if moment.tzinfo is None:
        raise ValueError("partition bounds are aware times")
    return f"'{moment.isoformat()}'::timestamptz"


def partition_table(connection, table: str, column: str, *, months_ahead: int = MONTHS_AHEAD, now=None) -> str:
    """Turn `table` into a table partitioned by month on `column`, in place, on a live database
    (migration orders 0015). Returns what was done, for the migration's output. Idempotent.

    Outside a transaction first: a CHECK constraint ``column < first month`` added NOT VALID and
    then validated (a scan that blocks no reads or writes), and the unique index (id, column) the
    new primary key needs, built CONCURRENTLY. Then one short transaction under an exclusive lock:
    the old table renamed to ``<table>_legacy``, its primary key swapped for that index, a new
    partitioned table made in its place with the same columns, foreign keys, indexes and
    append-only triggers, the identity sequence continuing after the highest id, and the old
    table attached as the partition of everything before the first month (PostgreSQL takes the
    validated constraint as proof and attaches the existing indexes and foreign keys as they are).
    """
    if not _is_postgres(connection):
        return "not PostgreSQL: nothing to do"
    if is_partitioned(table, connection=connection):
        return f"{table} is already partitioned"
    q = connection.ops.quote_name
    legacy = f"{table}_legacy"
    now = now or timezone.now()
    bound_day = _legacy_bound(now)
    bound = month_start(bound_day)
    check = f"{legacy}_range"[:63]
    id_at = f"{table}_id_{column}"[:63]

    install_function(connection)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, conrelid::regclass::text FROM pg_constraint "
            "WHERE confrelid = to_regclass(%s) AND contype = 'f'",
            [table],
        )
        referencing = cursor.fetchall()
        if referencing:
            raise RuntimeError(
                f"{table} is referenced by foreign keys ({referencing}): a partitioned table can only be referenced "
                f"through a key that holds {column}"
            )
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {q(table)})")
        had_rows = cursor.fetchone()[0]
        if had_rows:
            cursor.execute(
                f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(check)} CHECK ({q(column)} < {_instant(bound)}) NOT VALID"
            )
            cursor.execute(f"ALTER TABLE {q(table)} VALIDATE CONSTRAINT {q(check)}")
        # CONCURRENTLY blocks no writes; it cannot run inside a transaction (a test's).
        concurrently = "" if connection.in_atomic_block else "CONCURRENTLY "
        cursor.execute(f"CREATE UNIQUE INDEX {concurrently}IF NOT EXISTS {q(id_at)} ON {q(table)} (id, {q(column)})")

    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {q(table)} IN ACCESS EXCLUSIVE MODE")
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {q(table)})")
        has_rows = cursor.fetchone()[0]
        cursor.execute(f"SELECT COALESCE(max(id), 0) FROM {q(table)}")
        last_id = cursor.fetchone()[0]
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = to_regclass(%s) AND contype = 'f' ORDER BY conname",
            [table],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = to_regclass(%s) AND NOT i.indisprimary AND i.indexrelid <> to_regclass(%s) "
            "ORDER BY 1",
            [table, id_at],
        )
        indexes = cursor.fetchall()
        cursor.execute("SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(%s) AND contype = 'p'", [table])
        primary = cursor.fetchone()[0]

        cursor.execute(f"ALTER TABLE {q(table)} RENAME TO {q(legacy)}")
        cursor.execute(f"ALTER TABLE {q(legacy)} DROP CONSTRAINT {q(primary)}")
        cursor.execute(
            f"ALTER TABLE {q(legacy)} ADD CONSTRAINT {q(legacy + '_pkey')} PRIMARY KEY USING INDEX {q(id_at)}"
        )
        cursor.execute(f"ALTER TABLE {q(legacy)} ALTER COLUMN id DROP IDENTITY IF EXISTS")
        # The parent's copy of the row trigger takes its place on the partition.
        cursor.execute(f"DROP TRIGGER IF EXISTS {q(table + '_append_only')} ON {q(legacy)}")
        for name, _ in indexes:
            cursor.execute(f"ALTER INDEX {q(name)} RENAME TO {q((name + '_legacy')[:63])}")

        cursor.execute(
            f"CREATE TABLE {q(table)} (LIKE {q(legacy)} INCLUDING DEFAULTS INCLUDING STORAGE) "
            f"PARTITION BY RANGE ({q(column)})"
        )
        cursor.execute(
            f"ALTER TABLE {q(table)} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (START WITH {last_id + 1})"
        )
        cursor.execute(f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(table + '_pkey')} PRIMARY KEY (id, {q(column)})")
        for name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(name)} {definition}")
        # Read before the rename, the definitions name the table by its old name, the new one's
        # now; on ATTACH PostgreSQL takes the legacy table's same index as the partition's.
        for _, definition in indexes:
            cursor.execute(definition)
        for statement in append_only.POSTGRES[1:]:
            cursor.execute(statement.format(table=table))

        if has_rows:
            if not had_rows:  # rows arrived between the two steps: no validated constraint, PostgreSQL scans
                cursor.execute(
                    f"ALTER TABLE {q(legacy)} ADD CONSTRAINT {q(check)} CHECK ({q(column)} < {_instant(bound)})"
                )
            cursor.execute(
                f"ALTER TABLE {q(table)} ATTACH PARTITION {q(legacy)} FOR VALUES FROM (MINVALUE) TO ({_instant(bound)})"
            )
            cursor.execute(f"ALTER TABLE {q(legacy)} DROP CONSTRAINT {q(check)}")
            first = bound_day
        else:
            cursor.execute(f"DROP TABLE {q(legacy)}")
            first = timezone.localtime(now).date().replace(day=1)
        default = f"{table}_default"
        cursor.execute(f"CREATE TABLE {q(default)} PARTITION OF {q(table)} DEFAULT")
        cursor.execute(
            f"CREATE TRIGGER {q(default + '_no_truncate')} BEFORE TRUNCATE ON {q(default)} "
            "FOR EACH STATEMENT EXECUTE FUNCTION jiesu_append_only()"
        )
        last = first
        for _ in range(months_ahead + 1):
            last = _next_month(last)
        made = ensure_months(first, last - timedelta(days=1), tables={table: column}, connection=connection)
    kept = f"{legacy} holds the events before {bound_day:%Y-%m}" if has_rows else "no events before"
    return f"{table} partitioned by month on {column}: {kept}; months made: {', '.join(made)}"
