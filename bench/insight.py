"""Insight over the stored orders: one alert check, and the topics of the newest 30 days read
from the grouping stored as orders arrive (bench/topics.py --stored times the grouping itself).

Reads only (the alert check runs with dry_run: it finds surges and risks and writes nothing),
so it may be pointed at a shared benchmark database:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiesu_insight_1m .venv/bin/python bench/insight.py

The clock is the newest stored order's time, so the check sees the last hour of the history.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Max  # noqa: E402

from jiesu.insight import services, stored_topics  # noqa: E402
from jiesu.orders.models import WorkOrder  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--window-days", type=int, default=30)
    a = ap.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    now = WorkOrder.objects.aggregate(m=Max("received_at"))["m"]
    print(f"orders stored: {WorkOrder.objects.count()}, clock at the newest: {now.isoformat()}")

    for run in range(3):
        started, cpu = time.perf_counter(), time.process_time()
        surges = services.check_surges(now, dry_run=True)
        risks = services.check_risks(now, dry_run=True)
        print(
            f"alert check #{run + 1}: {time.perf_counter() - started:.3f} s wall, {time.process_time() - cpu:.3f} s cpu "
            f"(surges found {surges.raised}, risk groups found {risks.raised}; load {os.getloadavg()[0]:.1f})"
        )

    started, cpu = time.perf_counter(), time.process_time()
    found = stored_topics.stored_topics(WorkOrder.objects.filter(received_at__gt=now - timedelta(days=a.window_days)))
    print(
        f"topics of the newest {a.window_days} days (stored grouping): {len(found)} topics, largest "
        f"{found[0].size if found else 0}; {time.perf_counter() - started:.1f} s wall, "
        f"{time.process_time() - cpu:.1f} s cpu (load {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
