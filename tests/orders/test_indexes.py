"""The orders' indexes after the review for 100M orders (issue 17, item 4; migration 0017).

Each index is paid for by every intake and every status change, so the orders keep one index per
way they are read and no more: exact look-ups by a plain B-tree, no LIKE twin where nothing
searches by prefix, no index that another one's leading column already serves.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction

pytestmark = pytest.mark.django_db


def indexes(table: str) -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {name: c["columns"] for name, c in found.items() if c["index"] and not c["primary_key"]}


def test_orders_keep_one_index_per_way_they_are_read():
    orders = indexes("orders_workorder")
    assert orders["orders_caller_phone"] == ["requester_phone_index"]
    assert orders["orders_text_key"] == ["text_key_id"]
    assert orders["orders_matter"] == ["matter_code"]
    # Status is the work lists' index's leading column; nothing else indexes it alone.
    assert ["status"] not in orders.values()
    assert any(columns[:2] == ["status", "received_at"] for columns in orders.values())
    # Each column indexed once (the order number's LIKE twin aside: numbers are searched by prefix).
    singles = [tuple(c) for name, c in orders.items() if len(c) == 1 and not name.endswith("_like")]
    assert len(singles) == len(set(singles))
    likes = [name for name in orders if name.endswith("_like")]
    if connection.vendor == "postgresql":
        assert len(likes) == 1 and "_number_" in likes[0], likes
    parts = indexes("orders_orderunit")
    assert ["unit_id"] not in parts.values()
    assert any(columns == ["unit_id", "active"] for columns in parts.values())


def test_a_callers_orders_and_a_keys_order_are_read_by_their_index():
    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    with transaction.atomic(), connection.cursor() as cursor:
        # An empty test table is read whole by choice; without that choice the index must serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        for column, index in (("requester_phone_index", "orders_caller_phone"), ("text_key_id", "orders_text_key")):
            cursor.execute(f"EXPLAIN SELECT id FROM orders_workorder WHERE {column} = %s", ["x"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert index in plan, plan


def test_a_place_is_indexed_with_its_matter_and_receipt():
    # Migration 0020: the foreign keys' single-column indexes gave way to these, so an intake
    # writes no more index entries than before and "the same problem nearby" has its own index.
    orders = indexes("orders_workorder")
    assert orders["orders_community_matter"] == ["community_id", "matter_code", "received_at"]
    assert orders["orders_subdistrict_matter"] == ["subdistrict_id", "matter_code", "received_at"]
    assert ["community_id"] not in orders.values() and ["subdistrict_id"] not in orders.values()


def test_the_same_problem_nearby_is_read_by_the_place_and_matter_index():
    """dispatch.services.same_problem's statement, as every intake sends it."""
    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    from django.utils import timezone

    from jiesu.orders import choices

    open_statuses = sorted(choices.OPEN_STATUSES)
    marks = ", ".join(["%s"] * len(open_statuses))
    for column, index in (("community_id", "orders_community_matter"), ("subdistrict_id", "orders_subdistrict_matter")):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                f"EXPLAIN SELECT number FROM orders_workorder WHERE matter_code = %s AND status IN ({marks}) "
                f"AND received_at >= %s AND {column} = %s AND NOT requester_phone_index = %s "
                "ORDER BY received_at DESC LIMIT 5",
                ["urban.property.service", *open_statuses, timezone.now(), 1, "x"],
            )
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert index in plan, plan
