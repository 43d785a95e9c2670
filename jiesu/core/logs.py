"""Logs keep no bearer link and no phone number (R8.3).

A rating link's token is a credential for as long as the link lives, and URLs reach logs in
three places: gunicorn's access log (the request line and the Referer), Django's own warnings
for 4xx answers ("Not Found: /followup/rate/<token>/"), and anything else that logs a URL.
`GunicornLogger` (gunicorn.conf.py's logger_class) and `RedactFilter` (settings.LOGGING, on
every handler) cut tokens out and blank phone-shaped strings before a line is written.
Plain Python apart from gunicorn's base class: the gunicorn master loads it before Django.
"""

from __future__ import annotations

import logging

from jiesu.core import redact

# Access-log atoms that hold the URL or the Referer (gunicorn names them so).
_URL_ATOMS = ("r", "U", "q", "f", "{referer}i", "{raw_uri}e", "{path_info}e", "{query_string}e", "{http_referer}e")


def clean(text: str) -> str:
    return redact.scrub(text)


class RedactFilter(logging.Filter):
    """Rewrites a record's message once, with its arguments, so no handler sees the original."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record is logging's to report, not ours
            return True
        cleaned = clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        # A traceback repeats what failed, values included ("… 13812345678 …"). Formatters use
        # `exc_text` when it is set, so the cleaned text is what every handler writes.
        if record.exc_info and not record.exc_text:
            record.exc_text = clean(_FORMATTER.formatException(record.exc_info))
        return True


_FORMATTER = logging.Formatter()


try:
    from gunicorn.glogging import Logger as _GunicornBase
except ImportError:  # gunicorn is a dependency; this keeps the module importable without it
    _GunicornBase = object


class GunicornLogger(_GunicornBase):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in _URL_ATOMS:
            if isinstance(atoms.get(key), str):
                atoms[key] = clean(atoms[key])
        return atoms
