"""Insight over the stored orders: one alert check, and the topics of every stored order.

Reads only (the alert check runs with dry_run: it finds surges and risks and writes nothing),
so it may be pointed at a shared benchmark database:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiesu_perf_1m .venv/bin/python bench/insight.py [--limit N]

Topics are grouped as the console groups them: blocks of one matter in one township.
The clock is the newest stored order's time, so the check sees the last hour of the history.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Max  # noqa: E402

from jiesu.insight import services, topics  # noqa: E402
from jiesu.orders.models import WorkOrder  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0, help="topics over the newest N orders only (0: all)")
    ap.add_argument("--window-days", type=int, default=30)
    a = ap.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    now = WorkOrder.objects.aggregate(m=Max("received_at"))["m"]
    print(f"orders stored: {WorkOrder.objects.count()}, clock at the newest: {now.isoformat()}")

    for run in range(3):
        started = time.perf_counter()
        surges = services.check_surges(now, dry_run=True)
        risks = services.check_risks(now, dry_run=True)
        print(
            f"alert check #{run + 1}: {time.perf_counter() - started:.3f} s "
            f"(surges found {surges.raised}, risk groups found {risks.raised})"
        )

    started = time.perf_counter()
    qs = WorkOrder.objects.order_by("-received_at").values_list(
        "pk", "content", "received_at", "matter_code", "subdistrict_id", "district_id"
    )
    if a.limit:
        qs = qs[: a.limit]
    messages = [
        topics.Message(id=str(pk), text=text, at=at, place=str(s or d or ""), matter=m)
        for pk, text, at, m, s, d in qs.iterator(chunk_size=20000)
    ]
    loaded = time.perf_counter() - started
    found = topics.group(
        messages, topics.Settings(block_by_matter=True, block_by_place=True, window_days=a.window_days)
    )
    total = time.perf_counter() - started
    print(
        f"topics over {len(messages)} orders: {total:.1f} s (reading {loaded:.1f} s), {len(found)} topics, "
        f"largest {found[0].size if found else 0}"
    )


if __name__ == "__main__":
    main()
