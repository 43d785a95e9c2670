"""Orders that reach the public pages the real way: portal or intake, dispatch, reply, visit."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _pinned_clock(mid_november):
    """Reports are by month and codes expire."""


@pytest.fixture(autouse=True)
def outbox(sms_outbox):
    from django.core.cache import cache

    cache.clear()  # the look-up throttle's counters
    return sms_outbox


@pytest.fixture
def replied(make_order, dispatcher, wangjing_office, handler):
    from django.utils import timezone

    from jiesu.handling import services as handling
    from jiesu.orders import services

    def make(text="已联系物业，油烟净化器已清洗，夜间停止营业。", **fields):
        now = timezone.now()
        order = services.dispatch_order(
            make_order(**fields),
            actor=dispatcher,
            assignments=[
                services.Assignment(
                    unit=wangjing_office,
                    role="lead",
                    response_due=now + timezone.timedelta(hours=2),
                    due_at=now + timezone.timedelta(days=7),
                )
            ],
        )
        handling.accept(order, actor=handler)
        handling.record_contact(order, actor=handler, method="phone", outcome="reached")
        handling.reply(order, actor=handler, result="resolved", public_text=text)
        order.refresh_from_db()
        return order

    return make


@pytest.fixture
def closed(replied, supervisor):
    """An order replied to, visited (resolved, satisfied) and closed."""
    from jiesu.followup import services as followup

    def make(**fields):
        order = replied(**fields)
        followup.sweep()
        visit = order.return_visits.get(state="pending")
        followup.record_visit(visit, actor=supervisor, contacted=True, resolution="resolved", satisfaction="satisfied")
        visit.refresh_from_db()
        if not visit.outcome:
            followup.decide_after_visit(visit, actor=supervisor, reopen=False, note="已解释")
        order.refresh_from_db()
        return order

    return make
