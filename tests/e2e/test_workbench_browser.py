"""End to end in a real browser: a unit handler works an order from the workbench to the reply (R14.1, R15.1)."""

from pathlib import Path

import pytest

from .test_intake_browser import login

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_server_url():
    # A server of its own: under pytest-xdist the session's server also holds the orders of the
    # other browser files of this worker, and this test needs its request to be dispatched, not
    # read against earlier ones (in the full run it came back "answered").
    from tests.live_server import live_jiesu

    with live_jiesu() as (url, passwords, _env):
        yield url, passwords


SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def _order_through_the_api(page, url, password) -> str:
    """The call-taker files a 望京 request through the REST API; the engine dispatches it at once."""
    login(page, url, "calltaker", password)
    page.wait_for_url(f"{url}/")  # the start page
    page.goto(f"{url}/intake/")
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"{url}/api/v1/orders/",
        headers={"X-CSRFToken": csrf, "Referer": f"{url}/"},
        data={
            "channel": "phone",
            "kind": "complaint",
            "requester_phone": "13822223333",
            "requester_name": "浏览器测试",
            "content": "朝阳区望京街道花家地北里小区物业不作为，电梯坏了一周没人修",
        },
    )
    assert response.status == 201, response.text()
    order = response.json()
    assert order["status"] == "dispatched", order
    page.context.clear_cookies()
    return order["number"]


def test_handler_accepts_contacts_and_replies_from_the_workbench_R15_1(page, live_server_url):
    url, passwords = live_server_url
    number = _order_through_the_api(page, url, passwords["calltaker"])

    login(page, url, "handler", passwords["handler"])
    page.goto(f"{url}/handling/")
    row = page.locator(f"#workbench tr[data-number='{number}']")
    assert "待签收" in row.inner_text() and "剩余" in row.inner_text()
    row.locator("a").click()
    page.wait_for_selector("#order-number")
    assert page.inner_text("#requester-phone") == "13822223333"

    page.click("#submit-accept")
    page.wait_for_selector("#open-contact")
    assert page.inner_text("#order-status") == "办理中"

    # One action open at a time: the reply is offered first, the others are folded.
    assert page.locator("details.action[open]").count() == 0
    page.click("#open-reply")
    # Replying before any contact is refused, next to the form.
    page.fill("#action-reply textarea[name=public_text]", "电梯已修复并恢复正常运行，感谢您的反映。")
    page.click("#submit-reply")
    assert "先联系诉求人" in page.inner_text("#error-reply")

    page.click("#open-contact")
    assert page.locator("details.action[open]").count() == 1 and not page.is_visible("#submit-reply")
    page.select_option("#action-contact select[name=method]", "phone")
    page.select_option("#action-contact select[name=outcome]", "reached")
    page.fill("#action-contact textarea[name=note]", "已电话联系，约定下午上门查看")
    page.click("#submit-contact")
    page.wait_for_selector("#timeline >> text=联系诉求人")

    page.click("#open-reply")
    page.select_option("#action-reply select[name=result]", "resolved")
    page.fill("#action-reply textarea[name=public_text]", "经协调物业公司，电梯已修复并恢复正常运行。")
    page.fill("#action-reply textarea[name=internal_notes]", "物业维保合同到期未续签，已督促续签。")
    page.click("#submit-reply")
    page.wait_for_selector("#public-reply")
    assert page.inner_text("#order-status") == "已答复"
    timeline = page.inner_text("#timeline")
    assert all(step in timeline for step in ("受理", "派单", "签收", "联系诉求人", "答复办理结果"))
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "workbench-order.png"), full_page=True)

    page.goto(f"{url}/handling/")
    assert page.locator(f"#workbench tr[data-number='{number}']").count() == 0
