"""How well `jiesu topics` groups real messages: near-duplicate pairs kept together and the
competition teams' hot issues recovered (R18.1, R24.1).

Data: ../shared/data/hot/ (read in place, never copied). Held-out discipline: parameters were
tuned on the TUNE half only (team jesHrz's five hot issues, near-duplicate groups with an even
group number); the figures that count are those on the REST (the two other teams' ten issues,
the odd near-duplicate groups). Both halves and the whole are printed.

    .venv/bin/python bench/topics.py [--data ../shared/data/hot] [--link 0.35 --core 0.25 --window 90]

The hot-issue messages are grouped twice: all at once (`topics.group`, as `jiesu topics` does)
and incrementally, `--step-days` at a time onto the topics before them (`topics.extend`, as the
stored orders are grouped); both are scored.

`--stored`: instead, the stored orders' topics as the platform keeps them
(insight.stored_topics): the one-off first grouping of all but the newest day, a catch-up run
of one day's orders, a scheduled run of the last ten minutes', the newest 30 days' topics read
back city-wide, and the 每月一题 candidates of the newest full month; wall and CPU time and the
load average of each. Writes only the derived OrderTopic rows; `--regroup-days 1` removes the
newest day's first so the runs can be measured again.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiesu_insight_1m .venv/bin/python bench/topics.py --stored [--regroup-days 1] [--batch]
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


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(mark: tuple[float, float]) -> str:
    import os

    wall, cpu = time.perf_counter() - mark[0], time.process_time() - mark[1]
    return f"{wall:.1f} s wall, {cpu:.1f} s cpu (load {os.getloadavg()[0]:.1f})"


def stored(regroup_days: float, batch: bool) -> None:
    """The stored orders' topics as the platform keeps them: each order grouped once as it
    arrives (insight.stored_topics). First run: everything but the newest `regroup_days`
    (one-off, as on the day the feature is switched on); then the newest day as one catch-up
    run, the newest ten minutes as one scheduled run, and the topics of the newest 30 days
    read back city-wide. `regroup_days`: the newest days' groupings are removed first so that
    the steady-state runs can be measured again on the bench's own database."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
    import django

    django.setup()
    from datetime import timedelta

    from django.db import connection
    from django.db.models import Max

    from jiesu.insight import monthly, stored_topics
    from jiesu.insight.models import OrderTopic
    from jiesu.orders.models import WorkOrder

    total = WorkOrder.objects.count()
    newest = WorkOrder.objects.aggregate(m=Max("received_at"))["m"]
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}, orders stored {total}, newest {newest}")
    if regroup_days:
        gone = OrderTopic.objects.filter(order__received_at__gt=newest - timedelta(days=regroup_days)).delete()[0]
        print(f"removed the groupings of the newest {regroup_days:g} days: {gone}")

    def upto(at) -> int:
        return WorkOrder.objects.filter(received_at__lte=at).aggregate(m=Max("pk"))["m"] or 0

    day_cut, minutes_cut = upto(newest - timedelta(days=1)), upto(newest - timedelta(minutes=10))
    mark = _clock()
    first = stored_topics.group_new_orders(up_to_pk=day_cut)
    print(f"first grouping, all but the newest day (one-off): {first}; {_since(mark)}")
    mark = _clock()
    day = stored_topics.group_new_orders(up_to_pk=minutes_cut)
    print(f"catch-up run, one day's new orders: {day}, {day.context} earlier orders compared; {_since(mark)}")
    mark = _clock()
    run = stored_topics.group_new_orders()
    print(f"scheduled run, the last ten minutes' orders: {run}, {run.context} earlier orders compared; {_since(mark)}")

    mark = _clock()
    month = WorkOrder.objects.filter(received_at__gt=newest - timedelta(days=30))
    ranked = stored_topics.ranked_topics(month)
    count, top = ranked.count(), list(ranked[:20])
    print(
        f"topics of the newest 30 days read back city-wide (as /insight/topics/: the true count and the "
        f"first page of 20): {count} topics of 2 or more, largest {top[0]['n'] if top else 0}; {_since(mark)}"
    )
    grouped = OrderTopic.objects.count()
    print(f"orders grouped: {grouped} of {total}; topics of 2 or more over the whole history: ", end="")
    mark = _clock()
    from django.db.models import Count

    print(OrderTopic.objects.values("topic").annotate(n=Count("pk")).filter(n__gte=2).count(), f"({_since(mark)})")

    if batch:
        # The former way, for comparison: every stored order grouped at once by `topics.group`.
        mark = _clock()
        messages = [
            topics.Message(id=str(pk), text=text, at=at, place=str(s or d or ""), matter=m)
            for pk, text, at, m, s, d in WorkOrder.objects.values_list(
                "pk", "content", "received_at", "matter_code", "subdistrict_id", "district_id"
            ).iterator(chunk_size=20000)
        ]
        found = topics.group(messages, stored_topics.SETTINGS)
        print(f"all at once (topics.group over {len(messages)} orders): {len(found)} topics; {_since(mark)}")

    month_start = monthly.previous_month(newest.date())
    mark = _clock()
    ranked = monthly.candidates(month_start)
    print(
        f"每月一题 candidates of {month_start:%Y-%m}: {len(ranked)} ranked, top "
        f"{ranked[0].matter if ranked else '-'}; {_since(mark)}"
    )


def incremental(messages, settings, step_days: int) -> list[set[str]]:
    """The hot-issue messages grouped as the stored orders are: in time order, `step_days` at a
    time, each step joined onto the topics of the window before it (topics.extend)."""
    from datetime import timedelta

    ordered = sorted((m for m in messages if m.at is not None), key=lambda m: m.at)
    known: dict[str, str] = {}
    i = 0
    while i < len(ordered):
        j = i
        while j < len(ordered) and ordered[j].at < ordered[i].at + timedelta(days=step_days):
            j += 1
        lo = ordered[i].at - timedelta(days=settings.window_days)
        context = [m for m in ordered[:i] if m.at >= lo]
        ext = topics.extend(ordered[i:j], context, known, settings)
        if ext.merged:
            known = {k: ext.merged.get(v, v) for k, v in known.items()}
        known.update(ext.topic_of)
        i = j
    members: dict[str, set[str]] = defaultdict(set)
    for mid, topic in known.items():
        members[topic].add(mid)
    return sorted((g for g in members.values() if len(g) >= settings.min_size), key=len, reverse=True)


def report(found: list[set[str]], data: Path, messages_csv: Path) -> None:
    topic_of = {mid: n for n, ids in enumerate(found) for mid in ids}
    pairs = near_dup_pairs(messages_csv)
    for name in ("tune", "rest"):
        p = pairs[name]
        together = sum(1 for x, y in p if x in topic_of and topic_of.get(x) == topic_of.get(y))
        print(f"near-duplicate pairs in one topic [{name}]: {together}/{len(p)} = {together / max(1, len(p)):.1%}")
    allp = pairs["tune"] + pairs["rest"]
    together = sum(1 for x, y in allp if x in topic_of and topic_of.get(x) == topic_of.get(y))
    print(f"near-duplicate pairs in one topic [all]: {together}/{len(allp)} = {together / max(1, len(allp)):.1%}")
    issues = silver_issues(data / "silver_hot_clusters.csv")
    scores = {}
    for team, clusters in sorted(issues.items()):
        for cluster, ids in sorted(clusters.items()):
            scores[(team, cluster)] = best_f1(ids, found)
            print(f"  {cluster:<18} {len(ids):>3} messages  best-match F1 {scores[(team, cluster)]:.2f}")
    tune = [v for (team, _), v in scores.items() if team == TUNE_TEAM]
    rest = [v for (team, _), v in scores.items() if team != TUNE_TEAM]
    print(f"hot issues median best-match F1 [tune: {TUNE_TEAM}]: {statistics.median(tune):.2f}")
    print(f"hot issues median best-match F1 [rest: other teams]: {statistics.median(rest):.2f}")
    print(f"hot issues median best-match F1 [all]: {statistics.median(scores.values()):.2f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stored", action="store_true", help="the orders stored in DATABASE_URL instead of the hot data")
    ap.add_argument("--regroup-days", type=float, default=0, help="--stored: first remove the newest N days' groupings")
    ap.add_argument("--batch", action="store_true", help="--stored: also group every stored order at once (slow)")
    ap.add_argument("--data", default=str(_default_data()))
    ap.add_argument("--link", type=float, default=topics.Settings.link)
    ap.add_argument("--core", type=float, default=topics.Settings.core)
    ap.add_argument("--window", type=int, default=topics.Settings.window_days)
    ap.add_argument("--step-days", type=int, default=30, help="incremental grouping: days of messages per run")
    a = ap.parse_args()
    if a.stored:
        stored(a.regroup_days, a.batch)
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
    print(
        f"messages {len(messages)}, topics {len(found)} (>= 2 messages), largest {found[0].size if found else 0}, "
        f"{seconds:.1f} s; settings link={a.link} core={a.core} window={a.window} days"
    )
    report([set(t.ids) for t in found], data, messages_csv)

    print(f"\nincremental, as the stored orders are grouped ({a.step_days} days of messages a run):")
    started = time.perf_counter()
    grown = incremental(messages, settings, a.step_days)
    print(
        f"topics {len(grown)} (>= 2 messages), largest {len(grown[0]) if grown else 0}, "
        f"{time.perf_counter() - started:.1f} s"
    )
    report(grown, data, messages_csv)


def _default_data() -> Path:
    """../shared/data/hot beside the checkout (a worktree sits one level deeper)."""
    here = Path(__file__).resolve().parent.parent
    for root in (here.parent, here.parent.parent):
        if (root / "shared" / "data" / "hot").is_dir():
            return root / "shared" / "data" / "hot"
    return here.parent / "shared" / "data" / "hot"


if __name__ == "__main__":
    main()
