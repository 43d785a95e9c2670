#!/usr/bin/env python
"""How fast the demo generator fills a store (issue 17 item 4: 10M orders in under an hour).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/DB JIESU_DATA_DIR=DIR \\
        .venv/bin/python bench/demo_load.py --orders 100000 [--workers N] [--rounds 2]

On a prepared database (`jiesu migrate`, `jiesu load-directory`, `jiesu load-rules`; the demo
users are made here if missing), writes --orders orders of the last year per round with
`jiesu.demo.orders.generate_orders`, as `jiesu demo` does before it brings today to life, and
prints per round: orders/s, events/s, and the CPU each order cost, split into the generator's
processes (this one and its forks, from getrusage) and the rest of the machine (the database
server, from /proc/stat less the generator's). Rounds append: the store grows as they go.
"""

from __future__ import annotations

import argparse
import inspect
import io
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")


def busy_seconds() -> float:
    """CPU seconds the whole machine spent (user, nice, system, irq, softirq) since boot."""
    with open("/proc/stat") as stat:
        fields = stat.readline().split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq = (int(v) for v in fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def own_seconds() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--orders", type=int, default=100_000, help="orders written per round")
    ap.add_argument("--workers", type=int, default=0, help="writer processes (0: one per core)")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--seed", type=int, default=12345)
    args = ap.parse_args()

    import django

    django.setup()

    from django.db import connection

    from jiesu.demo.orders import generate_orders
    from jiesu.demo.users import create_demo_users
    from jiesu.orders.models import OrderEvent, WorkOrder

    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only (SQLite writes in one process): set DATABASE_URL")
    create_demo_users()
    cores = len(os.sched_getaffinity(0))
    workers = args.workers or cores
    print(
        f"database {connection.settings_dict['NAME']}  stored orders {WorkOrder.objects.count():,}  "
        f"workers {workers}  cores {cores}  load {os.getloadavg()[0]:.2f}"
    )
    # A checkout from before the generator had processes writes in one (for before/after figures).
    options = {"workers": workers} if "workers" in inspect.signature(generate_orders).parameters else {}
    for round_no in range(1, args.rounds + 1):
        events_before = OrderEvent.objects.count()
        machine, mine, started = busy_seconds(), own_seconds(), time.monotonic()
        report = generate_orders(args.orders, seed=args.seed + round_no, stdout=io.StringIO(), **options)
        wall = time.monotonic() - started
        machine, mine = busy_seconds() - machine, own_seconds() - mine
        events = OrderEvent.objects.count() - events_before
        print(
            f"round {round_no}: {args.orders:,} orders, {events:,} events in {wall:.1f} s: "
            f"{args.orders / wall:,.0f} orders/s, {events / wall:,.0f} events/s; CPU per order "
            f"{1000 * machine / args.orders:.2f} ms ({1000 * mine / args.orders:.2f} generator, "
            f"{1000 * (machine - mine) / args.orders:.2f} server and the rest); "
            f"stored {WorkOrder.objects.count():,}"
        )
        print(f"  {report}")


if __name__ == "__main__":
    main()
