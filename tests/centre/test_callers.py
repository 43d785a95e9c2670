"""Caller records: counts, abuse, warnings, police referral, lifting a flag (R9.1, R35.1)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from jiesu.centre import selectors, services
from jiesu.centre.models import Caller, CallerEvent
from jiesu.core import roles
from jiesu.dispatch.services import close_with_answer
from jiesu.orders import choices
from jiesu.orders.models import OrderEvent

PHONE = "13911112222"
ABUSE = [
    "美女你声音真好听，陪我聊天吧，加个微信",
    "你多大了，有男朋友吗，出来见面吧",
    "我好无聊，随便打打，陪我聊会儿，你声音真好听",
    "你叫什么名字，加个微信，我想你了",
]
LEGITIMATE = "朝阳区望京街道花家地北里小区物业不作为，电梯坏了一周没人修"
AT = datetime(2026, 11, 25, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


pytestmark = pytest.mark.usefixtures("fresh_engine")


@pytest.fixture
def take(take):
    """Requests taken at intake (tests/conftest.py), from this file's caller unless said otherwise."""
    return lambda content, phone=PHONE: take(content, phone)


@pytest.mark.django_db
def test_fifth_call_shows_abuse_and_warnings_and_legitimate_request_dispatched_R9_1(
    take, call_taker, dispatcher, client
):
    with time_machine.travel(AT, tick=True):
        abusive = [take(text) for text in ABUSE]
        for order in abusive:
            # The engine names the case; where the rules and the reader agree it closes the order
            # with the advice, otherwise a dispatcher closes it.
            decided = order.events.get(action="decided").data["decision"]
            assert decided["disposition"] == "unlawful"
            assert order.status == (choices.PENDING_REVIEW if decided["needs_review"] else choices.ANSWERED)
        waiting = [order for order in abusive if order.status == choices.PENDING_REVIEW]
        for order in waiting:
            close_with_answer(order, actor=dispatcher, answer="已劝导来电人，不予受理骚扰内容。")
            order.refresh_from_db()
            assert order.status == choices.ANSWERED
        services.warn_caller(abusive[1], actor=call_taker, kind="persuasion", note="已劝导其不要占用热线")
        services.warn_caller(abusive[3], actor=call_taker, kind="criticism", note="再次骚扰，予以批评")

        # The fifth call: the panel the call-taker sees while typing the number.
        client.force_login(call_taker)
        panel = client.post("/intake/history/", {"requester_phone": PHONE}).content.decode()
        assert "今日已有 4 次恶意、骚扰或违法诉求来电" in panel
        assert "劝导" in panel and "批评" in panel and "已劝导其不要占用热线" in panel
        assert "今日 4 次" in panel
        assert PHONE not in panel.replace(f'value="{PHONE}"', "")

        # Judged on its own content: the same caller's real problem goes out as anyone's would.
        fifth = take(LEGITIMATE)
        assert fifth.status == choices.DISPATCHED and fifth.lead_unit is not None
        record = selectors.record_for_index(fifth.requester_phone_index)
        assert record.calls_today == 5 and record.abusive_today == 4 and len(record.warnings) == 2


@pytest.mark.django_db
def test_other_numbers_do_not_share_the_record_R9_1(take, call_taker):
    with time_machine.travel(AT, tick=True):
        take(ABUSE[0])
        record = selectors.record_for_phone(call_taker, "13700001111")
        assert record.calls_total == 0 and record.abusive_total == 0 and record.caller is None


@pytest.mark.django_db
def test_flag_refer_and_lift_are_events_R35_1(take, call_taker, supervisor, client):
    with time_machine.travel(AT, tick=True):
        a, b = take(ABUSE[0]), take(LEGITIMATE)
        services.flag_caller(b, actor=call_taker, note="辱骂话务员")
        caller = Caller.objects.get(phone_index=a.requester_phone_index)
        assert caller.flagged
        # A flagged caller's order counts as abusive though the engine dispatched it.
        assert selectors.record_for_index(a.requester_phone_index).abusive_total == 2

        with pytest.raises(PermissionDenied):
            services.refer_to_police(caller, actor=call_taker, orders=[a], note="情节严重")
        with pytest.raises(ValidationError) as err:
            services.refer_to_police(caller, actor=supervisor, orders=[], note="情节严重")
        assert "orders" in err.value.message_dict
        other = take(LEGITIMATE, phone="13700001111")
        with pytest.raises(ValidationError):
            services.refer_to_police(caller, actor=supervisor, orders=[a, other], note="情节严重")
        assert not CallerEvent.objects.filter(action="referred_to_police").exists()

        client.force_login(supervisor)
        page = client.post(
            f"/centre/callers/of/{a.number}/refer/", {"orders": [a.number, b.number], "note": "多次骚扰，移送公安"}
        )
        assert page.status_code == 302
        referral = CallerEvent.objects.get(action="referred_to_police")
        assert set(referral.orders.values_list("number", flat=True)) == {a.number, b.number}
        assert OrderEvent.objects.filter(order=a, action="caller_referred_to_police").exists()

        assert client.post(f"/centre/callers/of/{a.number}/lift/", {"note": ""}).status_code == 302
        caller.refresh_from_db()
        assert caller.flagged  # no reason, no lifting
        client.post(f"/centre/callers/of/{a.number}/lift/", {"note": "经核实为误标"})
        caller.refresh_from_db()
        assert not caller.flagged
        actions = list(caller.events.order_by("at", "id").values_list("action", flat=True))
        assert actions == ["flagged", "referred_to_police", "flag_lifted"]
        page = client.get(f"/centre/callers/of/{a.number}/").content.decode()
        assert "解除标记" in page and "经核实为误标" in page and "移送公安机关" in page


@pytest.mark.django_db
def test_caller_events_are_append_only_and_notes_scrubbed_R8_3(take, call_taker):
    with time_machine.travel(AT, tick=True):
        order = take(ABUSE[0])
        event = services.warn_caller(order, actor=call_taker, kind="education", note=f"告知其本人号码{PHONE}已记录")
        assert PHONE not in event.note
        with pytest.raises(DatabaseError), transaction.atomic():
            CallerEvent.objects.filter(pk=event.pk).update(note="改")
        with pytest.raises(ValidationError) as err:
            services.warn_caller(order, actor=call_taker, kind="shouting", note="x")
        assert "kind" in err.value.message_dict


@pytest.mark.django_db
def test_caller_pages_refused_to_units_and_analysts_R5_1(take, make_user, wangjing_office, client):
    with time_machine.travel(AT, tick=True):
        order = take(ABUSE[0])
    for user in (make_user(roles.UNIT_HANDLER, wangjing_office), make_user(roles.ANALYST)):
        client.force_login(user)
        assert client.get("/centre/callers/").status_code == 403
        assert client.get(f"/centre/callers/of/{order.number}/").status_code == 403
        assert (
            client.post(f"/centre/callers/of/{order.number}/warn/", {"kind": "persuasion", "note": "x"}).status_code
            == 403
        )
    assert not CallerEvent.objects.exists()


@pytest.mark.django_db
def test_flagged_list_searches_by_sealed_number_R9_1(take, call_taker, client):
    with time_machine.travel(AT, tick=True):
        order = take(ABUSE[0])
        services.flag_caller(order, actor=call_taker, note="骚扰")
        take(LEGITIMATE, phone="13700001111")
        client.force_login(call_taker)
        page = client.get("/centre/callers/").content.decode()
        assert order.number in page and "共 1 条" in page
        found = client.post("/centre/callers/", {"q": PHONE})
        assert PHONE not in found["Location"]
        page = client.get(found["Location"]).content.decode()
        assert order.number in page
        page = client.get(client.post("/centre/callers/", {"q": "13700001111"})["Location"]).content.decode()
        assert "共 0 条" in page


@pytest.mark.django_db
def test_call_duration_recorded_once_and_checked(take, call_taker):
    with time_machine.travel(AT, tick=True):
        order = take(LEGITIMATE)
        with pytest.raises(ValidationError) as err:
            services.record_call_duration(order, seconds="abc", actor=call_taker)
        assert "call_duration" in err.value.message_dict
        services.record_call_duration(order, seconds=95, actor=call_taker)
        assert selectors.record_for_index(order.requester_phone_index).total_seconds == 95
        assert order.events.filter(action="call_recorded").exists()


@pytest.mark.django_db
def test_api_takes_the_call_duration_and_names_a_bad_one_R9_1(call_taker):
    from rest_framework.test import APIClient

    from jiesu.api import tokens
    from jiesu.orders.models import WorkOrder

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {tokens.issue(call_taker)[1]}")
    with time_machine.travel(AT, tick=True):
        body = {"channel": "phone", "kind": "complaint", "content": LEGITIMATE, "requester_phone": PHONE}
        bad = api.post("/api/v1/orders/", {**body, "call_duration": -3}, format="json")
        assert bad.status_code == 400 and "call_duration" in bad.json()
        assert not WorkOrder.objects.exists()
        made = api.post("/api/v1/orders/", {**body, "call_duration": 84}, format="json")
        assert made.status_code == 201
        order = WorkOrder.objects.get(number=made.json()["number"])
        assert order.call_record.duration_seconds == 84
        assert selectors.record_for_index(order.requester_phone_index).total_seconds == 84
