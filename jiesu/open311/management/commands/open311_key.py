from django.core.management.base import BaseCommand, CommandError

from jiesu.open311 import services
from jiesu.open311.models import ApiClient


class Command(BaseCommand):
    help = (
        "Create an Open311 API client and print its key (shown only once), or with --rotate "
        "give an existing client a new key, or with --revoke revoke it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="client name, unique")
        parser.add_argument("--rate-limit", type=int, default=60, help="requests per minute (default 60)")
        parser.add_argument("--contact", default="")
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--rotate", action="store_true", help="new key for an existing client")
        action.add_argument("--revoke", action="store_true", help="revoke an existing client")

    def handle(self, *args, name, rate_limit, contact, rotate, revoke, **options):
        if rate_limit < 1:
            raise CommandError("--rate-limit must be at least 1")
        existing = ApiClient.objects.filter(name=name).first()
        if rotate or revoke:
            if existing is None or not existing.active:
                raise CommandError(f"no active Open311 client named {name!r}")
            if revoke:
                services.revoke_client(existing)
                self.stdout.write(f"revoked {name}")
                return
            # The key alone on stdout, so scripts can capture it.
            self.stdout.write(services.rotate_key(existing))
            return
        if existing is not None:
            raise CommandError(f"an Open311 client named {name!r} exists; use --rotate for a new key")
        self.stdout.write(
            services.create_client(ApiClient(name=name, contact=contact, rate_limit_per_minute=rate_limit))
        )
