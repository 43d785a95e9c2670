from django import template

from jiesu.orders.choices import EVENT_LABELS, STATUS_LABELS

register = template.Library()


@register.filter
def event_label(action: str) -> str:
    return EVENT_LABELS.get(action, action)


@register.filter
def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


DISPOSITION_LABELS = {
    "dispatch": "派单",
    "answer_directly": "即时答复",
    "emergency": "紧急转警",
    "legal_channel": "告知法定途径",
    "repeat": "重复诉求",
    "secret_privacy": "涉密或隐私",
    "out_of_scope": "非政府职责",
    "unlawful": "不合理诉求",
}


@register.filter
def disposition_label(code: str) -> str:
    return DISPOSITION_LABELS.get(code, code)


@register.filter
def lead_type_label(code: str) -> str:
    """The engine's unit type (DecisionUnit.type, a decision's lead_unit_type) in words."""
    from jiesu.engine.units import TYPE_NAMES

    return TYPE_NAMES.get(code, code)


@register.filter
def unit_role_label(code: str) -> str:
    from jiesu.orders.choices import UNIT_ROLES

    return dict(UNIT_ROLES).get(code, code)


@register.filter
def iso_minutes(value: str | None) -> str:
    """An ISO 8601 timestamp from a stored decision, as people read it: 2026-12-09 17:00."""
    if not value:
        return ""
    from datetime import datetime

    try:
        return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return str(value)


@register.inclusion_tag("orders/_event_details.html")
def event_details(event, redactor=None):
    """Everything an event recorded, labelled in Chinese, redacted for the reader (R8.3)."""
    from jiesu.orders import event_text

    data = redactor.data(event.data or {}) if redactor else (event.data or {})
    own_unit = event.actor_unit.name if event.actor_unit_id else None
    return {"lines": event_text.lines(data, own_unit=own_unit)}


@register.inclusion_tag("orders/_attachments.html", takes_context=True)
def order_attachments(context, order, redactor=None, stage=None):
    """The order's files with thumbnails for those who may open them (orders.selectors decides)."""
    from jiesu.orders.selectors import can_open_attachments

    request = context.get("request")
    user = getattr(request, "user", None)
    attachments = list(order.attachments.all())
    if stage:
        attachments = [a for a in attachments if a.stage == stage]
    return {
        "order": order,
        "attachments": attachments,
        "redactor": redactor,
        "can_open": can_open_attachments(user, order),
        "stage": stage,
    }
