"""What the public may see of an order: the Open311 projection (R2.1, R21.1, R8.3).

Open311 GET is unauthenticated, so everything here is written for anyone on the internet.
The requester never appears: no name, phone, ID number, email or account, not even masked,
and a confidential order looks like any other. Free text (the description, the place, the
answers to a service's questions) is what citizens and call-takers typed, so it goes out only
through the one redactor (jiesu.core.redact): the requester's own identifiers and anything
shaped like a phone number, ID number or e-mail address are blanked. Event history is projected
from a whitelist of facts (which unit, which answer), never from event data as stored: engine
reasons quote the request text.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from jiesu.core import crypto
from jiesu.core.redact import redact
from jiesu.orders import choices
from jiesu.orders.models import OrderEvent, WorkOrder
from jiesu.orders.selectors import requester_identities

CLOSED_STATUSES = frozenset({choices.CLOSED, choices.ANSWERED, choices.TRANSFERRED})
# Events without a status change that the public history still shows.
PUBLIC_ACTIONS_WITHOUT_STATUS = frozenset({"linked_repeat"})

# FixMyStreet's extended statuses (servicerequestupdates), from our richer ones.
FMS_STATUS = {
    choices.RECEIVED: "OPEN",
    choices.PENDING_REVIEW: "FOR_TRIAGE",
    choices.DISPATCHED: "ACTION_SCHEDULED",
    choices.IN_PROGRESS: "IN_PROGRESS",
    # A unit's reply waits for the return visit before the order closes: still in progress.
    choices.REPLIED: "IN_PROGRESS",
    choices.CLOSED: "CLOSED",
    choices.ANSWERED: "CLOSED",
    # Emergencies go to 110/119/120/122: another authority's responsibility, in FMS terms.
    choices.TRANSFERRED: "NOT_COUNCILS_RESPONSIBILITY",
}
FMS_ANSWERED = {
    "repeat": "DUPLICATE",
    "legal_channel": "NOT_COUNCILS_RESPONSIBILITY",
    "out_of_scope": "NOT_COUNCILS_RESPONSIBILITY",
    "secret_privacy": "NO_FURTHER_ACTION",
    "unlawful": "NO_FURTHER_ACTION",
}
# Orders whose content is never published, even redacted: whistle-blowing reports (the
# reporter must stay protected) and requests the engine found to touch secrets or privacy.
WITHHELD_KINDS = frozenset({"report"})
WITHHELD_DISPOSITIONS = frozenset({"secret_privacy"})


def iso(value: datetime | None) -> str | None:
    """W3C datetime with the zone, in Beijing time (spec §General)."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def open311_status(status: str) -> str:
    return "closed" if status in CLOSED_STATUSES else "open"


def submission_of(order: WorkOrder):
    try:
        return order.open311_submission
    except WorkOrder.open311_submission.RelatedObjectDoesNotExist:
        return None


def identities(order: WorkOrder) -> list[tuple[str, str]]:
    """The requester's own identifiers, to blank wherever they were typed into free text: the
    order's, and what an Open311 client sent beside them (e-mail, account, device)."""
    submission = submission_of(order)
    other = []
    if submission:
        other = [
            crypto.decrypt(submission.email_enc),
            crypto.decrypt(submission.account_id_enc),
            crypto.decrypt(submission.device_id_enc),
        ]
    return requester_identities(order, other=other)


def event_note(event: OrderEvent, *, with_reply: bool = False) -> str:
    """A public sentence for one event, from whitelisted facts only.

    With `with_reply`, a unit's reply carries its public text (R15.1, R30.1): the caller
    redacts the sentence, and leaves it out for orders that are withheld."""
    data = event.data or {}
    action = event.action
    if action == "replied":
        text = (data.get("public_text") or "").strip() if with_reply else ""
        return f"承办单位已答复：{text}" if text else "承办单位已答复。"
    if action == "created":
        return "诉求已受理。"
    if action == "queued_for_review":
        return "已进入人工派单审核。"
    if action in {"dispatched", "redispatched", "objection_accepted"}:
        units = data.get("units") or []
        lead = next((u.get("name") for u in units if u.get("role") in choices.LEAD_ROLES), None)
        assist = [u.get("name") for u in units if u.get("role") == "assist" and u.get("name")]
        verb = "已派单至" if action == "dispatched" else "已改派至"
        note = f"{verb}{lead}办理。" if lead else "已派单。"
        return note + (f"协办单位：{'、'.join(assist)}。" if assist else "")
    if action == "answered":
        answer = data.get("answer") or {}
        if data.get("disposition") == "repeat" and data.get("repeat_of"):
            return f"与工单{data['repeat_of']}反映的问题相同，合并办理。"
        if answer.get("title"):
            return f"已直接答复：{answer['title']}"
        if data.get("advice"):
            return f"已告知：{data['advice']}"
        return "已直接答复。"
    if action == "transferred":
        return f"已转至{data['to']}。" if data.get("to") else "已转出。"
    if action == "closed":
        return "工单已办结。"
    if action == "linked_repeat":
        return "已关联相同问题的工单。"
    label = choices.EVENT_LABELS.get(action)
    status = choices.STATUS_LABELS.get(event.to_status)
    return "，".join(str(x) for x in (label, status) if x) + "。" if (label or status) else "状态已更新。"


def fms_status(event: OrderEvent) -> str:
    if event.to_status == choices.ANSWERED:
        return FMS_ANSWERED.get((event.data or {}).get("disposition"), "CLOSED")
    if event.from_status in CLOSED_STATUSES and event.to_status not in CLOSED_STATUSES:
        return "REOPEN"
    return FMS_STATUS.get(event.to_status, open311_status(event.to_status).upper())


def withheld(order: WorkOrder, events: list[OrderEvent]) -> bool:
    return order.kind in WITHHELD_KINDS or any(
        (e.data or {}).get("disposition") in WITHHELD_DISPOSITIONS for e in events
    )


def service_notice(order: WorkOrder) -> str | None:
    """What happens next, in one sentence (spec: the expected action)."""
    if order.status in choices.AT_UNIT_STATUSES and order.lead_unit_id:
        due = f"，办结时限{timezone.localtime(order.due_at):%Y-%m-%d %H:%M}" if order.due_at else ""
        return f"已派{order.lead_unit.name}办理{due}。"
    if order.status in {choices.RECEIVED, choices.PENDING_REVIEW}:
        return "已受理，正在派单。"
    if order.status == choices.REPLIED:
        return "承办单位已答复，待回访后办结。"
    return None


def place_names(order: WorkOrder) -> str:
    parts = [p.name for p in (order.district, order.subdistrict, order.community) if p]
    return "北京市" + "".join(parts) if parts else ""


def address_id(order: WorkOrder) -> str | None:
    place = order.community or order.subdistrict or order.district
    return place.code if place else None


def _number(value) -> float | None:
    return float(value) if value is not None else None


def request_document(
    order: WorkOrder,
    *,
    service_names: dict[str, str],
    extensions: bool,
    attribute_labels: dict[tuple[str, str], tuple[str, dict]] | None = None,
    media_urls: dict[int, str] | None = None,
) -> dict:
    """One <request> of GET requests, in the spec's field order.

    `order.public_events` must hold the order's public events (selectors prefetch them).
    `media_urls`: the public photo of each order the centre published as a case
    (jiesu.public.selectors.published_photos); other orders' files are never linked.
    """
    events: list[OrderEvent] = list(order.public_events)
    submission = submission_of(order)
    known = identities(order)
    hidden = withheld(order, events)
    service_code = order.matter_code or (submission.service_code if submission else "")
    latest = events[-1] if events else None
    if hidden:
        description = "（该诉求涉及举报或隐私保密内容，不予公开。）"
        address = place_names(order) or None
    else:
        description = redact(order.content, known)
        address = redact(order.location_text, known) if order.location_text else (place_names(order) or None)
    document = {
        "service_request_id": order.number,
        "status": open311_status(order.status),
        "status_notes": redact(event_note(latest, with_reply=not hidden), known) if latest else None,
        "service_name": service_names.get(service_code),
        "service_code": service_code or None,
        "description": description,
        "agency_responsible": order.lead_unit.name if order.lead_unit_id else None,
        "service_notice": service_notice(order),
        "requested_datetime": iso(order.received_at),
        "updated_datetime": iso(order.updated_at),
        "expected_datetime": iso(order.due_at),
        "address": address,
        "address_id": address_id(order),
        "zipcode": None,
        "lat": None if hidden else _number(order.latitude),
        "long": None if hidden else _number(order.longitude),
        # The client's own link (its own server's copy) as before; else the published case's
        # photo, served re-encoded by a public view that refuses whatever is not on show.
        "media_url": ((submission.media_url if submission else "") or (media_urls or {}).get(order.pk))
        if not hidden
        else None,
    }
    if extensions:
        answers = []
        if submission and not hidden:
            for code, values in submission.attributes.items():
                label, options = (attribute_labels or {}).get((submission.service_code, code), (None, {}))
                if label is None:
                    continue  # a client's own cross-reference (e.g. fixmystreet_id), not a public answer
                for value in values:
                    answers.append(
                        {
                            "code": code,
                            "label": label,
                            "value": redact(value, known),
                            "name": redact(options.get(value, value), known),
                        }
                    )
        parent = order.related_order.number if order.related_order_id else None
        document["attributes"] = answers
        document["extended_attributes"] = {
            "channel": order.channel,
            "kind": order.kind,
            "district": order.district.name if order.district_id else None,
            "subdistrict": order.subdistrict.name if order.subdistrict_id else None,
            "duplicate": parent is not None,
            "parent_service_request_id": parent,
        }
        document["notes"] = [
            {
                "datetime": iso(e.at),
                "type": e.action,
                "status": open311_status(e.to_status) if e.to_status else None,
                "description": redact(event_note(e, with_reply=not hidden), known),
            }
            for e in events
        ]
    return document


def update_document(event: OrderEvent, known: list[str]) -> dict:
    """One <request_update> of FixMyStreet's servicerequestupdates; a reply carries its
    redacted public text unless the order is withheld."""
    order = event.order
    hidden = (
        event.action != "replied"
        or order.kind in WITHHELD_KINDS
        or order.history().filter(data__disposition__in=sorted(WITHHELD_DISPOSITIONS)).exists()
    )
    return {
        "update_id": str(event.pk),
        "service_request_id": event.order.number,
        "status": fms_status(event),
        "updated_datetime": iso(event.at),
        "description": redact(event_note(event, with_reply=not hidden), known),
        "media_url": None,
        "external_status_code": event.to_status,
    }
