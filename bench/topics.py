"""How well `jiesu topics` groups real messages: near-duplicate pairs kept together and the
competition teams' hot issues recovered (R18.1, R24.1).

Data: ../shared/data/hot/ (read in place, never copied). Held-out discipline: parameters were
tuned on the TUNE half only (team jesHrz's five hot issues, near-duplicate groups with an even
group number); the figures that count are those on the REST (the two other teams' ten issues,
the odd near-duplicate groups). Both halves and the whole are printed.

    .venv/bin/python bench/topics.py [--data ../shared/data/hot] [--link 0.35 --core 0.25 --window 90]

`--stored`: instead, the topics of the orders stored in DATABASE_URL, grouped as the console
groups them (blocks of one matter in one township, 30-day window), with the time of each phase,
and the 每月一题 candidates of the newest full month. Reads only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiesu_plan_1m .venv/bin/python bench/topics.py --stored [--limit N]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jiesu.insight import table, topics  # noqa: E402

TUNE_TEAM = "jesHrz"


def near_dup_pairs(path: Path) -> dict[str, list[tuple[str, str]]]:
    groups: dict[str, list[str]] = defaultdict(list)
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["near_dup_group"] not in ("", "-1"):
                groups[row["near_dup_group"]].append(row["id"])
    halves: dict[str, list] = {"tune": [], "rest": []}
    for g, ids in groups.items():
        halves["tune" if int(g) % 2 == 0 else "rest"].extend(itertools.combinations(ids, 2))
    return halves


def silver_issues(path: Path) -> dict[str, dict[str, set[str]]]:
    issues: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            issues[row["team"]][row["cluster"]].add(row["message_id"])
    return issues


def best_f1(issue: set[str], found: list[set[str]]) -> float:
    best = 0.0
    for t in found:
        tp = len(issue & t)
        if tp:
            best = max(best, 2 * tp / (len(issue) + len(t)))
    return best


def stored(limit: int, window_days: int) -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Max
    from django.utils import timezone

    from jiesu.insight import monthly
    from jiesu.orders.models import WorkOrder

    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}, orders stored {WorkOrder.objects.count()}"
    )
    started, cpu0 = time.perf_counter(), time.process_time()
    qs = WorkOrder.objects.order_by("-received_at").values_list(
        "pk", "content", "received_at", "matter_code", "subdistrict_id", "district_id"
    )
    if limit:
        qs = qs[:limit]
    messages = [
        topics.Message(id=str(pk), text=text, at=at, place=str(s or d or ""), matter=m)
        for pk, text, at, m, s, d in qs.iterator(chunk_size=20000)
    ]
    read, read_cpu = time.perf_counter() - started, time.process_time() - cpu0
    t, c = time.perf_counter(), time.process_time()
    topics.vectorise(messages)
    vector, vector_cpu = time.perf_counter() - t, time.process_time() - c
    t, c = time.perf_counter(), time.process_time()
    found = topics.group(messages, topics.Settings(block_by_matter=True, block_by_place=True, window_days=window_days))
    grouped, grouped_cpu = time.perf_counter() - t, time.process_time() - c
    # Wall time on a shared machine says as much about the neighbours as about the code: the
    # process's own CPU time is printed beside it.
    print(
        f"topics over {len(messages)} orders: read {read:.1f} s (cpu {read_cpu:.1f}), group {grouped:.1f} s "
        f"(cpu {grouped_cpu:.1f}; of which vectorising {vector:.1f} s, cpu {vector_cpu:.1f}), total "
        f"{read + grouped:.1f} s (cpu {read_cpu + grouped_cpu:.1f}); {len(found)} topics, "
        f"largest {found[0].size if found else 0}"
    )
    newest = timezone.localtime(WorkOrder.objects.aggregate(m=Max("received_at"))["m"]).date()
    month = monthly.previous_month(newest)
    t = time.perf_counter()
    ranked = monthly.candidates(month)
    print(
        f"每月一题 candidates of {month:%Y-%m}: {time.perf_counter() - t:.2f} s, {len(ranked)} ranked; "
        f"top: {ranked[0].matter if ranked else '-'} score {ranked[0].score if ranked else 0}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stored", action="store_true", help="the orders stored in DATABASE_URL instead of the hot data")
    ap.add_argument("--limit", type=int, default=0, help="--stored: the newest N orders only (0: all)")
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data" / "hot"))
    ap.add_argument("--link", type=float, default=topics.Settings.link)
    ap.add_argument("--core", type=float, default=topics.Settings.core)
    ap.add_argument("--window", type=int, default=topics.Settings.window_days)
    a = ap.parse_args()
    if a.stored:
        stored(a.limit, 30)
        return
    data = Path(a.data)
    messages_csv = data / "messages_with_votes.csv"
    cmd = (
        f"jiesu topics --input {messages_csv} --id-column id --text-column text --title-column title "
        f"--time-column time --place-column location --format jsonl"
    )
    print("command:", cmd)
    started = time.perf_counter()
    messages = table.read_messages(
        messages_csv,
        id_column="id",
        text_column="text",
        title_column="title",
        time_column="time",
        place_column="location",
    )
    settings = topics.Settings(link=a.link, core=a.core, window_days=a.window)
    found = topics.group(messages, settings)
    seconds = time.perf_counter() - started
    topic_of = {mid: t.id for t in found for mid in t.ids}
    print(
        f"messages {len(messages)}, topics {len(found)} (>= 2 messages), largest {found[0].size if found else 0}, "
        f"{seconds:.1f} s; settings link={a.link} core={a.core} window={a.window} days"
    )

    pairs = near_dup_pairs(messages_csv)
    for name in ("tune", "rest"):
        p = pairs[name]
        together = sum(1 for x, y in p if x in topic_of and topic_of.get(x) == topic_of.get(y))
        print(f"near-duplicate pairs in one topic [{name}]: {together}/{len(p)} = {together / max(1, len(p)):.1%}")
    allp = pairs["tune"] + pairs["rest"]
    together = sum(1 for x, y in allp if x in topic_of and topic_of.get(x) == topic_of.get(y))
    print(f"near-duplicate pairs in one topic [all]: {together}/{len(allp)} = {together / max(1, len(allp)):.1%}")

    sets = [set(t.ids) for t in found]
    issues = silver_issues(data / "silver_hot_clusters.csv")
    scores = {}
    for team, clusters in sorted(issues.items()):
        for cluster, ids in sorted(clusters.items()):
            scores[(team, cluster)] = best_f1(ids, sets)
            print(f"  {cluster:<18} {len(ids):>3} messages  best-match F1 {scores[(team, cluster)]:.2f}")
    tune = [v for (team, _), v in scores.items() if team == TUNE_TEAM]
    rest = [v for (team, _), v in scores.items() if team != TUNE_TEAM]
    print(f"hot issues median best-match F1 [tune: {TUNE_TEAM}]: {statistics.median(tune):.2f}")
    print(f"hot issues median best-match F1 [rest: other teams]: {statistics.median(rest):.2f}")
    print(f"hot issues median best-match F1 [all]: {statistics.median(scores.values()):.2f}")


if __name__ == "__main__":
    main()
