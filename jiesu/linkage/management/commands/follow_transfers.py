import json

from django.core.management.base import BaseCommand

from jiesu.linkage.services import follow_transfers


class Command(BaseCommand):
    help = (
        "Poll the Tianjin and Hebei hotlines' Open311 servers for the orders transferred to them and record "
        "their progress on our orders (R21.1). Run every few minutes (cron or Celery beat); safe to repeat."
    )

    def handle(self, *args, **options):
        totals = follow_transfers()
        self.stdout.write(json.dumps(totals, ensure_ascii=False))
        if totals["failed"]:
            self.stderr.write(f"{totals['failed']} hotline(s) could not be reached; the next run retries")
