"""Free text in templates through the one redactor (jiesu.core.redact), R8.3."""

from django import template

from jiesu.core import redact

register = template.Library()


@register.filter
def masked(value, redactor):
    """`value` as the page's reader may see it: `redactor` comes from orders.selectors.redactor_for;
    without one the text is shown as it is (pages of people who see identities, before auditing)."""
    if not redactor:  # None, or an include without one ("" in a template)
        return value
    return redactor.text(value)


@register.filter
def list_text(value, order):
    """A list row's text, always redacted with its order's requester: lists are for finding
    orders; identities are read on the order's own page, where the read is audited."""
    from jiesu.orders.selectors import requester_identities

    if not value:
        return value
    return redact.redact(value, requester_identities(order))
