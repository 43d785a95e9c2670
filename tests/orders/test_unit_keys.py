"""An order's search keys on PostgreSQL (migrations orders 0018 and 0019): its units, and as
negative keys the districts that oversee it; kept by the database for every way a unit comes to
take part and an order to a district, restored by the migrations' backfills, and what a unit's
and a district government's content searches are answered from, with the same orders as they
may see."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from jiesu.core import roles
from jiesu.handling import services as handling
from jiesu.orders import selectors
from jiesu.orders.models import OrderUnit, WorkOrder

from ..handling.conftest import WANGJING_TEXT

pytestmark = pytest.mark.django_db

migration = importlib.import_module("jiesu.orders.migrations.0018_order_unit_keys")
district_migration = importlib.import_module("jiesu.orders.migrations.0019_order_district_keys")


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("unit keys are PostgreSQL's; SQLite's search scans")


def all_keys(order) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT unit_keys FROM orders_workorder WHERE id = %s", [order.pk])
        return sorted(cursor.fetchone()[0])


def keys(order) -> list[int]:
    """The unit keys."""
    return [k for k in all_keys(order) if k > 0]


def district_keys(order) -> list[int]:
    """The districts' keys, as district ids."""
    return sorted(-k for k in all_keys(order) if k < 0)


def set_keys(orders, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE orders_workorder SET unit_keys = %s WHERE id = ANY(%s)", [value, [o.pk for o in orders]])


def order_updates() -> int:
    """Rows of orders updated so far in this transaction (the test's)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = 'orders_workorder'")
        return cursor.fetchone()[0]


def parts(order) -> list[int]:
    return sorted(set(OrderUnit.objects.filter(order=order).values_list("unit_id", flat=True)))


def test_an_order_holds_every_unit_that_took_part(
    fresh_engine, take, make_order, dispatched_to, wangjing_office, other_office, member, dept
):
    updates_before = order_updates()
    auto = take(WANGJING_TEXT, requester_name="李四")
    assert auto.lead_unit == wangjing_office  # the engine dispatched it in the intake's one INSERT
    assert wangjing_office.pk in keys(auto) and keys(auto) == parts(auto)
    assert order_updates() == updates_before  # the keys came with that INSERT, not a second write

    housing = dept("housing")
    handling.accept(auto, actor=member(wangjing_office))
    handling.add_assisting_unit(auto, actor=member(wangjing_office), unit=housing, task="核查物业服务合同")
    assert housing.pk in keys(auto) and keys(auto) == parts(auto)

    manual = make_order()
    assert keys(manual) == []
    dispatched_to(manual, wangjing_office)
    dispatched_to(manual, other_office)  # a re-dispatch ends the first part; the unit took part
    assert keys(manual) == sorted([wangjing_office.pk, other_office.pk])


def test_the_backfill_sets_keys_from_the_parts(make_order, dispatched_to, wangjing_office, other_office):
    one, two, none = make_order(), make_order(), make_order()
    dispatched_to(one, wangjing_office)
    dispatched_to(two, wangjing_office)
    dispatched_to(two, other_office)
    set_keys([one, two, none], "{}")
    assert migration.backfill(connection) == 2
    assert keys(one) == [wangjing_office.pk]
    assert keys(two) == sorted([wangjing_office.pk, other_office.pk])
    assert keys(none) == []
    assert migration.backfill(connection) == 0  # nothing left to write: a rerun is cheap


def test_a_units_search_finds_what_it_may_see_and_nothing_else_R5_1(
    make_order, dispatched_to, make_user, wangjing_office, other_office
):
    mine = make_order(content="小区门口烧烤店油烟很大")
    earlier = make_order(content="烧烤店的噪音持续到凌晨")
    theirs = make_order(content="烧烤店占道经营")
    undispatched = make_order(content="烧烤店无照经营")
    dispatched_to(mine, wangjing_office)
    dispatched_to(earlier, wangjing_office)
    dispatched_to(earlier, other_office)  # 望京 took part before the re-dispatch: still its record
    dispatched_to(theirs, other_office)
    handler = make_user(roles.UNIT_HANDLER, wangjing_office)

    def found(query):
        return set(selectors.search_orders(handler, query).values_list("pk", flat=True))

    expected = {mine.pk, earlier.pk}
    assert found("烧烤店") == found("烧烤") == expected
    assert found("烧烤店") == set(
        selectors.search_orders(handler, "烧烤店", indexed=False).values_list("pk", flat=True)
    )  # the same orders as the LIKE over orders_visible_to
    assert undispatched.pk not in found("无照")


def test_a_units_search_is_answered_from_one_index_of_words_and_units(
    make_order, dispatched_to, make_user, wangjing_office
):
    for text in ("烧烤店油烟很大", "小区停车太难了"):
        dispatched_to(make_order(content=text), wangjing_office)
    handler = make_user(roles.UNIT_HANDLER, wangjing_office)
    with connection.cursor() as cursor:
        # Few rows: any scan is cheaper than an index. Without plain scans and index walks, a
        # bitmap scan is left, and this index is the only one that can give it for both tests.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = selectors.search_orders(handler, "烧烤").explain()
    assert "orders_workorder_search" in plan and "unit_keys" in plan, plan
    assert "orders_orderunit" not in plan, plan  # no probe of the parts per order


def test_the_search_index_replaces_the_bigram_only_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'orders_workorder'")
        names = {row[0] for row in cursor.fetchall()}
    assert "orders_workorder_search" in names and "orders_workorder_content_bigrams" not in names


def place(name):
    from jiesu.directory.models import Place

    return Place.objects.get(level="district", name=name)


def test_an_order_holds_the_districts_that_oversee_it(take, make_order, dispatched_to, wangjing_office, other_office):
    """Its own district, and its units' districts: from the intake's one INSERT, from the
    triggers for any other writer, and kept when the order moves (the search rechecks)."""
    chaoyang, haidian = place("朝阳区"), place("海淀区")
    updates_before = order_updates()
    auto = take(WANGJING_TEXT, requester_name="李四")
    assert auto.district_id == chaoyang.pk and auto.lead_unit == wangjing_office
    assert district_keys(auto) == [chaoyang.pk]
    assert order_updates() == updates_before  # written with the INSERT: no trigger wrote it again

    manual = make_order()
    WorkOrder.objects.filter(pk=manual.pk).update(district=None)
    set_keys([manual], "{}")
    WorkOrder.objects.filter(pk=manual.pk).update(district=haidian)  # located later
    assert district_keys(manual) == [haidian.pk]
    dispatched_to(manual, wangjing_office)  # a 朝阳区 unit
    assert district_keys(manual) == sorted([chaoyang.pk, haidian.pk])
    assert keys(manual) == [wangjing_office.pk]

    inserted = WorkOrder.objects.bulk_create([WorkOrder(**_copy_fields(manual, number="X-1", district=haidian))])[0]
    assert district_keys(inserted) == [haidian.pk]  # any INSERT, not only the intake's


def _copy_fields(order, **changes):
    names = ("channel", "kind", "content", "status", "received_at", "response_due", "due_at")
    return {**{name: getattr(order, name) for name in names}, **changes}


def test_the_district_backfill_adds_every_overseeing_district(make_order, dispatched_to, wangjing_office, other_office):
    chaoyang, haidian = place("朝阳区"), place("海淀区")
    one, two, none = make_order(), make_order(), make_order()
    WorkOrder.objects.filter(pk__in=[one.pk, two.pk]).update(district=haidian)
    WorkOrder.objects.filter(pk=none.pk).update(district=None)
    dispatched_to(one, wangjing_office)
    dispatched_to(two, other_office)
    expected = {o.pk: all_keys(o) for o in (one, two, none)}
    assert district_keys(one) == sorted([chaoyang.pk, haidian.pk])
    set_keys([one, two, none], "{}")
    migration.backfill(connection)  # 0018's: the units
    assert district_migration.backfill(connection) == 2
    assert {o.pk: all_keys(o) for o in (one, two, none)} == expected
    assert district_migration.backfill(connection) == 0  # a rerun writes nothing


def test_a_district_governments_search_drops_an_order_moved_out_R5_1(
    make_order, dispatched_to, make_user, wangjing_office, other_office
):
    from jiesu.directory.models import Unit

    chaoyang, haidian = place("朝阳区"), place("海淀区")
    moved = make_order(content="烧烤店油烟扰民")
    WorkOrder.objects.filter(pk=moved.pk).update(district=chaoyang)
    dispatched_to(moved, other_office)
    government = Unit.objects.filter(kind="district_gov", district=chaoyang).first()
    overseer = make_user(roles.DISTRICT_OVERSIGHT, government)

    def found(query, **kw):
        return set(selectors.search_orders(overseer, query, **kw).values_list("pk", flat=True))

    assert found("烧烤店") == {moved.pk}
    WorkOrder.objects.filter(pk=moved.pk).update(district=haidian)  # a corrected location
    assert chaoyang.pk in district_keys(moved)  # the key stays; the search rechecks
    assert found("烧烤店") == found("烧烤店", indexed=False) == set()


def test_a_district_governments_search_is_answered_from_the_search_index(
    make_order, dispatched_to, make_user, wangjing_office
):
    from jiesu.directory.models import Unit

    for text in ("烧烤店油烟很大", "小区停车太难了"):
        dispatched_to(make_order(content=text), wangjing_office)
    government = Unit.objects.filter(kind="district_gov", district=place("朝阳区")).first()
    overseer = make_user(roles.DISTRICT_OVERSIGHT, government)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = selectors.search_orders(overseer, "烧烤").explain()
    assert "orders_workorder_search" in plan and "unit_keys" in plan, plan
    assert "orders_orderunit" not in plan, plan  # no EXISTS over the parts


def test_a_district_governments_sight_is_its_orders_and_follows_a_unit_moved_R5_1(
    make_order, dispatched_to, make_user, wangjing_office, other_office
):
    """orders_visible_to by the keys gives the orders located in the district or with a part of
    one of its units now, as the EXISTS over the parts does, also after a unit changes district."""
    from django.db.models import Q

    from jiesu.directory.models import Unit

    chaoyang, haidian = place("朝阳区"), place("海淀区")
    here, its_unit, elsewhere, nowhere = (make_order(content=f"小区门口第{i}件事情") for i in range(4))
    WorkOrder.objects.filter(pk=here.pk).update(district=chaoyang)
    WorkOrder.objects.filter(pk__in=[its_unit.pk, elsewhere.pk]).update(district=haidian)
    WorkOrder.objects.filter(pk=nowhere.pk).update(district=None)
    dispatched_to(its_unit, wangjing_office)
    dispatched_to(elsewhere, other_office)
    dispatched_to(nowhere, other_office)
    government = Unit.objects.filter(kind="district_gov", district=chaoyang).first()
    overseer = make_user(roles.DISTRICT_OVERSIGHT, government)

    def seen():
        return set(selectors.orders_visible_to(overseer).values_list("pk", flat=True))

    def by_parts():
        of_its_units = OrderUnit.objects.filter(unit__district=chaoyang).values("order_id")
        return set(WorkOrder.objects.filter(Q(district=chaoyang) | Q(pk__in=of_its_units)).values_list("pk", flat=True))

    assert seen() == by_parts() >= {here.pk, its_unit.pk}
    assert not seen() & {elsewhere.pk, nowhere.pk}
    Unit.objects.filter(pk=other_office.pk).update(district=chaoyang)  # a directory reload moves it
    assert seen() == by_parts() >= {here.pk, its_unit.pk, elsewhere.pk, nowhere.pk}
    assert set(selectors.search_orders(overseer, "第3件事").values_list("pk", flat=True)) == {nowhere.pk}
