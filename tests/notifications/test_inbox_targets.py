"""Alerts (R27.1) and 每月一题 tasks (R24.1) in the inbox like every other notification (R26.1):
in Chinese, to the units they were routed to (and the centre, for alerts), with a button that
opens the alert or the task; nobody else sees them, and the page they open checks who asks.
The open inbox asks again for its list (htmx), which returns the list alone."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from jiesu.core import roles
from jiesu.directory.models import Unit
from jiesu.insight import monthly, services
from jiesu.insight.models import Alert
from jiesu.notifications.models import Notification
from tests.insight.conftest import NOW
from tests.insight.test_alerts import START, WATER, _post, api  # noqa: F401 - the API client fixture


def _inbox(client, user) -> str:
    client.force_login(user)
    response = client.get("/inbox/")
    assert response.status_code == 200
    return response.content.decode()


def _open(client, notification) -> str:
    """The inbox row's button: marks it read and leads to what it is about."""
    response = client.post(f"/inbox/{notification.pk}/read/")
    assert response.status_code == 302
    return response["Location"]


@pytest.mark.django_db
def test_a_surge_alert_is_in_the_inbox_of_its_units_and_the_centre_only_R27_1_R26_1(api, make_user, client):  # noqa: F811
    with time_machine.travel(START, tick=False) as clock:
        for i in range(12):
            _post(api, WATER[i % len(WATER)])
            clock.shift(timedelta(seconds=50))
        assert services.check_alerts().raised == 1
        alert = Alert.objects.get()
        water = Unit.objects.get(name="北京市自来水集团有限责任公司")
        assert alert.units.filter(pk=water.pk).exists()

        for user in (make_user(roles.UNIT_HANDLER, water), make_user(roles.SUPERVISOR)):
            page = _inbox(client, user)
            assert "诉求激增预警" in page and "望京西园三区社区" in page and "停水" in page
            assert "查看预警" in page
            assert "alert_surge" not in page and "utility.water" not in page  # no raw codes
            n = Notification.objects.get(kind="alert_surge", recipient_unit=user.unit)
            assert _open(client, n) == f"/insight/alerts/{alert.pk}/"
            n.refresh_from_db()
            assert n.read_at is not None and n.read_by == user
            assert client.get(f"/insight/alerts/{alert.pk}/").status_code == 200

        # A unit the alert was not routed to: not in its inbox, and the alert's page is not found.
        outsider = make_user(
            roles.UNIT_HANDLER, Unit.objects.get(kind="subdistrict_office", territory__name="三里屯街道")
        )
        page = _inbox(client, outsider)
        assert "诉求激增预警" not in page
        assert client.get(f"/insight/alerts/{alert.pk}/").status_code == 404
        theirs = Notification.objects.filter(kind="alert_surge").first()
        assert client.post(f"/inbox/{theirs.pk}/read/").status_code == 404


@pytest.mark.django_db
def test_a_monthly_topic_task_is_in_its_units_inbox_and_opens_the_task_R24_1_R26_1(
    make_user, wangjing_office, other_office, client
):
    with time_machine.travel(NOW, tick=False):
        supervisor = make_user(roles.SUPERVISOR)
        topic = monthly.choose_topic(
            actor=supervisor, month=date(2026, 7, 1), title="餐馆油烟扰民", matter_codes=["env.air.cooking_fume"]
        )
        monthly.record_study(topic, actor=supervisor, study="调研")
        monthly.adopt_plan(topic, actor=supervisor, plan="方案", lead_unit=wangjing_office)
        task = monthly.assign_task(
            topic,
            actor=supervisor,
            unit=wangjing_office,
            description="排查沿街餐馆油烟净化器",
            deadline=date(2026, 8, 10),
        )

        handler = make_user(roles.UNIT_HANDLER, wangjing_office)
        page = _inbox(client, handler)
        assert (
            "每月一题任务：餐馆油烟扰民" in page and "完成期限：2026-08-10" in page and "排查沿街餐馆油烟净化器" in page
        )
        assert "查看任务" in page and "monthly_topic_task" not in page
        n = Notification.objects.get(kind="monthly_topic_task")
        assert _open(client, n) == f"/insight/month-topics/tasks/{task.pk}/"
        task_page = client.get(f"/insight/month-topics/tasks/{task.pk}/")
        assert task_page.status_code == 200 and "排查沿街餐馆油烟净化器" in task_page.content.decode()

        # Another township's people do not see it, in the inbox or at the task's address.
        outsider = make_user(roles.UNIT_HANDLER, other_office)
        assert "每月一题任务" not in _inbox(client, outsider)
        assert client.get(f"/insight/month-topics/tasks/{task.pk}/").status_code in (403, 404)
        assert client.post(f"/inbox/{n.pk}/read/").status_code == 404
        # The centre chose the topic; the task's notification is the unit's, not the centre's.
        assert "每月一题任务" not in _inbox(client, supervisor)


@pytest.mark.django_db
def test_the_open_inbox_polls_for_its_list_R26_1(make_user, wangjing_office, client):
    handler = make_user(roles.UNIT_HANDLER, wangjing_office)
    page = _inbox(client, handler)
    assert 'hx-trigger="every 5s"' in page and 'id="inbox-live"' in page
    before = client.get("/inbox/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in before and 'id="inbox-live"' in before and "0 条未读" in before

    from jiesu.notifications import services as notify

    notify.notify_unit(wangjing_office, kind="daily_digest", title="每日工单摘要（2026-07-06）", body="新派 3 件")
    after = client.get("/inbox/", HTTP_HX_REQUEST="true").content.decode()
    assert "每日工单摘要（2026-07-06）" in after and "1 条未读" in after and "标为已读" in after
