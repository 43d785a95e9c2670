from django.db import migrations

from jiesu.core.append_only import migration_operation


class Migration(migrations.Migration):
    """A caller's record and the account changes are never edited or deleted: lifting a flag is a
    new line, not the removal of the old one."""

    dependencies = [("centre", "0001_initial")]

    operations = [migration_operation("centre_callerevent", "centre_staffevent")]
