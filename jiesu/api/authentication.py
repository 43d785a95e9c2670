"""Token authentication of the API: django-rest-knox's, with its housekeeping made occasional."""

from __future__ import annotations

import binascii
import threading
import time
from hmac import compare_digest

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox import auth
from knox.signals import token_expired
from rest_framework import exceptions

from jiesu.core import rows


class TokenAuthentication(auth.TokenAuthentication):
    """knox's TokenAuthentication, unchanged in what it accepts: the token presented is found by
    its prefix, its digest compared, its expiry checked (an expired one is deleted and refused)
    and its user's `is_active`, on every request.

    What changes is knox's sweep of the user's *other* expired tokens, which read all of that
    user's tokens on every request (a second query per API call). An expired token is refused
    and deleted when it is presented anyway, so the sweep only tidies rows nobody can use; it
    runs here at most once per SWEEP_SECONDS per user in each worker.
    """

    SWEEP_SECONDS = 60.0
    _swept: dict[int, float] = {}
    _lock = threading.Lock()

    def authenticate_credentials(self, token):
        """knox 5.1's own check, step for step, over the same candidates (the tokens with the
        presented key's prefix, each with its user), read by a statement built once
        (jiesu.core.rows): the ORM compiled that statement anew on every API request, about
        1.3 ms of a worker's CPU in an intake POST of 10."""
        msg = _("Invalid token.")
        token = token.decode("utf-8")
        model = auth.get_token_model()
        table = connection.ops.quote_name(model._meta.db_table)
        candidates = rows.every(
            model, f'{table}."token_key" = %s', [token[: auth.CONSTANTS.TOKEN_KEY_LENGTH]], join="user"
        )
        for auth_token in candidates:
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = auth.hash_token(token)
            except (TypeError, binascii.Error):
                raise exceptions.AuthenticationFailed(msg) from None
            if compare_digest(digest, auth_token.digest):
                if auth.knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(msg)

    def _cleanup_token(self, auth_token) -> bool:
        if self._sweep_due(auth_token.user_id):
            for other_token in auth_token.user.auth_token_set.all():
                if other_token.digest != auth_token.digest and other_token.expiry:
                    if other_token.expiry < timezone.now():
                        other_token.delete()
                        token_expired.send(
                            sender=self.__class__, username=other_token.user.get_username(), source="other_token"
                        )
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False

    @classmethod
    def _sweep_due(cls, user_id: int) -> bool:
        now = time.monotonic()
        with cls._lock:
            last = cls._swept.get(user_id)
            if last is not None and now - last < cls.SWEEP_SECONDS:
                return False
            cls._swept[user_id] = now
            return True


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI schema's security scheme for the class above: knox's, under the same name."""

    target_class = "jiesu.api.authentication.TokenAuthentication"
