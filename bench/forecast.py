"""Backtest of the weekly order forecasts (R25.1): jiesu.insight.forecast against two naive
forecasts, the same week a year before and the mean of the last four weeks.

Three sets of series:
1. synthetic heating-season series (Poisson counts, a 3-fold winter peak) at three levels;
2. real messages: ../shared/data/hot/messages_with_votes.csv and
   ../shared/data/replies/messages_with_replies.csv (read in place, never copied), 2017-06 to
   2020-01, counted per week, in total and per class. The files carry no class, so each message
   gets one of the seven first-level classes from a TF-IDF + linear SVM trained on
   ../shared/data/messages/train.csv (the README's plain reference model);
3. with --database, the weekly counts stored by `jiesu forecast` (per matter, per matter and
   district), e.g. after `jiesu demo`.

Rolling origin: every 4 weeks over the last year, fit on what came before, forecast 4 weeks.
Errors summed over all series: MAE per series-week and WAPE (absolute error / actual orders; MAPE
breaks on zero weeks). "rel" is the model's error over the same-week-last-year error.
Prints figures, asserts nothing.

    .venv/bin/python bench/forecast.py [--data ../shared/data] [--database]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from jiesu.insight import forecast as F


def show(name: str, b: F.Backtest, series: int, seconds: float) -> None:
    if not b.points:
        print(f"{name:<34} series {series:>4}  too short for a backtest (a year and 8 weeks needed)")
        return
    models = ", ".join(f"{k} {v}" for k, v in sorted(b.models_used.items()))
    print(f"{name:<34} series {series:>4}  weeks scored {b.points:>5}  orders {b.actual:>8.0f}")
    for method in ("model", "same_week_last_year", "last_4_weeks"):
        print(f"    {method:<22} MAE {b.mae(method):7.3f}  WAPE {b.wape(method):6.3f}")
    rel = b.relative()
    rel4 = b.relative("last_4_weeks")
    print(f"    rel. to same week last year {rel:.3f}, to last 4 weeks {rel4:.3f}  [fits: {models}]  {seconds:.1f}s")


def run(name: str, series: dict[str, np.ndarray], model: str | None = None) -> F.Backtest:
    total = F.Backtest()
    started = time.monotonic()
    for y in series.values():
        total.add(F.backtest(y, model=model))
    show(name, total, len(series), time.monotonic() - started)
    return total


def synthetic() -> None:
    print("== synthetic heating-season series (156 weeks, Poisson, 3-fold winter peak) ==")
    for base in (20.0, 3.0, 0.5):
        series = {str(seed): F.synthetic_seasonal(156, base=base, seed=seed) for seed in range(5)}
        run(f"base {base:g}/week, ladder", series)


def classifier(data: Path):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    with open(data / "messages" / "train.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True)
    x = vec.fit_transform([r["title_and_text"] for r in rows])
    svm = LinearSVC(C=1.0).fit(x, [r["label"] for r in rows])
    return lambda texts: svm.predict(vec.transform(texts))


def weekly(times: list[datetime], start: datetime, weeks: int) -> np.ndarray:
    y = np.zeros(weeks)
    for t in times:
        k = (t - start).days // 7
        if 0 <= k < weeks:
            y[k] += 1
    return y


def real(data: Path) -> None:
    messages = []
    for path in (data / "hot" / "messages_with_votes.csv", data / "replies" / "messages_with_replies.csv"):
        with open(path, encoding="utf-8") as f:
            for r in csv.DictReader(f):
                messages.append((datetime.fromisoformat(r["time"]), (r["title"] + r["text"]).replace(" ", "")))
    # The span both files cover densely; weeks from the Monday on or after its start.
    lo, hi = datetime(2017, 6, 12), datetime(2020, 1, 6)
    messages = [m for m in messages if lo <= m[0] < hi]
    weeks = (hi - lo).days // 7
    classes = classifier(data)([t for _, t in messages])
    print(f"\n== real messages (hot + replies), {len(messages)} from {lo:%Y-%m-%d} to {hi:%Y-%m-%d}, {weeks} weeks ==")
    print("   per class:", ", ".join(f"{c} {n}" for c, n in Counter(classes).most_common()))
    by_class: dict[str, list[datetime]] = defaultdict(list)
    for (t, _), c in zip(messages, classes):
        by_class[c].append(t)
    total = {"all": weekly([t for t, _ in messages], lo, weeks)}
    per_class = {c: weekly(ts, lo, weeks) for c, ts in by_class.items()}
    run("all messages, ladder", total)
    run("per class, ladder", per_class)
    for model in ("holt_winters", "sarimax", "seasonal_average"):
        run(f"per class, {model} forced", per_class, model=model)


def database() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
    import django

    django.setup()
    from jiesu.insight import forecasting

    series = forecasting.stored_series()
    if not series:
        print("\n== database: no weekly counts stored (run `jiesu forecast` first) ==")
        return
    city = {k: v for k, v in series.items() if k[1] == forecasting.CITY and k[0]}
    districts = {k: v for k, v in series.items() if k[1] not in (None, forecasting.CITY) and k[0]}
    weeks = len(next(iter(series.values())))
    print(f"\n== database: {len(city)} matter series city-wide, {len(districts)} matter x district, {weeks} weeks ==")
    run("matter, city-wide", city)
    run("matter x district", districts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(Path(__file__).resolve().parent.parent.parent / "shared" / "data"))
    parser.add_argument("--database", action="store_true", help="also the weekly counts stored in the database")
    args = parser.parse_args()
    synthetic()
    data = Path(args.data)
    if (data / "hot" / "messages_with_votes.csv").exists():
        real(data)
    else:
        print(f"\nshared data absent at {data}: real-data backtest skipped")
    if args.database:
        database()


if __name__ == "__main__":
    main()
