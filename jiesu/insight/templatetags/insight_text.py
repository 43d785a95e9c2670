"""Prose of monthly topics through the one redactor (R8.3): identities are refused when written,
and masked again on the way out in case an unforeseen shape slipped through."""

from django import template

from jiesu.core import redact

register = template.Library()


@register.filter
def redacted(value):
    return redact.redact(value or "")
