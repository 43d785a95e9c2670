"""Topics of the stored orders, grouped as orders arrive (R18.1, R24.1).

Regrouping a city's whole history on every question costs minutes at a million orders, though
almost all of it was decided before. So each order is grouped once, when it is new: it joins
the topic of an earlier order it reads like (same matter, same township, within the window),
links two topics into one, or starts its own (`topics.extend`). A run reads only the new
orders and the earlier orders of their blocks within the window, so its cost follows the new
orders, not the size of the history. `OrderTopic` keeps the outcome (order id, topic number);
the text stays on the order.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import BigIntegerField, Case, Count, Exists, Max, Min, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from jiesu.orders.models import WorkOrder

from . import topics
from .models import OrderTopic

# As the console groups them: a topic is a local problem, one matter in one township.
SETTINGS = topics.Settings(block_by_matter=True, block_by_place=True, window_days=30)
BATCH = 100_000  # new orders grouped at once (a first run over years of orders takes several)
# Orders whose transaction committed after a later order's: looked for this far below the last
# order grouped, so an order is never skipped because a neighbour's id overtook it.
LATE_COMMIT_MARGIN = 1000
_LOCK = 0x6A696573  # one grouping run at a time (PostgreSQL advisory lock)

_FIELDS = ("pk", "content", "received_at", "matter_code", "subdistrict_id", "district_id")


@dataclass
class GroupingResult:
    orders: int = 0  # new orders grouped
    joined: int = 0  # of which joined an earlier topic
    merged: int = 0  # earlier topics renamed into another
    context: int = 0  # earlier orders read to compare with

    def __str__(self) -> str:
        return f"grouped {self.orders} orders ({self.joined} joined earlier topics, {self.merged} topics merged)"


def _message(pk, content, at, matter, subdistrict_id, district_id) -> topics.Message:
    return topics.Message(
        id=str(pk), text=content, at=at, place=str(subdistrict_id or district_id or ""), matter=matter
    )


def _new_orders(limit: int, up_to_pk: int | None) -> list[topics.Message]:
    last = OrderTopic.objects.aggregate(m=Max("order_id"))["m"] or 0
    qs = WorkOrder.objects.filter(pk__gt=max(0, last - LATE_COMMIT_MARGIN))
    if up_to_pk is not None:
        qs = qs.filter(pk__lte=up_to_pk)
    grouped = set(
        OrderTopic.objects.filter(order_id__gt=max(0, last - LATE_COMMIT_MARGIN)).values_list("order_id", flat=True)
    )
    rows = qs.order_by("pk").values_list(*_FIELDS)
    found = []
    for row in rows.iterator(chunk_size=20_000):
        if row[0] in grouped:
            continue
        found.append(_message(*row))
        if len(found) >= limit:
            break
    return found


def _context(new: list[topics.Message]) -> tuple[list[topics.Message], dict[str, str]]:
    """The orders grouped before, in the new orders' blocks and within the window of them."""
    window = timedelta(days=SETTINGS.window_days)
    timed = [m.at for m in new if m.at is not None]
    if not timed:
        return [], {}
    keys = {(m.matter, m.place) for m in new}
    places = {p for _, p in keys if p}
    qs = OrderTopic.objects.filter(
        order__received_at__gte=min(timed) - window,
        order__received_at__lte=max(timed) + window,
        order__matter_code__in={m for m, _ in keys},
    )
    ids = [int(p) for p in places]
    place_q = Q(order__subdistrict_id__in=ids) | Q(order__subdistrict_id=None, order__district_id__in=ids)
    if "" in {p for _, p in keys}:
        place_q |= Q(order__subdistrict_id=None, order__district_id=None)
    rows = qs.filter(place_q).values_list(
        "order_id",
        "order__content",
        "order__received_at",
        "order__matter_code",
        "order__subdistrict_id",
        "order__district_id",
        "topic",
    )
    context, known = [], {}
    for *fields, topic in rows.iterator(chunk_size=20_000):
        m = _message(*fields)
        if (m.matter, m.place) in keys:
            context.append(m)
            known[m.id] = str(topic)
    return context, known


def _rename(merged: dict[str, str]) -> None:
    """Members of merged topics take the name of the topic they joined: one UPDATE per
    thousand merged topics (a first run over months of orders merges thousands)."""
    pairs = [(int(old), int(into)) for old, into in merged.items()]
    for lo in range(0, len(pairs), 1000):
        chunk = pairs[lo : lo + 1000]
        OrderTopic.objects.filter(topic__in=[old for old, _ in chunk]).update(
            topic=Case(*(When(topic=old, then=Value(into)) for old, into in chunk), output_field=BigIntegerField())
        )


def group_new_orders(*, batch: int = BATCH, up_to_pk: int | None = None, now: datetime | None = None) -> GroupingResult:
    """Group every order not grouped yet (up to `up_to_pk`), `batch` at a time, oldest first.
    Idempotent: a second run finds nothing new. Schedule entry `topic-grouping`."""
    result = GroupingResult()
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
            new = _new_orders(batch, up_to_pk)
            if not new:
                return result
            context, known = _context(new)
            ext = topics.extend(new, context, known, SETTINGS)
            _rename(ext.merged)
            stamp = now or timezone.now()
            OrderTopic.objects.bulk_create(
                [OrderTopic(order_id=int(i), topic=int(t), grouped_at=stamp) for i, t in ext.topic_of.items()],
                batch_size=5000,
            )
            result.orders += len(new)
            result.joined += sum(1 for i, t in ext.topic_of.items() if t != i)
            result.merged += len(ext.merged)
            result.context += len(context)
        if len(new) < batch:
            return result


def ranked_topics(orders: QuerySet[WorkOrder], *, min_size: int = 2) -> QuerySet[OrderTopic]:
    """One row per stored topic among `orders` (any scope and period), biggest first:
    {"topic", "n": its orders among these, "first", "last"}. One GROUP BY in the database, so a
    page of topics and their true count cost the same over any history (bench/insight.py)."""
    return (
        OrderTopic.objects.filter(order__in=orders.values("pk"))
        .values("topic")
        .annotate(n=Count("order_id"), first=Min("order__received_at"), last=Max("order__received_at"))
        .filter(n__gte=min_size)
        .order_by("-n", "first", "topic")
    )


def not_grouped(orders: QuerySet[WorkOrder]) -> QuerySet[WorkOrder]:
    """Those of `orders` the scheduled grouping has not reached yet (in no topic so far)."""
    return orders.filter(~Exists(OrderTopic.objects.filter(order_id=OuterRef("pk"))))


def stored_topics(orders: QuerySet[WorkOrder], *, min_size: int = 2) -> list[topics.Topic]:
    """The topics of `orders` (any scope and period) from the grouping already stored: their
    members among these orders, biggest first. Orders not grouped yet are in none."""
    members: dict[int, list[tuple]] = defaultdict(list)
    rows = OrderTopic.objects.filter(order__in=orders).values_list(
        "topic", "order_id", "order__received_at", "order__subdistrict__name", "order__district__name"
    )
    for topic, pk, at, subdistrict, district in rows.iterator(chunk_size=20_000):
        members[topic].append((pk, at, subdistrict or district or ""))
    groups = [(t, ms) for t, ms in members.items() if len(ms) >= min_size]
    groups.sort(key=lambda g: (-len(g[1]), min(m[1] for m in g[1])))
    # The label: the topic's first order among these (the first report says what it is about).
    firsts = {t: min(ms, key=lambda m: m[1])[0] for t, ms in groups}
    texts = dict(WorkOrder.objects.filter(pk__in=firsts.values()).values_list("pk", "content"))
    found = []
    for number, (topic, ms) in enumerate(groups, start=1):
        first = firsts[topic]
        places: dict[str, int] = defaultdict(int)
        for _, _, place in ms:
            if place:
                places[place] += 1
        label = topics.Message(id=str(first), text=texts.get(first, ""))
        found.append(
            topics.Topic(
                id=number,
                label=topics.label_of(label),
                ids=[str(pk) for pk, _, _ in ms],
                places=sorted(places, key=lambda p: -places[p]),
                first=min(m[1] for m in ms),
                last=max(m[1] for m in ms),
                label_id=str(first),
            )
        )
    return found
