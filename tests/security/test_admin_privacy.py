"""The Django admin masks orders' free text and identities and audits an unmasked read (issue
12; R8.3); the login-lockout and API-token pages speak Chinese."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from jiesu.core import roles
from jiesu.handling import services as handling
from jiesu.handling.models import Reply
from jiesu.orders import services as order_services
from jiesu.orders.models import OrderEvent, PersonalDataAccess

NAME, PHONE, OTHER = "张三", "13812345678", "13900001111"
CONTENT = f"楼下烧烤店油烟很大，可以打邻居王女士电话{OTHER}了解情况。"
NOTE = f"联系{NAME}，电话{PHONE}，约定周五上门。"


@pytest.fixture
def order(make_order, dispatched_to, wangjing_office, make_user):
    handler = make_user(roles.UNIT_HANDLER, wangjing_office)
    order = dispatched_to(make_order(content=CONTENT), wangjing_office)
    handling.accept(order, actor=handler)
    order_services.record_event(
        order, action="contact_recorded", actor=handler, data={"method": "phone", "outcome": "reached", "note": NOTE}
    )
    handling.reply(order, actor=handler, result="resolved", public_text="已协调城管执法队检查，责令安装净化设备。")
    # A reply as stored before units' text was checked at entry: the admin must still mask it.
    Reply.objects.filter(order=order).update(internal_notes=f"与{NAME}（{PHONE}）当面沟通。")
    return order


@pytest.fixture
def superuser(make_user):
    return make_user(roles.BUREAU_ADMIN, is_staff=True, is_superuser=True)


@pytest.mark.django_db
def test_admin_pages_of_an_order_mask_free_text_and_identities_R8_3(order, superuser, client):
    client.force_login(superuser)
    event = OrderEvent.objects.get(order=order, action="contact_recorded")
    reply = Reply.objects.get(order=order)
    pages = {
        "order": f"/admin/orders/workorder/{order.pk}/change/",
        "event": f"/admin/orders/orderevent/{event.pk}/change/",
        "reply": f"/admin/handling/reply/{reply.pk}/change/",
        "orders list": "/admin/orders/workorder/",
        "events list": "/admin/orders/orderevent/",
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        text = response.content.decode()
        for value in (NAME, PHONE, OTHER):
            assert value not in text, (name, value)
    assert "***" in client.get(pages["event"]).content.decode()
    assert "显示原文" in client.get(pages["order"]).content.decode()
    assert not PersonalDataAccess.objects.filter(purpose="admin_show").exists()


@pytest.mark.django_db
def test_admin_show_is_audited_and_only_for_those_who_see_identities_R8_3(order, superuser, make_user, client):
    client.force_login(superuser)
    event = OrderEvent.objects.get(order=order, action="contact_recorded")
    shown = client.get(f"/admin/orders/orderevent/{event.pk}/unmasked/")
    assert shown.status_code == 200 and NOTE in shown.content.decode()
    shown = client.get(f"/admin/orders/workorder/{order.pk}/unmasked/")
    assert CONTENT in shown.content.decode() and PHONE in shown.content.decode()
    reads = PersonalDataAccess.objects.filter(order=order, user=superuser, purpose="admin_show")
    assert reads.count() == 2
    assert "requester.phone" in reads.order_by("-id").first().fields
    # A staff member who may view orders in the admin but does not see identities: masked only.
    clerk = make_user(roles.BUREAU_ADMIN, is_staff=True)
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["view_workorder", "view_orderevent"]))
    client.force_login(clerk)
    assert client.get(f"/admin/orders/workorder/{order.pk}/change/").status_code == 200
    assert client.get(f"/admin/orders/workorder/{order.pk}/unmasked/").status_code == 403
    assert reads.count() == 2


@pytest.mark.django_db
def test_lockout_and_token_admin_pages_are_in_chinese(superuser, client):
    client.force_login(superuser)
    index = client.get("/admin/").content.decode()
    for name in ("登录保护", "登录失败记录", "登录日志", "API令牌"):
        assert name in index, name
    for english in ("Access attempts", "Access logs", "Access failures", "Auth tokens", "Axes", "Knox"):
        assert english not in index, english
    attempts = client.get("/admin/axes/accessattempt/").content.decode()
    assert "锁定状态" in attempts and "Locked Out" not in attempts and "Clean up expired" not in attempts
