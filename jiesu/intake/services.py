"""Taking a request: write the order, then let the decision engine act on it."""

from __future__ import annotations

import logging

from jiesu.dispatch.services import check_line, decide_new_order, transfer_to_line
from jiesu.orders import services as order_services
from jiesu.orders.models import WorkOrder

log = logging.getLogger(__name__)


def take_request(data: order_services.IntakeData, *, actor, emergency_line: str | None = None) -> WorkOrder:
    """Create the order (its own transaction: a request is never lost), then decide on it.

    If the engine fails, the order stays in status received, which the dispatcher's review
    queue shows, and the error is logged. With ``emergency_line`` the call-taker has judged it
    an emergency: the order goes to that line (R2.3) without waiting for the engine.
    """
    if emergency_line is not None:
        check_line(emergency_line, "emergency_line")  # before the order is written: nothing half-done
    order = order_services.create_order(data, actor=actor)
    if emergency_line:
        transfer_to_line(order, actor=actor, line=emergency_line, note="受理时由话务员转出")
    else:
        decide_or_leave_for_review(order)
    order.refresh_from_db()
    return order


def decide_or_leave_for_review(order: WorkOrder, *, matter_hint: str | None = None, locked: bool = False) -> bool:
    """True when the engine decided; with `locked`, `order` itself then carries the outcome."""
    try:
        decide_new_order(order, matter_hint=matter_hint, locked=locked)
    except Exception:
        log.exception("decision engine failed on order %s; left for a dispatcher", order.number)
        return False
    return True
