"""Identities in what the centre writes are caught at entry (issue 12; R8.3): a warning the
writer may confirm where the text must hold one (a police referral), unlike units' text, which
is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from jiesu.centre import services as centre
from jiesu.centre.models import Caller, CallerEvent
from jiesu.core import roles, validation
from jiesu.handling import services as handling

PHONE, OTHER = "13800138000", "13912345678"


pytestmark = pytest.mark.usefixtures("fresh_engine")  # take: tests/conftest.py


@pytest.mark.django_db
def test_dispatchers_answer_with_a_phone_is_warned_then_kept_once_confirmed_R8_3(take, dispatcher, client):
    order = take("小区里的路灯坏了好多天了，晚上黑乎乎的")
    assert order.status == "pending_review"
    client.force_login(dispatcher)
    answer = f"路灯由物业负责维修，请直接联系物业经理，电话{OTHER}。"
    page = client.post(f"/dispatch/{order.number}/", {"action": "answer", "answer": answer})
    text = page.content.decode()
    assert "答复内容中含有个人信息（手机号码）" in text
    assert f'name="{validation.CONFIRM_FIELD}"' in text  # the box to confirm is in the warning, inside the form
    order.refresh_from_db()
    assert order.status == "pending_review"  # nothing written
    client.post(f"/dispatch/{order.number}/", {"action": "answer", "answer": answer, validation.CONFIRM_FIELD: "yes"})
    order.refresh_from_db()
    assert order.status == "answered"
    assert order.events.get(action="answered").data["answer_text"] == answer


@pytest.mark.django_db
def test_police_referral_may_name_the_caller_once_confirmed_R8_3_R35_1(take, make_user, client):
    supervisor = make_user(roles.SUPERVISOR)
    order = take("你们都是废物，我天天打电话骂你们")
    centre.flag_caller(order, actor=supervisor, note="辱骂话务员")
    note = f"来电人{PHONE}多次辱骂话务员，情节严重，移送公安机关处理。"
    client.force_login(supervisor)
    client.post(f"/centre/callers/of/{order.number}/refer/", {"orders": [order.number], "note": note})
    caller = Caller.objects.get(phone_index=order.requester_phone_index)
    assert not caller.referred
    client.post(
        f"/centre/callers/of/{order.number}/refer/",
        {"orders": [order.number], "note": note, validation.CONFIRM_FIELD: "yes"},
    )
    caller.refresh_from_db()
    assert caller.referred
    assert CallerEvent.objects.filter(caller=caller).order_by("-id").first().note == note  # kept as written


@pytest.mark.django_db
def test_supervisors_message_to_a_unit_is_checked_outside_a_request_too(take, make_user, wangjing_office):
    supervisor = make_user(roles.SUPERVISOR)
    order = take("朝阳区望京街道花家地北里小区物业不作为，电梯坏了一周没人修")
    assert order.lead_unit == wangjing_office
    due = timezone.now() + timedelta(days=2)
    message = f"请尽快联系诉求人{PHONE}，本周内修好电梯。"
    with pytest.raises(ValidationError) as refused:
        handling.supervise(order, actor=supervisor, reason="overdue", message=message, new_due=due)
    assert "督办意见中含有个人信息" in str(refused.value)
    request = RequestFactory().post("/", {validation.CONFIRM_FIELD: "yes"})
    with validation.entry_request(request):
        sup = handling.supervise(order, actor=supervisor, reason="overdue", message=message, new_due=due)
    assert sup.message == message
    # Without an identity nothing is asked.
    handling.supervise(order, actor=supervisor, reason="overdue", message="请本周内修好电梯并回复。", new_due=due)
