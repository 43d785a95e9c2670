"""The city-wide overdue figures of the supervisor's and dispatcher's start page and board, at scale.

    DATABASE_URL=postgres://... .venv/bin/python manage.py demo --orders 200000   # once
    DATABASE_URL=postgres://... .venv/bin/python bench/overdue.py [--explain]

Prints the figures and the milliseconds (best of 5) of: the start page's open-part counts
(cockpit.parts, city-wide), the board's overdue count and its first page; with --explain, the
plans PostgreSQL chose for them (EXPLAIN ANALYZE).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from jiesu.core import cockpit, worklists  # noqa: E402
from jiesu.handling import selectors as handling  # noqa: E402
from jiesu.orders.models import OrderUnit, WorkOrder  # noqa: E402


def best(fn, runs: int = 5):
    result, fastest = None, None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        elapsed = (time.perf_counter() - start) * 1000
        fastest = elapsed if fastest is None else min(fastest, elapsed)
    return result, fastest


def explain(fn) -> str:
    """The plan of the last query `fn` runs, as Django sent it."""
    with CaptureQueriesContext(connection) as queries:
        fn()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + queries.captured_queries[-1]["sql"])
        return "\n".join(f"    {row[0]}" for row in cursor.fetchall())


def main() -> None:
    now = timezone.now()
    print(f"database: {connection.vendor}, orders {WorkOrder.objects.count():,}, parts {OrderUnit.objects.count():,}")
    figures, ms = best(lambda: cockpit.parts(now))
    print(f"start page parts (city)          {figures}  {ms:8.1f} ms")
    overdue = handling.overdue_parts(now)
    count, ms = best(overdue.count)
    print(f"board overdue count              {count:>9,}  {ms:8.1f} ms")
    _, ms = best(lambda: list(overdue[: worklists.PER_PAGE]))
    print(f"board overdue page 1             {worklists.PER_PAGE:>9}  {ms:8.1f} ms")
    if "--explain" in sys.argv and connection.vendor == "postgresql":
        print("plan, start page parts (city):")
        print(explain(lambda: cockpit.parts(now)))
        print("plan, board overdue count:")
        print(explain(overdue.count))
        print("plan, board overdue page 1:")
        print(explain(lambda: list(overdue[: worklists.PER_PAGE])))


if __name__ == "__main__":
    main()
