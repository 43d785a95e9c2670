"""Changes to a caller's record and to a unit's accounts: one function per change, each
writing its state and its event in one transaction (R9.1, R35.1, R5.1).

A flag never changes how a request is judged: the engine reads the content alone, so a
flagged caller's legitimate request is dispatched like anyone's.
"""

from __future__ import annotations

import secrets
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jiesu.core import crypto, redact, roles, validation
from jiesu.directory.models import User
from jiesu.orders import selectors as order_selectors
from jiesu.orders import services as order_services
from jiesu.orders.models import WorkOrder

from .models import (
    FLAGGED,
    LIFTED,
    REFERRED,
    WARNED,
    WARNING_KINDS,
    Caller,
    CallerEvent,
    CallRecord,
    StaffEvent,
    SupervisionRecord,
    TrainingCase,
)

MAX_CALL_SECONDS = 6 * 3600


def _check(actor, allowed: frozenset, message: str) -> None:
    if not roles.has_role(actor, allowed):
        raise PermissionDenied(message)


def _note(text: str, *, required: bool, field: str = "note", label: str = "说明", keep: bool = False) -> str:
    text = (text or "").strip()
    if required and len(text) < 2:
        raise ValidationError({field: [f"请填写{label}。"]})
    if len(text) > 1000:
        raise ValidationError({field: [f"{label}最多1000字，当前{len(text)}字。"]})
    # Caller events are never edited, so no identity may go into them in clear (unless the
    # writer confirmed that it must, as in a police referral).
    return text if keep else redact.scrub(text)


def caller_for_order(order: WorkOrder) -> Caller:
    if not order.requester_phone_index:
        raise ValidationError({"order": [f"工单{order.number}没有来电号码，无法建立来电人档案。"]})
    caller, _ = Caller.objects.get_or_create(phone_index=order.requester_phone_index)
    return caller


def caller_for_phone(phone: str) -> Caller | None:
    index = crypto.blind_index(phone)
    if not index or len(crypto.normalise_phone(phone)) < 7:
        return None
    return Caller.objects.filter(phone_index=index).first()


def _event(
    caller: Caller, *, actor, action: str, note: str = "", warning_kind: str = "", orders: list[WorkOrder] = ()
) -> CallerEvent:
    event = CallerEvent.objects.create(
        caller=caller, at=timezone.now(), actor=actor, action=action, warning_kind=warning_kind, note=note
    )
    if orders:
        event.orders.set(orders)
    # Each order carries the line too, so its own timeline tells the whole story.
    for order in orders:
        order_services.record_event(
            order,
            action=f"caller_{action}",
            actor=actor,
            data={"caller_event_id": event.pk, "warning_kind": warning_kind},
        )
    return event


@transaction.atomic
def flag_caller(order: WorkOrder, *, actor, note: str) -> CallerEvent:
    """A call-taker marks this call as abusive or malicious (R9.1)."""
    _check(actor, roles.CALLER_WARNING_ROLES, "只有话务员、派单员或督办员可以标记来电。")
    note = _note(note, required=True, label="标记理由")
    caller = Caller.objects.select_for_update().get(pk=caller_for_order(order).pk)
    caller.flagged, caller.flagged_at = True, timezone.now()
    caller.save(update_fields=["flagged", "flagged_at"])
    return _event(caller, actor=actor, action=FLAGGED, note=note, orders=[order])


@transaction.atomic
def warn_caller(order: WorkOrder, *, actor, kind: str, note: str) -> CallerEvent:
    """Persuasion, criticism or education given to the caller of `order` (R9.1, R35.1)."""
    _check(actor, roles.CALLER_WARNING_ROLES, "只有话务员、派单员或督办员可以警示来电人。")
    if kind not in dict(WARNING_KINDS):
        raise ValidationError({"kind": ["请选择警示方式：劝导、批评或教育。"]})
    note = _note(note, required=True, label="警示内容")
    return _event(caller_for_order(order), actor=actor, action=WARNED, warning_kind=kind, note=note, orders=[order])


@transaction.atomic
def refer_to_police(caller: Caller, *, actor, orders: list[WorkOrder], note: str) -> CallerEvent:
    """A serious case goes to the public security organs with the orders attached (R35.1)."""
    _check(actor, roles.CALLER_DECISION_ROLES, "只有督办员或政务服务局管理员可以移送公安机关。")
    # A referral may have to name the caller: warned, and kept as written once confirmed.
    order_selectors.check_centre_text(None, {"note": ("移送理由", note)})
    note = _note(note, required=True, label="移送理由", keep=validation.entry_confirmed())
    if not orders:
        raise ValidationError({"orders": ["请选择随案移送的工单。"]})
    if any(o.requester_phone_index != caller.phone_index for o in orders):
        raise ValidationError({"orders": ["只能附上该来电人的工单。"]})
    caller = Caller.objects.select_for_update().get(pk=caller.pk)
    caller.referred = True
    caller.save(update_fields=["referred"])
    return _event(caller, actor=actor, action=REFERRED, note=note, orders=orders)


@transaction.atomic
def lift_flag(caller: Caller, *, actor, note: str) -> CallerEvent:
    """The flag is lifted; the record keeps when, by whom and why."""
    _check(actor, roles.CALLER_DECISION_ROLES, "只有督办员或政务服务局管理员可以解除标记。")
    note = _note(note, required=True, label="解除理由")
    caller = Caller.objects.select_for_update().get(pk=caller.pk)
    if not caller.flagged:
        raise ValidationError({"caller": ["该来电人没有被标记。"]})
    caller.flagged, caller.flagged_at = False, None
    caller.save(update_fields=["flagged", "flagged_at"])
    return _event(caller, actor=actor, action=LIFTED, note=note)


def record_call_duration(order: WorkOrder, *, seconds, actor) -> CallRecord:
    """The call's length as the telephony or an API client reports it (optional)."""
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        raise ValidationError({"call_duration": ["通话时长应为整数秒。"]}) from None
    if not 0 < seconds <= MAX_CALL_SECONDS:
        raise ValidationError({"call_duration": [f"通话时长应在1至{MAX_CALL_SECONDS}秒之间。"]})
    with transaction.atomic():
        if CallRecord.objects.filter(order=order).exists():
            raise ValidationError({"call_duration": [f"工单{order.number}已记录通话时长。"]})
        record = CallRecord.objects.create(order=order, duration_seconds=seconds)
        order_services.record_event(order, action="call_recorded", actor=actor, data={"duration_seconds": seconds})
    return record


# A unit administrator's powers over its own unit's accounts (R5.1) ----------------------------


def _check_unit_admin(actor, user: User | None = None) -> None:
    if getattr(actor, "role", None) != roles.UNIT_ADMIN or not actor.unit_id:
        raise PermissionDenied("只有承办单位管理员可以管理本单位账号。")
    if user is not None and (user.unit_id != actor.unit_id or user.role not in roles.UNIT_ROLES):
        raise PermissionDenied("只能管理本单位的承办人账号。")


def create_handler(*, actor, username: str, display_name: str) -> tuple[User, str]:
    """A new handler in the administrator's unit; the password is returned once, to hand over."""
    _check_unit_admin(actor)
    username, display_name = (username or "").strip(), (display_name or "").strip()
    errors = {}
    if not username or len(username) > 150 or not all(c.isalnum() or c in "@.+-_" for c in username):
        errors["username"] = ["用户名须为150个字符以内的字母、数字或@.+-_。"]
    elif User.objects.filter(username=username).exists():
        errors["username"] = ["该用户名已被使用。"]
    if not display_name or len(display_name) > 50:
        errors["display_name"] = ["请填写姓名（50字以内）。"]
    if errors:
        raise ValidationError(errors)
    password = secrets.token_urlsafe(9)
    with transaction.atomic():
        user = User(username=username, display_name=display_name, role=roles.UNIT_HANDLER, unit_id=actor.unit_id)
        user.set_password(password)
        user.save()
        StaffEvent.objects.create(user=user, actor=actor, action="created")
    return user, password


@transaction.atomic
def set_active(user: User, *, actor, active: bool) -> User:
    _check_unit_admin(actor, user)
    if user.pk == actor.pk:
        raise ValidationError({"user": ["不能停用自己的账号。"]})
    if user.is_active == active:
        raise ValidationError({"user": ["账号已是该状态。"]})
    user.is_active = active
    user.save(update_fields=["is_active"])
    StaffEvent.objects.create(user=user, actor=actor, action="reactivated" if active else "deactivated")
    return user


@transaction.atomic
def reset_password(user: User, *, actor) -> str:
    _check_unit_admin(actor, user)
    password = secrets.token_urlsafe(9)
    user.set_password(password)
    user.save(update_fields=["password"])
    StaffEvent.objects.create(user=user, actor=actor, action="password_reset")
    return password


# Supervision records of conduct (R33.1) ---------------------------------------------------------


def _check_supervision(actor) -> None:
    _check(actor, roles.DECIDER_ROLES, "只有督办员或政务服务局管理员可以登记和认定督查记录。")


def open_supervision(
    order: WorkOrder, *, actor, unit, kind: str, facts: str, evidence_text: str, evidence=None, person=None
) -> SupervisionRecord:
    from jiesu.orders import uploads

    from .models import SupervisionRecord

    _check_supervision(actor)
    errors = {}
    if kind not in dict(SupervisionRecord.KINDS):
        errors["kind"] = ["请选择问题类型。"]
    if unit is None:
        errors["unit"] = ["请选择涉及单位。"]
    elif not order.assignments.filter(unit=unit).exists() and not (person and person.unit_id == unit.pk):
        errors["unit"] = [f"{unit.name}没有承办过工单{order.number}。"]
    if person is not None and unit is not None and person.unit_id != unit.pk:
        errors["person"] = ["涉及人员不属于涉及单位。"]
    for field, label, value in (("facts", "问题事实", facts), ("evidence_text", "证据说明", evidence_text)):
        if len((value or "").strip()) < 5:
            errors.setdefault(field, []).append(f"请写明{label}（至少5个字）。")
    if not errors:
        order_selectors.check_centre_text(
            order, {"facts": ("问题事实", facts), "evidence_text": ("证据说明", evidence_text)}
        )
    if evidence:
        problem = uploads.problem(evidence)
        if problem:
            errors["evidence"] = [problem]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        record = SupervisionRecord(
            order=order,
            unit=unit,
            person=person,
            kind=kind,
            opened_by=actor,
            opened_at=timezone.now(),
            facts=redact.scrub(facts.strip()),
            evidence_text=redact.scrub(evidence_text.strip()),
        )
        if evidence:
            safe = uploads.safe_upload(evidence)
            record.evidence.save(safe.name, safe.file, save=False)
        record.save()
        order_services.record_event(
            order,
            action="conduct_recorded",
            actor=actor,
            data={"supervision_record_id": record.pk, "kind": kind, "unit": unit.code},
        )
    return record


@transaction.atomic
def decide_supervision(record, *, actor, substantiated: bool, note: str):
    """Decided once: a later correction is a new record, never an edit of this one."""
    from .models import SupervisionRecord

    _check_supervision(actor)
    note = _note(note, required=True, field="decision_note", label="认定意见")
    record = SupervisionRecord.objects.select_for_update().get(pk=record.pk)
    if record.status != SupervisionRecord.OPEN:
        raise ValidationError({"status": ["该督查记录已认定。"]})
    record.status = SupervisionRecord.SUBSTANTIATED if substantiated else SupervisionRecord.UNFOUNDED
    record.decision_note, record.decided_by, record.decided_at = note, actor, timezone.now()
    record.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
    order_services.record_event(
        record.order,
        action="conduct_decided",
        actor=actor,
        data={
            "supervision_record_id": record.pk,
            "status": record.status,
            "assessment": SupervisionRecord.ASSESSMENT_FLAG.get(record.kind) if substantiated else None,
        },
    )
    return record


@transaction.atomic
def refer_supervision(record, *, actor, authority: str):
    """A substantiated case goes to the supervisory authority (R33.1)."""
    from .models import SupervisionRecord

    _check_supervision(actor)
    authority = (authority or "").strip()
    if not 2 <= len(authority) <= 100:
        raise ValidationError({"authority": ["请填写移送机关（2至100字）。"]})
    record = SupervisionRecord.objects.select_for_update().get(pk=record.pk)
    if record.status != SupervisionRecord.SUBSTANTIATED:
        raise ValidationError({"status": ["只有经查属实的督查记录可以移送。"]})
    if record.referred_at:
        raise ValidationError({"status": [f"该记录已于{timezone.localtime(record.referred_at):%Y-%m-%d}移送。"]})
    record.referred_to, record.referred_at = authority, timezone.now()
    record.save(update_fields=["referred_to", "referred_at"])
    order_services.record_event(
        record.order, action="conduct_referred", actor=actor, data={"supervision_record_id": record.pk, "to": authority}
    )
    return record


# Call quality (R29.1) ---------------------------------------------------------------------------

SAMPLE_PER_CALL_TAKER = 5


def week_of(day) -> date:
    from datetime import timedelta

    return day - timedelta(days=day.weekday())


def sample_week(week, *, actor, per_call_taker: int = SAMPLE_PER_CALL_TAKER) -> int:
    """Draw each call-taker's sample of the week's orders for quality review. The draw is seeded
    by the week and the person, so running it again adds nothing and anyone can repeat it."""
    import random
    from datetime import datetime, time, timedelta

    from .models import QualityReview

    _check(actor, roles.DECIDER_ROLES, "只有督办员或政务服务局管理员可以抽取质检样本。")
    week = week_of(week)
    tz = timezone.get_current_timezone()
    start = datetime.combine(week, time.min, tz)
    end = start + timedelta(days=7)
    if start > timezone.now():
        raise ValidationError({"week": ["不能抽取尚未开始的周。"]})
    made = 0
    takers = User.objects.filter(role=roles.CALL_TAKER)
    with transaction.atomic():
        for taker in takers:
            ids = sorted(
                WorkOrder.objects.filter(created_by=taker, received_at__gte=start, received_at__lt=end).values_list(
                    "pk", flat=True
                )
            )
            already = QualityReview.objects.filter(call_taker=taker, week=week).count()
            wanted = max(0, min(per_call_taker, len(ids)) - already)
            if not wanted:
                continue
            chosen = random.Random(f"{week:%Y-%m-%d}/{taker.pk}").sample(ids, min(per_call_taker, len(ids)))
            taken = set(QualityReview.objects.filter(order_id__in=chosen).values_list("order_id", flat=True))
            for pk in [c for c in chosen if c not in taken][:wanted]:
                QualityReview.objects.create(order_id=pk, call_taker=taker, week=week)
                made += 1
    return made


@transaction.atomic
def score_review(review, *, actor, passed: set[str], feedback: str):
    """Score one sampled order against the checklist in force; the call-taker sees the result."""
    from decimal import Decimal

    from .models import QualityItem, QualityReview

    _check(actor, roles.DECIDER_ROLES, "只有督办员或政务服务局管理员可以质检评分。")
    review = QualityReview.objects.select_for_update().get(pk=review.pk)
    if review.status != QualityReview.PENDING:
        raise ValidationError({"status": ["该样本已质检。"]})
    items = list(QualityItem.objects.filter(active=True))
    if not items:
        raise ValidationError({"checks": ["质检检查项为空，请先在管理后台设置。"]})
    feedback = _note(
        feedback, required=len(passed) < len(items), field="feedback", label="反馈意见（有未通过项时必填）"
    )
    unknown = set(passed) - {i.code for i in items}
    if unknown:
        raise ValidationError({"checks": ["未知的检查项。"]})
    total = sum(i.weight for i in items) or 1
    got = sum(i.weight for i in items if i.code in passed)
    review.checks = [{"code": i.code, "label": i.label, "weight": i.weight, "passed": i.code in passed} for i in items]
    review.score = (Decimal(got) * 100 / Decimal(total)).quantize(Decimal("0.1"))
    review.feedback, review.reviewer, review.reviewed_at = feedback, actor, timezone.now()
    review.status = QualityReview.SCORED
    review.save()
    order_services.record_event(
        review.order,
        action="quality_reviewed",
        actor=actor,
        data={"quality_review_id": review.pk, "score": str(review.score)},
    )
    return review


@transaction.atomic
def mark_feedback_read(review, *, actor):
    if actor.pk != review.call_taker_id:
        raise PermissionDenied("只能确认本人的质检反馈。")
    if review.read_at is None and review.status == review.SCORED:
        review.read_at = timezone.now()
        review.save(update_fields=["read_at"])
    return review


def mark_training_case(order: WorkOrder, *, actor, title: str, lesson: str, articles=()) -> TrainingCase:
    from .models import TrainingCase

    _check(actor, roles.DECIDER_ROLES, "只有督办员或政务服务局管理员可以标记培训案例。")
    title = (title or "").strip()
    errors = {}
    if not 2 <= len(title) <= 100:
        errors["title"] = ["请填写案例标题（2至100字）。"]
    try:
        lesson = _note(lesson, required=True, field="lesson", label="要点")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = TrainingCase.objects.create(order=order, title=redact.scrub(title), lesson=lesson, marked_by=actor)
        case.articles.set(articles)
        order_services.record_event(
            order, action="training_case_marked", actor=actor, data={"training_case_id": case.pk}
        )
    return case
