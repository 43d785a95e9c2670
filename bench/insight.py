"""Insight over the stored orders: one alert check, the console's topics page (/insight/topics/,
read from the grouping stored as orders arrive) rendered for the centre, a district, a township
and a department over 7, 30 and 90 days and with a search, and the 每月一题 candidates
(bench/topics.py --stored times the grouping itself).

Reads only (the alert check runs with dry_run: it finds surges and risks and writes nothing; the
pages are rendered for users held in memory, with no session), so it may be pointed at a shared
benchmark database:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiesu_insight_1m .venv/bin/python bench/insight.py

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
import time_machine  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from jiesu.core import roles  # noqa: E402
from jiesu.directory.models import Unit, User  # noqa: E402
from jiesu.insight import monthly, services, topic_views  # noqa: E402
from jiesu.orders.models import WorkOrder  # noqa: E402


def viewers() -> list[tuple[str, User]]:
    """Who reads topics, one of each scope: users in memory (nothing written)."""
    found = [("centre (analyst)", User(username="bench-analyst", role=roles.ANALYST))]
    for label, kind, where in (
        ("district 朝阳区", "district_gov", {"district__name": "朝阳区"}),
        ("township 望京街道", "subdistrict_office", {"territory__name": "望京街道", "district__name": "朝阳区"}),
        ("department 市人社局", "city_department", {"code": "city-hr_social_security"}),
    ):
        unit = Unit.objects.filter(kind=kind, **where).order_by("pk").first()
        if unit is not None:
            found.append((label, User(username=f"bench-{kind}", role=roles.UNIT_ADMIN, unit=unit)))
    return found


def render_topics(user: User, **params) -> tuple[str, float, float]:
    request = RequestFactory().get("/insight/topics/", params)
    request.user = user
    started, cpu = time.perf_counter(), time.process_time()
    response = topic_views.topic_list(request)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    text = response.content.decode()
    total = text.split('id="total">', 1)[1].split("</p>", 1)[0] if 'id="total">' in text else "?"
    return total, wall, cpu


def main() -> None:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
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

    # The page's clock is the newest order's, as the alert check's.
    with time_machine.travel(now, tick=True):
        for label, user in viewers():
            for days in (7, 30, 90):
                total, wall, cpu = render_topics(user, days=days)
                print(f"topics page, {label}, {days} days: {total}; {wall:.2f} s wall, {cpu:.2f} s cpu")
        analyst = viewers()[0][1]
        for q in ("停水", "朝阳", "噪音扰民"):
            total, wall, cpu = render_topics(analyst, days=30, q=q)
            print(f"topics page, centre, 30 days, search {q}: {total}; {wall:.2f} s wall, {cpu:.2f} s cpu")
        total, wall, cpu = render_topics(analyst, days=90, page=50)
        print(f"topics page, centre, 90 days, page 50: {total}; {wall:.2f} s wall, {cpu:.2f} s cpu")

    month = monthly.previous_month(now.date())
    started, cpu = time.perf_counter(), time.process_time()
    ranked = monthly.candidates(month)
    print(
        f"每月一题 candidates of {month:%Y-%m}: {len(ranked)} ranked; "
        f"{time.perf_counter() - started:.2f} s wall, {time.process_time() - cpu:.2f} s cpu"
    )
    print(f"load average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
