"""End to end in a real browser: suggestion while typing, then the dispatcher's queue (R11.2, R12.3)."""

import pytest

from .test_intake_browser import login

pytestmark = pytest.mark.browser


def test_suggestion_while_typing_and_dispatcher_queue_end_to_end_R12_3(page, live_server_url):
    url, passwords = live_server_url
    login(page, url, "calltaker", passwords["calltaker"])
    page.wait_for_url(f"{url}/")  # the start page
    page.goto(f"{url}/intake/")

    # The engine's suggestion appears while the call-taker types (R11.2).
    page.fill("#id_requester_phone", "13922223333")
    page.select_option("#id_kind", "complaint")
    page.click("#id_content")
    page.keyboard.type("楼下饭馆油烟太大，东城区东华门")
    page.wait_for_selector("#suggestion-units >> text=东华门街道办事处")

    # A request with no place cannot be dispatched alone: it goes to review.
    page.fill("#id_content", "小区物业乱收停车费，楼下饭馆油烟噪音也很大，没人管")
    page.click("#save-order")
    page.wait_for_selector("#order-number")
    number = page.inner_text("#order-number")
    assert "待派单审核" in page.inner_text("h1")
    page.click("button.link")  # log out

    login(page, url, "dispatcher", passwords["dispatcher"])
    page.goto(f"{url}/dispatch/")
    page.click(f"#review-queue >> text={number}")
    page.wait_for_selector("#suggestion")
    assert "需人工审核" in page.inner_text("#suggestion")
    # The second and third guesses are one click away (R11.2): it fills the matter field.
    # Two problems in one call: the first guess is the reader's (the fumes) or the rules' (the fee).
    assert page.input_value("#id_matter_code") in ("env.air.cooking_fume", "traffic.parking.fee")
    # Whichever it is, the form starts from the suggestion the page shows.
    # (the page shows the matter's name, never its code)
    chosen = page.locator("#id_matter_code option:checked").inner_text()
    assert chosen.split(" > ")[-1] in page.inner_text("#suggestion-matter")
    # The matter picker finds a matter by its pinyin initials or its full pinyin, as the unit
    # picker finds units (typed without an IME).
    page.fill("#matter-search", "cyyy")
    assert page.input_value("#id_matter_code") == "env.air.cooking_fume"
    page.fill("#matter-search", "wuyefuwu")
    assert "物业服务" in page.locator("#id_matter_code option:checked").inner_text()
    page.fill("#matter-search", "")
    page.click("#suggestion-alternatives >> text=物业服务质量")
    assert page.input_value("#id_matter_code") == "urban.property.service"
    page.fill("#id_lead", "海淀")
    # No wait_for_function: its string is evaluated in the page, which the CSP forbids.
    page.wait_for_selector("#unit-options option", state="attached")
    page.fill("#id_lead", "中关村街道办事处")
    page.click("#dispatch-submit")
    # The queue moves on; the order itself now shows its units.
    page.goto(f"{url}/orders/{number}/")
    assert "已派单" in page.inner_text("h1")
    body = page.inner_text("body")
    assert "中关村街道办事处" in body and "北京市海淀区人民政府" in body
    assert "物业服务质量" in body
    assert "派单" in page.inner_text("#timeline")
