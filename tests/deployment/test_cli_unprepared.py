"""A command run on a database that was never prepared says what to run (R11, issue 11 item 7)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("command", [["decide"], ["evaluate-engine"], ["return-visits"]])
def test_unprepared_database_names_the_commands_to_run(tmp_path: Path, command):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["JIESU_DATA_DIR"] = str(tmp_path)  # an empty SQLite database is made there
    jiesu = Path(sys.executable).with_name("jiesu")
    r = subprocess.run(
        [str(jiesu), *command],
        input='{"id": "1", "text": "小区停电了"}\n',
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert r.returncode == 1
    assert "jiesu migrate" in r.stderr and "jiesu load-rules" in r.stderr
    assert "Traceback" not in r.stderr


def test_demo_prepares_a_database_nobody_migrated(tmp_path: Path):
    # The message above offers `jiesu demo` in place of the two commands: it must then work on
    # the same unprepared database (a new PostgreSQL database, a new data folder).
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["JIESU_DATA_DIR"] = str(tmp_path)
    jiesu = Path(sys.executable).with_name("jiesu")
    r = subprocess.run([str(jiesu), "demo"], capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "applying migrations" in r.stdout and "Demo users" in r.stdout
    decided = subprocess.run(
        [str(jiesu), "decide"],
        input='{"id": "1", "text": "朝阳区望京街道小区停电了"}\n',
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert decided.returncode == 0 and '"id": "1"' in decided.stdout, decided.stderr[-2000:]
