"""What the HTTP benchmarks share: a gunicorn node on a free port and its stop, the wait for it to
answer, a call-taker's API token and real places, intake request bodies, the keep-alive POST loop,
percentiles, gunicorn's worker CPU and PgBouncer's pool. Used by intake.py, scaleout.py,
failover.py and lifecycle.py."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))

# A call-taker's API token and 500 real communities (district, township, community), printed as
# one BENCH line by `jiesu shell -c`.
TOKEN_SCRIPT = """
import json, random
from jiesu.api import tokens
from jiesu.directory.models import Place, Unit, User
unit = Unit.objects.get(code="centre")
user, _ = User.objects.get_or_create(username="bench-calltaker", defaults={"role": "call_taker", "unit": unit,
                                     "display_name": "压测话务员"})
# One live token, as a client has: knox reads all of a user's tokens on every request (to drop
# expired ones), so the tokens of earlier runs would each add to every request's cost.
user.auth_token_set.all().delete()
token = tokens.issue(user, days=1)[1]
places = list(Place.objects.filter(level="community").exclude(name__contains="虚拟")
              .select_related("parent", "district").order_by("code"))
random.Random(7).shuffle(places)
print("BENCH" + json.dumps({"token": token, "places": [
    [p.district.name, p.parent.name, p.name.removesuffix("社区")] for p in places[:500]]}, ensure_ascii=False))
"""


def log(msg: str = "") -> None:
    print(msg, flush=True)


def run(cmd: list[str], env: dict, *, capture: bool = False, cwd: Path = ROOT) -> str:
    proc = subprocess.run(cmd, env=env, cwd=cwd, text=True, capture_output=capture)
    if proc.returncode:
        if capture:
            sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return proc.stdout if capture else ""


def platform_line() -> str:
    import platform

    return f"Python {platform.python_version()}, {platform.system()} {platform.release()}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    env: dict,
    data_dir: Path,
    workers: int,
    *options: str,
    cwd: Path = ROOT,
    app: str = "jiesu.wsgi:application",
    log_name: str = "gunicorn.log",
):
    """gunicorn on a free local port with the gunicorn.conf.py of `cwd` (the repository's),
    logging into the data directory: (base URL, process, open log file)."""
    port = free_port()
    log_file = open(data_dir / log_name, "w")
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            app,
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


def stop_server(proc: subprocess.Popen | None, log_file=None) -> None:
    """SIGTERM the process group (gunicorn, or a Celery worker, started in its own session), give it
    30 s to finish its requests, then kill it."""
    if proc is not None and proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    if log_file is not None:
        log_file.close()


def wait_ready(
    base: str, proc: subprocess.Popen, path: str = "/public/", *, token: str = "", timeout: float = 120
) -> None:
    """Until GET `path` answers 200 (with the API token, if given); a node that exits or stays
    silent ends the bench."""
    headers = {"Authorization": f"Token {token}"} if token else {}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{base}: gunicorn exited during start-up")
        try:
            if httpx.get(f"{base}{path}", headers=headers, timeout=10).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{base} did not answer in time")


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


def postgres_cpu_seconds() -> float:
    """User + system CPU of this machine's PostgreSQL processes (server, backends, background
    workers), from /proc. Read after the load while its connections are still open: the CPU of a
    backend that has exited is not counted (the app keeps its connections, CONN_MAX_AGE)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name, rest = text.split("(", 1)[1].rsplit(")", 1)
        if name.startswith("postgres") or name.startswith("postmaster"):
            fields = rest.split()
            total += int(fields[11]) + int(fields[12])
    return total / tick


def machine_busy_seconds() -> float:
    """CPU time every core of the machine spent not idle (/proc/stat), summed: the app, the
    database, the client and anything else running."""
    tick = os.sysconf("SC_CLK_TCK")
    values = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    return (sum(values[:8]) - idle) / tick


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def make_payloads(count: int, places: list[list[str]], seed: int = 1) -> list[dict]:
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


def shift_callers(payloads: list[dict], k: int) -> list[dict]:
    """The same requests from other callers: every phone moved by the same offset (k), so the
    k-th contender of an interleaved comparison files the very texts the first does, with the
    same pattern of repeat callers, and none of its callers is one the first has already filed
    (the engine would rightly read those as repeat calls). Texts drawn apart per contender made
    one contender 10-25 % dearer per POST than another running the same code (2026-12-05)."""
    if not k:
        return payloads
    out = []
    for p in payloads:
        phone = p["requester_phone"]
        rest = (int(phone[2:]) + k * 104_729) % 10**9
        out.append({**p, "requester_phone": f"{phone[:2]}{rest:09d}"})
    return out


class _Slots(dict):
    def __init__(self, base, fill, rng):
        super().__init__(base)
        self.fill, self.rng = fill, rng

    def __missing__(self, key):
        f = self.fill.get(key)
        return f() if f else str(self.rng.randint(2, 30))


def post_orders(
    base: str,
    token: str,
    payloads: list[dict],
    concurrency: int,
    max_seconds: float,
    *,
    key_offset: int = 0,
    key_prefix: str = "",
) -> dict:
    """POST the payloads to /api/v1/orders/ from `concurrency` keep-alive clients (each POST with
    its own Idempotency-Key, `key_prefix` telling apart the runs of one process), until they are
    sent or `max_seconds` pass: latencies, status counts and the elapsed time."""
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
                headers["Idempotency-Key"] = f"bench-{os.getpid()}-{key_prefix}{key_offset + i}"
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
