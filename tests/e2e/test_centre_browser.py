"""End to end in a real browser: an abusive caller's record at intake, a warning recorded, the
same caller's real request still dispatched (R9.1, R35.1); a district's read-only oversight (R5.1)."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "test-results"
PHONE = "13922226666"
ABUSE = [
    "美女你声音真好听，陪我聊天吧，加个微信",
    "你多大了，有男朋友吗，出来见面吧",
    "我好无聊，随便打打，陪我聊会儿，你声音真好听",
    "你叫什么名字，加个微信，我想你了",
]


def login(page, url, username, password):
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def take_call(page, url, content):
    page.goto(f"{url}/intake/")
    page.fill("#id_requester_phone", PHONE)
    page.select_option("#id_kind", "complaint")
    page.fill("#id_content", content)
    page.click("#save-order")
    page.wait_for_selector("#order-number")
    return page.inner_text("#order-number")


def test_abusive_caller_record_at_intake_and_legitimate_request_dispatched_R9_1(page, live_server_url):
    url, passwords = live_server_url
    login(page, url, "calltaker", passwords["calltaker"])
    page.wait_for_url(f"{url}/")  # the start page
    page.goto(f"{url}/intake/")
    numbers = [take_call(page, url, text) for text in ABUSE]

    # The call-taker opens the caller's record from the last order and records a warning.
    page.goto(f"{url}/centre/callers/of/{numbers[-1]}/")
    page.select_option("#warn-kind", "criticism")
    page.fill("#warn-note", "第四次骚扰来电，已当面批评教育")
    page.click("text=记录警示")
    page.wait_for_selector("text=第四次骚扰来电，已当面批评教育")

    # The fifth call: the record shows up while the number is typed.
    urls = []
    page.on("request", lambda r: urls.append(r.url))
    page.goto(f"{url}/intake/")
    page.fill("#id_requester_phone", PHONE)
    page.keyboard.press("Tab")
    page.wait_for_selector("#caller-record")
    panel = page.inner_text("#caller-history")
    assert "累计 4 次" in panel and "批评" in panel and "第四次骚扰来电" in panel, panel
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "intake-caller-record.png"), full_page=True)

    # Judged on its own content: the real problem is dispatched.
    page.select_option("#id_kind", "complaint")
    page.fill("#id_content", "朝阳区望京街道花家地北里小区物业不作为，电梯坏了一周没人修")
    page.click("#save-order")
    page.wait_for_selector("#order-number")
    assert "已派单" in page.inner_text("body")
    assert not [u for u in urls if PHONE in u or PHONE[:7] in u]


def test_district_oversight_reads_its_district_only_R5_1(page, live_server_url):
    url, passwords = live_server_url
    login(page, url, "district", passwords["district"])
    page.wait_for_url(f"{url}/centre/oversight/")
    assert "朝阳区督查" in page.inner_text("h1")
    assert "范围内工单" in page.inner_text("#oversight-counts")
    page.goto(f"{url}/intake/")
    assert "403" in page.title() or "无权" in page.inner_text("body") or "只有" in page.inner_text("body")
