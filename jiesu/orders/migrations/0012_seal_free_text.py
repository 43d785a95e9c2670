"""Existing orders get their own data key; their request and their events' free text are sealed
under it (issue 12, defect 11). Reversible only by restoring a backup: the point is that the
plain text is gone from the rows."""

from django.db import migrations


def forwards(apps, schema_editor):
    from jiesu.orders.sealing import seal_existing

    seal_existing(apps.get_model("orders", "WorkOrder"), apps.get_model("orders", "OrderEvent"), schema_editor)


class Migration(migrations.Migration):
    dependencies = [("orders", "0011_order_text_keys")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
