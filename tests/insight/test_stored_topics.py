"""Topics of the stored orders grouped as orders arrive (R18.1, R24.1): each order is grouped
once, joins the topic of an earlier order it reads like in its matter and township, and a
later order that reads like two topics joins them; the stored topics are read for any scope."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from jiesu.insight import stored_topics
from jiesu.insight.models import OrderTopic
from jiesu.orders.models import WorkOrder

from .conftest import FUMES, NOISE

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 7, 6, 9, 0, tzinfo=TZ)
LEAK = ["望京西园三区3号楼地下室漏水严重，墙皮脱落", "望京西园三区3号楼地下室漏水，墙皮都掉了"]
BINS = ["望京西园三区小区门口垃圾桶满了没人清运", "望京西园三区门口垃圾桶已满多日无人清运"]


@pytest.fixture
def place_order(make_order, chaoyang):
    def make(content: str, at: datetime, *, matter: str = FUMES, township=None) -> WorkOrder:
        with time_machine.travel(at, tick=False):
            order = make_order(content=content)
        WorkOrder.objects.filter(pk=order.pk).update(
            matter_code=matter,
            district=chaoyang["district"],
            subdistrict=township or chaoyang["wangjing"],
            received_at=at,
        )
        return order

    return make


def _topic(order) -> int:
    return OrderTopic.objects.get(order=order).topic


@pytest.mark.django_db
def test_new_orders_join_earlier_topics_once_R18_1(place_order, chaoyang):
    leak = [place_order(t, START + timedelta(hours=i)) for i, t in enumerate(LEAK)]
    other_matter = place_order(LEAK[0], START + timedelta(hours=2), matter=NOISE)
    other_township = place_order(LEAK[1], START + timedelta(hours=3), township=chaoyang["other"])

    first = stored_topics.group_new_orders()
    assert (first.orders, first.joined) == (4, 1)
    assert _topic(leak[0]) == _topic(leak[1]) == leak[0].pk  # named by its first order
    # Same words, another matter or another township: another topic (a local problem).
    assert _topic(other_matter) == other_matter.pk and _topic(other_township) == other_township.pk

    assert stored_topics.group_new_orders().orders == 0  # nothing new, nothing done

    # A day later a third report joins; one far outside the 30-day window starts a topic.
    third = place_order("望京西园三区3号楼地下室还在漏水，墙皮脱落", START + timedelta(days=1))
    late = place_order(LEAK[0], START + timedelta(days=90))
    again = stored_topics.group_new_orders()
    assert (again.orders, again.joined) == (2, 1)
    assert _topic(third) == leak[0].pk and _topic(late) == late.pk

    found = stored_topics.stored_topics(WorkOrder.objects.all())
    assert [(t.size, t.label) for t in found] == [(3, LEAK[0])]
    assert sorted(found[0].ids) == sorted(str(o.pk) for o in [*leak, third])
    assert found[0].places == ["望京街道"]
    # Read for a scope: the other township's orders hold no topic of two.
    assert stored_topics.stored_topics(WorkOrder.objects.filter(subdistrict=chaoyang["other"])) == []


@pytest.mark.django_db
def test_an_order_that_reads_like_two_topics_joins_them_R18_1(place_order):
    leak = [place_order(t, START + timedelta(hours=i)) for i, t in enumerate(LEAK)]
    bins = [place_order(t, START + timedelta(hours=2 + i)) for i, t in enumerate(BINS)]
    stored_topics.group_new_orders()
    assert _topic(bins[1]) == bins[0].pk != _topic(leak[0])

    both = place_order("望京西园三区3号楼地下室漏水，门口垃圾桶也满了没人清运", START + timedelta(hours=5))
    result = stored_topics.group_new_orders()
    assert (result.orders, result.merged) == (1, 1)
    # The younger topic's members are renamed into the older one.
    assert {_topic(o) for o in [*leak, *bins, both]} == {leak[0].pk}
