"""Benchmark `jiesu decide`: decisions per second and per-decision latency on one core.

Prepares a fresh SQLite database (directory + default rules), then runs `jiesu decide`
pinned to one CPU (taskset) twice: once streaming 10,000 requests through the pipe for
throughput, once feeding one line at a time and waiting for each answer for latency.
Prints figures with the machine's load average at start and end (a figure taken while other
jobs share the cores is not a quiet machine's figure); asserts nothing. Targets: >= 300 decisions/s, p99 < 20 ms with the reader's
models (issue 11), and loading the models adds under a second to a worker's first request.

    .venv/bin/python bench/decide.py [--n 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEST_SET = REPO / "tests" / "data" / "beijing_requests.jsonl"


def requests(n: int) -> list[str]:
    base = [json.loads(line) for line in TEST_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = []
    for i in range(n):
        r = base[i % len(base)]
        out.append(
            json.dumps({"id": f"b{i}", "text": r["text"], "channel": r.get("channel", "phone")}, ensure_ascii=False)
        )
    return out


def jiesu(*args: str) -> list[str]:
    # This checkout's manage.py, not the installed `jiesu` script (which imports the package the
    # virtualenv was installed from, possibly another worktree).
    return [sys.executable, str(REPO / "manage.py"), *args]


def command(env) -> list[str]:
    cmd = jiesu("decide")
    return (["taskset", "-c", "0"] + cmd) if shutil.which("taskset") else cmd


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--latency-n", type=int, default=2_000)
    args = parser.parse_args()
    load_start = os.getloadavg()
    data_dir = tempfile.mkdtemp(prefix="jiesu-bench-decide-")
    env = {**os.environ, "JIESU_DATA_DIR": data_dir}
    env.pop("DATABASE_URL", None)
    subprocess.run(jiesu("migrate", "--noinput"), env=env, check=True, capture_output=True, cwd=REPO)
    subprocess.run(jiesu("load-directory"), env=env, check=True, capture_output=True, cwd=REPO)
    subprocess.run(jiesu("load-rules"), env=env, check=True, capture_output=True, cwd=REPO)
    lines = requests(args.n)

    # Throughput: the whole batch through the pipe (includes process start and engine build).
    started = time.perf_counter()
    done = subprocess.run(
        command(env), input="\n".join(lines) + "\n", env=env, capture_output=True, text=True, check=True, cwd=REPO
    )
    wall = time.perf_counter() - started
    outputs = done.stdout.splitlines()
    errors = sum('"error"' in o for o in outputs)

    # Latency: one request at a time, waiting for its answer.
    proc = subprocess.Popen(
        command(env), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=REPO, bufsize=1
    )
    t_first = time.perf_counter()
    proc.stdin.write(lines[0] + "\n")
    proc.stdin.flush()
    proc.stdout.readline()  # warm-up: engine build, the reader's models and jieba's dictionary
    first_ms = (time.perf_counter() - t_first) * 1000
    latencies = []
    for line in lines[1 : args.latency_n + 1]:
        t = time.perf_counter()
        proc.stdin.write(line + "\n")
        proc.stdin.flush()
        proc.stdout.readline()
        latencies.append((time.perf_counter() - t) * 1000)
    proc.stdin.close()
    proc.wait()
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))]

    print(
        json.dumps(
            {
                "requests": len(lines),
                "outputs": len(outputs),
                "errors": errors,
                "wall_s_including_startup": round(wall, 2),
                "decisions_per_s_including_startup": round(len(lines) / wall, 1),
                "latency_ms": {
                    "p50": round(pct(50), 3),
                    "p95": round(pct(95), 3),
                    "p99": round(pct(99), 3),
                    "max": round(latencies[-1], 3),
                    "mean": round(statistics.mean(latencies), 3),
                },
                "first_decision_ms_including_engine_build": round(first_ms, 1),
                "reader_load_ms": reader_load_ms(),
                "one_core": bool(shutil.which("taskset")),
                "cpus": os.cpu_count(),
                "load_average_1_5_15": {
                    "start": [round(x, 2) for x in load_start],
                    "end": [round(x, 2) for x in os.getloadavg()],
                },
            },
            indent=2,
        )
    )
    shutil.rmtree(data_dir, ignore_errors=True)


def reader_load_ms() -> float | None:
    """What the reader's models add to a worker's first request: loading them in a fresh
    process (the rest of the first request is the engine build that existed before)."""
    code = (
        "import time; t=time.perf_counter(); from jiesu.engine.reader import default_reader; r=default_reader(); "
        "r and r.read('小区停电了'); print((time.perf_counter()-t)*1000 if r else -1)"
    )
    out = (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
        .stdout.strip()
        .splitlines()
    )
    value = float(out[-1]) if out else -1
    return None if value < 0 else round(value, 1)


if __name__ == "__main__":
    main()
