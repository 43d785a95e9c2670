"""The order list's search box and paging at scale: same answers on SQLite and PostgreSQL, the
bigram index usable on PostgreSQL, and a count that stops at its cap."""

from __future__ import annotations

import pytest
from django.db import connection

from jiesu.core.pagination import CappedPaginator
from jiesu.orders import selectors
from jiesu.orders.models import WorkOrder

TEXTS = {
    "bbq": "楼下烧烤店每天营业到凌晨两点，油烟和噪音很大。",
    "split": "小区门口烧烤摊很多，隔壁烤店也吵。",  # both bigrams of 烧烤店, not the word
    "wifi": "社区图书馆的WiFi经常断线，希望修理。",
    "heat": "暖气不热，室温只有十五度，物业不管。",
}


@pytest.fixture
def orders(make_order):
    return {key: make_order(content=text) for key, text in TEXTS.items()}


def found(user, query, orders):
    names = {o.pk: k for k, o in orders.items()}
    return sorted(names[pk] for pk in selectors.search_orders(user, query).values_list("pk", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, expected",
    [
        ("烧烤店", ["bbq"]),  # three characters: bigrams narrow, the substring decides
        ("烧烤", ["bbq", "split"]),  # two characters: one bigram is the whole test
        ("物业", ["heat"]),
        ("wifi", ["wifi"]),  # case does not matter
        ("WIFI", ["wifi"]),
        ("暖", ["heat"]),  # one character: no bigram, a plain scan
        ("  噪音  ", ["bbq"]),  # spaces around are not part of the query
        ("没有这样的内容", []),
    ],
)
def test_content_search_finds_exactly_the_orders_containing_the_text(dispatcher, orders, query, expected):
    assert found(dispatcher, query, orders) == expected


@pytest.mark.django_db
def test_a_query_starting_with_a_digit_is_an_order_number_prefix(dispatcher, orders):
    number = orders["bbq"].number
    assert found(dispatcher, number, orders) == ["bbq"]
    assert found(dispatcher, number[:6], orders) == sorted(TEXTS)  # today's prefix


@pytest.mark.django_db
def test_search_keeps_to_what_the_user_may_see_R5_1(make_user, orders, make_order, dispatched_to, wangjing_office):
    from jiesu.core import roles

    dispatched_to(orders["bbq"], wangjing_office)
    handler = make_user(roles.UNIT_HANDLER, wangjing_office)
    assert found(handler, "烧烤", orders) == ["bbq"]
    assert found(handler, "物业", orders) == []


@pytest.mark.django_db
def test_postgresql_can_answer_a_content_search_from_the_bigram_index(dispatcher, orders):
    if connection.vendor != "postgresql":
        pytest.skip("the bigram index is PostgreSQL's (migrations orders 0007, 0018); SQLite scans")
    with connection.cursor() as cursor:
        # Four rows: any scan is cheaper than an index. Take away plain scans and plain index
        # walks; what is left is a bitmap scan, and only an index matching the query can give one.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    for query in ("烧烤", "烧烤店"):
        plan = selectors.search_orders(dispatcher, query).explain()
        assert "orders_workorder_search" in plan, plan


@pytest.mark.django_db
def test_capped_paginator_stops_counting_and_keeps_order_and_joins(make_order, django_assert_num_queries):
    made = [make_order(content=f"第{i}号测试工单，小区噪音扰民。") for i in range(7)]
    qs = WorkOrder.objects.select_related("created_by__unit", "district").order_by("-id")
    paginator = CappedPaginator(qs, 2, cap=5)
    assert paginator.count == 5 and paginator.capped and paginator.num_pages == 3
    page = paginator.page(2)
    assert [o.pk for o in page] == [made[4].pk, made[3].pk]
    with django_assert_num_queries(0):  # the joins came with the rows
        assert all(o.created_by.unit.name for o in page)
    exact = CappedPaginator(qs, 2, cap=10)
    assert exact.count == 7 and not exact.capped and exact.num_pages == 4
    assert [o.pk for o in exact.page(4)] == [made[0].pk]


@pytest.mark.django_db
@pytest.mark.parametrize("windows", [(2,), (5,), (2, 5), (100,), ()])
def test_pages_past_the_cap_are_the_newest_matches_whatever_window_holds_them(make_order, windows):
    for i in range(12):
        make_order(content=f"第{i}号测试工单，{'小区噪音扰民' if i % 3 == 0 else '路灯不亮了'}。")
    matches = WorkOrder.objects.filter(content__contains="噪音")
    newest = list(matches.order_by("-received_at", "-id").values_list("pk", flat=True))
    # Four matches, the newest of them the fourth newest order: the window of 2 holds none and
    # falls back, the window of 5 holds the first page only, 100 is more than the table.
    paginator = CappedPaginator(matches, 1, cap=3, walk=matches, windows=windows)
    assert paginator.capped and paginator.num_pages == 3
    assert [o.pk for n in (1, 2, 3) for o in paginator.page(n)] == newest[:3]


@pytest.mark.django_db
def test_order_list_page_says_how_many_and_when_it_stopped_counting(client, dispatcher, orders, monkeypatch):
    client.force_login(dispatcher)
    text = client.get("/orders/", {"q": "烧烤"}).content.decode()
    assert "共 2 条" in text and orders["bbq"].number in text and orders["heat"].number not in text
    monkeypatch.setattr(
        CappedPaginator.__init__, "__kwdefaults__", {**CappedPaginator.__init__.__kwdefaults__, "cap": 3}
    )
    text = client.get("/orders/").content.decode()
    assert "超过 3 条，只列出前 3 条" in text


@pytest.mark.django_db
def test_postgresql_sessions_have_jit_off():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.django_db
def test_a_caller_phone_finds_the_callers_orders_for_roles_that_see_identities_R8_3(
    make_user, make_order, dispatched_to, wangjing_office, call_taker, dispatcher
):
    from jiesu.core import roles

    mine = make_order(requester_phone="13911112222", content="小区门口垃圾桶满了没人清运。")
    secret = make_order(
        requester_phone="139-1111-2222", content="举报楼下商户违规经营，请为我保密。", requester_confidential=True
    )
    make_order(requester_phone="13800000000", content="另一位来电人的诉求内容。")
    for order in (mine, secret):
        dispatched_to(order, wangjing_office)
    handler = make_user(roles.UNIT_HANDLER, wangjing_office)

    def numbers(user, query):
        return sorted(selectors.search_orders(user, query).values_list("number", flat=True))

    assert numbers(call_taker, "13911112222") == sorted([mine.number, secret.number])
    # A unit sees the caller's ordinary orders, but a match must not reveal a confidential caller.
    assert numbers(handler, "13911112222") == [mine.number]
    # The dispatcher sees identities masked (R8.3): no search by the full number either.
    assert numbers(dispatcher, "13911112222") == []
    # Six digits and a dash: still an order number prefix.
    assert mine.number in numbers(call_taker, mine.number[:8])


@pytest.mark.django_db
def test_a_district_governments_search_finds_what_it_oversees_and_nothing_else_R5_1(
    make_order, dispatched_to, make_user, wangjing_office, other_office
):
    """Located in the district, or with a part of any unit of the district (article 5): the
    indexed search gives the same orders as the LIKE over orders_visible_to."""
    from jiesu.core import roles
    from jiesu.directory.models import Place, Unit

    chaoyang = Place.objects.get(level="district", name="朝阳区")
    haidian = Place.objects.get(level="district", name="海淀区")
    assert wangjing_office.district_id == chaoyang.pk and other_office.district_id != chaoyang.pk
    located_here = make_order(content="烧烤店油烟扰民，在朝阳")
    its_unit = make_order(content="烧烤店占道经营，在海淀")
    elsewhere = make_order(content="烧烤店噪音，在海淀")
    WorkOrder.objects.filter(pk=located_here.pk).update(district=chaoyang)
    WorkOrder.objects.filter(pk__in=[its_unit.pk, elsewhere.pk]).update(district=haidian)
    dispatched_to(located_here, other_office)
    dispatched_to(its_unit, wangjing_office)
    dispatched_to(elsewhere, other_office)
    government = Unit.objects.filter(kind="district_gov", district=chaoyang).first()
    overseer = make_user(roles.DISTRICT_OVERSIGHT, government)

    def found(query, **kw):
        return set(selectors.search_orders(overseer, query, **kw).values_list("pk", flat=True))

    assert found("烧烤店") == found("烧烤") == {located_here.pk, its_unit.pk}
    assert found("烧烤店") == found("烧烤店", indexed=False)
    assert found("油烟") == {located_here.pk} and found("噪音") == set()
