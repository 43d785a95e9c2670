"""每月一题 services (R24.1): candidates ranked from the month's orders with their figures, the
topic's states through one function per change (each recorded), who may do what, and the effect
counted from the orders before and after the plan started."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from jiesu.core import roles
from jiesu.insight import monthly
from jiesu.insight.models import MonthlyTopic, MonthlyTopicEvent, TaskReport, TopicTask

from .conftest import FUMES, NOISE, NOW


@pytest.fixture
def supervisor(make_user):
    return make_user(roles.SUPERVISOR, display_name="督办员老张")


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.mark.django_db
def test_candidates_rank_the_months_matters_on_volume_growth_repeats_dissatisfaction_spread_R24_1(
    month_orders, chaoyang, clock
):
    found = monthly.candidates(date(2026, 6, 1))
    assert [c.matter_code for c in found] == [FUMES, NOISE]
    fumes, noise = found
    assert (fumes.orders, fumes.previous, fumes.repeat_callers, fumes.repeat_orders) == (6, 2, 1, 3)
    assert (fumes.visited, fumes.unsatisfied, fumes.districts, fumes.townships) == (3, 2, 1, 2)
    # 35 volume + 20*(4/5) growth + 15*(3/6) repeats + 20*(2/3) dissatisfaction + 10 spread
    assert fumes.points == {"volume": 35.0, "growth": 16.0, "repeat": 7.5, "dissatisfaction": 13.3, "spread": 10.0}
    assert fumes.score == 81.8 and fumes.rank == 1 and fumes.growth_pct == 200.0 and fumes.unsatisfied_pct == 66.7
    assert (noise.orders, noise.previous, noise.growth, noise.points["growth"], noise.points["spread"]) == (
        5,
        5,
        0,
        0,
        5.0,
    )
    assert fumes.top_places == [("朝阳区", 6)] and fumes.matter == "餐饮油烟"
    # Inside one district the same ranking names its townships.
    local = monthly.candidates(date(2026, 6, 1), district=chaoyang["district"])[0]
    assert (
        local.orders == 6 and sorted(n for _, n in local.top_places) == [3, 3] and "望京街道" in dict(local.top_places)
    )
    # May has only the noise orders in numbers; the fume orders are too few to be a candidate.
    assert [c.matter_code for c in monthly.candidates(date(2026, 5, 1))] == [NOISE]
    assert monthly.candidates(date(2026, 3, 1)) == []


@pytest.mark.django_db
def test_a_topic_goes_through_its_states_each_change_recorded_R24_1(
    month_orders, supervisor, make_user, chaoyang, wangjing_office, clock
):
    from jiesu.directory.models import Unit
    from jiesu.notifications.models import Notification

    top = monthly.candidates(date(2026, 6, 1))[0]
    topic = monthly.choose_topic(
        actor=supervisor,
        month=date(2026, 7, 1),
        title="餐饮油烟扰民集中治理",
        matter_codes=[FUMES],
        places=[chaoyang["district"]],
        candidate=top,
    )
    assert topic.state == MonthlyTopic.CHOSEN and topic.get_state_display() == "已选题"
    assert topic.candidate_figures["score"] == 81.8 and topic.source == MonthlyTopic.FROM_CANDIDATE
    with pytest.raises(ValidationError) as exc:
        monthly.adopt_plan(topic, actor=supervisor, plan="方案", lead_unit=wangjing_office)
    assert "请先报送调研情况" in str(exc.value)
    topic = monthly.record_study(topic, actor=supervisor, study="走访发现油烟净化器普遍未清洗。")
    assert topic.get_state_display() == "调研中"
    district_gov = Unit.objects.get(kind="district_gov", district=chaoyang["district"])
    topic = monthly.adopt_plan(topic, actor=supervisor, plan="区政府牵头，街道逐户排查。", lead_unit=district_gov)
    assert topic.get_state_display() == "推进中" and topic.started_at == NOW and topic.lead_unit == district_gov
    city = Unit.objects.filter(kind="city_department").order_by("code").first()
    tasks = [
        monthly.assign_task(topic, actor=supervisor, unit=u, description="排查并整改。", deadline=date(2026, 8, 10))
        for u in (city, district_gov, wangjing_office)
    ]
    assert [t.get_level_display() for t in tasks] == ["市级", "区级", "街乡镇"]
    assert Notification.objects.filter(recipient_unit=wangjing_office, kind="monthly_topic_task").count() == 1

    handler = make_user(roles.UNIT_HANDLER, wangjing_office)
    clock.shift(timedelta(days=2))
    first = monthly.report_progress(tasks[2], actor=handler, text="已排查20户，整改8户。", progress=40)
    fixed = monthly.report_progress(tasks[2], actor=handler, text="更正：已整改9户。", progress=45, corrects=first)
    done = monthly.report_progress(tasks[2], actor=handler, text="全部整改完毕。", progress=80, done=True)
    tasks[2].refresh_from_db()
    assert (tasks[2].state, tasks[2].progress, done.progress) == (TopicTask.DONE, 100, 100)
    assert fixed.corrects == first and TaskReport.objects.filter(task=tasks[2]).count() == 3  # the wrong one stays

    topic = monthly.close_topic(topic, actor=supervisor, note="油烟投诉明显下降。")
    assert topic.get_state_display() == "已办结"
    actions = list(topic.events.values_list("action", flat=True))
    assert actions == [
        "chosen",
        "study_recorded",
        "plan_adopted",
        "task_assigned",
        "task_assigned",
        "task_assigned",
        "progress_reported",
        "progress_corrected",
        "progress_reported",
        "closed",
    ]
    assert topic.events.last().data["open_tasks"] == 2
    with pytest.raises(ValidationError):
        monthly.record_study(topic, actor=supervisor, study="再调研")
    with pytest.raises(ValidationError):
        monthly.report_progress(tasks[0], actor=make_user(roles.UNIT_HANDLER, city), text="进展", progress=10)
    # History is append-only: the database refuses an edit made behind the services' back.
    with pytest.raises(DatabaseError), transaction.atomic():
        MonthlyTopicEvent.objects.filter(topic=topic).update(action="closed")
    with pytest.raises(DatabaseError), transaction.atomic():
        TaskReport.objects.filter(pk=first.pk).delete()


@pytest.mark.django_db
def test_only_managers_steer_and_only_the_unit_reports_on_its_task_R24_1(
    month_orders, supervisor, make_user, wangjing_office, other_office, clock
):
    for role in (roles.ANALYST, roles.DISPATCHER, roles.CITY_OVERSIGHT):
        with pytest.raises(PermissionDenied):
            monthly.choose_topic(actor=make_user(role), month=date(2026, 7, 1), title="题目", matter_codes=[FUMES])
    bureau = make_user(roles.BUREAU_ADMIN, "bureau")
    topic = monthly.choose_topic(actor=bureau, month=date(2026, 7, 1), title="油烟", matter_codes=[FUMES])
    monthly.record_study(topic, actor=supervisor, study="调研")
    monthly.adopt_plan(topic, actor=supervisor, plan="方案", lead_unit=wangjing_office)
    task = monthly.assign_task(
        topic, actor=supervisor, unit=wangjing_office, description="整改", deadline=date(2026, 7, 30)
    )
    with pytest.raises(PermissionDenied):
        monthly.assign_task(
            topic,
            actor=make_user(roles.UNIT_ADMIN, wangjing_office),
            unit=wangjing_office,
            description="自己给自己派",
            deadline=date(2026, 7, 30),
        )
    for outsider in (make_user(roles.UNIT_HANDLER, other_office), supervisor):
        with pytest.raises(PermissionDenied):
            monthly.report_progress(task, actor=outsider, text="进展", progress=10)
    assert not TaskReport.objects.exists()
    # Visibility: a unit its own tasks only; another unit nothing.
    other_task = monthly.assign_task(
        topic, actor=supervisor, unit=other_office, description="配合", deadline=date(2026, 7, 30)
    )
    mine = make_user(roles.UNIT_HANDLER, wangjing_office)
    assert list(monthly.tasks_visible_to(mine, topic)) == [task]
    assert list(monthly.tasks_visible_to(make_user(roles.ANALYST), topic)) == [task, other_task]
    assert list(monthly.topics_visible_to(mine)) == [topic]
    assert not monthly.topics_visible_to(make_user(roles.UNIT_HANDLER, "centre")).exists()
    assert not monthly.topics_visible_to(make_user(roles.CALL_TAKER)).exists()


@pytest.mark.django_db
def test_bad_input_is_refused_with_the_field_named_and_nothing_written_R24_1(
    supervisor, wangjing_office, make_user, clock
):
    def refused(field, fn, **kwargs):
        before = (
            MonthlyTopic.objects.count(),
            TopicTask.objects.count(),
            MonthlyTopicEvent.objects.count(),
            TaskReport.objects.count(),
        )
        with pytest.raises(ValidationError) as exc:
            fn(**kwargs)
        assert field in exc.value.message_dict, exc.value.message_dict
        assert before == (
            MonthlyTopic.objects.count(),
            TopicTask.objects.count(),
            MonthlyTopicEvent.objects.count(),
            TaskReport.objects.count(),
        )
        return exc.value.message_dict[field][0]

    choose = monthly.choose_topic
    assert "请填写题目" in refused(
        "title", choose, actor=supervisor, month=date(2026, 7, 1), title=" ", matter_codes=[FUMES]
    )
    assert "没有这些事项" in refused(
        "matters", choose, actor=supervisor, month=date(2026, 7, 1), title="题", matter_codes=["no.such.matter"]
    )
    assert "至少选择一个事项" in refused("matters", choose, actor=supervisor, month=date(2026, 7, 1), title="题")
    assert "个人信息" in refused(
        "title", choose, actor=supervisor, month=date(2026, 7, 1), title="13912345678反映油烟", matter_codes=[FUMES]
    )
    topic = choose(actor=supervisor, month=date(2026, 7, 1), title="油烟", matter_codes=[FUMES])
    monthly.record_study(topic, actor=supervisor, study="调研")
    assert "牵头单位" in refused(
        "lead_unit", monthly.adopt_plan, topic=topic, actor=supervisor, plan="方案", lead_unit=None
    )
    monthly.adopt_plan(topic, actor=supervisor, plan="方案", lead_unit=wangjing_office)
    assert "已经过去" in refused(
        "deadline",
        monthly.assign_task,
        topic=topic,
        actor=supervisor,
        unit=wangjing_office,
        description="整改",
        deadline=date(2026, 7, 19),
    )
    from jiesu.directory.models import Unit

    hotline = Unit.objects.get(code="centre")
    assert "不是市、区或街乡镇" in refused(
        "unit",
        monthly.assign_task,
        topic=topic,
        actor=supervisor,
        unit=hotline,
        description="整改",
        deadline=date(2026, 7, 30),
    )
    task = monthly.assign_task(
        topic, actor=supervisor, unit=wangjing_office, description="整改", deadline=date(2026, 7, 30)
    )
    handler = make_user(roles.UNIT_HANDLER, wangjing_office)
    assert "0到100" in refused(
        "progress", monthly.report_progress, task=task, actor=handler, text="进展", progress="很多"
    )
    assert "0到100" in refused("progress", monthly.report_progress, task=task, actor=handler, text="进展", progress=120)
    assert "个人信息" in refused(
        "text", monthly.report_progress, task=task, actor=handler, text="已联系居民，电话13912345678", progress=10
    )
    assert "月份" in str(pytest.raises(ValidationError, monthly.parse_month, "2026-13").value)


@pytest.mark.django_db
def test_the_effect_is_counted_from_the_orders_before_and_after_the_plan_started_R24_1(
    make_order, supervisor, wangjing_office, chaoyang, clock
):
    from jiesu.followup.models import ReturnVisit
    from jiesu.orders.models import WorkOrder

    def order(at, matter=FUMES, township=None):
        with time_machine.travel(at, tick=False):
            o = make_order(content="楼下餐馆油烟太大")
        WorkOrder.objects.filter(pk=o.pk).update(
            matter_code=matter, district=chaoyang["district"], subdistrict=township or chaoyang["wangjing"]
        )
        return o

    before = [order(NOW - timedelta(days=d)) for d in (3, 10, 20, 25)]
    order(NOW - timedelta(days=40))  # outside the 30-day window
    order(NOW - timedelta(days=5), matter=NOISE)  # another matter
    ReturnVisit.objects.create(
        order=before[0], reason="replied", state="done", queued_at=NOW, satisfaction="unsatisfied"
    )
    topic = monthly.choose_topic(
        actor=supervisor, month=date(2026, 7, 1), title="油烟", matter_codes=[FUMES], places=[chaoyang["wangjing"]]
    )
    monthly.record_study(topic, actor=supervisor, study="调研")
    topic = monthly.adopt_plan(topic, actor=supervisor, plan="方案", lead_unit=wangjing_office)
    assert topic.started_at == NOW
    order(NOW + timedelta(days=4))
    order(NOW + timedelta(days=6), township=chaoyang["other"])  # another township: not in the topic's places
    later = NOW + timedelta(days=15)
    effect = monthly.measure_effect(topic, now=later)
    assert (effect.before, effect.after, effect.after_days) == (4, 1, 15.0)
    assert (effect.before_unsatisfied, effect.before_visited, effect.after_visited) == (1, 1, 0)
    assert (effect.before_rate, effect.after_rate, effect.change_pct) == (4.0, 2.0, -50.0)
    assert effect.months == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08"]
    # June: the 10th, 25th and 30th; July: the 10th, 17th and 24th (the other township's is not the topic's).
    assert effect.monthly == [0, 0, 0, 0, 0, 3, 3, 0]
    wide = monthly.measure_effect(topic, window_days=60, now=later)
    assert wide.before == 5
    # Counted from the orders now: an order reclassified away from the matter leaves the count.
    WorkOrder.objects.filter(pk=before[1].pk).update(matter_code=NOISE)
    assert monthly.measure_effect(topic, now=later).before == 3
