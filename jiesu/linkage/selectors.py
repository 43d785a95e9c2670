"""Read-only queries of the linkage screens."""

from __future__ import annotations

from .models import Transfer, TransferAttempt


def transfers_of(order):
    return Transfer.objects.filter(order=order).select_related("hotline__unit", "returned_order")


def attempts_of(order, limit: int = 10):
    return TransferAttempt.objects.filter(order=order).select_related("hotline__unit", "actor")[:limit]


def recent_transfers():
    """Every transfer, newest first (the list pages and counts it)."""
    return Transfer.objects.select_related("order", "hotline__unit", "returned_order").order_by("-created_at", "-id")


def recent_failures():
    return (
        TransferAttempt.objects.exclude(outcome=TransferAttempt.SENT)
        .select_related("order", "hotline__unit", "actor")
        .order_by("-at", "-id")
    )
