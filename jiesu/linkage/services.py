"""Linkage with the Tianjin and Hebei 12345 hotlines over Open311 GeoReport v2 (R21.1).

One function per transition, each recording an OrderEvent:
- transfer_to_neighbour: a cross-region order goes to the neighbour (-> transferred);
- return_to_neighbour: an order the neighbour sent us that is not Beijing's goes back (-> transferred);
- record_received: an order the neighbour POSTed to our Open311 server is marked as theirs;
- follow_transfers: the neighbour's progress on what we sent becomes events on our order.

The network call never runs inside a database transaction: a slow neighbour must not hold
row locks, and a failed call must leave the order exactly as it was. The local write after a
successful call is one transaction; the attempt row written before it keeps the remote id,
so a remote order is never orphaned without trace.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jiesu.core import roles
from jiesu.core.redact import redact
from jiesu.directory.models import Unit
from jiesu.engine import units as unit_kinds
from jiesu.notifications import services as notify
from jiesu.open311 import public
from jiesu.orders import choices
from jiesu.orders import services as order_services
from jiesu.orders.models import WorkOrder

from . import client
from .client import RemoteError, RemoteRefused, RemoteUnavailable
from .models import NeighbourHotline, RemoteUpdate, ServiceCodeMapping, Transfer, TransferAttempt

log = logging.getLogger(__name__)

# Orders still ours to hand over: not yet answered, closed or sent elsewhere.
# The taxonomy's cross-region matters (跨区域 > 京津冀): the engine routes them to a hotline unit.
CROSS_REGION_PREFIX = "cross.region."
CENTRE_UNIT = "centre"
# Cross-references carried as Open311 attributes that the receiving server keeps but does
# not publish (as FixMyStreet sends attribute[fixmystreet_id]).
PARTNER_ID = "partner_request_id"
RETURNED_ID = "returned_request_id"
TRANSFER_NOTE = "transfer_note"
ATTRIBUTE_LIMIT = 200  # what a receiving Jiesu keeps of an attribute it does not define
DESCRIPTION_LIMIT = 4000  # GeoReport v2
UPDATES_OVERLAP = timedelta(minutes=10)  # re-read a little of the last window: clocks differ, updates land late
UPDATES_PAGE_SIZE = 500
UPDATES_MAX_PAGES = 20  # a bound per run; the cursor only moves when the window was read to its end
IDS_PER_CALL = 100


# Checks and lookups -----------------------------------------------------------------------


def _centre(actor) -> None:
    if not roles.is_centre_actor(actor):
        raise PermissionDenied("只有市民热线服务中心的派单员或督办员可以转办津冀热线。")


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": ["请填写转办理由（至少5个字）。"]})
    return reason


def _transferable(order: WorkOrder) -> None:
    if order.status not in choices.TRANSFERABLE:
        raise ValidationError({"status": [f"工单{order.number}当前为“{order.get_status_display()}”，不能转办。"]})


def endpoint_of(unit: Unit) -> NeighbourHotline:
    if unit.kind != unit_kinds.NEIGHBOUR_HOTLINE:
        raise ValidationError({"hotline_unit": [f"{unit.name}不是津冀热线，不能通过热线联动转办。"]})
    hotline = NeighbourHotline.objects.select_related("unit").filter(unit=unit).first()
    if hotline is None or not hotline.active:
        raise ValidationError({"hotline_unit": [f"尚未配置或已停用{unit.name}的接口，请联系管理员。"]})
    if not hotline.api_key_enc:
        raise ValidationError({"hotline_unit": [f"{unit.name}的接口密钥未配置，请联系管理员。"]})
    return hotline


def active_hotlines():
    return NeighbourHotline.objects.select_related("unit").filter(active=True).exclude(api_key_enc="")


def is_cross_region(order: WorkOrder) -> bool:
    """Classified as a 京津冀 matter, or dispatched to a neighbour hotline's unit by the engine."""
    if order.matter_code.startswith(CROSS_REGION_PREFIX):
        return True
    return bool(order.lead_unit_id) and order.lead_unit.kind == unit_kinds.NEIGHBOUR_HOTLINE


def source_hotline(order: WorkOrder) -> NeighbourHotline | None:
    """The neighbour whose Open311 client created this order, if one did."""
    submission = public.submission_of(order)
    if submission is None:
        return None
    return NeighbourHotline.objects.select_related("unit").filter(inbound_client_id=submission.client_id).first()


def service_code_for(order: WorkOrder, hotline: NeighbourHotline) -> str:
    if order.matter_code:
        mapped = ServiceCodeMapping.objects.filter(hotline=hotline, matter_code=order.matter_code).first()
        return mapped.service_code if mapped else order.matter_code
    if hotline.default_service_code:
        return hotline.default_service_code
    raise ValidationError(
        {"hotline_unit": [f"工单尚未分类，且未设置{hotline.unit.name}的默认事项代码，无法确定对方事项。请先分类。"]}
    )


# What goes over the wire ------------------------------------------------------------------


def _split_name(name: str) -> tuple[str, str]:
    """(first_name, last_name) as the receiving Open311 server recombines them."""
    if not name or name.isascii():
        return name, ""
    return name[1:], name[0]  # Chinese: family name first, one character in the common case


def outgoing_form(
    order: WorkOrder, *, service_code: str, reason: str, consent: bool, attributes: dict[str, str]
) -> dict:
    """The Open311 POST for an order.

    Without the requester's consent nothing identifies them: no name or phone fields, and the
    free text is redacted the way our own public Open311 output is (their identifiers and
    anything shaped like a phone, ID number or e-mail become ***).
    """
    known = public.identities(order)

    def clean(text: str) -> str:
        return text if consent else redact(text, known)

    # The reason travels beside the description, not in it: the description is what the
    # requester said, and the receiving hotline's classifier reads it.
    form = {
        "service_code": service_code,
        "description": clean(order.request_text)[:DESCRIPTION_LIMIT],
        f"attribute[{TRANSFER_NOTE}]": clean(reason)[:ATTRIBUTE_LIMIT],
    }
    location = clean(order.location_text) if order.location_text else public.place_names(order)
    if location:
        form["address_string"] = location
    if order.latitude is not None and order.longitude is not None:
        form["lat"], form["long"] = str(order.latitude), str(order.longitude)
    if "address_string" not in form and "lat" not in form:
        raise ValidationError({"status": ["工单没有诉求地点，对方接口要求提供地点。请先补充地点。"]})
    if consent:
        first, last = _split_name(order.requester_name)
        form.update(
            {k: v for k, v in (("first_name", first), ("last_name", last), ("phone", order.requester_phone)) if v}
        )
    for code, value in attributes.items():
        if value:
            form[f"attribute[{code}]"] = value
    return form


def _check_consent(order: WorkOrder, consent: bool) -> None:
    if consent and order.requester_confidential:
        raise ValidationError({"consent_personal_data": ["诉求人要求保密，不能向对方提供其个人信息。"]})


# Sending -----------------------------------------------------------------------------------


def _send(order: WorkOrder, hotline: NeighbourHotline, *, actor, direction: str, form: dict) -> tuple[str, str, int]:
    """POST to the neighbour; (remote id, token, tries). Every outcome leaves a TransferAttempt."""
    attempt = TransferAttempt(order=order, hotline=hotline, direction=direction, actor=actor)
    try:
        answer = client.post_request(hotline, form)
    except RemoteError as exc:
        attempt.outcome = TransferAttempt.REFUSED if isinstance(exc, RemoteRefused) else TransferAttempt.FAILED
        attempt.http_status, attempt.tries, attempt.error = exc.status, exc.tries, exc.detail[:2000]
        attempt.save()
        log.warning("linkage: %s of %s to %s failed: %s", direction, order.number, hotline.unit.code, exc.detail)
        raise
    rows = answer.document if isinstance(answer.document, list) else []
    first = rows[0] if rows and isinstance(rows[0], dict) else {}
    remote_id, token = str(first.get("service_request_id") or ""), str(first.get("token") or "")
    attempt.outcome, attempt.http_status, attempt.tries = TransferAttempt.SENT, answer.status, answer.tries
    attempt.remote_id = remote_id or token
    if not (remote_id or token):
        attempt.outcome, attempt.error = TransferAttempt.FAILED, f"对方答复中没有工单编号：{str(answer.document)[:500]}"
        attempt.save()
        raise RemoteUnavailable(f"{hotline.unit.name}已答复，但未返回工单编号，请与对方核实。", status=answer.status)
    attempt.save()
    return remote_id, token, answer.tries


@transaction.atomic
def _record_transfer(
    order: WorkOrder,
    hotline: NeighbourHotline,
    *,
    actor,
    direction: str,
    action: str,
    reason: str,
    judged: bool,
    consent: bool,
    service_code: str,
    remote_id: str,
    token: str,
    acknowledged_by: str = "",
) -> Transfer:
    previous_lead = order.lead_unit if order.lead_unit_id else None
    transfer = Transfer.objects.create(
        order=order,
        hotline=hotline,
        direction=direction,
        reason=reason,
        judged_cross_region=judged,
        consent_personal_data=consent,
        service_code=service_code,
        remote_id=remote_id,
        remote_token=token,
        created_by=actor,
    )
    order_services.change_status(
        order,
        choices.TRANSFERRED,
        actor=actor,
        action=action,
        data={
            "to": hotline.unit.name,
            "to_code": hotline.unit.code,
            "transfer_id": transfer.pk,
            "remote_id": remote_id or None,
            "remote_token": token or None,
            "service_code": service_code,
            "reason": reason,
            "judged_cross_region": judged,
            "consent_personal_data": consent,
            # Taken by the neighbour's staff on the phone rather than by its Open311 server.
            **({"acknowledged_by": acknowledged_by} if acknowledged_by else {}),
        },
    )
    # A Beijing unit that was already working on it must know to stop (the hotline unit has no inbox users).
    if previous_lead and previous_lead.kind != unit_kinds.NEIGHBOUR_HOTLINE:
        notify.notify_unit(
            previous_lead,
            kind=action,
            order=order,
            title=f"工单{order.number}已转{hotline.unit.name}",
            body=f"该诉求已转{hotline.unit.name}办理，本单位无需继续办理。转办理由：{reason}",
        )
    return transfer


def _check_cross_region(order: WorkOrder, judged_cross_region: bool) -> None:
    """Only a cross-region order leaves for a neighbour, unless the dispatcher judges it so."""
    if not is_cross_region(order) and not judged_cross_region:
        raise ValidationError(
            {
                "judged_cross_region": [
                    "该工单未被分类为京津冀跨区域诉求。如确属津冀辖区事项，请勾选“判定为跨区域诉求”并说明理由。"
                ]
            }
        )


def transfer_to_neighbour(
    order: WorkOrder,
    *,
    actor,
    hotline_unit: Unit,
    reason: str,
    judged_cross_region: bool = False,
    consent_personal_data: bool = False,
) -> Transfer:
    """Send a cross-region order to the Tianjin or Hebei hotline's Open311 server (R21.1).

    The order must be classified as cross-region (or dispatched to the hotline by the engine),
    unless the dispatcher explicitly judges it so. A refusal by the neighbour or a network
    failure raises RemoteRefused / RemoteUnavailable (ValidationErrors carrying the
    neighbour's own error text) and leaves the order untouched.
    """
    _centre(actor)
    reason = _reason(reason)
    order = WorkOrder.objects.select_related("lead_unit", "district", "subdistrict", "community").get(pk=order.pk)
    _transferable(order)
    hotline = endpoint_of(hotline_unit)
    _check_cross_region(order, judged_cross_region)
    _check_consent(order, consent_personal_data)
    service_code = service_code_for(order, hotline)
    form = outgoing_form(
        order,
        service_code=service_code,
        reason=reason,
        consent=consent_personal_data,
        attributes={PARTNER_ID: order.number},
    )
    remote_id, token, _ = _send(order, hotline, actor=actor, direction=Transfer.OUT, form=form)
    return _record_transfer(
        order,
        hotline,
        actor=actor,
        direction=Transfer.OUT,
        action="neighbour_transferred",
        reason=reason,
        judged=judged_cross_region and not is_cross_region(order),
        consent=consent_personal_data,
        service_code=service_code,
        remote_id=remote_id,
        token=token,
    )


def return_to_neighbour(order: WorkOrder, *, actor, reason: str, consent_personal_data: bool = False) -> Transfer:
    """Send an order a neighbour transferred to us back to it: it is not a Beijing matter (R21.1).

    It goes back as a new request on their server carrying their own request id, which is
    the only way GeoReport v2 has to answer a request with another.
    """
    _centre(actor)
    reason = _reason(reason)
    order = WorkOrder.objects.select_related("lead_unit", "district", "subdistrict", "community").get(pk=order.pk)
    _transferable(order)
    hotline = source_hotline(order)
    if hotline is None:
        raise ValidationError({"status": ["该工单不是津冀热线转来的，不能退回。如属津冀事项，请使用“转津冀热线”。"]})
    hotline = endpoint_of(hotline.unit)
    _check_consent(order, consent_personal_data)
    service_code = order.open311_submission.service_code
    theirs = (order.open311_submission.attributes.get(PARTNER_ID) or [""])[0]
    form = outgoing_form(
        order,
        service_code=service_code,
        reason=reason,
        consent=consent_personal_data,
        attributes={PARTNER_ID: order.number, RETURNED_ID: theirs},
    )
    remote_id, token, _ = _send(order, hotline, actor=actor, direction=Transfer.RETURN, form=form)
    return _record_transfer(
        order,
        hotline,
        actor=actor,
        direction=Transfer.RETURN,
        action="neighbour_returned",
        reason=reason,
        judged=False,
        consent=consent_personal_data,
        service_code=service_code,
        remote_id=remote_id,
        token=token,
    )


# Handed over outside Open311 ------------------------------------------------------------------
#
# The neighbour's server may be down, not yet connected, or the two centres may simply agree a
# case on the phone. The dispatcher then records what the neighbour's staff said: the same
# checks, the same Transfer row, the same event and status as a POST, with the neighbour's
# acknowledgement (their reference number, who took it) given instead of read from an answer.

ACK_ID_LIMIT = 100  # Transfer.remote_id


def _acknowledgement(remote_id: str, acknowledged_by: str) -> tuple[str, str]:
    remote_id, acknowledged_by = (remote_id or "").strip(), (acknowledged_by or "").strip()
    errors = {}
    if not remote_id:
        errors["remote_id"] = ["请填写对方热线告知的工单编号。"]
    elif len(remote_id) > ACK_ID_LIMIT:
        errors["remote_id"] = [f"对方工单编号最多{ACK_ID_LIMIT}个字符。"]
    if len(acknowledged_by) < 2:
        errors["acknowledged_by"] = ["请填写对方受理人（姓名或工号）。"]
    elif len(acknowledged_by) > 50:
        errors["acknowledged_by"] = ["对方受理人最多50个字。"]
    if errors:
        raise ValidationError(errors)
    return remote_id, acknowledged_by


def _hotline_of(unit: Unit) -> NeighbourHotline:
    """The neighbour's row, with or without a working Open311 key (a phone handover needs none)."""
    if unit.kind != unit_kinds.NEIGHBOUR_HOTLINE:
        raise ValidationError({"hotline_unit": [f"{unit.name}不是津冀热线，不能通过热线联动转办。"]})
    hotline = NeighbourHotline.objects.select_related("unit").filter(unit=unit).first()
    if hotline is None or not hotline.active:
        raise ValidationError({"hotline_unit": [f"尚未配置或已停用{unit.name}，请联系管理员。"]})
    return hotline


def record_acknowledged_transfer(
    order: WorkOrder,
    *,
    actor,
    hotline_unit: Unit,
    reason: str,
    remote_id: str,
    acknowledged_by: str,
    judged_cross_region: bool = False,
    consent_personal_data: bool = False,
) -> Transfer:
    """A cross-region order the neighbour took by phone: recorded as transfer_to_neighbour records a POST."""
    _centre(actor)
    reason = _reason(reason)
    remote_id, acknowledged_by = _acknowledgement(remote_id, acknowledged_by)
    order = WorkOrder.objects.select_related("lead_unit").get(pk=order.pk)
    _transferable(order)
    hotline = _hotline_of(hotline_unit)
    _check_cross_region(order, judged_cross_region)
    _check_consent(order, consent_personal_data)
    return _record_transfer(
        order,
        hotline,
        actor=actor,
        direction=Transfer.OUT,
        action="neighbour_transferred",
        reason=reason,
        judged=judged_cross_region and not is_cross_region(order),
        consent=consent_personal_data,
        service_code=service_code_for(order, hotline),
        remote_id=remote_id,
        token="",
        acknowledged_by=acknowledged_by,
    )


def record_acknowledged_return(
    order: WorkOrder, *, actor, reason: str, remote_id: str, acknowledged_by: str, consent_personal_data: bool = False
) -> Transfer:
    """An order the neighbour sent us, taken back by its staff on the phone: as return_to_neighbour records it."""
    _centre(actor)
    reason = _reason(reason)
    remote_id, acknowledged_by = _acknowledgement(remote_id, acknowledged_by)
    order = WorkOrder.objects.select_related("lead_unit").get(pk=order.pk)
    _transferable(order)
    source = source_hotline(order)
    if source is None:
        raise ValidationError({"status": ["该工单不是津冀热线转来的，不能退回。如属津冀事项，请使用“转津冀热线”。"]})
    hotline = _hotline_of(source.unit)
    _check_consent(order, consent_personal_data)
    return _record_transfer(
        order,
        hotline,
        actor=actor,
        direction=Transfer.RETURN,
        action="neighbour_returned",
        reason=reason,
        judged=False,
        consent=consent_personal_data,
        service_code=order.open311_submission.service_code,
        remote_id=remote_id,
        token="",
        acknowledged_by=acknowledged_by,
    )


def record_reported_progress(
    transfer: Transfer, *, actor, description: str, closed: bool = False, at: datetime | None = None
) -> Transfer:
    """What the neighbour's staff reported on the phone about a transfer: the same events as
    following their Open311 server (neighbour_updated, and neighbour_closed when they finished)."""
    _centre(actor)
    description = (description or "").strip()
    if len(description) < 2:
        raise ValidationError({"description": ["请填写对方告知的办理情况。"]})
    if len(description) > 1000:
        raise ValidationError({"description": ["办理情况最多1000字。"]})
    now = timezone.now()
    at = at or now
    if at > now or at < transfer.created_at:
        raise ValidationError({"at": ["对方告知的时间应在转办之后、当前时间之前。"]})
    transfer = Transfer.objects.select_related("order", "hotline__unit").get(pk=transfer.pk)
    if transfer.remote_status == Transfer.CLOSED:
        raise ValidationError({"status": [f"{transfer.hotline.unit.name}已办结该工单，不能再登记进展。"]})
    status = Transfer.CLOSED if closed else Transfer.OPEN
    with transaction.atomic():
        _record_update(
            transfer,
            update_id=f"phone-{uuid.uuid4().hex}",
            status=status,
            description=description,
            at=at,
            actor=actor,
        )
        # As a GET of the request would: the latest note, and the close if they finished.
        row = {"status": status, "status_notes": description, "updated_datetime": at.isoformat()}
        _record_remote_state(transfer, row, now, actor=actor)
    transfer.refresh_from_db()
    return transfer


# Receiving ---------------------------------------------------------------------------------


@transaction.atomic
def record_received(submission) -> None:
    """Mark an order a neighbour POSTed to our Open311 server as theirs (called on every Submission).

    The Submission already says which ApiClient sent it; the event puts the hotline on the
    order's timeline. If it is one of our own transfers coming back, the original order is
    told too.
    """
    hotline = NeighbourHotline.objects.select_related("unit").filter(inbound_client_id=submission.client_id).first()
    if hotline is None:
        return
    order = submission.order
    theirs = (submission.attributes.get(PARTNER_ID) or [""])[0]
    ours = (submission.attributes.get(RETURNED_ID) or [""])[0]
    data = {
        "from": hotline.unit.name,
        "from_code": hotline.unit.code,
        "client": submission.client.name,
        "remote_id": theirs or None,
        "note": (submission.attributes.get(TRANSFER_NOTE) or [""])[0],
    }
    original = None
    if ours:
        original = (
            Transfer.objects.select_for_update()
            .filter(hotline=hotline, order__number=ours, returned_order__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if original:
            data["returns_order"] = ours
    order_services.record_event(order, action="neighbour_received", actor=submission.client.user, data=data)
    if original:
        original.returned_order = order
        original.save(update_fields=["returned_order"])
        order_services.record_event(
            original.order,
            action="neighbour_sent_back",
            actor=submission.client.user,
            data={"from": hotline.unit.name, "new_order": order.number, "remote_id": theirs or None},
        )
    centre = Unit.objects.filter(code=CENTRE_UNIT).first()
    if centre:
        title = f"{hotline.unit.name}{'退回' if original else '转来'}工单：{order.number}"
        body = f"原工单{ours}被退回，" if original else ""
        notify.notify_unit(centre, kind="neighbour_received", order=order, title=title, body=body + order.content[:200])


# Following ---------------------------------------------------------------------------------


def follow_transfers(*, now: datetime | None = None) -> dict[str, int]:
    """Poll every active neighbour for what happened to our open transfers (a Celery-friendly job).

    One hotline's failure is logged and does not stop the others; the next run retries.
    """
    totals = {"hotlines": 0, "updates": 0, "closed": 0, "failed": 0}
    for hotline in active_hotlines():
        totals["hotlines"] += 1
        try:
            counts = follow_hotline(hotline, now=now)
        except RemoteError as exc:
            totals["failed"] += 1
            log.warning("linkage: following %s failed: %s", hotline.unit.code, exc.detail)
            continue
        totals["updates"] += counts["updates"]
        totals["closed"] += counts["closed"]
    return totals


def follow_hotline(hotline: NeighbourHotline, *, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    _resolve_tokens(hotline)
    updates = _follow_updates(hotline, now)
    closed = _follow_requests(hotline, now)
    return {"updates": updates, "closed": closed}


def _resolve_tokens(hotline: NeighbourHotline) -> None:
    """Batch servers answer a POST with a token; the id comes later (spec: GET tokens/{token})."""
    for transfer in Transfer.objects.filter(hotline=hotline, remote_id="").exclude(remote_token=""):
        remote_id = client.get_token(hotline, transfer.remote_token)
        if remote_id:
            Transfer.objects.filter(pk=transfer.pk, remote_id="").update(remote_id=remote_id)


def _when(value) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _follow_updates(hotline: NeighbourHotline, now: datetime) -> int:
    """FixMyStreet's servicerequestupdates: the neighbour's status changes, each recorded once.

    Servers without the extension answer 4xx; then GET requests alone tells open from closed.
    """
    open_transfers = Transfer.objects.filter(hotline=hotline, remote_status=Transfer.OPEN).exclude(remote_id="")
    earliest = open_transfers.order_by("created_at").values_list("created_at", flat=True).first()
    if earliest is None:
        return 0
    start = (hotline.updates_cursor or earliest) - UPDATES_OVERLAP
    start = max(start, now - timedelta(days=90) + timedelta(minutes=1))  # the spec's longest window
    recorded = 0
    for page in range(1, UPDATES_MAX_PAGES + 1):
        try:
            rows = client.get_updates(
                hotline, start=start.isoformat(), end=now.isoformat(), page=page, page_size=UPDATES_PAGE_SIZE
            )
        except RemoteRefused as exc:
            log.info(
                "linkage: %s has no servicerequestupdates (%s); following by GET requests only",
                hotline.unit.code,
                exc.detail,
            )
            return recorded
        recorded += _record_updates(hotline, rows)
        if len(rows) < UPDATES_PAGE_SIZE:
            NeighbourHotline.objects.filter(pk=hotline.pk).update(updates_cursor=now)
            hotline.updates_cursor = now
            break
    return recorded


def _record_updates(hotline: NeighbourHotline, rows: list[dict]) -> int:
    ids = {str(r.get("service_request_id")) for r in rows if r.get("service_request_id")}
    transfers = {
        t.remote_id: t for t in Transfer.objects.select_related("order").filter(hotline=hotline, remote_id__in=ids)
    }
    recorded = 0
    for row in rows:
        transfer = transfers.get(str(row.get("service_request_id")))
        update_id = str(row.get("update_id") or "")
        if transfer is None or not update_id:
            continue
        at = _when(row.get("updated_datetime"))
        if at and at < transfer.created_at - UPDATES_OVERLAP:
            continue  # history from before it was ours to follow
        if _record_update(
            transfer,
            update_id=update_id,
            status=str(row.get("status") or ""),
            description=str(row.get("description") or ""),
            at=at,
        ):
            recorded += 1
    return recorded


def _record_update(transfer: Transfer, *, update_id: str, status: str, description: str, at, actor=None) -> bool:
    """One neighbour update -> one event on our order; False if it was recorded before."""
    try:
        with transaction.atomic():
            RemoteUpdate.objects.create(
                transfer=transfer,
                update_id=update_id,
                status=status[:40],
                description=description[:4000],
                updated_at=at,
            )
            order_services.record_event(
                transfer.order,
                action="neighbour_updated",
                actor=actor,
                data={
                    "hotline": transfer.hotline.unit.name,
                    "transfer_id": transfer.pk,
                    "remote_id": transfer.remote_id,
                    "status": status,
                    "description": description[:1000],
                    "update_id": update_id,
                    "remote_at": at.isoformat() if at else None,
                },
            )
    except IntegrityError:
        return False  # the same update read again through the overlapping window
    return True


def _follow_requests(hotline: NeighbourHotline, now: datetime) -> int:
    """GET the open transfers themselves: the spec's open/closed is the authority on closing."""
    open_transfers = list(
        Transfer.objects.select_related("order", "hotline__unit")
        .filter(hotline=hotline, remote_status=Transfer.OPEN)
        .exclude(remote_id="")
    )
    closed = 0
    for i in range(0, len(open_transfers), IDS_PER_CALL):
        chunk = {t.remote_id: t for t in open_transfers[i : i + IDS_PER_CALL]}
        rows = client.get_requests(hotline, list(chunk))
        seen = set()
        for row in rows:
            transfer = chunk.get(str(row.get("service_request_id")))
            if transfer is None:
                continue
            seen.add(transfer.remote_id)
            if _record_remote_state(transfer, row, now):
                closed += 1
        Transfer.objects.filter(remote_id__in=seen, hotline=hotline).update(last_polled_at=now)
    return closed


def _record_remote_state(transfer: Transfer, row: dict, now: datetime, *, actor=None) -> bool:
    """Keep the remote status; a close becomes an event with the neighbour's note. True if it closed now."""
    status = "closed" if str(row.get("status", "")).lower() == "closed" else "open"
    notes = str(row.get("status_notes") or "")
    updated = _when(row.get("updated_datetime"))
    with transaction.atomic():
        locked = Transfer.objects.select_for_update().get(pk=transfer.pk)
        if locked.remote_status == Transfer.CLOSED:
            return False
        locked.remote_status_notes, locked.remote_updated_at = notes, updated
        fields = ["remote_status_notes", "remote_updated_at"]
        if status != Transfer.CLOSED:
            locked.save(update_fields=fields)
            return False
        locked.remote_status, locked.remote_closed_at = Transfer.CLOSED, updated or now
        locked.save(update_fields=[*fields, "remote_status", "remote_closed_at"])
        agency = row.get("agency_responsible")
        order_services.record_event(
            locked.order,
            action="neighbour_closed",
            actor=actor,
            data={
                "hotline": locked.hotline.unit.name,
                "transfer_id": locked.pk,
                "remote_id": locked.remote_id,
                "note": notes,
                "agency": agency,
                "remote_at": locked.remote_closed_at.isoformat(),
            },
        )
        centre = Unit.objects.filter(code=CENTRE_UNIT).first()
        if centre:
            notify.notify_unit(
                centre,
                kind="neighbour_closed",
                order=locked.order,
                title=f"{locked.hotline.unit.name}已办结工单{locked.order.number}",
                body=notes or "对方未提供办理说明。",
            )
    return True
