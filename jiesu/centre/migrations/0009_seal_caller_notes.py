"""Existing callers get their own data key and their record's notes are sealed under it (issue
12, defect 11). Reversible only by restoring a backup: the point is that the plain text is gone
from the rows."""

from django.db import migrations


def forwards(apps, schema_editor):
    from jiesu.centre.sealing import seal_existing_notes

    seal_existing_notes(apps.get_model("centre", "Caller"), apps.get_model("centre", "CallerEvent"), schema_editor)


class Migration(migrations.Migration):
    dependencies = [("centre", "0008_caller_text_keys")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
