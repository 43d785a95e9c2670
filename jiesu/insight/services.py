"""Alerts (R27.1): the every-minute check, and one function per change of an alert, each
writing its AlertEvent in the same transaction. Routing goes through the notifications inbox."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from jiesu.core import roles
from jiesu.directory.models import Place, Unit
from jiesu.engine import units as unit_kinds
from jiesu.orders.models import OrderUnit, WorkOrder

from . import selectors, signals
from .models import Alert, AlertEvent

SURGE_WINDOW = timedelta(hours=1)
RISK_LOOKBACK = timedelta(minutes=10)  # a missed minute or two is caught up on the next run
CENTRE_UNIT = "centre"


@dataclass
class CheckResult:
    raised: int = 0
    grown: int = 0

    def __str__(self) -> str:
        return f"raised {self.raised}, grown {self.grown}"


def _event(alert: Alert, action: str, *, actor=None, data: dict | None = None, at: datetime | None = None) -> None:
    AlertEvent.objects.create(
        alert=alert,
        at=at or timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        data=data or {},
    )


def _competent_units(orders: list[WorkOrder], place: Place | None) -> list[Unit]:
    """The units the orders went to, and the township office of the place: the first are in
    charge of the matter, the second of the territory where people gather."""
    ids = set(OrderUnit.objects.filter(order__in=orders, active=True).values_list("unit_id", flat=True))
    subdistrict = None
    if place is not None:
        subdistrict = place if place.level == "subdistrict" else place.parent if place.level == "community" else None
    if subdistrict is not None:
        ids |= set(
            Unit.objects.filter(kind=unit_kinds.SUBDISTRICT_OFFICE, territory=subdistrict, active=True).values_list(
                "pk", flat=True
            )
        )
    return list(Unit.objects.filter(pk__in=ids))


def _notify(alert: Alert, units: list[Unit]) -> None:
    from jiesu.notifications import services as notify

    title = selectors.alert_title(alert)
    body = selectors.alert_body(alert)
    centre = Unit.objects.filter(code=CENTRE_UNIT).first()
    recipients = {u.pk: u for u in units}
    if centre is not None:
        recipients.setdefault(centre.pk, centre)
    for unit in recipients.values():
        notify.notify_unit(unit, kind=f"alert_{alert.kind}", title=title, body=body, params={"alert": alert.pk})


def _raise_or_grow(
    *,
    kind: str,
    key_prefix: str,
    matter_code: str,
    place: Place | None,
    start: datetime,
    end: datetime,
    orders: list[WorkOrder],
    baseline: float,
    severity: str,
    category: str = "",
    cues: list[str] | None = None,
    same_since: datetime,
) -> str | None:
    """One alert per kind, matter (or risk category), place and window: a later run that sees the
    same burst adds its new orders to the alert already raised instead of raising another."""
    existing = (
        Alert.objects.select_for_update()
        .filter(kind=kind, matter_code=matter_code, category=category, place=place, window_end__gte=same_since)
        .order_by("-raised_at")
        .first()
    )
    if existing is not None:
        known = set(existing.orders.values_list("pk", flat=True))
        new = [o for o in orders if o.pk not in known]
        if not new or existing.status == Alert.CLOSED:
            return None  # closed with a note: the same burst does not reopen it
        existing.orders.add(*new)
        units = _competent_units(new, place)
        fresh_units = [u for u in units if not existing.units.filter(pk=u.pk).exists()]
        existing.units.add(*units)
        existing.count = existing.orders.count()
        existing.window_end = max(existing.window_end, end)
        existing.cues = list(dict.fromkeys([*existing.cues, *(cues or [])]))
        if _rank(severity) > _rank(existing.severity):
            existing.severity = severity
        existing.save(update_fields=["count", "window_end", "cues", "severity"])
        _event(existing, "grown", data={"orders": [o.number for o in new], "count": existing.count})
        if fresh_units:
            _notify(existing, fresh_units)
        return "grown"
    alert = Alert(
        kind=kind,
        category=category,
        matter_code=matter_code,
        place=place,
        window_start=start,
        window_end=end,
        count=len(orders),
        baseline=baseline,
        severity=severity,
        cues=cues or [],
        raised_at=timezone.now(),
        key=f"{key_prefix}:{matter_code or category}:{place.pk if place else '-'}:{start:%Y%m%d%H%M}",
    )
    try:
        with transaction.atomic():
            alert.save()
    except IntegrityError:
        return None  # another checker raised it this minute
    alert.orders.add(*orders)
    units = _competent_units(orders, place)
    alert.units.add(*units)
    _event(alert, "raised", data={"count": alert.count, "baseline": baseline, "orders": [o.number for o in orders]})
    _notify(alert, units)
    return "raised"


def _rank(severity: str) -> int:
    return {Alert.LOW: 0, Alert.MEDIUM: 1, Alert.HIGH: 2}.get(severity, 0)


def _place_of(order: WorkOrder) -> int | None:
    return order.community_id or order.subdistrict_id


_DEFAULT_SURGE_RULE = signals.SurgeRule()


def check_surges(now: datetime, rule: signals.SurgeRule = _DEFAULT_SURGE_RULE, *, dry_run: bool = False) -> CheckResult:
    """`dry_run`: find and count, write nothing (bench/insight.py on a database it must not change)."""
    result = CheckResult()
    start = now - SURGE_WINDOW
    recent = (
        WorkOrder.objects.filter(received_at__gt=start, received_at__lte=now)
        .exclude(matter_code="")
        .annotate(place_id=Coalesce(F("community_id"), F("subdistrict_id")))
        .exclude(place_id=None)
        .values("matter_code", "place_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=rule.min_count)
    )
    recent = list(recent)
    histories = _histories({(r["matter_code"], r["place_id"]) for r in recent}, start, now, rule.history_weeks)
    for row in recent:
        matter, place_id, count = row["matter_code"], row["place_id"], row["n"]
        history = histories[(matter, place_id)]
        found = signals.surge(count, history, rule)
        if found is None:
            continue
        if dry_run:
            result.raised += 1
            continue
        orders = list(
            WorkOrder.objects.filter(received_at__gt=start, received_at__lte=now, matter_code=matter)
            .annotate(place_id=Coalesce(F("community_id"), F("subdistrict_id")))
            .filter(place_id=place_id)
            .order_by("received_at")
        )
        with transaction.atomic():
            outcome = _raise_or_grow(
                kind=Alert.SURGE,
                key_prefix="surge",
                matter_code=matter,
                place=Place.objects.get(pk=place_id),
                start=start,
                end=now,
                orders=orders,
                baseline=found.baseline,
                severity=found.severity,
                same_since=start,
            )
        _count(result, outcome)
    return result


def _histories(keys: set[tuple[str, int]], start: datetime, end: datetime, weeks: int) -> dict:
    """The count in the same hour of the week in each of the `weeks` weeks before, for every
    (matter, place) at once: one query over `weeks` one-hour ranges of the received-at index,
    so it costs the same on a year of history as on a week."""
    counts = {key: [0] * weeks for key in keys}
    if not keys:
        return counts
    windows = Q()
    for w in range(1, weeks + 1):
        windows |= Q(received_at__gt=start - timedelta(weeks=w), received_at__lte=end - timedelta(weeks=w))
    rows = (
        WorkOrder.objects.filter(windows, matter_code__in={m for m, _ in keys})
        .annotate(place_id=Coalesce(F("community_id"), F("subdistrict_id")))
        .values_list("matter_code", "place_id", "received_at")
    )
    for matter, place_id, at in rows:
        key = (matter, place_id)
        if key not in counts:
            continue
        for w in range(1, weeks + 1):
            if start - timedelta(weeks=w) < at <= end - timedelta(weeks=w):
                counts[key][w - 1] += 1
                break
    return counts


def check_risks(now: datetime, lexicon: signals.RiskLexicon | None = None, *, dry_run: bool = False) -> CheckResult:
    lexicon = lexicon or signals.default_lexicon()
    result = CheckResult()
    since = now - RISK_LOOKBACK
    found: dict[tuple, list] = defaultdict(list)
    orders = WorkOrder.objects.filter(received_at__gt=since, received_at__lte=now).only(
        "pk", "number", "content", "matter_code", "community_id", "subdistrict_id", "district_id", "received_at"
    )
    for order in orders:
        for risk in lexicon.scan(order.content):
            place_id = _place_of(order) or order.district_id
            found[(risk.category, place_id)].append((order, risk))
    day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    if dry_run:
        result.raised = len(found)
        return result
    for (category, place_id), hits in found.items():
        orders_ = [o for o, _ in hits]
        risk = max((r for _, r in hits), key=lambda r: _rank(r.severity))
        cues = list(dict.fromkeys(c for _, r in hits for c in r.cues))
        with transaction.atomic():
            outcome = _raise_or_grow(
                kind=Alert.RISK,
                key_prefix="risk",
                matter_code="",
                category=category,
                place=Place.objects.filter(pk=place_id).first(),
                start=day_start,
                end=now,
                orders=orders_,
                baseline=0.0,
                severity=risk.severity,
                cues=cues,
                same_since=day_start,
            )
        _count(result, outcome)
    return result


def _count(result: CheckResult, outcome: str | None) -> None:
    if outcome == "raised":
        result.raised += 1
    elif outcome == "grown":
        result.grown += 1


def check_alerts(now: datetime | None = None) -> CheckResult:
    """The every-minute check (schedule entry `alert-check`). Idempotent: run twice, raise once."""
    now = now or timezone.now()
    a, b = check_surges(now), check_risks(now)
    return CheckResult(raised=a.raised + b.raised, grown=a.grown + b.grown)


# Changes made by people -----------------------------------------------------------------------


def _check_may_act(alert: Alert, actor) -> None:
    if not selectors.alerts_visible_to(actor).filter(pk=alert.pk).exists():
        raise PermissionDenied("这条预警不是发给您或您的单位的。")
    if not roles.has_role(actor, roles.CENTRE_ROLES | roles.UNIT_ROLES):
        raise PermissionDenied("您的角色不能处置预警。")


@transaction.atomic
def acknowledge_alert(alert: Alert, *, actor) -> Alert:
    _check_may_act(alert, actor)
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.status != Alert.OPEN:
        raise ValidationError({"status": [f"预警当前为“{alert.get_status_display()}”，不能再确认。"]})
    alert.status = Alert.ACKNOWLEDGED
    alert.save(update_fields=["status"])
    _event(alert, "acknowledged", actor=actor, data={"unit": getattr(actor.unit, "name", "")})
    return alert


@transaction.atomic
def close_alert(alert: Alert, *, actor, note: str) -> Alert:
    from jiesu.core import redact

    _check_may_act(alert, actor)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": ["请填写处置说明。"]})
    if len(note) > 2000:
        raise ValidationError({"note": ["处置说明最多2000字。"]})
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.status == Alert.CLOSED:
        raise ValidationError({"status": ["预警已关闭。"]})
    alert.status, alert.note = Alert.CLOSED, redact.scrub(note)
    alert.save(update_fields=["status", "note"])
    _event(alert, "closed", actor=actor, data={"note": alert.note})
    return alert
