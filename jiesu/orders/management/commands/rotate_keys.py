from django.core.management.base import BaseCommand
from django.db import transaction

from jiesu.core import crypto
from jiesu.orders.models import WorkOrder

FIELDS = ("requester_name_enc", "requester_phone_enc", "requester_id_number_enc")


class Command(BaseCommand):
    help = ("Re-encrypt requesters' personal data with the newest key (the first in JIESU_FIELD_KEYS). "
            "Run after putting a new key first; remove the old key only when this has finished.")

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000)

    def handle(self, *args, batch: int, **options):
        done = 0
        last_id = 0
        while True:
            with transaction.atomic():
                rows = list(WorkOrder.objects.filter(pk__gt=last_id).order_by("pk").only("pk", *FIELDS)[:batch])
                if not rows:
                    break
                for row in rows:
                    for field in FIELDS:
                        setattr(row, field, crypto.rotate(getattr(row, field)))
                WorkOrder.objects.bulk_update(rows, FIELDS)
            done += len(rows)
            last_id = rows[-1].pk
            self.stdout.write(f"re-encrypted {done} orders")
        self.stdout.write(self.style.SUCCESS(f"done: {done} orders now use the newest key"))
