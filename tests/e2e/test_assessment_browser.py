"""End to end in a real browser: a return visit on the visitor's screen, then the assessment
dashboard drawing its charts with our own ECharts (R23.1, R31.1, R7.1)."""

from __future__ import annotations

import subprocess

import pytest

from tests.live_server import BIN, REPO, live_jiesu

from .test_intake_browser import login

pytestmark = pytest.mark.browser

# Runs inside the live server's database: an order 望京 (the demo handling unit) has replied to.
PREPARE = """
from jiesu.directory.models import User
from jiesu.demo.users import demo_unit
from jiesu.followup import services as followup
from jiesu.handling import services as handling
from jiesu.orders import services as orders
ct, disp, h = (User.objects.get(username=n) for n in ("calltaker", "dispatcher", "handler"))
o = orders.create_order(orders.IntakeData(channel="phone", kind="complaint", requester_phone="13900001111",
    requester_name="王五", content="望京花家地北里楼下饭馆油烟扰民，晚上十点以后还在营业"), actor=ct)
o = orders.dispatch_order(o, actor=disp, assignments=[orders.Assignment(unit=demo_unit(), role="lead")])
handling.accept(o, actor=h)
handling.record_contact(o, actor=h, method="phone", outcome="reached")
handling.reply(o, actor=h, result="resolved", public_text="已约谈商户，加装油烟净化设备，晚十点后停止营业。")
print(o.number)
"""


@pytest.fixture(scope="module")
def live():
    with live_jiesu() as (url, passwords, env):
        out = subprocess.run(
            [str(BIN / "jiesu"), "shell", "-c", PREPARE], env=env, cwd=REPO, check=True, capture_output=True, text=True
        )
        yield url, passwords, env, out.stdout.strip().splitlines()[-1]


def test_visitor_records_return_visit_and_dashboard_draws_charts_R23_1_R31_1(page, live):
    url, passwords, env, number = live
    login(page, url, "supervisor", passwords["supervisor"])
    page.goto(f"{url}/followup/")
    page.click("#sweep")
    page.click(f"#pending-visits >> text={number}")
    page.wait_for_selector("#script")
    assert "13900001111" in page.inner_text("#requester-phone")  # the visitor dials the real number
    assert "加装油烟净化设备" in page.inner_text("#reply-text")
    page.check("#visit-form input[name=contacted][value=yes]")
    page.check("#visit-form input[name=resolution][value=resolved]")
    page.check("#visit-form input[name=satisfaction][value=basic]")
    page.fill("#visit-form textarea[name=comments]", "基本解决了，油烟小多了")
    page.click("#save-visit")
    page.wait_for_url(f"{url}/followup/")
    page.goto(f"{url}/orders/{number}/")
    assert "已办结" in page.inner_text("h1")
    assert "回访结果" in page.inner_text("#timeline")

    month = (
        subprocess.run(
            [
                str(BIN / "jiesu"),
                "shell",
                "-c",
                "from django.utils import timezone; print(timezone.localdate().strftime('%Y-%m'))",
            ],
            env=env,
            cwd=REPO,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    page.goto(f"{url}/assessment/")
    page.fill("form[action='/assessment/compute/'] input[name=month]", month)
    page.click("form[action='/assessment/compute/'] button")
    page.wait_for_load_state()
    assert page.query_selector("#ranking"), page.inner_text("body")[:2000]
    assert "望京街道办事处" in page.inner_text("#ranking")
    # ECharts came from our static files and drew on a canvas.
    page.wait_for_selector("#chart-scores canvas")
    assert page.evaluate("typeof echarts") == "object"
    assert "望京街道办事处" in page.inner_text("#recognition")
