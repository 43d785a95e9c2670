"""Fixtures for the handling stage: orders the engine dispatched (the people in units come from tests/conftest.py)."""

from __future__ import annotations

import pytest

# A request the engine dispatches at once to 望京街道 as lead, 朝阳区政府 supervising.
WANGJING_TEXT = "朝阳区望京街道花家地北里小区物业不作为，电梯坏了一周没人修"


@pytest.fixture(autouse=True)
def _fresh_engine(fresh_engine):
    return fresh_engine


@pytest.fixture(autouse=True)
def _sms_outbox(sms_outbox):
    return sms_outbox


@pytest.fixture
def take(take):
    """The request 望京街道 gets, from 李四, unless a test says otherwise."""

    def take_here(content=WANGJING_TEXT, **fields):
        return take(content, **{"requester_name": "李四", **fields})

    return take_here


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
