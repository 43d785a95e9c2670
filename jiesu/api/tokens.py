"""API tokens (django-rest-knox): issued with an expiry, stored only as a SHA-512 digest."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import connection as default_connection
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS

# The table of rest_framework.authtoken, which kept every key in clear and forever.
DRF_TOKEN_TABLE = "authtoken_token"


def issue(user, days: int | None = None) -> tuple[AuthToken, str]:
    """A new token for `user`, valid for `days` (JIESU_API_TOKEN_DAYS by default): (row, the token).

    The token itself is returned once and never stored; only its digest is.
    """
    if not user.is_active:
        raise ValueError(f"user {user.get_username()!r} is not active")
    days = settings.JIESU_API_TOKEN_DAYS if days is None else days
    if days < 1:
        raise ValueError("a token must be valid for at least one day")
    return AuthToken.objects.create(user=user, expiry=timedelta(days=days))


def import_drf_tokens(token_model=AuthToken, connection=default_connection) -> int:
    """Replace the clear keys of rest_framework.authtoken with knox digests; drop the old table.

    Each client keeps its key (knox finds a token by its first 15 characters and checks the
    digest of the whole), now expiring JIESU_API_TOKEN_DAYS after the upgrade. Nothing to do on
    a database that never had the table. Returns how many tokens were carried over.
    """
    if DRF_TOKEN_TABLE not in connection.introspection.table_names():
        return 0
    expiry = timezone.now() + timedelta(days=settings.JIESU_API_TOKEN_DAYS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name('key')}, user_id FROM {DRF_TOKEN_TABLE}")
        rows = cursor.fetchall()
        token_model.objects.bulk_create(
            [
                token_model(
                    digest=hash_token(key), token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH], user_id=user_id, expiry=expiry
                )
                for key, user_id in rows
            ]
        )
        cursor.execute(f"DROP TABLE {DRF_TOKEN_TABLE}")
        # The app is gone from INSTALLED_APPS: forget its migrations, so that adding it back
        # would create the table again rather than believe it is there.
        cursor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])
    return len(rows)
