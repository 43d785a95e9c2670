"""A bigram index on the order text, so that the order list's content search stays an index
lookup at millions of orders on PostgreSQL.

People search with two-character words (物业, 噪音); pg_trgm extracts no trigram from those and
falls back to reading every row, and pg_bigm is not in PostgreSQL's contrib. So: an immutable SQL
function gives the set of (lower-cased) character bigrams of a text, and a GIN index on it
answers `jiesu_bigrams(content) @> jiesu_bigrams(query)`. Arrays rather than tsvector: the text
search parser's idea of a word depends on the server's locale, an array of strings does not.
SQLite, the embedded default for small centres, keeps the plain LIKE scan.
"""

from django.db import migrations

# PL/pgSQL, not SQL over generate_series: a bitmap scan recomputes the function for every row on
# a lossy heap page, and this loop runs in 16 us per order where the SQL version took 55 us.
# COST 2500 operators is what it takes (a sequential scan reads 1M orders in about 95,000 cost
# units and 0.25 s, so 20 us is about 7 units). At the default 100 the planner chose to compute
# it for every order of a unit's 150,000 rather than use the index: 1.4 s. Such plans then look
# dear enough to set off JIT compilation, which settings turn off for PostgreSQL.
# Appending to an array variable is amortised O(1) (expanded arrays), so 2,000-character
# messages cost no more per character. Repeated bigrams stay: GIN keeps each key once.
FUNCTION = """
CREATE OR REPLACE FUNCTION jiesu_bigrams(t text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 2500 AS $$
DECLARE
  folded text := lower(t);
  pairs text[] := '{}';
BEGIN
  FOR i IN 1 .. char_length(folded) - 1 LOOP
    pairs := pairs || substr(folded, i, 2);
  END LOOP;
  RETURN pairs;
END
$$
"""
# CONCURRENTLY: a centre upgrading with millions of orders keeps taking calls while it builds.
INDEX = ("CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_workorder_content_bigrams "
         "ON orders_workorder USING gin (jiesu_bigrams(content))")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(INDEX)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS orders_workorder_content_bigrams")
    schema_editor.execute("DROP FUNCTION IF EXISTS jiesu_bigrams(text)")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("orders", "0006_workorder_updated_at_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
