"""End to end in a real browser: a unit's open inbox shows an order the moment it is dispatched,
without the person reloading: the page asks for its list every few seconds (R26.1)."""

import pytest

from .test_intake_browser import login
from .test_workbench_browser import _order_through_the_api

pytestmark = pytest.mark.browser


def test_dispatch_appears_in_the_open_unit_inbox_without_a_reload_R26_1(browser, page, live_server_url):
    url, passwords = live_server_url
    login(page, url, "handler", passwords["handler"])
    page.goto(f"{url}/inbox/")
    before = page.inner_text("#unread-count")
    # A reload would start a new document and lose this mark.
    page.evaluate("window.jiesuInboxMark = 'same page'")

    # The call-taker files a request in another browser session; the engine dispatches it.
    other = browser.new_context(locale="zh-CN")
    try:
        number = _order_through_the_api(other.new_page(), url, passwords["calltaker"])
    finally:
        other.close()

    row = page.locator("#inbox tr", has_text=number)
    row.wait_for()  # within the page's default timeout: the list is asked for again every 5 s
    assert page.evaluate("window.jiesuInboxMark") == "same page"
    assert "新派工单" in row.inner_text()
    assert page.inner_text("#unread-count") != before
    row.get_by_role("button", name="查看工单").click()
    page.wait_for_selector("#order-number")
    assert page.inner_text("#order-number") == number
