"""The database cache's table behind the "shared" cache (settings.CACHES), for installs without
Redis: `jiesu migrate` is the one step every install runs, so the table is made here rather
than by a separate `createcachetable` someone could forget. Does nothing where the shared cache
is Redis; safe to run again (createcachetable skips a table that exists)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("public", "0002_month_topics")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
