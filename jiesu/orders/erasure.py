"""Erasing one order's personal data on a lawful request (issue 12, defect 11; R8.3).

A supervisor's decision with a reason. What goes: the order's data key (so the request as
typed and every free-text value of its append-only events read as crypto.ERASED_TEXT from
then on, in backups too once the key's row is overwritten there), the requester's identity and
its blind index, the searchable masked request, and the free text of the order's own mutable
records (replies, visits, extensions, notes, objections, notifications, training examples),
which are overwritten in place. Its files go too: every attachment's file is deleted from
storage once the erasure commits (thumbnails and public photos are drawn from it on each read,
so none is left), the record stays with its name and digest blanked and an "attachment_erased"
event for each; files of its other records (appeal and supervision evidence) are deleted the
same way. The notes of the caller's record are sealed under the caller's own key
(centre.models.SealedNoteField), which is shredded too. What stays: the order's facts (matter,
place, units, times, statuses, assessment), and one event saying who erased it, when and why.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from jiesu.core import crypto, redact, roles

from . import services
from .models import Attachment, OrderEvent, WorkOrder
from .sealing import ring

ERASE_ROLES = frozenset({roles.SUPERVISOR})
ACTION = "personal_data_erased"
REASON_MIN, REASON_MAX = 5, 500
logger = logging.getLogger(__name__)

# Free-text columns of the order's own records (by name, in any model that points at the order
# directly or through one of its records). Coded columns (with choices) are never touched.
FREE_TEXT_FIELDS = frozenset(
    {
        "public_text",
        "internal_notes",
        "unresolved_reason",
        "dispute_note",
        "reason",
        "decision_note",
        "instructions",
        "note",
        "action_note",
        "confirmation_note",
        "message",
        "comments",
        "question",
        "outcome",
        "text",
        "remote_status_notes",
        "description",
        "facts",
        "evidence_text",
        "feedback",
        "lesson",
        "body",
    }
)
# Append-only tables keep their rows: their free text is sealed (events) or holds none of the order's.
APPEND_ONLY = frozenset(
    {"orders_orderevent", "orders_personaldataaccess", "centre_callerevent", "centre_staffevent", "insight_alertevent"}
)


def can_erase(user) -> bool:
    return getattr(user, "role", "") in ERASE_ROLES


def check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise ValidationError(
            {"reason": [f"请填写删除依据（至少{REASON_MIN}个字），例如诉求人依法提出删除请求的日期和方式。"]}
        )
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": [f"删除依据最多{REASON_MAX}个字，当前{len(reason)}字。"]})
    found = redact.find(reason, precise=True)
    if found:
        # The reason is kept in clear with the erasure's record: it must not bring identities back.
        raise ValidationError({"reason": [f"删除依据中含有个人信息（{redact.describe(found)}），请删除后再提交。"]})
    return reason


def _text_columns(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name in FREE_TEXT_FIELDS and isinstance(f, (models.TextField, models.CharField)) and not f.choices
    ]


def _file_columns(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _records(order: WorkOrder):
    """(model, queryset) of every mutable record of the order that has free text."""
    direct = []
    for model in apps.get_models():
        if model._meta.db_table in APPEND_ONLY or model._meta.proxy or model is WorkOrder:
            continue
        for f in model._meta.concrete_fields:
            if isinstance(f, models.ForeignKey) and f.related_model is WorkOrder:
                direct.append((model, model._default_manager.filter(**{f.name: order})))
    found = list(direct)
    for parent, parent_qs in direct:  # one level further: a whistle's calls, a consultation's comments
        for model in apps.get_models():
            if model._meta.db_table in APPEND_ONLY:
                continue
            for f in model._meta.concrete_fields:
                if isinstance(f, models.ForeignKey) and f.related_model is parent:
                    found.append((model, model._default_manager.filter(**{f"{f.name}__in": parent_qs.values("pk")})))
    return [(m, qs) for m, qs in found if m is not Attachment and (_text_columns(m) or _file_columns(m))]


def erase_personal_data(order: WorkOrder, *, actor, reason: str) -> OrderEvent:
    """Shred the order's key and overwrite its personal data; one event records it."""
    if not can_erase(actor):
        raise PermissionDenied("只有督办员可以删除工单中的个人信息。")
    reason = check_reason(reason)
    with transaction.atomic():
        order = WorkOrder.objects.select_for_update().get(pk=order.pk)
        if order.erased_at:
            raise ValidationError(
                {"reason": [f"该工单的个人信息已于{timezone.localtime(order.erased_at):%Y-%m-%d %H:%M}删除。"]}
            )
        now = timezone.now()
        shredded = order.text_key_id
        callers = _shred_callers(order)
        WorkOrder.objects.filter(pk=order.pk).update(
            content=crypto.ERASED_TEXT,
            content_sealed="",
            text_key_id="",
            text_key_enc="",
            erased_at=now,
            requester_name_enc="",
            requester_phone_enc="",
            requester_id_number_enc="",
            requester_phone_index="",
            updated_at=now,
        )
        overwritten = 0
        files: list[tuple[object, str]] = []
        for model, qs in _records(order):
            for f in _text_columns(model):
                overwritten += qs.exclude(**{f.name: ""}).update(**{f.name: crypto.ERASED_TEXT[: f.max_length or None]})
            for f in _file_columns(model):
                stored = list(qs.exclude(**{f.name: ""}).values_list(f.name, flat=True))
                files += [(f.storage, name) for name in stored]
                overwritten += qs.exclude(**{f.name: ""}).update(**{f.name: ""})
        files += _erase_attachments(order, actor=actor, at=now)
        from jiesu.learning.models import LabelledExample

        overwritten += LabelledExample.objects.filter(order_number=order.number).update(text=crypto.ERASED_TEXT)
        transaction.on_commit(lambda: _delete_files(files))
        order.refresh_from_db()
        event = services.record_event(
            order, action=ACTION, actor=actor, at=now, data={"erasure_reason": reason, "records": overwritten}
        )
    if shredded:
        ring.remember(shredded, None)
    from jiesu.centre.models import caller_ring

    for key_id in callers:
        caller_ring.remember(key_id, None)
    return event


def _erase_attachments(order: WorkOrder, *, actor, at) -> list[tuple[object, str]]:
    """Tombstone each attachment of the order (its record and its history stay) and schedule
    its file's deletion for when the erasure commits: a rolled-back erasure loses no file."""
    found = list(Attachment.objects.filter(order=order, erased_at=None).order_by("pk"))
    files = [(a.file.storage, a.file.name) for a in found if a.file.name]
    Attachment.objects.filter(pk__in=[a.pk for a in found]).update(
        file="", original_name=crypto.ERASED_TEXT, sha256="", erased_at=at
    )
    for attachment in found:
        services.record_event(
            order,
            action="attachment_erased",
            actor=actor,
            at=at,
            data={"attachment_id": attachment.pk, "kind": attachment.kind, "stage": attachment.stage},
        )
    return files


def _delete_files(files: list[tuple[object, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            # The record already says the file is erased and nothing serves it any more; a file
            # the storage could not delete now is left for the operator, and said so in the log.
            logger.exception("erasure: could not delete %s from storage", name)


def _shred_callers(order: WorkOrder) -> list[str]:
    """Destroy the key of the caller's record of this order's requester (found by the phone's
    blind index, and by the order's links from caller events): its notes then read as erased.
    The record's facts (flagged, referred, when, by whom) stay. Returns the shredded key ids."""
    from jiesu.centre.models import Caller

    found = Caller.objects.filter(
        models.Q(phone_index=order.requester_phone_index) if order.requester_phone_index else models.Q(pk__in=[])
    ) | Caller.objects.filter(events__orders=order)
    callers = list(Caller.objects.filter(pk__in=found.values("pk")).exclude(text_key_id=""))
    Caller.objects.filter(pk__in=[c.pk for c in callers]).update(text_key_id="", text_key_enc="")
    return [c.text_key_id for c in callers]
