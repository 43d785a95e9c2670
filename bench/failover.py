#!/usr/bin/env python
"""Intake through a PostgreSQL restart: is any acknowledged order lost or duplicated, and does
any request fail once the database is back? (issue 12, defect 10)

    .venv/bin/python bench/failover.py                  # 60 s, 4 clients, restart at 20 s
    .venv/bin/python bench/failover.py --seconds 90 --restart-at 30 --clients 4

Steps: a fresh PostgreSQL database `jiesu_failover` on 127.0.0.1:5432 (dropped and created),
`jiesu migrate` and `jiesu demo` as the owner (postgres), an application role
`jiesu_failover_app` given its privileges by `jiesu grant-app-role` (README, "Two database
roles"), gunicorn (2 workers, gunicorn.conf.py's threads) logged in as that role, then C client
threads POSTing orders to /api/v1/orders/ for S seconds, each with its own Idempotency-Key.
A client that gets no answer or a 5xx sends the same body with the same key again (after
0.2 s) until it is acknowledged (201, or 200 for a replay), as a well-behaved client does.
At --restart-at the PostgreSQL cluster is restarted with pg_ctlcluster (this machine's Debian
cluster; **everyone using that server sees the restart**, which is why no test does this).

Printed: requests and statuses before, during and after the outage, how long the database was
down and how long clients saw errors, 5xx among requests started after the database answered
again (the target is 0), and the check of the stored orders against the acknowledgements: every
acknowledged key has exactly one order with the number the client was told and the text it
sent; no order of the bench user lacks a key (a duplicate). Exit status 1 if any check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import httpload  # noqa: E402  the server start-up, token and payload helpers bench/intake.py uses
from httpload import BIN, log, run  # noqa: E402

PG = "postgres://postgres@127.0.0.1:5432"
DB = "jiesu_failover"
APP_ROLE = "jiesu_failover_app"

CHECK_SCRIPT = """
import json, os
from jiesu.directory.models import User
from jiesu.orders.models import IdempotencyRecord, WorkOrder
acked = json.load(open(os.environ["FAILOVER_ACKED"]))
user = User.objects.get(username="bench-calltaker")
every_key = {r.key: r for r in IdempotencyRecord.objects.filter(user=user).select_related("order")}
records = {k: r for k, r in every_key.items() if k.startswith("failover-")}  # not the warm-up's
lost = [k for k in acked if k not in records]
wrong_number = [k for k, a in acked.items() if k in records and records[k].order.number != a["number"]]
wrong_text = [k for k, a in acked.items() if k in records and records[k].order.content != a["content"].strip()]
keyed = {r.order_id for r in every_key.values()}
unkeyed = [o.number for o in WorkOrder.objects.filter(created_by=user) if o.pk not in keyed]
print("CHECK" + json.dumps({"orders": len({r.order_id for r in records.values()}) + len(unkeyed), "records": len(records),
                            "lost": lost, "wrong_number": wrong_number, "wrong_text": wrong_text,
                            "unacknowledged_keys": sorted(set(records) - set(acked)), "orders_without_key": unkeyed}))
"""


def psql_admin():
    import psycopg

    return psycopg.connect(f"{PG}/postgres", autocommit=True)


def pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"]).returncode == 0


class Clients:
    """C threads posting orders; every attempt is recorded as (start, end, key, status)."""

    def __init__(self, base: str, token: str, payloads: list[dict], clients: int, seconds: float, grace: float):
        self.base, self.token, self.payloads = base, token, payloads
        self.clients, self.seconds, self.grace = clients, seconds, grace
        self.attempts: list[tuple[float, float, str, int | str]] = []
        self.acked: dict[str, dict] = {}
        self.unacked: list[str] = []
        self.client_errors: list[tuple[str, int, str]] = []
        self.lock = threading.Lock()
        self.next = 0

    def take(self) -> int | None:
        with self.lock:
            if self.next >= len(self.payloads):
                return None
            self.next += 1
            return self.next - 1

    def worker(self, stop_sending: float, give_up: float) -> None:
        import httpx

        attempts = []
        with httpx.Client(base_url=self.base, timeout=30) as client:
            while time.monotonic() < stop_sending:
                i = self.take()
                if i is None:
                    break
                key, body = f"failover-{i}", self.payloads[i]
                headers = {"Authorization": f"Token {self.token}", "Idempotency-Key": key}
                while True:
                    t0 = time.monotonic()
                    try:
                        r = client.post("/api/v1/orders/", json=body, headers=headers)
                        code: int | str = r.status_code
                    except httpx.HTTPError as exc:
                        r, code = None, type(exc).__name__
                    attempts.append((t0, time.monotonic(), key, code))
                    if code in (200, 201):
                        with self.lock:
                            self.acked[key] = {"number": r.json()["number"], "content": body["content"]}
                        break
                    if isinstance(code, int) and code < 500:
                        # Not retried and not a pass: an exception in this thread would vanish.
                        with self.lock:
                            self.client_errors.append((key, code, r.text[:300]))
                        break
                    if time.monotonic() > give_up:
                        with self.lock:
                            self.unacked.append(key)
                        break
                    time.sleep(0.2)
        with self.lock:
            self.attempts.extend(attempts)

    def run(self, t0: float) -> None:
        threads = [
            threading.Thread(target=self.worker, args=(t0 + self.seconds, t0 + self.seconds + self.grace))
            for _ in range(self.clients)
        ]
        for t in threads:
            t.start()
        self.threads = threads

    def join(self) -> None:
        for t in self.threads:
            t.join()


def restart_postgres(result: dict) -> None:
    version = sorted(os.listdir("/etc/postgresql"))[0]
    result["down_at"] = time.monotonic()
    done = subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], capture_output=True, text=True
    )
    result["restart_returned_at"] = time.monotonic()
    result["restart_rc"] = done.returncode
    result["restart_output"] = (done.stdout + done.stderr).strip()
    while not pg_ready():
        time.sleep(0.05)
    result["up_at"] = time.monotonic()


def summarise(attempts, down: float, up: float) -> dict:
    def bucket(rows):
        counts: dict = {}
        for _, _, _, code in rows:
            counts[code] = counts.get(code, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: str(kv[0])))

    before = [a for a in attempts if a[1] < down]
    during = [a for a in attempts if a[1] >= down and a[0] < up]
    after = [a for a in attempts if a[0] >= up]
    failed = [a for a in attempts if not (isinstance(a[3], int) and a[3] < 500)]
    ok_after = [a for a in after if a[3] in (200, 201)]
    return {
        "before": bucket(before),
        "during": bucket(during),
        "after": bucket(after),
        "errors_after": [a for a in after if not (isinstance(a[3], int) and a[3] < 500)],
        "first_error": min((a[1] for a in failed), default=None),
        "last_error": max((a[1] for a in failed), default=None),
        "first_ok_after": min((a[1] for a in ok_after), default=None),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=60, help="how long the clients send new orders")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--restart-at", type=float, default=20, help="seconds after the start of the load")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    ap.add_argument("--grace", type=float, default=60, help="how long a client keeps retrying after --seconds")
    ap.add_argument("--keep", action="store_true", help="keep the database, the role and the data directory")
    ap.add_argument(
        "--no-restart", action="store_true", help="the same load without the restart (checks the bench itself)"
    )
    args = ap.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="jiesu-failover-"))
    owner_env = {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DB}",
        "JIESU_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "jiesu.settings",
        "JIESU_LOG_LEVEL": "ERROR",
        # All clients share one token: the per-user API throttle would answer 429s.
        "JIESU_API_RATE_USER": os.environ.get("JIESU_API_RATE_USER", "off"),
    }
    owner_env.pop("JIESU_FIELD_KEYS", None)
    app_env = {**owner_env, "DATABASE_URL": f"postgres://{APP_ROLE}@127.0.0.1:5432/{DB}"}
    log(
        f"bench/failover.py  {args.seconds:.0f} s  {args.clients} clients  PostgreSQL restart at {args.restart_at:.0f} s  "
        f"gunicorn workers={args.workers}  data={data_dir}"
    )
    log(f"machine: {os.cpu_count()} cores, {httpload.platform_line()}")

    with psql_admin() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB}")
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE]).fetchone():
            conn.execute(f"CREATE ROLE {APP_ROLE} LOGIN")
        version = conn.execute("SHOW server_version").fetchone()[0]
    run([str(BIN / "jiesu"), "migrate", "--noinput", "-v0"], owner_env)
    run([str(BIN / "jiesu"), "demo"], owner_env, capture=True)
    grants = run([str(BIN / "jiesu"), "grant-app-role", APP_ROLE], owner_env, capture=True)
    log(f"PostgreSQL {version}; gunicorn logs in as {APP_ROLE}: " + grants.splitlines()[1].strip())
    info = run([str(BIN / "jiesu"), "shell", "-c", httpload.TOKEN_SCRIPT], owner_env, capture=True)
    info = json.loads(next(line for line in info.splitlines() if line.startswith("BENCH"))[5:])
    payloads = httpload.make_payloads(int(args.seconds * 400), info["places"], seed=11)

    base, proc, gunicorn_log = httpload.start_server(app_env, data_dir, args.workers)
    outage: dict = {}
    ok = True
    try:
        httpload.wait_ready(base, proc, "/api/v1/orders/?limit=1", token=info["token"], timeout=60)
        # Each worker loads the engine's models on its first POST: not part of what is measured.
        warm = httpload.post_orders(
            base, info["token"], httpload.make_payloads(4 * args.workers, info["places"], seed=3), 2 * args.workers, 300
        )
        log(f"warm-up            {warm['statuses']} in {warm['elapsed']:.1f} s")
        clients = Clients(base, info["token"], payloads, args.clients, args.seconds, args.grace)
        t0 = time.monotonic()
        clients.run(t0)
        time.sleep(args.restart_at)
        if args.no_restart:
            outage.update(down_at=time.monotonic(), restart_returned_at=time.monotonic(), restart_rc=0)
            outage["up_at"] = outage["down_at"]
        else:
            restart_postgres(outage)
        clients.join()
        elapsed = time.monotonic() - t0
    finally:
        httpload.stop_server(proc, gunicorn_log)

    acked_path = data_dir / "acked.json"
    acked_path.write_text(json.dumps(clients.acked, ensure_ascii=False))
    check = run(
        [str(BIN / "jiesu"), "shell", "-c", CHECK_SCRIPT],
        {**owner_env, "FAILOVER_ACKED": str(acked_path)},
        capture=True,
    )
    check = json.loads(next(line for line in check.splitlines() if line.startswith("CHECK"))[5:])

    down, up = outage["down_at"], outage["up_at"]
    s = summarise(clients.attempts, down, up)
    rel = lambda t: f"{t - t0:.2f} s" if t is not None else "-"  # noqa: E731
    log("")
    log(
        f"load               {len(clients.attempts):,} requests in {elapsed:.1f} s, {len(clients.acked):,} orders acknowledged "
        f"({len(clients.acked) / args.seconds:.1f}/s over the {args.seconds:.0f} s of sending)"
    )
    log(
        f"restart            began {rel(down)}, pg_ctlcluster returned {rel(outage['restart_returned_at'])} "
        f"(rc {outage['restart_rc']}), pg_isready {rel(up)}: database down {up - down:.2f} s"
    )
    log(f"statuses before    {s['before']}")
    log(
        f"during outage      {s['during']}  (requests that ended after the restart began and started before the database was back)"
    )
    log(f"after it was back  {s['after']}")
    log(
        f"errors seen        first {rel(s['first_error'])}, last {rel(s['last_error'])}; "
        f"first acknowledgement after the database was back {rel(s['first_ok_after'])}"
    )
    errors_after = s["errors_after"]
    log(
        f"5xx/no answer after the database was back: {len(errors_after)}"
        + (f"  e.g. {[(rel(a[0]), a[3]) for a in errors_after[:5]]}" if errors_after else "")
    )
    log(f"stored             {check['orders']:,} orders by the bench client, {check['records']:,} idempotency keys")
    log(
        f"lost (acknowledged, not stored): {len(check['lost'])}; stored under another number: {len(check['wrong_number'])}; "
        f"other text: {len(check['wrong_text'])}"
    )
    log(
        f"duplicated (orders without their key): {len(check['orders_without_key'])}; "
        f"stored but never acknowledged: {len(check['unacknowledged_keys'])}; given up by clients: {len(clients.unacked)}"
    )
    log(
        f"client errors (4xx, not retried): {len(clients.client_errors)}"
        + (f"  e.g. {clients.client_errors[:3]}" if clients.client_errors else "")
    )
    ok = not (
        check["lost"]
        or check["wrong_number"]
        or check["wrong_text"]
        or check["orders_without_key"]
        or errors_after
        or outage["restart_rc"]
        or clients.client_errors
    )
    log(
        f"verdict            {'PASS' if ok else 'FAIL'}: no acknowledged order lost or duplicated, no 5xx once the database was back"
    )

    if not args.keep:
        with psql_admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
            conn.execute(f"DROP ROLE IF EXISTS {APP_ROLE}")
        import shutil

        shutil.rmtree(data_dir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
