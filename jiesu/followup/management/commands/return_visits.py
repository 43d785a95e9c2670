from django.core.management.base import BaseCommand

from jiesu.followup import services


class Command(BaseCommand):
    help = "Queue replied orders and orders whose time limit has passed for a return visit (R23.1). Run from cron."

    def handle(self, *args, **options):
        n = services.sweep()
        self.stdout.write(f"queued {n} orders for return visit")
