from django.core.management.base import BaseCommand

from jiesu.knowledge.services import load_starting_set


class Command(BaseCommand):
    help = (
        "Load the shipped knowledge base (Beijing's common consultations); "
        "adds what is missing and updates articles nobody has edited."
    )

    def handle(self, *args, **options):
        result = load_starting_set()
        self.stdout.write(f"knowledge: {result['added']} added, {result['updated']} updated")
