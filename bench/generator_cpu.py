#!/usr/bin/env python
"""Where `jiesu demo`'s history generator spends its CPU: the orders of `--orders N` written by one
process (`workers=1`) into the database of DATABASE_URL, timed in-process, with the machine's busy
CPU over the same run read from /proc/stat. On a quiet machine the difference between the two is
the database server's CPU (PostgreSQL), so the figures say which side a faster generator must cut.

    createdb -h 127.0.0.1 -U postgres jgen
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jgen JIESU_DATA_DIR=/tmp/jgen \\
        .venv/bin/python bench/generator_cpu.py --orders 30000

The database is migrated and given the directory, the rules and the demo users first (as `jiesu
demo` does); a second run appends to the first's orders. Linux only (/proc/stat).
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def busy_seconds() -> float:
    """The machine's CPU seconds spent not idle since boot (all cores)."""
    with open("/proc/stat", encoding="ascii") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def process_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--orders", type=int, default=30000)
    ap.add_argument("--seed", type=int, default=12345)
    args = ap.parse_args()
    if args.orders < 1:
        ap.error("--orders must be at least 1")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from jiesu.catalog.rules import load_default_rules
    from jiesu.demo.orders import generate_orders
    from jiesu.demo.users import create_demo_users
    from jiesu.directory.services import load_directory
    from jiesu.dispatch.runtime import current_engine

    call_command("migrate", interactive=False, verbosity=0)
    load_directory()
    load_default_rules()
    create_demo_users()
    current_engine()  # built before the clock starts, as in a running demo
    machine0, app0, wall0 = busy_seconds(), process_seconds(), time.monotonic()
    report = generate_orders(args.orders, seed=args.seed, workers=1, stdout=io.StringIO())  # its progress lines
    wall, app, machine = time.monotonic() - wall0, process_seconds() - app0, busy_seconds() - machine0
    per = 1000 / args.orders
    print(f"database          {connection.vendor} {connection.settings_dict.get('NAME')}")
    print(f"generated         {report}")
    print(f"orders/s          {args.orders / wall:,.0f} (one process, its writer thread beside it)")
    print(f"app CPU           {app * per:.2f} ms per order ({app:.1f} s)")
    print(f"machine CPU       {machine * per:.2f} ms per order ({machine:.1f} s, every process)")
    print(f"rest (database)   {(machine - app) * per:.2f} ms per order")
    print(f"load average      {os.getloadavg()[0]:.2f} (1 min)")


if __name__ == "__main__":
    main()
