"""Per-caller data keys for the notes of a caller's record (issue 12, defect 11): see
jiesu.centre.models.SealedNoteField."""

import jiesu.centre.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('centre', '0007_media'),
    ]

    operations = [
        migrations.AddField(
            model_name='caller',
            name='text_key_enc',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='caller',
            name='text_key_id',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=32),
        ),
        # The column stays a text column; only Python seals and opens it. State only: on SQLite
        # an AlterField remakes the table and would drop its append-only triggers.
        migrations.SeparateDatabaseAndState(state_operations=[migrations.AlterField(
            model_name='callerevent',
            name='note',
            field=jiesu.centre.models.SealedNoteField(blank=True, verbose_name='说明'),
        )]),
    ]
