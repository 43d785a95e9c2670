"""Transfer to Tianjin and follow it, against a second live Jiesu playing the Tianjin hotline (R21.1).

Our side is the test database; theirs is a real gunicorn reached over real HTTP. Their
order is advanced through their own REST API (the unit's accept, contact and reply), and
closed with their own status service, as their return visit would.
"""

from __future__ import annotations

import httpx
import pytest

from jiesu.linkage import services
from jiesu.linkage.client import RemoteRefused
from jiesu.linkage.models import Transfer, TransferAttempt
from jiesu.orders import choices

NAME, PHONE = "张三", "13812345678"
CONTENT = f"朝阳区望京街道花家地北里小区物业不作为，电梯坏了一周没人修。我是{NAME}，电话{PHONE}。"
REASON = "经核实该小区由对方热线所在地管辖，请对方办理"


def _events(order, action):
    return list(order.events.filter(action=action).order_by("id"))


@pytest.mark.django_db
def test_transfer_to_tianjin_follow_progress_and_close_R21_1(tianjin, endpoint, tianjin_unit, make_order, dispatcher):
    """R21.1: a dispatcher transfers an order to the Tianjin hotline's Open311 server; its progress comes back."""
    endpoint(tianjin.open311, tianjin.key)
    order = make_order(
        content=CONTENT, requester_name=NAME, requester_phone=PHONE, location_text="朝阳区望京街道花家地北里"
    )

    # Not classified as cross-region and not judged so: refused before any call.
    with pytest.raises(Exception) as refused:
        services.transfer_to_neighbour(order, actor=dispatcher, hotline_unit=tianjin_unit, reason=REASON)
    assert "judged_cross_region" in refused.value.message_dict
    assert not TransferAttempt.objects.exists()

    transfer = services.transfer_to_neighbour(
        order, actor=dispatcher, hotline_unit=tianjin_unit, reason=REASON, judged_cross_region=True
    )
    order.refresh_from_db()
    assert order.status == choices.TRANSFERRED and transfer.remote_id and transfer.judged_cross_region
    [event] = _events(order, "neighbour_transferred")
    assert event.data["remote_id"] == transfer.remote_id and event.data["consent_personal_data"] is False
    assert TransferAttempt.objects.get(order=order).outcome == TransferAttempt.SENT

    # Their Open311 server has it, without the requester's name or phone anywhere.
    with httpx.Client(timeout=30) as http:
        answer = http.get(f"{tianjin.open311}/requests/{transfer.remote_id}.json", params={"extensions": "true"})
    assert answer.status_code == 200
    [remote] = answer.json()
    assert remote["status"] == "open" and "电梯坏了一周" in remote["description"]
    assert remote["agency_responsible"], "their engine dispatched it"
    stored = tianjin.shell(
        f"from jiesu.orders.models import WorkOrder; o = WorkOrder.objects.get(number={transfer.remote_id!r}); "
        "print(repr((o.requester_name, o.requester_phone, o.content, o.open311_submission.attributes)))"
    )
    assert NAME not in stored and PHONE not in stored and "电梯坏了一周" in stored
    assert order.number in stored  # our number travels as attribute[partner_request_id]

    # Their unit works the order through their REST API.
    with tianjin.rest("handler") as rest:
        for action, data in (
            ("accept", {}),
            ("contact", {"method": "phone", "outcome": "reached", "note": "已电话联系诉求人"}),
            (
                "reply",
                {
                    "result": "resolved",
                    "public_text": "已督促物业修复电梯，现已恢复运行。",
                    "internal_notes": "维保单位已到场",
                },
            ),
        ):
            done = rest.post(f"/handling/api/orders/{transfer.remote_id}/{action}/", data=data)
            assert done.status_code == 200, (action, done.text)

    assert services.follow_transfers() == {"hotlines": 1, "updates": 4, "closed": 0, "failed": 0}
    statuses = [e.data["status"] for e in _events(order, "neighbour_updated")]
    assert statuses[0] in {"OPEN", "ACTION_SCHEDULED"} and "IN_PROGRESS" in statuses
    transfer.refresh_from_db()
    assert transfer.remote_status == Transfer.OPEN and transfer.last_polled_at
    assert transfer.updates.count() == len(statuses)

    # They close it with their own status service (their return visit would).
    tianjin.shell(
        "from jiesu.directory.models import User; from jiesu.orders import services; "
        "from jiesu.orders.models import WorkOrder; "
        f"services.change_status(WorkOrder.objects.get(number={transfer.remote_id!r}), 'closed', "
        "actor=User.objects.get(username='dispatcher'), action='closed')"
    )
    totals = services.follow_transfers()
    assert totals["closed"] == 1 and totals["failed"] == 0
    transfer.refresh_from_db()
    assert transfer.remote_status == Transfer.CLOSED and transfer.remote_closed_at
    [closed] = _events(order, "neighbour_closed")
    assert closed.data["note"] == "工单已办结。" and closed.data["remote_id"] == transfer.remote_id
    order.refresh_from_db()
    assert order.status == choices.TRANSFERRED  # the result is a note on our order; the order stays transferred

    # Following again records nothing twice.
    before = order.events.count()
    assert services.follow_transfers()["closed"] == 0
    assert order.events.count() == before


@pytest.mark.django_db
def test_consent_sends_name_and_phone_R21_1(tianjin, endpoint, tianjin_unit, make_order, dispatcher):
    """R21.1 with R8.3: only a requester who consented is named to the other hotline."""
    endpoint(tianjin.open311, tianjin.key)
    order = make_order(
        content=CONTENT,
        requester_name=NAME,
        requester_phone=PHONE,
        location_text="朝阳区望京街道花家地北里",
        requester_confidential=True,
    )
    with pytest.raises(Exception) as confidential:
        services.transfer_to_neighbour(
            order,
            actor=dispatcher,
            hotline_unit=tianjin_unit,
            reason=REASON,
            judged_cross_region=True,
            consent_personal_data=True,
        )
    assert "consent_personal_data" in confidential.value.message_dict

    order = make_order(
        content=CONTENT, requester_name=NAME, requester_phone=PHONE, location_text="朝阳区望京街道花家地北里"
    )
    transfer = services.transfer_to_neighbour(
        order,
        actor=dispatcher,
        hotline_unit=tianjin_unit,
        reason=REASON,
        judged_cross_region=True,
        consent_personal_data=True,
    )
    assert transfer.consent_personal_data
    stored = tianjin.shell(
        f"from jiesu.orders.models import WorkOrder; o = WorkOrder.objects.get(number={transfer.remote_id!r}); "
        "print(o.requester_name, o.requester_phone)"
    )
    assert stored.splitlines()[-1].split() == [NAME, PHONE]


@pytest.mark.django_db
def test_remote_refusals_leave_the_order_untouched_R21_1(tianjin, endpoint, tianjin_unit, make_order, dispatcher):
    """R21.1: 403 (bad key), 404 (unknown service) and 400 (missing answer) are shown with their text;
    nothing changes."""
    from jiesu.linkage.models import ServiceCodeMapping

    order = make_order(content=CONTENT, location_text="朝阳区望京街道花家地北里")
    events = order.events.count()

    hotline = endpoint(tianjin.open311, "not-the-key")
    with pytest.raises(RemoteRefused) as bad_key:
        services.transfer_to_neighbour(
            order, actor=dispatcher, hotline_unit=tianjin_unit, reason=REASON, judged_cross_region=True
        )
    assert bad_key.value.status == 403 and "api_key" in bad_key.value.messages[0]
    assert "天津市12345政务服务便民热线拒绝了请求（403）" in bad_key.value.messages[0]

    hotline.set_api_key(tianjin.key)
    hotline.default_service_code = "no.such.service"
    hotline.save()
    with pytest.raises(RemoteRefused) as unknown:
        services.transfer_to_neighbour(
            order, actor=dispatcher, hotline_unit=tianjin_unit, reason=REASON, judged_cross_region=True
        )
    assert unknown.value.status == 404 and "no.such.service" in unknown.value.messages[0]

    order.matter_code = "env.noise.neighbour"
    order.save(update_fields=["matter_code"])
    ServiceCodeMapping.objects.create(
        hotline=hotline, matter_code="env.noise.neighbour", service_code="city.municipal.streetlight"
    )
    with pytest.raises(RemoteRefused) as missing:
        services.transfer_to_neighbour(
            order, actor=dispatcher, hotline_unit=tianjin_unit, reason=REASON, judged_cross_region=True
        )
    assert missing.value.status == 400 and "attribute[fault]" in missing.value.messages[0]

    order.refresh_from_db()
    assert order.status == choices.RECEIVED and order.events.count() == events
    assert not Transfer.objects.exists()
    attempts = TransferAttempt.objects.filter(order=order).order_by("id")
    assert [(a.outcome, a.http_status, a.tries) for a in attempts] == [
        ("refused", 403, 1),
        ("refused", 404, 1),
        ("refused", 400, 1),
    ]


@pytest.mark.django_db
def test_refusal_is_shown_on_the_dispatcher_screen_R21_1(
    tianjin, endpoint, tianjin_unit, make_order, dispatcher, client
):
    """R21.1: the transfer screen shows the other hotline's own error text."""
    endpoint(tianjin.open311, "not-the-key")
    order = make_order(content=CONTENT, location_text="朝阳区望京街道花家地北里")
    client.force_login(dispatcher)
    page = client.get(f"/linkage/orders/{order.number}/transfer/")
    assert page.status_code == 200 and "转津冀热线" in page.content.decode()
    answer = client.post(
        f"/linkage/orders/{order.number}/transfer/",
        {"hotline_unit": "hotline-tianjin", "reason": REASON, "judged_cross_region": "on"},
    )
    text = answer.content.decode()
    assert answer.status_code == 400 and "api_key 无效或已吊销" in text and "拒绝了请求（403）" in text
    order.refresh_from_db()
    assert order.status == choices.RECEIVED
