"""The call-taker's intake screen (R2.1, R10.1)."""

import pytest

from jiesu.orders.models import WorkOrder


@pytest.mark.django_db
def test_intake_page_saves_and_shows_the_order_R10_1(call_taker, client):
    client.force_login(call_taker)
    assert client.get("/").url == "/intake/"
    page = client.get("/intake/").content.decode()
    assert "受理诉求" in page and 'name="requester_phone"' in page
    response = client.post("/intake/", {
        "requester_phone": "13912340000", "requester_name": "周九", "requester_type": "natural", "channel": "phone",
        "source_line": "12345", "kind": "help", "location_text": "海淀区中关村街道", "content": "家门口的井盖丢了，晚上很危险。",
    }, follow=True)
    order = WorkOrder.objects.get()
    assert response.redirect_chain[-1][0] == f"/orders/{order.number}/"
    html = response.content.decode()
    assert order.number in html and "13912340000" in html and "受理" in html


@pytest.mark.django_db
def test_intake_errors_next_to_the_field_and_nothing_saved_R10_1(call_taker, client):
    client.force_login(call_taker)
    response = client.post("/intake/", {
        "requester_phone": "12", "requester_type": "natural", "channel": "phone", "source_line": "12345",
        "kind": "help", "content": "短",
    })
    html = response.content.decode()
    assert response.status_code == 200 and WorkOrder.objects.count() == 0
    assert 'id="error-requester_phone"' in html and 'id="error-content"' in html
