"""DRF throttles for every REST endpoint (the API, handling and linkage): per user, or per
address for requests without credentials.

DRF's own classes copy the rates once, when the module is imported; these read them from the
settings on every request, so that a changed setting (and a test's override) takes effect.
A throttled request gets 429 with Retry-After and DRF's Chinese message.
"""

from __future__ import annotations

from rest_framework import throttling
from rest_framework.settings import api_settings

from jiesu.core.security import client_ip


class _LiveRates:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        # The browser's address as the login throttle sees it (nginx's X-Real-IP in production).
        return client_ip(request)


class UserRateThrottle(_LiveRates, throttling.UserRateThrottle):
    pass


class AnonRateThrottle(_LiveRates, throttling.AnonRateThrottle):
    pass
