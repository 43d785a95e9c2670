"""Role isolation matrix through the UI and the API; masking and audit (R5.1, R8.3)."""

import pytest
from rest_framework.test import APIClient

from jiesu.api import tokens
from jiesu.core import roles
from jiesu.orders.models import PersonalDataAccess


@pytest.fixture
def two_orders(make_order, dispatched_to, wangjing_office, other_office):
    mine = dispatched_to(make_order(requester_name="赵六", requester_phone="13611112222"), wangjing_office)
    theirs = dispatched_to(make_order(requester_name="钱七", requester_phone="13633334444"), other_office)
    return mine, theirs


def api_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.issue(user)[1]}")
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", [roles.UNIT_HANDLER, roles.UNIT_ADMIN])
def test_unit_member_sees_only_own_unit_orders_ui_and_api_R5_1(role, make_user, two_orders, wangjing_office, client):
    mine, theirs = two_orders
    user = make_user(role, wangjing_office)
    client.force_login(user)
    assert client.get(f"/orders/{mine.number}/").status_code == 200
    assert client.get(f"/orders/{theirs.number}/").status_code == 404
    listing = client.get("/orders/").content.decode()
    assert mine.number in listing and theirs.number not in listing

    api = api_for(user)
    assert api.get(f"/api/v1/orders/{mine.number}/").status_code == 200
    assert api.get(f"/api/v1/orders/{theirs.number}/").status_code == 404
    numbers = [o["number"] for o in api.get("/api/v1/orders/").json()["results"]]
    assert mine.number in numbers and theirs.number not in numbers
    # Acting is refused too: a unit cannot create orders at intake.
    assert api.post("/api/v1/orders/", {"kind": "help", "content": "路灯坏了好几天"}, format="json").status_code == 403
    assert client.get("/intake/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, masked",
    [
        (roles.CALL_TAKER, False),
        (roles.SUPERVISOR, False),
        (roles.DISPATCHER, True),
        (roles.ANALYST, True),
        (roles.UNIT_HANDLER, False),
    ],
)
def test_identity_masked_by_role_and_unmasked_reads_audited_R8_3(role, masked, make_user, two_orders, wangjing_office):
    mine, _ = two_orders
    user = make_user(role, wangjing_office if role == roles.UNIT_HANDLER else "centre")
    body = api_for(user).get(f"/api/v1/orders/{mine.number}/").json()
    reads = PersonalDataAccess.objects.filter(order=mine, user=user)
    if masked:
        assert body["requester"] == {
            "name": "赵*",
            "phone": "136****2222",
            "id_number": "",
            "masked": True,
            "hidden": False,
        }
        assert not reads.exists()
    else:
        assert body["requester"]["phone"] == "13611112222" and body["requester"]["name"] == "赵六"
        assert reads.get().fields == ["name", "phone"]


@pytest.mark.django_db
def test_confidential_requester_hidden_from_units_R8_3(make_order, dispatched_to, make_user, wangjing_office, client):
    order = dispatched_to(make_order(requester_confidential=True, requester_name="孙八"), wangjing_office)
    handler = make_user(roles.UNIT_HANDLER, wangjing_office)
    client.force_login(handler)
    page = client.get(f"/orders/{order.number}/").content.decode()
    assert "孙八" not in page and "13812345678" not in page and "（保密）" in page
    assert not PersonalDataAccess.objects.filter(user=handler).exists()


@pytest.mark.django_db
def test_anonymous_gets_nothing(two_orders, client):
    mine, _ = two_orders
    assert client.get(f"/orders/{mine.number}/").status_code == 302
    assert APIClient().get("/api/v1/orders/").status_code == 401


@pytest.mark.django_db
def test_caller_history_uses_blind_index_R10_1(make_order, call_taker, client):
    earlier = make_order(requester_phone="13755556666")
    make_order(requester_phone="13755556667")
    client.force_login(call_taker)
    # POST: a phone number in a URL would be kept by every access log (issue 12 #7).
    html = client.post("/intake/history/", {"requester_phone": "137-5555-6666"}).content.decode()
    assert earlier.number in html and html.count("/orders/") == 1
