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
    _group()
    return made


def _group():
    """What the schedule's topic-grouping run does every five minutes (the page only reads it)."""
    from jiesu.insight import stored_topics
    from jiesu.insight.models import OrderTopic

    OrderTopic.objects.all().delete()
    with time_machine.travel(NOW, tick=False):
        stored_topics.group_new_orders()


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
    _group()
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


@pytest.mark.django_db
def test_the_page_reads_the_stored_grouping_with_true_counts_and_pages_R18_1(make_order, make_user, client):
    """The page regroups nothing: it counts and pages what the grouping stored, and says how
    many of the period's orders the next scheduled run has yet to group."""
    from jiesu.insight.models import OrderTopic

    with time_machine.travel(NOW - timedelta(days=2), tick=False) as clock:
        made = []
        for i in range(45):
            made.append(make_order(content="小区门口垃圾桶满了没人清运", requester_phone=f"1380000{i:04d}"))
            clock.shift(timedelta(minutes=10))
    # As stored: 20 topics of two and one of four (never grouped by text here: the same words
    # in every order, so only the stored rows can tell them apart); the last order not grouped yet.
    for i, order in enumerate(made[:44]):
        OrderTopic.objects.create(order=order, topic=made[min(2 * (i // 2), 40)].pk, grouped_at=NOW)
    analyst = make_user(roles.ANALYST)
    first = _page(client, analyst).content.decode()
    assert "共 21 个话题（分析工单 45 件）" in first and "其中 1 件新工单尚待归并" in first
    assert "第 1 / 2 页" in first and first.count("<details>") == 20
    # Biggest first, then the oldest: the topic of four heads the first page.
    assert first.index(made[43].number) < first.index(made[0].number) < first.index(made[36].number)
    assert made[38].number not in first and made[44].number not in first
    second = _page(client, analyst, page=2).content.decode()
    assert "第 2 / 2 页" in second and second.count("<details>") == 1
    assert made[38].number in second and made[39].number in second and made[0].number not in second
    # A period without the orders: no topic, true count zero.
    with time_machine.travel(NOW + timedelta(days=10), tick=False):
        client.force_login(analyst)
        later = client.get("/insight/topics/", {"days": 7}).content.decode()
    assert "共 0 个话题（分析工单 0 件）" in later and "该时段没有成组的问题" in later


@pytest.mark.django_db
def test_search_finds_topics_by_any_member_place_or_matter_R18_1(orders, make_user, client, dispatcher):
    from jiesu.directory.models import Unit
    from jiesu.orders import services
    from jiesu.orders.models import WorkOrder

    analyst = make_user(roles.ANALYST)
    # A word of a later member, not of the label (the first report): the topic is found.
    assert "共 1 个话题" in _page(client, analyst, q="咳嗽").content.decode()
    by_place = _page(client, analyst, q="东华门街道").content.decode()
    assert "共 1 个话题" in by_place and orders["noise"][0].number in by_place
    assert "共 0 个话题" in _page(client, analyst, q="没有这样的话").content.decode()
    # An order number finds its topic, as in the order list.
    found = _page(client, analyst, q=orders["noise"][2].number).content.decode()
    assert "共 1 个话题" in found and orders["smoke"][0].number not in found

    # A department reads its field's topics city-wide, but finds words only in the orders it
    # may open: a word of a smoke order it never handled finds nothing.
    WorkOrder.objects.filter(pk__in=[o.pk for o in orders["smoke"]]).update(matter_code="env.cooking_fumes")
    _group()
    dept = Unit.objects.filter(kind="city_department").exclude(code="centre").first()
    services.dispatch_order(
        orders["smoke"][0], actor=dispatcher, assignments=[services.Assignment(unit=dept, role="lead")]
    )
    handler = make_user(roles.UNIT_HANDLER, dept)
    assert "共 1 个话题" in _page(client, handler, q="油烟").content.decode()  # in the order it handled
    assert "共 0 个话题" in _page(client, handler, q="咳嗽").content.decode()  # only in another's order


@pytest.mark.django_db
def test_a_district_government_sees_its_district_only_R24_1(orders, make_user, client):
    from jiesu.directory.models import Unit

    chaoyang = Unit.objects.filter(kind="district_gov", territory__name="朝阳区").order_by("pk").first()
    text = _page(client, make_user(roles.UNIT_ADMIN, chaoyang)).content.decode()
    assert "共 1 个话题（分析工单 4 件）" in text
    assert orders["smoke"][0].number in text and orders["noise"][0].number not in text
    # Its search stays inside the district: the other district's topic is not found by its place.
    assert "共 0 个话题" in _page(client, make_user(roles.UNIT_ADMIN, chaoyang), q="东华门").content.decode()
