from django.core.management.base import BaseCommand

from jiesu.directory.services import load_directory


class Command(BaseCommand):
    help = (
        "Load Beijing's places (from jionlp's division table) and the default handling units; "
        "adds only what is missing."
    )

    def handle(self, *args, **options):
        added = load_directory()
        self.stdout.write(f"places added: {added['places']}, units added: {added['units']}")
