"""Token authentication of the API: django-rest-knox's, with its housekeeping made occasional."""

from __future__ import annotations

import threading
import time

from django.utils import timezone
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox import auth
from knox.signals import token_expired


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
