"""Work lists: true counts, paging past the first page, search and filters, oldest limit first,
time left shown (R33.1 supervision, R15.1 handling within the limit, R23.1 return visits)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from jiesu.core import roles, worklists
from jiesu.orders.models import OrderUnit, WorkOrder

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def many(make_order, dispatched_to, wangjing_office):
    """35 orders with 望京街道, limits spread from 20 hours overdue to 14 hours left."""
    orders = []
    for i in range(35):
        order = dispatched_to(
            make_order(content=f"第{i:02d}号：小区楼下餐馆油烟太大，晚上十点以后还很吵。"), wangjing_office
        )
        due = timezone.now() + timedelta(hours=i - 20, minutes=30)
        WorkOrder.objects.filter(pk=order.pk).update(due_at=due)
        OrderUnit.objects.filter(order=order).update(due_at=due)
        orders.append(order)
    return orders


def test_workbench_counts_all_pages_past_the_first_and_filters_R15_1(many, make_user, wangjing_office, client):
    client.force_login(make_user(roles.UNIT_HANDLER, wangjing_office))
    first = client.get("/handling/").content.decode()
    assert "共 35 件" in first and "35 件待办" in first and "超期 20 件" in first
    assert first.count('data-number="') == worklists.PER_PAGE
    # Oldest limit first: the most overdue order heads page one.
    assert first.index(many[0].number) < first.index(many[1].number)
    assert "超期19小时" in first or "超期20小时" in first
    second = client.get("/handling/?page=2").content.decode()
    assert second.count('data-number="') == 5 and many[34].number in second and "第 2 / 2 页" in second
    overdue = client.get("/handling/?left=overdue").content.decode()
    assert "共 20 件" in overdue
    found = client.get("/handling/", {"q": "第07号"}).content.decode()
    assert "共 1 件" in found and many[7].number in found
    by_number = client.get("/handling/", {"q": many[3].number}).content.decode()
    assert "共 1 件" in by_number
    # A phone number is not searched from a URL (it would stay in access logs).
    refused = client.get("/handling/", {"q": "13812345678"}).content.decode()
    assert "号码不能出现在网址中" in refused and "共 35 件" in refused


def test_supervision_board_true_count_beyond_any_cap_and_unit_filter_R33_1(many, make_user, client):
    client.force_login(make_user(roles.SUPERVISOR))
    board = client.get("/handling/supervision/").content.decode()
    assert 'id="overdue-count">20<' in board
    filtered = client.get("/handling/supervision/", {"unit": "望京"}).content.decode()
    assert 'id="overdue-count">20<' in filtered
    other = client.get("/handling/supervision/", {"unit": "中关村"}).content.decode()
    assert 'id="overdue-count">0<' in other
    page2 = client.get("/handling/supervision/?overdue_page=2").content.decode()
    assert "第 1 / 1 页" in page2  # 20 fit on one page; the page parameter is read per panel


def test_time_left_filter_bounds_today_in_beijing():
    # 23:00 in Beijing: "today" ends in an hour, whatever the server's zone.
    with time_machine.travel(datetime(2026, 12, 1, 23, 0, tzinfo=BEIJING), tick=False):
        now = timezone.now()
        bounds = worklists.left_bounds("today", now)
        assert bounds["due__lt"] - now == timedelta(hours=1)
        assert worklists.time_left(now - timedelta(days=1, hours=2)) == ("overdue", "超期1天2小时")
        assert worklists.time_left(now + timedelta(hours=5)) == ("due_soon", "剩余5小时0分")
        assert worklists.time_left(None) == ("none", "—")


def test_visit_queue_pages_and_counts_R23_1(many, make_user, client):
    from jiesu.followup import services as followup

    assert followup.sweep() == 20  # the overdue ones: visits at the limit
    client.force_login(make_user(roles.SUPERVISOR))
    queue = client.get("/followup/").content.decode()
    assert 'id="at-limit-count">20<' in queue and "时限已到、单位未答复的回访" in queue
    assert 'id="pending-count">0<' in queue
    found = client.get("/followup/", {"q": "第03号"}).content.decode()
    assert 'id="at-limit-count">1<' in found
