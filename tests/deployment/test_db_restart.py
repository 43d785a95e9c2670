"""A database restart costs no request once the database is back (issue 12, defect 10).

gunicorn keeps one PostgreSQL connection per worker thread between requests (CONN_MAX_AGE).
When the server restarts, every one of them is dead; without a health check each thread's
next request failed with a 500. Restarting the shared PostgreSQL here would disturb everyone
using it, so the test ends the server processes of its own live server's database only
(pg_terminate_backend: what a restart or failover does to those connections). The restart
itself, under load, is `bench/failover.py`.
"""

from __future__ import annotations

import os
import re
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.live_server import live_jiesu

SERVICE = "/open311/v2/services/urban.property.service.json"  # public, and reads the database


def _admin(database_url: str):
    import psycopg

    return psycopg.connect(re.sub(r"/[^/]*$", "/postgres", database_url), autocommit=True)


def _backends(conn, dbname: str) -> int:
    return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [dbname]).fetchone()[0]


def _burst(url: str, n: int = 24) -> list[int]:
    def one(_):
        # A connection of its own each, so the requests spread over workers and threads.
        with httpx.Client(base_url=url, timeout=30) as http:
            return http.get(SERVICE).status_code

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(n)))


def test_kept_connections_are_replaced_after_the_database_drops_them():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("PostgreSQL only: SQLite connections are not kept between requests")
    with live_jiesu(extra_env={"JIESU_CONN_MAX_AGE": "600"}) as (url, _passwords, env):
        dbname = env["DATABASE_URL"].rsplit("/", 1)[1]
        assert set(_burst(url)) == {200}
        with _admin(env["DATABASE_URL"]) as admin:
            kept = _backends(admin, dbname)
            assert kept > 0, "the server keeps no connection: nothing to check"
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [dbname])
            deadline = time.monotonic() + 30
            while _backends(admin, dbname) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert _backends(admin, dbname) == 0
        statuses = _burst(url)
        assert statuses == [200] * len(statuses), f"{kept} kept connections ended; statuses after: {statuses}"
