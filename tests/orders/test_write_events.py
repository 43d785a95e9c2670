"""write_events, the one writer of order events for a transition and for a bulk load (the demo's
history): on PostgreSQL a transition's few events go by one INSERT built once per row count and
a bulk load by COPY, and their events come out as record_event's do,
free text sealed under the order's key and opened again on reading (R8.3)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from jiesu.core import crypto
from jiesu.orders import services
from jiesu.orders.models import OrderEvent


@pytest.mark.django_db
@pytest.mark.parametrize(
    "copy_from, insert_up_to", [(services.COPY_EVENTS_FROM, services.INSERT_EVENTS_UP_TO), (1, 0), (5000, 0)]
)
def test_bulk_written_events_are_sealed_and_read_back_like_recorded_ones_R8_3(
    make_order, call_taker, monkeypatch, copy_from, insert_up_to
):
    # On PostgreSQL: the built INSERT (as written), COPY (copy_from=1), bulk_create (neither);
    # elsewhere bulk_create each time.
    monkeypatch.setattr(services, "COPY_EVENTS_FROM", copy_from)
    monkeypatch.setattr(services, "INSERT_EVENTS_UP_TO", insert_up_to)
    order = make_order()
    at = timezone.now() - timedelta(hours=1)
    events = [
        services.new_event(order, action="contact_recorded", actor=call_taker, at=at, data={"note": f"第{i}次联系"})
        for i in range(3)
    ]
    services.write_events(events, notify=False)
    if copy_from > 1:  # INSERT and bulk_create give the events their keys, COPY does not
        assert [e.pk for e in events] == sorted(e.pk for e in events) and None not in [e.pk for e in events]
        assert all(not e._state.adding for e in events)
    stored = list(OrderEvent.objects.filter(order=order, action="contact_recorded").order_by("id"))
    assert [e.data["note"] for e in stored] == ["第0次联系", "第1次联系", "第2次联系"]
    if copy_from > 1:
        assert [e.pk for e in stored] == [e.pk for e in events]
    assert {(e.actor_id, e.actor_unit_id, e.at) for e in stored} == {(call_taker.pk, call_taker.unit_id, at)}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data FROM orders_orderevent WHERE order_id = %s AND action = %s", [order.pk, "contact_recorded"]
        )
        raw = [row[0] for row in cursor.fetchall()]
    assert len(raw) == 3 and all(crypto.SEALED_PREFIX in str(value) for value in raw), raw
    assert not any("次联系" in str(value) for value in raw)


@pytest.mark.django_db
@pytest.mark.parametrize("copy_from", [1, 5000])
def test_bulk_events_are_stored_as_the_same_events_would_be_R8_3(make_order, call_taker, monkeypatch, copy_from):
    # The demo's history goes in as BulkEvent (no model instance per event): by COPY on
    # PostgreSQL, turned into instances on the other paths; either way the stored rows are what
    # new_event's instances give, free text sealed under the order's key.
    monkeypatch.setattr(services, "COPY_EVENTS_FROM", copy_from)
    first, second = make_order(), make_order()
    at = timezone.now() - timedelta(minutes=30)
    data = {"public_text": "已清理，联系电话13912345678", "result": "resolved"}

    def made(order, bulk):
        return [
            services.created_event(order, actor=call_taker, bulk=bulk),
            services.new_event(
                order,
                action="replied",
                actor=call_taker,
                at=at,
                from_status="in_progress",
                to_status="replied",
                data=dict(data),
                bulk=bulk,
            ),
        ]

    bulk = made(first, True)
    assert all(isinstance(e, services.BulkEvent) for e in bulk)
    services.write_events(bulk, notify=False)
    services.write_events(made(second, False), notify=False)

    def stored(order):
        return [
            (e.action, e.actor_id, e.actor_unit_id, e.from_status, e.to_status, e.data)
            for e in OrderEvent.objects.filter(order=order, action__in=["created", "replied"]).order_by("id")
        ][-2:]  # make_order wrote a created event of its own

    assert stored(first) == stored(second)
    assert [s[0] for s in stored(first)] == ["created", "replied"] and stored(first)[1][-1] == data
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM orders_orderevent WHERE order_id = %s AND action = 'replied'", [first.pk])
        raw = str(cursor.fetchone()[0])
    assert crypto.SEALED_PREFIX in raw and "13912345678" not in raw


def test_a_bulk_event_needs_its_orders_key():
    from jiesu.orders.models import WorkOrder

    order = WorkOrder(received_at=timezone.now() - timedelta(hours=1), channel="phone", content="楼道堆物")
    with pytest.raises(ValueError, match="key"):
        services.new_event(order, action="created", at=order.received_at, bulk=True)
