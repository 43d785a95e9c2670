"""Per-order data keys for free text (issue 12, defect 11): see jiesu/orders/sealing.py."""

import jiesu.orders.sealing
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('orders', '0010_merge_numbering_and_attachments'),
    ]

    operations = [
        migrations.AddField(
            model_name='workorder',
            name='content_sealed',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='workorder',
            name='erased_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='个人信息删除时间'),
        ),
        migrations.AddField(
            model_name='workorder',
            name='text_key_enc',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='workorder',
            name='text_key_id',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=32),
        ),
        # The column stays what it was (JSON); only Python seals and opens it. State only: on
        # SQLite an AlterField remakes the table and would drop its append-only triggers.
        migrations.SeparateDatabaseAndState(state_operations=[migrations.AlterField(
            model_name='orderevent',
            name='data',
            field=jiesu.orders.sealing.SealedJSONField(blank=True, default=dict),
        )]),
    ]
