"""Links on the order page to the Tianjin/Hebei transfer screens (R21.1), for dispatchers."""

from django import template

from jiesu.core import roles
from jiesu.orders import choices

from ..services import source_hotline

register = template.Library()


@register.inclusion_tag("linkage/_order_actions.html", takes_context=True)
def linkage_actions(context, order):
    user = context["request"].user
    if not roles.is_centre_actor(user):
        return {"show": False}
    return {
        "show": True,
        "order": order,
        "can_transfer": order.status in choices.TRANSFERABLE,
        "source": source_hotline(order),
    }
