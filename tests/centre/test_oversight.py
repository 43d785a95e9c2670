"""Oversight by district and city governments and a unit administrator's powers (R5.1)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from jiesu.api import tokens
from jiesu.centre import services
from jiesu.centre.models import StaffEvent
from jiesu.core import roles
from jiesu.directory.models import Place, Unit, User
from jiesu.orders.models import PersonalDataAccess, WorkOrder

AT = datetime(2026, 11, 25, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(AT, tick=True):
        yield


def api_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.issue(user)[1]}")
    return client


@pytest.fixture
def chaoyang_gov(db):
    return Unit.objects.get(kind="district_gov", district__name="朝阳区")


@pytest.fixture
def orders(make_order, dispatched_to, wangjing_office, other_office):
    """In Chaoyang by its township, in Chaoyang by place only, in Dongcheng, and nowhere yet."""
    township = dispatched_to(make_order(requester_name="赵六"), wangjing_office)
    placed = make_order(content="朝阳区某路口信号灯坏了，早高峰很堵，请尽快修复。")
    WorkOrder.objects.filter(pk=placed.pk).update(district=Place.objects.get(level="district", name="朝阳区"))
    elsewhere = dispatched_to(make_order(content="东城区东华门附近井盖松动，车辆经过响声很大。"), other_office)
    nowhere = make_order(content="咨询一下居住证办理需要哪些材料，在哪里办理。")
    return township, placed, elsewhere, nowhere


@pytest.mark.django_db
def test_district_sees_its_territory_and_nothing_else_console_and_api_R5_1(orders, make_user, chaoyang_gov, client):
    township, placed, elsewhere, nowhere = orders
    district = make_user(roles.DISTRICT_OVERSIGHT, chaoyang_gov)
    client.force_login(district)
    listing = client.get("/orders/").content.decode()
    assert township.number in listing and placed.number in listing
    assert elsewhere.number not in listing and nowhere.number not in listing
    assert client.get(f"/orders/{township.number}/").status_code == 200
    assert client.get(f"/orders/{elsewhere.number}/").status_code == 404

    api = api_for(district)
    numbers = {o["number"] for o in api.get("/api/v1/orders/").json()["results"]}
    assert numbers == {township.number, placed.number}
    assert api.get(f"/api/v1/orders/{elsewhere.number}/").status_code == 404
    # Read-only and masked: oversight neither acts nor reads identities.
    body = api.get(f"/api/v1/orders/{township.number}/").json()
    assert body["requester"]["masked"] and body["requester"]["name"] == "赵*"
    assert not PersonalDataAccess.objects.filter(user=district).exists()
    assert api.post("/api/v1/orders/", {"kind": "help", "content": "路灯坏了好几天"}, format="json").status_code == 403
    assert client.get("/intake/").status_code == 403
    assert client.get("/centre/unit/users/").status_code == 403
    assert client.get("/centre/callers/").status_code == 403


@pytest.mark.django_db
def test_city_sees_all_read_only_R5_1(orders, make_user, client):
    city = make_user(roles.CITY_OVERSIGHT, Unit.objects.get(kind="municipal_gov"))
    numbers = {o["number"] for o in api_for(city).get("/api/v1/orders/").json()["results"]}
    assert {o.number for o in orders} <= numbers
    client.force_login(city)
    page = client.get("/centre/oversight/").content.decode()
    assert "全市督查" in page and "范围内工单 4 件" in page
    assert client.get("/dispatch/").status_code in (302, 403)


@pytest.mark.django_db
def test_district_overdue_list_true_count_paging_search_R5_1(orders, make_user, chaoyang_gov, client):
    township, placed, elsewhere, _ = orders
    WorkOrder.objects.filter(pk__in=[township.pk, elsewhere.pk]).update(due_at=AT - timedelta(days=1))
    client.force_login(make_user(roles.DISTRICT_OVERSIGHT, chaoyang_gov))
    page = client.get("/centre/oversight/").content.decode()
    assert "朝阳区督查" in page and "超期 1 件" in page and "共 1 条" in page
    assert township.number in page and elsewhere.number not in page
    assert "赵六" not in page and "13812345678" not in page
    assert "共 0 条" in client.get("/centre/oversight/", {"q": "井盖"}).content.decode()
    assert township.number in client.get("/centre/oversight/", {"q": township.number[:6]}).content.decode()


@pytest.mark.django_db
def test_unit_admin_manages_only_its_own_unit_R5_1(make_user, wangjing_office, other_office, client):
    admin = make_user(roles.UNIT_ADMIN, wangjing_office)
    own = make_user(roles.UNIT_HANDLER, wangjing_office, display_name="本单位承办人")
    foreign = make_user(roles.UNIT_HANDLER, other_office, display_name="外单位承办人")
    client.force_login(admin)
    page = client.get("/centre/unit/users/").content.decode()
    assert "本单位承办人" in page and "外单位承办人" not in page and "共 2 条" in page

    created = client.post("/centre/unit/users/new/", {"username": "wj-new", "display_name": "新承办人"})
    assert created.status_code == 200 and "只显示这一次" in created.content.decode()
    new = User.objects.get(username="wj-new")
    assert new.unit == wangjing_office and new.role == roles.UNIT_HANDLER
    bad = client.post(
        "/centre/unit/users/new/", {"username": "wj-new", "display_name": ""}, follow=True
    ).content.decode()
    assert "该用户名已被使用" in bad and User.objects.filter(username="wj-new").count() == 1

    assert client.post(f"/centre/unit/users/{own.pk}/active/", {"active": "0"}).status_code == 302
    own.refresh_from_db()
    assert not own.is_active
    old_hash = own.password
    assert client.post(f"/centre/unit/users/{own.pk}/password/").status_code == 200
    own.refresh_from_db()
    assert own.password != old_hash

    # Another unit's account is not found, and nothing about it changes.
    assert client.post(f"/centre/unit/users/{foreign.pk}/active/", {"active": "0"}).status_code == 404
    assert client.post(f"/centre/unit/users/{foreign.pk}/password/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_active
    assert list(StaffEvent.objects.order_by("id").values_list("user__username", "action")) == [
        ("wj-new", "created"),
        (own.username, "deactivated"),
        (own.username, "password_reset"),
    ]

    # A handler has no such powers.
    client.force_login(make_user(roles.UNIT_HANDLER, wangjing_office))
    assert client.get("/centre/unit/users/").status_code == 403
    assert client.post("/centre/unit/users/new/", {"username": "x1", "display_name": "x"}).status_code == 403


@pytest.mark.django_db
def test_unit_admin_sees_only_its_units_orders_and_figures_R5_1(
    orders, make_user, wangjing_office, other_office, client
):
    township, placed, elsewhere, _ = orders
    admin = make_user(roles.UNIT_ADMIN, wangjing_office)
    numbers = {o["number"] for o in api_for(admin).get("/api/v1/orders/").json()["results"]}
    assert numbers == {township.number}
    client.force_login(admin)
    assert client.get(f"/assessment/units/{wangjing_office.pk}/").status_code == 200
    assert client.get(f"/assessment/units/{other_office.pk}/").status_code == 403
    assert f"/assessment/units/{wangjing_office.pk}/" in client.get("/centre/unit/users/").content.decode()


@pytest.mark.django_db
def test_deactivated_handler_cannot_sign_in_R5_1(make_user, wangjing_office, client):
    admin = make_user(roles.UNIT_ADMIN, wangjing_office)
    handler, password = services.create_handler(actor=admin, username="wj-2", display_name="承办人二")
    assert client.post("/login/", {"username": "wj-2", "password": password}).status_code == 302
    client.logout()
    services.set_active(handler, actor=admin, active=False)
    assert client.post("/login/", {"username": "wj-2", "password": password}).status_code == 200  # form again
