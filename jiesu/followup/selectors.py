"""Read side of return visits: the visitors' queue and one visit's screen (R23.1)."""

from __future__ import annotations

from jiesu.orders import selectors as order_selectors

from . import models as m
from .models import ReturnVisit


def queue():
    """The visitors' lists, oldest first, as querysets (the view filters, counts and pages them):
    visits after a reply, visits at the limit of an order its unit never answered (the unit
    still owes the handling), and finished visits waiting for the centre's close-or-reopen."""
    base = ReturnVisit.objects.select_related("order", "unit", "order__district", "order__subdistrict")
    pending = base.filter(state=m.PENDING).order_by("queued_at", "id")
    return {
        "pending": pending.exclude(reason=m.LIMIT_REACHED),
        "at_limit": pending.filter(reason=m.LIMIT_REACHED),
        "to_decide": base.filter(state=m.DONE, outcome="").order_by("visited_at", "id"),
    }


def latest_reply(order):
    return order.replies.order_by("-replied_at", "-id").first()


def visit_screen(visit: ReturnVisit, user) -> dict:
    order = visit.order
    return {
        "visit": visit,
        "order": order,
        # The visitor calls the requester: an unmasked read, recorded (R8.3).
        "requester": order_selectors.requester_view(order, user, purpose="return_visit"),
        "redactor": order_selectors.redactor_for(order, user),
        "reply": latest_reply(order),
        "attempts": visit.attempt_log.select_related("by"),
        "earlier": order.return_visits.exclude(pk=visit.pk).order_by("round"),
    }


def public_view(visit: ReturnVisit) -> dict:
    """What the public rating page may show: nothing that identifies the requester (R8.2, R8.3)."""
    order = visit.order
    reply = latest_reply(order)
    # The unit's reply is free text that may name the caller: the page has no login.
    redactor = order_selectors.public_redactor(order)
    return {
        "number": order.number,
        "received": order.received_at,
        "kind": order.get_kind_display(),
        "unit": visit.unit.name if visit.unit else "",
        "reply_text": redactor.text(reply.public_text) if reply else "",
        "replied_at": reply.replied_at if reply else None,
    }
