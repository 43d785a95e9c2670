"""Every change to a work order goes through a function here.

Each function checks that the change is allowed, writes the new state and appends an
immutable OrderEvent in the same transaction (the rule Zulip's `actions` modules follow), so
the timeline is always the whole truth. Checks that need no row run before the transaction
opens, so bad input never dooms a caller's transaction. Event data never holds personal data in clear: events
cannot be updated or deleted, so what goes in stays forever.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, models, transaction
from django.utils import timezone

from jiesu.core import phones, roles, rows

from . import choices, numbering, signals, uploads
from .models import EVENT_MARGIN, Attachment, OrderEvent, PersonalDataAccess, WorkOrder, search_keys


@dataclass
class IntakeData:
    """What a call-taker, a web form or an API client tells us about a new request (R10.1)."""

    channel: str
    kind: str
    content: str
    requester_phone: str = ""
    requester_name: str = ""
    requester_id_number: str = ""
    requester_type: str = "natural"
    requester_organisation: str = ""
    requester_confidential: bool = False
    location_text: str = ""
    source_line: str = "12345"
    received_at: datetime | None = None
    latitude: float | None = None
    longitude: float | None = None
    attachments: list[UploadedFile] = field(default_factory=list)


def _codes(pairs) -> set[str]:
    return {code for code, _ in pairs}


def validate_intake(data: IntakeData) -> dict[str, list[str]]:
    """Field errors in Chinese, keyed by field name; empty when the data can be saved."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.channel not in _codes(choices.CHANNELS):
        add("channel", f"未知的受理渠道：{data.channel!r}")
    if data.kind not in _codes(choices.KINDS):
        add("kind", f"未知的诉求类型：{data.kind!r}")
    if data.source_line not in _codes(choices.SOURCE_LINES):
        add("source_line", f"未知的来源热线：{data.source_line!r}")
    if data.requester_type not in _codes(choices.REQUESTER_TYPES):
        add("requester_type", f"未知的诉求人类型：{data.requester_type!r}")
    content = (data.content or "").strip()
    if len(content) < 5:
        add("content", "请记录诉求内容（至少5个字）。")
    elif len(content) > 4000:
        add("content", f"诉求内容最多4000字，当前{len(content)}字。")
    phone = phones.digits(data.requester_phone)
    if data.requester_phone and phones.problem(data.requester_phone):
        add("requester_phone", phones.MESSAGE)
    if data.channel in phones.REQUIRED_BY_CHANNELS and not phone:
        add("requester_phone", phones.REQUIRED_MESSAGE)
    if len(data.requester_name) > 50:
        add("requester_name", "姓名最多50个字。")
    if data.requester_id_number and not (
        len(data.requester_id_number) in (15, 18) and data.requester_id_number[:-1].isdigit()
    ):
        add("requester_id_number", "身份证号应为15位或18位。")
    if data.requester_type in {"legal", "organisation"} and not data.requester_organisation.strip():
        add("requester_organisation", "法人或组织诉求请填写单位名称。")
    if len(data.location_text) > 300:
        add("location_text", "地点最多300个字。")
    if (data.latitude is None) != (data.longitude is None):
        add("latitude", "经纬度须同时填写。")
    if data.latitude is not None and not (-90 <= float(data.latitude) <= 90):
        add("latitude", "纬度应在-90到90之间。")
    if data.longitude is not None and not (-180 <= float(data.longitude) <= 180):
        add("longitude", "经度应在-180到180之间。")
    if data.received_at and data.received_at > timezone.now() + timezone.timedelta(minutes=5):
        add("received_at", "受理时间不能晚于现在。")
    if data.received_at and timezone.localtime(data.received_at).date() < numbering.FIRST_DAY:
        add("received_at", f"受理时间不能早于{numbering.FIRST_DAY:%Y-%m-%d}。")
    if len(data.attachments) > settings.JIESU_ATTACHMENT_MAX_FILES:
        add("attachments", f"一次最多上传{settings.JIESU_ATTACHMENT_MAX_FILES}个附件，本次{len(data.attachments)}个。")
    for upload in data.attachments:
        problem = uploads.problem(upload)
        if problem:
            add("attachments", problem)
    return errors


def _next_number(received_at: datetime) -> str:
    day = timezone.localtime(received_at).date()
    return numbering.format_number(day, numbering.take(day))


def record_event(
    order: WorkOrder,
    *,
    action: str,
    actor=None,
    data: dict | None = None,
    from_status: str = "",
    to_status: str = "",
    at: datetime | None = None,
) -> OrderEvent:
    event = new_event(order, action=action, actor=actor, data=data, from_status=from_status, to_status=to_status, at=at)
    # As save() would write it (every field's pre_save: the data sealed), in an INSERT built
    # once per process: the ORM's compile was a tenth of a handling action's CPU.
    rows.insert([event])
    signals.send_recorded([event])
    return event


# Past this many events at once (a bulk load: the demo's history) PostgreSQL takes them by COPY.
COPY_EVENTS_FROM = 5000


class BulkEvent:
    """An event of a bulk load (the demo's history) as new_event makes it, without a model
    instance: COPY reads the same attributes and seals the same way (the data field's pre_save),
    and OrderEvent.__init__ for 7.6 events per order was a third of the demo writer's CPU.
    write_events turns them into instances where it inserts by the ORM."""

    __slots__ = ("order", "order_id", "at", "actor_id", "actor_unit_id", "action", "from_status", "to_status", "data")

    def __init__(self, order, at, actor, action, from_status, to_status, data) -> None:
        if order.pk is None:
            raise ValueError("a bulk event needs its order's key: make the order's id first")
        self.order = order
        self.order_id = order.pk
        self.at = at
        self.actor_id = getattr(actor, "pk", None)
        self.actor_unit_id = getattr(actor, "unit_id", None)
        self.action = action
        self.from_status = from_status
        self.to_status = to_status
        self.data = data

    def instance(self) -> OrderEvent:
        return OrderEvent(
            order=self.order,
            at=self.at,
            actor_id=self.actor_id,
            actor_unit_id=self.actor_unit_id,
            action=self.action,
            from_status=self.from_status,
            to_status=self.to_status,
            data=self.data,
        )


def write_events(events: list[OrderEvent], *, notify: bool = True, parts: list | None = None) -> None:
    """Insert events made by new_event: the several events of one transition in one statement,
    or a bulk load's many (the demo's history). Every field's pre_save runs either way, so free
    text is sealed as record_event seals it. `notify=False` for history nobody is to be told of;
    `parts`: the order's unit parts when they were written with these events (a new order's), so
    that whoever is told of the dispatch does not read them back.
    """
    if connection.vendor == "postgresql" and len(events) >= COPY_EVENTS_FROM:
        _copy_events(events)
    else:
        events = [e.instance() if isinstance(e, BulkEvent) else e for e in events]
        if len(events) <= INSERT_EVENTS_UP_TO:
            rows.insert(events)
        else:
            OrderEvent.objects.bulk_create(events, batch_size=4000)
    if notify:
        signals.send_recorded(events, parts=parts)


# A transition's few events (an intake's three) go in one INSERT of a statement built once per
# row count (`rows.insert`): bulk_create compiled it anew each time, 0.9 ms of an intake POST's
# CPU of 10.
INSERT_EVENTS_UP_TO = 20


@functools.cache
def _event_columns() -> tuple[str, list]:
    """The events' quoted column list (all but the key) and how each value is prepared."""
    fields = [f for f in OrderEvent._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    return columns, [_copy_value(f) for f in fields]


def _event_rows(events: list[OrderEvent]) -> list[list]:
    """The rows bulk_create would insert (for COPY): pre_save, then each value as prepared for the
    database."""
    for event in events:
        if event.order_id is None:  # made before its order's INSERT (intake); bulk_create fixes it alike
            # Through the relation, as bulk_create does: setting order_id would drop the cached
            # order, and sealing each event's text would read the order back.
            event.order = event.order
    _, prepare = _event_columns()
    return [[p(event) for p in prepare] for event in events]


def _copy_events(events: list[OrderEvent]) -> None:
    # Rows are prepared before COPY starts: sealing free text may read the order's key, and a
    # query on the connection while its COPY is open waits for the COPY forever (one connection,
    # one statement at a time).
    prepared = _event_rows(events)
    columns, _ = _event_columns()
    table = connection.ops.quote_name(OrderEvent._meta.db_table)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in prepared:
                copy.write_row(row)


def _copy_value(model_field):
    """How `model_field`'s value of an event is prepared for COPY: what bulk_create does (pre_save, then
    the value prepared for the database), read straight from the instance where that is the
    value itself: a key's id, a text, an aware time (PostgreSQL takes it as it is). A bulk load
    prepares millions of them."""
    kind = type(model_field)
    plain = kind in (models.ForeignKey, models.CharField) or (
        kind is models.DateTimeField and not model_field.auto_now and not model_field.auto_now_add
    )
    if plain:
        return operator.attrgetter(model_field.attname)
    return lambda event: model_field.get_db_prep_save(model_field.pre_save(event, True), connection)


def new_event(
    order: WorkOrder,
    *,
    action: str,
    actor=None,
    data: dict | None = None,
    from_status: str = "",
    to_status: str = "",
    at: datetime | None = None,
    bulk: bool = False,
) -> OrderEvent | BulkEvent:
    """The event record_event would write, unsaved: a transition that writes several events
    (intake: created, decided, dispatched) inserts them with one bulk_create. `bulk`: a
    BulkEvent, for a load of many (the order already has its key)."""
    at = at or timezone.now()
    if at < order.received_at - EVENT_MARGIN:
        # WorkOrder.history would not find it: reads of an order's events start at its receipt.
        raise ValueError(f"an event of {order.number} dated {at:%Y-%m-%d %H:%M} is before the order was received")
    if bulk:
        return BulkEvent(order, at, actor, action, from_status, to_status, data or {})
    return OrderEvent(
        order=order,
        at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_unit_id=getattr(actor, "unit_id", None),
        action=action,
        data=data or {},
        from_status=from_status,
        to_status=to_status,
    )


def check_can_intake(actor) -> None:
    if not roles.has_role(actor, roles.INTAKE_ROLES):
        raise PermissionDenied("只有话务员、派单员或督办员可以受理诉求。")


def create_order(data: IntakeData, *, actor) -> WorkOrder:
    """Write a new work order in status received, with its attachments and first event."""
    order = new_order(data, actor=actor)
    with transaction.atomic(savepoint=False):
        take_number(order)
        return write_new_order(order, data, actor=actor)


def new_order(data: IntakeData, *, actor) -> WorkOrder:
    """The checked, unsaved order for `data` (no number yet); raises before anything is written."""
    check_can_intake(actor)
    errors = validate_intake(data)
    if errors:
        raise ValidationError(errors)
    order = WorkOrder(
        received_at=data.received_at or timezone.now(),
        channel=data.channel,
        source_line=data.source_line,
        kind=data.kind,
        requester_type=data.requester_type,
        requester_organisation=data.requester_organisation.strip(),
        requester_confidential=data.requester_confidential,
        content=data.content.strip(),
        location_text=data.location_text.strip(),
        latitude=data.latitude,
        longitude=data.longitude,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    order.set_requester(
        name=data.requester_name.strip(), phone=data.requester_phone, id_number=data.requester_id_number.strip()
    )
    return order


def take_number(order: WorkOrder) -> None:
    """Number an unsaved order (no lock held on PostgreSQL: jiesu.orders.numbering)."""
    order.number = _next_number(order.received_at)


def write_new_order(
    order: WorkOrder,
    data: IntakeData,
    *,
    actor,
    decided: dict | None = None,
    events: list[OrderEvent] = (),
    parts: list = (),
) -> WorkOrder:
    """Insert a numbered new order: one INSERT for the order, one for its unit parts, one for
    all its events (created, attachments, then `events`), in the caller's transaction.

    `decided` holds the fields the engine's decision sets, so an order decided before it is
    written is inserted in its final state instead of inserted and updated twice; the created
    event still says what it was received as.
    """
    created = created_event(order, actor=actor)
    for name, value in (decided or {}).items():
        setattr(order, name, value)
    order._unit_keys = search_keys(order.district_id, ((part.unit_id, part.unit.district_id) for part in parts))
    order.insert()
    later = [_store_attachment(order, upload, actor, record=False)[1] for upload in data.attachments]
    if parts:
        rows.insert(list(parts))
    write_events([created, *later, *events], parts=list(parts) if parts else None)
    return order


def created_event(order: WorkOrder, *, actor, bulk: bool = False) -> OrderEvent | BulkEvent:
    """The first event of every order: what it was received as (also the demo history's)."""
    received_at = order.received_at
    return new_event(
        order,
        bulk=bulk,
        action="created",
        actor=actor,
        to_status=choices.RECEIVED,
        at=received_at if received_at < timezone.now() else None,
        data={
            "channel": order.channel,
            "source_line": order.source_line,
            "kind": order.kind,
            "confidential": order.requester_confidential,
        },
    )


def _store_attachment(
    order: WorkOrder, upload: UploadedFile, actor, *, record: bool = True, stage: str = Attachment.REQUEST
):
    # What is stored is the checked form: images re-encoded, the name's extension the sniffed type's.
    safe = uploads.safe_upload(upload)
    attachment = Attachment(
        order=order,
        stage=stage,
        unit=getattr(actor, "unit", None) if getattr(actor, "pk", None) else None,
        kind=safe.kind,
        content_type=safe.content_type,
        size=safe.size,
        original_name=upload.name[:255],
        sha256=safe.sha256,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    attachment.file.save(safe.name, safe.file, save=False)
    attachment.save()
    event = new_event(
        order,
        action="attachment_added",
        actor=actor,
        data={"attachment_id": attachment.pk, "kind": attachment.kind, "size": attachment.size, "stage": stage},
    )
    if not record:
        return attachment, event
    event.save(force_insert=True)
    signals.send_recorded([event])
    return attachment


def check_uploads(files: list[UploadedFile], *, field: str = "attachments") -> None:
    """Every file checked before anything is written: one bad file refuses the lot (R8.1)."""
    limit = settings.JIESU_ATTACHMENT_MAX_FILES
    if len(files) > limit:
        raise ValidationError({field: [f"一次最多上传{limit}个附件，本次{len(files)}个。"]})
    problems = [p for p in (uploads.problem(f) for f in files) if p]
    if problems:
        raise ValidationError({field: problems})


@transaction.atomic
def add_attachment(order: WorkOrder, upload: UploadedFile, *, actor, stage: str = Attachment.REQUEST) -> Attachment:
    check_uploads([upload])
    return _store_attachment(order, upload, actor, stage=stage)


@transaction.atomic
def add_attachments(
    order: WorkOrder, files: list[UploadedFile], *, actor, stage: str = Attachment.REQUEST, field: str = "attachments"
) -> list[Attachment]:
    if not files:
        raise ValidationError({field: ["请选择要上传的文件。"]})
    check_uploads(files, field=field)
    return [_store_attachment(order, f, actor, stage=stage) for f in files]


def change_status(
    order: WorkOrder, to_status: str, *, actor, action: str, data: dict | None = None, locked: bool = False
) -> WorkOrder:
    """Move an order to a new status if the transition table allows it, and record it.

    `locked=True` says the caller already holds this row `select_for_update` inside its own
    transaction; the change then joins that transaction (no second read, no savepoint).
    """
    if locked:
        return _change_status(order, order, to_status, actor=actor, action=action, data=data)
    with transaction.atomic():
        row = WorkOrder.objects.select_for_update().get(pk=order.pk)
        return _change_status(order, row, to_status, actor=actor, action=action, data=data)


def _change_status(
    order: WorkOrder, locked: WorkOrder, to_status: str, *, actor, action: str, data: dict | None
) -> WorkOrder:
    if to_status not in choices.TRANSITIONS.get(locked.status, set()):
        raise ValidationError(
            {
                "status": [
                    f"工单{locked.number}当前为“{locked.get_status_display()}”，不能变更为“{dict(choices.STATUSES)[to_status]}”。"
                ]
            }
        )
    from_status = locked.status
    locked.status = to_status
    # No save signal listens to orders, and the text is not among the fields (sealing is save's).
    rows.update(locked, ("status", "updated_at"))
    record_event(locked, action=action, actor=actor, from_status=from_status, to_status=to_status, data=data)
    order.status = to_status
    return locked


def record_identity_read(order: WorkOrder, user, *, fields: list[str], purpose: str) -> None:
    PersonalDataAccess.objects.create(order=order, user=user, fields=fields, purpose=purpose)


@dataclass(frozen=True)
class Assignment:
    """One unit's part in a dispatch, with its own clock (R13.1, R14.1)."""

    unit: object  # directory.Unit
    role: str  # lead, assist, supervise, coordinate
    response_due: datetime | None = None
    due_at: datetime | None = None


def dispatch_order(
    order: WorkOrder,
    *,
    actor,
    assignments: list[Assignment],
    data: dict | None = None,
    automatic: bool = False,
    locked: bool = False,
) -> WorkOrder:
    """Send an order to its units (R11.2, R12.1): one lead, any assisting, supervising units.

    `automatic` is the decision engine dispatching on its own (actor None); otherwise the
    actor must be a dispatcher or supervisor. `locked` as for change_status.
    """
    if not automatic and not roles.is_centre_actor(actor):
        raise PermissionDenied("只有派单员或督办员可以派单。")
    lead = check_assignments(assignments)
    if locked:
        return _dispatch(order, order, actor=actor, assignments=assignments, lead=lead, data=data, automatic=automatic)
    with transaction.atomic():
        row = WorkOrder.objects.select_for_update().get(pk=order.pk)
        return _dispatch(order, row, actor=actor, assignments=assignments, lead=lead, data=data, automatic=automatic)


def check_assignments(assignments: list[Assignment]) -> Assignment:
    """The lead of a valid set of parts; ValidationError naming the units field otherwise."""
    leads = [a for a in assignments if a.role in choices.LEAD_ROLES]
    if len(leads) != 1:
        raise ValidationError({"units": ["派单须有且只有一个主办（或统筹协调）单位。"]})
    from jiesu.engine.units import ASSIST_ONLY_KINDS

    if leads[0].unit.kind in ASSIST_ONLY_KINDS:
        raise ValidationError({"units": [f"{leads[0].unit.name}是社会组织、行业协会或人民团体，只能协办，不能主办。"]})
    units = [a.unit.pk for a in assignments]
    if len(units) != len(set(units)):
        raise ValidationError({"units": ["同一单位不能重复派单。"]})
    inactive = [a.unit.name for a in assignments if not a.unit.active]
    if inactive:
        raise ValidationError({"units": [f"单位已停用：{'、'.join(inactive)}"]})
    return leads[0]


def dispatch_changes(
    order: WorkOrder,
    *,
    actor,
    assignments: list[Assignment],
    lead: Assignment,
    data: dict | None,
    automatic: bool,
    now: datetime,
):
    """What dispatching `order` writes, unsaved: (order fields, unit parts, event)."""
    from .models import OrderUnit

    parts = [
        OrderUnit(order=order, unit=a.unit, role=a.role, response_due=a.response_due, due_at=a.due_at, assigned_at=now)
        for a in assignments
    ]
    fields = {
        "lead_unit": lead.unit,
        "response_due": lead.response_due,
        "due_at": lead.due_at,
        "status": choices.DISPATCHED,
    }
    event = dispatched_event(
        order, actor=actor, assignments=assignments, data=data, automatic=automatic, now=now, from_status=order.status
    )
    return fields, parts, event


def dispatched_event(
    order: WorkOrder,
    *,
    actor,
    assignments: list[Assignment],
    data: dict | None,
    automatic: bool,
    now: datetime,
    from_status: str,
    bulk: bool = False,
) -> OrderEvent | BulkEvent:
    """The event of a dispatch (also the demo history's): the units with their roles and limits."""
    return new_event(
        order,
        bulk=bulk,
        action="dispatched" if from_status != choices.DISPATCHED else "redispatched",
        actor=None if automatic else actor,
        from_status=from_status,
        to_status=choices.DISPATCHED,
        at=now,
        data={
            "automatic": automatic,
            "units": [
                {
                    "code": a.unit.code,
                    "name": a.unit.name,
                    "role": a.role,
                    "due_at": a.due_at.isoformat() if a.due_at else None,
                }
                for a in assignments
            ],
            **(data or {}),
        },
    )


def _dispatch(
    order: WorkOrder,
    locked: WorkOrder,
    *,
    actor,
    assignments: list[Assignment],
    lead: Assignment,
    data: dict | None,
    automatic: bool,
) -> WorkOrder:
    from .models import OrderUnit

    if choices.DISPATCHED not in choices.TRANSITIONS.get(locked.status, set()) and locked.status != choices.DISPATCHED:
        raise ValidationError({"status": [f"工单{locked.number}当前为“{locked.get_status_display()}”，不能派单。"]})
    now = timezone.now()
    # A re-dispatch ends the earlier parts rather than deleting them: the history stays.
    if locked.lead_unit_id:
        OrderUnit.objects.filter(order=locked, active=True).update(active=False)
    fields, parts, event = dispatch_changes(
        locked, actor=actor, assignments=assignments, lead=lead, data=data, automatic=automatic, now=now
    )
    OrderUnit.objects.bulk_create(parts)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=[*fields, "updated_at"])
    event.save(force_insert=True)
    order.status = locked.status
    order.lead_unit = locked.lead_unit
    return locked
