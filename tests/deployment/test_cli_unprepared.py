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
