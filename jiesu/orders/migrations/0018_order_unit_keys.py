"""The units that took part in an order, on the order row, for a unit's content search (issue 17).

A unit's search for a common word (停车 for a subdistrict office with 83,000 orders among 2.7
million) took 1.4 to 3 s: the bigram index gave every order of the city holding the word
(hundreds of thousands), and each was then probed for a part of the unit, until the count's
3,001 were found. Both conditions now come from one GIN index over the content's bigrams and
``unit_keys``, the order's parts' unit keys: GIN intersects the two posting lists before any row
is read, so the cost follows the unit's matches, not the city's.

``unit_keys`` is PostgreSQL's only (SQLite, for small centres, scans), outside the Django model:
the units of the order's parts, exactly what ``orders_visible_to`` lets a unit see. The database
keeps it, so that no writer can forget it: a statement trigger adds the units of inserted parts
that an order does not hold yet (later dispatches, assisting units, the district government
supervising). The intake and the demo generator write the keys with the order's own INSERT or
COPY, and the trigger then finds nothing to add (else every new order would be written twice).
Parts are never deleted (a re-dispatch ends them), so the keys only grow, as the unit's sight of
the order does.

Works on a live database: the column is added without a rewrite (a constant default), the
triggers come before the backfill (an order dispatched meanwhile is kept by them), the backfill
goes in batches of order keys, each its own transaction, and the new index is built
CONCURRENTLY before the bigram-only one it replaces (a multicolumn GIN answers a condition on
any of its columns alone, so the centre's searches keep their index) is dropped.
"""

from django.db import migrations

ORDERS = "orders_workorder"
PARTS = "orders_orderunit"
BATCH = 50_000

FUNCTION = f"""
CREATE OR REPLACE FUNCTION jiesu_part_unit_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Only orders missing a key are written: the intake's parts find their keys already there.
  UPDATE {ORDERS} AS o
     SET unit_keys = ARRAY(SELECT DISTINCT k FROM unnest(o.unit_keys || n.keys) AS k ORDER BY k)
    FROM (SELECT order_id, array_agg(DISTINCT unit_id) AS keys FROM new_parts GROUP BY order_id) AS n
   WHERE o.id = n.order_id AND NOT o.unit_keys @> n.keys;
  RETURN NULL;
END
$$;
"""

TRIGGERS = f"""
DROP TRIGGER IF EXISTS jiesu_part_unit_keys ON {PARTS};
CREATE TRIGGER jiesu_part_unit_keys AFTER INSERT ON {PARTS}
  REFERENCING NEW TABLE AS new_parts FOR EACH STATEMENT EXECUTE FUNCTION jiesu_part_unit_keys();
"""

BACKFILL = f"""
UPDATE {ORDERS} AS o SET unit_keys = p.keys
  FROM (SELECT order_id, array_agg(DISTINCT unit_id ORDER BY unit_id) AS keys
          FROM {PARTS} WHERE order_id >= %s AND order_id < %s GROUP BY order_id) AS p
 WHERE o.id = p.order_id AND o.id >= %s AND o.id < %s AND o.unit_keys IS DISTINCT FROM p.keys
"""

INDEX = (
    f"CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_workorder_search "
    f"ON {ORDERS} USING gin (jiesu_bigrams(content), unit_keys)"
)
OLD_INDEX = f"CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_workorder_content_bigrams ON {ORDERS} USING gin (jiesu_bigrams(content))"


def backfill(connection) -> int:
    """Set every order's keys from its parts; the number of orders written. Outside a transaction
    (the migration is not atomic) each batch commits on its own, so a live centre's writers wait
    on none for long."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM {ORDERS}")
        low, high = cursor.fetchone()
    written = 0
    for start in range(low, high + 1, BATCH):
        with connection.cursor() as cursor:
            cursor.execute(BACKFILL, [start, start + BATCH, start, start + BATCH])
            written += cursor.rowcount
    return written


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {ORDERS} ADD COLUMN IF NOT EXISTS unit_keys bigint[] NOT NULL DEFAULT '{{}}'")
        cursor.execute(FUNCTION)
        cursor.execute(TRIGGERS)
    backfill(connection)
    with connection.cursor() as cursor:
        cursor.execute(INDEX)
        cursor.execute("DROP INDEX CONCURRENTLY IF EXISTS orders_workorder_content_bigrams")
        cursor.execute(f"ANALYZE {ORDERS}")


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(OLD_INDEX)
        cursor.execute("DROP INDEX CONCURRENTLY IF EXISTS orders_workorder_search")
        cursor.execute(f"DROP TRIGGER IF EXISTS jiesu_part_unit_keys ON {PARTS}")
        cursor.execute("DROP FUNCTION IF EXISTS jiesu_part_unit_keys()")
        cursor.execute(f"ALTER TABLE {ORDERS} DROP COLUMN IF EXISTS unit_keys")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("orders", "0017_indexes_reviewed")]

    operations = [migrations.RunPython(forwards, backwards)]
