"""The call-taker's intake screen (R2.1, R10.1)."""

import pytest

from jiesu.orders.models import WorkOrder


@pytest.mark.django_db
def test_intake_page_saves_and_shows_the_order_R10_1(call_taker, client):
    client.force_login(call_taker)
    # The call-taker's start page (issue 13) leads to intake.
    home = client.get("/")
    assert home.status_code == 200 and 'href="/intake/"' in home.content.decode()
    page = client.get("/intake/").content.decode()
    assert "受理诉求" in page and 'name="requester_phone"' in page
    response = client.post(
        "/intake/",
        {
            "requester_phone": "13912340000",
            "requester_name": "周九",
            "requester_type": "natural",
            "channel": "phone",
            "source_line": "12345",
            "kind": "help",
            "location_text": "海淀区中关村街道",
            "content": "家门口的井盖丢了，晚上很危险。",
        },
        follow=True,
    )
    order = WorkOrder.objects.get()
    assert response.redirect_chain[-1][0] == f"/orders/{order.number}/"
    html = response.content.decode()
    assert order.number in html and "13912340000" in html and "受理" in html


@pytest.mark.django_db
def test_intake_errors_next_to_the_field_and_nothing_saved_R10_1(call_taker, client):
    client.force_login(call_taker)
    response = client.post(
        "/intake/",
        {
            "requester_phone": "12",
            "requester_type": "natural",
            "channel": "phone",
            "source_line": "12345",
            "kind": "help",
            "content": "短",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and WorkOrder.objects.count() == 0
    assert 'id="error-requester_phone"' in html and 'id="error-content"' in html


@pytest.mark.django_db
def test_every_intake_error_on_the_first_submit_R10_1(call_taker, client):
    """Form and service checks come back together: no second round of errors."""
    client.force_login(call_taker)
    response = client.post(
        "/intake/",
        {
            "channel": "phone",
            "kind": "complaint",
            "source_line": "12345",
            "requester_type": "legal",
            "content": "",
            "requester_phone": "",
            "requester_id_number": "123",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and WorkOrder.objects.count() == 0
    for field in ("content", "requester_phone", "requester_organisation", "requester_id_number"):
        assert f'id="error-{field}"' in page, field
    assert "请记录诉求内容（至少5个字）" in page and "电话和短信渠道必须记录联系电话" in page


@pytest.mark.django_db
def test_over_long_content_is_refused_not_cut_and_counted_R10_1(call_taker, client):
    client.force_login(call_taker)
    page = client.get("/intake/").content.decode()
    import re

    textarea = re.search(r'<textarea[^>]*id="id_content"[^>]*>', page).group(0)
    # A maxlength would let the browser cut a long paste silently; the counter shows it instead.
    assert 'data-counter="4000"' in textarea and "maxlength" not in textarea
    response = client.post(
        "/intake/",
        {
            "channel": "phone",
            "kind": "complaint",
            "source_line": "12345",
            "requester_type": "natural",
            "requester_phone": "13800138000",
            "content": "油烟" * 2001,
        },
    )
    assert WorkOrder.objects.count() == 0
    assert "诉求内容最多4000字，当前4002字" in response.content.decode()
