#!/usr/bin/env python
"""Order-list search: how long the console's 工单 page takes to answer a content search.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiesu_bench .venv/bin/python bench/search.py

Runs against an existing database with demo users (`jiesu demo --orders N`, e.g. the one
`bench/intake.py --db postgres --preload 1000000 --keep` leaves behind). For each query and
each of three users (the demo dispatcher, who sees every order; the demo handler of 望京街道,
who sees only his unit's; and a handler of the unit with the most orders, a district government,
whom the bench adds to the database as `bench-largest-unit`), it renders /orders/?q=... in-process through Django's test client,
--repeat times, and prints the median and the worst time per page with the number of hits.
Pages go through the whole view: the search, the paginator's count and the page of 30.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Common two-character words first (the hardest case for trigram indexes), then longer and rarer.
QUERIES = [
    "",
    "物业",
    "噪音",
    "停车",
    "漏水",
    "供暖",
    "烧烤店",
    "电动自行车",
    "学区划分",
    "麻将馆扰民",
    "无此内容的查询",
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--query", action="append", help="search for this instead of the built-in list (repeatable)")
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
    os.environ.setdefault("JIESU_LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # response.context, for the hit count

    from jiesu.directory.models import User
    from jiesu.orders.models import WorkOrder

    total = WorkOrder.objects.count()
    print(f"bench/search.py  db={connection.vendor}  orders={total:,}  repeat={args.repeat}")
    from django.db.models import Count

    from jiesu.core import roles
    from jiesu.orders.models import OrderUnit

    largest = OrderUnit.objects.values("unit_id").annotate(n=Count("id")).order_by("-n").first()
    if largest:
        User.objects.update_or_create(
            username="bench-largest-unit",
            defaults={"role": roles.UNIT_HANDLER, "unit_id": largest["unit_id"], "is_active": True},
        )
    # The centre, a subdistrict's handler, the unit with the most parts, and 朝阳区's government
    # overseeing its district (located there or handled by any of its units).
    for username in ("dispatcher", "handler", "bench-largest-unit", "district"):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise SystemExit(f"no demo user {username!r} in this database: run `jiesu demo` first")
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        print(f"\nuser {username} ({user.role}{', ' + user.unit.name if user.unit_id else ''})")
        print(f"{'query':<14}{'hits':>10}{'p50 ms':>10}{'max ms':>10}")
        for query in args.query or QUERIES:
            times = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                response = client.get("/orders/", {"q": query})
                times.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200, response.status_code
            page = response.context["page"]
            hits = page.paginator.count
            shown = f"{hits:,}" + ("+" if getattr(page.paginator, "capped", False) else "")
            print(f"{query or '(no query)':<14}{shown:>10}{statistics.median(times):>10.1f}{max(times):>10.1f}")


if __name__ == "__main__":
    main()
