from django.db import migrations

from jiesu.core.append_only import migration_operation


class Migration(migrations.Migration):
    """A monthly topic's history and its units' progress reports are never updated or deleted:
    a correction is a new report that names the one it corrects."""

    dependencies = [("insight", "0003_monthly_topic")]

    operations = [migration_operation("insight_monthlytopicevent", "insight_taskreport")]
