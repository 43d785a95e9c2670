"""The monthly report's topics over a month of orders: how long the grouping takes when a month
is first reported (or regrouped), and how long the report then takes to read them back.

It writes orders, so it runs only on a database of its own: by default a fresh SQLite file in a
temporary folder, migrated here; or DATABASE_URL pointing at an empty throwaway database.
The month's texts are the real messages in ../shared/data/hot/ (read in place, never copied),
repeated over Beijing's townships and communities and a few dozen matters until there are
--orders of them, spread over November 2026.

    .venv/bin/python bench/report_topics.py [--orders 50000] [--data ../shared/data/hot]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orders", type=int, default=50000)
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "data" / "hot"))
    a = ap.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ["JIESU_DATA_DIR"] = tempfile.mkdtemp(prefix="jiesu-bench-topics-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
    for command in (["migrate", "--noinput"], ["load-directory"], ["load-rules"]):
        subprocess.run(
            [str(Path(sys.executable).parent / "jiesu"), *command],
            check=True,
            capture_output=True,
            env=os.environ,
            cwd=REPO,
        )

    import django

    django.setup()
    from django.db import connection

    from jiesu.catalog.models import Matter
    from jiesu.directory.models import Place
    from jiesu.orders.models import WorkOrder
    from jiesu.public import selectors, services

    if WorkOrder.objects.exists():
        sys.exit("the database holds orders already: point DATABASE_URL at an empty throwaway database")
    with open(Path(a.data) / "messages_with_votes.csv", encoding="utf-8") as fh:
        texts = [f"{r['title']}。{r['text']}" for r in csv.DictReader(fh) if r["text"]]
    rng = random.Random(7)
    communities = list(
        Place.objects.filter(level="community", parent__isnull=False).select_related("parent", "district")
    )
    matters = list(Matter.objects.values_list("code", flat=True)[:60])
    month = date(2026, 11, 1)
    tz = ZoneInfo("Asia/Shanghai")
    start = datetime(2026, 11, 1, tzinfo=tz)
    # Texts keep their neighbourhood: each message always lands in the same community and matter,
    # as repeated reports of one problem do.
    homes = [(rng.choice(communities), rng.choice(matters)) for _ in texts]
    batch, made = [], 0
    started = time.perf_counter()
    for i in range(a.orders):
        k = rng.randrange(len(texts))
        place, matter = homes[k]
        batch.append(
            WorkOrder(
                number=f"B{i:08d}",
                received_at=start + timedelta(seconds=rng.randrange(30 * 86400)),
                channel="phone",
                kind="complaint",
                content=texts[k],
                matter_code=matter,
                district=place.district,
                subdistrict=place.parent,
                community=place,
                status="closed",
            )
        )
        if len(batch) == 5000:
            WorkOrder.objects.bulk_create(batch)
            made += len(batch)
            batch = []
    WorkOrder.objects.bulk_create(batch)
    print(
        f"database: {connection.vendor}; {a.orders} orders of {month:%Y-%m} written in {time.perf_counter() - started:.1f} s "
        f"({len(texts)} distinct texts over {len({h[0].pk for h in homes})} communities)"
    )

    bounds = selectors.month_bounds(month)
    started = time.perf_counter()
    kept = services.compute_month_topics(month, *bounds)
    print(
        f"grouping the month (first report, or regrouping): {time.perf_counter() - started:.1f} s; "
        f"{kept.analysed} orders analysed, {len(kept.topics)} topics kept, sizes {[t['size'] for t in kept.topics]}"
    )
    for run in range(3):
        started = time.perf_counter()
        report = selectors.monthly_report(month)
        print(
            f"monthly report read #{run + 1} (topics kept): {time.perf_counter() - started:.2f} s, "
            f"{report['total']} orders"
        )


if __name__ == "__main__":
    main()
