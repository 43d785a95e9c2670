"""`jiesu rotate-keys`: re-encrypt every encrypted column with the newest key (R8.3).

An encrypted column is, by convention, a text field whose name ends in `_enc` (see
jiesu.core.crypto); every app's such columns are found here, so a new app cannot be forgotten.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models, transaction

from jiesu.core import crypto


def encrypted_columns() -> list[tuple[type[models.Model], list[str]]]:
    found = []
    for model in apps.get_models():
        fields = [
            f.name for f in model._meta.concrete_fields if isinstance(f, models.TextField) and f.name.endswith("_enc")
        ]
        if fields:
            found.append((model, fields))
    return found


class Command(BaseCommand):
    help = (
        "Re-encrypt personal data and stored secrets with the newest key (the first in JIESU_FIELD_KEYS). "
        "Run after putting a new key first; remove the old key only when this has finished."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000)

    def handle(self, *args, batch: int, **options):
        for model, fields in encrypted_columns():
            done, last_id = 0, 0
            while True:
                with transaction.atomic():
                    rows = list(model.objects.filter(pk__gt=last_id).order_by("pk").only("pk", *fields)[:batch])
                    if not rows:
                        break
                    for row in rows:
                        for field in fields:
                            setattr(row, field, crypto.rotate(getattr(row, field)))
                    model.objects.bulk_update(rows, fields)
                done += len(rows)
                last_id = rows[-1].pk
            self.stdout.write(f"{model._meta.label}: re-encrypted {done} rows ({', '.join(fields)})")
        self.stdout.write(self.style.SUCCESS("done: every encrypted column now uses the newest key"))
