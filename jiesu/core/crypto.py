"""Encryption at rest for requesters' personal data (R8.3).

Values are encrypted with MultiFernet: the first key encrypts, every key decrypts, so an
operator rotates by putting a new key first and running `jiesu rotate-keys`. Phones also get
a blind index (a keyed HMAC of the normalised number) so that all orders of one caller are
found without decrypting anything. The blind-index key never rotates with the field keys:
rotating it would orphan every index.

Free text that may name a person (the request, notes, replies in the append-only events) is
sealed under a data key of its own order instead (`new_text_key`, `seal_text`): the order's key
is kept wrapped by the master keys, so rotating them re-wraps it, and destroying it is how one
order's free text is erased (crypto-shredding) while its history stays append-only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import time
import uuid
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _key_file(path: Path, make) -> list[str]:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two workers starting at once must not each write a different key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(make() + "\n")
    # The worker that won the O_EXCL race may not have written yet: an empty file is a key on
    # its way, not a missing one. Wait for it rather than fail the request.
    for _ in range(50):
        keys = [line.strip() for line in path.read_text().splitlines() if line.strip()]
        if keys:
            return keys
        time.sleep(0.02)
    raise ImproperlyConfigured(f"{path} is empty: put a key in it or remove it to have one made")


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    keys = list(settings.JIESU_FIELD_KEYS) or _key_file(
        Path(settings.JIESU_FIELD_KEY_FILE), lambda: Fernet.generate_key().decode()
    )
    return MultiFernet([Fernet(k.encode()) for k in keys])


@lru_cache(maxsize=1)
def _index_key() -> bytes:
    if settings.JIESU_BLIND_INDEX_KEY:
        return settings.JIESU_BLIND_INDEX_KEY.encode()
    path = Path(settings.JIESU_FIELD_KEY_FILE).with_name("blind_index_key")
    return _key_file(path, lambda: base64.urlsafe_b64encode(os.urandom(32)).decode())[0].encode()


def reset_key_cache() -> None:
    _fernet.cache_clear()
    _index_key.cache_clear()


def encrypt(value: str) -> str:
    if not value:
        return ""
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a key was removed before rotation finished
        raise ValueError("personal data cannot be decrypted with the configured keys") from exc


def seal(value: str) -> str:
    """An opaque, expiring token for a value that must travel in a URL (a phone searched for):
    encrypted with the field keys, so logs that keep the URL keep no personal data. Each call
    gives another token, so logged searches for one number cannot be linked either."""
    return encrypt(value)


def unseal(token: str, *, max_age: int) -> str | None:
    """The value of a `seal` token no older than `max_age` seconds; None if expired or forged."""
    try:
        return _fernet().decrypt(token.encode(), ttl=max_age).decode()
    except (InvalidToken, ValueError, UnicodeError):
        return None


def rotate(token: str) -> str:
    return _fernet().rotate(token.encode()).decode() if token else ""


def normalise_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def keyed_digest(text: str) -> str:
    """A digest that recognises the same text again without letting anyone who reads the
    database guess it offline (a phone inside it has only 10^8 values): HMAC under the blind
    index key."""
    return hmac.new(_index_key(), text.encode(), hashlib.sha256).hexdigest()


def blind_index(phone: str) -> str:
    digits = normalise_phone(phone)
    if not digits:
        return ""
    return hmac.new(_index_key(), digits.encode(), hashlib.sha256).hexdigest()


def mask_phone(phone: str) -> str:
    digits = normalise_phone(phone)
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    return "*" * len(digits)


def mask_name(name: str) -> str:
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def mask_id_number(value: str) -> str:
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


# Per-order data keys (crypto-shredding) ------------------------------------------------------

# Shown wherever erased free text stood (UI, API, exports, Open311).
ERASED_TEXT = "（已按规定删除）"
# A sealed value names its key, so a reader finds the key without knowing the row it came from.
SEALED_PREFIX = "jiesu:sealed:1:"


def new_text_key() -> tuple[str, str]:
    """A fresh per-order data key: its id and the key wrapped by the master keys."""
    return made_text_key()[:2]


def made_text_key() -> tuple[str, str, Fernet]:
    """A fresh per-order data key: its id, the key wrapped by the master keys, and the key
    itself, for the caller that seals with it at once (unwrapping what was just wrapped would
    be a decryption for nothing)."""
    key = Fernet.generate_key()
    return uuid.uuid4().hex, encrypt(key.decode()), Fernet(key)


def unwrap_text_key(wrapped: str) -> Fernet:
    return Fernet(decrypt(wrapped).encode())


def is_sealed(value) -> bool:
    return isinstance(value, str) and value.startswith(SEALED_PREFIX)


def seal_text(key_id: str, key: Fernet, text: str) -> str:
    if not text or is_sealed(text):
        return text
    return f"{SEALED_PREFIX}{key_id}:{key.encrypt(text.encode()).decode()}"


def sealed_key_id(value: str) -> str:
    return value[len(SEALED_PREFIX) :].split(":", 1)[0]


def open_text(value: str, key: Fernet | None) -> str:
    """The plain text of a sealed value; ERASED_TEXT once its key is gone."""
    if not is_sealed(value):
        return value
    if key is None:
        return ERASED_TEXT
    try:
        return key.decrypt(value[len(SEALED_PREFIX) :].split(":", 1)[1].encode()).decode()
    except (InvalidToken, IndexError, UnicodeError):
        return ERASED_TEXT
