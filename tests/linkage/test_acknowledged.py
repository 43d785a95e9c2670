"""Handovers the neighbour acknowledged outside Open311, and what they report back (R21.1).

When the neighbour's server cannot be used, the dispatcher records what its staff said on the
phone: the same Transfer, events and statuses as an Open311 POST and its follow-up; bad input is
refused in Chinese and writes nothing.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiesu.linkage import services
from jiesu.linkage.models import NeighbourHotline, RemoteUpdate, Transfer, TransferAttempt
from jiesu.orders import choices

REASON = "诉求地点位于天津市武清区，属天津市办理"


@pytest.fixture
def keyless(tianjin_unit):
    # A neighbour configured without a key for its server: a phone handover needs none.
    hotline = NeighbourHotline(
        unit=tianjin_unit, base_url="https://12345.tj.gov.cn/open311/v2", default_service_code="cross.region.tianjin"
    )
    hotline.full_clean()
    hotline.save()
    return hotline


@pytest.fixture
def order(make_order):
    return make_order(content="天津市武清区某小区门口的路灯坏了，晚上很黑", location_text="天津市武清区")


def _transfer(order, dispatcher, tianjin_unit, **extra):
    kwargs = dict(
        actor=dispatcher,
        hotline_unit=tianjin_unit,
        reason=REASON,
        remote_id="TJ202612020137",
        acknowledged_by="话务员刘芳（工号1027）",
        judged_cross_region=True,
    )
    kwargs.update(extra)
    return services.record_acknowledged_transfer(order, **kwargs)


@pytest.mark.django_db
def test_R21_1_acknowledged_transfer_records_as_a_post_does(keyless, tianjin_unit, order, dispatcher):
    transfer = _transfer(order, dispatcher, tianjin_unit)
    order.refresh_from_db()
    assert order.status == choices.TRANSFERRED
    assert (transfer.direction, transfer.remote_id, transfer.remote_status) == (
        Transfer.OUT,
        "TJ202612020137",
        Transfer.OPEN,
    )
    assert transfer.judged_cross_region and transfer.service_code == "cross.region.tianjin"
    event = order.events.get(action="neighbour_transferred")
    assert event.actor == dispatcher and event.to_status == choices.TRANSFERRED
    assert event.data["to_code"] == "hotline-tianjin" and event.data["transfer_id"] == transfer.pk
    assert event.data["acknowledged_by"] == "话务员刘芳（工号1027）" and event.data["remote_id"] == "TJ202612020137"
    assert not TransferAttempt.objects.exists()  # no call to their server was made


@pytest.mark.django_db
def test_R21_1_reported_progress_and_close_are_the_follow_up_events(keyless, tianjin_unit, order, dispatcher):
    transfer = _transfer(order, dispatcher, tianjin_unit)
    transfer = services.record_reported_progress(transfer, actor=dispatcher, description="已转武清区城管委办理。")
    assert transfer.remote_status == Transfer.OPEN and transfer.remote_status_notes == "已转武清区城管委办理。"
    transfer = services.record_reported_progress(
        transfer, actor=dispatcher, description="路灯已修复，已告知诉求人。", closed=True
    )
    assert transfer.remote_status == Transfer.CLOSED and transfer.remote_closed_at is not None
    assert list(RemoteUpdate.objects.order_by("id").values_list("status", flat=True)) == ["open", "closed"]
    actions = list(order.events.order_by("id").values_list("action", flat=True))
    assert actions[-3:] == ["neighbour_updated", "neighbour_updated", "neighbour_closed"]
    closed = order.events.get(action="neighbour_closed")
    assert closed.actor == dispatcher and closed.data["note"] == "路灯已修复，已告知诉求人。"
    with pytest.raises(ValidationError) as done:
        services.record_reported_progress(transfer, actor=dispatcher, description="再次反馈")
    assert "已办结" in done.value.messages[0]


@pytest.mark.django_db
def test_R21_1_bad_acknowledgements_are_refused_in_chinese_and_write_nothing(
    keyless, tianjin_unit, order, dispatcher, call_taker
):
    events = order.events.count()
    for extra, field, words in (
        ({"remote_id": "  "}, "remote_id", "对方热线告知的工单编号"),
        ({"remote_id": "x" * 101}, "remote_id", "最多100"),
        ({"acknowledged_by": "刘"}, "acknowledged_by", "对方受理人"),
        ({"reason": "天津"}, "reason", "转办理由"),
        ({"judged_cross_region": False}, "judged_cross_region", "跨区域"),
    ):
        with pytest.raises(ValidationError) as refused:
            _transfer(order, dispatcher, tianjin_unit, **extra)
        assert words in " ".join(refused.value.message_dict[field]), (extra, refused.value.message_dict)
    with pytest.raises(PermissionDenied):
        _transfer(order, call_taker, tianjin_unit)
    keyless.active = False
    keyless.save()
    with pytest.raises(ValidationError) as off:
        _transfer(order, dispatcher, tianjin_unit)
    assert "停用" in off.value.message_dict["hotline_unit"][0]
    order.refresh_from_db()
    assert order.status == choices.RECEIVED and order.events.count() == events
    assert not Transfer.objects.exists() and not RemoteUpdate.objects.exists()


@pytest.mark.django_db
def test_R21_1_return_by_phone_needs_an_order_from_the_neighbour(keyless, order, dispatcher):
    with pytest.raises(ValidationError) as refused:
        services.record_acknowledged_return(
            order, actor=dispatcher, reason=REASON, remote_id="TJ1", acknowledged_by="值班长"
        )
    assert "不是津冀热线转来的" in refused.value.message_dict["status"][0]
    assert not Transfer.objects.exists()


@pytest.mark.django_db
def test_R21_1_dispatcher_records_a_phone_handover_and_progress_in_the_console(
    keyless, tianjin_unit, order, dispatcher, client
):
    client.force_login(dispatcher)
    page = client.get(f"/linkage/orders/{order.number}/transfer/")
    assert f"/linkage/orders/{order.number}/transfer/phone/" in page.content.decode()
    url = f"/linkage/orders/{order.number}/transfer/phone/"
    form = {
        "hotline_unit": "hotline-tianjin",
        "reason": REASON,
        "judged_cross_region": "on",
        "remote_id": "",
        "acknowledged_by": "刘芳",
    }
    refused = client.post(url, form)
    assert refused.status_code == 400 and "error-remote_id" in refused.content.decode()
    assert not Transfer.objects.exists()
    done = client.post(url, {**form, "remote_id": "TJ202612020137"})
    assert done.status_code == 302
    transfer = Transfer.objects.get()
    assert transfer.remote_id == "TJ202612020137"
    listed = client.get("/linkage/").content.decode()
    assert f"/linkage/transfers/{transfer.pk}/progress/" in listed
    closed = client.post(f"/linkage/transfers/{transfer.pk}/progress/", {"description": "路灯已修复。", "closed": "on"})
    assert closed.status_code == 302
    transfer.refresh_from_db()
    assert transfer.remote_status == Transfer.CLOSED
    assert order.events.filter(action="neighbour_closed", actor=dispatcher).exists()
