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
import dataclasses
import json
import os
import shutil
import statistics
import subprocess
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
    machine_busy_seconds,
    make_payloads,
    pct,
    pgbouncer_pool,
    platform_line,
    post_orders,
    postgres_cpu_seconds,
    run,
    shift_callers,
    start_server,
    stop_server,
    wait_ready,
    worker_cpu_seconds,
)

PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "jiesu_bench"
MINIMAL_DIR = ROOT / "bench" / "minimal"

# The minimal app's user and knox token, printed as one BENCH line by `python -m django shell`.
MINIMAL_TOKEN_SCRIPT = """
import json
from django.contrib.auth.models import User
from knox.models import AuthToken
user, _ = User.objects.get_or_create(username="bench-calltaker")
user.auth_token_set.all().delete()  # one live token, as for Jiesu's bench user (httpload.TOKEN_SCRIPT)
print("BENCH" + json.dumps({"token": AuthToken.objects.create(user=user)[1]}))
"""


@dataclasses.dataclass
class Contender:
    """One server the bench loads: its code (`cwd`), WSGI app, environment and API token."""

    label: str
    env: dict
    token: str
    cwd: Path = ROOT
    app: str = "jiesu.wsgi:application"


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
        "--compare-app",
        metavar="DIR",
        help="also run this other checkout (e.g. a `git worktree add` of main), interleaved, as 'base'",
    )
    ap.add_argument(
        "--compare-minimal",
        action="store_true",
        help="also run the minimal Django+DRF app of bench/minimal/ (two INSERTs), interleaved",
    )
    ap.add_argument("--rounds", type=int, default=1, help="rounds; each runs every contender once, in turn")
    ap.add_argument("--seed", type=int, help="payload seed (default: from the clock, so callers are new)")
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
    # Ahead of the editable install, which may be another checkout's (a worktree shares the venv).
    env["PYTHONPATH"] = str(app)
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

    contenders = [Contender("jiesu", server_env, token, cwd=app)]
    if args.compare_app:
        other = Path(args.compare_app).resolve()
        contenders.append(Contender("base", {**server_env, "PYTHONPATH": str(other)}, token, cwd=other))
    if args.compare_minimal:
        contenders.append(minimal_contender(args, data_dir))
    comparing = len(contenders) > 1
    gunicorn_options = ["--access-logfile", "-"]
    worker_class, threads = args.worker_class, args.threads
    if comparing:
        # Every contender under the same gunicorn settings, said on the command line: the minimal
        # app has no gunicorn.conf.py (these are the values of Jiesu's).
        worker_class, threads = worker_class or "gthread", threads or 4
    gunicorn_options += [
        *(["-k", worker_class] if worker_class else []),
        *(["--threads", str(threads)] if threads else []),
    ]
    seed = args.seed if args.seed is not None else int(time.time()) % 1_000_000
    log(f"payload seed {seed}; contenders: {', '.join(c.label for c in contenders)}; rounds {args.rounds}")

    runs: list[dict] = []
    for rnd in range(1, args.rounds + 1):
        shift = (rnd - 1) % len(contenders)  # alternate who goes first: drift in the load hits each alike
        for c in contenders[shift:] + contenders[:shift]:
            # Every contender files the same texts; those on Jiesu's database from callers of their
            # own (new to it, so no run sees another's callers as repeats); the minimal app the
            # first contender's.
            own = 0 if c.label == "minimal" else [x.label for x in contenders].index(c.label)
            payloads = shift_callers(make_payloads(args.requests + args.warmup, places, seed=seed + 100 * rnd), own)
            r = bench_once(c, payloads, data_dir, args, gunicorn_options, prefix=f"{c.label}-{seed}-{rnd}-")
            r.update(round=rnd, label=c.label)
            runs.append(r)
            print_run(r, args)
    if comparing:
        summarise(runs, [c.label for c in contenders])

    if not args.keep:
        if args.db == "postgres":
            import psycopg

            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {args.pg_db} WITH (FORCE)")
                conn.execute(f"DROP DATABASE IF EXISTS {args.pg_db}_minimal WITH (FORCE)")
        if not args.data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)


def minimal_contender(args, data_dir: Path) -> Contender:
    """bench/minimal/ on its own database of the same server (or an SQLite file beside Jiesu's),
    migrated, with a knox token of its own."""
    if args.db == "postgres":
        import psycopg

        name = f"{args.pg_db}_minimal"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f"CREATE DATABASE {name}")
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    else:
        url = f"sqlite:///{data_dir / 'minimal.sqlite3'}"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("JIESU_") and k not in ("PYTHONPATH", "DJANGO_SETTINGS_MODULE")
    }
    env.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="mini.settings", PYTHONPATH=str(MINIMAL_DIR))
    python = str(BIN / "python")
    run([python, "-m", "django", "migrate", "--noinput", "-v0"], env, cwd=MINIMAL_DIR)
    out = run([python, "-m", "django", "shell", "-c", MINIMAL_TOKEN_SCRIPT], env, capture=True, cwd=MINIMAL_DIR)
    token = json.loads(next(line for line in out.splitlines() if line.startswith("BENCH"))[5:])["token"]
    return Contender("minimal", env, token, cwd=MINIMAL_DIR, app="mini.wsgi:application")


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def bench_once(c: Contender, payloads: list[dict], data_dir: Path, args, options: list[str], *, prefix: str) -> dict:
    """Start the contender's gunicorn, warm it, send the POSTs, read its workers' CPU, stop it."""
    up = uptime()
    base, proc, gunicorn_log = start_server(
        c.env, data_dir, args.workers, *options, cwd=c.cwd, app=c.app, log_name=f"gunicorn-{c.label}.log"
    )
    try:
        wait_ready(base, proc, "/api/v1/orders/?limit=1", token=c.token, timeout=90)
        if args.warmup:
            post_orders(
                base, c.token, payloads[: args.warmup], min(args.concurrency, args.workers), 60, key_prefix=prefix
            )
        cpu_before, load_before = worker_cpu_seconds(proc.pid), os.getloadavg()
        db_before, busy_before = postgres_cpu_seconds(), machine_busy_seconds()
        result = post_orders(
            base,
            c.token,
            payloads[args.warmup :],
            args.concurrency,
            args.max_seconds,
            key_offset=args.warmup,
            key_prefix=prefix,
        )
        cpu, load_after = worker_cpu_seconds(proc.pid) - cpu_before, os.getloadavg()
        db_cpu, busy = postgres_cpu_seconds() - db_before, machine_busy_seconds() - busy_before
        pools = pgbouncer_pool(args.pg_db) if args.via_pgbouncer and c.label != "minimal" else None
    finally:
        stop_server(proc, gunicorn_log)
    lat = [x * 1000 for x in result["latencies"]]
    ok = sum(v for k, v in result["statuses"].items() if k == 201)
    return {
        "sent": len(lat),
        "elapsed": result["elapsed"],
        "statuses": result["statuses"],
        "rate": ok / result["elapsed"] if result["elapsed"] else 0.0,
        "lat": lat,
        "errors": sum(v for k, v in result["statuses"].items() if k != 201),
        "cpu_ms": cpu / len(lat) * 1000 if lat else float("nan"),
        "db_cpu_ms": db_cpu / len(lat) * 1000 if lat else float("nan"),
        "busy_ms": busy / len(lat) * 1000 if lat else float("nan"),
        "load": (load_before[0], load_after[0]),
        "uptime": up,
        "pools": pools,
    }


def print_run(r: dict, args) -> None:
    lat = r["lat"]
    log("")
    log(f"[round {r['round']}, {r['label']}]  uptime before: {r['uptime']}")
    log(f"requests sent     {r['sent']:,} in {r['elapsed']:.1f}s  (status counts: {r['statuses']})")
    log(f"orders/s          {r['rate']:,.1f}")
    log(
        f"latency ms        p50 {pct(lat, 50):.1f}   p95 {pct(lat, 95):.1f}   p99 {pct(lat, 99):.1f}   "
        f"mean {statistics.fmean(lat) if lat else float('nan'):.1f}   max {max(lat) if lat else float('nan'):.1f}"
    )
    log(f"errors            {r['errors']}")
    log(f"app CPU per POST  {r['cpu_ms']:.2f} ms (gunicorn workers, user+system)")
    if args.db == "postgres":
        log(f"db CPU per POST   {r['db_cpu_ms']:.2f} ms (PostgreSQL processes, user+system)")
    log(f"machine CPU/POST  {r['busy_ms']:.2f} ms (every core's busy time: app, database, client, the rest)")
    log(f"load average      {r['load'][0]:.2f} before, {r['load'][1]:.2f} after (1 min)")
    if r["pools"]:
        log(f"pgbouncer pool    {r['pools']}")
    if args.db == "postgres" and r["label"] != "minimal":
        verdict = "met" if r["rate"] >= 200 and pct(lat, 95) < 50 else "NOT met"
        log(f"target (PostgreSQL >= 200 orders/s, p95 < 50 ms): {verdict}")


def summarise(runs: list[dict], labels: list[str]) -> None:
    """Per round: each contender's figures and Jiesu's ratio to the others (throughput, and
    app CPU per POST the other way round); then the medians. The ratios of one round are the
    fair figures on a shared machine: the contenders ran minutes apart under the same load."""
    others = [x for x in labels if x != "jiesu"]
    log("")
    log(
        "| round | server | POSTs/s | p50 ms | p95 ms | app CPU/POST ms | db CPU/POST ms | machine CPU/POST ms "
        "| errors | load 1 min before / after |"
    )
    log("|---|---|---|---|---|---|---|---|---|---|")
    for r in runs:
        log(
            f"| {r['round']} | {r['label']} | {r['rate']:.1f} | {pct(r['lat'], 50):.1f} | {pct(r['lat'], 95):.1f} | "
            f"{r['cpu_ms']:.2f} | {r['db_cpu_ms']:.2f} | {r['busy_ms']:.2f} | {r['errors']} | "
            f"{r['load'][0]:.2f} / {r['load'][1]:.2f} |"
        )
    by = {(r["round"], r["label"]): r for r in runs}
    rounds = sorted({r["round"] for r in runs})
    log("")
    for label in labels:
        mine = [by[(n, label)] for n in rounds]
        log(
            f"median {label:8} POSTs/s {statistics.median(r['rate'] for r in mine):.1f}   "
            f"p95 {statistics.median(pct(r['lat'], 95) for r in mine):.1f} ms   "
            f"app CPU/POST {statistics.median(r['cpu_ms'] for r in mine):.2f} ms   "
            f"db CPU/POST {statistics.median(r['db_cpu_ms'] for r in mine):.2f} ms   "
            f"machine CPU/POST {statistics.median(r['busy_ms'] for r in mine):.2f} ms"
        )
    for other in others:
        rate = [by[(n, "jiesu")]["rate"] / by[(n, other)]["rate"] for n in rounds if by[(n, other)]["rate"]]
        cpu = [by[(n, other)]["cpu_ms"] / by[(n, "jiesu")]["cpu_ms"] for n in rounds]
        log(
            f"jiesu / {other}: POSTs/s ratio per round {', '.join(f'{x:.3f}' for x in rate)} "
            f"(median {statistics.median(rate):.3f}); app CPU per POST {other} / jiesu "
            f"{', '.join(f'{x:.3f}' for x in cpu)} (median {statistics.median(cpu):.3f})"
        )
    if "minimal" in others:
        ratio = statistics.median(by[(n, "jiesu")]["rate"] / by[(n, "minimal")]["rate"] for n in rounds)
        log(f"issue 17's bar (at least half the minimal view's throughput): {'met' if ratio >= 0.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
