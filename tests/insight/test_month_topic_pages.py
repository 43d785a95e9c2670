"""每月一题 pages (R24.1): who sees which topic and which task, the candidates with their figures,
choosing and steering through real HTTP, a unit's progress form, 403s, and bad input answered
with the field named and nothing written."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from jiesu.core import roles
from jiesu.insight import monthly
from jiesu.insight.models import MonthlyTopic, MonthlyTopicEvent, TaskReport, TopicTask

from .conftest import FUMES, NOW


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def supervisor(make_user):
    return make_user(roles.SUPERVISOR)


@pytest.fixture
def running(supervisor, chaoyang, wangjing_office, other_office):
    """A topic in progress with a task for Wangjing (Chaoyang) and one for Donghuamen (Dongcheng)."""
    topic = monthly.choose_topic(
        actor=supervisor,
        month=date(2026, 7, 1),
        title="餐饮油烟扰民集中治理",
        matter_codes=[FUMES],
        places=[chaoyang["district"]],
    )
    monthly.record_study(topic, actor=supervisor, study="调研发现净化器普遍未清洗。")
    topic = monthly.adopt_plan(topic, actor=supervisor, plan="街道逐户排查。", lead_unit=wangjing_office)
    mine = monthly.assign_task(
        topic, actor=supervisor, unit=wangjing_office, description="望京逐户排查餐馆净化器", deadline=date(2026, 8, 1)
    )
    theirs = monthly.assign_task(
        topic, actor=supervisor, unit=other_office, description="东华门配合商户培训", deadline=date(2026, 8, 5)
    )
    return {"topic": topic, "mine": mine, "theirs": theirs}


def _get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def _counts():
    return (
        MonthlyTopic.objects.count(),
        TopicTask.objects.count(),
        TaskReport.objects.count(),
        MonthlyTopicEvent.objects.count(),
    )


@pytest.mark.django_db
def test_the_list_has_true_counts_search_and_filters_and_refuses_other_roles_R24_1(
    client, make_user, running, supervisor
):
    monthly.choose_topic(actor=supervisor, month=date(2025, 11, 1), title="老旧小区加装电梯", matter_codes=[FUMES])
    text = _get(client, make_user(roles.ANALYST), "/insight/month-topics/").content.decode()
    assert "共 2 个题目" in text and "餐饮油烟扰民集中治理" in text and "推进中" in text and "0/2" in text
    assert "共 1 个题目" in _get(client, supervisor, "/insight/month-topics/", state="implementing").content.decode()
    found = _get(client, supervisor, "/insight/month-topics/", year="2025").content.decode()
    assert "共 1 个题目" in found and "加装电梯" in found and "油烟扰民" not in found
    assert (
        "共 1 个题目" in _get(client, supervisor, "/insight/month-topics/", q="东华门").content.decode()
    )  # a task's unit
    assert "共 1 个题目" in _get(client, supervisor, "/insight/month-topics/", q="加装").content.decode()
    assert (
        "共 2 个题目" in _get(client, supervisor, "/insight/month-topics/", q="餐饮油烟").content.decode()
    )  # the matter
    for role in (roles.DISPATCHER, roles.CALL_TAKER):
        assert _get(client, make_user(role), "/insight/month-topics/").status_code == 403
        assert _get(client, make_user(role), f"/insight/month-topics/{running['topic'].pk}/").status_code == 403
    client.logout()
    assert client.get("/insight/month-topics/").status_code == 302


@pytest.mark.django_db
def test_a_unit_sees_its_own_tasks_and_reports_on_them_only_R24_1(
    client, make_user, running, wangjing_office, other_office
):
    handler = make_user(roles.UNIT_HANDLER, wangjing_office)
    listing = _get(client, handler, "/insight/month-topics/").content.decode()
    assert "共 1 个题目" in listing
    page = _get(client, handler, f"/insight/month-topics/{running['topic'].pk}/").content.decode()
    assert "望京逐户排查餐馆净化器" in page and "东华门配合商户培训" not in page and "报送进展" in page
    assert 'id="task-form"' not in page and "制定工作方案" not in page  # no steering forms for a unit
    assert _get(client, handler, f"/insight/month-topics/tasks/{running['theirs'].pk}/").status_code == 403
    response = client.post(
        f"/insight/month-topics/tasks/{running['mine'].pk}/", {"text": "已排查餐馆32家，整改11家。", "progress": "35"}
    )
    assert response.status_code == 302
    task = TopicTask.objects.get(pk=running["mine"].pk)
    assert (task.get_state_display(), task.progress) == ("推进中", 35)
    page = _get(client, handler, f"/insight/month-topics/tasks/{task.pk}/").content.decode()
    assert "已排查餐馆32家" in page and "35%" in page
    # The other township cannot report on Wangjing's task, nor a supervisor in the unit's place.
    before = _counts()
    other = make_user(roles.UNIT_ADMIN, other_office)
    client.force_login(other)
    assert (
        client.post(f"/insight/month-topics/tasks/{task.pk}/", {"text": "冒名报送", "progress": "90"}).status_code
        == 403
    )
    sup = make_user(roles.SUPERVISOR)
    client.force_login(sup)
    assert client.post(f"/insight/month-topics/tasks/{task.pk}/", {"text": "代报", "progress": "90"}).status_code == 403
    assert _counts() == before
    # A unit with no task in the topic does not see it at all.
    stranger = make_user(roles.UNIT_HANDLER, "centre")
    assert _get(client, stranger, f"/insight/month-topics/{running['topic'].pk}/").status_code == 404


@pytest.mark.django_db
def test_bad_progress_gives_a_clear_error_and_writes_nothing_R24_1(client, make_user, running, wangjing_office):
    handler = make_user(roles.UNIT_HANDLER, wangjing_office)
    client.force_login(handler)
    url = f"/insight/month-topics/tasks/{running['mine'].pk}/"
    before = _counts()
    for data, message in (
        ({"text": "", "progress": "10"}, "请填写进展情况"),
        ({"text": "进展顺利", "progress": "一半"}, "0到100之间的整数"),
        ({"text": "已联系居民13912345678", "progress": "10"}, "个人信息"),
        ({"text": "进展", "progress": "10", "corrects": "999999"}, "要更正的报送不存在"),
    ):
        response = client.post(url, data)
        assert response.status_code == 400 and message in response.content.decode(), data
    assert _counts() == before


@pytest.mark.django_db
def test_district_oversight_sees_its_district_and_its_units_tasks_R24_1(client, make_user, running, supervisor):
    from jiesu.directory.models import Unit

    chaoyang_gov = Unit.objects.get(kind="district_gov", district__name="朝阳区")
    dongcheng_gov = Unit.objects.get(kind="district_gov", district__name="东城区")
    haidian_gov = Unit.objects.get(kind="district_gov", district__name="海淀区")
    monthly.choose_topic(
        actor=supervisor,
        month=date(2026, 7, 1),
        title="海淀停车难",
        matter_codes=[FUMES],
        places=[haidian_gov.district],
    )
    chaoyang = make_user(roles.DISTRICT_OVERSIGHT, chaoyang_gov)
    listing = _get(client, chaoyang, "/insight/month-topics/").content.decode()
    assert "共 1 个题目" in listing and "海淀停车难" not in listing
    page = _get(client, chaoyang, f"/insight/month-topics/{running['topic'].pk}/").content.decode()
    assert "望京逐户排查餐馆净化器" in page and "东华门配合商户培训" not in page and 'id="task-form"' not in page
    # Dongcheng sees the topic through its township's task, and that task only.
    page = _get(
        client, make_user(roles.DISTRICT_OVERSIGHT, dongcheng_gov), f"/insight/month-topics/{running['topic'].pk}/"
    ).content.decode()
    assert "东华门配合商户培训" in page and "望京逐户排查餐馆净化器" not in page
    assert _get(client, chaoyang, "/insight/month-topics/candidates/").status_code == 403
    city = make_user(roles.CITY_OVERSIGHT, Unit.objects.get(kind="municipal_gov"))
    assert "共 2 个题目" in _get(client, city, "/insight/month-topics/").content.decode()


@pytest.mark.django_db
def test_candidates_show_their_figures_and_a_manager_chooses_one_R24_1(client, make_user, month_orders, supervisor):
    page = _get(client, make_user(roles.ANALYST), "/insight/month-topics/candidates/", month="2026-06")
    text = page.content.decode()
    assert page.status_code == 200 and "共 2 个候选" in text and "餐饮油烟" in text and "81.8" in text
    assert "2/3（66.7%）" in text and "1 人 / 3 件" in text and "选为本月一题" not in text  # an analyst reads only
    assert _get(client, make_user(roles.UNIT_ADMIN, "centre"), "/insight/month-topics/candidates/").status_code == 403
    bad = _get(client, supervisor, "/insight/month-topics/candidates/", month="2026-13")
    assert bad.status_code == 400 and "格式不对" in bad.content.decode()
    text = _get(client, supervisor, "/insight/month-topics/candidates/", month="2026-06").content.decode()
    assert f"matter={FUMES}" in text
    form = _get(client, supervisor, "/insight/month-topics/new/", month="2026-06", matter=FUMES).content.decode()
    assert 'value="餐饮油烟"' in form and 'name="data_month" value="2026-06"' in form and 'value="2026-07"' in form
    response = client.post(
        "/insight/month-topics/new/",
        {"month": "2026-07", "title": "餐饮油烟", "matters": [FUMES], "data_month": "2026-06"},
    )
    assert response.status_code == 302
    topic = MonthlyTopic.objects.get()
    assert topic.source == MonthlyTopic.FROM_CANDIDATE and topic.candidate_figures["score"] == 81.8
    detail = client.get(response["Location"]).content.decode()
    assert (
        "选题依据：2026-06全市候选第 1 名，得分 81.8" in detail
        and "已选题" in detail
        and topic.month == date(2026, 7, 1)
    )
    assert "已选题" in _get(client, supervisor, "/insight/month-topics/candidates/", month="2026-06").content.decode()


@pytest.mark.django_db
def test_steering_through_the_pages_and_bad_input_writes_nothing_R24_1(
    client, make_user, supervisor, wangjing_office, month_orders
):
    client.force_login(supervisor)
    before = _counts()
    response = client.post("/insight/month-topics/new/", {"month": "2026-07", "title": "", "matters": [FUMES]})
    assert response.status_code == 400 and "请填写题目" in response.content.decode()
    response = client.post("/insight/month-topics/new/", {"month": "七月", "title": "油烟", "matters": [FUMES]})
    assert response.status_code == 400 and "格式不对" in response.content.decode()
    assert _counts() == before
    assert (
        client.post(
            "/insight/month-topics/new/", {"month": "2026-07", "title": "餐饮油烟", "matters": [FUMES], "places": []}
        ).status_code
        == 302
    )
    topic = MonthlyTopic.objects.get()
    base = f"/insight/month-topics/{topic.pk}/"
    assert client.post(base + "plan/", {"plan": "方案", "lead_unit": wangjing_office.pk}).status_code == 400
    assert client.post(base + "study/", {"study": "调研完成"}).status_code == 302
    assert client.post(base + "plan/", {"plan": "方案", "lead_unit": wangjing_office.pk}).status_code == 302
    before = _counts()
    response = client.post(
        base + "tasks/", {"unit": wangjing_office.pk, "description": "排查", "deadline": "2026-02-30"}
    )
    assert response.status_code == 400 and "不是有效日期" in response.content.decode()
    response = client.post(base + "tasks/", {"unit": "", "description": "排查", "deadline": "2026-08-01"})
    assert response.status_code == 400 and "请选择责任单位" in response.content.decode()
    assert _counts() == before
    assert (
        client.post(
            base + "tasks/", {"unit": wangjing_office.pk, "description": "排查", "deadline": "2026-08-01"}
        ).status_code
        == 302
    )
    page = client.get(base).content.decode()
    assert "推进中" in page and "排查" in page and "chart-effect" in page and "js/echarts.min.js" in page
    assert "启动前 30 天" in page and "下达任务" in page
    # Others may read but not steer.
    analyst = make_user(roles.ANALYST)
    client.force_login(analyst)
    assert client.get(base).status_code == 200
    assert client.post(base + "close/", {"note": "办结"}).status_code == 403
    assert client.get("/insight/month-topics/new/").status_code == 403
    client.force_login(supervisor)
    assert client.post(base + "close/", {"note": ""}).status_code == 400
    assert client.post(base + "close/", {"note": "成效明显"}).status_code == 302
    assert MonthlyTopic.objects.get().get_state_display() == "已办结"
    assert "办结说明" in client.get(base).content.decode()
