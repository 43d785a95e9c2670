"""Topics of the orders a person may analyse (R18.1, R24.1): the centre all of them, a
department its field city-wide (the matters it handles), a district or township its territory."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from jiesu.core import redact, roles
from jiesu.engine import units as unit_kinds
from jiesu.orders.models import OrderUnit, WorkOrder

from . import selectors, stored_topics, topics
from .models import OrderTopic

PERIODS = (7, 30, 90)
LISTED = 50  # a topic's newest orders listed under it; the rest are counted


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
    orders: list[WorkOrder]  # the newest LISTED of its orders in the period
    label: str  # redacted with the identities of the order it was taken from

    @property
    def unlisted(self) -> int:
        return self.topic.size - len(self.orders)


def topic_rows(ranked: list[dict], in_period: QuerySet[WorkOrder], now) -> list[TopicRow]:
    """The figures of one page of topics (rows of `stored_topics.ranked_topics`), from their
    orders in the period: a few queries for the page, whatever the size of the history."""
    from jiesu.followup.models import UNSATISFIED, ReturnVisit
    from jiesu.orders.selectors import requester_identities

    if not ranked:
        return []
    names = selectors.matter_names()
    numbers = [r["topic"] for r in ranked]
    # The page's topics' orders through the topic index, then those of the period and scope: a
    # semi-join of the topics with the period's orders let PostgreSQL walk every topic row.
    member_of = dict(OrderTopic.objects.filter(topic__in=numbers).values_list("order_id", "topic"))
    members: dict[int, list[WorkOrder]] = defaultdict(list)
    for o in (
        in_period.filter(pk__in=list(member_of))
        .select_related("district", "subdistrict", "lead_unit")
        .defer("content")
        .order_by("-received_at", "-pk")
    ):
        members[member_of[o.pk]].append(o)
    # The label: the topic's first report in the period says what it is about.
    firsts = {t: ms[-1].pk for t, ms in members.items() if ms}
    label_orders = WorkOrder.objects.in_bulk(list(firsts.values()))
    visits = {}
    for order_id, satisfaction in (
        ReturnVisit.objects.filter(order_id__in=[o.pk for ms in members.values() for o in ms])
        .exclude(satisfaction="")
        .order_by("pk")
        .values_list("order_id", "satisfaction")
    ):
        visits[order_id] = satisfaction  # the latest round wins
    rows = []
    week, fortnight = now - timedelta(days=7), now - timedelta(days=14)
    for r in ranked:
        ms = members.get(r["topic"], [])
        if not ms:
            continue  # its orders left the period between the two queries
        places = Counter(_township(o) for o in ms if _township(o))
        source = label_orders[firsts[r["topic"]]]
        topic = topics.Topic(
            id=r["topic"],
            label=topics.label_of(topics.Message(id=str(source.pk), text=source.content)),
            ids=[str(o.pk) for o in ms],
            places=[p for p, _ in places.most_common()],
            first=r["first"],
            last=r["last"],
            label_id=str(source.pk),
        )
        phones = Counter(o.requester_phone_index for o in ms if o.requester_phone_index)
        rows.append(
            TopicRow(
                topic=topic,
                matter=selectors.matter_name(Counter(o.matter_code for o in ms).most_common(1)[0][0], names),
                growth=sum(1 for o in ms if o.received_at > week)
                - sum(1 for o in ms if fortnight < o.received_at <= week),
                units=[n for n, _ in Counter(o.lead_unit.name for o in ms if o.lead_unit_id).most_common(3)],
                repeat_callers=sum(1 for n in phones.values() if n > 1),
                unsatisfied=sum(1 for o in ms if visits.get(o.pk) == UNSATISFIED),
                visited=sum(1 for o in ms if o.pk in visits),
                orders=ms[:LISTED],
                label=redact.redact(topic.label, requester_identities(source)),
            )
        )
    return rows


def _township(order: WorkOrder) -> str:
    place = order.subdistrict or order.district
    return place.name if place else ""


def matching_topics(user, in_period: QuerySet[WorkOrder], q: str) -> list[int]:
    """The topics with an order in the period that the search finds: by its matter's or its
    place's name, or by the order list's own search (text, number, a caller's phone for roles
    that see phones) over the orders `user` may open, so that words are found only in texts
    the user could read anyway."""
    from jiesu.orders.selectors import orders_visible_to, search_orders, sees_every_order

    codes = [code for code, name in selectors.matter_names().items() if q in name]
    by_name = (
        Q(matter_code__in=codes)
        | Q(subdistrict__name__contains=q)
        | Q(district__name__contains=q)
        | Q(community__name__contains=q)
    )
    readable = in_period if sees_every_order(user) else in_period.filter(pk__in=orders_visible_to(user).values("pk"))
    # The LIKE, not the bigram index: the period bounds the scan, and the index's SQL names the
    # order table itself, which inside this subquery would be the outer query's row.
    by_search = search_orders(user, q, visible=readable, indexed=False)
    matched = in_period.filter(by_name | Q(pk__in=by_search.values("pk")))
    # Evaluated here, a list of numbers: nested under the ranking's GROUP BY, PostgreSQL
    # re-planned the search per topic row (12 s for a month at 1M orders, bench/insight.py).
    return sorted(set(OrderTopic.objects.filter(order__in=matched.values("pk")).values_list("topic", flat=True)))


@login_required
def topic_list(request):
    """The topics the grouping stored as orders arrived (`stored_topics.group_new_orders`),
    counted over the period's orders of the person's scope: never regrouped per request."""
    scope, scope_name = topic_scope(request.user)
    try:
        days = int(request.GET.get("days", 30))
    except ValueError:
        days = 30
    days = days if days in PERIODS else 30
    now = timezone.now()
    in_period = scope.filter(received_at__gt=now - timedelta(days=days), received_at__lte=now)
    ranked = stored_topics.ranked_topics(in_period)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        ranked = ranked.filter(topic__in=matching_topics(request.user, in_period, q))
    page = Paginator(ranked, 20).get_page(request.GET.get("page"))
    page.object_list = topic_rows(list(page.object_list), in_period, now)
    waiting = stored_topics.not_grouped(in_period).count()
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
            "analysed": in_period.count(),
            "waiting": waiting,
        },
    )
