"""The centre assessed beside the units (R31.1), and what oversight sees of the scores (R5.1)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from jiesu.assessment import centre, services
from jiesu.core import roles
from jiesu.directory.models import Unit

T0 = datetime(2026, 11, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _order(pk, by, *, content=20, location=True, phone=True, name=True):
    return centre.OrderRow(pk, T0, by, content, location, phone, name)


def _event(order_id, hours, action, actor=None, **data):
    return centre.EventRow(order_id, T0 + timedelta(hours=hours), action, actor, data)


def test_figures_from_events_plain_python_R31_1():
    taker, d1, d2 = 10, 20, 30
    orders = [_order(1, taker), _order(2, taker, location=False, name=False), _order(3, taker, content=5)]
    events = [
        # 1: the engine dispatched at once; the unit objected, upheld; d1 sent it elsewhere.
        _event(1, 0.1, "dispatched", automatic=True),
        _event(1, 5, "objection_accepted", d1),
        _event(1, 5, "redispatched", d1),
        # 2: two hours in review, then d1 corrected the suggestion; an objection was rejected.
        _event(2, 0, "queued_for_review"),
        _event(2, 2, "dispatched", d1, corrected=True),
        _event(2, 9, "objection_rejected", d2),
        # 3: reviewed by d2 and answered on the spot after an hour.
        _event(3, 0, "queued_for_review"),
        _event(3, 1, "answered", d2),
    ]
    fig = centre.figures(date(2026, 11, 1), orders, events)
    assert fig.centre.orders == 3
    assert fig.centre.completeness_rate == round((1 + 0.5 + 0.75) / 3 * 100, 1)
    assert fig.call_takers[taker].orders == 3
    assert (fig.engine.dispatched, fig.engine.wrong, fig.engine.accuracy_rate) == (1, 1, 0.0)
    assert fig.engine.objections_upheld == 1
    one = fig.dispatchers[d1]
    assert (one.dispatched, one.redispatched, one.corrected, one.wrong, one.objections_rejected) == (2, 1, 1, 0, 1)
    assert one.accuracy_rate == 100.0 and one.avg_hours_in_review == 2.0
    assert fig.dispatchers[d2].avg_hours_in_review == 1.0 and fig.dispatchers[d2].dispatched == 0
    assert fig.centre.dispatched == 3 and fig.centre.wrong == 1 and fig.centre.accuracy_rate == 66.7
    assert fig.centre.avg_hours_in_review == 1.5
    assert fig.centre.avg_hours_to_dispatch == round((0.1 + 2) / 2, 2)


@pytest.fixture
def assessed(dispatch, handle, visit, month, wangjing_office, other_office):
    visit(handle(dispatch(wangjing_office), wangjing_office), satisfaction="basic")
    visit(handle(dispatch(other_office), other_office), contacted=False)
    return services.run_assessment(month)


@pytest.mark.django_db
def test_dashboard_shows_centre_beside_units_R31_1(client, assessed, make_user, dispatcher, call_taker, month):
    dispatcher.display_name, call_taker.display_name = "派单员甲", "话务员乙"
    dispatcher.save(), call_taker.save()
    client.force_login(make_user(roles.ANALYST))
    body = client.get(f"/assessment/?month={month:%Y-%m}&group=township").content.decode()
    assert 'id="ranking"' in body and 'id="centre-figures"' in body
    assert "热线中心合计" in body and "派单准确率" in body and "受理完整率" in body and "平均审核用时" in body
    assert "派单员甲" in body and "话务员乙" in body
    table = body.split('id="centre-figures"')[1].split("</table>")[0]
    assert ">dispatcher<" not in table and ">call_taker<" not in table and "<td>派单员</td>" in table


@pytest.mark.django_db
def test_district_oversight_sees_its_townships_scores_only_R5_1(
    client, assessed, make_user, wangjing_office, other_office
):
    district = make_user(roles.DISTRICT_OVERSIGHT, Unit.objects.get(kind="district_gov", district__name="朝阳区"))
    client.force_login(district)
    assert client.get("/assessment/").url == "/centre/oversight/"
    page = client.get("/centre/oversight/").content.decode()
    assert "望京街道办事处" in page and "东华门街道办事处" not in page
    assert client.get(f"/assessment/units/{wangjing_office.pk}/").status_code == 200
    assert client.get(f"/assessment/units/{other_office.pk}/").status_code == 403
    assert client.get("/assessment/appeals/").status_code == 403

    client.force_login(make_user(roles.CITY_OVERSIGHT, Unit.objects.get(kind="municipal_gov")))
    page = client.get("/centre/oversight/").content.decode()
    assert "望京街道办事处" in page and "东华门街道办事处" in page
    assert client.get(f"/assessment/units/{other_office.pk}/").status_code == 200


@pytest.mark.django_db
def test_people_are_recognised_beside_units_R7_1(client, supervisor, make_user, call_taker, month):
    call_taker.display_name = "话务员丙"
    call_taker.save()
    client.force_login(supervisor)
    client.post("/assessment/recognise/", {"month": f"{month:%Y-%m}", "person": call_taker.username, "reason": "短"})
    client.post(
        "/assessment/recognise/",
        {
            "month": f"{month:%Y-%m}",
            "person": call_taker.username,
            "reason": "本月受理完整率全中心第一，服务态度获来电人表扬",
        },
    )
    again = client.post(
        "/assessment/recognise/",
        {"month": f"{month:%Y-%m}", "person": call_taker.username, "reason": "重复表扬重复表扬"},
        follow=True,
    ).content.decode()
    assert "本月已获表扬" in again
    body = client.get(f"/assessment/?month={month:%Y-%m}").content.decode()
    section = body.split('id="staff-recognition"')[1]
    assert "话务员丙" in section and "受理完整率全中心第一" in section
    client.force_login(make_user(roles.ANALYST))
    assert (
        client.post(
            "/assessment/recognise/",
            {"month": f"{month:%Y-%m}", "person": call_taker.username, "reason": "分析员不能表扬"},
        ).status_code
        == 403
    )
