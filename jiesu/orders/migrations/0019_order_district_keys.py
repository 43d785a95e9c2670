"""The districts that oversee an order, among its search keys (issue 17).

A district government oversees (article 5) the orders located in its district and those handled
by any of its units. Its search for a common word went through the content's bigrams alone: at
5.66 million orders 物业 gave the city's 917,488 orders, the bitmap went lossy over 10,000 heap
blocks, and each order outside the district ran an EXISTS over its parts: 1.2-1.4 s for the
capped count. The unit keys of migration 0018 did the same for a unit; this puts the districts
in the same array, as negative keys (``-district_id``; units' keys are positive), so that the one
GIN index over the bigrams and ``unit_keys`` intersects the word with the district before any
row is read.

``-d`` is in an order's keys when the order is located in district ``d`` (now or once) or one
of its parts is of a unit of ``d`` (now or once). The keys only grow, so they give candidates:
the oversight test itself (``orders.selectors._district_keys_test``: located in ``d`` now, or a
unit of ``d`` now among the unit keys) decides, row by row on those few. An order moved out of a
district keeps the key and is dropped by that test.

Kept by the database, as the unit keys are: a row trigger adds the order's own district on
INSERT and on an UPDATE of ``district_id`` (WHEN the key is missing, so the intake's INSERT,
which writes its keys, calls no function); the parts' statement trigger now adds the units'
districts beside the units; and a unit given another district (a directory reload) adds that
district's key to the orders it took part in.

On a live database: the triggers come first, then a backfill in batches of order keys, each its
own transaction. No index is built: the keys go into the existing one.
"""

from importlib import import_module

from django.db import migrations

previous = import_module("jiesu.orders.migrations.0018_order_unit_keys")

ORDERS = "orders_workorder"
PARTS = "orders_orderunit"
UNITS = "directory_unit"
BATCH = 50_000

PART_FUNCTION = f"""
CREATE OR REPLACE FUNCTION jiesu_part_unit_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Only orders missing a key are written: the intake's parts find their keys already there.
  UPDATE {ORDERS} AS o
     SET unit_keys = ARRAY(SELECT DISTINCT k FROM unnest(o.unit_keys || n.keys) AS k ORDER BY k)
    FROM (SELECT p.order_id,
                 array_agg(DISTINCT p.unit_id) || COALESCE(
                   array_agg(DISTINCT -u.district_id::bigint) FILTER (WHERE u.district_id IS NOT NULL),
                   '{{}}') AS keys
            FROM new_parts AS p JOIN {UNITS} AS u ON u.id = p.unit_id
           GROUP BY p.order_id) AS n
   WHERE o.id = n.order_id AND NOT o.unit_keys @> n.keys;
  RETURN NULL;
END
$$;
"""

ORDER_FUNCTION = """
CREATE OR REPLACE FUNCTION jiesu_order_district_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.unit_keys := ARRAY(SELECT DISTINCT k FROM unnest(NEW.unit_keys || -NEW.district_id::bigint) AS k ORDER BY k);
  RETURN NEW;
END
$$;
"""

ORDER_TRIGGERS = f"""
DROP TRIGGER IF EXISTS jiesu_order_district_key ON {ORDERS};
CREATE TRIGGER jiesu_order_district_key BEFORE INSERT OR UPDATE OF district_id ON {ORDERS}
  FOR EACH ROW
  WHEN (NEW.district_id IS NOT NULL AND NOT NEW.unit_keys @> ARRAY[-NEW.district_id::bigint])
  EXECUTE FUNCTION jiesu_order_district_key();
"""

UNIT_FUNCTION = f"""
CREATE OR REPLACE FUNCTION jiesu_unit_district_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE {ORDERS}
     SET unit_keys = ARRAY(SELECT DISTINCT k FROM unnest(unit_keys || -NEW.district_id::bigint) AS k ORDER BY k)
   WHERE unit_keys @> ARRAY[NEW.id::bigint] AND NOT unit_keys @> ARRAY[-NEW.district_id::bigint];
  RETURN NULL;
END
$$;
"""

UNIT_TRIGGERS = f"""
DROP TRIGGER IF EXISTS jiesu_unit_district_key ON {UNITS};
CREATE TRIGGER jiesu_unit_district_key AFTER UPDATE OF district_id ON {UNITS}
  FOR EACH ROW
  WHEN (NEW.district_id IS NOT NULL AND NEW.district_id IS DISTINCT FROM OLD.district_id)
  EXECUTE FUNCTION jiesu_unit_district_key();
"""

BACKFILL = f"""
UPDATE {ORDERS} AS o
   SET unit_keys = ARRAY(SELECT DISTINCT k FROM unnest(o.unit_keys || d.keys) AS k ORDER BY k)
  FROM (SELECT o2.id,
               array_remove(ARRAY[-o2.district_id::bigint], NULL) || COALESCE(
                 (SELECT array_agg(DISTINCT -u.district_id::bigint)
                    FROM {PARTS} AS p JOIN {UNITS} AS u ON u.id = p.unit_id
                   WHERE p.order_id = o2.id AND u.district_id IS NOT NULL),
                 '{{}}') AS keys
          FROM {ORDERS} AS o2 WHERE o2.id >= %s AND o2.id < %s) AS d
 WHERE o.id = d.id AND NOT o.unit_keys @> d.keys
"""


def backfill(connection) -> int:
    """Add every order's district keys; the number of orders written, each batch committed on
    its own (the migration is not atomic)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM {ORDERS}")
        low, high = cursor.fetchone()
    written = 0
    for start in range(low, high + 1, BATCH):
        with connection.cursor() as cursor:
            cursor.execute(BACKFILL, [start, start + BATCH])
            written += cursor.rowcount
    return written


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(PART_FUNCTION)
        cursor.execute(ORDER_FUNCTION)
        cursor.execute(ORDER_TRIGGERS)
        cursor.execute(UNIT_FUNCTION)
        cursor.execute(UNIT_TRIGGERS)
    backfill(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {ORDERS}")


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER IF EXISTS jiesu_unit_district_key ON {UNITS}")
        cursor.execute("DROP FUNCTION IF EXISTS jiesu_unit_district_key()")
        cursor.execute(f"DROP TRIGGER IF EXISTS jiesu_order_district_key ON {ORDERS}")
        cursor.execute("DROP FUNCTION IF EXISTS jiesu_order_district_key()")
        cursor.execute(previous.FUNCTION)
        cursor.execute(f"SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM {ORDERS}")
        low, high = cursor.fetchone()
    for start in range(low, high + 1, BATCH):  # each batch its own transaction, as forwards
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ORDERS} SET unit_keys = ARRAY(SELECT k FROM unnest(unit_keys) AS k WHERE k > 0 ORDER BY k) "
                "WHERE id >= %s AND id < %s AND EXISTS (SELECT 1 FROM unnest(unit_keys) AS k WHERE k < 0)",
                [start, start + BATCH],
            )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("orders", "0018_order_unit_keys")]

    operations = [migrations.RunPython(forwards, backwards)]
