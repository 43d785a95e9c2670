"""Orders that reach the return visit the real way: dispatched, accepted, contacted, replied."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _sms_outbox(sms_outbox):
    return sms_outbox


@pytest.fixture
def replied_order(make_order, dispatched_to, wangjing_office, handler):
    """An order 望京街道 replied to as resolved."""
    from jiesu.handling import services as handling

    def make(result="resolved", **fields):
        order = dispatched_to(make_order(**fields), wangjing_office)
        handling.accept(order, actor=handler)
        handling.record_contact(order, actor=handler, method="phone", outcome="reached")
        handling.reply(
            order,
            actor=handler,
            result=result,
            public_text="已联系物业，油烟净化器已清洗，夜间停止营业。",
            unresolved_reason="" if result == "resolved" else "需区级部门协调，已纳入计划。",
        )
        order.refresh_from_db()
        return order

    return make
