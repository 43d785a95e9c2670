"""Return visits (R23.1) and online ratings (R8.2): one function per step, each with its event.

Status changes go through jiesu.orders.services.change_status (which checks TRANSITIONS and
records the event); steps that do not change the status record their own event. Requester
data never goes into event data (events are forever): only codes and the visitor's notes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils import timezone

from jiesu.core import roles
from jiesu.notifications import services as notify
from jiesu.orders import choices
from jiesu.orders import selectors as order_selectors
from jiesu.orders import services as order_services
from jiesu.orders.models import OrderUnit, WorkOrder

from . import models as m
from .models import ReturnVisit, VisitAttempt

TOKEN_SALT = "jiesu.followup.rating"


def max_tries() -> int:
    """Unanswered calls before a visit counts as invalid (no answer after N tries)."""
    return int(settings.JIESU_VISIT_MAX_TRIES)


def link_lifetime() -> timedelta:
    return timedelta(hours=int(settings.JIESU_RATING_LINK_HOURS))


def _visitor(actor) -> None:
    if not roles.has_role(actor, roles.VISITOR_ROLES):
        raise PermissionDenied("只有督办员（回访员）可以进行回访。")


def _pending(visit: ReturnVisit) -> ReturnVisit:
    visit = ReturnVisit.objects.select_for_update().select_related("order").get(pk=visit.pk)
    if visit.state != m.PENDING:
        raise ValidationError({"state": [f"工单{visit.order.number}的本轮回访已结束。"]})
    return visit


# The data of the return-visit events, shaped once: the services below record them (with the
# visit's key), and the demo's history (jiesu.demo.lifecycle) writes a past order's in the same shape.


def queued_data(*, visit_round: int, reason: str) -> dict:
    return {"round": visit_round, "reason": reason}


def visit_data(
    *,
    visit_round: int,
    method: str,
    contacted: bool,
    resolution: str,
    satisfaction: str,
    attitude_complaint: bool,
    reply_result: str,
) -> dict:
    return {
        "round": visit_round,
        "method": method,
        "contacted": contacted,
        "resolution": resolution,
        "satisfaction": satisfaction,
        "attitude_complaint": attitude_complaint,
        # A unit that said "resolved" and a requester who says otherwise: a false-resolved flag (R33.1).
        "false_resolved": reply_result == "resolved" and resolution == m.UNRESOLVED,
    }


def closed_data(*, note: str) -> dict:
    return {"note": note}


# Entering the queue -------------------------------------------------------------------------


@transaction.atomic
def enqueue(order: WorkOrder, *, reason: str, actor=None) -> ReturnVisit:
    """Put one order into the return-visit queue: a new round.

    A replied order moves to status return_visit: the unit is done, the centre asks the
    requester. An order whose limit passed without a reply (limit_reached) keeps its status:
    the regulation asks for the visit at the limit (art. on 回访), not for the unit to be let
    off, so the order stays on the unit's workbench and on the supervision board until the
    unit replies, and the visit is its own case in the queue.
    """
    order = WorkOrder.objects.select_for_update().get(pk=order.pk)
    if order.status == choices.RETURN_VISIT:
        raise ValidationError({"status": [f"工单{order.number}已在回访队列中。"]})
    if reason == m.LIMIT_REACHED:
        if order.status not in choices.AT_UNIT_STATUSES or order.due_at is None:
            raise ValidationError({"status": [f"工单{order.number}不在办理中。"]})
        if order.return_visits.filter(reason=m.LIMIT_REACHED, queued_at__gte=order.due_at).exists():
            raise ValidationError({"status": [f"工单{order.number}本次到期已进入回访。"]})
    latest_reply = order.replies.order_by("-replied_at", "-id").first() if reason == m.REPLIED else None
    last_round = order.return_visits.aggregate(n=Max("round"))["n"] or 0
    visit = ReturnVisit.objects.create(
        order=order,
        unit_id=order.lead_unit_id,
        round=last_round + 1,
        reason=reason,
        queued_at=timezone.now(),
        reply_result=latest_reply.result if latest_reply else "",
    )
    data = {"visit_id": visit.pk, **queued_data(visit_round=visit.round, reason=reason)}
    if reason == m.LIMIT_REACHED:
        order_services.record_event(order, action="limit_visit_queued", actor=actor, data=data)
    else:
        order_services.change_status(order, choices.RETURN_VISIT, actor=actor, action="return_visit_queued", data=data)
    return visit


def overdue_unvisited(now: datetime):
    """Open orders past their limit with no limit visit since that limit (an extension or a
    reopening moves the limit, and the new limit earns its own visit)."""
    visited = ReturnVisit.objects.filter(
        order=OuterRef("pk"), reason=m.LIMIT_REACHED, queued_at__gte=OuterRef("due_at")
    )
    return WorkOrder.objects.filter(status__in=choices.AT_UNIT_STATUSES, due_at__lte=now).exclude(Exists(visited))


def sweep(*, now: datetime | None = None, limit: int = 5000) -> int:
    """Queue every replied order, and visit every open order whose limit has passed (R23.1).

    Idempotent: an order already in return_visit, or already visited for its current limit,
    is not queued twice. Run by `jiesu return-visits` from cron and by the queue's refresh button.
    """
    now = now or timezone.now()
    replied = WorkOrder.objects.filter(status=choices.REPLIED).order_by("id").values_list("pk", flat=True)[:limit]
    due = overdue_unvisited(now).order_by("due_at", "id").values_list("pk", flat=True)[:limit]
    count = 0
    for ids, reason in ((list(replied), m.REPLIED), (list(due), m.LIMIT_REACHED)):
        for pk in ids:
            try:
                enqueue(WorkOrder(pk=pk), reason=reason)
                count += 1
            except ValidationError:
                continue  # moved on between the query and the lock: nothing to do
    return count


def _at_limit(visit: ReturnVisit) -> bool:
    """A visit made at the limit while the order is still with its unit (never replied)."""
    if visit.reason != m.LIMIT_REACHED:
        return False
    # Visits queued before limit visits left the status alone moved the order to return_visit:
    # those, when they are the order's latest round, still close or reopen it as before.
    legacy = (
        visit.order.status == choices.RETURN_VISIT
        and not visit.order.return_visits.filter(round__gt=visit.round).exists()
    )
    return not legacy


def _keep_with_unit(visit: ReturnVisit) -> None:
    # The requester's view is recorded; the order itself waits for the unit's reply, which
    # brings its own visit round. Nothing for the centre to close or reopen.
    visit.outcome = m.WITH_UNIT
    visit.save(update_fields=["outcome"])


# The visitor's call (R23.1) ----------------------------------------------------------------


@transaction.atomic
def record_attempt(visit: ReturnVisit, *, actor, outcome: str, note: str = "") -> ReturnVisit:
    """A call that did not get an answer. The Nth no-answer, a wrong number or a refusal end the
    visit as invalid: it is kept but does not count in any rate."""
    _visitor(actor)
    visit = _pending(visit)
    if outcome not in dict(m.ATTEMPT_OUTCOMES):
        raise ValidationError({"outcome": ["请选择拨打结果。"]})
    now = timezone.now()
    VisitAttempt.objects.create(visit=visit, outcome=outcome, note=note.strip()[:200], by=actor, at=now)
    visit.attempts += 1
    visit.save(update_fields=["attempts"])
    order_services.record_event(
        visit.order,
        action="return_visit_attempt",
        actor=actor,
        data={"visit_id": visit.pk, "outcome": outcome, "attempt": visit.attempts},
    )
    if outcome in (m.WRONG_NUMBER, m.REFUSED):
        return _invalidate(visit, actor=actor, reason=outcome)
    if visit.attempts >= max_tries():
        return _invalidate(visit, actor=actor, reason=m.NO_ANSWER)
    return visit


def _invalidate(visit: ReturnVisit, *, actor, reason: str) -> ReturnVisit:
    visit.state, visit.invalid_reason, visit.visitor, visit.visited_at = m.INVALID, reason, actor, timezone.now()
    visit.method = visit.method or m.PHONE
    visit.save(update_fields=["state", "invalid_reason", "visitor", "visited_at", "method"])
    order_services.record_event(
        visit.order, action="return_visit_invalid", actor=actor, data={"visit_id": visit.pk, "reason": reason}
    )
    if _at_limit(visit):
        _keep_with_unit(visit)
        return visit
    # No view to act on: the unit's reply stands and the order closes.
    _close(visit, actor=actor, note="无效回访")
    return visit


def _check_answers(contacted, resolution: str, satisfaction: str) -> None:
    errors = {}
    if contacted is None:
        errors["contacted"] = ["请选择承办单位是否联系过诉求人。"]
    if resolution not in dict(m.RESOLUTIONS):
        errors["resolution"] = ["请选择是否解决。"]
    if satisfaction not in dict(m.SATISFACTIONS):
        errors["satisfaction"] = ["请选择满意程度。"]
    if errors:
        raise ValidationError(errors)


def _record(
    visit: ReturnVisit,
    *,
    actor,
    method: str,
    contacted: bool,
    resolution: str,
    satisfaction: str,
    comments: str,
    attitude_complaint: bool,
    action: str,
) -> ReturnVisit:
    _check_answers(contacted, resolution, satisfaction)
    visit.method, visit.contacted, visit.resolution, visit.satisfaction = method, contacted, resolution, satisfaction
    visit.comments, visit.attitude_complaint = comments.strip()[:2000], bool(attitude_complaint)
    visit.state, visit.visited_at = m.DONE, timezone.now()
    visit.visitor = actor if getattr(actor, "pk", None) else None
    visit.save()
    order_services.record_event(
        visit.order,
        action=action,
        actor=actor,
        data={
            "visit_id": visit.pk,
            **visit_data(
                visit_round=visit.round,
                method=method,
                contacted=contacted,
                resolution=resolution,
                satisfaction=satisfaction,
                attitude_complaint=visit.attitude_complaint,
                reply_result=visit.reply_result,
            ),
        },
    )
    if _at_limit(visit):
        _keep_with_unit(visit)
    elif resolution == m.RESOLVED and satisfaction != m.UNSATISFIED:
        _close(visit, actor=actor, note="回访已解决")
    # Otherwise the order waits in return_visit for the centre: reopen or close (decide_after_visit).
    return visit


@transaction.atomic
def record_visit(
    visit: ReturnVisit,
    *,
    actor,
    contacted: bool,
    resolution: str,
    satisfaction: str,
    comments: str = "",
    attitude_complaint: bool = False,
) -> ReturnVisit:
    """The requester answered the visitor's script: contacted? solved? satisfied? comments."""
    _visitor(actor)
    visit = _pending(visit)
    return _record(
        visit,
        actor=actor,
        method=m.PHONE,
        contacted=contacted,
        resolution=resolution,
        satisfaction=satisfaction,
        comments=comments,
        attitude_complaint=attitude_complaint,
        action="return_visit_recorded",
    )


def _close(visit: ReturnVisit, *, actor, note: str) -> None:
    order_services.change_status(
        visit.order, choices.CLOSED, actor=actor, action="closed", data={"visit_id": visit.pk, **closed_data(note=note)}
    )
    visit.outcome = "closed"
    visit.save(update_fields=["outcome"])


@transaction.atomic
def decide_after_visit(
    visit: ReturnVisit, *, actor, reopen: bool, note: str = "", days: int | None = None
) -> ReturnVisit:
    """After a not-solved or not-satisfied visit the centre closes the order or reopens it to the
    same unit with a new limit (R23.1)."""
    _visitor(actor)
    visit = ReturnVisit.objects.select_for_update().select_related("order").get(pk=visit.pk)
    if visit.state != m.DONE or visit.outcome or visit.order.status != choices.RETURN_VISIT:
        raise ValidationError({"state": ["该回访不需要处理或已处理。"]})
    order_selectors.check_centre_text(visit.order, {"note": ("处理意见", note)})
    if not reopen:
        _close(visit, actor=actor, note=(note or "回访后办结").strip()[:500])
        return visit
    _reopen(visit, actor=actor, note=note, days=days)
    return visit


def _reopen(visit: ReturnVisit, *, actor, note: str, days: int | None) -> None:
    from jiesu.dispatch.runtime import order_deadlines

    note = (note or "").strip()
    if len(note) < 5:
        raise ValidationError({"note": ["请填写重新办理的要求（至少5个字）。"]})
    order = WorkOrder.objects.select_for_update().get(pk=visit.order_id)
    part = (
        OrderUnit.objects.select_for_update()
        .select_related("unit")
        .filter(order=order, active=True, role__in=choices.LEAD_ROLES)
        .order_by("id")
        .first()
    )
    if part is None or part.unit_id != visit.unit_id:
        raise ValidationError({"state": ["原主办单位已不再承办该工单，请改派。"]})
    now = timezone.now()
    if days:
        if not 1 <= int(days) <= 60:
            raise ValidationError({"days": ["新的办理时限应为1至60天。"]})
        new_due = now + timedelta(days=int(days))
    else:
        # The same limit the matter had the first time, counted from now (working days, holidays).
        _, new_due = order_deadlines(order, part.unit, now)
    previous = part.due_at
    part.due_at, part.finished_at = new_due, None  # the unit owes a new reply
    part.save(update_fields=["due_at", "finished_at"])
    order.due_at = new_due
    order.save(update_fields=["due_at", "updated_at"])
    order_services.change_status(
        order,
        choices.IN_PROGRESS,
        actor=actor,
        action="reopened",
        data={
            "visit_id": visit.pk,
            "unit": part.unit.name,
            "note": note[:500],
            "previous_due": previous.isoformat() if previous else None,
            "new_due": new_due.isoformat(),
        },
    )
    visit.outcome = "reopened"
    visit.save(update_fields=["outcome"])
    notify.notify_unit(
        part.unit,
        kind="reopened",
        order=order,
        title=f"回访未解决，重新办理：{order.number}",
        body=f"{note}（新时限{timezone.localtime(new_due):%Y-%m-%d %H:%M}）",
    )


# The rating link (R8.2) ----------------------------------------------------------------------


def make_token(visit: ReturnVisit) -> str:
    # Signed with the visit and its round: a link from an earlier round cannot rate a later one.
    return signing.TimestampSigner(salt=TOKEN_SALT).sign(f"{visit.pk}.{visit.round}")


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def visit_for_token(token: str) -> ReturnVisit:
    """The visit a link names; LinkExpired after its lifetime, LinkInvalid when tampered or unknown."""
    signer = signing.TimestampSigner(salt=TOKEN_SALT)
    try:
        value = signer.unsign(token, max_age=link_lifetime())
    except signing.SignatureExpired:
        raise LinkExpired("评价链接已过期") from None
    except signing.BadSignature:
        raise LinkInvalid("评价链接无效") from None
    try:
        pk, rnd = (int(x) for x in value.split("."))
        return ReturnVisit.objects.select_related("order", "unit").get(pk=pk, round=rnd)
    except (ValueError, ReturnVisit.DoesNotExist):
        raise LinkInvalid("评价链接无效") from None


@transaction.atomic
def send_rating_link(visit: ReturnVisit, *, actor, base_url: str = "") -> None:
    """Send the requester an SMS with a signed, expiring link to rate online. The link exists
    only in the SMS (made when it is sent): nothing here returns or keeps it."""
    _visitor(actor)
    visit = _pending(visit)
    order = visit.order
    if not (order.requester_phone_enc and order.requester_phone_index):
        raise ValidationError({"state": ["该诉求人没有联系电话，无法发送评价链接。"]})
    base = (base_url or settings.JIESU_PUBLIC_URL).rstrip("/")
    hours = int(link_lifetime().total_seconds() // 3600)
    visit.link_sent_at, visit.method = timezone.now(), m.SMS
    visit.save(update_fields=["link_sent_at", "method"])
    # The link is a bearer credential: the notification keeps the visit and the base URL, and
    # the SMS task makes the link when it sends (rating_link_for), so no row or log holds it.
    notify.notify_requester(
        order,
        kind="rating_link",
        title=f"请评价工单{order.number}的办理情况",
        body=f"您的诉求（工单{order.number}）已办理，请在{hours}小时内评价：",
        params={"visit_id": visit.pk, "round": visit.round, "base_url": base},
    )
    # The link itself is a credential: the event records only that it was sent.
    order_services.record_event(
        order, action="rating_link_sent", actor=actor, data={"visit_id": visit.pk, "valid_hours": hours}
    )


def rating_url(visit: ReturnVisit, base_url: str = "") -> str:
    base = (base_url or settings.JIESU_PUBLIC_URL).rstrip("/")
    return base + reverse("followup:rate", args=[make_token(visit)])


def rating_link_for(notification) -> str:
    """The link of a rating_link notification, made at sending: its lifetime starts then."""
    params = notification.params or {}
    visit = ReturnVisit(pk=params.get("visit_id"), round=params.get("round"))
    return rating_url(visit, params.get("base_url", "")) if visit.pk else ""


@transaction.atomic
def rate_online(token: str, *, contacted: bool, resolution: str, satisfaction: str, comments: str = "") -> ReturnVisit:
    """The requester's own rating from the link (no login: the signed token is the authority)."""
    visit = visit_for_token(token)
    visit = ReturnVisit.objects.select_for_update().select_related("order").get(pk=visit.pk)
    if visit.state != m.PENDING:
        raise ValidationError({"state": ["您已评价过，感谢您的反馈。"]})
    return _record(
        visit,
        actor=None,
        method=m.WEB,
        contacted=contacted,
        resolution=resolution,
        satisfaction=satisfaction,
        comments=comments,
        attitude_complaint=False,
        action="rated_online",
    )
