"""The SMS gateway interface. No vendor is reachable from here, so the default backend logs.

A real gateway is one subclass with `send`; settings.JIESU_SMS_BACKEND names the class
(dotted path). `MemorySmsBackend` keeps an outbox for tests, like Django's locmem mail backend.
"""

from __future__ import annotations

import itertools
import logging

from django.conf import settings
from django.utils.module_loading import import_string

from jiesu.core import crypto, redact

log = logging.getLogger("jiesu.sms")


class SmsBackend:
    def send(self, phone: str, text: str) -> str:
        """Send one message; return the gateway's message id. Raise on failure (the task retries)."""
        raise NotImplementedError


class LoggingSmsBackend(SmsBackend):
    _ids = itertools.count(1)

    def send(self, phone: str, text: str) -> str:
        message_id = f"log-{next(self._ids)}"
        # Logs are not a place for personal data (R8.3) or credentials: the masked number, and
        # the text with identities blanked and a rating link's token cut out.
        log.info("SMS %s to %s: %s", message_id, crypto.mask_phone(phone), redact.scrub(text))
        return message_id


class MemorySmsBackend(SmsBackend):
    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> str:
        self.outbox.append((phone, text))
        return f"mem-{len(self.outbox)}"


def get_backend() -> SmsBackend:
    return import_string(settings.JIESU_SMS_BACKEND)()
