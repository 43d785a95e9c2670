"""jiesu.core.rows: the handling actions' rows read by statements built once, the same as the ORM's."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from jiesu.core import rows
from jiesu.dispatch.services import open_consultation
from jiesu.orders import selectors
from jiesu.orders.models import OrderEvent, OrderUnit, WorkOrder

pytestmark = pytest.mark.django_db


def _fields(instance):
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_a_row_is_the_orms_row(make_order):
    order = make_order()
    found = rows.one(WorkOrder, '"orders_workorder"."id" = %s', [order.pk])
    assert found is not None and len(found) == 1
    got = found[0]
    assert _fields(got) == _fields(WorkOrder.objects.get(pk=order.pk))
    assert got._state.adding is False and got._state.db == "default"
    # The sealed requester reads back as through the ORM.
    assert got.requester_phone == "13812345678"
    assert rows.one(WorkOrder, '"orders_workorder"."id" = %s', [order.pk + 10_000]) is None


def test_a_joined_row_is_put_on_the_relation(make_order, dispatched_to, wangjing_office):
    order = make_order()
    dispatched_to(order, wangjing_office)
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        part, *rest = rows.one(
            OrderUnit,
            '"orders_orderunit"."order_id" = %s AND "orders_orderunit"."active" = %s',
            [order.pk, True],
            lock=True,
            order_by='"orders_orderunit"."id"',
            join="unit",
        )
        assert rest == []
        assert part.unit.name == wangjing_office.name and part.unit.kind == wangjing_office.kind
    assert len(captured) == 1  # the unit came with the part
    sql = captured[0]["sql"]
    if connection.vendor == "postgresql":
        # Only the part is locked: locking the unit made a unit's actions wait for each other.
        assert sql.endswith('FOR UPDATE OF "orders_orderunit"')
    assert _fields(part) == _fields(OrderUnit.objects.get(pk=part.pk))


def test_extra_select_items_come_after_the_row(make_order):
    order = make_order()
    got, extra = rows.one(
        WorkOrder, '"orders_workorder"."number" = %s', [order.number], extra="%s + 1", extra_params=(41,)
    )
    assert got.pk == order.pk and extra == 42


def test_an_action_finds_an_order_as_a_page_does(
    make_order, take, dispatched_to, dispatcher, wangjing_office, other_office, member
):
    """get_order_for(related=False), the actions' read, sees exactly what orders_visible_to
    gives: the unit's own orders and those it is consulted on, never another unit's."""
    own, elsewhere = make_order(), make_order()
    consulted = take("小区里的路灯坏了好多天了，晚上黑乎乎的")  # the engine leaves it for review
    dispatched_to(own, wangjing_office)
    dispatched_to(elsewhere, other_office)
    open_consultation(consulted, actor=dispatcher, units=[wangjing_office], question="请就本工单的管辖提出意见。")
    seen = set()
    for user in (member(wangjing_office), member(other_office)):
        visible = set(selectors.orders_visible_to(user).values_list("pk", flat=True))
        for order in (own, elsewhere, consulted):
            for related in (True, False):
                try:
                    got = selectors.get_order_for(user, order.number, related=related)
                except WorkOrder.DoesNotExist as missing:
                    assert "不存在或无权查看" in str(missing)
                    assert order.pk not in visible
                else:
                    assert got.pk == order.pk and order.pk in visible
                    seen.add((user.unit_id, order.pk))
        with pytest.raises(WorkOrder.DoesNotExist):
            selectors.get_order_for(user, "000000-00000", related=False)
    assert seen == {
        (wangjing_office.pk, own.pk),
        (wangjing_office.pk, consulted.pk),
        (other_office.pk, elsewhere.pk),
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite takes none")
def test_a_lock_outside_a_transaction_is_refused_as_the_orm_refuses_it(make_order):
    """In autocommit the lock would end with its statement; the ORM refuses, and so does rows.
    A thread of its own has a connection outside the test's transaction."""
    import threading

    from django.db import connections
    from django.db.transaction import TransactionManagementError

    order = make_order()
    refused = []

    def outside():
        try:
            for read in (
                lambda: WorkOrder.objects.select_for_update().get(pk=order.pk),
                lambda: rows.one(WorkOrder, '"orders_workorder"."id" = %s', [order.pk], lock=True),
            ):
                try:
                    read()
                except TransactionManagementError:
                    refused.append(True)
                else:
                    refused.append(False)
        finally:
            connections.close_all()

    thread = threading.Thread(target=outside)
    thread.start()
    thread.join()
    assert refused == [True, True]
    with transaction.atomic():
        assert rows.one(WorkOrder, '"orders_workorder"."id" = %s', [order.pk], lock=True)[0].pk == order.pk


def _notice(order, unit, title="新派工单"):
    from jiesu.notifications.models import Notification

    return Notification(audience=Notification.UNIT, kind="dispatched", title=title, order=order, recipient_unit=unit)


def test_inserted_rows_are_what_bulk_create_writes(make_order, wangjing_office):
    from jiesu.notifications.models import Notification

    order = make_order()
    ours = [_notice(order, wangjing_office, f"第{i}条") for i in range(3)]
    theirs = [_notice(order, wangjing_office, f"第{i}条") for i in range(3)]
    with CaptureQueriesContext(connection) as captured:
        rows.insert(ours)
    Notification.objects.bulk_create(theirs)
    assert len(captured) == 1
    assert None not in [n.pk for n in ours] and [n.pk for n in ours] == sorted(n.pk for n in ours)
    assert all(n._state.adding is False and n._state.db == "default" for n in ours)
    stored = {n.pk: n for n in Notification.objects.filter(pk__in=[n.pk for n in ours + theirs])}
    for mine, other in zip(ours, theirs):
        got, want = _fields(stored[mine.pk]), _fields(stored[other.pk])
        # Keys and the auto_now_add time differ; every other column is the same.
        assert got.pop("id") != want.pop("id") and got.pop("created_at") and want.pop("created_at")
        assert got == want
    assert ours[0].params == {} and stored[ours[0].pk].params == {}


def test_a_row_made_before_its_order_is_inserted_with_the_orders_key(make_order, wangjing_office):
    # As bulk_create: the key is taken from the related object saved after the assignment (an
    # intake's parts and events are made before its order's INSERT).
    order = make_order()
    notice = _notice(order, wangjing_office)
    notice.__dict__["order_id"] = None  # what assigning the order before it had a key left (the cache kept)
    rows.insert([notice])
    assert notice.order_id == order.pk and notice.order is order
    assert Notification_of(notice.pk).order_id == order.pk


def Notification_of(pk):
    from jiesu.notifications.models import Notification

    return Notification.objects.get(pk=pk)


def test_an_unsaved_related_object_is_refused(wangjing_office):
    order = WorkOrder(channel="phone", kind="complaint", content="x")
    with pytest.raises(ValueError, match="unsaved related object"):
        rows.insert([OrderUnit(order=order, unit=wangjing_office, role="lead")])
    assert not OrderUnit.objects.filter(unit=wangjing_office).exists()


def test_rows_with_their_own_keys_or_many_rows_go_through_bulk_create(make_order, wangjing_office):
    from jiesu.notifications.models import Notification

    order = make_order()
    many = [_notice(order, wangjing_office) for _ in range(rows.INSERT_UP_TO + 1)]
    rows.insert(many)
    assert Notification.objects.filter(order=order).count() == rows.INSERT_UP_TO + 1
    keyed = _notice(order, wangjing_office, "指定主键")
    keyed.pk = max(n.pk for n in many) + 1000
    rows.insert([keyed])
    assert Notification.objects.get(pk=keyed.pk).title == "指定主键"


def test_one_with_reads_the_named_fields_as_only_does(make_order, wangjing_office):
    from jiesu.notifications import services as notify
    from jiesu.notifications.models import Delivery

    order = make_order()
    n = notify.notify_requester(order, kind="replied", title="已有答复", body="已处理。", params={"a": 1})
    delivery = n.deliveries.get()
    fields = ("channel", "notification__kind", "notification__params", "notification__order__requester_phone_enc")
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        got = rows.one_with(Delivery, '"notifications_delivery"."id" = %s', [delivery.pk], fields=fields, lock=True)
        # What was read is on the instances, with no query more: the joined rows and their keys.
        assert got.channel == Delivery.SMS and got.notification.kind == "replied"
        assert got.notification.params == {"a": 1}  # the JSON field's converter applied
        assert got.notification.order.requester_phone == order.requester_phone
        assert got.notification.order_id == order.pk and got.notification_id == n.pk
    assert len(captured) == 1
    sql = captured[0]["sql"]
    assert "requester_name_enc" not in sql and '"title"' not in sql
    if connection.vendor == "postgresql":
        assert sql.endswith('FOR UPDATE OF "notifications_delivery"')
    # A field left out is deferred, as only() leaves it: read on first use.
    assert got.notification.get_deferred_fields() >= {"title", "body"}
    assert got.notification.title == "已有答复"


def test_one_with_puts_none_on_an_empty_relation(wangjing_office):
    from jiesu.notifications.models import Delivery, Notification

    n = Notification.objects.create(audience=Notification.UNIT, kind="x", title="t", recipient_unit=wangjing_office)
    d = Delivery.objects.create(notification=n, channel=Delivery.EMAIL)
    got = rows.one_with(
        Delivery,
        '"notifications_delivery"."id" = %s',
        [d.pk],
        fields=("notification__order__requester_phone_enc", "notification__recipient_unit__contact_email"),
    )
    assert got.notification.order is None and got.notification.recipient_unit.pk == wangjing_office.pk
    assert rows.one_with(Delivery, '"notifications_delivery"."id" = %s', [d.pk + 1000], fields=("channel",)) is None


def test_update_writes_the_fields_as_save_does(make_order, dispatched_to, wangjing_office):
    from django.db import DatabaseError
    from django.utils import timezone

    order = make_order()
    dispatched_to(order, wangjing_office)
    part = OrderUnit.objects.get(order=order, unit=wangjing_office)
    before = WorkOrder.objects.get(pk=order.pk).updated_at
    part.accepted_at = timezone.now()
    rows.update(part, ("accepted_at",))
    assert OrderUnit.objects.get(pk=part.pk).accepted_at == part.accepted_at
    row = WorkOrder.objects.get(pk=order.pk)
    row.status = "in_progress"
    rows.update(row, ("status", "updated_at"))
    stored = WorkOrder.objects.get(pk=order.pk)
    assert stored.status == "in_progress" and stored.updated_at > before  # auto_now, as save sets it
    gone = OrderUnit(pk=part.pk + 10_000, order=order, unit=wangjing_office)
    with pytest.raises(DatabaseError):
        rows.update(gone, ("accepted_at",))


def test_exists_asks_with_datetimes_adapted_as_the_orm_does(make_order):
    order = make_order()
    event = OrderEvent.objects.filter(order=order).order_by("at").first()
    where = '"order_id" = %s AND "at" >= %s'
    # A datetime parameter compares as the ORM stores it (SQLite keeps text, PostgreSQL a timestamp).
    assert rows.exists(OrderEvent, where, [order.pk, event.at])
    assert not rows.exists(OrderEvent, where, [order.pk, event.at + timedelta(days=1)])
    assert not rows.exists(OrderEvent, where, [order.pk + 10_000, event.at])
