#!/usr/bin/env python
"""What the monthly partitions of the order events cost and save on reads (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/DB JIESU_DATA_DIR=DIR \\
        .venv/bin/python bench/partitions.py [--orders 400] [--rounds 3]

On a kept database (e.g. one `jiesu demo` filled), in one connection as a worker has it, times:
- one order's events as every screen of an order reads them, through `order.events` (all
  partitions) and through `order.history()` (from the order's month on), for --orders orders
  picked at random across the stored years;
- a month's events as the assessment reads them (the events of the month's orders, with and
  without the month's bound on `at`).
Prints ms per read (median of --rounds) and the partitions the planner kept, from EXPLAIN.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--orders", type=int, default=400)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seed", type=int, default=17)
    args = ap.parse_args()

    import django

    django.setup()

    from django.db import connection
    from django.utils import timezone

    from jiesu.assessment.services import previous_month
    from jiesu.orders import partitions
    from jiesu.orders.models import OrderEvent, WorkOrder

    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only: set DATABASE_URL")
    listed = partitions.partitions("orders_orderevent")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM orders_workorder")
        stored_orders = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM orders_orderevent")
        stored_events = cursor.fetchone()[0]
    print(f"database          {connection.settings_dict['NAME']}  orders {stored_orders:,}  events {stored_events:,}")
    print(f"partitions        {len(listed)} (partitioned: {partitions.is_partitioned('orders_orderevent')})")

    from datetime import timedelta

    rng = random.Random(args.seed)

    def pick(qs) -> list:
        ids = list(qs.values_list("pk", flat=True))
        chosen = rng.sample(ids, min(args.orders, len(ids)))
        return list(WorkOrder.objects.filter(pk__in=chosen).only("pk", "received_at", "number"))

    samples = {
        "any year": pick(WorkOrder.objects.all()),
        "last 30 days": pick(WorkOrder.objects.filter(received_at__gte=timezone.now() - timedelta(days=30))),
    }

    def read_all(order):
        return list(order.events.values_list("id", "action"))

    def read_history(order):
        return list(order.history().values_list("id", "action"))

    def timed(fn, orders) -> float:
        runs = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            for order in orders:
                fn(order)
            runs.append((time.perf_counter() - started) * 1000 / len(orders))
        return statistics.median(runs)

    for label, orders in samples.items():
        for order in orders[:20]:  # the same rows either way
            assert read_all(order) == read_history(order), order.number
        for name, fn in (("order.events", read_all), ("order.history()", read_history)):
            print(
                f"one order's events  {label:<13} {name:<16} {timed(fn, orders):6.3f} ms per read "
                f"({len(orders)} orders, median of {args.rounds})"
            )
    orders = samples["last 30 days"]

    def scanned(qs) -> int:
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        return sum(1 for p in listed if f" {p.name} " in plan or f" {p.name}\n" in plan or plan.endswith(p.name))

    sample = orders[0]
    print(
        f"partitions planned  order.events {scanned(sample.events.all())}, "
        f"order.history() {scanned(sample.history())} (order of {timezone.localtime(sample.received_at):%Y-%m})"
    )

    this_month = timezone.localdate().replace(day=1)
    first = partitions.month_start(previous_month(this_month))
    last = partitions.month_start(this_month)
    month_orders = WorkOrder.objects.filter(received_at__gte=first, received_at__lt=last)
    plain = OrderEvent.objects.filter(order__in=month_orders, action__in=("dispatched", "replied"))
    bounded = plain.filter(at__gte=first)
    for name, qs in (("by the orders", plain), ("and from the month", bounded)):
        runs = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            n = sum(1 for _ in qs.values_list("order_id", "at", "action").iterator(chunk_size=5000))
            runs.append((time.perf_counter() - started) * 1000)
        print(
            f"a month's events    {name:<19} {statistics.median(runs):8.1f} ms  ({n:,} events of {first:%Y-%m}, "
            f"{scanned(qs)} partitions planned)"
        )


if __name__ == "__main__":
    main()
