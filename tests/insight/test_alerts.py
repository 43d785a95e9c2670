"""Surge and risk alerts (R27.1): raised by the every-minute check from orders posted through
the API, once per matter, place and window, routed to the competent units and the centre,
acknowledged and closed with a note; who may see which alert."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from rest_framework.test import APIClient

from jiesu.api import tokens
from jiesu.core import roles
from jiesu.directory.models import Place, Unit
from jiesu.insight import services
from jiesu.insight.models import Alert
from jiesu.notifications.models import Notification
from jiesu.orders.models import WorkOrder

BEIJING = ZoneInfo("Asia/Shanghai")
# A Monday morning; the outcome must not depend on the day the suite runs.
START = datetime(2026, 7, 6, 9, 0, tzinfo=BEIJING)
WATER = [
    "朝阳区望京街道望京西园三区从早上开始停水了，家里没水做饭",
    "望京街道望京西园三区停水了，什么时候来水？",
    "朝阳区望京西园三区突然停水，没有任何通知",
    "望京西园三区小区停水两个小时了，老人孩子都等着用水",
    "朝阳区望京街道望京西园三区自来水停了，水龙头不出水",
]


@pytest.fixture
def api(make_user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.issue(make_user(roles.CALL_TAKER))[1]}")
    return client


def _post(api, content: str) -> dict:
    response = api.post(
        "/api/v1/orders/",
        {"channel": "phone", "kind": "complaint", "content": content, "requester_phone": "13800138000"},
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def _alerts_command(since="1h") -> list[dict]:
    out = io.StringIO()
    call_command("alerts", "--since", since, "--format", "jsonl", stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.django_db
def test_twelve_water_outages_in_ten_minutes_raise_one_surge_alert_R27_1(api, make_user, client):
    with time_machine.travel(START, tick=False) as clock:
        numbers = []
        for i in range(12):
            numbers.append(_post(api, WATER[i % len(WATER)])["number"])
            clock.shift(timedelta(seconds=50))
        community = (
            WorkOrder.objects.filter(number__in=numbers)
            .values_list("community__name", "matter_code")
            .order_by()
            .distinct()
        )
        assert list(community) == [("望京西园三区社区", "utility.water.outage")]

        result = services.check_alerts()
        assert result.raised == 1
        clock.shift(timedelta(minutes=1))
        assert services.check_alerts().raised == 0  # the next minute's run raises nothing new
        clock.shift(timedelta(minutes=1))
        _post(api, WATER[0])
        assert services.check_alerts().grown == 1  # a thirteenth call joins the same alert

        alert = Alert.objects.get()
        assert (alert.kind, alert.matter_code, alert.place.name) == (
            "surge",
            "utility.water.outage",
            "望京西园三区社区",
        )
        assert alert.count == 13 and alert.baseline == 0
        units = set(alert.units.values_list("name", flat=True))
        assert "北京市自来水集团有限责任公司" in units
        assert Unit.objects.get(kind="subdistrict_office", territory__name="望京街道").name in units

        # Routed: each competent unit and the centre find it in their inbox.
        for unit in [*alert.units.all(), Unit.objects.get(code="centre")]:
            n = Notification.objects.get(recipient_unit=unit, kind="alert_surge")
            assert "望京西园三区社区" in n.title and "停水" in n.title

        lines = _alerts_command()
        assert len(lines) == 1
        line = lines[0]
        assert {k: line[k] for k in ("kind", "matter", "count", "baseline", "severity")} == {
            "kind": "surge",
            "matter": "停水",
            "count": 13,
            "baseline": 0.0,
            "severity": "high",
        }
        assert "望京西园三区社区" in line["place"] and sorted(line["orders"])[:12] == sorted(numbers)

        supervisor = make_user(roles.SUPERVISOR)
        client.force_login(supervisor)
        page = client.get("/insight/alerts/")
        assert page.status_code == 200
        text = page.content.decode()
        assert "望京西园三区社区" in text and "停水" in text and "utility.water" not in text
        assert "共 1 条" in text

        detail = client.get(f"/insight/alerts/{alert.pk}/")
        assert all(n in detail.content.decode() for n in numbers)
        # Closing needs a note; the refusal names the field and changes nothing.
        refused = client.post(f"/insight/alerts/{alert.pk}/close/", {"note": " "})
        assert refused.status_code == 400 and "请填写处置说明" in refused.content.decode()
        client.post(f"/insight/alerts/{alert.pk}/acknowledge/")
        client.post(f"/insight/alerts/{alert.pk}/close/", {"note": "自来水集团已抢修，16时恢复供水。"})
        alert.refresh_from_db()
        assert alert.status == "closed" and list(alert.events.values_list("action", flat=True)) == [
            "raised",
            "grown",
            "acknowledged",
            "closed",
        ]
        # The same burst does not raise a second alert after it was closed.
        clock.shift(timedelta(minutes=1))
        assert services.check_alerts().raised == 0


@pytest.mark.django_db
def test_a_quiet_day_raises_none_R27_1(api):
    with time_machine.travel(START, tick=False) as clock:
        for content in [
            "朝阳区望京街道望京西园三区停水了",
            "望京西园三区停水了",
            "望京西园三区停水了，请尽快来水",
            "海淀区中关村街道路灯不亮了",
            "东城区东华门街道噪音扰民，装修太吵了",
        ]:
            _post(api, content)
            clock.shift(timedelta(minutes=3))
        assert services.check_alerts().raised == 0
    assert not Alert.objects.exists() and _alerts_command("1d") == []


@pytest.mark.django_db
def test_usual_level_is_no_surge_R27_1(api):
    """A place where twelve calls an hour on a Monday morning are normal raises nothing for twelve."""
    community = Place.objects.get(name="望京西园三区社区")
    history = []
    for week in range(1, 9):
        for i in range(12):
            at = START - timedelta(weeks=week) + timedelta(minutes=i)
            history.append(
                WorkOrder(
                    number=f"h{week:02d}{i:03d}",
                    received_at=at,
                    channel="phone",
                    kind="complaint",
                    content="停水",
                    matter_code="utility.water.outage",
                    community=community,
                    subdistrict=community.parent,
                    district=community.parent.parent,
                )
            )
    WorkOrder.objects.bulk_create(history)
    with time_machine.travel(START, tick=False) as clock:
        for i in range(12):
            _post(api, WATER[i % len(WATER)])
            clock.shift(timedelta(seconds=30))
        assert services.check_alerts().raised == 0


@pytest.mark.django_db
def test_risk_signs_in_texts_are_negation_aware_R27_1(api, make_user, client):
    with time_machine.travel(START, tick=False) as clock:
        _post(api, "朝阳区望京街道一个工地拖欠我们几十个工人的工资半年了，明天大家准备去区政府门口拉横幅")
        _post(api, "海淀区中关村街道邻居装修噪音太大，我没有跳楼的想法，就是希望管一管")
        clock.shift(timedelta(minutes=1))
        services.check_alerts()
        services.check_alerts()
    alerts = {a.category: a for a in Alert.objects.filter(kind="risk")}
    assert set(alerts) == {"wage_arrears_group", "planned_gathering"}
    assert alerts["planned_gathering"].severity == "high" and "拉横幅" in alerts["planned_gathering"].cues
    centre = Unit.objects.get(code="centre")
    assert Notification.objects.filter(recipient_unit=centre, kind="alert_risk").count() == 2

    # A unit sees only the alerts routed to it; others get a 404, not a hint that it exists.
    alert = alerts["planned_gathering"]
    routed = alert.units.first()
    other = Unit.objects.get(kind="subdistrict_office", territory__name="东华门街道")
    client.force_login(make_user(roles.UNIT_HANDLER, unit=other))
    assert client.get(f"/insight/alerts/{alert.pk}/").status_code == 404
    assert "共 0 条" in client.get("/insight/alerts/").content.decode()
    # Nor can it acknowledge or close it: not found, and nothing recorded.
    assert client.post(f"/insight/alerts/{alert.pk}/acknowledge/").status_code == 404
    assert client.post(f"/insight/alerts/{alert.pk}/close/", {"note": "已处置"}).status_code == 404
    alert.refresh_from_db()
    assert alert.status == "open" and list(alert.events.values_list("action", flat=True)) == ["raised"]
    # A user of no unit and no centre role: refused the list, and no alert found.
    client.force_login(make_user(roles.UNIT_HANDLER, unit=None))
    assert client.get("/insight/alerts/").status_code == 403
    assert client.get(f"/insight/alerts/{alert.pk}/").status_code == 404
    # A unit it was routed to sees it and acknowledges it; the centre closes it with a note.
    client.force_login(make_user(roles.UNIT_HANDLER, unit=routed))
    assert client.get(f"/insight/alerts/{alert.pk}/").status_code == 200
    assert client.post(f"/insight/alerts/{alert.pk}/acknowledge/").status_code == 302
    client.force_login(make_user(roles.SUPERVISOR))
    closed = client.post(f"/insight/alerts/{alert.pk}/close/", {"note": "已约谈施工单位，工资已结清。"})
    assert closed.status_code == 302
    alert.refresh_from_db()
    assert alert.status == "closed" and list(alert.events.values_list("action", flat=True)) == [
        "raised",
        "acknowledged",
        "closed",
    ]


def test_alert_check_runs_every_minute_under_the_schedule_R27_1():
    from jiesu.celery import app
    from jiesu.core.schedule import scheduled_jobs

    jobs = {j.name: j for j in scheduled_jobs(app)}
    assert jobs["alert-check"].task == "jiesu.insight.check_alerts"
    assert app.conf.beat_schedule["alert-check"]["schedule"] == 60.0


@pytest.mark.django_db
def test_demo_hook_shows_a_surge_and_a_risk_R27_1(make_user):
    from jiesu.insight.demo import add_alert_demo

    with time_machine.travel(START, tick=False):
        result = add_alert_demo(make_user(roles.CALL_TAKER))
    assert result.raised == 3
    assert sorted(Alert.objects.values_list("kind", flat=True)) == ["risk", "risk", "surge"]
