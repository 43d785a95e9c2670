"""A small month made through the real services: dispatch, handling, return visit."""

from __future__ import annotations

import pytest
from django.utils import timezone


@pytest.fixture(autouse=True)
def _sms_outbox(sms_outbox):
    return sms_outbox


@pytest.fixture(autouse=True)
def _pinned_clock(mid_november):
    """A month is assessed while it runs: which orders, visits and deadlines fall in "this month"
    and "last month" moves with the date; every day of the run gives the same month."""


@pytest.fixture
def month():
    return timezone.localdate().replace(day=1)


@pytest.fixture
def dispatch(make_order, dispatcher):
    from jiesu.orders import services

    def dispatch(lead, *assisting, order=None):
        order = order or make_order()
        parts = [services.Assignment(unit=lead, role="lead")] + [
            services.Assignment(unit=u, role="assist") for u in assisting
        ]
        return services.dispatch_order(order, actor=dispatcher, assignments=parts)

    return dispatch


@pytest.fixture
def handle(member):
    """The lead accepts, calls the requester and replies."""
    from jiesu.handling import services as handling

    def handle(order, unit, result="resolved", before_reply=None):
        h = member(unit)
        handling.accept(order, actor=h)
        handling.record_contact(order, actor=h, method="phone", outcome="reached")
        if before_reply:
            before_reply(order, h)
        handling.reply(
            order,
            actor=h,
            result=result,
            public_text="已到现场核实处理，并向诉求人当面说明情况。",
            unresolved_reason="" if result == "resolved" else "需要协调其他部门，已列入计划。",
        )
        order.refresh_from_db()
        return order

    return handle


@pytest.fixture
def visit(supervisor):
    """Queue the order and record the requester's answers; close it whatever they said."""
    from jiesu.followup import services as followup

    def visit(order, contacted=True, resolution="resolved", satisfaction="satisfied", **kw):
        followup.sweep()
        v = order.return_visits.get(state="pending")
        followup.record_visit(
            v, actor=supervisor, contacted=contacted, resolution=resolution, satisfaction=satisfaction, **kw
        )
        v.refresh_from_db()
        if not v.outcome:
            followup.decide_after_visit(v, actor=supervisor, reopen=False, note="已解释")
        return v

    return visit
