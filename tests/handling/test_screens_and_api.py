"""The workbench, the order page, the REST API and role isolation (R5.1, R14.1, R15.1)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from jiesu.api import tokens
from jiesu.handling import services
from jiesu.notifications.models import Notification
from jiesu.orders.models import OrderUnit

pytestmark = pytest.mark.django_db


def test_workbench_sorted_by_time_left_with_overdue_and_due_soon_marked_R15_1(take, handler, client):
    orders = [take(requester_phone=f"1380013800{i}") for i in range(3)]
    now = timezone.now()
    for order, due in zip(orders, (now + timedelta(days=5), now - timedelta(hours=3), now + timedelta(hours=5))):
        OrderUnit.objects.filter(order=order, role="lead").update(due_at=due)
    client.force_login(handler)
    page = client.get(reverse("handling:workbench"))
    html = page.content.decode()
    assert page.status_code == 200 and "承办工作台" in html
    positions = [html.index(o.number) for o in (orders[1], orders[2], orders[0])]
    assert positions == sorted(positions)  # overdue first, then least time left
    assert 'class="row-overdue"' in html and 'class="row-due_soon"' in html and "超期" in html and "待签收" in html


def test_order_page_actions_and_field_errors_in_chinese_R15_1(wangjing_order, handler, client):
    client.force_login(handler)
    url = reverse("handling:order", args=[wangjing_order.number])
    page = client.get(url).content.decode()
    assert "签收工单" in page and "提出异议" in page and "主办单位不能退单" in page
    assert "13800138000" in page  # a unit handler calls back: unmasked, and the read is audited (R8.3)

    assert client.post(reverse("handling:act", args=[wangjing_order.number, "accept"])).status_code == 302
    bad = client.post(
        reverse("handling:act", args=[wangjing_order.number, "reply"]), {"result": "resolved", "public_text": "短"}
    )
    assert bad.status_code == 400 and "至少10个字" in bad.content.decode()
    response = client.post(
        reverse("handling:act", args=[wangjing_order.number, "contact"]),
        {"method": "phone", "outcome": "reached", "note": "已沟通"},
    )
    assert response.status_code == 302
    client.post(
        reverse("handling:act", args=[wangjing_order.number, "reply"]),
        {
            "result": "resolved",
            "public_text": "电梯已修复并恢复正常运行，感谢您的反映。",
            "internal_notes": "内部：维保公司已更换",
        },
    )
    page = client.get(url).content.decode()
    assert "已答复" in page and "答复办理结果" in page and "内部办理情况" in page


def test_api_accept_contact_reply_with_token_R15_1(wangjing_order, handler):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {tokens.issue(handler)[1]}")
    bench = api.get("/handling/api/workbench/").json()["results"]
    assert [r["number"] for r in bench] == [wangjing_order.number] and bench[0]["role"] == "lead"
    base = f"/handling/api/orders/{wangjing_order.number}"
    assert api.post(f"{base}/accept/", {}, format="json").json()["status"] == "in_progress"
    errors = api.post(f"{base}/contact/", {"method": "pigeon", "outcome": "reached"}, format="json")
    assert errors.status_code == 400 and "method" in errors.json()
    assert (
        api.post(f"{base}/contact/", {"method": "phone", "outcome": "reached"}, format="json").json()["event"]
        == "contact_recorded"
    )
    done = api.post(
        f"{base}/reply/", {"result": "resolved", "public_text": "电梯已修复并恢复正常运行。"}, format="json"
    )
    assert done.status_code == 200 and done.json()["status"] == "replied"
    assert api.post(f"{base}/teleport/", {}, format="json").status_code == 404


def test_unit_b_cannot_see_or_act_on_unit_a_orders_R5_1(
    wangjing_order, handler, member, other_office, call_taker, client
):
    stranger = member(other_office)
    for call in (
        lambda: services.accept(wangjing_order, actor=stranger),
        lambda: services.record_contact(wangjing_order, actor=stranger, method="phone", outcome="reached"),
        lambda: services.request_extension(
            wangjing_order, actor=stranger, reason="想替别的单位申请延期十天", extra_days=3
        ),
    ):
        with pytest.raises(PermissionDenied):
            call()
    services.accept(wangjing_order, actor=handler)
    client.force_login(stranger)
    assert client.get(reverse("handling:workbench")).content.decode().count(wangjing_order.number) == 0
    assert client.get(reverse("handling:order", args=[wangjing_order.number])).status_code == 404
    assert (
        client.post(
            reverse("handling:act", args=[wangjing_order.number, "reply"]),
            {"result": "resolved", "public_text": "冒名答复冒名答复冒名答复"},
        ).status_code
        == 404
    )
    api = APIClient()
    api.force_authenticate(stranger)
    assert api.post(f"/handling/api/orders/{wangjing_order.number}/accept/", {}, format="json").status_code == 404
    # Nor the other unit's inbox.
    Notification.objects.create(audience="unit", recipient_unit=handler.unit, kind="x", title="望京街道的通知")
    assert "望京街道的通知" not in client.get(reverse("notifications:inbox")).content.decode()
    # Nor the supervision board; and a call-taker is neither a unit nor a supervisor.
    assert client.get(reverse("handling:supervision")).status_code == 403
    client.force_login(call_taker)
    assert client.get(reverse("handling:supervision")).status_code == 403
    assert client.get(reverse("handling:workbench")).status_code == 403


def test_centre_supervision_board_and_extension_approval_on_screen_R33_1(wangjing_order, handler, supervisor, client):
    services.accept(wangjing_order, actor=handler)
    ext = services.request_extension(wangjing_order, actor=handler, reason="需要等待厂家配件到货一周", extra_days=5)
    client.force_login(supervisor)
    board = client.get(reverse("handling:supervision")).content.decode()
    assert "待审批延期申请" in board and wangjing_order.number in board
    response = client.post(
        reverse("handling:act", args=[wangjing_order.number, "decide_extension"]),
        {"extension_id": ext.pk, "approve": "approve", "note": "同意"},
    )
    assert response.status_code == 302
    ext.refresh_from_db()
    assert ext.status == "approved"
    assert client.get(reverse("handling:workbench")).status_code == 302  # the centre lands on the board
