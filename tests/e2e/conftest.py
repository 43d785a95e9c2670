import os
import shutil

import pytest

from tests.live_server import live_jiesu

CHROMIUM = os.environ.get("JIESU_CHROMIUM", "/usr/bin/chromium")
# Flags for a root user on a machine without network or display.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def live_server_url():
    with live_jiesu() as (url, passwords, env):
        yield url, passwords


# One browser a test file, not a session: while Playwright's sync API is open its event loop
# runs on the main thread, and Django refuses database calls from the tests that a pytest-xdist
# worker runs after the browser tests (SynchronousOnlyOperation).
@pytest.fixture(scope="module")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM}: install Debian's chromium package (.ci/run does)"
        if os.environ.get("JIESU_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    # Chromium reports what the Content Security Policy blocked on the console: every browser
    # test also checks that the pages it walks through work under the policy.
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()
    assert blocked == [], "blocked by the Content Security Policy: " + "; ".join(blocked)
