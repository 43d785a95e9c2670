"""A real Jiesu server for end-to-end tests: its own fresh database, gunicorn, real HTTP.

pytest-django's live_server flushes tables after each test, which the append-only triggers
rightly refuse; a separate server on a separate database is also closer to production.
"""

from __future__ import annotations

import atexit
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


def _postgres_database(base_url: str, name: str, *, drop: bool) -> str:
    import psycopg

    admin_url = re.sub(r"/[^/]*$", "/postgres", base_url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop:
            conn.execute(f'CREATE DATABASE "{name}"')
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


# Prepared SQLite data directories of this test process, by demo size and extra environment:
# `jiesu migrate` and `jiesu demo` take 30-60 s, and a dozen modules start a server each.
_PREPARED: dict[tuple, tuple[str, dict[str, str]]] = {}


def _copy_of_prepared(data_dir: str, env: dict, demo_orders: int, extra_env: dict) -> dict[str, str]:
    """Fill data_dir with a copy of a demo centre prepared once per process: the database,
    uploads, and the keys its personal data and signed links were made with. Each server gets
    its own copy, so what one test writes no other test sees."""
    key = (demo_orders, tuple(sorted(extra_env.items())))
    if key not in _PREPARED:
        template = tempfile.mkdtemp(prefix="jiesu-live-template-")
        atexit.register(shutil.rmtree, template, ignore_errors=True)
        _PREPARED[key] = (template, _prepare({**env, "JIESU_DATA_DIR": template}, demo_orders))
    template, passwords = _PREPARED[key]
    shutil.copytree(template, data_dir, dirs_exist_ok=True)
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
        env["DATABASE_URL"] = _postgres_database(base_url, pg_name, drop=False)
    else:
        env.pop("DATABASE_URL", None)
    if pg_name is None:
        passwords = _copy_of_prepared(data_dir, env, demo_orders, extra_env or {})
    else:
        passwords = _prepare(env, demo_orders)
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
