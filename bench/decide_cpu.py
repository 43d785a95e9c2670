#!/usr/bin/env python
"""CPU time per decision of the engine in one process (what an intake worker spends on it),
interleaved between this checkout and others, on a labelled set's requests.

    .venv/bin/python bench/decide_cpu.py [--input tests/blind/2026-12-01-a.jsonl] [--rounds 3] [--app DIR ...]

Each checkout gets a fresh SQLite data directory (`migrate`, `load-directory`, `load-rules`), then
a process that builds the engine, decides the set once to warm up and then three times timed by
`time.process_time()` (CPU, not wall: the figure to compare on a shared machine). Rounds
alternate the checkouts. Prints ms per decision and the load average; asserts nothing.
`--reader` times only the reader's reading of the text (its four models), not the rules.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RUN = r"""
import json, os, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
django.setup()
cases = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
if sys.argv[2] == "reader":
    from jiesu.engine.reader import default_reader
    step, requests = default_reader().read, [case["text"] for case in cases]
else:
    from jiesu.dispatch.runtime import current_engine
    step, requests = current_engine().decide, [{k: v for k, v in c.items() if k != "expected"} for c in cases]
for request in requests:
    step(request)
started = time.process_time()
for _ in range(3):
    for request in requests:
        step(request)
print((time.process_time() - started) / len(requests) / 3 * 1000)
"""


def prepare(app: Path, data_dir: str) -> dict:
    env = {**os.environ, "JIESU_DATA_DIR": data_dir, "PYTHONPATH": str(app), "JIESU_LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    for command in ("migrate", "load-directory", "load-rules"):
        subprocess.run(
            [sys.executable, str(app / "manage.py"), command], env=env, cwd=app, check=True, capture_output=True
        )
    return env


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--input", default=str(ROOT / "tests/blind/2026-12-01-a.jsonl"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--app", action="append", default=[], help="another checkout (a worktree) to compare")
    parser.add_argument("--reader", action="store_true", help="time only the reader's four models (Reader.read)")
    args = parser.parse_args()
    apps = [ROOT, *(Path(a).resolve() for a in args.app)]
    with tempfile.TemporaryDirectory() as tmp:
        envs = {app: prepare(app, tempfile.mkdtemp(dir=tmp)) for app in apps}
        figures: dict[Path, list[float]] = {app: [] for app in apps}
        for round_ in range(1, args.rounds + 1):
            for app in apps if round_ % 2 else reversed(apps):
                out = subprocess.run(
                    [sys.executable, "-c", RUN, str(Path(args.input).resolve()), "reader" if args.reader else "engine"],
                    env=envs[app],
                    cwd=app,
                    check=True,
                    capture_output=True,
                    text=True,
                )
                ms = float(out.stdout.strip().splitlines()[-1])
                figures[app].append(ms)
                load = os.getloadavg()[0]
                what = "reading" if args.reader else "decision"
                print(f"round {round_}  {app}  {ms:.2f} ms CPU per {what}  load {load:.2f}", flush=True)
    for app, values in figures.items():
        values = sorted(values)
        print(f"median {values[len(values) // 2]:.2f} ms (min {values[0]:.2f}, max {values[-1]:.2f})  {app}")


if __name__ == "__main__":
    main()
