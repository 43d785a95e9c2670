"""Taking a request: the one way every channel writes a new order and lets the engine act on it."""

from __future__ import annotations

import dataclasses
import logging

from django.db import transaction

from jiesu.dispatch.services import DecisionPlan, check_line, decide_new_order, plan_decision, transfer_to_line
from jiesu.orders import choices
from jiesu.orders import services as order_services
from jiesu.orders.models import WorkOrder

log = logging.getLogger(__name__)


def take_request(
    data: order_services.IntakeData,
    *,
    actor,
    emergency_line: str | None = None,
    matter_hint: str | None = None,
    fallback_kind: str | None = None,
) -> WorkOrder:
    """Write a new order with the engine's decision: the path of the screen, the portal, the REST
    API and Open311 (R2.1, R10.1).

    The engine works on the numbered order in memory; the order then goes in once, in its final
    state, with its unit parts and all its events (created, decided, the transition), one INSERT
    per table. It all happens in the caller's transaction if there is one, so what an edge writes
    beside it (the API's idempotency key, Open311's submission) commits or fails with it; else in
    a transaction of its own. Nothing is read back: the order in hand is what was written.

    If the engine fails, the order is written in status received, which the dispatcher's review
    queue shows, and the error is logged. With ``emergency_line`` the call-taker has judged it an
    emergency: the order goes to that line (R2.3) without waiting for the engine. ``matter_hint``
    is the requester's own classification (an Open311 service), which the engine weighs. With
    ``fallback_kind`` the channel does not say the kind: the same engine run that decides the
    order reads it from the text, and ``fallback_kind`` stands when the engine fails.
    """
    if emergency_line is not None:
        check_line(emergency_line, "emergency_line")  # before the order is written: nothing half-done
    if fallback_kind is not None:
        data = dataclasses.replace(data, kind=fallback_kind)
    order = order_services.new_order(data, actor=actor)  # checks and validation: nothing written yet
    with transaction.atomic(savepoint=False):
        order_services.take_number(order)
        if emergency_line:
            order_services.write_new_order(order, data, actor=actor)
            return transfer_to_line(order, actor=actor, line=emergency_line, note="受理时由话务员转出")
        plan = _plan_or_none(order, matter_hint, infer_kind=fallback_kind is not None)
        if plan is None:
            return order_services.write_new_order(order, data, actor=actor)
        if fallback_kind is not None and plan.record.get("kind") in dict(choices.KINDS):
            order.kind = plan.record["kind"]  # before the created event is built: it says the kind
        return order_services.write_new_order(
            order, data, actor=actor, decided=plan.fields, events=plan.events, parts=plan.parts
        )


def _plan_or_none(order: WorkOrder, matter_hint: str | None, *, infer_kind: bool) -> DecisionPlan | None:
    try:
        return plan_decision(order, matter_hint=matter_hint, infer_kind=infer_kind)
    except Exception:
        log.exception("decision engine failed on order %s; left for a dispatcher", order.number)
        return None


def decide_or_leave_for_review(order: WorkOrder, *, matter_hint: str | None = None, locked: bool = False) -> bool:
    """For an order already written (a media report, the demo): True when the engine decided;
    with `locked`, `order` itself then carries the outcome."""
    try:
        decide_new_order(order, matter_hint=matter_hint, locked=locked)
    except Exception:
        log.exception("decision engine failed on order %s; left for a dispatcher", order.number)
        return False
    return True
