"""Read-only queries of the Open311 server: services, requests, updates. Nothing here writes."""

from __future__ import annotations

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet

from jiesu.catalog.models import Matter, RulesRevision
from jiesu.orders.models import OrderEvent, WorkOrder

from . import public
from .errors import not_found
from .models import ServiceAttribute, ServiceAttributeValue
from .params import RequestQuery


def services() -> QuerySet[Matter]:
    """Active matters, each with `has_attributes` (the spec's metadata flag)."""
    asks = ServiceAttribute.objects.filter(matter=OuterRef("pk"), active=True)
    return Matter.objects.filter(active=True).annotate(has_attributes=Exists(asks)).order_by("level1", "level2", "code")


def service(code: str) -> Matter:
    matter = Matter.objects.filter(code=code, active=True).first()
    if matter is None:
        raise not_found(f"service_code {code} 不存在或已停用。")
    return matter


def attributes_of(matter: Matter) -> list[ServiceAttribute]:
    return list(
        matter.open311_attributes.filter(active=True)
        .order_by("order")
        .prefetch_related(Prefetch("values", ServiceAttributeValue.objects.order_by("order", "id")))
    )


def changeset() -> str:
    """A sortable stamp that moves whenever services or their definitions change.

    Every edit of a matter bumps the rules revision (jiesu.catalog.signals); attribute edits
    move their updated_at. The revision goes first and is zero-padded, so the string sorts.
    """
    revision = RulesRevision.objects.filter(pk=1).values_list("revision", flat=True).first() or 0
    stamp = ServiceAttribute.objects.aggregate(at=Max("updated_at"))["at"]
    return f"{revision:012d}-{stamp:%Y%m%dT%H%M%S%f}" if stamp else f"{revision:012d}"


def service_names() -> dict[str, str]:
    return dict(Matter.objects.values_list("code", "name"))


def attribute_labels() -> dict[tuple[str, str], tuple[str, dict]]:
    """(service_code, attribute code) -> (question, {option key: option name}), for extensions=true."""
    labels = {}
    for attribute in ServiceAttribute.objects.select_related("matter").prefetch_related("values"):
        labels[(attribute.matter.code, attribute.code)] = (
            attribute.description,
            {v.key: v.name for v in attribute.values.all()},
        )
    return labels


def public_events() -> QuerySet[OrderEvent]:
    return OrderEvent.objects.filter(~Q(to_status="") | Q(action__in=public.PUBLIC_ACTIONS_WITHOUT_STATUS)).order_by(
        "at", "id"
    )


def _orders() -> QuerySet[WorkOrder]:
    return WorkOrder.objects.select_related(
        "lead_unit", "district", "subdistrict", "community", "related_order", "open311_submission"
    ).prefetch_related(Prefetch("events", queryset=public_events(), to_attr="public_events"))


def find_requests(query: RequestQuery) -> list[WorkOrder]:
    """GET requests: service_request_id overrides every other filter (spec); newest first."""
    qs = _orders()
    if query.ids:
        qs = qs.filter(number__in=query.ids)
    else:
        if query.service_codes:
            qs = qs.filter(
                Q(matter_code__in=query.service_codes)
                | Q(matter_code="", open311_submission__service_code__in=query.service_codes)
            )
        if query.statuses == ["open"]:
            qs = qs.exclude(status__in=public.CLOSED_STATUSES)
        elif query.statuses == ["closed"]:
            qs = qs.filter(status__in=public.CLOSED_STATUSES)
        if query.start:
            qs = qs.filter(received_at__gte=query.start)
        if query.end:
            qs = qs.filter(received_at__lte=query.end)
        if query.updated_after:
            qs = qs.filter(updated_at__gt=query.updated_after)
        if query.updated_before:
            qs = qs.filter(updated_at__lte=query.updated_before)
    offset = (query.page - 1) * query.page_size
    return list(qs.order_by("-received_at", "-id")[offset : offset + query.page_size])


def find_request(number: str) -> WorkOrder:
    order = _orders().filter(number=number).first()
    if order is None:
        raise not_found(f"service_request_id {number} 不存在。")
    return order


def find_updates(*, start, end, page: int, page_size: int) -> list[OrderEvent]:
    """Status changes in a time window, oldest first, so a poller can page through them stably."""
    qs = (
        public_events()
        .filter(~Q(to_status=""), at__gte=start, at__lte=end)
        .select_related("order", "order__open311_submission")
    )
    offset = (page - 1) * page_size
    return list(qs[offset : offset + page_size])
