"""Topics of the orders a person may analyse (R18.1, R24.1): the centre all of them, a
department its field city-wide (the matters it handles), a district or township its territory."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from jiesu.core import redact, roles
from jiesu.engine import units as unit_kinds
from jiesu.orders.models import OrderUnit, WorkOrder

from . import selectors, topics

PERIODS = (7, 30, 90)
MAX_ORDERS = 5000  # the newest orders of the scope; the page says when it had to leave older ones out


def topic_scope(user) -> tuple[QuerySet[WorkOrder], str]:
    """The orders whose topics `user` may read, and what that scope is called."""
    qs = WorkOrder.objects.all()
    if roles.has_role(user, roles.CENTRE_ROLES):
        return qs, _("全市")
    unit = user.unit if user.role in roles.UNIT_ROLES else None
    if unit is None:
        raise PermissionDenied(_("您的角色不能查看话题分析。"))
    if unit.kind == unit_kinds.SUBDISTRICT_OFFICE and unit.territory_id:
        return qs.filter(subdistrict_id=unit.territory_id), unit.territory.name
    if unit.kind == unit_kinds.DISTRICT_GOV and (unit.territory_id or unit.district_id):
        district = unit.territory_id or unit.district_id
        return qs.filter(district_id=district), unit.name
    # A department or enterprise: the matters it has handled are its field, read city-wide (or
    # across its district for a district department).
    field = OrderUnit.objects.filter(unit=unit).values("order__matter_code").distinct()
    qs = qs.filter(matter_code__in=field).exclude(matter_code="")
    if unit.kind == unit_kinds.DISTRICT_DEPARTMENT and unit.district_id:
        qs = qs.filter(district_id=unit.district_id)
    return qs, _("%(unit)s主管领域") % {"unit": unit.name}


@dataclass
class TopicRow:
    topic: topics.Topic
    matter: str
    growth: int  # last 7 days minus the 7 before
    units: list[str]
    repeat_callers: int
    unsatisfied: int
    visited: int
    orders: list[WorkOrder]
    label: str  # redacted with the identities of the order it was taken from


def topic_rows(orders: list[WorkOrder], now) -> list[TopicRow]:
    from jiesu.followup.models import UNSATISFIED, ReturnVisit
    from jiesu.orders.selectors import requester_identities

    names = selectors.matter_names()
    # Blocks of one matter in one township: a topic is a local problem (a burst main, a noisy
    # site), and a city-wide one shows as the same label in several townships' rows.
    messages = [
        topics.Message(id=str(o.pk), text=o.content, at=o.received_at, place=_township(o), matter=o.matter_code)
        for o in orders
    ]
    found = topics.group(messages, topics.Settings(block_by_matter=True, block_by_place=True, window_days=30))
    by_pk = {o.pk: o for o in orders}
    in_topics = [int(i) for t in found for i in t.ids]
    visits = {}
    for order_id, satisfaction in (
        ReturnVisit.objects.filter(order_id__in=in_topics)
        .exclude(satisfaction="")
        .values_list("order_id", "satisfaction")
    ):
        visits[order_id] = satisfaction  # the latest round wins: rows come in id order
    rows = []
    week, fortnight = now - timedelta(days=7), now - timedelta(days=14)
    for t in found:
        members = [by_pk[int(i)] for i in t.ids]
        recent = sum(1 for o in members if o.received_at > week)
        before = sum(1 for o in members if fortnight < o.received_at <= week)
        phones = Counter(o.requester_phone_index for o in members if o.requester_phone_index)
        matter = Counter(o.matter_code for o in members).most_common(1)[0][0]
        rows.append(
            TopicRow(
                topic=t,
                matter=selectors.matter_name(matter, names),
                growth=recent - before,
                units=[n for n, _ in Counter(o.lead_unit.name for o in members if o.lead_unit_id).most_common(3)],
                repeat_callers=sum(1 for n in phones.values() if n > 1),
                unsatisfied=sum(1 for o in members if visits.get(o.pk) == UNSATISFIED),
                visited=sum(1 for o in members if o.pk in visits),
                orders=sorted(members, key=lambda o: o.received_at, reverse=True),
                label=redact.redact(t.label, requester_identities(by_pk[int(t.label_id)])),
            )
        )
    return rows


def _township(order: WorkOrder) -> str:
    place = order.subdistrict or order.district
    return place.name if place else ""


@login_required
def topic_list(request):
    scope, scope_name = topic_scope(request.user)
    try:
        days = int(request.GET.get("days", 30))
    except ValueError:
        days = 30
    days = days if days in PERIODS else 30
    now = timezone.now()
    in_period = scope.filter(received_at__gt=now - timedelta(days=days), received_at__lte=now)
    orders = list(
        in_period.select_related("district", "subdistrict", "community", "lead_unit").order_by("-received_at")[
            :MAX_ORDERS
        ]
    )
    rows = topic_rows(orders, now)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        rows = [r for r in rows if q in r.label or q in r.matter or any(q in p for p in r.topic.places)]
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "insight/topics.html",
        {
            "page": page,
            "q": q,
            "days": days,
            "periods": PERIODS,
            "scope_name": scope_name,
            "scope_query": f"days={days}",
            "analysed": len(orders),
            "capped": len(orders) >= MAX_ORDERS,
        },
    )
