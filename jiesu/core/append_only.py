"""Database triggers that make a table append-only (events, audit records).

The ORM already never updates or deletes these rows; the triggers make sure that no other
path (a shell, a raw SQL fix, a bug) can either. Used from migrations with RunPython so the
SQL matches the database vendor.

PostgreSQL's row triggers do not fire for TRUNCATE (it removes rows without visiting them), so
a statement trigger refuses it too, also when a TRUNCATE ... CASCADE of another table would
reach an append-only one. A table owner can still disable or drop triggers; that is why the
application runs as a role that owns nothing (`jiesu grant-app-role`, README "Production").
SQLite has no TRUNCATE: its "truncate optimisation" of a bare DELETE is skipped when a DELETE
trigger exists, so the row trigger covers it.
"""

SQLITE = (
    "CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
    "BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
    "BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
)

POSTGRES = (
    "CREATE OR REPLACE FUNCTION jiesu_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
    "CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
    "FOR EACH ROW EXECUTE FUNCTION jiesu_append_only()",
    "DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
    "CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION jiesu_append_only()",
)

# The tables the triggers protect are found in the catalogue (pg_trigger) rather than listed
# twice: whatever a migration made append-only is what the application role may only insert
# into and read.
POSTGRES_APPEND_ONLY_TABLES = """
SELECT DISTINCT c.relname
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE t.tgfoid = to_regproc('jiesu_append_only') AND n.nspname = current_schema()
ORDER BY c.relname
"""


def install(schema_editor, table: str) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = SQLITE
    elif vendor == "postgresql":
        statements = POSTGRES
    else:
        raise RuntimeError(f"append-only triggers are not written for {vendor}")
    for statement in statements:
        schema_editor.execute(statement.format(table=table), params=None)


def migration_operation(*tables: str):
    from django.db import migrations

    def forwards(apps, schema_editor):
        for table in tables:
            install(schema_editor, table)

    return migrations.RunPython(forwards, migrations.RunPython.noop)
