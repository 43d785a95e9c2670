"""Data pushed to units (R26.1): told at dispatch (inbox at once), when a limit nears, when a
return visit records its evaluation; the daily digest; Excel/CSV export and the API feed of
changes, without requester identities, in Beijing time."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from jiesu.api import tokens
from jiesu.core import roles
from jiesu.directory.models import Unit
from jiesu.followup import models as fm
from jiesu.followup import services as followup
from jiesu.notifications import pushes
from jiesu.notifications.models import Notification

BEIJING = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 7, 6, 9, 0, tzinfo=BEIJING)


@pytest.fixture
def water_unit(db):
    return Unit.objects.get(name="北京市自来水集团有限责任公司")


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.issue(user)[1]}")
    return client


@pytest.mark.django_db
def test_dispatch_through_the_api_reaches_the_unit_inbox_at_once_R26_1(make_user, water_unit, client):
    with time_machine.travel(START, tick=False):
        created = (
            _api(make_user(roles.CALL_TAKER))
            .post(
                "/api/v1/orders/",
                {
                    "channel": "phone",
                    "kind": "complaint",
                    "requester_name": "李四",
                    "requester_phone": "13900001111",
                    "content": "朝阳区望京街道望京西园三区从早上开始停水了，家里没水做饭",
                },
                format="json",
            )
            .json()
        )
    assert created["status"] == "dispatched" and created["lead_unit"] == water_unit.name
    n = Notification.objects.get(recipient_unit=water_unit, kind="dispatched")
    assert created["number"] in n.title and "停水" in n.title and "2026-07-07" in n.body

    handler = make_user(roles.UNIT_HANDLER, unit=water_unit)
    client.force_login(handler)
    inbox = client.get("/inbox/").content.decode()
    assert created["number"] in inbox and "新派工单" in inbox
    assert "13900001111" not in inbox and "李四" not in inbox
    # Another unit's inbox does not show it.
    client.force_login(make_user(roles.UNIT_HANDLER, unit="centre"))
    assert created["number"] not in client.get("/inbox/").content.decode()


@pytest.mark.django_db
def test_limit_near_and_daily_digest_are_sent_once_R26_1(make_order, dispatcher, wangjing_office):
    from jiesu.orders import services

    with time_machine.travel(START, tick=False) as clock:
        order = services.dispatch_order(
            make_order(),
            actor=dispatcher,
            assignments=[services.Assignment(unit=wangjing_office, role="lead", due_at=START + timedelta(days=3))],
        )
        part = order.assignments.get()
        assert pushes.notify_limits_near() == 0  # days left
        clock.move_to(part.due_at - timedelta(hours=3))
        assert pushes.notify_limits_near() == 1
        assert pushes.notify_limits_near() == 0
        n = Notification.objects.get(recipient_unit=wangjing_office, kind="due_soon")
        assert order.number in n.title and "剩余 2 小时 59 分" not in n.title and "剩余 3 小时 0 分" in n.title
        assert pushes.send_daily_digest() >= 1
        assert pushes.send_daily_digest() == 0
        digest = Notification.objects.get(recipient_unit=wangjing_office, kind="daily_digest")
        assert "在办 1 件" in digest.body


@pytest.mark.django_db
def test_evaluation_export_and_feed_without_identities_R26_1(
    make_order, dispatched_to, wangjing_office, make_user, client
):
    from jiesu.handling import services as handling

    handler = make_user(roles.UNIT_HANDLER, unit=wangjing_office)
    supervisor = make_user(roles.SUPERVISOR)
    with time_machine.travel(START, tick=False) as clock:
        order = dispatched_to(
            make_order(content="望京街道花家地北里餐馆油烟扰民，我叫张三，电话13812345678"), wangjing_office
        )
        before = timezone.now()
        clock.shift(timedelta(hours=1))
        handling.accept(order, actor=handler)
        handling.record_contact(order, actor=handler, method="phone", outcome="reached")
        handling.reply(
            order, actor=handler, result="resolved", public_text="已联系餐馆整改，油烟净化器已清洗，夜间停止营业。"
        )
        followup.sweep()
        visit = order.return_visits.get()
        followup.record_visit(
            visit,
            actor=supervisor,
            contacted=True,
            resolution=fm.RESOLVED,
            satisfaction=fm.UNSATISFIED,
            comments="态度一般",
        )
        n = Notification.objects.get(recipient_unit=wangjing_office, kind="evaluated")
        assert order.number in n.title and "不满意" in n.title

        client.force_login(handler)
        response = client.get("/inbox/export/?format=xlsx&days=7")
        assert response.status_code == 200 and f"orders-{wangjing_office.code}-" in response["Content-Disposition"]
        sheet = load_workbook(io.BytesIO(response.content)).active
        table = [[c.value for c in row] for row in sheet.iter_rows()]
        header, row = table[0], dict(zip(table[0], table[1]))
        assert len(table) == 2 and "工单编号" in header
        assert row["工单编号"] == order.number and row["受理时间"] == "2026-07-06 09:00:00"  # Beijing time
        assert row["是否满意"] == "不满意" and row["是否解决"] == "已解决"
        assert "13812345678" not in str(table) and "张三" not in str(table)

        text = client.get("/inbox/export/?format=csv&days=7").content.decode("utf-8-sig")
        lines = list(csv.reader(io.StringIO(text)))
        assert lines[1][0] == order.number and "13812345678" not in text
        bad = client.get("/inbox/export/?format=pdf")
        assert bad.status_code == 400 and "格式" in bad.content.decode()

        feed = _api(handler).get("/api/v1/unit-orders/", {"changed_since": before.isoformat()})
        assert feed.status_code == 200
        body = feed.json()
        assert [r["number"] for r in body["results"]] == [order.number]
        assert body["results"][0]["satisfaction"] == "不满意" and "13812345678" not in feed.content.decode()
        later = _api(handler).get("/api/v1/unit-orders/", {"changed_since": timezone.now().isoformat()})
        assert later.json()["results"] == []
        missing = _api(handler).get("/api/v1/unit-orders/")
        assert missing.status_code == 400 and "changed_since" in missing.json()
        # Not for the centre's roles, nor for another unit's orders.
        assert _api(supervisor).get("/api/v1/unit-orders/", {"changed_since": before.isoformat()}).status_code == 403
        other = make_user(
            roles.UNIT_HANDLER, unit=Unit.objects.get(kind="subdistrict_office", territory__name="东华门街道")
        )
        assert _api(other).get("/api/v1/unit-orders/", {"changed_since": before.isoformat()}).json()["results"] == []
