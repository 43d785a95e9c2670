"""The centre assessed too (R31.1): how well its call-takers take requests and its dispatchers
send them, read from the orders' events of a month.

`figures` is plain Python over plain rows (testable without a database); `month_figures` loads
the rows. Upheld objections, re-dispatches and corrections after review count against dispatch
accuracy; an automatic dispatch is the engine's, shown as the centre's own line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import mean

from django.db.models.functions import Length
from django.utils import timezone

# What a complete record of a request holds (R10.1): each missing item lowers completeness.
COMPLETENESS_ITEMS = ("content", "location", "phone", "name")
MIN_CONTENT = 15


@dataclass
class OrderRow:
    id: int
    received_at: datetime
    created_by: int | None
    content_length: int
    has_location: bool
    has_phone: bool
    has_name: bool

    @property
    def completeness(self) -> float:
        filled = (self.content_length >= MIN_CONTENT, self.has_location, self.has_phone, self.has_name)
        return sum(filled) / len(filled)


@dataclass
class EventRow:
    order_id: int
    at: datetime
    action: str
    actor: int | None
    data: dict


@dataclass
class Line:
    """One person's (or the whole centre's) figures for the month."""

    orders: int = 0
    completeness: list[float] = field(default_factory=list)
    dispatched: int = 0
    corrected: int = 0
    redispatched: int = 0
    wrong: int = 0  # dispatches later undone: objection upheld or sent again
    objections_upheld: int = 0
    objections_rejected: int = 0
    hours_to_dispatch: list[float] = field(default_factory=list)
    hours_in_review: list[float] = field(default_factory=list)

    @staticmethod
    def _avg(values):
        return round(mean(values), 2) if values else None

    @property
    def completeness_rate(self):
        return round(mean(self.completeness) * 100, 1) if self.completeness else None

    @property
    def accuracy_rate(self):
        """Share of dispatches that stood: neither upheld on objection nor sent again."""
        if not self.dispatched:
            return None
        return round((self.dispatched - self.wrong) / self.dispatched * 100, 1)

    @property
    def avg_hours_to_dispatch(self):
        return self._avg(self.hours_to_dispatch)

    @property
    def avg_hours_in_review(self):
        return self._avg(self.hours_in_review)


@dataclass
class CentreFigures:
    month: date
    centre: Line
    engine: Line
    dispatchers: dict[int, Line]
    call_takers: dict[int, Line]


REVIEW_ENDS = {"dispatched", "answered", "transferred", "closed"}


def _hours(a: datetime, b: datetime) -> float:
    return max((b - a).total_seconds(), 0) / 3600


def figures(month: date, orders: list[OrderRow], events: list[EventRow]) -> CentreFigures:
    centre, engine = Line(), Line()
    dispatchers: dict[int, Line] = {}
    call_takers: dict[int, Line] = {}
    by_order: dict[int, list[EventRow]] = {}
    for e in sorted(events, key=lambda e: (e.at, e.order_id)):
        by_order.setdefault(e.order_id, []).append(e)

    for o in orders:
        centre.orders += 1
        centre.completeness.append(o.completeness)
        if o.created_by:
            taker = call_takers.setdefault(o.created_by, Line())
            taker.orders += 1
            taker.completeness.append(o.completeness)
        owner = None  # who made the dispatch in force, judged by later objections and re-dispatches
        undone = False
        queued_at = None
        for e in by_order.get(o.id, []):
            if e.action == "queued_for_review":
                queued_at = e.at
            elif e.action in REVIEW_ENDS and queued_at is not None:
                hours = _hours(queued_at, e.at)
                centre.hours_in_review.append(hours)
                if e.actor:
                    dispatchers.setdefault(e.actor, Line()).hours_in_review.append(hours)
                queued_at = None
            if e.action in ("objection_accepted", "redispatched") and owner is not None and not undone:
                # One wrong dispatch however it was undone (an upheld objection re-dispatches too).
                owner.wrong += 1
                centre.wrong += 1
                undone = True
            if e.action in ("dispatched", "redispatched"):
                automatic = bool(e.data.get("automatic")) or not e.actor
                owner, undone = (engine if automatic else dispatchers.setdefault(e.actor, Line())), False
                owner.dispatched += 1
                centre.dispatched += 1
                if e.action == "dispatched":
                    hours = _hours(o.received_at, e.at)
                    owner.hours_to_dispatch.append(hours)
                    centre.hours_to_dispatch.append(hours)
                else:
                    owner.redispatched += 1
                    centre.redispatched += 1
                if e.data.get("corrected"):
                    owner.corrected += 1
                    centre.corrected += 1
            elif e.action in ("objection_accepted", "objection_rejected"):
                upheld = e.action == "objection_accepted"
                for line in {id(x): x for x in (centre, owner) if x is not None}.values():
                    if upheld:
                        line.objections_upheld += 1
                    else:
                        line.objections_rejected += 1
    return CentreFigures(month, centre, engine, dispatchers, call_takers)


ACTIONS = (
    "queued_for_review",
    "dispatched",
    "redispatched",
    "answered",
    "transferred",
    "closed",
    "objection_accepted",
    "objection_rejected",
)


def month_figures(month: date) -> CentreFigures:
    """The month's orders (by time received) and their events, whenever those happened."""
    from jiesu.orders.models import EVENT_MARGIN, OrderEvent, WorkOrder

    tz = timezone.get_current_timezone()
    start = datetime(month.year, month.month, 1, tzinfo=tz)
    end = datetime(month.year + (month.month == 12), month.month % 12 + 1, 1, tzinfo=tz)
    qs = WorkOrder.objects.filter(received_at__gte=start, received_at__lt=end)
    orders = []
    for pk, received_at, created_by, length, location, phone, name in qs.annotate(n=Length("content")).values_list(
        "pk", "received_at", "created_by_id", "n", "location_text", "requester_phone_enc", "requester_name_enc"
    ):
        orders.append(OrderRow(pk, received_at, created_by, length, bool(location), bool(phone), bool(name)))
    events = [
        EventRow(*row)
        # The bound on `at` holds for every event of these orders (orders.models.EVENT_MARGIN)
        # and keeps PostgreSQL to the event partitions from the month on.
        for row in OrderEvent.objects.filter(order__in=qs, action__in=ACTIONS, at__gte=start - EVENT_MARGIN)
        .values_list("order_id", "at", "action", "actor_id", "data")
        .iterator(chunk_size=5000)
    ]
    return figures(month, orders, events)


@dataclass
class NamedLine:
    name: str
    role: str
    line: Line


def named(fig: CentreFigures) -> dict[str, list[NamedLine]]:
    """The people behind the ids, for the page: by name, never by account number."""
    from jiesu.directory.models import User

    people = {u.pk: u for u in User.objects.filter(pk__in=set(fig.dispatchers) | set(fig.call_takers))}

    def rows(lines: dict[int, Line]) -> list[NamedLine]:
        out = [
            NamedLine(
                str(people[pk]) if pk in people else "—", people[pk].get_role_display() if pk in people else "", line
            )
            for pk, line in lines.items()
        ]
        return sorted(out, key=lambda r: r.name)

    return {"dispatchers": rows(fig.dispatchers), "call_takers": rows(fig.call_takers)}
