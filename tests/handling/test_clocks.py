"""Deadlines across public holidays and natural hours for 24/7 enterprises (R13.1, R19.1)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from jiesu.dispatch.services import accept_suggestion
from jiesu.handling import services
from jiesu.orders.models import OrderUnit

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")
# The afternoon before National Day 2026 (1-7 October off; Saturday 10 October a make-up working day).
EVE_OF_NATIONAL_DAY = datetime(2026, 9, 30, 16, 0, tzinfo=BEIJING)
HOLIDAY = [date(2026, 10, d) for d in range(1, 8)]


@pytest.fixture
def at_eve(monkeypatch):
    clock = {"now": EVE_OF_NATIONAL_DAY}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    return clock


def _day(dt):
    return dt.astimezone(BEIJING).date()


def test_order_dispatched_before_national_day_is_due_after_it_R13_1(at_eve, take, handler, supervisor):
    order = take(received_at=EVE_OF_NATIONAL_DAY)
    assert order.status == "dispatched"
    lead = OrderUnit.objects.get(order=order, role="lead")
    # 1 working day to respond and 7 to finish (the matter's rule), counted on working days only.
    assert lead.response_due == datetime(2026, 10, 8, 17, 0, tzinfo=BEIJING)
    assert lead.due_at == datetime(2026, 10, 15, 17, 0, tzinfo=BEIJING)
    services.accept(order, actor=handler)
    ext = services.request_extension(order, actor=handler, reason="国庆假期后业主才能到场确认维修方案", extra_days=2)
    ext = services.decide_extension(ext, actor=supervisor, approve=True)
    # Two working days after Thursday 15 October: Friday, then Monday.
    assert ext.new_due == datetime(2026, 10, 19, 17, 0, tzinfo=BEIJING)


def test_enterprise_counts_natural_hours_through_the_holiday_R19_1(at_eve, take, member, unit, supervisor, dispatcher):
    power = unit("ent-power")
    order = take(
        content="朝阳区望京街道花家地北里小区停电了，家里老人需要用制氧机",
        kind="help",
        requester_phone="13700137000",
        received_at=EVE_OF_NATIONAL_DAY,
    )
    if order.status == "pending_review":
        # The gate may hold it (the lead-type model reads "老人" as the township's); the catalog's
        # lead stays the power company, and the dispatcher takes the engine's suggestion. The
        # clock is what is tested here.
        order = accept_suggestion(order, actor=dispatcher)
    assert order.status == "dispatched" and order.lead_unit == power and order.matter_code == "utility.power.outage"
    lead = OrderUnit.objects.get(order=order, role="lead", active=True)
    # Natural hours: the clock runs through National Day, so the deadline falls inside it.
    assert lead.response_due == EVE_OF_NATIONAL_DAY + timedelta(hours=2)
    assert lead.due_at == EVE_OF_NATIONAL_DAY + timedelta(hours=24) and _day(lead.due_at) in HOLIDAY
    person = member(power)
    services.accept(order, actor=person)
    ext = services.request_extension(order, actor=person, reason="需更换变压器，设备调配需要时间", extra_days=1)
    ext = services.decide_extension(ext, actor=supervisor, approve=True)
    assert ext.new_due - lead.due_at == timedelta(hours=24)  # one "working day" is 24 natural hours for a 24/7 unit
