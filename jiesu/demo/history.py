"""Older demo history and the insight demo content, for `jiesu demo`.

The recent year (jiesu.demo.orders, then jiesu.demo.live) is what the work lists, visits and
assessments run on. Seasonal foresight (R25.1) needs more: a yearly season is learnt from two
winters and two rainy summers at least. The years before come in bulk through the same generator
(the matters' monthly seasons of jiesu.demo.texts: heating from November to March, water logging
and leaks in July and August), nearly all handled and closed long ago, at a slightly lower volume, as a
hotline's volume grows from year to year.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.utils import timezone

OLDER_YEARS = 2
OLDER_VOLUME = 0.85  # each older year's orders against the recent year's


def add_older_history(
    recent_orders: int, *, seed: int = 12345, stdout=None, years: int = OLDER_YEARS, workers: int | None = None
) -> str:
    from .orders import generate_orders

    n = int(recent_orders * OLDER_VOLUME * years)
    end = timezone.localdate() - timedelta(days=365)
    return generate_orders(n, seed=seed, stdout=stdout, end=end, days=365 * years, older=True, workers=workers)


def add_insight_demo(stdout) -> None:
    """A surge and a risk alert (jiesu.insight.demo), then the weekly counts and forecasts."""
    from jiesu.directory.models import User
    from jiesu.insight import forecasting
    from jiesu.insight.demo import add_alert_demo

    call_taker = User.objects.filter(username="calltaker").first()
    if call_taker is not None:
        started = time.monotonic()
        result = add_alert_demo(call_taker)
        stdout.write(f"alerts: {result} in {time.monotonic() - started:.1f}s\n")
    stdout.write(f"forecasts: {forecasting.refresh()}\n")
