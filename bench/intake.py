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
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "jiesu_bench"

TOKEN_SCRIPT = """
import json, random
from jiesu.api import tokens
from jiesu.directory.models import Place, Unit, User
unit = Unit.objects.get(code="centre")
user, _ = User.objects.get_or_create(username="bench-calltaker", defaults={"role": "call_taker", "unit": unit,
                                     "display_name": "压测话务员"})
token = tokens.issue(user, days=1)[1]
places = list(Place.objects.filter(level="community").exclude(name__contains="虚拟")
              .select_related("parent", "district").order_by("code"))
random.Random(7).shuffle(places)
print("BENCH" + json.dumps({"token": token, "places": [
    [p.district.name, p.parent.name, p.name.removesuffix("社区")] for p in places[:500]]}, ensure_ascii=False))
"""


def log(msg: str) -> None:
    print(msg, flush=True)


def run(cmd: list[str], env: dict, *, capture: bool = False, cwd: Path = ROOT) -> str:
    proc = subprocess.run(cmd, env=env, cwd=cwd, text=True, capture_output=capture)
    if proc.returncode:
        if capture:
            sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return proc.stdout if capture else ""


def prepare_postgres(name: str, template: str | None = None) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))


def worker_cpu_seconds(master_pid: int) -> float:
    """User + system CPU of gunicorn's workers (the master's children), from /proc/<pid>/stat."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    except OSError:
        return 0.0
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / tick


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(base: str, token: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
        try:
            r = httpx.get(f"{base}/api/v1/orders/?limit=1", headers={"Authorization": f"Token {token}"}, timeout=5)
            if r.status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer in time")


# ---------------------------------------------------------------------------------------------
# Request bodies: the demo generator's templates with simple fillers, at real places.


def make_payloads(count: int, places: list[list[str]], seed: int = 1) -> list[dict]:
    sys.path.insert(0, str(ROOT))
    from jiesu.demo import texts  # plain data, no Django

    rng = random.Random(seed)
    templates = [(spec.code, kind, text) for spec in texts.MATTERS for kind, text in spec.templates]
    fill = {
        "when": lambda: rng.choice(texts.WHEN),
        "night": lambda: rng.choice(texts.NIGHT),
        "spot": lambda: rng.choice(texts.SPOTS),
        "child": lambda: rng.choice(texts.CHILD),
        "goods": lambda: rng.choice(texts.GOODS),
        "job": lambda: rng.choice(texts.JOBS),
        "shop": lambda: rng.choice(texts.SHOP_WORDS) + rng.choice(texts.SHOP_TYPES),
        "pm": lambda: rng.choice(texts.PROPERTY_WORDS) + "物业",
        "company": lambda: f"北京{rng.choice(texts.ORG_WORDS)}{rng.choice(texts.ORG_TRADES)}有限公司",
        "plate": lambda: f"京N{rng.randint(0, 99999):05d}",
        "fee": lambda: "2.1元涨到了2.9元",
        "hospital": lambda: "附近的社区卫生服务中心",
    }
    payloads = []
    phones = [f"1{rng.choice('3589')}{rng.randrange(10**9):09d}" for _ in range(max(1, count // 3))]
    for _ in range(count):
        _, kind, text = rng.choice(templates)
        district, township, community = rng.choice(places)
        slots = {"addr": f"{community}{rng.randint(1, 30)}号楼", "cm": community, "estate": community, "dist": district}
        content = text.format_map(_Slots(slots, fill, rng))
        payloads.append(
            {
                "channel": "phone",
                "kind": kind,
                "content": content,
                "requester_phone": rng.choice(phones),
                "requester_name": rng.choice("王李张刘陈杨赵黄周吴") + rng.choice("伟芳娜敏静丽强磊军洋"),
                "location_text": f"{district}{township}{slots['addr']}",
            }
        )
    return payloads


class _Slots(dict):
    def __init__(self, base, fill, rng):
        super().__init__(base)
        self.fill, self.rng = fill, rng

    def __missing__(self, key):
        f = self.fill.get(key)
        return f() if f else str(self.rng.randint(2, 30))


# ---------------------------------------------------------------------------------------------
# Load


def load(
    base: str, token: str, payloads: list[dict], concurrency: int, max_seconds: float, *, key_offset: int = 0
) -> dict:
    import httpx

    latencies: list[float] = []
    statuses: dict[int | str, int] = {}
    lock = threading.Lock()
    it = iter(enumerate(payloads))
    deadline = time.monotonic() + max_seconds

    def worker():
        local_lat, local_status = [], {}
        headers = {"Authorization": f"Token {token}", "Idempotency-Key": ""}
        with httpx.Client(base_url=base, timeout=30) as client:
            while time.monotonic() < deadline:
                with lock:
                    item = next(it, None)
                if item is None:
                    break
                i, body = item
                headers["Idempotency-Key"] = f"bench-{os.getpid()}-{key_offset + i}"
                t0 = time.perf_counter()
                try:
                    r = client.post("/api/v1/orders/", json=body, headers=headers)
                    code: int | str = r.status_code
                except httpx.HTTPError as exc:
                    code = type(exc).__name__
                local_lat.append(time.perf_counter() - t0)
                local_status[code] = local_status.get(code, 0) + 1
        with lock:
            latencies.extend(local_lat)
            for k, v in local_status.items():
                statuses[k] = statuses.get(k, 0) + v

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {"latencies": latencies, "statuses": statuses, "elapsed": elapsed}


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def start_server(env: dict, data_dir: Path, workers: int, *options: str, cwd: Path = ROOT):
    """gunicorn on a free local port with the repository's gunicorn.conf.py, logging into the
    data directory: (base URL, process, open log file)."""
    port = free_port()
    log_file = open(data_dir / "gunicorn.log", "w")
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "jiesu.wsgi:application",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            *options,
        ],
        env=env,
        cwd=cwd,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return f"http://127.0.0.1:{port}", proc, log_file


def stop_server(proc, log_file) -> None:
    """SIGTERM gunicorn, give its workers 30 s to finish their requests, then kill it."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log_file.close()


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
        wait_ready(base, token, proc)
        payloads = make_payloads(args.requests + args.warmup, places)
        if args.warmup:
            load(base, token, payloads[: args.warmup], min(args.concurrency, args.workers), 60)
        cpu_before, load_before = worker_cpu_seconds(proc.pid), os.getloadavg()
        result = load(base, token, payloads[args.warmup :], args.concurrency, args.max_seconds, key_offset=args.warmup)
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


def pgbouncer_pool(database: str) -> str:
    """The pool's server connections and the longest client wait, from PgBouncer's SHOW POOLS."""
    # psql: PgBouncer's admin console speaks only the simple query protocol.
    port = os.environ.get("PGB_PORT", "6432")

    def show(what: str) -> dict:
        out = subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                port,
                "-U",
                "postgres",
                "-d",
                "pgbouncer",
                "-A",
                "-F",
                "|",
                "-P",
                "footer=off",
                "-c",
                f"SHOW {what}",
            ],
            text=True,
            capture_output=True,
        ).stdout.splitlines()
        names = out[0].split("|") if out else []
        rows = [dict(zip(names, line.split("|"))) for line in out[1:]]
        return next((r for r in rows if r.get("database") == database), {})

    pool, stats = show("POOLS"), show("STATS")
    if not pool:
        return "no pool"
    xacts = int(stats.get("total_xact_count", 0))
    wait = int(stats.get("total_wait_time", 0)) / 1e6
    return (
        f"server connections active {pool['sv_active']} idle {pool['sv_idle']} used {pool['sv_used']}, "
        f"clients waiting now {pool['cl_waiting']}; since the pooler started: {xacts:,} transactions, "
        f"clients waited {wait:.2f} s for a server connection in all ({wait / max(xacts, 1) * 1000:.2f} ms a transaction)"
    )


def platform_line() -> str:
    import platform

    return f"Python {platform.python_version()}, {platform.system()} {platform.release()}"


if __name__ == "__main__":
    main()
