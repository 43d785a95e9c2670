"""Fixtures for the handling stage: orders the engine dispatched (the people in units come from tests/conftest.py)."""

from __future__ import annotations

import pytest

from jiesu.dispatch.runtime import reset_engine_cache

# A request the engine dispatches at once to 望京街道 as lead, 朝阳区政府 supervising.
WANGJING_TEXT = "朝阳区望京街道花家地北里小区物业不作为，电梯坏了一周没人修"


@pytest.fixture(autouse=True)
def _fresh_engine():
    # Rule edits in a test roll back with its transaction; the cached engine must not outlive them.
    reset_engine_cache()
    yield
    reset_engine_cache()


@pytest.fixture(autouse=True)
def _sms_outbox(sms_outbox):
    return sms_outbox


@pytest.fixture
def take(call_taker):
    from jiesu.intake.services import take_request
    from jiesu.orders.services import IntakeData

    def take(content=WANGJING_TEXT, **fields):
        data = {
            "channel": "phone",
            "kind": "complaint",
            "content": content,
            "requester_phone": "13800138000",
            "requester_name": "李四",
            **fields,
        }
        return take_request(IntakeData(**data), actor=call_taker)

    return take


@pytest.fixture
def unit(db):
    from jiesu.directory.models import Unit

    return lambda code: Unit.objects.get(code=code)


@pytest.fixture
def wangjing_order(take, wangjing_office):
    order = take()
    assert order.status == "dispatched" and order.lead_unit == wangjing_office
    return order


def actions_of(order) -> list[str]:
    return list(order.events.order_by("at", "id").values_list("action", flat=True))
