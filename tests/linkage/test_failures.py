"""What happens when the other hotline cannot be reached, and who may transfer (R21.1).

A closed loopback port gives a real connection refusal, so the retry path runs for real.
"""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiesu.linkage import services
from jiesu.linkage.client import RemoteUnavailable
from jiesu.linkage.models import Transfer, TransferAttempt
from jiesu.orders import choices
from tests.live_server import free_port

REASON = "诉求地点位于天津市武清区，属天津市办理"


@pytest.fixture
def dead_endpoint(endpoint):
    return endpoint(f"http://127.0.0.1:{free_port()}/open311/v2", "some-key")


@pytest.mark.django_db
def test_remote_down_leaves_the_order_untouched_and_records_the_attempt_R21_1(
    dead_endpoint, tianjin_unit, make_order, dispatcher
):
    """R21.1: connection refused is retried a bounded number of times, then reported; the order is unchanged."""
    order = make_order(content="天津市武清区某小区门口的路灯坏了，晚上很黑", location_text="天津市武清区")
    events = order.events.count()
    started = time.monotonic()
    with pytest.raises(RemoteUnavailable) as down:
        services.transfer_to_neighbour(
            order, actor=dispatcher, hotline_unit=tianjin_unit, reason=REASON, judged_cross_region=True
        )
    assert time.monotonic() - started < 5
    assert down.value.tries == 2 and "无法连接" in down.value.messages[0]
    order.refresh_from_db()
    assert order.status == choices.RECEIVED and order.events.count() == events
    [attempt] = TransferAttempt.objects.filter(order=order)
    assert attempt.outcome == TransferAttempt.FAILED and attempt.tries == 2 and attempt.http_status is None
    assert not Transfer.objects.exists()


@pytest.mark.django_db
def test_follow_survives_a_hotline_that_is_down_R21_1(dead_endpoint, make_order, dispatcher):
    """R21.1: the follow-up job logs an unreachable hotline and carries on; the transfer stays open."""
    order = make_order()
    Transfer.objects.create(
        order=order, hotline=dead_endpoint, reason=REASON, service_code="x", remote_id="1", created_by=dispatcher
    )
    assert services.follow_transfers() == {"hotlines": 1, "updates": 0, "closed": 0, "failed": 1}
    assert Transfer.objects.get().remote_status == Transfer.OPEN


@pytest.mark.django_db
def test_only_the_centre_transfers_and_only_open_orders_R21_1(
    dead_endpoint, tianjin_unit, make_order, call_taker, dispatcher
):
    """R21.1: call-takers cannot transfer; answered orders cannot; orders not from a neighbour cannot be returned."""
    order = make_order()
    with pytest.raises(PermissionDenied):
        services.transfer_to_neighbour(
            order, actor=call_taker, hotline_unit=tianjin_unit, reason=REASON, judged_cross_region=True
        )
    with pytest.raises(ValidationError) as not_theirs:
        services.return_to_neighbour(order, actor=dispatcher, reason="不属于北京市办理的诉求")
    assert "不是津冀热线转来的" in str(not_theirs.value)
    order.status = choices.ANSWERED
    order.save(update_fields=["status"])
    with pytest.raises(ValidationError) as closed:
        services.transfer_to_neighbour(
            order, actor=dispatcher, hotline_unit=tianjin_unit, reason=REASON, judged_cross_region=True
        )
    assert "不能转办" in str(closed.value)
    assert not TransferAttempt.objects.exists()


@pytest.mark.django_db
def test_engine_cross_region_order_needs_no_judgement_R21_1(make_order, dispatcher, dispatched_to, tianjin_unit):
    """R21.1: an order the engine dispatched to the Tianjin hotline's unit counts as cross-region."""
    order = make_order(content="天津市武清区某小区门口的路灯坏了，晚上很黑")
    assert not services.is_cross_region(order)
    order = dispatched_to(order, tianjin_unit)
    assert services.is_cross_region(order)
    order.matter_code = "cross.region.jingjinji"
    assert services.is_cross_region(order)


@pytest.mark.django_db
def test_redaction_without_consent_R21_1(make_order):
    """R21.1 with R8.3: without consent, neither fields nor free text carry the requester's identity."""
    order = make_order(
        content="我叫张三，电话13812345678，身份证110101199003071234，天津武清的路灯坏了",
        requester_name="张三",
        requester_phone="13812345678",
        location_text="天津市武清区张三家门口",
    )
    form = services.outgoing_form(
        order,
        service_code="cross.region.tianjin",
        reason="张三反映的问题属天津办理",
        consent=False,
        attributes={"partner_request_id": order.number},
    )
    text = repr(form)
    assert "张三" not in text and "13812345678" not in text and "110101199003071234" not in text
    assert not {"first_name", "last_name", "phone", "email"} & set(form)
    assert form["attribute[partner_request_id]"] == order.number and "路灯坏了" in form["description"]
