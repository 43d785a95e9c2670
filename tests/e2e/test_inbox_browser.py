"""End to end in a real browser: a unit's inbox shows an order the moment it is dispatched (R26.1)."""

import pytest

from .test_intake_browser import login
from .test_workbench_browser import _order_through_the_api

pytestmark = pytest.mark.browser


def test_dispatch_appears_in_the_unit_inbox_at_once_R26_1(browser, page, live_server_url):
    url, passwords = live_server_url
    login(page, url, "handler", passwords["handler"])
    page.goto(f"{url}/inbox/")
    before = page.inner_text("#unread-count")

    # The call-taker files a request in another browser session; the engine dispatches it.
    other = browser.new_context(locale="zh-CN")
    try:
        number = _order_through_the_api(other.new_page(), url, passwords["calltaker"])
    finally:
        other.close()

    page.reload()
    row = page.locator("#inbox tr", has_text=number)
    assert "新派工单" in row.inner_text()
    assert page.inner_text("#unread-count") != before
    row.get_by_role("button", name="查看工单").click()
    page.wait_for_selector("#order-number")
    assert page.inner_text("#order-number") == number
