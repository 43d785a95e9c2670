"""Give the application's PostgreSQL role the privileges it needs, and no more.

Production runs with two roles (README, "Production"): an owner that runs `jiesu migrate` and
owns every table, trigger and function, and an application role that gunicorn, Celery and the
periodic jobs log in as. An owner can disable or drop the append-only triggers and TRUNCATE
any table; the application role can do none of that, and on the append-only tables (order
events, personal-data reads) it may only read and insert.

Run it as the owner after every `jiesu migrate`: it is idempotent and recomputes the grants
from the database itself (the append-only tables are the ones carrying the triggers).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction

from jiesu.core.append_only import POSTGRES_APPEND_ONLY_TABLES

# Read-only for the application: the list of applied migrations (checked, never written).
READ_ONLY_TABLES = ("django_migrations",)


class Command(BaseCommand):
    help = (
        "Grant the application role (PostgreSQL) what it needs: read and write on ordinary tables, "
        "read and insert only on append-only ones, no TRUNCATE, no ownership. Run as the owner after migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "role",
            help="the role the application logs in as "
            "(created beforehand, e.g. CREATE ROLE jiesu_app LOGIN PASSWORD '...')",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, role: str, database: str, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError("grant-app-role is for PostgreSQL; the embedded SQLite database has no roles.")
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_schema(), current_database()")
            owner, schema, dbname = cursor.fetchone()
            cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
            found = cursor.fetchone()
            if found is None:
                raise CommandError(
                    f"role {role!r} does not exist: create it first "
                    f"(CREATE ROLE {role} LOGIN PASSWORD '...'), then run this again."
                )
            if role == owner:
                raise CommandError(
                    f"{role!r} is the role running this command (the owner); the application must log in "
                    "as another role."
                )
            if found[0] or found[1]:
                raise CommandError(f"{role!r} is a superuser or bypasses row security: privileges would not bind it.")
            cursor.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND pg_has_role(%s, c.relowner, 'USAGE') ORDER BY c.relname LIMIT 5",
                [schema, role],
            )
            owned = [r[0] for r in cursor.fetchall()]
            if owned:
                raise CommandError(
                    f"{role!r} owns (or is a member of the owner of) {', '.join(owned)}: an owner can "
                    f"drop the append-only triggers. As a superuser: REASSIGN OWNED BY {role} TO {owner};"
                )
            cursor.execute(POSTGRES_APPEND_ONLY_TABLES)
            append_only = [r[0] for r in cursor.fetchall()]

        q = connection.ops.quote_name
        r, s = q(role), q(schema)
        statements = [
            f"GRANT CONNECT ON DATABASE {q(dbname)} TO {r}",
            f"GRANT USAGE ON SCHEMA {s} TO {r}",
            f"REVOKE CREATE ON SCHEMA {s} FROM {r}",
            # Start from nothing, so a privilege granted by hand earlier does not linger.
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {r}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r}",
            *(f"REVOKE UPDATE, DELETE ON {q(t)} FROM {r}" for t in append_only),
            *(f"REVOKE INSERT, UPDATE, DELETE ON {q(t)} FROM {r}" for t in READ_ONLY_TABLES),
            # Identity columns draw from their sequences; the demo generator reserves ids with nextval.
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM {r}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
            f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {s} TO {r}",
            # Tables a later migration creates are usable before this command runs again; the
            # triggers still refuse UPDATE and DELETE on a new append-only table meanwhile.
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {r}",
        ]
        with transaction.atomic(using=database), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

        with connection.cursor() as cursor:
            cursor.execute("SELECT has_schema_privilege(%s, %s, 'CREATE')", [role, schema])
            if cursor.fetchone()[0]:
                # Through PUBLIC (the default before PostgreSQL 15), which this command leaves alone.
                self.stderr.write(
                    f"warning: {role} may still create objects in {schema} (through PUBLIC): "
                    f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC;"
                )
        self.stdout.write(f"{role}: read/write on the tables of {dbname}.{schema}, no TRUNCATE, owns nothing")
        self.stdout.write(
            f"  read and insert only (append-only): {', '.join(append_only) or '(none: run jiesu migrate first)'}"
        )
        self.stdout.write(f"  read only: {', '.join(READ_ONLY_TABLES)}")
        self.stdout.write("  run this again after every `jiesu migrate`.")
