"""The records of who read a requester's identity, partitioned by month like the order events
(jiesu/orders/partitions.py; on a live database the rows stay where they are). Nothing on SQLite."""

from django.db import migrations


def forwards(apps, schema_editor):
    from jiesu.orders import partitions

    if schema_editor.connection.vendor == "postgresql":
        partitions.partition_table(schema_editor.connection, "orders_personaldataaccess", "at")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("orders", "0015_partition_order_events")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, atomic=False)]
