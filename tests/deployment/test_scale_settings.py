"""Settings for PgBouncer and the read replica (settings.py; jiesu/core/db_router.py), read in a
fresh interpreter as a node would at start."""

from __future__ import annotations

import json
import os
import subprocess

from tests.live_server import BIN, REPO

SHOW = (
    "import json, jiesu.settings as s; d = s.DATABASES; "
    "print(json.dumps({a: {'port': v.get('PORT'), 'cursors_off': v.get('DISABLE_SERVER_SIDE_CURSORS', False), "
    "'options': v.get('OPTIONS', {}).get('options'), 'mirror': v.get('TEST', {}).get('MIRROR'), "
    "'prepare': v.get('OPTIONS', {}).get('prepare_threshold'), "
    "'server_binding': v.get('OPTIONS', {}).get('server_side_binding', False)} for a, v in d.items()} "
    "| {'alias': s.JIESU_REPLICA_ALIAS, 'routers': s.DATABASE_ROUTERS}))"
)


def _settings(tmp_path, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "DATABASE_URL",
            "DATABASE_REPLICA_URL",
            "JIESU_PGBOUNCER",
            "JIESU_PG_JIT",
            "JIESU_REPLICA_PGBOUNCER",
            "JIESU_PG_PREPARE",
        )
    }
    return subprocess.run(
        [str(BIN / "python"), "-c", SHOW],
        env={**base, "JIESU_DATA_DIR": str(tmp_path), **env},
        cwd=REPO,
        capture_output=True,
        text=True,
    )


def test_pgbouncer_and_replica_aliases(tmp_path):
    done = _settings(
        tmp_path,
        DATABASE_URL="postgres://jiesu@127.0.0.1:6432/jiesu",
        JIESU_PGBOUNCER="1",
        DATABASE_REPLICA_URL="postgres://jiesu@127.0.0.1:5433/jiesu",
    )
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    # Through the pooler: no server-side cursors, no startup options (PgBouncer refuses them).
    assert got["default"] == {
        "port": 6432,
        "cursors_off": True,
        "options": None,
        "mirror": None,
        "prepare": None,  # prepared statements live on one server connection: not through the pooler
        "server_binding": False,
    }
    # The replica connects directly: its cursors stream, JIT off as on the primary; in tests it
    # is the default test database as replayed.
    assert got["replica"] == {
        "port": 5433,
        "cursors_off": False,
        "options": "-c jit=off",
        "mirror": "default",
        "prepare": None,
        "server_binding": False,
    }
    assert got["alias"] == "replica" and got["routers"] == ["jiesu.core.db_router.ReplicaRouter"]


def test_without_a_replica_there_is_no_alias_and_a_replica_beside_sqlite_is_refused(tmp_path):
    done = _settings(tmp_path)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert "replica" not in got and got["alias"] is None

    refused = _settings(tmp_path, DATABASE_REPLICA_URL="postgres://jiesu@127.0.0.1:5433/jiesu")
    assert refused.returncode != 0
    assert "DATABASE_REPLICA_URL needs a PostgreSQL primary" in refused.stderr


def test_an_empty_database_url_means_the_embedded_database(tmp_path):
    """`DATABASE_URL= make run` starts on SQLite as an unset one does, instead of a KeyError."""
    show = "import jiesu.settings as s; print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'])"
    done = subprocess.run(
        [str(BIN / "python"), "-c", show],
        env={
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            "DATABASE_URL": " ",
            "JIESU_DATA_DIR": str(tmp_path),
        },
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["django.db.backends.sqlite3", str(tmp_path / "jiesu.sqlite3")]


def test_a_direct_connection_prepares_the_statements_it_repeats(tmp_path):
    done = _settings(tmp_path, DATABASE_URL="postgres://jiesu@127.0.0.1:5432/jiesu")
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])["default"]
    assert (got["prepare"], got["server_binding"]) == (5, True)

    off = json.loads(
        _settings(tmp_path, DATABASE_URL="postgres://jiesu@127.0.0.1:5432/jiesu", JIESU_PG_PREPARE="0")
        .stdout.strip()
        .splitlines()[-1]
    )["default"]
    assert (off["prepare"], off["server_binding"]) == (None, False)

    bad = _settings(tmp_path, DATABASE_URL="postgres://jiesu@127.0.0.1:5432/jiesu", JIESU_PG_PREPARE="yes")
    assert bad.returncode != 0 and "JIESU_PG_PREPARE must be a whole number" in bad.stderr
