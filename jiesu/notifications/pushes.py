"""Scheduled pushes to units (R26.1): a limit that nears, and the morning digest.

Both are idempotent (a notification of the kind already sent for that order, or that day, is
not sent again), so the schedule may run them as often as it likes and after a pause.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from jiesu.directory.models import Unit
from jiesu.orders.models import OrderUnit

from . import services
from .models import Notification

DUE_SOON = timedelta(hours=4)  # the same horizon as the workbench's "即将到期"


def _open_parts():
    return OrderUnit.objects.filter(
        active=True, finished_at__isnull=True, order__status__in=("dispatched", "in_progress")
    ).select_related("unit", "order")


def notify_limits_near(now: datetime | None = None) -> int:
    """Tell each unit once per order when its own time limit is within DUE_SOON."""
    now = now or timezone.now()
    told = Notification.objects.filter(
        kind="due_soon", order_id=OuterRef("order_id"), recipient_unit_id=OuterRef("unit_id")
    )
    parts = _open_parts().filter(due_at__gt=now, due_at__lte=now + DUE_SOON).exclude(Exists(told))
    sent = 0
    for part in parts[:5000]:
        left = part.due_at - now
        hours, minutes = int(left.total_seconds() // 3600), int(left.total_seconds() % 3600 // 60)
        with transaction.atomic():
            services.notify_unit(
                part.unit,
                kind="due_soon",
                order=part.order,
                title=_("即将到期：%(number)s 剩余 %(h)s 小时 %(m)s 分")
                % {"number": part.order.number, "h": hours, "m": minutes},
                body=_("办结时限：%s") % timezone.localtime(part.due_at).strftime("%Y-%m-%d %H:%M"),
            )
        sent += 1
    return sent


def send_daily_digest(now: datetime | None = None) -> int:
    """One message a day for each unit with work in hand or news since yesterday morning."""
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    since = now - timedelta(days=1)
    open_parts = Counter(_open_parts().values_list("unit_id", flat=True))
    overdue = Counter(_open_parts().filter(due_at__lt=now).values_list("unit_id", flat=True))
    new = Counter(OrderUnit.objects.filter(assigned_at__gt=since).values_list("unit_id", flat=True))
    from jiesu.followup.models import UNSATISFIED, ReturnVisit

    visits = ReturnVisit.objects.filter(visited_at__gt=since).exclude(satisfaction="")
    evaluated = Counter(visits.values_list("unit_id", flat=True))
    unsatisfied = Counter(visits.filter(satisfaction=UNSATISFIED).values_list("unit_id", flat=True))
    already = set(
        Notification.objects.filter(kind="daily_digest", created_at__gte=day_start).values_list(
            "recipient_unit_id", flat=True
        )
    )
    sent = 0
    for unit in Unit.objects.filter(pk__in=set(open_parts) | set(new) | set(evaluated), active=True):
        if unit.pk in already:
            continue
        body = _(
            "新派工单 %(new)s 件；在办 %(open)s 件，其中超期 %(overdue)s 件；"
            "回访评价 %(eval)s 件，其中不满意 %(bad)s 件。"
        ) % {
            "new": new[unit.pk],
            "open": open_parts[unit.pk],
            "overdue": overdue[unit.pk],
            "eval": evaluated[unit.pk],
            "bad": unsatisfied[unit.pk],
        }
        services.notify_unit(unit, kind="daily_digest", title=_("每日工单摘要（%s）") % day.isoformat(), body=body)
        sent += 1
    return sent
