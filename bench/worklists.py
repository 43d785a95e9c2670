"""Work lists at scale: the count and the first two pages of every list, as the views query them.

    DATABASE_URL=postgres://... .venv/bin/jiesu demo --orders 1000000   # once
    DATABASE_URL=postgres://... .venv/bin/python bench/worklists.py

Prints, per list, the true count and the milliseconds of count + page 1 + page 2 (best of 3).
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

from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402

from jiesu.core import worklists  # noqa: E402
from jiesu.directory.models import User  # noqa: E402
from jiesu.dispatch import selectors as dispatch  # noqa: E402
from jiesu.followup import selectors as followup  # noqa: E402
from jiesu.handling import selectors as handling  # noqa: E402


def timed(qs) -> tuple[int, float]:
    best = None
    for _ in range(3):
        start = time.perf_counter()
        paginator = Paginator(qs, worklists.PER_PAGE)
        count = paginator.count
        list(paginator.get_page(1))
        list(paginator.get_page(2))
        elapsed = (time.perf_counter() - start) * 1000
        best = elapsed if best is None else min(best, elapsed)
    return count, best


def main() -> None:
    handler = User.objects.filter(username="handler").first()
    f = worklists.Filters()
    lists = {
        "review queue": dispatch.review_queue(),
        "workbench (handler)": handling.workbench_parts(handler) if handler else None,
        "workbench, overdue": worklists.apply(
            handling.workbench_parts(handler), worklists.Filters(left="overdue"), due="due_at"
        )
        if handler
        else None,
        "supervision, overdue": handling.overdue_parts(),
        "supervision, overdue, unit 望京": worklists.apply(
            handling.overdue_parts(), worklists.Filters(unit="望京"), due="due_at", unit="unit__"
        ),
        "visit queue, replied": followup.queue()["pending"],
        "visit queue, at limit": followup.queue()["at_limit"],
        "workbench, search 油烟": worklists.apply(
            handling.workbench_parts(handler), worklists.Filters(q="油烟"), due="due_at"
        )
        if handler
        else None,
    }
    print(f"database: {connection.vendor}")
    for name, qs in lists.items():
        if qs is None:
            continue
        count, ms = timed(qs)
        print(f"{name:<34} count {count:>9,}  count+2 pages {ms:8.1f} ms")
    del f


if __name__ == "__main__":
    main()
