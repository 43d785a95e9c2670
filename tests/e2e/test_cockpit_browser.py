"""End to end in a real browser on a demo centre: every role's start page shows its numbers and
draws its charts, and one order's page holds its whole life after intake, dispatch, acceptance,
contact, reply and a return visit with satisfaction (R5.1, R8.3, R15.1, R23.1, R31.1).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.live_server import live_jiesu

from .test_intake_browser import login

pytestmark = pytest.mark.browser

ROLES = ("calltaker", "dispatcher", "supervisor", "analyst", "bureau", "handler", "unitadmin")
# Where the walk's screenshots go: test-results/ like the other browser tests, or JIESU_SHOTS.
SHOTS = Path(os.environ.get("JIESU_SHOTS") or Path(__file__).resolve().parents[2] / "test-results")


@pytest.fixture(scope="module")
def demo_centre():
    # A small demo: a year of history, today's work through the services, past assessments.
    with live_jiesu(demo_orders=1200) as (url, passwords, env):
        yield url, passwords


def _tiles(page) -> dict[str, int]:
    values = page.locator(".tile .tile-value").all_inner_texts()
    labels = page.locator(".tile .tile-label").all_inner_texts()
    return dict(zip(labels, (int(v) for v in values)))


@pytest.mark.parametrize("username", ROLES)
def test_every_role_lands_on_its_start_page_with_numbers_and_charts_R5_1(page, demo_centre, username):
    url, passwords = demo_centre
    login(page, url, username, passwords[username])
    page.wait_for_url(f"{url}/")
    page.set_viewport_size({"width": 1440, "height": 900})
    tiles = _tiles(page)
    assert len(tiles) >= 3, tiles
    # A demo centre has something for everyone; a unit's queue may happen to be empty on a small
    # demo, its rates and last month's score are not (checked below).
    assert any(tiles.values()) or username in ("handler", "unitadmin"), tiles
    rates = page.inner_text("#rates")
    assert "%" in rates and "满意率" in rates
    # ECharts from our own static files drew the year (seasonal peaks are in the history).
    page.wait_for_selector("#chart-monthly[data-drawn] canvas")
    assert page.evaluate("typeof echarts") == "object"
    body = page.inner_text("body")
    for raw in ("in_progress", "return_visit", "limit_reached", "unit_handler", "R7.1", "None"):
        assert raw not in body, raw
    if username in ("handler", "unitadmin"):
        assert "本单位待办" in tiles and "望京街道办事处" in body
        assert "组内第" in page.inner_text("#last-score")  # last month's assessment of the unit
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"start-{username}.png"), full_page=True)


def test_assessment_page_shows_last_months_ranking_on_the_demo_R31_1(page, demo_centre):
    url, passwords = demo_centre
    login(page, url, "analyst", passwords["analyst"])
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}/assessment/")
    assert page.query_selector("#ranking"), page.inner_text("body")[:1000]
    assert len(page.locator("#ranking tr").all()) > 1  # the header and ranked units
    page.wait_for_selector("#chart-scores canvas")


def test_order_page_holds_the_whole_lifecycle_R15_1_R23_1(page, demo_centre):
    url, passwords = demo_centre
    # Intake through the REST API as the call-taker; the engine dispatches a 望京 complaint at once.
    login(page, url, "calltaker", passwords["calltaker"])
    page.wait_for_url(f"{url}/")
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    created = page.request.post(f"{url}/api/v1/orders/", headers={"X-CSRFToken": csrf, "Referer": f"{url}/"}, data={
        "channel": "phone", "kind": "complaint", "requester_phone": "13844445555", "requester_name": "全程测试",
        "content": "朝阳区望京街道花家地北里小区电梯坏了一周，物业不修，老人上下楼很困难",
    })
    assert created.status == 201, created.text()
    number = created.json()["number"]
    page.context.clear_cookies()
    if created.json()["status"] == "pending_review":
        # The demo's history may hold a similar request nearby: the engine asks a dispatcher,
        # who takes its suggestion.
        login(page, url, "dispatcher", passwords["dispatcher"])
        page.wait_for_url(f"{url}/")
        page.goto(f"{url}/dispatch/{number}/")
        assert "望京街道办事处" in page.inner_text("body")
        page.click("#accept-suggestion")
        page.wait_for_load_state()
        page.context.clear_cookies()
    else:
        assert created.json()["status"] == "dispatched", created.json()

    # The handler: accept, call, reply; only the action chosen is open.
    login(page, url, "handler", passwords["handler"])
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}/handling/orders/{number}/")
    assert page.is_visible("#submit-accept") and not page.is_visible("#action-reply")
    page.click("#submit-accept")
    page.wait_for_selector("#open-reply")
    assert page.locator("details.action[open]").count() == 0
    page.click("#open-contact")
    page.select_option("#action-contact select[name=method]", "phone")
    page.select_option("#action-contact select[name=outcome]", "reached")
    page.fill("#action-contact textarea[name=note]", "已电话联系，约定周三上午上门查看电梯")
    page.click("#submit-contact")
    page.wait_for_selector("#timeline >> text=联系诉求人")
    page.click("#open-reply")
    assert page.locator("details.action[open]").count() == 1
    page.select_option("#action-reply select[name=result]", "resolved")
    page.fill("#action-reply textarea[name=public_text]", "经协调物业公司，电梯已更换主板并恢复运行。")
    page.fill("#action-reply textarea[name=internal_notes]", "物业维保合同到期未续签，已督促续签。")
    page.click("#submit-reply")
    page.wait_for_selector("#public-reply")
    page.context.clear_cookies()

    # The supervisor calls the requester back.
    login(page, url, "supervisor", passwords["supervisor"])
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}/followup/")
    page.click("#sweep")
    page.click(f"#pending-visits >> text={number}")
    page.wait_for_selector("#script")
    page.check("#visit-form input[name=contacted][value=yes]")
    page.check("#visit-form input[name=resolution][value=resolved]")
    page.check("#visit-form input[name=satisfaction][value=satisfied]")
    page.fill("#visit-form textarea[name=comments]", "电梯修好了，师傅很负责")
    page.click("#save-visit")
    page.wait_for_url(f"{url}/followup/")

    # The order page shows all of it, in Chinese.
    page.goto(f"{url}/orders/{number}/")
    page.set_viewport_size({"width": 1440, "height": 900})
    assert page.inner_text("#order-status") == "已办结"
    assert "13844445555" in page.inner_text("#requester-phone")  # the supervisor sees identities
    units = page.inner_text("#units")
    assert "望京街道办事处" in units and "主办" in units
    assert "电梯已更换主板" in page.inner_text(".reply-public")
    assert "维保合同" in page.inner_text(".reply-internal")
    visits = page.inner_text("#visits")
    assert "已解决" in visits and "满意" in visits and "师傅很负责" in visits
    timeline = page.inner_text("#timeline")
    for step in ("受理", "派单", "签收", "联系诉求人", "约定周三上午上门查看电梯", "答复办理结果", "进入回访",
                 "回访结果", "满意程度", "办结"):
        assert step in timeline, step
    for raw in ("contact_recorded", "resolved", "satisfied", "return_visit", "phone"):
        assert raw not in page.inner_text("body"), raw
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "order-page-supervisor.png"), full_page=True)

    # An analyst reads the same record with the requester masked.
    page.context.clear_cookies()
    login(page, url, "analyst", passwords["analyst"])
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}/orders/{number}/")
    assert "13844445555" not in page.inner_text("body") and "师傅很负责" in page.inner_text("#visits")
    page.screenshot(path=str(SHOTS / "order-page-analyst.png"), full_page=True)
