#!/usr/bin/env python
"""Intake throughput over real HTTP: orders/s and latency of POST /api/v1/orders/.

    .venv/bin/python bench/intake.py --db sqlite   --preload 100000  --requests 3000 --concurrency 4
    .venv/bin/python bench/intake.py --db postgres --preload 1000000 --requests 5000 --concurrency 4

Steps: a fresh database (an SQLite file in a temporary data directory, or the PostgreSQL
database `jiesu_bench` on 127.0.0.1:5432, dropped and created), `jiesu migrate`,
`jiesu demo --orders N` (the stored history; its time is reported), an API token for a
call-taker, gunicorn with 2 workers on a free loopback port, then M POSTs from C client
threads (keep-alive connections, bounded by --max-seconds). Prints orders/s, p50/p95/p99,
errors, and stops gunicorn. Targets (printed, not asserted): PostgreSQL with 1M stored orders
>= 200 orders/s and p95 < 50 ms.

`--via-pgbouncer` (PostgreSQL) has gunicorn connect through PgBouncer in transaction pooling mode
(scripts/pgbouncer.sh starts it if it is not running, on PGB_PORT, default 6432) with
JIESU_PGBOUNCER=1; it prints the pool's server connections and longest client wait after the load.

`--data-dir D --reuse` skips the database set-up and preload and benches an earlier run's
database again (keep it with --keep). `--template DB` (PostgreSQL) makes the bench database a
fresh copy of a prepared database (CREATE DATABASE ... TEMPLATE) for every run, so interleaved
rounds all start from the same stored state; give the --data-dir that database was made with
(it holds the keys of its personal data). `--app DIR` runs another checkout of the code (for
before/after rounds on the same client and data). App CPU per POST is read from the gunicorn
workers' /proc stat before and after the load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from httpload import (  # noqa: E402  the server, the POST loop and the figures, shared with scaleout.py
    BIN,
    ROOT,
    TOKEN_SCRIPT,
    log,
    make_payloads,
    pct,
    pgbouncer_pool,
    platform_line,
    post_orders,
    run,
    start_server,
    stop_server,
    wait_ready,
    worker_cpu_seconds,
)

PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "jiesu_bench"


def prepare_postgres(name: str, template: str | None = None) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--preload", type=int, default=10_000, help="orders stored before the run (jiesu demo --orders)")
    ap.add_argument("--requests", type=int, default=2_000)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    ap.add_argument(
        "--worker-class",
        choices=["sync", "gthread"],
        help="gunicorn worker class (default: gunicorn.conf.py's, gthread)",
    )
    ap.add_argument("--threads", type=int, help="threads per gthread worker (default: gunicorn.conf.py's, 4)")
    ap.add_argument("--max-seconds", type=float, default=300, help="stop sending after this long")
    ap.add_argument("--warmup", type=int, default=30, help="requests sent (and not counted) before measuring")
    ap.add_argument("--data-dir", help="JIESU_DATA_DIR to use (default: a fresh temporary directory)")
    ap.add_argument("--reuse", action="store_true", help="keep the database and data dir of an earlier --keep run")
    ap.add_argument("--keep", action="store_true", help="do not delete the data directory and database afterwards")
    ap.add_argument(
        "--pg-db", default=PG_BENCH_DB, help=f"PostgreSQL database to (re)create and bench (default {PG_BENCH_DB})"
    )
    ap.add_argument("--template", help="PostgreSQL: copy this prepared database instead of migrate + demo")
    ap.add_argument("--app", help="run this checkout of the code instead of the one the script is in")
    ap.add_argument(
        "--via-pgbouncer",
        action="store_true",
        help="PostgreSQL: gunicorn connects through PgBouncer in transaction pooling mode "
        "(scripts/pgbouncer.sh start; PGB_PORT, default 6432); set-up and preload go direct",
    )
    args = ap.parse_args()
    if args.via_pgbouncer and args.db != "postgres":
        raise SystemExit("--via-pgbouncer needs --db postgres")

    data_dir = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="jiesu-bench-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    if args.db == "sqlite":
        database_url = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    else:
        database_url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + args.pg_db
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "JIESU_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "jiesu.settings",
        "JIESU_LOG_LEVEL": "ERROR",
        # One token drives every client: the per-user API throttle would measure itself.
        "JIESU_API_RATE_USER": os.environ.get("JIESU_API_RATE_USER", "off"),
    }
    env.pop("JIESU_FIELD_KEYS", None)
    app = Path(args.app).resolve() if args.app else ROOT
    if args.app:
        env["PYTHONPATH"] = str(app)  # ahead of the editable install of this checkout
    log(
        f"bench/intake.py  db={args.db}  data={data_dir}  preload={'reused' if args.reuse else f'{args.preload:,}'}  requests={args.requests:,}  "
        f"concurrency={args.concurrency}  gunicorn workers={args.workers} "
        f"class={args.worker_class or 'gunicorn.conf.py'} threads={args.threads or 'gunicorn.conf.py'}"
    )
    log(f"machine: {os.cpu_count()} cores, {platform_line()}")

    preload_s = None
    if args.template:
        if args.db != "postgres":
            raise SystemExit("--template needs --db postgres")
        t = time.monotonic()
        prepare_postgres(args.pg_db, args.template)
        log(f"copied {args.template} in {time.monotonic() - t:.1f}s")
    elif not args.reuse:
        if args.db == "postgres":
            prepare_postgres(args.pg_db)
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{data_dir / 'bench.sqlite3'}{suffix}").unlink(missing_ok=True)
        t = time.monotonic()
        run([str(BIN / "jiesu"), "migrate", "--noinput", "-v0"], env)
        log(f"migrate: {time.monotonic() - t:.1f}s")
        t = time.monotonic()
        out = (
            run([str(BIN / "jiesu"), "demo", "--orders", str(args.preload)], env, capture=True)
            if args.preload
            else run([str(BIN / "jiesu"), "demo"], env, capture=True)
        )
        preload_s = time.monotonic() - t
        for line in out.splitlines():
            if line.startswith("orders generated") or line.startswith("directory"):
                log(f"  {line}")
        log(
            f"preload: {args.preload:,} orders in {preload_s:.1f}s "
            f"({args.preload / preload_s:,.0f} orders/s, whole `jiesu demo` command incl. directory and users)"
        )

    info = run([str(BIN / "jiesu"), "shell", "-c", TOKEN_SCRIPT], env, capture=True, cwd=app)
    info = json.loads(next(line for line in info.splitlines() if line.startswith("BENCH"))[5:])
    token, places = info["token"], info["places"]

    server_env = env
    if args.via_pgbouncer:
        pgb_port = int(os.environ.get("PGB_PORT", "6432"))
        run(["bash", str(ROOT / "scripts" / "pgbouncer.sh"), "start"], env)
        server_env = {
            **env,
            "JIESU_PGBOUNCER": "1",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pgb_port}/{args.pg_db}",
        }
        log(f"gunicorn -> PgBouncer 127.0.0.1:{pgb_port} (transaction pooling) -> PostgreSQL 127.0.0.1:5432")

    base, proc, gunicorn_log = start_server(
        server_env,
        data_dir,
        args.workers,
        "--access-logfile",
        "-",
        *(["-k", args.worker_class] if args.worker_class else []),
        *(["--threads", str(args.threads)] if args.threads else []),
        cwd=app,
    )
    try:
        wait_ready(base, proc, "/api/v1/orders/?limit=1", token=token, timeout=60)
        payloads = make_payloads(args.requests + args.warmup, places)
        if args.warmup:
            post_orders(base, token, payloads[: args.warmup], min(args.concurrency, args.workers), 60)
        cpu_before, load_before = worker_cpu_seconds(proc.pid), os.getloadavg()
        result = post_orders(
            base, token, payloads[args.warmup :], args.concurrency, args.max_seconds, key_offset=args.warmup
        )
        cpu, load_after = worker_cpu_seconds(proc.pid) - cpu_before, os.getloadavg()
        pools = pgbouncer_pool(args.pg_db) if args.via_pgbouncer else None
    finally:
        stop_server(proc, gunicorn_log)

    lat = [x * 1000 for x in result["latencies"]]
    ok = result["statuses"].get(201, 0)
    errors = sum(v for k, v in result["statuses"].items() if k != 201)
    rate = ok / result["elapsed"] if result["elapsed"] else 0.0
    log("")
    log(f"requests sent     {len(lat):,} in {result['elapsed']:.1f}s  (status counts: {result['statuses']})")
    log(f"orders/s          {rate:,.1f}")
    log(
        f"latency ms        p50 {pct(lat, 50):.1f}   p95 {pct(lat, 95):.1f}   p99 {pct(lat, 99):.1f}   "
        f"mean {statistics.fmean(lat) if lat else float('nan'):.1f}   max {max(lat) if lat else float('nan'):.1f}"
    )
    log(f"errors            {errors}")
    if lat:
        log(f"app CPU per POST  {cpu / len(lat) * 1000:.2f} ms (gunicorn workers, user+system)")
    log(f"load average      {load_before[0]:.2f} before, {load_after[0]:.2f} after (1 min)")
    if pools:
        log(f"pgbouncer pool    {pools}")
    if preload_s is not None:
        log(f"preload           {args.preload:,} orders in {preload_s:.1f}s ({args.preload / preload_s:,.0f} orders/s)")
    if args.db == "postgres":
        verdict = "met" if rate >= 200 and pct(lat, 95) < 50 else "NOT met"
        log(f"target (PostgreSQL >= 200 orders/s, p95 < 50 ms): {verdict}")

    if not args.keep:
        if args.db == "postgres":
            import psycopg

            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {args.pg_db} WITH (FORCE)")
        if not args.data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
