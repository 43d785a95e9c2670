"""Data pushed to units (R26.1), read off the order's events: every transition already appends
one (orders.services.record_event), so the unit is told in the same transaction as the change,
without each service having to remember to call us.

- dispatched / redispatched: each unit given a part is told at once (its inbox shows it).
- return_visit_recorded / rated_online: the unit the visit judged gets the evaluation.
"""

from __future__ import annotations

from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiesu.orders.models import OrderEvent, OrderUnit
from jiesu.orders.signals import events_recorded

DISPATCH_ACTIONS = {"dispatched", "redispatched"}
EVALUATION_ACTIONS = {"return_visit_recorded", "rated_online"}
ROLE_LABELS = {
    "lead": gettext_lazy("主办"),
    "assist": gettext_lazy("协办"),
    "supervise": gettext_lazy("督办"),
    "coordinate": gettext_lazy("统筹协调"),
}


def _matter(order) -> str:
    from jiesu.catalog.models import Matter
    from jiesu.dispatch.runtime import running_engine

    if not order.matter_code:
        return ""
    # The worker's engine holds every active matter, as fresh as its rules (a second at most
    # after an edit): at intake the dispatch notice names the matter without a query (a
    # catalogue read cost a twentieth of the intake POST). A retired matter is read.
    engine = running_engine()
    matter = engine.rules.matter(order.matter_code) if engine is not None else None
    if matter is not None:
        return matter.name
    return Matter.objects.filter(code=order.matter_code).values_list("name", flat=True).first() or ""


def _when(at) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M") if at else ""


@receiver(events_recorded, dispatch_uid="notify_units_of_events")
def on_order_events(sender, events: list[OrderEvent], parts=None, **kwargs) -> None:
    for event in events:
        if event.action in DISPATCH_ACTIONS:
            notify_dispatch(event, parts)
        elif event.action in EVALUATION_ACTIONS:
            notify_evaluation(event)


def notify_dispatch(event: OrderEvent, parts: list[OrderUnit] | None = None) -> None:
    """Tell each unit with an active part; `parts` are the order's parts when the intake has
    just written them (a new order has no others), else they are read."""
    from . import services

    order = event.order
    matter = _matter(order)
    messages = []
    if parts is None:
        parts = OrderUnit.objects.filter(order=order, active=True).select_related("unit")
    for part in (p for p in parts if p.active and p.order_id == order.pk):
        role = ROLE_LABELS.get(part.role, "")
        title = _("新派工单（%(role)s）：%(number)s %(matter)s") % {
            "role": role,
            "number": order.number,
            "matter": matter,
        }
        body = _("办结时限：%s") % _when(part.due_at) if part.due_at else ""
        messages.append((part.unit, title, body))
    services.notify_units(messages, kind="dispatched", order=order)


def notify_evaluation(event: OrderEvent) -> None:
    from jiesu.followup.models import RESOLUTIONS, SATISFACTIONS, ReturnVisit

    from . import services

    visit = ReturnVisit.objects.filter(pk=event.data.get("visit_id")).select_related("unit").first()
    if visit is None or visit.unit is None:
        return
    satisfaction = dict(SATISFACTIONS).get(event.data.get("satisfaction"), "")
    resolution = dict(RESOLUTIONS).get(event.data.get("resolution"), "")
    title = _("回访评价：%(number)s %(satisfaction)s") % {"number": event.order.number, "satisfaction": satisfaction}
    body = _("是否解决：%(resolution)s；是否满意：%(satisfaction)s") % {
        "resolution": resolution,
        "satisfaction": satisfaction,
    }
    services.notify_unit(visit.unit, kind="evaluated", title=title, body=body, order=event.order)
