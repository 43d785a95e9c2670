"""An order's unit keys on PostgreSQL (migration orders 0018): kept by the database for every way
a unit comes to take part, restored by the migration's backfill, and what a unit's content search
is answered from, with the same orders as the unit may see."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from jiesu.core import roles
from jiesu.handling import services as handling
from jiesu.orders import selectors
from jiesu.orders.models import OrderUnit

from ..handling.conftest import WANGJING_TEXT

pytestmark = pytest.mark.django_db

migration = importlib.import_module("jiesu.orders.migrations.0018_order_unit_keys")


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("unit keys are PostgreSQL's; SQLite's search scans")


def keys(order) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT unit_keys FROM orders_workorder WHERE id = %s", [order.pk])
        return sorted(cursor.fetchone()[0])


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
    with connection.cursor() as cursor:
        cursor.execute("UPDATE orders_workorder SET unit_keys = '{}' WHERE id = ANY(%s)", [[one.pk, two.pk, none.pk]])
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
