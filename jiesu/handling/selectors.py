"""Read side of handling: the unit workbench, the order's handling context, the supervision board."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, F
from django.utils import timezone

from jiesu.core import rows
from jiesu.dispatch import selectors as dispatch_selectors
from jiesu.orders import choices
from jiesu.orders.models import EVENT_MARGIN, OrderUnit, WorkOrder

from .models import ExtensionRequest, Reply, ReportIn

# "Due soon" when less than this is left: a working day is about what a unit needs to react.
DUE_SOON = timedelta(hours=24)


@dataclass(frozen=True)
class WorkItem:
    part: OrderUnit
    order: WorkOrder
    due_at: datetime | None
    left: timedelta | None

    @property
    def state(self) -> str:
        if self.left is None:
            return "none"
        if self.left < timedelta(0):
            return "overdue"
        return "due_soon" if self.left < DUE_SOON else "ok"

    @property
    def left_text(self) -> str:
        if self.left is None:
            return "—"
        seconds = int(abs(self.left).total_seconds())
        days, rest = divmod(seconds, 86400)
        hours, rest = divmod(rest, 3600)
        text = f"{days}天{hours}小时" if days else f"{hours}小时{rest // 60}分"
        return f"超期{text}" if self.left < timedelta(0) else f"剩余{text}"


def open_parts(unit_id: int):
    """The unit's parts still owing something, on orders still being handled."""
    return OrderUnit.objects.filter(
        unit_id=unit_id,
        active=True,
        finished_at__isnull=True,
        role__in=choices.WORKING_ROLES,
        order__status__in=choices.AT_UNIT_STATUSES,
    ).select_related("order", "order__district", "order__subdistrict")


def workbench_parts(user):
    """The unit's open parts, least time left first (overdue on top), undated last: a queryset
    the workbench filters, counts and pages."""
    if not getattr(user, "unit_id", None):
        return OrderUnit.objects.none()
    return open_parts(user.unit_id).order_by(F("due_at").asc(nulls_last=True), "id")


def work_items(parts, *, now: datetime | None = None) -> list[WorkItem]:
    now = now or timezone.now()
    return [WorkItem(p, p.order, p.due_at, (p.due_at - now) if p.due_at else None) for p in parts]


def workbench(user, *, now: datetime | None = None, limit: int | None = None) -> list[WorkItem]:
    """The unit's open orders as work items (all of them unless `limit`)."""
    parts = workbench_parts(user)
    return work_items(parts[:limit] if limit else parts, now=now)


def workbench_counts(user, *, now: datetime | None = None) -> dict:
    """True counts of the whole workbench, whatever page or filter is shown."""
    now = now or timezone.now()
    parts = workbench_parts(user).order_by()
    return {
        "total": parts.count(),
        "overdue": parts.filter(due_at__lt=now).count(),
        "due_soon": parts.filter(due_at__gte=now, due_at__lt=now + DUE_SOON).count(),
    }


def my_part(order: WorkOrder, user) -> OrderUnit | None:
    if not getattr(user, "unit_id", None):
        return None
    return (
        order.assignments.filter(unit_id=user.unit_id, active=True)
        .select_related("unit")
        .order_by(F("finished_at").asc(nulls_first=True), "id")
        .first()
    )


def handling_context(order: WorkOrder, user) -> dict:
    part = my_part(order, user)
    unit_id = getattr(user, "unit_id", None)
    history = order.history()
    return {
        "part": part,
        "parts": order.assignments.select_related("unit").order_by("-active", "id"),
        "replies": order.replies.all(),
        "extensions": order.extension_requests.select_related("unit").all(),
        "escalations": order.escalations.select_related("from_unit", "to_unit").all(),
        "whistles": order.whistles.select_related("office").prefetch_related("calls__department").all(),
        "my_calls": ReportIn.objects.filter(whistle__order=order, department_id=unit_id).select_related("whistle"),
        "my_escalations": order.escalations.filter(to_unit_id=unit_id, answered_at__isnull=True),
        "contacted": bool(part and history.filter(action="contact_recorded", actor_unit_id=part.unit_id).exists()),
        "part_reports": history.filter(action="part_reported").select_related("actor_unit"),
    }


# Supervision (R33.1) ----------------------------------------------------------------------


def overdue_parts(now: datetime | None = None):
    """Parts past their limit and not finished, on orders still with the units, oldest limit first.

    An order whose limit visit was made stays here: the visit records the requester's view,
    the unit still owes the handling (R23.1, R33.1).
    """
    now = now or timezone.now()
    return (
        OrderUnit.objects.filter(
            active=True,
            finished_at__isnull=True,
            due_at__lt=now,
            role__in=choices.ASSESSED_ROLES,
            order__status__in=choices.AT_UNIT_STATUSES,
        )
        .select_related("order", "unit")
        .order_by("due_at", "id")
    )


def disputed_replies():
    return (
        Reply.objects.filter(disputed_at__isnull=False, result="resolved", order__status=choices.REPLIED)
        .select_related("order", "unit")
        .order_by("disputed_at", "id")
    )


def repeated_extensions(minimum: int = 2):
    return (
        WorkOrder.objects.filter(status__in=choices.AT_UNIT_STATUSES)
        .annotate(n_ext=Count("extension_requests"))
        .filter(n_ext__gte=minimum)
        .select_related("lead_unit")
        .order_by("due_at", "id")
    )


def rejected_objections():
    return dispatch_selectors.rejected_objections(choices.AT_UNIT_STATUSES)


def pending_extensions():
    return (
        ExtensionRequest.objects.filter(status=ExtensionRequest.PENDING)
        .select_related("order", "unit")
        .order_by("requested_at", "id")
    )


def central_orders():
    return (
        WorkOrder.objects.filter(status__in=choices.AT_UNIT_STATUSES, lead_unit__code="central")
        .select_related("lead_unit")
        .order_by("due_at", "id")
    )


# Each panel of the board: its queryset, how its rows reach the order (None: rows are orders),
# the limit column, and the unit path the unit filter reads.
BOARD_PANELS = {
    "pending_extensions": (pending_extensions, "order__", "order__due_at", "unit__"),
    "overdue": (overdue_parts, "order__", "due_at", "unit__"),
    "disputed": (disputed_replies, "order__", "order__due_at", "unit__"),
    "repeated_extensions": (repeated_extensions, "", "due_at", "lead_unit__"),
    "rejected_objections": (rejected_objections, "order__", "order__due_at", "unit__"),
    "central": (central_orders, "", "due_at", "lead_unit__"),
}


def supervision_board(now: datetime | None = None) -> dict:
    """Every panel's full queryset (the view filters and pages them)."""
    return {
        name: (overdue_parts(now) if name == "overdue" else make()) for name, (make, *_rest) in BOARD_PANELS.items()
    }


def state_after_action(order: WorkOrder) -> tuple[WorkOrder, str]:
    """The order as an action left it (the service changed its own locked copy) and the action
    of its last event, in one statement built once (jiesu.core.rows): the API's answer to every
    accept, contact and reply."""
    last_event = (
        '(SELECT event."action" FROM "orders_orderevent" event WHERE event."order_id" = "orders_workorder"."id" '
        'AND event."at" >= %s ORDER BY event."id" DESC LIMIT 1)'
    )
    found = rows.one(
        WorkOrder,
        '"orders_workorder"."id" = %s',
        [order.pk],
        extra=last_event,
        extra_params=(order.received_at - EVENT_MARGIN,),
        primary=True,  # what the action has just written
    )
    if found is None:
        raise WorkOrder.DoesNotExist(f"工单{order.number}不存在")
    return found[0], found[1] or ""
