"""Taking a request: write the order, then let the decision engine act on it."""

from __future__ import annotations

import logging

from django.db import transaction

from jiesu.dispatch.services import DecisionPlan, check_line, decide_new_order, plan_decision, transfer_to_line
from jiesu.orders import services as order_services
from jiesu.orders.models import WorkOrder

log = logging.getLogger(__name__)


def take_request(data: order_services.IntakeData, *, actor, emergency_line: str | None = None) -> WorkOrder:
    """Create the order and act on the engine's decision, in one transaction.

    If the engine fails, the order is written in status received, which the dispatcher's
    review queue shows, and the error is logged. With ``emergency_line`` the call-taker has
    judged it an emergency: the order goes to that line (R2.3) without waiting for the engine.
    """
    if emergency_line is not None:
        check_line(emergency_line, "emergency_line")  # before the order is written: nothing half-done
    if emergency_line:
        order = order_services.create_order(data, actor=actor)
        transfer_to_line(order, actor=actor, line=emergency_line, note="受理时由话务员转出")
        order.refresh_from_db()
        return order
    return write_and_decide(data, actor=actor)[0]


def write_and_decide(data: order_services.IntakeData, *, actor, matter_hint: str | None = None) -> tuple[WorkOrder, bool]:
    """The order, decided before it is written (True) or left received for a dispatcher (False).

    The engine works on the numbered order in memory; the order then goes in once, in its
    final state, with its unit parts and all its events (created, decided, the transition),
    one INSERT per table, in the caller's transaction if there is one. Nothing is read back:
    the order in hand is what was written.
    """
    order = order_services.new_order(data, actor=actor)  # checks and validation: nothing written yet
    with transaction.atomic(savepoint=False):
        order_services.take_number(order)
        plan = _plan_or_none(order, matter_hint)
        if plan is None:
            return order_services.write_new_order(order, data, actor=actor), False
        order_services.write_new_order(order, data, actor=actor, decided=plan.fields, events=plan.events,
                                       parts=plan.parts)
        return order, True


def _plan_or_none(order: WorkOrder, matter_hint: str | None) -> DecisionPlan | None:
    try:
        return plan_decision(order, matter_hint=matter_hint)
    except Exception:
        log.exception("decision engine failed on order %s; left for a dispatcher", order.number)
        return None


def decide_or_leave_for_review(order: WorkOrder, *, matter_hint: str | None = None, locked: bool = False) -> bool:
    """True when the engine decided; with `locked`, `order` itself then carries the outcome."""
    try:
        decide_new_order(order, matter_hint=matter_hint, locked=locked)
    except Exception:
        log.exception("decision engine failed on order %s; left for a dispatcher", order.number)
        return False
    return True
