"""Database triggers that make a table append-only (events, audit records).

The ORM already never updates or deletes these rows; the triggers make sure that no other
path (a shell, a raw SQL fix, a bug) can either. Used from migrations with RunPython so the
SQL matches the database vendor.
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
)


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
