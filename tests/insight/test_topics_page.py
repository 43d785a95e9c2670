"""Topics pages (R18.1, R24.1): the centre sees the city's topics; a township its territory;
a department its field; other roles nothing. Counts true, labels readable and redacted."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from jiesu.core import roles

NOW = datetime(2026, 7, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
SMOKE = [
    "花家地北里楼下餐馆油烟太大，熏得没法开窗",
    "花家地北里餐馆油烟扰民，晚上还很吵",
    "花家地北里一楼餐馆油烟直排，呛得人咳嗽",
    "楼下餐馆油烟太大，花家地北里居民受不了",
]
NOISE = [
    "东华门大街工地夜间施工噪音扰民，半夜还在打桩",
    "东华门工地夜里施工噪音太大睡不着",
    "东华门附近工地夜间施工噪音扰民严重",
]


@pytest.fixture
def orders(make_order, dispatched_to, wangjing_office, other_office):
    made = {"smoke": [], "noise": []}
    with time_machine.travel(NOW - timedelta(days=3), tick=False) as clock:
        for text in SMOKE:
            made["smoke"].append(
                dispatched_to(
                    make_order(content=text, location_text="朝阳区望京街道花家地北里", requester_name="王五"),
                    wangjing_office,
                )
            )
            clock.shift(timedelta(hours=2))
        for text in NOISE:
            made["noise"].append(
                dispatched_to(make_order(content=text, location_text="东城区东华门街道"), other_office)
            )
            clock.shift(timedelta(hours=2))
    # Located as the engine locates them at intake (the fixture's orders skip the engine).
    from jiesu.orders.models import WorkOrder

    for key, office in (("smoke", wangjing_office), ("noise", other_office)):
        WorkOrder.objects.filter(pk__in=[o.pk for o in made[key]]).update(
            subdistrict=office.territory, district=office.territory.parent
        )
    return made


def _page(client, user, **params):
    client.force_login(user)
    with time_machine.travel(NOW, tick=False):
        return client.get("/insight/topics/", params)


@pytest.mark.django_db
def test_centre_sees_every_topic_with_its_orders_R18_1(orders, make_user, client):
    response = _page(client, make_user(roles.ANALYST))
    text = response.content.decode()
    assert response.status_code == 200 and "共 2 个话题" in text
    assert all(o.number in text for o in orders["smoke"] + orders["noise"])
    assert "花家地北里" in text and "东华门" in text
    assert "王五" not in text
    searched = _page(client, make_user(roles.SUPERVISOR), q="油烟").content.decode()
    assert "共 1 个话题" in searched and orders["noise"][0].number not in searched


@pytest.mark.django_db
def test_a_township_sees_its_territory_only_R24_1(orders, make_user, client, wangjing_office, other_office):
    text = _page(client, make_user(roles.UNIT_ADMIN, wangjing_office)).content.decode()
    assert "共 1 个话题" in text and orders["smoke"][0].number in text and orders["noise"][0].number not in text
    text = _page(client, make_user(roles.UNIT_HANDLER, other_office)).content.decode()
    assert orders["noise"][0].number in text and orders["smoke"][0].number not in text


@pytest.mark.django_db
def test_a_department_sees_its_field_city_wide_R18_1(orders, make_user, client, dispatcher):
    from jiesu.directory.models import Unit
    from jiesu.orders import services
    from jiesu.orders.models import WorkOrder

    # The city's environment department took part in one smoke order: smoke orders are its field
    # city-wide, noise orders (another matter) are not.
    WorkOrder.objects.filter(pk__in=[o.pk for o in orders["smoke"]]).update(matter_code="env.cooking_fumes")
    WorkOrder.objects.filter(pk__in=[o.pk for o in orders["noise"]]).update(matter_code="env.construction_noise")
    dept = Unit.objects.filter(kind="city_department").exclude(code="centre").first()
    services.dispatch_order(
        orders["smoke"][0], actor=dispatcher, assignments=[services.Assignment(unit=dept, role="lead")]
    )
    text = _page(client, make_user(roles.UNIT_HANDLER, dept)).content.decode()
    assert orders["smoke"][3].number in text and orders["noise"][0].number not in text


@pytest.mark.django_db
def test_roles_without_a_unit_or_centre_role_are_refused(make_user, client):
    user = make_user(roles.UNIT_HANDLER, unit=None)
    client.force_login(user)
    assert client.get("/insight/topics/").status_code == 403
    assert client.get("/insight/alerts/").status_code == 403
    client.logout()
    assert client.get("/insight/topics/").status_code == 302
