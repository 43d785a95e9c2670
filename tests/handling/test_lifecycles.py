"""One full lifecycle per handling path, through the services (R14.1-R22.1, R33.1)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jiesu.catalog.models import Matter
from jiesu.dispatch import services as dispatch_services
from jiesu.handling import selectors, services
from jiesu.handling.models import Escalation, ExtensionRequest, ReportIn
from jiesu.notifications.models import Delivery, Notification
from jiesu.orders.models import OrderUnit

from .conftest import actions_of

pytestmark = pytest.mark.django_db


def test_lead_only_lifecycle_contact_stops_response_clock_R15_1(
    wangjing_order, handler, wangjing_office, django_capture_on_commit_callbacks, _sms_outbox
):
    order = wangjing_order
    assert [i.order for i in selectors.workbench(handler)] == [order]

    services.accept(order, actor=handler)
    order.refresh_from_db()
    assert order.status == "in_progress"
    with pytest.raises(ValidationError, match="先联系诉求人"):
        services.reply(order, actor=handler, result="resolved", public_text="已联系物业，电梯已修好并恢复运行。")

    services.record_contact(order, actor=handler, method="phone", outcome="no_answer")
    part = OrderUnit.objects.get(order=order, unit=wangjing_office, active=True)
    assert part.first_contact_at is None  # an unanswered call is an attempt, not a response

    services.record_contact(order, actor=handler, method="phone", outcome="reached", note="约定明天上门查看")
    part.refresh_from_db()
    assert part.first_contact_at is not None
    contact = order.events.filter(action="contact_recorded").last()
    assert contact.data["stops_response_clock"] and contact.data["responded_in_time"]

    with django_capture_on_commit_callbacks(execute=True):
        reply = services.reply(
            order,
            actor=handler,
            result="resolved",
            public_text="经协调物业公司，电梯已于今日修复并通过检验，恢复正常运行。",
            internal_notes="物业经理王某承认维保合同到期未续签，已责令续签。",
        )
    order.refresh_from_db()
    assert order.status == "replied"
    # The public reply and the internal notes are separate fields; the requester gets only the public text.
    assert "维保合同" not in reply.public_text and "维保合同" in reply.internal_notes
    assert _sms_outbox and _sms_outbox[-1][0] == "13800138000" and "维保合同" not in _sms_outbox[-1][1]
    sms = Delivery.objects.get(notification__audience="requester", notification__order=order)
    assert sms.status == "sent" and sms.channel == "sms"
    assert Notification.objects.filter(recipient_unit__code="centre", kind="replied", order=order).exists()
    assert actions_of(order)[3:] == ["accepted", "contact_recorded", "contact_recorded", "replied"]
    assert selectors.workbench(handler) == []


def test_lead_with_two_assisting_units_each_with_own_deadline_R14_1(wangjing_order, handler, member, dept):
    order = wangjing_order
    housing, market = dept("housing"), dept("market_regulation")
    services.accept(order, actor=handler)
    lead_due = OrderUnit.objects.get(order=order, role="lead").due_at

    soon = timezone.now() + timedelta(days=2)
    services.add_assisting_unit(order, actor=handler, unit=housing, task="核查物业服务合同及维保责任", due_at=soon)
    services.add_assisting_unit(order, actor=handler, unit=market, task="核查电梯维保单位资质")
    parts = {p.unit_id: p for p in OrderUnit.objects.filter(order=order, role="assist")}
    assert parts[housing.pk].due_at == soon
    assert parts[market.pk].due_at <= lead_due  # rule deadline, never after the lead's
    with pytest.raises(ValidationError, match="不能晚于主办单位"):
        services.add_assisting_unit(
            order, actor=handler, unit=dept("ecology"), task="核查噪声污染情况", due_at=lead_due + timedelta(days=1)
        )
    with pytest.raises(ValidationError, match="已是该工单"):
        services.add_assisting_unit(order, actor=handler, unit=housing, task="重复添加同一单位")

    h, m = member(housing), member(market)
    with pytest.raises(PermissionDenied):  # an assisting unit does not coordinate others
        services.add_assisting_unit(order, actor=h, unit=market, task="请协助核查资质")
    for helper in (h, m):
        services.accept(order, actor=helper)
    services.report_part(order, actor=h, text="已约谈物业公司，维保合同已于今日续签，附合同复印件。")
    services.report_part(order, actor=m, final=False, text="维保单位资质材料在区档案馆调取中，预计三个工作日内完成。")
    assert OrderUnit.objects.get(pk=parts[market.pk].pk).finished_at is None  # a stage report leaves the part open
    services.report_part(order, actor=m, text="维保单位资质有效，已督促其加强日常巡检。")
    assert Notification.objects.filter(recipient_unit=handler.unit, kind="part_reported").count() == 3

    services.record_contact(order, actor=handler, method="visit", outcome="reached")
    services.reply(
        order,
        actor=handler,
        result="partly",
        public_text="电梯已修复，物业服务合同已续签。",
        unresolved_reason="更换整部电梯需业主大会表决并动用维修资金，已告知申请程序。",
    )
    order.refresh_from_db()
    assert order.status == "replied"
    reports = order.events.filter(action="part_reported")
    assert [e.data["final"] for e in reports] == [True, False, True] and all(e.data["on_time"] for e in reports)


def test_reply_not_resolved_needs_the_objective_reason_R15_1(wangjing_order, handler):
    services.accept(wangjing_order, actor=handler)
    services.record_contact(wangjing_order, actor=handler, method="phone", outcome="reached")
    with pytest.raises(ValidationError) as err:
        services.reply(wangjing_order, actor=handler, result="unresolved", public_text="经核实，该电梯需要整体更换。")
    assert "客观原因" in str(err.value.message_dict["unresolved_reason"])


def test_whistle_with_three_departments_both_sides_recorded_R16_1(
    wangjing_order, handler, member, dept, wangjing_office
):
    order = wangjing_order
    depts = [dept("urban_enforcement"), dept("market_regulation"), dept("ecology")]
    services.accept(order, actor=handler)
    whistle = services.blow_whistle(
        order,
        actor=handler,
        departments=depts,
        hours=2,
        note="小区出入口占道经营和油烟扰民，需执法、市场监管、生态环境联合处置",
    )
    calls = list(whistle.calls.select_related("department"))
    assert [c.department for c in calls] == depts
    assert all(c.due_at - whistle.blown_at == timedelta(hours=2) for c in calls)  # natural hours: going there is 24/7

    for d in depts:
        person = member(d)
        assert order in [i.order for i in selectors.workbench(person)]
        call = ReportIn.objects.get(whistle=whistle, department=d)
        with pytest.raises(ValidationError, match="请先完成“响应”"):
            services.report_in(call, actor=person, step="arrive")
        services.report_in(call, actor=person, step="acknowledge")
        services.report_in(call, actor=person, step="arrive", note="执法队员已到场")
        with pytest.raises(ValidationError, match="处置情况"):
            services.report_in(call, actor=person, step="act")
        services.report_in(call, actor=person, step="act", note=f"{d.name}已现场处置并立案")
        assert selectors.workbench(person) == []  # reported in: nothing more owed on this order
    with pytest.raises(PermissionDenied):  # only the office that blew the whistle rates the report-in
        services.confirm_report_in(calls[0], actor=member(depts[1]), satisfied=True)
    services.confirm_report_in(calls[0], actor=handler, satisfied=True)
    services.confirm_report_in(calls[1], actor=handler, satisfied=False, note="到场后未立即处置，次日才立案")
    events = order.events.filter(action="reported_in")
    assert events.count() == 9 and all(e.data["on_time"] for e in events)
    assert order.events.filter(action="report_in_confirmed").count() == 2
    assert Notification.objects.filter(recipient_unit=wangjing_office, kind="reported_in").count() == 9
    rows = ReportIn.objects.filter(whistle=whistle).order_by("id")
    assert [r.office_satisfied for r in rows] == [True, False, None]


def test_only_township_offices_blow_the_whistle_R16_1(wangjing_order, handler, member, dept):
    services.accept(wangjing_order, actor=handler)
    housing = dept("housing")
    services.add_assisting_unit(wangjing_order, actor=handler, unit=housing, task="核查物业服务合同")
    services.accept(wangjing_order, actor=member(housing))
    with pytest.raises(PermissionDenied, match="街道（乡镇）"):
        services.blow_whistle(
            wangjing_order, actor=member(housing), departments=[dept("ecology")], note="需要生态环境部门到场"
        )
    with pytest.raises(ValidationError, match="职能部门"):
        services.blow_whistle(wangjing_order, actor=handler, departments=[housing.parent], note="请区政府到场")


def test_extension_refused_then_approved_requester_told_R15_1(
    wangjing_order, handler, supervisor, wangjing_office, django_capture_on_commit_callbacks, _sms_outbox
):
    order = wangjing_order
    services.accept(order, actor=handler)
    due_before = OrderUnit.objects.get(order=order, role="lead").due_at
    first = services.request_extension(order, actor=handler, reason="需等待业主大会表决维修资金使用", extra_days=5)
    with pytest.raises(ValidationError, match="待审批"):
        services.request_extension(order, actor=handler, reason="再次申请延期十个工作日以上", extra_days=10)
    with pytest.raises(PermissionDenied):  # the unit cannot approve its own extension
        services.decide_extension(first, actor=handler, approve=True)
    with pytest.raises(ValidationError, match="理由"):
        services.decide_extension(first, actor=supervisor, approve=False)
    first = services.decide_extension(first, actor=supervisor, approve=False, note="可先行维修，不需要表决")
    order.refresh_from_db()
    assert order.due_at == due_before and first.status == ExtensionRequest.REFUSED

    second = services.request_extension(order, actor=handler, reason="电梯主板需厂家定制，到货需要一周", extra_days=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_extension(second, actor=supervisor, approve=True, note="同意")
    order.refresh_from_db()
    second.refresh_from_db()
    assert second.status == ExtensionRequest.APPROVED and order.due_at == second.new_due > due_before
    assert OrderUnit.objects.get(order=order, role="lead").due_at == second.new_due
    assert Notification.objects.filter(audience="requester", order=order, kind="extension_approved").count() == 1
    assert any("延期" in text for _, text in _sms_outbox)
    assert Notification.objects.filter(recipient_unit=wangjing_office, kind="extension_refused").exists()
    assert actions_of(order).count("extension_requested") == 2
    assert order in list(selectors.repeated_extensions())  # R33.1: repeated extensions show on the board


def test_escalation_to_district_municipal_and_industry_R20_1(wangjing_order, handler, member, unit, wangjing_office):
    order = wangjing_order
    services.accept(order, actor=handler)
    esc = services.escalate(
        order, actor=handler, level=Escalation.DISTRICT, reason="物业公司拒不配合，街道协调三次无果，需区政府统筹"
    )
    district_gov = wangjing_office.parent
    assert esc.to_unit == district_gov
    gov_member = member(district_gov)
    assert order in [i.order for i in selectors.workbench(gov_member)]
    with pytest.raises(PermissionDenied):
        services.answer_escalation(esc, actor=member(unit("gov")), instructions="由区住建委牵头约谈物业公司")
    services.answer_escalation(esc, actor=gov_member, instructions="由区住建委牵头约谈物业公司，街道负责跟踪落实。")
    esc.refresh_from_db()
    assert (
        esc.answered_at
        and Notification.objects.filter(recipient_unit=wangjing_office, kind="escalation_answered").exists()
    )
    assert selectors.workbench(gov_member) == []

    to_city = services.escalate(
        order, actor=handler, level=Escalation.MUNICIPAL, reason="涉及全市老旧电梯更新政策，需市级统筹"
    )
    assert to_city.to_unit.code == "gov"
    with pytest.raises(ValidationError, match="行业主管部门"):
        services.escalate(order, actor=handler, level=Escalation.INDUSTRY, reason="需要行业主管部门明确电梯维保标准")
    industry = services.escalate(
        order,
        actor=handler,
        level=Escalation.INDUSTRY,
        authority=unit("city-market_regulation"),
        reason="需要行业主管部门明确电梯维保标准",
    )
    assert industry.to_unit.code == "city-market_regulation"
    assert actions_of(order).count("escalated") == 3


def test_lead_cannot_hand_back_objection_accepted_redispatches_R14_1_R12_4(
    wangjing_order, handler, dispatcher, other_office, member
):
    order = wangjing_order
    services.accept(order, actor=handler)
    # There is no hand-back action; a lead's only way out is an objection to the dispatch.
    from jiesu.handling.actions import ACTIONS

    assert "object" in ACTIONS and not {"return", "hand_back", "send_back"} & set(ACTIONS)
    objection = dispatch_services.raise_objection(
        order, actor=handler, grounds="territory", reason="花家地北里属望京街道，但该楼栋产权属东华门街道辖区单位"
    )
    dispatch_services.accept_objection(
        objection,
        actor=dispatcher,
        note="属地核实，改派",
        matter_code=order.matter_code,
        units=[dispatch_services.UnitChoice(other_office, "lead")],
    )
    order.refresh_from_db()
    assert order.status == "dispatched" and order.lead_unit == other_office
    assert selectors.workbench(handler) == []
    with pytest.raises(PermissionDenied):
        services.record_contact(order, actor=handler, method="phone", outcome="reached")
    other = member(other_office)
    services.accept(order, actor=other)
    services.record_contact(order, actor=other, method="phone", outcome="reached")
    services.reply(order, actor=other, result="resolved", public_text="已协调产权单位修复电梯，恢复运行。")
    assert actions_of(order)[-5:] == ["objection_accepted", "dispatched", "accepted", "contact_recorded", "replied"]


def test_community_committee_only_assists_on_listed_matters_R17_1(wangjing_order, handler, member, wangjing_office):
    from jiesu.directory.models import Unit

    order = wangjing_order
    committee = Unit.objects.filter(kind="community_committee", parent=wangjing_office).first()
    services.accept(order, actor=handler)
    Matter.objects.filter(code=order.matter_code).update(community_may_assist=False)  # the duty list is data
    with pytest.raises(ValidationError) as err:
        services.add_assisting_unit(order, actor=handler, unit=committee, task="请社区入户了解情况")
    assert "不在社区（村）职责清单内" in err.value.message_dict["unit"][0]
    Matter.objects.filter(code=order.matter_code).update(community_may_assist=True)
    services.add_assisting_unit(order, actor=handler, unit=committee, task="请社区入户了解情况")
    services.accept(order, actor=member(committee))
    services.report_part(order, actor=member(committee), text="已入户了解，居民反映电梯每周至少故障两次。")


def test_community_committee_never_accepts_as_lead_R17_1(take, dispatcher, member, wangjing_office):
    from jiesu.directory.models import Unit
    from jiesu.orders import services as order_services

    order = take(content="朝阳区望京街道某小区楼道堆物，请社区清理", kind="help")
    committee = Unit.objects.filter(kind="community_committee", parent=wangjing_office).first()
    if order.status != "dispatched":
        order_services.change_status(
            order, "pending_review", actor=None, action="queued_for_review"
        ) if order.status == "received" else None
    order_services.dispatch_order(order, actor=dispatcher, assignments=[order_services.Assignment(committee, "lead")])
    with pytest.raises(ValidationError, match="只能协办"):
        services.accept(order, actor=member(committee))


def test_central_matter_transferred_to_liaison_and_followed_up_R22_1(take, supervisor, member, unit):
    order = take(content="海淀区某部队大院内的家属楼供暖不热，物业说归部队管，请帮忙协调", kind="help")
    liaison = unit("central")
    services.transfer_to_central(order, actor=supervisor, reason="部队营区家属楼，属军产，转联络办")
    order.refresh_from_db()
    assert order.lead_unit == liaison and order.status == "dispatched"
    assert order in list(selectors.supervision_board()["central"])
    person = member(liaison)
    services.accept(order, actor=person)
    services.forward_to_central_organ(order, actor=person, organ="某部队营房管理处", note="已电话和函件转交")
    sup = services.supervise(
        order,
        actor=supervisor,
        reason="central_follow_up",
        message="请跟进部队营房处办理进度",
        new_due=timezone.now() + timedelta(days=3),
    )
    assert sup.unit == liaison and Notification.objects.filter(recipient_unit=liaison, kind="supervised").exists()
    services.record_central_feedback(order, actor=person, text="营房处已安排维修供暖管线，本周内完成。")
    services.record_contact(order, actor=person, method="phone", outcome="reached")
    services.reply(order, actor=person, result="resolved", public_text="部队营房管理处已维修供暖管线，室温恢复正常。")
    assert actions_of(order)[-7:] == [
        "central_transferred",
        "accepted",
        "central_forwarded",
        "supervised",
        "central_feedback",
        "contact_recorded",
        "replied",
    ]


def test_supervision_board_and_chasing_R33_1(
    wangjing_order, take, handler, supervisor, dispatcher, member, wangjing_office
):
    order = wangjing_order
    services.accept(order, actor=handler)
    OrderUnit.objects.filter(order=order, role="lead").update(due_at=timezone.now() - timedelta(hours=1))
    assert order.pk in [p.order_id for p in selectors.overdue_parts()]
    new_due = timezone.now() + timedelta(days=2)
    with pytest.raises(PermissionDenied):
        services.supervise(order, actor=handler, reason="overdue", message="自己给自己延期", new_due=new_due)
    services.supervise(order, actor=supervisor, reason="overdue", message="已超期，请于两日内答复", new_due=new_due)
    order.refresh_from_db()
    assert order.due_at == new_due and order.pk not in [p.order_id for p in selectors.overdue_parts()]

    # A "resolved" reply the requester disputes goes back to the unit with a new deadline.
    services.record_contact(order, actor=handler, method="phone", outcome="reached")
    services.reply(order, actor=handler, result="resolved", public_text="电梯已修复，恢复正常运行。")
    services.record_dispute(order, actor=supervisor, note="诉求人称电梯当天又坏了，并未解决")
    assert order.pk in [r.order_id for r in selectors.disputed_replies()]
    services.supervise(
        order,
        actor=supervisor,
        reason="disputed",
        message="诉求人反映未解决，请核实后重新答复",
        new_due=timezone.now() + timedelta(days=1),
    )
    order.refresh_from_db()
    assert order.status == "in_progress" and order in [i.order for i in selectors.workbench(handler)]

    # Rejected objections are on the board while the order is open.
    second = take(requester_phone="13900139000")  # another caller: the same caller would be a repeat (R11.3)
    dispatch_services.raise_objection(
        second, actor=handler, grounds="duty", reason="电梯维保属市场监管部门职责，非街道职责"
    )
    dispatch_services.reject_objection(second.objections.get(), actor=dispatcher, note="物业管理属街道属地职责")
    assert second.pk in [o.order_id for o in selectors.rejected_objections()]


def test_an_action_takes_the_part_the_page_offers_it_for(wangjing_order, handler):
    """A unit with two active parts in one order, the older one finished: the page offers the
    action for the open part (selectors.my_part), and the service acts on that same part."""
    older = OrderUnit.objects.get(order=wangjing_order, unit=handler.unit, role="lead")
    OrderUnit.objects.filter(pk=older.pk).update(
        accepted_at=older.assigned_at + timedelta(minutes=5), finished_at=older.assigned_at + timedelta(hours=1)
    )
    newer = OrderUnit.objects.create(
        order=wangjing_order, unit=handler.unit, role="lead", active=True, assigned_at=timezone.now()
    )
    assert selectors.my_part(wangjing_order, handler).pk == newer.pk
    assert services.accept(wangjing_order, actor=handler).pk == newer.pk
    newer.refresh_from_db()
    assert newer.accepted_at is not None
