"""End to end in a real browser: the admin, its API-token page and DRF's browsable API work
under the Content Security Policy (the page fixture fails a test on any blocked script or
style), and a session lives in a cookie that ends with the browser (issue 12, defect 16)."""

from __future__ import annotations

import pytest

from .test_intake_browser import login

pytestmark = pytest.mark.browser


def test_admin_token_page_and_browsable_api_work_under_the_csp_defect16(page, live_server_url):
    url, passwords = live_server_url
    login(page, url, "bureau", passwords["bureau"])
    page.wait_for_url(f"{url}/")
    response = page.goto(f"{url}/admin/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.goto(f"{url}/admin/knox/authtoken/add/")
    page.wait_for_selector("#id_expiry_0")
    # The admin's own calendar and clock widgets are scripts: they load and draw.
    page.wait_for_selector(".datetimeshortcuts")

    page.goto(f"{url}/api/v1/orders/")
    page.wait_for_selector(".response-info")
    session = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    assert session["expires"] == -1  # a browser-session cookie: gone when the browser closes
