"""What a fresh gunicorn worker's first intake POST costs beyond the ones after it (issue 11: model
loading must not slow a worker's first request by more than a second).

A fresh SQLite database (migrate, load-directory, load-rules), one gunicorn worker from the tree
given (default: this repository), the time until it answers, then POSTs one at a time: the first,
and the median of the rest. `--app-dir` points at another checkout to compare (its own code,
this bench's client).

    .venv/bin/python bench/first_request.py
    .venv/bin/python bench/first_request.py --app-dir /path/to/other/checkout --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from httpload import ROOT, TOKEN_SCRIPT, make_payloads, run, start_server, stop_server, wait_ready


def prepare(app: Path, data_dir: Path) -> tuple[dict, dict]:
    env = {**os.environ, "JIESU_DATA_DIR": str(data_dir), "PYTHONPATH": str(app)}
    env.pop("DATABASE_URL", None)
    python = str(ROOT / ".venv" / "bin" / "python")
    for command in (["migrate", "--noinput"], ["load-directory"], ["load-rules"]):
        run([python, "manage.py", *command], env, capture=True, cwd=app)
    out = run([python, "manage.py", "shell", "-c", TOKEN_SCRIPT], env, capture=True, cwd=app)
    info = json.loads(next(line for line in out.splitlines() if line.startswith("BENCH"))[5:])
    return env, info


def one_run(app: Path, env: dict, info: dict, data_dir: Path, posts: int, seed: int) -> dict:
    payloads = make_payloads(posts, info["places"], seed=seed)
    started = time.perf_counter()
    base, proc, log_file = start_server(env, data_dir, 1, cwd=app, log_name=f"gunicorn-{seed}.log")
    try:
        wait_ready(base, proc, "/login/", timeout=180)
        ready_s = time.perf_counter() - started
        headers = {"Authorization": f"Token {info['token']}"}
        times = []
        with httpx.Client(base_url=base, timeout=120) as client:
            for i, body in enumerate(payloads):
                t0 = time.perf_counter()
                r = client.post(
                    "/api/v1/orders/", json=body, headers={**headers, "Idempotency-Key": f"first-{seed}-{i}"}
                )
                times.append((time.perf_counter() - t0) * 1000)
                if r.status_code != 201:
                    raise SystemExit(f"POST answered {r.status_code}: {r.text[:300]}")
    finally:
        stop_server(proc, log_file)
    rest = statistics.median(times[1:])
    return {
        "worker_ready_s": round(ready_s, 2),
        "first_post_ms": round(times[0], 1),
        "median_later_post_ms": round(rest, 1),
        "first_post_extra_ms": round(times[0] - rest, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app-dir", default=str(ROOT), help="the checkout whose code the worker runs")
    parser.add_argument("--runs", type=int, default=3, help="fresh workers, one after another")
    parser.add_argument("--posts", type=int, default=21, help="POSTs per worker, one at a time")
    args = parser.parse_args()
    app = Path(args.app_dir).resolve()
    with tempfile.TemporaryDirectory(prefix="jiesu-first-") as tmp:
        data_dir = Path(tmp)
        env, info = prepare(app, data_dir)
        runs = [one_run(app, env, info, data_dir, args.posts, seed) for seed in range(1, args.runs + 1)]
    print(
        json.dumps(
            {
                "app": str(app),
                "runs": runs,
                "first_post_extra_ms_median": statistics.median(r["first_post_extra_ms"] for r in runs),
                "load_average_1_5_15": os.getloadavg(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
