"""The screen, the REST API and Open311 take a request through one function (issue 18, R2.1, R10.1).

The same request is posted through each edge in turn; each run is rolled back before the next
so that none sees the others as a repeat or as the same problem. All three must record the
same events in the same order and the same decision (Open311's chosen service aside, which the engine weighs).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from rest_framework.test import APIClient

from jiesu.api import tokens
from jiesu.orders.models import WorkOrder

# A request the engine dispatches without review (its gate and the lead-type chooser agree).
RUBBISH = "望京SOHO旁边小区的垃圾站好几天没人清运，臭气熏天。"
WHERE = "朝阳区望京街道望京SOHO"
PHONE = "13912345678"
# GeoReport v2 says no kind and only one channel: the screen and the REST API say the same, and
# the kind is the one the engine reads from this text for Open311.
SAME = {
    "channel": "api",
    "kind": "complaint",
    "content": RUBBISH,
    "location_text": WHERE,
    "requester_phone": PHONE,
    "requester_name": "李小明",
}
# A weekday morning: the deadlines the decision sets depend on the clock.
NOW = datetime(2026, 3, 10, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def _screen(call_taker):
    from django.test import Client

    client = Client()
    client.force_login(call_taker)
    response = client.post("/intake/", {**SAME, "requester_type": "natural", "source_line": "12345"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"].rstrip("/").rsplit("/", 1)[-1]


def _rest(call_taker):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.issue(call_taker)[1]}")
    response = client.post("/api/v1/orders/", SAME, format="json", HTTP_IDEMPOTENCY_KEY="same-request")
    assert response.status_code == 201, response.content
    return response.json()["number"]


def _open311(_call_taker):
    from django.test import Client

    from jiesu.open311 import services
    from jiesu.open311.models import ApiClient

    cache.clear()  # the per-minute rate counter
    key = services.create_client(ApiClient(name="北京通App", rate_limit_per_minute=100))
    response = Client().post(
        "/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": "city.sanitation.garbage",
            "address_string": WHERE,
            "description": RUBBISH,
            "first_name": "小明",
            "last_name": "李",
            "phone": PHONE,
        },
    )
    assert response.status_code == 200, response.content
    return response.json()[0]["service_request_id"]


def _recorded(number: str) -> dict:
    order = WorkOrder.objects.select_related("lead_unit", "district", "subdistrict", "community").get(number=number)
    events = list(order.events.order_by("at", "id"))
    decided = next(e.data for e in events if e.action == "decided")
    decision = {k: v for k, v in decided["decision"].items() if k != "id"}  # the id is the order's own number
    created = next(e.data for e in events if e.action == "created")
    return {
        "events": [(e.action, e.from_status, e.to_status) for e in events],
        "created": created,
        "decision": decision,
        "reasons": decided["reasons"],
        "order": (
            order.kind,
            order.status,
            order.matter_code,
            order.catalog_version,
            order.district,
            order.subdistrict,
            order.community,
            order.lead_unit,
            order.response_due,
            order.due_at,
            order.requester_name,
            order.requester_phone,
            order.content,
            order.location_text,
        ),
        "parts": sorted(order.assignments.values_list("unit__code", "role", "response_due", "due_at")),
    }


@pytest.mark.django_db
def test_screen_rest_and_open311_record_the_same_events_and_decision_R2_1_R10_1(call_taker):
    seen = {}
    with time_machine.travel(NOW, tick=False):
        for name, post in (("screen", _screen), ("rest", _rest), ("open311", _open311)):
            with transaction.atomic():
                seen[name] = _recorded(post(call_taker))
                transaction.set_rollback(True)  # the next edge meets an empty house, not a repeat
    screen = seen["screen"]
    # A real decision, not three empty ones: the engine dispatched it to its units.
    assert screen["events"] == [
        ("created", "", "received"),
        ("decided", "", ""),
        ("dispatched", "received", "dispatched"),
    ]
    assert screen["order"][2] == "city.sanitation.garbage" and screen["parts"]
    assert screen["created"]["kind"] == "complaint"
    for part in screen:
        assert seen["rest"][part] == screen[part], part
    # Open311 says one thing more than the other two, the service the requester chose, and the
    # engine weighs it: the matter is the same, only how sure it is and why differ (the matter's
    # reason, and the lead-unit gate's line and facts: a chosen service that agrees with the reader lowers
    # the gate as agreeing keywords do).
    open311 = seen["open311"]
    assert open311["decision"]["matter"]["code"] == screen["decision"]["matter"]["code"]
    assert "诉求人所选服务类型" in open311["reasons"][0] and "诉求人所选服务类型" not in screen["reasons"][0]
    for record in (screen, open311):
        del record["decision"]["matter"]["confidence"]
        # The calibrated gate's facts carry that agreement too (its features and probability).
        del record["decision"]["auto_dispatch"]
        kept = [line for line in record["reasons"][1:] if not line.startswith("主办单位正确的概率")]
        record["decision"]["reasons"] = record["reasons"] = kept
    for part in screen:
        assert open311[part] == screen[part], part
