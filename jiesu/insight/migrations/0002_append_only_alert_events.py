from django.db import migrations

from jiesu.core.append_only import migration_operation


class Migration(migrations.Migration):
    """An alert's history is never updated or deleted: corrections are new events."""

    dependencies = [("insight", "0001_initial")]

    operations = [migration_operation("insight_alertevent")]
