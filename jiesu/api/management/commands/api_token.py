from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from knox.models import AuthToken

from jiesu.api import tokens


class Command(BaseCommand):
    help = (
        "Issue a REST API token for a user and print it (shown only once: only its digest is "
        "stored); --list shows the user's tokens by their first characters, --revoke-all "
        "revokes them. Tokens expire after --days (default JIESU_API_TOKEN_DAYS)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--days", type=int, help="days the new token is valid (default: JIESU_API_TOKEN_DAYS)")
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--list", action="store_true", help="list the user's tokens")
        action.add_argument("--revoke-all", action="store_true", help="revoke every token of the user")

    def handle(self, *args, username, days, list, revoke_all, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        mine = AuthToken.objects.filter(user=user).order_by("created")
        if list:
            for token in mine:
                expiry = timezone.localtime(token.expiry).isoformat(timespec="minutes") if token.expiry else "never"
                self.stdout.write(
                    f"{token.token_key}...  created {timezone.localtime(token.created):%Y-%m-%d %H:%M}"
                    f"  expires {expiry}"
                )
            return
        if revoke_all:
            count, _ = mine.delete()
            self.stdout.write(f"revoked {count} token(s) of {username}")
            return
        try:
            row, token = tokens.issue(user, days)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        # The token alone on stdout, so scripts can capture it; the rest on stderr.
        self.stdout.write(token)
        self.stderr.write(
            f"expires {timezone.localtime(row.expiry).isoformat(timespec='minutes')}; "
            "it is not stored and cannot be shown again"
        )
