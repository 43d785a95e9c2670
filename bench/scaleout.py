#!/usr/bin/env python
"""Two app nodes that share nothing but PostgreSQL (through PgBouncer) and Redis, with the
report reads on a streaming read replica: everything started, loaded, measured and stopped.

    .venv/bin/python bench/scaleout.py --database jiesu_scale_1m --data-dir /tmp/jiesu-scale-1m
    .venv/bin/python bench/scaleout.py --prepare 20000                       # a fresh database first
    .venv/bin/python bench/scaleout.py ... --locust 180 --users 40           # then Locust's mix
    .venv/bin/python bench/scaleout.py ... --test                            # and tests/core/test_db_router.py on the real replica

Steps:
1. (--prepare N) the database `--database` (re)created, `jiesu migrate`, `jiesu demo --orders N`.
2. Known passwords for the demo users (written to DATA_DIR/bench-users.json for Locust) and API
   tokens for the call-taker and the 望京 handler, directly on the primary.
3. `scripts/pgbouncer.sh start` (transaction pooling, 127.0.0.1:6432) and `scripts/replica.sh
   start` (pg_basebackup -R to 127.0.0.1:5433, streaming, its own slot).
4. Two gunicorn nodes on two ports, each with its own data directory (the keys are deployed to
   both, as a real centre deploys the same secrets: JIESU_SECRET_KEY, JIESU_FIELD_KEYS,
   JIESU_BLIND_INDEX_KEY), DATABASE_URL through PgBouncer (JIESU_PGBOUNCER=1),
   DATABASE_REPLICA_URL on the replica, the cache and the Celery broker on Redis database 6;
   one Celery worker on the same Redis delivers the units' notifications the intake queues.
5. Load against both nodes at once: intake POSTs split between them, public monthly reports
   (anonymous) and the dispatcher's order search with one session (logged in on node 1, used on
   node 2 as well: sessions live in the database, not in a node).
6. What the replica did: pg_stat_database and pg_stat_user_tables (orders) on the replica and
   the primary before and after, active backends on the replica sampled during the load, lag at
   the end; PgBouncer's pool; Celery's deliveries.
7. Optional Locust (bench/locustfile.py) headless against both nodes, and the router test on the
   real replica. Then everything is stopped (replica removed and its slot dropped).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import httpload  # noqa: E402  the gunicorn nodes, the intake POST loop and the figures, as bench/intake.py uses them
from httpload import BIN, ROOT, log  # noqa: E402

PRIMARY = "postgres://postgres@127.0.0.1:5432"
PGB_PORT = int(os.environ.get("PGB_PORT", "6432"))
REPLICA_PORT = int(os.environ.get("REPLICA_PORT", "5433"))
REDIS_URL = os.environ.get("JIESU_SCALE_REDIS", "redis://127.0.0.1:6379/6")
DEMO_USERS = ("calltaker", "dispatcher", "supervisor", "analyst", "handler", "district", "city")
SEARCH_WORDS = ("噪音", "物业", "停车", "供暖", "漏水", "烧烤店")

PREP_SCRIPT = r"""
import json, secrets
from jiesu.directory.models import User
out = {}
for name in NAMES:
    user = User.objects.get(username=name)
    password = "Bench-" + secrets.token_urlsafe(12)
    user.set_password(password)
    user.save(update_fields=["password"])
    out[name] = {"password": password, "role": user.role}
print("USERS" + json.dumps(out))
"""


def load_avg() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def sh(*cmd: str, env: dict | None = None, check: bool = True) -> str:
    proc = subprocess.run(cmd, env=env, cwd=ROOT, text=True, capture_output=True)
    if check and proc.returncode:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return proc.stdout


def pg(url: str, sql: str, params=()) -> list[tuple]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


def stats(url: str, database: str) -> dict:
    """Cumulative reads of the database on one server (each server counts its own)."""
    db = pg(url, "SELECT xact_commit, tup_returned, tup_fetched FROM pg_stat_database WHERE datname = %s", [database])[
        0
    ]
    tables = dict(
        (name, (seq or 0) + (idx or 0))
        for name, seq, idx in pg(
            url,
            "SELECT relname, seq_scan, idx_scan FROM pg_stat_user_tables "
            "WHERE relname IN ('orders_workorder', 'orders_orderunit', 'orders_orderevent')",
        )
    )
    return {"xact": db[0], "rows": db[1] + db[2], **{f"scans {k}": v for k, v in sorted(tables.items())}}


def prepare(args, env: dict) -> None:
    import psycopg

    with psycopg.connect(f"{PRIMARY}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.database}"')
    t = time.monotonic()
    sh(str(BIN / "jiesu"), "migrate", "--noinput", "-v0", env=env)
    out = sh(str(BIN / "jiesu"), "demo", "--orders", str(args.prepare), env=env)
    log(f"prepared {args.database}: {args.prepare:,} orders in {time.monotonic() - t:.0f}s ({load_avg()})")
    for line in out.splitlines():
        if line.startswith("orders generated"):
            log(f"  {line}")


def node_env(args, data_dir: Path, node_dir: Path) -> dict:
    keys = {name: (data_dir / name).read_text().strip() for name in ("secret_key", "field_keys", "blind_index_key")}
    node_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jiesu.settings",
        "JIESU_LOG_LEVEL": "WARNING",
        "JIESU_DATA_DIR": str(node_dir),
        "JIESU_SECRET_KEY": keys["secret_key"],
        "JIESU_FIELD_KEYS": ",".join(k for k in keys["field_keys"].splitlines() if k.strip()),
        "JIESU_BLIND_INDEX_KEY": keys["blind_index_key"],
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PGB_PORT}/{args.database}",
        "JIESU_PGBOUNCER": "1",
        "CELERY_BROKER_URL": REDIS_URL,
        "JIESU_CACHE_URL": REDIS_URL,
        "JIESU_CACHE_PREFIX": f"{args.database}-bench",
        # Bench clients share users; the per-user API throttle would measure itself.
        "JIESU_API_RATE_USER": "off",
        "JIESU_API_RATE_ANON": "off",
    }
    if not args.no_replica:
        env["DATABASE_REPLICA_URL"] = f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/{args.database}"
    return env


def login(client: httpx.Client, username: str, password: str) -> None:
    client.get("/login/")
    r = client.post(
        "/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": client.cookies.get("csrftoken", "")},
        headers={"Referer": f"{client.base_url}login/"},
    )
    if r.status_code != 302:
        raise SystemExit(f"login of {username} failed: {r.status_code}")


def report_load(nodes: list[str], users: dict, month: str, seconds: float, clients: int) -> dict:
    """Anonymous monthly reports and the dispatcher's searches, alternating between the nodes.
    One login (on node 1) serves both nodes: the session is in the shared database."""
    with httpx.Client(base_url=nodes[0], timeout=60) as first:
        login(first, "dispatcher", users["dispatcher"]["password"])
        cookies = dict(first.cookies)
    timings: dict[str, list[float]] = {"report": [], "search": []}
    statuses: dict[str, int] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(k: int) -> None:
        clients_ = [httpx.Client(base_url=n, timeout=60, cookies=cookies) for n in nodes]
        i = k
        while time.monotonic() < deadline:
            client = clients_[i % len(nodes)]
            kind = "report" if i % 3 == 0 else "search"
            path = (
                f"/public/reports/{month}/" if kind == "report" else f"/orders/?q={SEARCH_WORDS[i % len(SEARCH_WORDS)]}"
            )
            t = time.perf_counter()
            r = client.get(path)
            elapsed = time.perf_counter() - t
            with lock:
                timings[kind].append(elapsed)
                key = f"{kind} node{i % len(nodes) + 1} {r.status_code}"
                statuses[key] = statuses.get(key, 0) + 1
            i += clients
        for c in clients_:
            c.close()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"timings": timings, "statuses": statuses}


def sample_replica(url: str, database: str, stop_event: threading.Event, out: list) -> None:
    while not stop_event.is_set():
        try:
            rows = pg(
                url,
                "SELECT count(*) FILTER (WHERE state = 'active'), count(*) FROM pg_stat_activity "
                "WHERE datname = %s AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
                [database],
            )
            out.append(rows[0])
        except Exception:  # noqa: BLE001 - a sample missed is not a failure of the bench
            pass
        stop_event.wait(1.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database", default="jiesu_scale_bench", help="PostgreSQL database (kept; --prepare rebuilds it)")
    ap.add_argument("--data-dir", help="the data directory the database was made with (its keys)")
    ap.add_argument("--prepare", type=int, help="(re)create the database with this many demo orders first")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers per node")
    ap.add_argument("--intake", type=int, default=400, help="intake POSTs (split between the nodes)")
    ap.add_argument("--clients", type=int, default=2, help="intake clients per node")
    ap.add_argument("--read-clients", type=int, default=2, help="report and search clients")
    ap.add_argument("--seconds", type=float, default=60, help="bound of the intake and the read load")
    ap.add_argument("--no-replica", action="store_true", help="no replica: every read on the primary (comparison)")
    ap.add_argument(
        "--locust", type=float, default=0, help="then run bench/locustfile.py headless for this many seconds"
    )
    ap.add_argument("--users", type=int, default=40, help="Locust users")
    ap.add_argument(
        "--test", action="store_true", help="then run tests/core/test_db_router.py against the real replica"
    )
    args = ap.parse_args()
    if not args.database.replace("_", "").isalnum():
        raise SystemExit("--database: letters, digits and _ only")

    data_dir = Path(args.data_dir or f"/tmp/{args.database}-data")
    data_dir.mkdir(parents=True, exist_ok=True)
    direct = {
        **os.environ,
        "DATABASE_URL": f"{PRIMARY}/{args.database}",
        "JIESU_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "jiesu.settings",
        "JIESU_LOG_LEVEL": "ERROR",
    }
    for name in ("DATABASE_REPLICA_URL", "JIESU_PGBOUNCER", "CELERY_BROKER_URL", "JIESU_FIELD_KEYS"):
        direct.pop(name, None)
    log(f"bench/scaleout.py  database={args.database}  data={data_dir}  {load_avg()}")
    if args.prepare:
        prepare(args, direct)

    stored = pg(f"{PRIMARY}/{args.database}", "SELECT count(*) FROM orders_workorder")[0][0]
    out = sh(str(BIN / "jiesu"), "shell", "-c", f"NAMES = {list(DEMO_USERS)!r}\n" + PREP_SCRIPT, env=direct)
    users = json.loads(next(line for line in out.splitlines() if line.startswith("USERS"))[5:])
    tokens = {
        u: sh(str(BIN / "jiesu"), "api-token", u, "--days", "1", env=direct).strip().splitlines()[-1]
        for u in ("calltaker", "handler")
    }
    info = sh(str(BIN / "jiesu"), "shell", "-c", httpload.TOKEN_SCRIPT, env=direct)
    places = json.loads(next(line for line in info.splitlines() if line.startswith("BENCH"))[5:])["places"]
    month = pg(
        f"{PRIMARY}/{args.database}",
        "SELECT to_char(date_trunc('month', max(received_at) AT TIME ZONE 'Asia/Shanghai') - interval '1 month', "
        "'YYYY-MM') FROM orders_workorder",
    )[0][0] or time.strftime("%Y-%m")
    (data_dir / "bench-users.json").write_text(
        json.dumps({"users": users, "tokens": tokens, "month": month, "places": places[:200]}, ensure_ascii=False)
    )
    log(f"stored orders: {stored:,}; demo users' passwords and tokens in {data_dir / 'bench-users.json'}")

    started: list[tuple[str, subprocess.Popen, object]] = []
    pgb_started = replica_started = False
    try:
        t = time.monotonic()
        out = sh("bash", "scripts/pgbouncer.sh", "start").strip()
        log(out)
        pgb_started = "already running" not in out  # someone else's pooler is left running
        if not args.no_replica:
            log(sh("bash", "scripts/replica.sh", "start").strip() + f"  ({time.monotonic() - t:.0f}s, {load_avg()})")
            replica_started = True
        replica_url = f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/{args.database}"

        nodes, procs = [], []
        for n in (1, 2):
            env = node_env(args, data_dir, data_dir / f"node{n}")
            base, proc, node_log = httpload.start_server(env, data_dir / f"node{n}", args.workers)
            started.append((f"node {n} (gunicorn {base})", proc, node_log))
            nodes.append(base)
            procs.append(proc)
        worker_env = node_env(args, data_dir, data_dir / "celery")
        celery_log = open(data_dir / "celery" / "worker.log", "w")
        celery = subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "jiesu",
                "worker",
                "-c",
                "1",
                "--loglevel",
                "INFO",
                "-n",
                f"{args.database}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            env=worker_env,
            cwd=ROOT,
            stdout=celery_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started.append(("celery worker", celery, celery_log))
        for url, proc in zip(nodes, procs):
            httpload.wait_ready(url, proc, "/public/")
        log(
            f"nodes: {nodes[0]} and {nodes[1]} (each {args.workers} gunicorn workers), PgBouncer :{PGB_PORT}, "
            f"replica :{REPLICA_PORT}{' (off)' if args.no_replica else ''}, Celery worker on {REDIS_URL}"
        )
        # Warm both nodes (engine build, directory copy) so the first measured requests are not it.
        httpload.post_orders(
            nodes[0],
            tokens["calltaker"],
            httpload.make_payloads(8, places, seed=99),
            2,
            60,
            key_offset=9_000_000 + int(time.time()),
        )
        httpload.post_orders(
            nodes[1],
            tokens["calltaker"],
            httpload.make_payloads(8, places, seed=98),
            2,
            60,
            key_offset=9_100_000 + int(time.time()),
        )
        report_load(nodes, users, month, 3, 2)

        before_replica = stats(replica_url, args.database) if not args.no_replica else {}
        before_primary = stats(f"{PRIMARY}/{args.database}", args.database)
        samples: list = []
        stop_sampling = threading.Event()
        sampler = threading.Thread(target=sample_replica, args=(replica_url, args.database, stop_sampling, samples))
        if not args.no_replica:
            sampler.start()
        cpu_before = {i: httpload.worker_cpu_seconds(p.pid) for i, p in enumerate(procs)}
        load_before = load_avg()

        payloads = httpload.make_payloads(args.intake, places, seed=int(time.time()) % 10_000)
        half = len(payloads) // 2
        results: dict = {}
        offset = int(time.time() * 1000) % 10**9 * 10

        def run_intake(i: int) -> None:
            part = payloads[:half] if i == 0 else payloads[half:]
            results[i] = httpload.post_orders(
                nodes[i], tokens["calltaker"], part, args.clients, args.seconds, key_offset=offset + i * 1_000_000
            )

        threads = [threading.Thread(target=run_intake, args=(i,)) for i in (0, 1)]
        for th in threads:
            th.start()
        reads = report_load(nodes, users, month, args.seconds, args.read_clients)
        for th in threads:
            th.join()
        load_after = load_avg()
        stop_sampling.set()
        if sampler.is_alive():
            sampler.join()
        cpu = {i: httpload.worker_cpu_seconds(p.pid) - cpu_before[i] for i, p in enumerate(procs)}
        time.sleep(2)  # the replica's statistics are flushed on a short timer
        after_replica = stats(replica_url, args.database) if not args.no_replica else {}
        after_primary = stats(f"{PRIMARY}/{args.database}", args.database)

        log("")
        log(f"== load ({load_before} before, {load_after} after)")
        for i in (0, 1):
            r = results[i]
            lat = [x * 1000 for x in r["latencies"]]
            ok = r["statuses"].get(201, 0)
            log(
                f"intake node {i + 1}: {ok} orders in {r['elapsed']:.1f}s = {ok / r['elapsed']:.1f}/s, "
                f"p50 {httpload.pct(lat, 50):.0f} ms, p95 {httpload.pct(lat, 95):.0f} ms, statuses {r['statuses']}, "
                f"app CPU {cpu[i]:.1f}s"
            )
        for kind, values in reads["timings"].items():
            ms = [x * 1000 for x in values]
            log(f"{kind:<8} {len(ms)} GETs, p50 {httpload.pct(ms, 50):.0f} ms, p95 {httpload.pct(ms, 95):.0f} ms")
        log(f"statuses: {reads['statuses']}")

        log("")
        log("== where the reads ran (differences over the load; each server counts its own)")
        if not args.no_replica:
            log("replica  " + ", ".join(f"{k} +{after_replica[k] - before_replica[k]:,}" for k in after_replica))
            busy = [a for a, _ in samples]
            if samples:
                log(
                    f"replica client backends sampled every 1 s: {len(samples)} samples, active in "
                    f"{sum(1 for b in busy if b)} of them, {sum(busy) / len(busy):.2f} active on average, "
                    f"up to {max(c for _, c in samples)} connected"
                )
        log("primary  " + ", ".join(f"{k} +{after_primary[k] - before_primary[k]:,}" for k in after_primary))
        if not args.no_replica:
            log("replication: " + " ".join(sh("bash", "scripts/replica.sh", "status").split()))
        log(f"pgbouncer: {httpload.pgbouncer_pool(args.database)}")
        log(celery_jobs(data_dir / "celery" / "worker.log"))

        if args.locust:
            replica_before = stats(replica_url, args.database) if not args.no_replica else {}
            primary_before = stats(f"{PRIMARY}/{args.database}", args.database)
            run_locust(args, nodes, data_dir)
            time.sleep(2)
            if not args.no_replica:
                after = stats(replica_url, args.database)
                log(
                    "replica over the Locust run  " + ", ".join(f"{k} +{after[k] - replica_before[k]:,}" for k in after)
                )
            after = stats(f"{PRIMARY}/{args.database}", args.database)
            log("primary over the Locust run  " + ", ".join(f"{k} +{after[k] - primary_before[k]:,}" for k in after))
            log(f"pgbouncer after the Locust run: {httpload.pgbouncer_pool(args.database)}")
            if not args.no_replica:
                log("replication: " + " ".join(sh("bash", "scripts/replica.sh", "status").split()))
        if args.test and not args.no_replica:
            run_router_test(args)
    finally:
        for name, proc, proc_log in reversed(started):
            httpload.stop_server(proc, proc_log)
            log(f"stopped {name}")
        if replica_started:
            log(sh("bash", "scripts/replica.sh", "stop", check=False).strip())
        if pgb_started:
            log(sh("bash", "scripts/pgbouncer.sh", "stop", check=False).strip())


PERIODIC = (
    "jiesu.followup.sweep",
    "jiesu.insight.check_alerts",
    "jiesu.notifications.limits_near",
    "jiesu.linkage.follow_transfers",
)


def celery_jobs(worker_log: Path, timeout: float = 300) -> str:
    """The periodic jobs sent through Redis as `celery beat` sends them, run by the worker (its
    database connection through PgBouncer too); plus whatever the nodes queued themselves."""
    from celery import Celery

    client = Celery(broker=REDIS_URL)
    sent = time.monotonic()
    for name in PERIODIC:
        client.send_task(name)
    pattern = re.compile(r"Task (\S+)\[[^\]]+\] (succeeded|raised|failed)")
    while True:
        outcomes = pattern.findall(worker_log.read_text())
        if sum(1 for name, _ in outcomes if name in PERIODIC) >= len(PERIODIC) or time.monotonic() - sent > timeout:
            break
        time.sleep(1)
    counts: dict[str, int] = {}
    for name, outcome in outcomes:
        counts[f"{name} {outcome}"] = counts.get(f"{name} {outcome}", 0) + 1
    return (
        f"celery worker ({time.monotonic() - sent:.0f}s after sending {len(PERIODIC)} periodic jobs through Redis): "
        + (", ".join(f"{k} x{v}" for k, v in sorted(counts.items())) or "nothing ran")
    )


def run_locust(args, nodes: list[str], data_dir: Path) -> None:
    log("")
    log(f"== Locust: {args.users} users for {args.locust:.0f}s against both nodes ({load_avg()})")
    prefix = data_dir / "locust"
    env = {**os.environ, "JIESU_LOCUST_NODES": ",".join(nodes), "JIESU_LOCUST_DATA": str(data_dir / "bench-users.json")}
    t = time.monotonic()
    proc = subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "-u",
            str(args.users),
            "-r",
            str(max(1, args.users // 10)),
            "-t",
            f"{int(args.locust)}s",
            "--host",
            nodes[0],
            "--csv",
            str(prefix),
            "--only-summary",
            "--stop-timeout",
            "10",
        ],
        env=env,
        cwd=ROOT,
        text=True,
        capture_output=True,
    )
    log(f"locust exited {proc.returncode} after {time.monotonic() - t:.0f}s ({load_avg()})")
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr[-3000:])
    log(sh(str(BIN / "python"), str(ROOT / "bench" / "locustfile.py"), f"{prefix}_stats.csv").rstrip())


def run_router_test(args) -> None:
    log("")
    log("== tests/core/test_db_router.py against the real replica (test database created on the primary, replayed)")
    env = {
        **os.environ,
        "DATABASE_URL": f"{PRIMARY}/{args.database}_t",
        "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/{args.database}_t",
    }
    env.pop("JIESU_PGBOUNCER", None)
    proc = subprocess.run(
        [
            str(BIN / "python"),
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--create-db",
            "tests/core/test_db_router.py",
        ],
        env=env,
        cwd=ROOT,
        text=True,
        capture_output=True,
    )
    log("\n".join(proc.stdout.strip().splitlines()[-3:]))


if __name__ == "__main__":
    main()
