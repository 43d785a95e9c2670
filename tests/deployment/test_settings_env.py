"""Settings read from the environment fail loudly on a value they cannot use."""

from __future__ import annotations

import os
import subprocess

from tests.live_server import BIN, REPO


def test_a_cache_url_that_is_not_redis_is_refused_by_name(tmp_path):
    env = {**os.environ, "JIESU_DATA_DIR": str(tmp_path), "JIESU_CACHE_URL": "memcached://127.0.0.1:11211"}
    done = subprocess.run([str(BIN / "jiesu"), "check"], env=env, cwd=REPO, capture_output=True, text=True)
    assert done.returncode != 0
    assert "JIESU_CACHE_URL must be a redis:// URL" in done.stderr


def test_postgresql_connections_run_without_jit_unless_asked(tmp_path):
    script = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS', {}).get('options'))"
    base = {**os.environ, "JIESU_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgres://jiesu@127.0.0.1:5432/jiesu"}
    base.pop("JIESU_PG_JIT", None)
    off = subprocess.run(
        [str(BIN / "jiesu"), "shell", "-c", script], env=base, cwd=REPO, capture_output=True, text=True
    )
    assert off.stdout.strip().endswith("-c jit=off"), off.stderr
    on = subprocess.run(
        [str(BIN / "jiesu"), "shell", "-c", script],
        env={**base, "JIESU_PG_JIT": "1"},
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert on.stdout.strip().endswith("None"), on.stderr
