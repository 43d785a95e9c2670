"""What a unit member can do about dispatch on the order page: object, comment in 会商."""

from django import template

from jiesu.core import roles
from jiesu.orders.models import OrderUnit

from ..forms import CommentForm, ObjectionForm
from ..models import Objection

register = template.Library()


@register.inclusion_tag("dispatch/_unit_actions.html", takes_context=True)
def unit_dispatch_actions(context, order):
    user = context["request"].user
    if user.role not in roles.UNIT_ROLES or not user.unit_id:
        return {"show": False}
    can_object = OrderUnit.objects.filter(
        order=order, unit_id=user.unit_id, active=True, role__in=["lead", "assist"]
    ).exists()
    return {
        "show": True,
        "order": order,
        "csrf_token": context.get("csrf_token"),
        # The order page's redactor: free text written at the centre (questions, comments,
        # outcomes, decisions) is masked and audited like the rest of the page (R8.3).
        "redactor": context.get("redactor"),
        "can_object": can_object
        and not order.objections.filter(unit_id=user.unit_id, status=Objection.PENDING).exists(),
        "objections": order.objections.filter(unit_id=user.unit_id),
        "consultations": order.consultations.filter(units=user.unit_id).prefetch_related("comments__unit"),
        "objection_form": ObjectionForm(),
        "comment_form": CommentForm(),
    }
