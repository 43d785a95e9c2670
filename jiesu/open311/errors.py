"""The one exception every Open311 failure becomes: an HTTP status and a message for the end user."""

from __future__ import annotations


class Open311Error(Exception):
    """GeoReport v2 answers every failure with a list of {code, description} (spec §Errors).

    `status` is the HTTP status (400, 403, 404, 429); `code` in the body may be more specific.
    Descriptions are Chinese because the spec meant them for end users, and ours read Chinese;
    they name the offending parameter in its wire (English) spelling.
    """

    def __init__(self, status: int, description: str, *, code: int | None = None, headers: dict | None = None):
        super().__init__(description)
        self.status = status
        self.code = code or status
        self.description = description
        self.headers = headers or {}


def bad_request(description: str) -> Open311Error:
    return Open311Error(400, description)


def not_found(description: str) -> Open311Error:
    return Open311Error(404, description)
