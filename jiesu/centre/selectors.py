"""Read side of the centre: a caller's record (R9.1) and what oversight sees (R5.1)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from jiesu.core import crypto, roles
from jiesu.orders.models import OrderEvent, WorkOrder

from .models import FLAGGED, WARNED, Caller, CallerEvent

# From this many abusive calls in a day the panel says so before anything else.
REPEATED_ABUSE_PER_DAY = 3


@dataclass
class CallerRecord:
    caller: Caller | None
    calls_today: int
    calls_week: int
    calls_month: int
    calls_total: int
    abusive_today: int
    abusive_total: int
    abusive_numbers: list[str] = field(default_factory=list)
    events: list[CallerEvent] = field(default_factory=list)
    total_seconds: int = 0

    @property
    def warnings(self) -> list[CallerEvent]:
        return [e for e in self.events if e.action == WARNED]

    @property
    def repeated_abuse(self) -> bool:
        return self.abusive_today >= REPEATED_ABUSE_PER_DAY

    @property
    def caution(self) -> bool:
        return bool(self.caller and self.caller.flagged) or self.repeated_abuse


def abusive_orders(phone_index: str) -> QuerySet[WorkOrder]:
    """Orders of this number the engine judged unlawful, malicious or harassing (R11.3 case 6)
    and that no person then dispatched, and those a call-taker flagged. Read through the
    caller's own orders (a few), never by scanning every event's data."""
    judged = OrderEvent.objects.filter(
        order__requester_phone_index=phone_index, action__in=("decided", "dispatched")
    ).values_list("order_id", "action", "data")
    unlawful, dispatched = set(), set()
    for order_id, action, data in judged:
        if action == "dispatched":
            dispatched.add(order_id)
        elif ((data or {}).get("decision") or {}).get("disposition") == "unlawful":
            unlawful.add(order_id)
    flagged = CallerEvent.objects.filter(caller__phone_index=phone_index, action=FLAGGED).values("orders")
    return WorkOrder.objects.filter(
        Q(pk__in=unlawful - dispatched) | Q(pk__in=flagged), requester_phone_index=phone_index
    )


def may_read_caller_records(user) -> bool:
    return roles.has_role(user, roles.CALLER_WARNING_ROLES | roles.CALLER_DECISION_ROLES)


def record_for_index(phone_index: str, *, now=None) -> CallerRecord | None:
    if not phone_index:
        return None
    now = now or timezone.now()
    day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    orders = WorkOrder.objects.filter(requester_phone_index=phone_index)
    abusive = abusive_orders(phone_index)
    caller = Caller.objects.filter(phone_index=phone_index).first()

    return CallerRecord(
        caller=caller,
        calls_today=orders.filter(received_at__gte=day_start).count(),
        calls_week=orders.filter(received_at__gte=now - timedelta(days=7)).count(),
        calls_month=orders.filter(received_at__gte=now - timedelta(days=30)).count(),
        calls_total=orders.count(),
        abusive_today=abusive.filter(received_at__gte=day_start).count(),
        abusive_total=abusive.count(),
        abusive_numbers=list(abusive.order_by("-received_at").values_list("number", flat=True)[:10]),
        events=list(caller.events.select_related("actor").prefetch_related("orders")[:20]) if caller else [],
        total_seconds=orders.aggregate(s=Sum("call_record__duration_seconds"))["s"] or 0,
    )


def record_for_phone(user, phone: str) -> CallerRecord | None:
    """The record the call-taker sees while typing the number: through the blind index only."""
    if not may_read_caller_records(user):
        return None
    index = crypto.blind_index(phone)
    if not index or len(crypto.normalise_phone(phone)) < 7:
        return None
    return record_for_index(index)


def callers(query: str = "", *, flagged_only: bool = True) -> QuerySet[Caller]:
    """The list a supervisor works from: flagged callers, or one number searched for."""
    qs = Caller.objects.all()
    query = (query or "").strip()
    if query:
        return (
            qs.filter(phone_index=crypto.blind_index(query)) if len(crypto.normalise_phone(query)) >= 7 else qs.none()
        )
    return qs.filter(flagged=True) if flagged_only else qs.exclude(events=None)


# Identity reads (R8.3, R33.1) -------------------------------------------------------------------

# A reader is shown as unusual above this many reads in the window, or above this multiple of
# the median reader's count, whichever is higher: a call-taker reads dozens a shift.
UNUSUAL_MIN_READS = 50
UNUSUAL_MEDIAN_FACTOR = 3


def may_review_identity_reads(user) -> bool:
    return roles.is_decider(user)


def identity_reads(*, reader: str = "", order_number: str = "", since=None):
    from jiesu.orders.models import PersonalDataAccess

    qs = PersonalDataAccess.objects.select_related("user", "order").order_by("-at", "-id")
    if reader:
        qs = qs.filter(Q(user__username__icontains=reader) | Q(user__display_name__icontains=reader))
    if order_number:
        qs = qs.filter(order__number__startswith=order_number)
    if since is not None:
        qs = qs.filter(at__gte=since)
    return qs


@dataclass
class ReaderVolume:
    user_id: int
    name: str
    role: str
    reads: int
    orders: int
    unusual: bool


def reader_volumes(since, *, limit: int = 50) -> tuple[list[ReaderVolume], int]:
    """Who read how many identities since `since`, most first, with the threshold applied."""
    from statistics import median

    from django.db.models import Count

    from jiesu.directory.models import User
    from jiesu.orders.models import PersonalDataAccess

    rows = list(
        PersonalDataAccess.objects.filter(at__gte=since)
        .values("user_id")
        .annotate(reads=Count("id"), orders=Count("order_id", distinct=True))
        .order_by("-reads")
    )
    if not rows:
        return [], UNUSUAL_MIN_READS
    threshold = max(UNUSUAL_MIN_READS, int(median(r["reads"] for r in rows) * UNUSUAL_MEDIAN_FACTOR))
    people = User.objects.in_bulk([r["user_id"] for r in rows[:limit]])
    return [
        ReaderVolume(
            r["user_id"],
            str(people[r["user_id"]]),
            people[r["user_id"]].get_role_display(),
            r["reads"],
            r["orders"],
            r["reads"] > threshold,
        )
        for r in rows[:limit]
    ], threshold


def supervision_records(query: str = "", status: str = ""):
    from .models import SupervisionRecord

    qs = SupervisionRecord.objects.select_related("order", "unit", "person", "opened_by").order_by("-opened_at", "-id")
    if status in dict(SupervisionRecord.STATUSES):
        qs = qs.filter(status=status)
    query = (query or "").strip()
    if query:
        qs = qs.filter(Q(order__number__startswith=query) | Q(unit__name__icontains=query) | Q(facts__icontains=query))
    return qs
