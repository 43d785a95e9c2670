"""Dispatch: from a new order to its units, by the engine or by a dispatcher (R11-R13).

One function per transition; each writes its state and appends events in one transaction
through jiesu.orders.services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, router, transaction
from django.utils import timezone

from jiesu.core import roles
from jiesu.directory.models import Place, Unit
from jiesu.engine.deadlines import unit_deadlines
from jiesu.engine.decide import Request
from jiesu.engine.triage import HistoryRecord
from jiesu.orders import choices
from jiesu.orders import selectors as order_selectors
from jiesu.orders import services as order_services
from jiesu.orders.models import OrderUnit, WorkOrder

from .models import Consultation, ConsultationComment, Objection
from .runtime import current_engine, directory_objects

# Dispositions of R11.3 that end with telling the requester something instead of dispatching.
TOLD_REQUESTER = {"legal_channel", "secret_privacy", "out_of_scope", "unlawful", "repeat"}


def _check_dispatcher(actor) -> None:
    if not roles.is_centre_actor(actor):
        raise PermissionDenied("只有派单员或督办员可以审核派单。")


# The decision's two reads run on every intake POST: written as SQL, since compiling them as
# querysets cost more CPU than the engine's own reading of the text (same rows, same order, on
# the database the router gives the ORM's reads of orders).
_ORDERS = WorkOrder._meta.db_table
_HISTORY_SQL = (
    f"SELECT number, matter_code, content, received_at, status FROM {_ORDERS}"
    " WHERE requester_phone_index = %s AND received_at < %s{exclude} ORDER BY received_at DESC LIMIT 20"
)


def _reads():
    return connections[router.db_for_read(WorkOrder)]


def _history(order: WorkOrder) -> tuple[HistoryRecord, ...]:
    if not order.requester_phone_index:
        return ()
    connection = _reads()
    ops = connection.ops
    params = [order.requester_phone_index, ops.adapt_datetimefield_value(order.received_at)]
    exclude = ""
    if order.pk is not None:
        exclude, params = " AND NOT id = %s", [*params, order.pk]
    with connection.cursor() as cursor:
        cursor.execute(_HISTORY_SQL.format(exclude=exclude), params)
        rows = cursor.fetchall()
    if not rows:
        return ()
    # The column's converters, as the ORM applies them (SQLite gives the datetime as text).
    col = WorkOrder._meta.get_field("received_at").get_col(_ORDERS)
    converters = [*ops.get_db_converters(col), *col.get_db_converters(connection)]
    records = []
    for number, matter_code, content, received_at, status in rows:
        for convert in converters:
            received_at = convert(received_at, col, connection)
        records.append(
            HistoryRecord(number, matter_code or None, content, received_at, status, status in choices.OPEN_STATUSES)
        )
    return tuple(records)


def suggest(*, text: str, kind: str | None = None, channel: str = "phone", received_at=None) -> dict:
    """What the engine would do with a request; writes nothing (the call-taker's live hint)."""
    decision = current_engine().decide(
        Request(id="", text=text, channel=channel, kind=kind or None, received_at=received_at)
    )
    record = decision.to_record()
    record["same_problem"] = same_problem(record)
    return record


SAME_PROBLEM_DAYS = 7


def same_problem(record: dict, *, exclude: WorkOrder | None = None) -> dict | None:
    """Open orders of the last days on the same matter in the same community (or, without one,
    the same township): "同一问题，已有N人反映" for the call-taker and the dispatcher, so a
    burst main reported by twelve callers is seen as one problem (R11.3, R24.1)."""
    code = (record.get("matter") or {}).get("code")
    if record.get("community_code"):
        column, place_code = "community_id", record["community_code"]
    elif record.get("subdistrict_code"):
        column, place_code = "subdistrict_id", record["subdistrict_code"]
    else:
        return None
    if not code or record.get("disposition") != "dispatch":
        return None
    # The place by its code from the directory copy the engine decided with (no join); a code
    # it does not know names no stored order's place either.
    place = directory_objects()[0].get(place_code)
    if place is None:
        return None
    since = timezone.now() - timedelta(days=SAME_PROBLEM_DAYS)
    connection = _reads()
    open_statuses = sorted(choices.OPEN_STATUSES)
    where = [
        "matter_code = %s",
        f"status IN ({', '.join(['%s'] * len(open_statuses))})",
        "received_at >= %s",
        f"{column} = %s",
    ]
    params = [code, *open_statuses, connection.ops.adapt_datetimefield_value(since), place.pk]
    if exclude is not None:
        if exclude.pk is not None:
            where.append("NOT id = %s")
            params.append(exclude.pk)
        if exclude.requester_phone_index:
            where.append("NOT requester_phone_index = %s")
            params.append(exclude.requester_phone_index)
    where_sql = " AND ".join(where)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number FROM {_ORDERS} WHERE {where_sql} ORDER BY received_at DESC LIMIT 5", params)
        numbers = [row[0] for row in cursor.fetchall()]
        if not numbers:
            return None
        # Count only when the list was cut: the live hint runs on every pause in typing.
        if len(numbers) == 5:
            cursor.execute(f"SELECT COUNT(*) FROM {_ORDERS} WHERE {where_sql}", params)
            count = cursor.fetchone()[0]
        else:
            count = len(numbers)
    return {"count": count, "orders": numbers, "days": SAME_PROBLEM_DAYS}


def decide_new_order(order: WorkOrder, *, matter_hint: str | None = None, locked: bool = False) -> dict:
    """Run the engine on a new order and act on its decision (R11.1-R11.3, R12, R13).

    Confident dispatches go out at once; everything else waits in the review queue with the
    suggestion and its reasons. Special cases are closed with what the requester was told.
    """
    # Its own transaction, or a savepoint inside the caller's: if anything below fails, the
    # order stays as it was received. `locked`: the caller created the order in its open
    # transaction, so no one else can see it yet and there is nothing to lock.
    with transaction.atomic():
        order = order if locked else WorkOrder.objects.select_for_update().get(pk=order.pk)
        plan = plan_decision(order, matter_hint=matter_hint)
        for name, value in plan.fields.items():
            setattr(order, name, value)
        order.save(update_fields=[*plan.fields, "updated_at"])
        if plan.parts:
            OrderUnit.objects.bulk_create(plan.parts)
        order_services.write_events(plan.events)
        return plan.record


@dataclass
class DecisionPlan:
    """What acting on the engine's decision writes, unsaved: the order's new fields, its unit
    parts and its events (decided, then the transition)."""

    record: dict
    fields: dict
    parts: list
    events: list


def request_text(content: str, location: str = "") -> str:
    """The engine's input for a request: what was said, then where. Composed here only, so the
    live hint, the decision and a replay all read a request the same way."""
    return f"{content}\n地点：{location}" if location else content


def plan_decision(order: WorkOrder, *, matter_hint: str | None = None, infer_kind: bool = False) -> DecisionPlan:
    """Run the engine on `order` (saved, or numbered and about to be inserted) and work out
    what its decision changes, writing nothing and leaving `order` as it is: the intake POST
    then inserts the order in its final state with all its events at once. `infer_kind`: the
    channel did not say the kind, the engine reads it (the record's "kind")."""
    if order.status != choices.RECEIVED:
        raise ValidationError({"status": [f"工单{order.number}已处理过派单决策。"]})
    decision = current_engine().decide(
        Request(
            id=order.number,
            text=request_text(order.content, order.location_text),
            channel=order.channel,
            kind=None if infer_kind else order.kind,
            received_at=timezone.localtime(order.received_at).replace(tzinfo=None),
            requester_history=_history(order),
            matter_hint=matter_hint,
        )
    )
    record = decision.to_record()
    record["same_problem"] = same_problem(record, exclude=order)
    places, units = directory_objects()
    related = record["repeat_of"] or record.get("related_to")
    fields = {
        "matter_code": record["matter"]["code"] or "",
        "district": places.get(record["district_code"]) if record["district_code"] else None,
        "subdistrict": places.get(record["subdistrict_code"]) if record["subdistrict_code"] else None,
        "community": places.get(record["community_code"]) if record["community_code"] else None,
        "catalog_version": record["catalog_version"] or "",
        "related_order": WorkOrder.objects.filter(number=related).first() if related else None,
    }
    now = timezone.now()
    events = [
        order_services.new_event(
            order, action="decided", at=now, data={"decision": record, "reasons": record["reasons"]}
        )
    ]
    parts: list = []

    def to(status: str, action: str, data: dict) -> None:
        if status not in choices.TRANSITIONS.get(order.status, set()):
            raise ValidationError({"status": [f"工单{order.number}不能变更为“{dict(choices.STATUSES)[status]}”。"]})
        fields["status"] = status
        events.append(
            order_services.new_event(
                order, action=action, from_status=order.status, to_status=status, at=now, data=data
            )
        )

    disposition = record["disposition"]
    if disposition == "emergency":
        line = units[f"line-{record['emergency_line']}"]
        to(
            choices.TRANSFERRED,
            "transferred",
            {"to": line.name, "emergency_line": record["emergency_line"], "reasons": record["reasons"]},
        )
    elif disposition == "answer_directly" and not record["needs_review"]:
        to(choices.ANSWERED, "answered", {"answer": record["answer"], "reasons": record["reasons"]})
    elif disposition in TOLD_REQUESTER and not record["needs_review"]:
        to(
            choices.ANSWERED,
            "answered",
            {
                "disposition": disposition,
                "advice": record["advice"],
                "repeat_of": record["repeat_of"],
                "reasons": record["reasons"],
            },
        )
    elif disposition == "dispatch" and not record["needs_review"] and decision.units:
        # The decision's own deadlines (datetimes), not the record's strings read back.
        assignments = [
            order_services.Assignment(units[u.code], u.role, u.response_due, u.due_at) for u in decision.units
        ]
        lead = order_services.check_assignments(assignments)
        dispatched, parts, event = order_services.dispatch_changes(
            order,
            actor=None,
            assignments=assignments,
            lead=lead,
            automatic=True,
            now=now,
            data={"catalog_version": record["catalog_version"], "matter_code": fields["matter_code"]},
        )
        fields.update(dispatched)
        events.append(event)
    else:
        to(choices.PENDING_REVIEW, "queued_for_review", {"reasons": record["reasons"]})
    return DecisionPlan(record, fields, parts, events)


def latest_decision(order: WorkOrder) -> dict | None:
    event = order.history().filter(action="decided").order_by("-at", "-id").first()
    return event.data.get("decision") if event else None


@dataclass(frozen=True)
class UnitChoice:
    unit: Unit
    role: str


@transaction.atomic
def dispatch_reviewed(
    order: WorkOrder,
    *,
    actor,
    matter_code: str,
    units: list[UnitChoice],
    note: str = "",
    objection: Objection | None = None,
) -> WorkOrder:
    """A dispatcher dispatches (R12.3): the suggestion as it is, or corrected.

    A correction of the matter is kept as a labelled example for the learned classifier.
    """
    _check_dispatcher(actor)
    order_selectors.check_centre_text(order, {"note": ("派单说明", note)})
    engine = current_engine()
    if matter_code and engine.rules.matter(matter_code) is None:
        raise ValidationError({"matter_code": [f"未知事项：{matter_code}"]})
    if not units:
        raise ValidationError({"units": ["请至少选择一个主办单位。"]})
    units = _with_district_supervision(units)
    suggestion = latest_decision(order) or {}
    now = timezone.now()
    assignments = []
    for choice in units:
        d = unit_deadlines(
            engine.rules,
            engine.calendar,
            matter_code=matter_code or None,
            kind=order.kind,
            start=now,
            always_on=choice.unit.always_on,
        )
        assignments.append(order_services.Assignment(choice.unit, choice.role, d.response_due, d.due_at))
    suggested_matter = (suggestion.get("matter") or {}).get("code")
    suggested_units = sorted((u["code"], u["role"]) for u in suggestion.get("units", []))
    chosen_units = sorted((c.unit.code, c.role) for c in units)
    corrected = (matter_code != suggested_matter) or (chosen_units != suggested_units)
    locked = order_services.dispatch_order(
        order,
        actor=actor,
        assignments=assignments,
        data={
            "matter_code": matter_code,
            "corrected": corrected,
            "suggested_matter": suggested_matter,
            "note": note,
            "objection_id": objection.pk if objection else None,
        },
    )
    if matter_code != locked.matter_code:
        locked.matter_code = matter_code
        locked.save(update_fields=["matter_code", "updated_at"])
    if matter_code and matter_code != suggested_matter:
        _record_example(locked, matter_code, "objection" if objection else "correction")
    return locked


def _with_district_supervision(units: list[UnitChoice]) -> list[UnitChoice]:
    """A dispatch to a township office also goes to its district government to supervise (R12.1)."""
    present = {c.unit.pk for c in units}
    extra = []
    for choice in units:
        if (
            choice.role == "lead"
            and choice.unit.kind == "subdistrict_office"
            and choice.unit.parent_id
            and choice.unit.parent_id not in present
        ):
            extra.append(UnitChoice(choice.unit.parent, "supervise"))
            present.add(choice.unit.parent_id)
    return [*units, *extra]


def _record_example(order: WorkOrder, matter_code: str, source: str) -> None:
    from jiesu.learning.services import record_example

    record_example(text=order.content, matter_code=matter_code, source=source, order_number=order.number)


def accept_suggestion(order: WorkOrder, *, actor) -> WorkOrder:
    """One key in the review queue: dispatch exactly what the engine suggested."""
    suggestion = latest_decision(order)
    if not suggestion or not suggestion.get("units"):
        raise ValidationError({"units": ["没有可直接采纳的派单建议，请手工选择承办单位。"]})
    units = {u.code: u for u in Unit.objects.filter(code__in=[u["code"] for u in suggestion["units"]])}
    return dispatch_reviewed(
        order,
        actor=actor,
        matter_code=suggestion["matter"]["code"] or "",
        units=[UnitChoice(units[u["code"]], u["role"]) for u in suggestion["units"]],
    )


EMERGENCY_LINES = ("110", "119", "120", "122")


def check_line(line: str, field: str = "line") -> None:
    if line not in EMERGENCY_LINES:
        raise ValidationError({field: [f"紧急专线只能是 {'、'.join(EMERGENCY_LINES)}，收到的是“{line}”。"]})


def transfer_to_line(order: WorkOrder, *, actor, line: str, note: str = "") -> WorkOrder:
    """A person sends an order to an emergency line (R2.3): the call-taker on the intake
    screen, or a dispatcher from the review queue, when the engine's alarm (or their own
    judgment) says the matter is happening now."""
    if not roles.has_role(actor, roles.INTAKE_ROLES):
        raise PermissionDenied("只有话务员、派单员或督办员可以转紧急专线。")
    check_line(line)
    unit = Unit.objects.get(code=f"line-{line}")
    return order_services.change_status(
        order,
        choices.TRANSFERRED,
        actor=actor,
        action="transferred",
        data={"to": unit.name, "emergency_line": line, "by_person": True, "note": note.strip()},
    )


@transaction.atomic
def close_with_answer(order: WorkOrder, *, actor, answer: str) -> WorkOrder:
    """A dispatcher answers a consultation or a special case on the spot (R11.1, R11.3)."""
    _check_dispatcher(actor)
    if len(answer.strip()) < 5:
        raise ValidationError({"answer": ["请填写答复内容（至少5个字）。"]})
    order_selectors.check_centre_text(order, {"answer": ("答复内容", answer)})
    return order_services.change_status(
        order, choices.ANSWERED, actor=actor, action="answered", data={"answer_text": answer.strip()}
    )


# Pre-dispatch consultation (会商, R12.3) -------------------------------------------------


@transaction.atomic
def open_consultation(order: WorkOrder, *, actor, units: list[Unit], question: str) -> Consultation:
    _check_dispatcher(actor)
    if order.status != choices.PENDING_REVIEW:
        raise ValidationError({"status": ["只有待派单审核的工单可以发起会商。"]})
    if not units:
        raise ValidationError({"units": ["请选择参加会商的单位。"]})
    if len(question.strip()) < 5:
        raise ValidationError({"question": ["请写明会商事项（至少5个字）。"]})
    order_selectors.check_centre_text(order, {"question": ("会商事项", question)})
    consultation = Consultation.objects.create(order=order, question=question.strip(), opened_by=actor)
    consultation.units.set(units)
    order_services.record_event(
        order,
        action="consultation_opened",
        actor=actor,
        data={"consultation_id": consultation.pk, "units": [u.name for u in units], "question": consultation.question},
    )
    return consultation


@transaction.atomic
def comment_on_consultation(consultation: Consultation, *, actor, text: str) -> ConsultationComment:
    if consultation.closed_at:
        raise ValidationError({"text": ["会商已结束。"]})
    if actor.role not in roles.UNIT_ROLES or not consultation.units.filter(pk=actor.unit_id).exists():
        raise PermissionDenied("只有受邀单位可以发表会商意见。")
    if len(text.strip()) < 2:
        raise ValidationError({"text": ["请填写意见。"]})
    comment = ConsultationComment.objects.create(
        consultation=consultation, unit=actor.unit, author=actor, text=text.strip()
    )
    order_services.record_event(
        consultation.order,
        action="consultation_comment",
        actor=actor,
        data={"consultation_id": consultation.pk, "unit": actor.unit.name, "text": comment.text},
    )
    return comment


@transaction.atomic
def close_consultation(consultation: Consultation, *, actor, outcome: str) -> Consultation:
    _check_dispatcher(actor)
    if consultation.closed_at:
        raise ValidationError({"outcome": ["会商已结束。"]})
    if len(outcome.strip()) < 2:
        raise ValidationError({"outcome": ["请填写会商结论。"]})
    consultation.outcome = outcome.strip()
    consultation.closed_at = timezone.now()
    consultation.save(update_fields=["outcome", "closed_at"])
    order_services.record_event(
        consultation.order,
        action="consultation_closed",
        actor=actor,
        data={"consultation_id": consultation.pk, "outcome": consultation.outcome},
    )
    return consultation


# Objections (R12.4) ----------------------------------------------------------------------


@transaction.atomic
def raise_objection(order: WorkOrder, *, actor, grounds: str, reason: str, suggested_unit: str = "") -> Objection:
    if actor.role not in roles.UNIT_ROLES:
        raise PermissionDenied("只有承办单位可以提出派单异议。")
    if not OrderUnit.objects.filter(
        order=order, unit_id=actor.unit_id, active=True, role__in=["lead", "assist"]
    ).exists():
        raise PermissionDenied("本单位不是该工单的承办单位。")
    if grounds not in {Objection.DUTY, Objection.TERRITORY}:
        raise ValidationError({"grounds": ["请选择异议类型：职责或属地。"]})
    if len(reason.strip()) < 10:
        raise ValidationError({"reason": ["请写明异议理由（至少10个字），例如依据的职责文件或属地划分。"]})
    if Objection.objects.filter(order=order, unit_id=actor.unit_id, status=Objection.PENDING).exists():
        raise ValidationError({"reason": ["本单位对该工单已有待审核的异议。"]})
    objection = Objection.objects.create(
        order=order,
        unit=actor.unit,
        grounds=grounds,
        reason=reason.strip(),
        suggested_unit=suggested_unit.strip(),
        raised_by=actor,
    )
    order_services.record_event(
        order,
        action="objection_raised",
        actor=actor,
        data={
            "objection_id": objection.pk,
            "grounds": grounds,
            "reason": objection.reason,
            "suggested_unit": objection.suggested_unit,
        },
    )
    return objection


@transaction.atomic
def reject_objection(objection: Objection, *, actor, note: str) -> Objection:
    _check_dispatcher(actor)
    _check_pending(objection)
    if len(note.strip()) < 5:
        raise ValidationError({"note": ["请写明不予支持的理由（至少5个字）。"]})
    _decide(objection, actor, Objection.REJECTED, note)
    order_services.record_event(
        objection.order,
        action="objection_rejected",
        actor=actor,
        data={"objection_id": objection.pk, "note": objection.decision_note},
    )
    return objection


@transaction.atomic
def accept_objection(objection: Objection, *, actor, note: str, matter_code: str, units: list[UnitChoice]) -> Objection:
    """Re-dispatch; the objecting unit's part ends, so its clock and assessment for the order are cleared."""
    _check_dispatcher(actor)
    _check_pending(objection)
    if any(c.unit.pk == objection.unit_id for c in units):
        raise ValidationError({"units": ["异议成立时不能再派给提出异议的单位。"]})
    _decide(objection, actor, Objection.ACCEPTED, note)
    order_services.record_event(
        objection.order,
        action="objection_accepted",
        actor=actor,
        data={"objection_id": objection.pk, "note": objection.decision_note, "cleared_unit": objection.unit.code},
    )
    dispatch_reviewed(
        objection.order, actor=actor, matter_code=matter_code, units=units, note=note, objection=objection
    )
    return objection


def _check_pending(objection: Objection) -> None:
    if objection.status != Objection.PENDING:
        raise ValidationError({"status": ["该异议已审核。"]})


def _decide(objection: Objection, actor, status: str, note: str) -> None:
    objection.status = status
    objection.decided_by = actor
    objection.decided_at = timezone.now()
    objection.decision_note = note.strip()
    objection.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


# Reads for the review page's correction helpers ------------------------------------------


def proposed_units(order: WorkOrder, matter_code: str) -> dict:
    """The units the dispatch catalog gives `matter_code` at this order's place: what the
    dispatcher's correction of the matter proposes (R11.2, R12.3). Writes nothing."""
    from jiesu.engine.locate import Location
    from jiesu.engine.places import Division

    engine = current_engine()
    matter = engine.rules.matter(matter_code)
    if matter is None:
        raise ValidationError({"matter_code": ["未知的事项，请从列表中选择。"]})

    def division(place):
        if place is None:
            return None
        return Division(
            place.code,
            place.name,
            place.level,
            place.parent.code if place.parent_id else None,
            place.district.code if place.district_id else place.code,
        )

    places = Place.objects.select_related("parent", "district")
    ids = [order.district_id, order.subdistrict_id, order.community_id]
    rows = {p.pk: p for p in places.filter(pk__in=[i for i in ids if i])}
    if order.district_id:
        loc = Location(
            district=division(rows.get(order.district_id)),
            subdistrict=division(rows.get(order.subdistrict_id)),
            community=division(rows.get(order.community_id)),
        )
    else:
        # Not located yet: the place as the engine reads it from the text.
        loc = engine.locator.locate(f"{order.content}\n{order.location_text}")
    catalog = engine.rules.catalog_at(timezone.now())
    route = engine.router.route(matter, loc, catalog, text=order.content)
    lead = route.lead
    assist = [a.unit.name for a in route.assignments if a.role == "assist"]
    return {
        "matter": matter.full_name,
        "lead": lead.unit.name if lead else "",
        "assist": assist,
        "confident": route.confident,
    }
