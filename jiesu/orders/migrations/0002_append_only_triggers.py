from django.db import migrations

from jiesu.core.append_only import migration_operation


class Migration(migrations.Migration):
    """Events and personal-data reads are never updated or deleted (R8.3; nothing is lost)."""

    dependencies = [("orders", "0001_initial")]

    operations = [migration_operation("orders_orderevent", "orders_personaldataaccess")]
