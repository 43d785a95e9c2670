"""Unit handling: one function per action a unit or the centre takes after dispatch (R14-R22, R33).

Every function checks who is acting (role and unit), checks the order is in a state that
allows the action, writes the new state and appends an OrderEvent through
jiesu.orders.services in one transaction, and tells whoever must know through
jiesu.notifications (delivered after commit). Errors are Django ValidationError keyed by the
form field, or PermissionDenied, in Chinese, so screens and the API show them as they are.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jiesu.catalog.models import Matter
from jiesu.core import redact, roles, rows
from jiesu.directory.models import Unit
from jiesu.dispatch.runtime import current_engine, directory_objects, order_deadlines
from jiesu.engine import units as unit_kinds
from jiesu.engine.deadlines import due
from jiesu.engine.rules import NATURAL_HOURS, WORKING_DAYS, Limit
from jiesu.notifications import services as notify
from jiesu.orders import choices
from jiesu.orders import selectors as order_selectors
from jiesu.orders import services as order_services
from jiesu.orders.models import EVENT_MARGIN, OrderEvent, OrderUnit, WorkOrder

from .models import RESOLVED, RESULTS, Escalation, ExtensionRequest, Reply, ReportIn, Supervision, Whistle

CONTACT_METHODS = [("phone", "电话"), ("sms", "短信"), ("visit", "上门"), ("meeting", "约见"), ("online", "网络")]
CONTACT_OUTCOMES = [
    ("reached", "已联系上"),
    ("no_answer", "无人接听"),
    ("unreachable", "无法接通"),
    ("refused", "拒绝沟通"),
]
# Only a conversation with the requester counts as the response (R15.1); attempts are kept too.
REAL_CONTACT = {"reached"}
REPORT_IN_STEPS = [("acknowledge", "响应"), ("arrive", "到场"), ("act", "处置")]
DEPARTMENT_KINDS = {unit_kinds.CITY_DEPARTMENT, unit_kinds.DISTRICT_DEPARTMENT, unit_kinds.ENTERPRISE}
CENTRE_UNIT = "centre"
CENTRAL_LIAISON_UNIT = "central"


# Checks ------------------------------------------------------------------------------------


def _unit_member(actor) -> None:
    if getattr(actor, "role", None) not in roles.UNIT_ROLES or not getattr(actor, "unit_id", None):
        raise PermissionDenied("只有承办单位的人员可以办理工单。")


def _centre(actor) -> None:
    if not roles.is_centre_actor(actor):
        raise PermissionDenied("只有市民热线服务中心的派单员或督办员可以进行此操作。")


def _part(order: WorkOrder, actor, role_names=choices.WORKING_ROLES, *, what: str = "承办") -> OrderUnit:
    """The actor's unit's active part in the order, locked; PermissionDenied for anyone else."""
    _unit_member(actor)
    if not role_names:
        raise ValueError("_part needs at least one role")
    # Locked: the part row only; the unit row is read, not locked: locking it made every action
    # of one unit (a district bureau has thousands of open orders) wait for the others' commits.
    # A statement built once (jiesu.core.rows): every action reads its part.
    roles_in = ", ".join(["%s"] * len(role_names))
    found = rows.one(
        OrderUnit,
        f'"orders_orderunit"."order_id" = %s AND "orders_orderunit"."unit_id" = %s '
        f'AND "orders_orderunit"."active" = %s AND "orders_orderunit"."role" IN ({roles_in})',
        [order.pk, actor.unit_id, True, *role_names],
        lock=True,
        # The open part first, as the order page chooses the part it offers actions for
        # (selectors.my_part): a unit's older, finished part must not take the action.
        order_by='"orders_orderunit"."finished_at" ASC NULLS FIRST, "orders_orderunit"."id"',
        join="unit",
    )
    if found is None:
        raise PermissionDenied(f"本单位不是该工单的{what}单位，不能进行此操作。")
    return found[0]


def _locked(order: WorkOrder) -> WorkOrder:
    found = rows.one(WorkOrder, '"orders_workorder"."id" = %s', [order.pk], lock=True)
    if found is None:
        raise WorkOrder.DoesNotExist(f"工单{order.number}不存在")
    return found[0]


def _open(order: WorkOrder) -> None:
    if order.status not in choices.AT_UNIT_STATUSES:
        raise ValidationError({"status": [f"工单{order.number}当前为“{order.get_status_display()}”，不能办理。"]})


def _accepted(part: OrderUnit) -> None:
    if part.accepted_at is None:
        raise ValidationError({"status": ["请先签收工单。"]})


def _text(value: str, field: str, label: str, minimum: int) -> str:
    value = (value or "").strip()
    if len(value) < minimum:
        raise ValidationError({field: [f"请填写{label}（至少{minimum}个字）。"]})
    return value


def _no_identities(order: WorkOrder, fields: dict[str, tuple[str, str]]) -> None:
    """Refuse free text that names the requester or holds a phone, ID number or e-mail (R8.3).

    What a unit writes goes into the order's events, which can never be corrected or erased,
    and on to the requester's SMS, the rating page and the centre: the writer is asked to take
    identities out, naming what was found. `fields` maps field name to (label, text).
    """
    errors = {}
    known = None
    for name, (label, text) in fields.items():
        if not text:
            continue
        known = known if known is not None else order_selectors.requester_identities(order)
        found = redact.find(text, known, precise=True)
        if found:
            errors[name] = [redact.entry_message(label, found)]
    if errors:
        raise ValidationError(errors)


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt else None


def _lead_part(order: WorkOrder) -> OrderUnit | None:
    return order.assignments.filter(active=True, role__in=choices.LEAD_ROLES).select_related("unit").first()


def _centre_unit() -> Unit | None:
    # The worker's copy of the directory (rebuilt when a unit changes): no query per reply.
    return directory_objects()[1].get(CENTRE_UNIT)


# The data of the handling events, shaped once: the services below record them, and the demo's
# history (jiesu.demo.lifecycle) writes a past order's in the same shape.


def accepted_data(*, unit_name: str, role: str) -> dict:
    return {"unit": unit_name, "role": role}


def contact_data(
    *,
    method: str,
    outcome: str,
    contacted_at: datetime,
    note: str,
    unit_name: str,
    first_real_contact: bool = False,
    response_due: datetime | None = None,
) -> dict:
    """A contact's event data; the first real conversation says it stopped the response clock."""
    data = {
        "method": method,
        "outcome": outcome,
        "contacted_at": contacted_at.isoformat(),
        "note": note,
        "unit": unit_name,
    }
    if first_real_contact:
        data["stops_response_clock"] = True
        data["responded_in_time"] = response_due is None or contacted_at <= response_due
    return data


def replied_data(*, result: str, unresolved_reason: str, public_text: str, internal_notes: str, on_time: bool) -> dict:
    return {
        "result": result,
        "unresolved_reason": unresolved_reason,
        "public_text": public_text,
        "internal_notes": internal_notes,
        "on_time": on_time,
    }


# Accept and contact (R15.1) ---------------------------------------------------------------


@transaction.atomic
def accept(order: WorkOrder, *, actor) -> OrderUnit:
    """The unit signs for its part; the lead's acceptance puts the order in progress."""
    order = _locked(order)
    part = _part(order, actor)
    _open(order)
    if part.accepted_at:
        raise ValidationError({"status": ["本单位已签收该工单。"]})
    if part.role in choices.LEAD_ROLES and part.unit.kind == unit_kinds.COMMUNITY_COMMITTEE:
        raise ValidationError({"status": ["社区（村）只能协办，不能作为主办单位签收（第十七条）。请提出派单异议。"]})
    now = timezone.now()
    part.accepted_at = now
    rows.update(part, ("accepted_at",))
    data = accepted_data(unit_name=part.unit.name, role=part.role)
    if part.role in choices.LEAD_ROLES and order.status == choices.DISPATCHED:
        order_services.change_status(order, choices.IN_PROGRESS, actor=actor, action="accepted", data=data, locked=True)
    else:
        order_services.record_event(order, action="accepted", actor=actor, data=data)
    return part


@transaction.atomic
def record_contact(
    order: WorkOrder, *, actor, method: str, outcome: str, contacted_at: datetime | None = None, note: str = ""
) -> OrderUnit:
    """A call, visit or message to the requester; the first real conversation stops the response clock."""
    order = _locked(order)
    part = _part(order, actor, choices.HANDLING_ROLES)
    _open(order)
    _accepted(part)
    if method not in dict(CONTACT_METHODS):
        raise ValidationError({"method": ["请选择联系方式。"]})
    if outcome not in dict(CONTACT_OUTCOMES):
        raise ValidationError({"outcome": ["请选择联系结果。"]})
    now = timezone.now()
    contacted_at = contacted_at or now
    if contacted_at > now + timezone.timedelta(minutes=5):
        raise ValidationError({"contacted_at": ["联系时间不能晚于现在。"]})
    if contacted_at < part.assigned_at:
        raise ValidationError({"contacted_at": ["联系时间不能早于派单时间。"]})
    _no_identities(order, {"note": ("沟通情况", note.strip())})
    first_real_contact = outcome in REAL_CONTACT and part.first_contact_at is None
    if first_real_contact:
        part.first_contact_at = contacted_at
        rows.update(part, ("first_contact_at",))
    data = contact_data(
        method=method,
        outcome=outcome,
        contacted_at=contacted_at,
        note=note.strip()[:1000],
        unit_name=part.unit.name,
        first_real_contact=first_real_contact,
        response_due=part.response_due,
    )
    order_services.record_event(order, action="contact_recorded", actor=actor, data=data)
    return part


# Assisting units (R14.1, R17.1) -----------------------------------------------------------


def community_may_assist(order: WorkOrder) -> bool:
    """Whether the order's matter is on the community duty list (data the bureau edits)."""
    return bool(order.matter_code) and Matter.objects.filter(code=order.matter_code, community_may_assist=True).exists()


@transaction.atomic
def add_assisting_unit(order: WorkOrder, *, actor, unit: Unit, task: str, due_at: datetime | None = None) -> OrderUnit:
    """The lead asks another unit to help, with that unit's own deadline (R14.1)."""
    order = _locked(order)
    lead = _part(order, actor, choices.LEAD_ROLES, what="主办")
    _open(order)
    _accepted(lead)
    task = _text(task, "task", "协办事项", 5)
    if not unit.active:
        raise ValidationError({"unit": [f"单位已停用：{unit.name}"]})
    if order.assignments.filter(unit=unit, active=True).exists():
        raise ValidationError({"unit": [f"{unit.name}已是该工单的承办单位。"]})
    if unit.kind in {
        unit_kinds.CENTRAL_LIAISON,
        unit_kinds.NEIGHBOUR_HOTLINE,
        unit_kinds.EMERGENCY_LINE,
        unit_kinds.HOTLINE_CENTRE,
        unit_kinds.SERVICE_BUREAU,
    }:
        raise ValidationError({"unit": [f"{unit.name}不能作为协办单位。"]})
    if unit.kind == unit_kinds.COMMUNITY_COMMITTEE and not community_may_assist(order):
        matter = Matter.objects.filter(code=order.matter_code).first()
        name = matter.name if matter else "该诉求事项"
        raise ValidationError({"unit": [f"“{name}”不在社区（村）职责清单内，不能交由{unit.name}协办（第十七条）。"]})
    now = timezone.now()
    response_due, rule_due = order_deadlines(order, unit, now)
    due_at = due_at or rule_due
    # Assisting units report to the lead, who must still reply in time: never later than the lead.
    if lead.due_at and due_at > lead.due_at:
        if due_at is rule_due:
            due_at = lead.due_at
        else:
            raise ValidationError(
                {
                    "due_at": [
                        f"协办时限不能晚于主办单位的办结时限（{timezone.localtime(lead.due_at):%Y-%m-%d %H:%M}）。"
                    ]
                }
            )
    if due_at <= now:
        raise ValidationError({"due_at": ["协办时限应晚于现在。"]})
    part = OrderUnit.objects.create(
        order=order, unit=unit, role="assist", response_due=min(response_due, due_at), due_at=due_at, assigned_at=now
    )
    order_services.record_event(
        order,
        action="assist_added",
        actor=actor,
        data={"unit": unit.name, "unit_code": unit.code, "task": task, "due_at": _iso(due_at)},
    )
    notify.notify_unit(
        unit,
        kind="assist_added",
        order=order,
        title=f"协办工单 {order.number}",
        body=f"{lead.unit.name}请贵单位协办：{task}。请于{timezone.localtime(due_at):%Y-%m-%d %H:%M}前向主办单位报告。",
    )
    return part


@transaction.atomic
def report_part(order: WorkOrder, *, actor, text: str, final: bool = True) -> OrderUnit:
    """An assisting unit reports its part to the lead: done, or its stage and why not yet (R14.1)."""
    order = _locked(order)
    part = _part(order, actor, ("assist",), what="协办")
    _open(order)
    _accepted(part)
    if part.finished_at:
        raise ValidationError({"text": ["本单位已报告协办结果。"]})
    text = _text(text, "text", "协办结果" if final else "阶段进展和未能办结的原因", 10)
    _no_identities(order, {"text": ("报告内容", text)})
    now = timezone.now()
    if final:
        part.finished_at = now
        part.save(update_fields=["finished_at"])
    order_services.record_event(
        order,
        action="part_reported",
        actor=actor,
        data={
            "unit": part.unit.name,
            "final": final,
            "text": text,
            "on_time": part.due_at is None or now <= part.due_at,
        },
    )
    lead = _lead_part(order)
    if lead:
        notify.notify_unit(
            lead.unit,
            kind="part_reported",
            order=order,
            title=f"{part.unit.name}报告协办{'结果' if final else '进展'}：{order.number}",
            body=text,
        )
    return part


# Extensions (R15.1) -----------------------------------------------------------------------


@transaction.atomic
def request_extension(order: WorkOrder, *, actor, reason: str, extra_days: int) -> ExtensionRequest:
    order = _locked(order)
    part = _part(order, actor, choices.HANDLING_ROLES)
    _open(order)
    _accepted(part)
    reason = _text(reason, "reason", "延期理由", 10)
    _no_identities(order, {"reason": ("延期理由", reason)})
    if not 1 <= int(extra_days) <= 30:
        raise ValidationError({"extra_days": ["延长时间应为1至30个工作日。"]})
    if ExtensionRequest.objects.filter(part=part, status=ExtensionRequest.PENDING).exists():
        raise ValidationError({"reason": ["本单位已有待审批的延期申请。"]})
    ext = ExtensionRequest.objects.create(
        order=order,
        part=part,
        unit=part.unit,
        reason=reason,
        extra_days=extra_days,
        requested_by=actor,
        requested_at=timezone.now(),
        previous_due=part.due_at,
    )
    order_services.record_event(
        order,
        action="extension_requested",
        actor=actor,
        data={"extension_id": ext.pk, "unit": part.unit.name, "reason": reason, "extra_days": int(extra_days)},
    )
    centre = _centre_unit()
    if centre:
        notify.notify_unit(
            centre,
            kind="extension_requested",
            order=order,
            title=f"延期申请待审批：{order.number}",
            body=f"{part.unit.name}申请延长{extra_days}个工作日：{reason}",
        )
    return ext


def extended_due(part: OrderUnit, extra_days: int, *, start: datetime | None = None) -> datetime:
    """The new deadline: working days on the holiday calendar, natural hours for 24/7 units (R13.1, R19.1)."""
    start = max(filter(None, [part.due_at, start or timezone.now()]))
    return due(current_engine().calendar, start, Limit(int(extra_days), WORKING_DAYS), always_on=part.unit.always_on).at


@transaction.atomic
def decide_extension(ext: ExtensionRequest, *, actor, approve: bool, note: str = "") -> ExtensionRequest:
    """The centre approves or refuses; the unit is told, and on approval the requester too (R15.1)."""
    _centre(actor)
    ext = ExtensionRequest.objects.select_for_update().select_related("part__unit", "order").get(pk=ext.pk)
    if ext.status != ExtensionRequest.PENDING:
        raise ValidationError({"status": ["该延期申请已审批。"]})
    if not approve:
        _text(note, "note", "不予延期的理由", 5)
    order = _locked(ext.order)
    now = timezone.now()
    ext.decided_by, ext.decided_at, ext.decision_note = actor, now, note.strip()
    if approve:
        part = ext.part
        ext.new_due = extended_due(part, ext.extra_days, start=now)
        ext.status = ExtensionRequest.APPROVED
        part.due_at = ext.new_due
        part.save(update_fields=["due_at"])
        if part.role in choices.LEAD_ROLES:
            order.due_at = ext.new_due
            order.save(update_fields=["due_at", "updated_at"])
    else:
        ext.status = ExtensionRequest.REFUSED
    ext.save(update_fields=["status", "new_due", "decided_by", "decided_at", "decision_note"])
    action = "extension_approved" if approve else "extension_refused"
    order_services.record_event(
        order,
        action=action,
        actor=actor,
        data={
            "extension_id": ext.pk,
            "unit": ext.unit.name,
            "note": ext.decision_note,
            "previous_due": _iso(ext.previous_due),
            "new_due": _iso(ext.new_due),
        },
    )
    verdict = (
        f"已批准，新的办结时限为{timezone.localtime(ext.new_due):%Y-%m-%d %H:%M}"
        if approve
        else f"未获批准：{ext.decision_note}"
    )
    notify.notify_unit(ext.unit, kind=action, order=order, title=f"延期申请{verdict[:3]}：{order.number}", body=verdict)
    if approve and ext.part.role in choices.LEAD_ROLES:
        notify.notify_requester(
            order,
            kind=action,
            title=f"您的诉求（工单{order.number}）办理期限延长",
            body=f"承办单位因{ext.reason}申请延期，已获批准，预计{timezone.localtime(ext.new_due):%m月%d日}前答复您。",
        )
    return ext


# Reply (R15.1) ----------------------------------------------------------------------------


def _contacted(order: WorkOrder, unit_id: int) -> bool:
    """Whether the unit has recorded a contact with the requester on this order, bounded as
    `history()` is so that PostgreSQL prunes the event partitions before the order was received
    (a statement built once: the queryset's compile was a tenth of a reply's CPU)."""
    return rows.exists(
        OrderEvent,
        '"order_id" = %s AND "at" >= %s AND "action" = %s AND "actor_unit_id" = %s',
        [order.pk, order.received_at - EVENT_MARGIN, "contact_recorded", unit_id],
    )


@transaction.atomic
def reply(
    order: WorkOrder,
    *,
    actor,
    result: str,
    public_text: str,
    internal_notes: str = "",
    unresolved_reason: str = "",
    photos=(),
) -> Reply:
    """The lead's result to the requester and the centre; what cannot be solved now is explained.
    `photos` (the result on the spot) are checked before anything is written and kept with the order."""
    order = _locked(order)
    part = _part(order, actor, choices.LEAD_ROLES, what="主办")
    if order.status != choices.IN_PROGRESS:
        raise ValidationError({"status": [f"工单{order.number}当前为“{order.get_status_display()}”，请先签收再答复。"]})
    if result not in dict(RESULTS):
        raise ValidationError({"result": ["请选择办理结果：已解决、部分解决或未解决。"]})
    public_text = _text(public_text, "public_text", "答复内容", 10)
    if result != RESOLVED:
        unresolved_reason = _text(unresolved_reason, "unresolved_reason", "未能解决的客观原因", 5)
    _no_identities(
        order,
        {
            "public_text": ("答复内容", public_text),
            "unresolved_reason": ("未能解决的客观原因", unresolved_reason.strip()),
            "internal_notes": ("办理情况", internal_notes.strip()),
        },
    )
    if not _contacted(order, part.unit_id):
        raise ValidationError({"status": ["答复前须先联系诉求人并记录联系情况（第十五条）。"]})
    photos = list(photos or ())
    if photos:
        order_services.check_uploads(photos, field="photos")
    now = timezone.now()
    on_time = part.due_at is None or now <= part.due_at
    record = Reply(
        order=order,
        unit=part.unit,
        result=result,
        unresolved_reason=unresolved_reason.strip(),
        public_text=public_text,
        internal_notes=internal_notes.strip(),
        replied_by=actor,
        replied_at=now,
        on_time=on_time,
    )
    rows.insert([record])
    part.finished_at = now
    rows.update(part, ("finished_at",))
    stored = (
        order_services.add_attachments(order, photos, actor=actor, stage="result", field="photos") if photos else []
    )
    order_services.change_status(
        order,
        choices.REPLIED,
        actor=actor,
        action="replied",
        locked=True,
        data={
            "attachment_ids": [a.pk for a in stored],
            "reply_id": record.pk,
            **replied_data(
                result=result,
                unresolved_reason=record.unresolved_reason,
                public_text=public_text,
                internal_notes=record.internal_notes,
                on_time=on_time,
            ),
        },
    )
    centre = _centre_unit()
    if centre:
        notify.notify_unit(
            centre,
            kind="replied",
            order=order,
            title=f"{part.unit.name}已答复：{order.number}",
            body=f"{record.get_result_display()}。{public_text}",
        )
    notify.notify_requester(order, kind="replied", title=f"您的诉求（工单{order.number}）已有答复", body=public_text)
    return record


# Escalation (R20.1) -----------------------------------------------------------------------


def escalation_target(order: WorkOrder, from_unit: Unit, level: str, authority: Unit | None = None) -> Unit:
    if level == Escalation.DISTRICT:
        district_id = from_unit.district_id or order.district_id
        target = Unit.objects.filter(kind=unit_kinds.DISTRICT_GOV, territory_id=district_id, active=True).first()
        if target is None:
            raise ValidationError({"level": ["无法确定所属区政府，请选择市政府或行业主管部门。"]})
        return target
    if level == Escalation.MUNICIPAL:
        return Unit.objects.get(kind=unit_kinds.MUNICIPAL_GOV, code="gov")
    if level == Escalation.INDUSTRY:
        if authority is None or authority.kind != unit_kinds.CITY_DEPARTMENT:
            raise ValidationError({"authority": ["请选择行业主管部门（市级部门）。"]})
        return authority
    raise ValidationError({"level": ["请选择提级层级：区政府、市政府或行业主管部门。"]})


@transaction.atomic
def escalate(order: WorkOrder, *, actor, level: str, reason: str, authority: Unit | None = None) -> Escalation:
    """The lead sends an order it cannot settle up for analysis and instructions."""
    order = _locked(order)
    lead = _part(order, actor, choices.LEAD_ROLES, what="主办")
    _open(order)
    _accepted(lead)
    reason = _text(reason, "reason", "提级理由（已做工作和难点）", 10)
    _no_identities(order, {"reason": ("提级理由", reason)})
    target = escalation_target(order, lead.unit, level, authority)
    if Escalation.objects.filter(order=order, to_unit=target, answered_at__isnull=True).exists():
        raise ValidationError({"level": [f"已提请{target.name}，尚待指导意见。"]})
    now = timezone.now()
    response_due, _ = order_deadlines(order, target, now)
    part = order.assignments.filter(unit=target, active=True, role="instruct").first() or OrderUnit.objects.create(
        order=order, unit=target, role="instruct", response_due=response_due, due_at=response_due, assigned_at=now
    )
    esc = Escalation.objects.create(
        order=order,
        from_unit=lead.unit,
        to_unit=target,
        part=part,
        level=level,
        reason=reason,
        raised_by=actor,
        raised_at=now,
    )
    order_services.record_event(
        order,
        action="escalated",
        actor=actor,
        data={"escalation_id": esc.pk, "level": level, "to": target.name, "to_code": target.code, "reason": reason},
    )
    notify.notify_unit(
        target,
        kind="escalated",
        order=order,
        title=f"提级办理：{order.number}",
        body=f"{lead.unit.name}提请指导：{reason}",
    )
    return esc


@transaction.atomic
def answer_escalation(esc: Escalation, *, actor, instructions: str) -> Escalation:
    esc = Escalation.objects.select_for_update().select_related("order", "from_unit").get(pk=esc.pk)
    order = _locked(esc.order)
    part = _part(order, actor, ("instruct",), what="提级指导")
    if part.unit_id != esc.to_unit_id:
        raise PermissionDenied("该提级事项不是提请本单位的。")
    if esc.answered_at:
        raise ValidationError({"instructions": ["已答复过指导意见。"]})
    esc.instructions = _text(instructions, "instructions", "指导意见", 10)
    now = timezone.now()
    esc.answered_by, esc.answered_at = actor, now
    esc.save(update_fields=["instructions", "answered_by", "answered_at"])
    if not Escalation.objects.filter(order=order, to_unit_id=part.unit_id, answered_at__isnull=True).exists():
        part.accepted_at = part.accepted_at or now
        part.finished_at = now
        part.save(update_fields=["accepted_at", "finished_at"])
    order_services.record_event(
        order,
        action="escalation_answered",
        actor=actor,
        data={"escalation_id": esc.pk, "instructions": esc.instructions},
    )
    notify.notify_unit(
        esc.from_unit,
        kind="escalation_answered",
        order=order,
        title=f"{part.unit.name}指导意见：{order.number}",
        body=esc.instructions,
    )
    return esc


# Whistle and report-in (R16.1) ------------------------------------------------------------


@transaction.atomic
def blow_whistle(order: WorkOrder, *, actor, departments: list[Unit], note: str, hours: int = 2) -> Whistle:
    """A township office summons departments; each must report in within `hours` natural hours."""
    order = _locked(order)
    part = _part(order, actor, choices.HANDLING_ROLES)
    if part.unit.kind != unit_kinds.SUBDISTRICT_OFFICE:
        raise PermissionDenied("只有街道（乡镇）可以吹哨召集部门。")
    _open(order)
    _accepted(part)
    note = _text(note, "note", "吹哨事由", 5)
    _no_identities(order, {"note": ("吹哨事由", note)})
    if not departments:
        raise ValidationError({"departments": ["请选择要召集的部门。"]})
    wrong = [d.name for d in departments if d.kind not in DEPARTMENT_KINDS]
    if wrong:
        raise ValidationError({"departments": [f"只能召集职能部门或公共服务企业：{'、'.join(wrong)}"]})
    if len({d.pk for d in departments}) != len(departments):
        raise ValidationError({"departments": ["同一部门不能重复召集。"]})
    if not 1 <= int(hours) <= 72:
        raise ValidationError({"hours": ["报到时限应为1至72小时。"]})
    now = timezone.now()
    # Reporting in is going to the place and acting: it runs on the clock, not on office hours.
    due_at = due(current_engine().calendar, now, Limit(int(hours), NATURAL_HOURS)).at
    whistle = Whistle.objects.create(order=order, office=part.unit, note=note, blown_by=actor, blown_at=now)
    for dept in departments:
        existing = order.assignments.filter(unit=dept, active=True).first()
        dept_part = existing or OrderUnit.objects.create(
            order=order, unit=dept, role="report_in", response_due=due_at, due_at=due_at, assigned_at=now
        )
        ReportIn.objects.create(whistle=whistle, department=dept, part=dept_part, due_at=due_at)
        notify.notify_unit(
            dept,
            kind="whistle_blown",
            order=order,
            title=f"{part.unit.name}吹哨：{order.number}",
            body=f"请于{timezone.localtime(due_at):%Y-%m-%d %H:%M}前报到处置：{note}",
        )
    order_services.record_event(
        order,
        action="whistle_blown",
        actor=actor,
        data={
            "whistle_id": whistle.pk,
            "office": part.unit.name,
            "note": note,
            "due_at": _iso(due_at),
            "departments": [{"code": d.code, "name": d.name} for d in departments],
        },
    )
    return whistle


@transaction.atomic
def report_in(call: ReportIn, *, actor, step: str, note: str = "") -> ReportIn:
    """A summoned department records acknowledging, arriving and acting, in that order."""
    call = ReportIn.objects.select_for_update().select_related("whistle__order", "whistle__office").get(pk=call.pk)
    order = _locked(call.whistle.order)
    _unit_member(actor)
    if actor.unit_id != call.department_id:
        raise PermissionDenied("只有被召集的部门可以报到。")
    _open(order)
    expected = next(
        (
            s
            for s, field in (("acknowledge", "acknowledged_at"), ("arrive", "arrived_at"), ("act", "acted_at"))
            if getattr(call, field) is None
        ),
        None,
    )
    if expected is None:
        raise ValidationError({"step": ["本部门已完成报到处置。"]})
    if step != expected:
        raise ValidationError({"step": [f"请先完成“{dict(REPORT_IN_STEPS)[expected]}”。"]})
    now = timezone.now()
    part = OrderUnit.objects.select_for_update().get(pk=call.part_id)
    if step == "acknowledge":
        call.acknowledged_at = now
        part.accepted_at = part.accepted_at or now
    elif step == "arrive":
        call.arrived_at = now
    else:
        call.action_note = _text(note, "note", "处置情况", 5)
        call.acted_at = now
        if part.role == "report_in":
            part.finished_at = now
    call.save()
    part.save(update_fields=["accepted_at", "finished_at"])
    order_services.record_event(
        order,
        action="reported_in",
        actor=actor,
        data={
            "report_in_id": call.pk,
            "whistle_id": call.whistle_id,
            "department": call.department.name,
            "step": step,
            "note": note.strip()[:1000],
            "on_time": now <= call.due_at,
        },
    )
    notify.notify_unit(
        call.whistle.office,
        kind="reported_in",
        order=order,
        title=f"{call.department.name}{dict(REPORT_IN_STEPS)[step]}：{order.number}",
        body=note.strip(),
    )
    return call


@transaction.atomic
def confirm_report_in(call: ReportIn, *, actor, satisfied: bool, note: str = "") -> ReportIn:
    """The office's view of a department's report-in: the other half of the double assessment (R31.2)."""
    call = ReportIn.objects.select_for_update().select_related("whistle__order").get(pk=call.pk)
    _unit_member(actor)
    if actor.unit_id != call.whistle.office_id:
        raise PermissionDenied("只有吹哨的街道（乡镇）可以确认报到。")
    if call.acted_at is None:
        raise ValidationError({"satisfied": ["部门尚未报告处置情况。"]})
    if call.confirmed_at:
        raise ValidationError({"satisfied": ["已确认过。"]})
    if not satisfied:
        note = _text(note, "note", "不认可的原因", 5)
    call.confirmed_at, call.office_satisfied, call.confirmation_note = timezone.now(), satisfied, note.strip()
    call.save(update_fields=["confirmed_at", "office_satisfied", "confirmation_note"])
    order_services.record_event(
        call.whistle.order,
        action="report_in_confirmed",
        actor=actor,
        data={
            "report_in_id": call.pk,
            "department": call.department.name,
            "satisfied": satisfied,
            "note": call.confirmation_note,
        },
    )
    return call


# Central and military matters (R22.1) -----------------------------------------------------


@transaction.atomic
def transfer_to_central(order: WorkOrder, *, actor, reason: str) -> WorkOrder:
    """The centre passes a matter of a central organ, the military or a central enterprise to the liaison unit."""
    _centre(actor)
    reason = _text(reason, "reason", "转交理由", 5)
    order = _locked(order)
    if order.status not in (choices.PENDING_REVIEW, choices.RECEIVED, *choices.AT_UNIT_STATUSES):
        raise ValidationError({"status": [f"工单{order.number}当前为“{order.get_status_display()}”，不能转交。"]})
    liaison = Unit.objects.get(code=CENTRAL_LIAISON_UNIT)
    now = timezone.now()
    response_due, due_at = order_deadlines(order, liaison, now)
    order = order_services.dispatch_order(
        order,
        actor=actor,
        locked=True,
        assignments=[order_services.Assignment(liaison, "lead", response_due, due_at)],
        data={"central": True, "note": reason},
    )
    order_services.record_event(
        order, action="central_transferred", actor=actor, data={"to": liaison.name, "reason": reason}
    )
    notify.notify_unit(
        liaison, kind="central_transferred", order=order, title=f"央产军产诉求：{order.number}", body=reason
    )
    return order


@transaction.atomic
def forward_to_central_organ(order: WorkOrder, *, actor, organ: str, note: str = "") -> None:
    """The liaison unit records which central organ it passed the matter to."""
    order = _locked(order)
    part = _part(order, actor, choices.LEAD_ROLES, what="主办")
    if part.unit.kind != unit_kinds.CENTRAL_LIAISON:
        raise PermissionDenied("只有央产军产联络单位可以转交中央单位。")
    _open(order)
    _accepted(part)
    organ = _text(organ, "organ", "中央单位名称", 2)
    order_services.record_event(
        order, action="central_forwarded", actor=actor, data={"organ": organ, "note": note.strip()}
    )


@transaction.atomic
def record_central_feedback(order: WorkOrder, *, actor, text: str) -> None:
    order = _locked(order)
    part = _part(order, actor, choices.LEAD_ROLES, what="主办")
    if part.unit.kind != unit_kinds.CENTRAL_LIAISON:
        raise PermissionDenied("只有央产军产联络单位可以记录中央单位反馈。")
    _open(order)
    order_services.record_event(
        order, action="central_feedback", actor=actor, data={"text": _text(text, "text", "反馈内容", 5)}
    )


# Supervision (R33.1) ----------------------------------------------------------------------


@transaction.atomic
def record_dispute(order: WorkOrder, *, actor, note: str) -> Reply:
    """The requester says a "resolved" reply is not true; the centre records it for supervision."""
    _centre(actor)
    order = _locked(order)
    latest = order.replies.order_by("-replied_at", "-id").first()
    if order.status != choices.REPLIED or latest is None:
        raise ValidationError({"note": ["只有已答复的工单可以记录诉求人异议。"]})
    if latest.result != RESOLVED:
        raise ValidationError({"note": ["只有答复为“已解决”的工单需要记录此类异议。"]})
    if latest.disputed_at:
        raise ValidationError({"note": ["已记录过诉求人异议。"]})
    latest.disputed_at, latest.dispute_note = timezone.now(), _text(note, "note", "诉求人的意见", 5)
    latest.save(update_fields=["disputed_at", "dispute_note"])
    order_services.record_event(
        order, action="reply_disputed", actor=actor, data={"reply_id": latest.pk, "note": latest.dispute_note}
    )
    return latest


@transaction.atomic
def supervise(
    order: WorkOrder, *, actor, reason: str, message: str, new_due: datetime, unit: Unit | None = None
) -> Supervision:
    """督办: a recorded message to a unit and a new deadline; a disputed reply goes back to the unit."""
    _centre(actor)
    order = _locked(order)
    if reason not in dict(Supervision.REASONS):
        raise ValidationError({"reason": ["请选择督办事由。"]})
    message = _text(message, "message", "督办意见", 5)
    order_selectors.check_centre_text(order, {"message": ("督办意见", message)})
    now = timezone.now()
    if new_due <= now:
        raise ValidationError({"new_due": ["新时限应晚于现在。"]})
    if order.status not in (*choices.AT_UNIT_STATUSES, choices.REPLIED):
        raise ValidationError({"status": [f"工单{order.number}当前为“{order.get_status_display()}”，无需督办。"]})
    parts = OrderUnit.objects.select_for_update().select_related("unit").filter(order=order, active=True)
    part = parts.filter(unit=unit).first() if unit else parts.filter(role__in=choices.LEAD_ROLES).first()
    if part is None:
        raise ValidationError({"unit": ["督办对象须是该工单的承办单位。"]})
    sup = Supervision.objects.create(
        order=order,
        unit=part.unit,
        reason=reason,
        message=message,
        previous_due=part.due_at,
        new_due=new_due,
        by=actor,
        at=now,
    )
    part.due_at = new_due
    fields = ["due_at"]
    data = {
        "supervision_id": sup.pk,
        "unit": part.unit.name,
        "reason": reason,
        "message": message,
        "previous_due": _iso(sup.previous_due),
        "new_due": _iso(new_due),
    }
    if part.role in choices.LEAD_ROLES:
        order.due_at = new_due
        order.save(update_fields=["due_at", "updated_at"])
        if order.status == choices.REPLIED:
            part.finished_at = None  # the unit owes a new reply
            fields.append("finished_at")
    part.save(update_fields=fields)
    if part.role in choices.LEAD_ROLES and order.status == choices.REPLIED:
        order_services.change_status(
            order, choices.IN_PROGRESS, actor=actor, action="supervised", data=data, locked=True
        )
    else:
        order_services.record_event(order, action="supervised", actor=actor, data=data)
    notify.notify_unit(
        part.unit,
        kind="supervised",
        order=order,
        title=f"督办：{order.number}",
        body=f"{message}（新时限{timezone.localtime(new_due):%Y-%m-%d %H:%M}）",
    )
    return sup
