"""Per-day PostgreSQL sequences behind order numbers (see jiesu/orders/numbering.py).

Existing databases need nothing moved: a day's sequence is created on its first use and starts
after the day's OrderNumberCounter row. SQLite keeps using the counter table.
"""

from django.db import migrations

# `undefined_table` is what casting the name of a sequence that does not exist yet raises.
# Two transactions that both find no sequence both try to create it: the second waits for the
# first to commit and then gets `unique_violation` (or `duplicate_table`), after which the
# sequence is there for it too.
FUNCTION = """
CREATE OR REPLACE FUNCTION jiesu_order_number(p_day date) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
  seq text := 'orders_number_' || to_char(p_day, 'YYYYMMDD');
BEGIN
  BEGIN
    RETURN nextval(seq::regclass);
  EXCEPTION WHEN undefined_table THEN
    NULL;
  END;
  PERFORM jiesu_create_order_number_sequence(p_day);
  PERFORM jiesu_create_order_number_sequence(p_day + 1);
  RETURN nextval(seq::regclass);
END
$$;
"""

CREATE = """
CREATE OR REPLACE FUNCTION jiesu_create_order_number_sequence(p_day date) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
  start bigint;
BEGIN
  SELECT COALESCE(max(last), 0) + 1 INTO start FROM orders_ordernumbercounter WHERE day = p_day;
  EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I START WITH %s', 'orders_number_' || to_char(p_day, 'YYYYMMDD'), start);
EXCEPTION WHEN unique_violation OR duplicate_table THEN
  NULL;
END
$$;
"""


def install(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT quote_ident(current_schema())")
        schema = cursor.fetchone()[0]
        cursor.execute(CREATE.format(schema=schema))
        cursor.execute(FUNCTION.format(schema=schema))
        # Only the application's path to the sequences; PUBLIC gets EXECUTE by default.
        cursor.execute("REVOKE ALL ON FUNCTION jiesu_create_order_number_sequence(date) FROM PUBLIC")


def remove(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP FUNCTION IF EXISTS jiesu_order_number(date)")
        cursor.execute("DROP FUNCTION IF EXISTS jiesu_create_order_number_sequence(date)")


class Migration(migrations.Migration):
    dependencies = [("orders", "0008_append_only_truncate")]

    operations = [migrations.RunPython(install, remove)]
