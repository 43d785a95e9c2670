"""The demo history generator (`jiesu demo --orders N`): realism invariants, not timing.

Requirements served: R2.1 (the work order and its number), R8.3 (personal data encrypted, blind
index), R10.1 (intake), R12.1 (one lead unit per dispatched order).
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from jiesu.core import crypto, redact
from jiesu.demo.orders import generate_orders
from jiesu.orders import choices, selectors, services
from jiesu.orders.models import OrderEvent, OrderNumberCounter, OrderUnit, WorkOrder

NUMBER = re.compile(r"^(\d{6})-(\d{5})$")
# Where a dispatched demo order may stand now.
HANDLED = [choices.DISPATCHED, choices.IN_PROGRESS, choices.REPLIED, choices.RETURN_VISIT, choices.CLOSED]


@pytest.fixture(autouse=True)
def _pinned_clock():
    # The history ends today, and how far along its youngest orders are depends on the hour and on
    # how many of the 400 fall in the last days: on some dates none is still received or pending.
    with time_machine.travel(datetime(2026, 11, 30, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


@pytest.fixture
def history(db):
    # The history is laid out back from "now" and its open orders are few (about 1 in 50): a
    # pinned clock makes the overdue share the same on every run, on any day and at any hour.
    with time_machine.travel(datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        out = io.StringIO()
        report = generate_orders(400, seed=2024, stdout=out)
        yield report


def _counters_match_orders() -> None:
    per_day = Counter()
    top = {}
    for number in WorkOrder.objects.values_list("number", flat=True):
        day, seq = NUMBER.match(number).groups()
        per_day[day] += 1
        top[day] = max(top.get(day, 0), int(seq))
    counters = {f"{c.day:%y%m%d}": c.last for c in OrderNumberCounter.objects.all()}
    for day, highest in top.items():
        assert counters[day] >= highest, day
        assert counters[day] == per_day[day], day  # no gaps on a fresh database


@pytest.mark.django_db
def test_R2_1_numbers_follow_the_daily_counter_and_intake_continues_after_them(history, call_taker):
    assert WorkOrder.objects.count() == 400
    numbers = list(WorkOrder.objects.values_list("number", "received_at"))
    assert len({n for n, _ in numbers}) == 400
    for number, received_at in numbers:
        match = NUMBER.match(number)
        assert match, number
        assert match.group(1) == f"{timezone.localtime(received_at):%y%m%d}"
    _counters_match_orders()

    # A real intake on a day the history filled gets the next number, not a collision.
    busiest = OrderNumberCounter.objects.order_by("-last", "day").first()
    received_at = timezone.make_aware(
        timezone.datetime.combine(busiest.day, timezone.datetime.min.time()) + timedelta(hours=23, minutes=59)
    )
    order = services.create_order(
        services.IntakeData(
            channel="phone",
            kind="complaint",
            content="楼下餐馆油烟很大，晚上也很吵。",
            requester_phone="13900001111",
            received_at=received_at,
        ),
        actor=call_taker,
    )
    assert order.number == f"{busiest.day:%y%m%d}-{busiest.last + 1:05d}"
    today = services.create_order(
        services.IntakeData(
            channel="phone", kind="help", content="小区停水了，请问什么时候恢复？", requester_phone="13900001111"
        ),
        actor=call_taker,
    )
    assert WorkOrder.objects.filter(number=today.number).count() == 1


@pytest.mark.django_db
def test_R12_1_every_dispatched_order_has_one_active_lead_and_its_events(history):
    dispatched = WorkOrder.objects.filter(status__in=HANDLED)
    assert dispatched.count() > 0.6 * 400
    leads = dict(
        OrderUnit.objects.filter(order__in=dispatched, role="lead", active=True)
        .values("order_id")
        .annotate(n=Count("id"))
        .values_list("order_id", "n")
    )
    for order in dispatched.select_related("lead_unit"):
        assert leads.get(order.pk) == 1, order.number
        assert order.lead_unit_id and order.due_at and order.response_due
        actions = list(order.events.order_by("at", "id").values_list("action", flat=True))
        assert actions[:2] == ["created", "dispatched"], (order.number, actions)
        event = order.events.get(action="dispatched")
        assert event.from_status == choices.RECEIVED and event.to_status == choices.DISPATCHED
        assert set(event.data) >= {"automatic", "units"}
        lead = [u for u in event.data["units"] if u["role"] == "lead"]
        assert [u["code"] for u in lead] == [order.lead_unit.code]
        assert set(lead[0]) == {"code", "name", "role", "due_at"}
    supervised = OrderUnit.objects.filter(order__in=dispatched, role="supervise", unit__kind="district_gov")
    assert supervised.count() > 0.9 * dispatched.count()
    # Orders never dispatched have no units; every order starts with its "created" event.
    assert not OrderUnit.objects.exclude(order__in=dispatched).exists()
    created = OrderEvent.objects.filter(action="created").values("order_id").annotate(n=Count("id"))
    assert created.count() == 400 and all(row["n"] == 1 for row in created)
    first = OrderEvent.objects.filter(action="created").values_list("order__received_at", "at")
    assert all(received == at for received, at in first)


@pytest.mark.django_db
def test_R8_3_personal_data_is_encrypted_and_repeat_callers_are_found_by_blind_index(history, call_taker):
    orders = list(WorkOrder.objects.exclude(requester_phone_index=""))
    assert len(orders) > 350
    for order in orders[:100]:
        phone, name = order.requester_phone, order.requester_name
        assert 7 <= len(phone) <= 12 and phone.isdigit()
        assert name and phone not in order.requester_phone_enc and name not in order.requester_name_enc
        assert order.requester_phone_index == crypto.blind_index(phone)
        if order.requester_id_number:
            assert len(order.requester_id_number) == 18
    repeaters = (
        WorkOrder.objects.exclude(requester_phone_index="")
        .values("requester_phone_index")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
    )
    assert repeaters.exists()
    index = repeaters.order_by("-n").first()
    phone = WorkOrder.objects.filter(requester_phone_index=index["requester_phone_index"]).first().requester_phone
    found = selectors.caller_history(call_taker, phone, limit=100)
    assert len(found) == index["n"] >= 2


@pytest.mark.django_db
def test_R8_3_history_goes_in_sealed_under_each_orders_own_key(history):
    # The generator seals as intake does (WorkOrder.save): nothing is left for seal_existing.
    from jiesu.orders import sealing

    orders = list(WorkOrder.objects.all())
    assert len(orders) == 400
    assert len({o.text_key_id for o in orders}) == 400 and all(o.text_key_enc for o in orders)
    for order in orders:
        key = crypto.unwrap_text_key(order.text_key_enc)
        assert order.content_sealed.startswith(crypto.SEALED_PREFIX + order.text_key_id + ":")
        typed = crypto.open_text(order.content_sealed, key)
        assert order.request_text == typed and typed
        known = redact.known_values(order.requester_name, order.requester_phone, order.requester_id_number)
        assert order.content == redact.redact(typed, known)
    replies = [
        e for e in OrderEvent.objects.filter(action="replied").select_related("order")[:50] if e.data.get("public_text")
    ]
    assert replies
    with connection.cursor() as cursor:
        for event in replies:
            cursor.execute("SELECT data FROM orders_orderevent WHERE id = %s", [event.pk])
            raw = cursor.fetchone()[0]
            raw = raw if isinstance(raw, dict) else json.loads(raw)
            assert raw["public_text"].startswith(crypto.SEALED_PREFIX + event.order.text_key_id + ":")
    assert sealing.seal_existing(WorkOrder, OrderEvent) == 0


@pytest.mark.django_db
def test_R2_1_history_spreads_across_districts_kinds_channels_and_matters(history):
    qs = WorkOrder.objects.all()
    assert qs.values("district").distinct().count() >= 10
    assert set(qs.values_list("kind", flat=True)) == {code for code, _ in choices.KINDS}
    assert qs.values("channel").distinct().count() >= 5
    assert qs.values("matter_code").distinct().count() >= 20
    statuses = set(qs.values_list("status", flat=True))
    assert {choices.IN_PROGRESS, choices.RETURN_VISIT, choices.CLOSED} <= statuses
    # Only the newest orders still wait for the engine (jiesu.demo.live decides them).
    waiting = qs.filter(status__in=[choices.RECEIVED, choices.PENDING_REVIEW])
    assert not waiting.filter(received_at__lt=timezone.now() - timedelta(days=4)).exists()
    span = qs.aggregate(first=Min("received_at"), last=Max("received_at"))
    assert span["last"] - span["first"] > timedelta(days=300)
    assert span["last"] < timezone.now()
    for order in qs.select_related("district", "subdistrict")[:200]:
        assert "{" not in order.content and len(order.content) >= 10
        assert order.location_text.startswith(order.district.name + order.subdistrict.name)
    assert qs.filter(~Q(community=None)).count() > 300


@pytest.mark.django_db
def test_second_run_appends_without_collisions(history):
    report = generate_orders(150, seed=2024, stdout=io.StringIO())
    assert report.startswith("150 orders")
    assert WorkOrder.objects.count() == 550
    assert WorkOrder.objects.values("number").distinct().count() == 550
    _counters_match_orders()


@pytest.mark.django_db
def test_same_seed_same_history(db):
    def run():
        sid = transaction.savepoint()
        generate_orders(60, seed=99, stdout=io.StringIO())
        rows = list(
            WorkOrder.objects.order_by("number").values_list(
                "number", "received_at", "kind", "content", "location_text", "status"
            )
        )
        phones = [o.requester_phone for o in WorkOrder.objects.order_by("number")]
        transaction.savepoint_rollback(sid)
        return rows, phones

    assert run() == run()


@pytest.mark.django_db
def test_R23_1_history_is_handled_replied_visited_and_few_orders_are_overdue(history):
    """Issue 13 item 8: a year of replies, return visits and satisfaction, orders spread over their
    limits, and the records in the shapes the handling and followup services write."""
    from jiesu.followup.models import ReturnVisit
    from jiesu.handling.models import Reply

    closed = WorkOrder.objects.filter(status=choices.CLOSED)
    assert closed.count() > 0.6 * 400
    for order in closed[:60]:
        actions = list(order.events.order_by("at", "id").values_list("action", flat=True))
        assert actions == [
            "created",
            "dispatched",
            "accepted",
            "contact_recorded",
            "replied",
            "return_visit_queued",
            "return_visit_recorded",
            "closed",
        ], (order.number, actions)
        reply = Reply.objects.get(order=order)
        visit = ReturnVisit.objects.get(order=order)
        assert reply.unit_id == order.lead_unit_id and reply.replied_by.unit_id == order.lead_unit_id
        assert visit.state == "done" and visit.resolution and visit.satisfaction and visit.visited_at > reply.replied_at
        lead = order.assignments.get(role="lead")
        assert lead.accepted_at <= lead.first_contact_at <= lead.finished_at == reply.replied_at
        times = list(order.events.order_by("id").values_list("at", flat=True))
        assert times == sorted(times), order.number
    satisfaction = Counter(ReturnVisit.objects.filter(state="done").values_list("satisfaction", flat=True))
    assert set(satisfaction) == {"satisfied", "basic", "unsatisfied"}
    assert satisfaction["satisfied"] > satisfaction["unsatisfied"]
    # Pending visits have their reply; open parts are mostly within their limit.
    assert (
        ReturnVisit.objects.filter(state="pending").count()
        == WorkOrder.objects.filter(status=choices.RETURN_VISIT).count()
        > 0
    )
    open_parts = OrderUnit.objects.filter(
        role="lead", finished_at=None, order__status__in=[choices.DISPATCHED, choices.IN_PROGRESS]
    )
    overdue = open_parts.filter(due_at__lt=timezone.now()).count()
    assert open_parts.count() > 0 and overdue <= 0.5 * open_parts.count() and overdue < 0.02 * 400


@pytest.mark.django_db
def test_R2_1_history_follows_the_seasons(db):
    """Heating complaints peak in the heating season (Nov-Mar), waterlogging in the flood season (Jun-Sep)."""
    generate_orders(1200, seed=7, stdout=io.StringIO())
    months = [
        (code, timezone.localtime(received).month)
        for code, received in WorkOrder.objects.values_list("matter_code", "received_at")
    ]
    heating = [m for code, m in months if code.startswith("utility.heating.")]
    flood = [m for code, m in months if code == "utility.drainage.waterlogging"]
    assert heating and sum(m in (11, 12, 1, 2, 3) for m in heating) > 0.8 * len(heating)
    assert flood and sum(m in (6, 7, 8, 9) for m in flood) > 0.7 * len(flood)


@pytest.mark.django_db
def test_R5_1_history_goes_in_with_the_search_keys_the_database_would_give(history):
    """The generator writes each order's unit and district keys with its COPY (migrations orders
    0018, 0019): the same keys as the migrations' backfills make from the parts and places."""
    import importlib

    if connection.vendor != "postgresql":
        pytest.skip("search keys are PostgreSQL's")

    def stored():
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, unit_keys FROM orders_workorder")
            return {pk: sorted(keys) for pk, keys in cursor.fetchall()}

    written = stored()
    assert sum(1 for keys in written.values() if any(k < 0 for k in keys)) > 0.9 * len(written)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE orders_workorder SET unit_keys = '{}'")
    for name in ("0018_order_unit_keys", "0019_order_district_keys"):
        importlib.import_module(f"jiesu.orders.migrations.{name}").backfill(connection)
    assert stored() == written
