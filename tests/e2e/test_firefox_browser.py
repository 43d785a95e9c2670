"""The console's keyboard shortcuts in Firefox (issue 13: Chrome, Edge and Firefox).

Chromium runs the other browser tests through Playwright; Playwright's Firefox is a patched build
downloaded from outside the package registries, so Firefox here is Debian's firefox-esr driven
over WebDriver BiDi by puppeteer-core from npm (tests/e2e/firefox: `npm ci` there; it downloads
no browser). Edge is Chromium with the same KeyboardEvent: the handler reads only e.altKey and
e.code, which all three browsers report alike.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

HERE = Path(__file__).resolve().parent / "firefox"
FIREFOX = os.environ.get("JIESU_FIREFOX", "/usr/bin/firefox-esr")


@pytest.fixture(scope="module")
def firefox():
    missing = [
        what
        for what, ok in (
            (f"Firefox at {FIREFOX} (apt-get install firefox-esr)", os.path.exists(FIREFOX)),
            ("node (apt-get install nodejs npm)", shutil.which("node")),
            ("puppeteer-core (npm ci --prefix tests/e2e/firefox)", (HERE / "node_modules/puppeteer-core").is_dir()),
        )
        if not ok
    ]
    if missing:
        message = "Firefox browser test needs " + ", ".join(missing)
        if os.environ.get("JIESU_REQUIRE_FIREFOX"):
            pytest.fail(message)
        pytest.skip(message)
    return FIREFOX


def test_alt_shortcuts_and_the_counter_work_in_firefox_R10_1(firefox, live_server_url):
    url, passwords = live_server_url
    done = subprocess.run(
        ["node", str(HERE / "shortcuts.mjs"), url, "calltaker", passwords["calltaker"]],
        cwd=HERE,
        env={**os.environ, "JIESU_FIREFOX": firefox},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert "Firefox/" in result["userAgent"], result
    assert result["afterAltN"] == "/intake/", result  # Alt+N opened a new intake
    assert result["counter"] == "已输入 6 / 4000 字", result
    assert result["afterAltQ"] == "/intake/", result  # an unmarked letter does nothing
