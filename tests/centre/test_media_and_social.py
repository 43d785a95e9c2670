"""Media reports taken in through the API (R28.1); social organisations may assist, not lead (R6.1)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from jiesu.api import tokens
from jiesu.centre.models import MediaReport
from jiesu.core import roles
from jiesu.directory.models import Unit
from jiesu.handling import services as handling
from jiesu.orders import services as order_services
from jiesu.orders.models import WorkOrder

AT = datetime(2026, 11, 25, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def api_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.issue(user)[1]}")
    return client


@pytest.mark.django_db
def test_monitored_media_report_becomes_an_order_with_its_source_R28_1(call_taker, make_user, wangjing_office):
    report = {
        "outlet": "北京日报",
        "url": "https://example.org/news/1",
        "title": "小区电梯停运一周",
        "published_at": "2026-11-24T20:00:00+08:00",
        "content": "朝阳区望京街道花家地北里小区物业不作为，电梯坏了一周没人修",
    }
    with time_machine.travel(AT, tick=True):
        api = api_for(call_taker)
        made = api.post("/api/v1/media-reports/", report, format="json")
        assert made.status_code == 201, made.json()
        order = WorkOrder.objects.get(number=made.json()["number"])
        assert order.channel == "media" and order.status == "dispatched"
        media = order.media_report
        assert (media.outlet, media.url, media.monitored) == ("北京日报", "https://example.org/news/1", True)
        assert order.events.filter(action="media_report_recorded").exists()
        assert api.post("/api/v1/media-reports/", report, format="json").status_code == 409

        bad = api.post(
            "/api/v1/media-reports/",
            {**report, "url": "不是链接", "published_at": "2027-01-01T00:00:00+08:00"},
            format="json",
        )
        assert bad.status_code == 400 and {"url", "published_at"} <= set(bad.json())
        assert "发布时间不能晚于现在" in bad.json()["published_at"][0]
        assert MediaReport.objects.count() == 1
        handler = make_user(roles.UNIT_HANDLER, wangjing_office)
        assert (
            api_for(handler)
            .post("/api/v1/media-reports/", {**report, "url": "https://example.org/2"}, format="json")
            .status_code
            == 403
        )


@pytest.mark.django_db
def test_social_organisation_assists_but_never_leads_R6_1(
    make_order, dispatcher, dispatched_to, make_user, wangjing_office
):
    association = Unit.objects.get(code="assoc-property")
    assert association.get_kind_display() == "行业协会" and association.name == "北京物业管理行业协会"
    with pytest.raises(ValidationError) as err:
        order_services.dispatch_order(
            make_order(), actor=dispatcher, assignments=[order_services.Assignment(unit=association, role="lead")]
        )
    assert "只能协办" in err.value.message_dict["units"][0]
    with time_machine.travel(AT, tick=True):
        order = dispatched_to(make_order(), wangjing_office)
        handler = make_user(roles.UNIT_HANDLER, wangjing_office)
        handling.accept(order, actor=handler)
        part = handling.add_assisting_unit(order, actor=handler, unit=association, task="协调物业企业尽快维修电梯")
        assert part.role == "assist" and part.unit == association
