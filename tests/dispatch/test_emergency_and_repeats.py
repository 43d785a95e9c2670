"""A person's one key to an emergency line, the engine's alarm, repeats linked, and the same
problem from other callers (R2.3, R11.3)."""

import pytest
from django.template.loader import render_to_string

from jiesu.dispatch import services
from jiesu.orders.models import WorkOrder

INTAKE = {
    "requester_type": "natural",
    "channel": "phone",
    "source_line": "12345",
    "kind": "help",
    "requester_phone": "13912340001",
}


@pytest.mark.django_db
def test_call_taker_saves_and_transfers_with_one_key_R2_3(call_taker, client):
    client.force_login(call_taker)
    r = client.post(
        "/intake/", {**INTAKE, "content": "我爸刚才在客厅突然倒下了，叫他没反应，嘴唇发紫", "emergency_line": "120"}
    )
    order = WorkOrder.objects.get()
    assert r.status_code == 302 and order.status == "transferred"
    event = order.events.get(action="transferred")
    assert event.data["emergency_line"] == "120" and event.data["by_person"] and event.actor == call_taker
    assert not order.events.filter(action="decided").exists() and not order.assignments.exists()


@pytest.mark.django_db
def test_unknown_line_is_refused_and_nothing_saved(call_taker, client):
    client.force_login(call_taker)
    r = client.post("/intake/", {**INTAKE, "content": "楼道里有烟味，请尽快来看看", "emergency_line": "999"})
    assert r.status_code == 200 and "紧急专线只能是" in r.content.decode()
    assert WorkOrder.objects.count() == 0


@pytest.mark.django_db
def test_dispatcher_transfers_from_the_review_page_R2_3(take, dispatcher, client):
    order = take("朝阳区望京街道有点事想说一下")
    assert order.status == "pending_review"
    client.force_login(dispatcher)
    r = client.post(f"/dispatch/{order.number}/", {"action": "transfer_line", "line": "119"})
    order.refresh_from_db()
    assert r.status_code == 302 and order.status == "transferred"
    assert order.events.get(action="transferred").data["emergency_line"] == "119"


@pytest.mark.django_db
def test_handler_cannot_transfer(take, make_user, wangjing_office):
    from django.core.exceptions import PermissionDenied

    order = take("朝阳区望京街道有点事想说一下")
    with pytest.raises(PermissionDenied):
        services.transfer_to_line(order, actor=make_user("unit_handler", wangjing_office), line="110")


def test_alarm_sits_on_top_with_the_one_key():
    suggestion = {
        "disposition": "dispatch",
        "needs_review": True,
        "matter": {},
        "units": [],
        "reasons": ["r"],
        "possible_emergency": {"line": "110", "probability": 0.4},
    }
    html = render_to_string("dispatch/_suggestion.html", {"suggestion": suggestion})
    assert html.index('id="possible-emergency"') < html.index("<table")
    assert 'name="emergency_line" value="110"' in html and 'form="intake-form"' in html and 'data-shortcut="e"' in html


@pytest.mark.django_db
def test_same_problem_from_other_callers_is_shown_R11_3(take, call_taker):
    text = "朝阳区望京街道花家地北里小区物业不作为，电梯坏了一周没人修"
    first = take(text, phone="13800000001")
    second = take(text, phone="13800000002")
    record = services.latest_decision(second)
    assert record["same_problem"]["count"] == 1 and record["same_problem"]["orders"] == [first.number]
    hint = services.suggest(text=text, kind="complaint")
    assert hint["same_problem"]["count"] == 2
    html = render_to_string("dispatch/_suggestion.html", {"suggestion": hint})
    assert "已有2人反映" in html and first.number in html


@pytest.mark.django_db
def test_new_facts_from_the_same_caller_link_the_earlier_order_R11_3(take):
    first = take("丰台区卢沟桥街道，家里暖气不热，室温只有十五度。")
    again = take("家里暖气不热，又出现了暖气漏水的新情况，丰台区卢沟桥街道")
    assert first.matter_code == again.matter_code
    assert again.related_order == first and again.status != "answered"
