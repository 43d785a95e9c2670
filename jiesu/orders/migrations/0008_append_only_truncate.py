from django.db import migrations

from jiesu.core.append_only import migration_operation


class Migration(migrations.Migration):
    """TRUNCATE refused on the append-only tables too (issue 12, defect 8): row triggers never
    see it. Re-installing is idempotent, and on SQLite (no TRUNCATE) changes nothing."""

    dependencies = [("orders", "0007_content_bigram_index")]

    operations = [migration_operation("orders_orderevent", "orders_personaldataaccess")]
