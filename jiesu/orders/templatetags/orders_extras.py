from django import template

from jiesu.orders.choices import EVENT_LABELS, STATUS_LABELS

register = template.Library()


@register.filter
def event_label(action: str) -> str:
    return EVENT_LABELS.get(action, action)


@register.filter
def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)
