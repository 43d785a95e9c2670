"""Read-only queries of the linkage screens."""

from __future__ import annotations

from .models import Transfer, TransferAttempt


def transfers_of(order):
    return Transfer.objects.filter(order=order).select_related("hotline__unit", "returned_order")


def attempts_of(order, limit: int = 10):
    return TransferAttempt.objects.filter(order=order).select_related("hotline__unit", "actor")[:limit]


def recent_transfers(limit: int = 200):
    return Transfer.objects.select_related("order", "hotline__unit", "returned_order")[:limit]


def recent_failures(limit: int = 50):
    return (TransferAttempt.objects.exclude(outcome=TransferAttempt.SENT)
            .select_related("order", "hotline__unit", "actor")[:limit])
