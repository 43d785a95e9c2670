"""Read side of dispatch: the review queue, objections and consultations, for dispatch's own
screens and for the apps that show dispatch's records (handling's supervision board, the start
pages, the orders a consulted unit may see). Other apps read dispatch data through here, not
through its models."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from jiesu.orders import choices
from jiesu.orders.models import WorkOrder

from .models import Consultation, Objection


def review_queue() -> QuerySet[WorkOrder]:
    # Received orders are here too: one the engine could not decide (an error) waits for a person.
    return (
        WorkOrder.objects.filter(status__in=[choices.PENDING_REVIEW, choices.RECEIVED])
        .select_related("district", "subdistrict")
        .order_by("received_at")
    )


def pending_objections() -> QuerySet[Objection]:
    return Objection.objects.filter(status=Objection.PENDING).select_related("order", "unit").order_by("raised_at")


def pending_objection_count() -> int:
    return Objection.objects.filter(status=Objection.PENDING).count()


def rejected_objections(order_statuses: Iterable[str]) -> QuerySet[Objection]:
    """Objections the centre turned down on orders still in one of `order_statuses`, the newest
    decision first: the unit carries on with an order it said is not its own."""
    return (
        Objection.objects.filter(status=Objection.REJECTED, order__status__in=list(order_statuses))
        .select_related("order", "unit")
        .order_by("-decided_at", "id")
    )


def orders_consulted_by(unit_id: int) -> list[int]:
    """Keys of the orders on which the unit was asked for its view (R12.3). Consultations are
    few, so this is a short list."""
    return list(Consultation.objects.filter(units=unit_id).values_list("order_id", flat=True).distinct())
