"""Order events partitioned by month on PostgreSQL (issue 17; jiesu/orders/partitions.py).

Works on a live database: the rows already there stay where they are (the old table becomes the
partition of everything before the first month), and the only lock that blocks writes lasts for
a few catalogue changes. Django's model is unchanged: `id` stays its key (ids still come from one
sequence). On SQLite nothing changes.

Not reversed: the partitioned table serves the earlier migrations' model as it is.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from jiesu.orders import partitions

    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    for table, column in partitions.PARTITIONED.items():
        partitions.partition_table(connection, table, column)


class Migration(migrations.Migration):
    # The constraint check and the unique index run outside a transaction (CONCURRENTLY); the
    # swap itself is one transaction of its own.
    atomic = False

    dependencies = [("orders", "0014_orderunit_open_due")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, atomic=False)]
