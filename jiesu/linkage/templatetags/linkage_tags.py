"""Links on the order page to the Tianjin/Hebei transfer screens (R21.1), for dispatchers."""

from django import template

from jiesu.dispatch.services import DISPATCHER_ROLES
from jiesu.orders import choices

from ..services import source_hotline

register = template.Library()

TRANSFERABLE = {choices.RECEIVED, choices.PENDING_REVIEW, choices.DISPATCHED, choices.IN_PROGRESS}


@register.inclusion_tag("linkage/_order_actions.html", takes_context=True)
def linkage_actions(context, order):
    user = context["request"].user
    if user.role not in DISPATCHER_ROLES and not user.is_superuser:
        return {"show": False}
    return {"show": True, "order": order, "can_transfer": order.status in TRANSFERABLE,
            "source": source_hotline(order)}
