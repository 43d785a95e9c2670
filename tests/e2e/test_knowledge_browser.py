"""End to end in a real browser at a phone's size: a citizen searches the open knowledge base for
the heating period (issue 14 item 3, R30.1); a call-taker attaches a citizen's photo at intake and
the lead unit's handler sees its thumbnail and downloads it (item 5, R8.1)."""

from __future__ import annotations

import pytest
from PIL import Image

from .test_intake_browser import login

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()
    assert blocked == [], "blocked by the Content Security Policy: " + "; ".join(blocked)


def test_citizen_finds_the_heating_period_on_a_phone_R30_1(phone_page, live_server_url):
    url, _ = live_server_url
    page = phone_page
    page.goto(f"{url}/public/knowledge/")
    page.fill("#kb-q", "供暖")
    with page.expect_navigation():
        page.press("#kb-q", "Enter")
    assert "条相关内容" in page.inner_text("#kb-count")
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.click("#kb-results li:first-child a")
    page.wait_for_selector("#kb-title")
    assert "供暖" in page.inner_text("#kb-title")
    assert "11月15日" in page.inner_text("#kb-body") and "《北京市供热采暖管理办法》" in page.inner_text("#kb-basis")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_lead_handler_sees_the_citizens_photo_thumbnail_and_downloads_it_R8_1(browser, page, live_server_url, tmp_path):
    url, passwords = live_server_url
    shot = tmp_path / "现场.jpg"
    Image.new("RGB", (800, 600), (30, 120, 200)).save(shot, format="JPEG")
    login(page, url, "calltaker", passwords["calltaker"])
    page.wait_for_url(f"{url}/")  # the start page
    page.goto(f"{url}/intake/")
    page.fill("#id_requester_phone", "13822227777")
    page.select_option("#id_kind", "complaint")
    # The engine dispatches this request to 望京街道 at once, where the demo's handler works.
    page.fill("#id_content", "朝阳区望京街道花家地北里小区物业不作为，电梯坏了一周没人修")
    page.set_input_files("#id_attachments", str(shot))
    page.click("#id_content")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#order-number")
    number = page.inner_text("#order-number")

    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}, accept_downloads=True)
    handler = context.new_page()
    try:
        login(handler, url, "handler", passwords["handler"])
        handler.wait_for_url(lambda u: "/login/" not in u)
        response = handler.goto(f"{url}/handling/orders/{number}/")
        assert response.status == 200, (response.status, page.inner_text("#timeline"))
        try:
            img = handler.wait_for_selector(".attachment img")
        except Exception:
            raise AssertionError(f"no thumbnail for {number}: {handler.content()[:3000]}") from None
        handler.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img)
        assert handler.evaluate("img => img.naturalWidth", img) <= 320
        with handler.expect_download() as download:
            handler.click(".attachment a")
        saved = download.value.path()
        with Image.open(saved) as photo:
            assert photo.size == (800, 600)
        assert download.value.suggested_filename.startswith(number)
    finally:
        context.close()
