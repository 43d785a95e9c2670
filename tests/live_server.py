"""A real Jiesu server for end-to-end tests: its own fresh database, gunicorn, real HTTP.

pytest-django's live_server flushes tables after each test, which the append-only triggers
rightly refuse; a separate server on a separate database is also closer to production.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres_database(base_url: str, name: str, *, drop: bool, template: str | None = None) -> str:
    """Drop the database `name` on base_url's server, then (unless drop) create it afresh, as a
    copy of `template` when one is given. Returns its URL."""
    import psycopg

    admin_url = re.sub(r"/[^/]*$", "/postgres", base_url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop:
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return re.sub(r"/[^/]*$", f"/{name}", base_url)


def _prepare(env: dict, demo_orders: int) -> dict[str, str]:
    """Migrate and load the demo centre into env's database; the demo users' passwords."""
    jiesu = str(BIN / "jiesu")
    subprocess.run([jiesu, "migrate", "--noinput"], env=env, check=True, capture_output=True, cwd=REPO)
    demo = subprocess.run(
        [jiesu, "demo", "--orders", str(demo_orders)] if demo_orders else [jiesu, "demo"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    return dict(re.findall(r"^\s+(\w+)\s+\w+\s+(\S+)$", demo.stdout, re.M))


# Demo centres prepared once per test run and copied for each server: `jiesu migrate` and
# `jiesu demo` take 30-60 s, and a dozen modules start a server each. The pytest-xdist workers of
# one run share them: the controller names a folder before the workers start (tests/conftest.py,
# JIESU_LIVE_TEMPLATES), the first worker to need a size prepares it under a file lock, the other
# waits and copies. A run without xdist, or a script, gets a folder of its own.
_OWN_TEMPLATES: str | None = None


def templates_dir() -> Path:
    global _OWN_TEMPLATES
    shared = os.environ.get("JIESU_LIVE_TEMPLATES")
    if shared:
        Path(shared).mkdir(parents=True, exist_ok=True)
        return Path(shared)
    if _OWN_TEMPLATES is None:
        _OWN_TEMPLATES = tempfile.mkdtemp(prefix="jiesu-live-templates-")
        atexit.register(drop_templates, _OWN_TEMPLATES)
    return Path(_OWN_TEMPLATES)


def _template_database(folder: Path, demo_orders: int) -> str:
    # Unique per run (the folder's random name), so runs side by side never share a template.
    return f"jiesu_live_tpl_{re.sub(r'[^a-z0-9]', '', folder.name.lower())[-12:]}_{demo_orders}"


def drop_templates(folder: str) -> None:
    """Remove a run's prepared centres: the folder, and on PostgreSQL the template databases."""
    base_url = os.environ.get("DATABASE_URL", "")
    if base_url.startswith("postgres") and Path(folder).is_dir():
        for info in Path(folder).glob("*.json"):
            demo_orders = int(info.stem.rsplit("-", 1)[1])
            try:
                _postgres_database(base_url, _template_database(Path(folder), demo_orders), drop=True)
            except Exception:  # noqa: BLE001 - cleanup must not hide the run's own result
                pass
    shutil.rmtree(folder, ignore_errors=True)


def _prepared(env: dict, demo_orders: int, base_url: str) -> tuple[Path, str | None, dict[str, str]]:
    """The run's prepared centre of this size: its data folder (keys, uploads and, on SQLite,
    the database), its template database on PostgreSQL, and the demo users' passwords."""
    import fcntl

    folder = templates_dir()
    kind = "pg" if base_url.startswith("postgres") else "sqlite"
    data = folder / f"{kind}-{demo_orders}"
    info = folder / f"{kind}-{demo_orders}.json"
    template_db = _template_database(folder, demo_orders) if kind == "pg" else None
    with open(folder / f"{kind}-{demo_orders}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not info.exists():
            shutil.rmtree(data, ignore_errors=True)
            data.mkdir()
            prepare_env = {**env, "JIESU_DATA_DIR": str(data)}
            if template_db:
                prepare_env["DATABASE_URL"] = _postgres_database(base_url, template_db, drop=False)
            passwords = _prepare(prepare_env, demo_orders)
            # Written last: a worker that finds it finds a complete centre.
            info.write_text(json.dumps(passwords))
        return data, template_db, json.loads(info.read_text())


def _copy_of_prepared(data_dir: str, env: dict, demo_orders: int) -> dict[str, str]:
    """Fill data_dir (and on PostgreSQL, env's database) with a copy of the run's prepared demo
    centre: the database, uploads, and the keys its personal data and signed links were made
    with. Each server gets its own copy, so what one test writes no other test sees."""
    base_url = os.environ.get("DATABASE_URL", "")
    data, template_db, passwords = _prepared(env, demo_orders, base_url)
    shutil.copytree(data, data_dir, dirs_exist_ok=True)
    if template_db:
        _postgres_database(base_url, env["DATABASE_URL"].rsplit("/", 1)[1], drop=False, template=template_db)
    return dict(passwords)


@contextmanager
def live_jiesu(*, demo_orders: int = 0, extra_env: dict | None = None):
    """Yield (base_url, {username: password}, env) for a freshly prepared server."""
    data_dir = tempfile.mkdtemp(prefix="jiesu-live-")
    env = {**os.environ, "JIESU_DATA_DIR": data_dir, "JIESU_LOG_LEVEL": "WARNING", **(extra_env or {})}
    base_url = os.environ.get("DATABASE_URL", "")
    pg_name = None
    if base_url.startswith("postgres"):
        pg_name = f"jiesu_live_{os.getpid()}_{free_port()}"
        env["DATABASE_URL"] = re.sub(r"/[^/]*$", f"/{pg_name}", base_url)
    else:
        env.pop("DATABASE_URL", None)
    # The centre is prepared without extra_env: what tests add (a cache, a log level, kept
    # connections) changes how the server runs, not what migrate and demo write.
    passwords = _copy_of_prepared(data_dir, {k: v for k, v in env.items() if k not in (extra_env or {})}, demo_orders)
    port = free_port()
    # A file, not a pipe: nobody reads a pipe while tests run, and a full one blocks the server.
    log_path = Path(data_dir) / "gunicorn.log"
    log = open(log_path, "w")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "jiesu.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        # gunicorn's master loads the engine and its reader before its workers serve (jiesu/wsgi.py,
        # preload_app): ~10 s alone, several times that with two pytest-xdist workers booting
        # servers side by side.
        deadline = time.monotonic() + 240
        while True:
            try:
                urllib.request.urlopen(f"{url}/login/", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start: {log_path.read_text()[-2000:]}") from None
                time.sleep(0.3)
        yield url, passwords, env
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        if pg_name:
            _postgres_database(base_url, pg_name, drop=True)
        shutil.rmtree(data_dir, ignore_errors=True)


REDIS_URL = os.environ.get("JIESU_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_or_skip(url: str = REDIS_URL):
    """A Redis client for ``url``; skip when Redis is down, or fail under JIESU_REQUIRE_REDIS
    (CI starts Redis, so there a missing server is an error, not a reason to skip)."""
    import pytest
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        message = f"Redis not reachable at {url} ({exc}); start it (.ci/run does) or unset JIESU_REQUIRE_REDIS"
        if os.environ.get("JIESU_REQUIRE_REDIS"):
            pytest.fail(message)
        pytest.skip(message)
    return client
