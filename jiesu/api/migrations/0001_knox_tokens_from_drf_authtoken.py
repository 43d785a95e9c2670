"""Carry rest_framework.authtoken's clear keys over to knox digests, then drop the clear table."""

from django.db import migrations


def forwards(apps, schema_editor):
    from jiesu.api.tokens import import_drf_tokens

    import_drf_tokens(apps.get_model("knox", "AuthToken"), schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("knox", "0009_extend_authtoken_field"),
        ("directory", "0001_initial"),
    ]

    # Irreversible by nature (a digest cannot give back its key); going back leaves knox's tokens.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
