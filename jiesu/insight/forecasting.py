"""Seasonal foresight over the stored orders (R25.1): weekly counts per matter and district, a
forecast per series (jiesu.insight.forecast picks the model), and what each unit may expect next
month. `refresh()` rebuilds all three; `jiesu forecast` and the daily schedule call it.

The unit's expectation is top-down: the forecast of each (matter, district) series times the
unit's share of that series' orders over the last year (the orders it led). A unit's own series
is mostly too sparse for a seasonal model, the district's is not, and the share carries over
which part of it comes to this unit.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from . import forecast as F
from .models import SeriesForecast, UnitExpectation, WeeklyCount

HORIZON = 12  # weeks forecast, from the current one
HISTORY_CAP = 5 * 52  # older weeks add little to a yearly season and cost fit time


def tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def current_week(now: datetime | None = None) -> date:
    return week_start(timezone.localtime(now or timezone.now(), tz()).date())


def month_bounds(day: date, months_ahead: int = 0) -> tuple[date, date]:
    y, m = day.year, day.month + months_ahead
    y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
    start = date(y, m, 1)
    end = date(y + (m // 12), m % 12 + 1, 1)
    return start, end


def _at(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tz())


# ---------------------------------------------------------------------------------------------
# Seasons


@lru_cache(maxsize=1)
def _default_seasons() -> tuple[dict, ...]:
    path = Path(__file__).parent / "defaults" / "forecast_seasons.json"
    return tuple(json.loads(path.read_text(encoding="utf-8"))["seasons"])


def seasons() -> list[dict]:
    """Seasonal peaks: settings.INSIGHT_SEASONS when set, else the shipped defaults."""
    return list(settings.INSIGHT_SEASONS or _default_seasons())


def _md(text: str) -> tuple[int, int]:
    m, d = text.split("-")
    return int(m), int(d)


def in_season(season: dict, day: date) -> bool:
    start, end, here = _md(season["start"]), _md(season["end"]), (day.month, day.day)
    return start <= here <= end if start <= end else (here >= start or here <= end)


def _overlaps(season: dict, start: date, end: date) -> bool:
    return any(in_season(season, start + timedelta(days=i)) for i in range((end - start).days))


def season_note(matter_code: str, month: tuple[date, date], this_month: tuple[date, date]) -> str:
    """'供暖季将至' when next month enters a season of this matter, '供暖季持续' when it stays in one."""
    for s in seasons():
        if any(matter_code.startswith(p) for p in s["matters"]) and _overlaps(s, *month):
            return f"{s['label']}{'持续' if _overlaps(s, *this_month) else '将至'}"
    return ""


# ---------------------------------------------------------------------------------------------
# Weekly counts


def count_weeks(now: datetime | None = None) -> int:
    """Rebuild the weekly counts from the orders, up to the last complete week."""
    from jiesu.orders.models import WorkOrder

    until = _at(current_week(now))
    rows = (
        WorkOrder.objects.filter(received_at__lt=until)
        .annotate(week=TruncWeek("received_at", tzinfo=tz()))
        .values("week", "matter_code", "district_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    objs = [
        WeeklyCount(
            week=r["week"].date() if isinstance(r["week"], datetime) else r["week"],
            matter_code=r["matter_code"],
            district_id=r["district_id"],
            count=r["n"],
        )
        for r in rows
    ]
    with transaction.atomic():
        WeeklyCount.objects.all().delete()  # a cache of the orders, rebuilt whole
        WeeklyCount.objects.bulk_create(objs, batch_size=5000)
    return len(objs)


CITY = "city"


def stored_series(qs=None, *, end: date | None = None) -> dict[tuple[str, int | str | None], np.ndarray]:
    """{(matter, district id or None when unlocated, or CITY): weekly counts oldest first} from
    the stored counts, every series over the same weeks (from the first stored to `end`, the
    last complete week by default)."""
    qs = WeeklyCount.objects.all() if qs is None else qs
    rows = list(qs.values_list("week", "matter_code", "district_id", "count"))
    if not rows:
        return {}
    first = min(r[0] for r in rows)
    end = end or max(r[0] for r in rows)
    first = max(first, end - timedelta(weeks=HISTORY_CAP - 1))
    weeks = (end - first).days // 7 + 1
    series: dict = defaultdict(lambda: np.zeros(weeks))
    for week, matter, district, count in rows:
        k = (week - first).days // 7
        if 0 <= k < weeks:
            series[(matter, district)][k] += count
            series[(matter, CITY)][k] += count
    return dict(series)


def series_weeks(n: int, end: date) -> list[date]:
    return [end - timedelta(weeks=n - 1 - i) for i in range(n)]


# ---------------------------------------------------------------------------------------------
# Refresh


def _month_sum(points: list, start: date, end: date, *, index: int = 1) -> float:
    total = 0.0
    for p in points:
        w = date.fromisoformat(p[0])
        total += p[index] * F.month_share(w, start, end)
    return total


def refresh(now: datetime | None = None, *, backtest_origins: int = 6, backtest_seconds: float = 120.0) -> dict:
    """Counts, forecasts and unit expectations, rebuilt from the orders as of `now`."""
    started = time.monotonic()
    now = now or timezone.now()
    weeks_written = count_weeks(now)
    week0 = current_week(now)
    last_complete = week0 - timedelta(weeks=1)
    series = stored_series(end=last_complete)
    forecasts: dict = {}
    objs = []
    models_used: dict[str, int] = defaultdict(int)
    budget_end = time.monotonic() + backtest_seconds
    # City-wide series first, then the busiest: the backtest budget goes to the series most read.
    keys = sorted(series, key=lambda k: (k[1] != CITY, -float(series[k][-F.SEASON :].sum())))
    for matter, district in keys:
        y = series[(matter, district)]
        if district is None or not matter:
            continue  # unlocated orders and orders without a matter: counted city-wide only
        # Leading weeks before the first order of the matter anywhere are not zeros of this series.
        city = series[(matter, CITY)]
        start = int(np.argmax(city > 0)) if city.any() else len(city)
        y = y[start:]
        if len(y) == 0:
            continue
        p = F.predict(y, HORIZON)
        points = [
            [
                (week0 + timedelta(weeks=h)).isoformat(),
                round(float(p.mean[h]), 3),
                round(float(p.lower[h]), 3),
                round(float(p.upper[h]), 3),
            ]
            for h in range(HORIZON)
        ]
        mae = naive = mean4 = None
        # The backtest of every city-wide series, and of dense district series while the budget
        # lasts (at a city's volume most district series are dense, and each backtest refits
        # the model at every origin); sparse district series would only add seconds and noise.
        if len(y) >= F.SEASON + 8 and (
            district == CITY or (y[-F.SEASON :].mean() >= F.DENSE and time.monotonic() < budget_end)
        ):
            b = F.backtest(y, origins=backtest_origins)
            if b.points:
                mae, naive, mean4 = b.mae("model"), b.mae("same_week_last_year"), b.mae("last_4_weeks")
        forecasts[(matter, district)] = points
        models_used[p.model] += 1
        objs.append(
            SeriesForecast(
                computed_at=now,
                matter_code=matter,
                district_id=None if district == CITY else district,
                model=p.model,
                history_weeks=len(y),
                recent_mean=float(y[-F.SEASON :].mean()),
                points=points,
                mae=mae,
                naive_mae=naive,
                mean4_mae=mean4,
            )
        )
    expectations = _unit_expectations(now, week0, series, forecasts)
    with transaction.atomic():
        SeriesForecast.objects.all().delete()  # derived, replaced whole
        SeriesForecast.objects.bulk_create(objs, batch_size=2000)
        UnitExpectation.objects.all().delete()
        UnitExpectation.objects.bulk_create(expectations, batch_size=2000)
    return {
        "weekly_counts": weeks_written,
        "series": len(objs),
        "models": dict(models_used),
        "unit_expectations": len(expectations),
        "seconds": round(time.monotonic() - started, 1),
    }


def _unit_expectations(now, week0: date, series: dict, forecasts: dict) -> list[UnitExpectation]:
    from jiesu.orders.models import OrderUnit

    today = timezone.localtime(now, tz()).date()
    this_month = month_bounds(today)
    next_month = month_bounds(today, 1)
    year_ago = _at(week0 - timedelta(weeks=52))
    # The share base: every order of the series over the same last 52 weeks.
    totals = {k: float(y[-52:].sum()) for k, y in series.items()}
    led = (
        OrderUnit.objects.filter(
            role="lead", active=True, order__received_at__gte=year_ago, order__received_at__lt=_at(week0)
        )
        .exclude(order__matter_code="")
        .values_list("unit_id", "order__matter_code", "order__district_id")
        .annotate(n=Count("order_id"))
        .order_by()
    )
    pairs: dict = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])  # expected, lower, upper, rest of this month
    rest = (today, this_month[1])
    for unit_id, matter, district, n in led:
        key = (matter, district) if (matter, district) in forecasts else (matter, CITY)
        points = forecasts.get(key)
        total = totals.get(key, 0.0)
        if not points or not total:
            continue
        share = n / total
        acc = pairs[(unit_id, matter)]
        for i in range(3):
            acc[i] += share * _month_sum(points, *next_month, index=i + 1)
        acc[3] += share * _month_sum(points, *rest)

    def led_in(start: date, end: date) -> dict:
        rows = (
            OrderUnit.objects.filter(
                role="lead", active=True, order__received_at__gte=_at(start), order__received_at__lt=_at(end)
            )
            .values_list("unit_id", "order__matter_code")
            .annotate(n=Count("order_id"))
            .order_by()
        )
        return {(u, m): n for u, m, n in rows}

    so_far = led_in(this_month[0], today + timedelta(days=1))
    last_year = led_in(
        date(next_month[0].year - 1, next_month[0].month, 1), date(next_month[1].year - 1, next_month[1].month, 1)
    )
    out = []
    for (unit_id, matter), (expected, lower, upper, remaining) in pairs.items():
        got = so_far.get((unit_id, matter), 0)
        out.append(
            UnitExpectation(
                computed_at=now,
                unit_id=unit_id,
                matter_code=matter,
                month=next_month[0],
                expected=round(expected, 2),
                lower=round(lower, 2),
                upper=round(upper, 2),
                this_month=round(got + remaining, 2),
                this_month_so_far=got,
                last_year=last_year.get((unit_id, matter), 0),
                season=season_note(matter, next_month, this_month),
            )
        )
    return out


def last_refresh() -> datetime | None:
    row = SeriesForecast.objects.order_by("-computed_at").values_list("computed_at", flat=True).first()
    return row


def total_counts(qs=None) -> int:
    return (qs or WeeklyCount.objects.all()).aggregate(n=Sum("count"))["n"] or 0
