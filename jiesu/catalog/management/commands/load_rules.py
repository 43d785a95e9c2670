from django.core.management.base import BaseCommand

from jiesu.catalog.rules import load_default_rules


class Command(BaseCommand):
    help = (
        "Load the Beijing default rules (matters, catalog, time limits, lexicons, landmarks, articles); "
        "adds only what is missing."
    )

    def handle(self, *args, **options):
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in load_default_rules().items()))
