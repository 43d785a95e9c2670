"""Free text sealed under its order's own data key, so that an erasure can shred it (issue 12,
defect 11; R8.3).

What is sealed: the original request text (`WorkOrder.content_sealed`; the searchable `content`
column keeps the text with identities masked) and every free-text value in an event's data
(a reply, a note, a reason: `FREE_TEXT_KEYS`). Events are append-only, so their text cannot be
overwritten; it is sealed as it is written (`SealedJSONField.pre_save`, which also runs for
bulk_create) and opened as it is read (`from_db_value`, which also runs for values()), so no
service and no reader changes. A sealed value names its key id; the key is looked up once per
request (`KeyRing`). When the order's key is destroyed, every sealed value of it reads as
`crypto.ERASED_TEXT`.
"""

from __future__ import annotations

import re
import time

from cryptography.fernet import Fernet
from django.core.signals import request_started
from django.db import models
from django.db.models import Q

from jiesu.core import crypto, redact

# Keys of event data that hold what a person typed. Codes, ids, dates and numbers are not
# sealed: assessment, Open311 and the insight jobs read them across orders without keys.
FREE_TEXT_KEYS = frozenset(
    {
        "note",
        "reason",
        "text",
        "public_text",
        "internal_notes",
        "unresolved_reason",
        "dispute_note",
        "outcome_note",
        "question",
        "instructions",
        "grounds",
        "evidence",
        "comments",
        "message",
        "decision_note",
        "action_note",
        "confirmation_note",
        "content",
        "description",
        "reasons",
        "lesson",
        "facts",
        "evidence_text",
        "feedback",
        "answer",
        "answer_text",
    }
)


def order_key(order) -> tuple[str, Fernet]:
    """The order's (or a caller's) key id and key, made on first use (an unsaved order gets it in memory and
    keeps it with its INSERT; a saved order without one, written before keys existed or by a
    bulk loader, gets one stored now)."""
    cached = getattr(order, "_text_key", None)
    if cached:
        return cached
    if not order.text_key_id or not order.text_key_enc:
        order.text_key_id, order.text_key_enc, key = crypto.made_text_key()
        if order.pk and not order._state.adding:
            type(order).objects.filter(pk=order.pk).update(
                text_key_id=order.text_key_id, text_key_enc=order.text_key_enc
            )
    else:
        key = crypto.unwrap_text_key(order.text_key_enc)
    order._text_key = (order.text_key_id, key)
    return order._text_key


# A coded value under a free-text key ("reason": "overdue", "grounds": "not_our_duty") is a fact
# about the order, not something a person typed: it stays readable after an erasure.
_CODE = re.compile(r"[a-z0-9_.:-]*", re.ASCII)


def seal_value(key_id: str, key: Fernet, value, memo: dict | None = None):
    """`value` with its free text sealed. With `memo` (text -> sealed, of one key), a text sealed
    before is not sealed again: the events of one transition repeat the decision's reasons."""
    if isinstance(value, str):
        if _CODE.fullmatch(value):
            return value
        if memo is None:
            return crypto.seal_text(key_id, key, value)
        sealed = memo.get(value)
        if sealed is None:
            sealed = memo[value] = crypto.seal_text(key_id, key, value)
        return sealed
    if isinstance(value, list):
        return [seal_value(key_id, key, v, memo) for v in value]
    return value


def seal_data(order, data):
    """`data` with its free-text values sealed under the order's key (a new dict)."""
    if not isinstance(data, dict) or not any(
        k in FREE_TEXT_KEYS and v and isinstance(v, (str, list)) and not (isinstance(v, str) and _CODE.fullmatch(v))
        for k, v in data.items()
    ):
        return data
    key_id, key = order_key(order)
    # The same text under the same key is sealed once per order in memory (the decided and the
    # dispatched event both carry the reasons); the sealed form opens to the same text, and
    # shredding the key erases every copy alike.
    memos = order.__dict__.setdefault("_sealed_here", {})
    memo = memos.setdefault(key_id, {})
    return {k: seal_value(key_id, key, v, memo) if k in FREE_TEXT_KEYS else v for k, v in data.items()}


class KeyRing:
    """Unwrapped keys of this request (or, outside requests, of the last minute): an erasure in
    another process is seen by the next request, and a page of events of one order looks its
    key up once. `owner` gives the model whose rows hold the keys (text_key_id, text_key_enc):
    the orders here, the callers in jiesu.centre."""

    TTL = 60.0

    def __init__(self, owner=None):
        self._keys: dict[str, tuple[Fernet | None, float]] = {}
        self._owner = owner

    def get(self, key_id: str) -> Fernet | None:
        hit = self._keys.get(key_id)
        now = time.monotonic()
        if hit and now - hit[1] < self.TTL:
            return hit[0]
        if self._owner is None:
            from .models import WorkOrder as model
        else:
            model = self._owner()
        wrapped = model.objects.filter(text_key_id=key_id).values_list("text_key_enc", flat=True).first()
        key = crypto.unwrap_text_key(wrapped) if wrapped else None
        self._keys[key_id] = (key, now)
        return key

    def remember(self, key_id: str, key: Fernet | None) -> None:
        self._keys[key_id] = (key, time.monotonic())

    def clear(self, *args, **kwargs) -> None:
        self._keys.clear()


ring = KeyRing()
# Each request starts with an empty ring: a key shredded by another worker is not served from here.
request_started.connect(ring.clear, dispatch_uid="jiesu-sealing-ring")


def open_value(value, keys: KeyRing = ring):
    if isinstance(value, str):
        return crypto.open_text(value, keys.get(crypto.sealed_key_id(value))) if crypto.is_sealed(value) else value
    if isinstance(value, dict):
        return {k: open_value(v, keys) for k, v in value.items()}
    if isinstance(value, list):
        return [open_value(v, keys) for v in value]
    return value


class SealedJSONField(models.JSONField):
    """A JSONField whose free-text values are stored sealed under the row's order key."""

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if not add:
            return value  # events are never updated; sealing again would be wrong if they were
        return seal_data(model_instance.order, value)

    def from_db_value(self, value, expression, connection):
        return open_value(super().from_db_value(value, expression, connection))

    def get_placeholder(self, value, compiler, connection):
        # The placeholder Django would use anyway. A field that has this method keeps the events'
        # bulk_create off PostgreSQL's UNNEST form, which sends each column as one array and
        # escapes every quote of every JSON value into the array's text in Python (about 500 per
        # intake POST: a tenth of its CPU at the time); as rows of VALUES the driver quotes each
        # value once, in C. Events go in a few at a time; the demo's history by COPY.
        return "%s"


def request_text(order) -> str:
    """The order's request as it was typed (identities included): for readers who may see them."""
    if order.erased_at:
        return crypto.ERASED_TEXT
    if not order.content_sealed:
        return order.content  # written before sealing, or by a bulk loader: stored as typed
    key = None
    cached = getattr(order, "_text_key", None)
    if cached and crypto.sealed_key_id(order.content_sealed) == cached[0]:
        key = cached[1]
    elif order.text_key_enc and crypto.sealed_key_id(order.content_sealed) == order.text_key_id:
        key = crypto.unwrap_text_key(order.text_key_enc)
    return crypto.open_text(order.content_sealed, key)


# Orders written before sealing, or by a bulk loader ------------------------------------------


def _lift_triggers(schema_editor, table: str):
    """Event rows are append-only; sealing their free text once, in place, is the one rewrite
    allowed, done by the owner role that runs migrations (the application role cannot)."""
    if schema_editor.connection.vendor == "postgresql":
        # ALTER TABLE waits for no deferred foreign-key check of this transaction: run them now.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
    else:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")


def _restore_triggers(schema_editor, table: str):
    from jiesu.core import append_only

    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        append_only.install(schema_editor, table)


class CursorExecutor:
    """What seal_existing needs of a schema editor, for use inside a transaction (SQLite's
    schema editor refuses to open in one): DDL on the default connection's cursor."""

    def __init__(self, using: str = "default"):
        from django.db import connections

        self.connection = connections[using]

    def execute(self, sql, params=None):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)


def seal_existing(order_model, event_model, schema_editor=None, *, batch: int = 500) -> int:
    """Give every order without a key one, seal its request and its events' free text under it,
    and keep the request masked in the searchable column. Returns the number of orders sealed.
    Used by the migration (historical models) and after bulk loads (`jiesu seal-free-text`)."""
    schema_editor = schema_editor or CursorExecutor()
    table = event_model._meta.db_table
    done = 0
    lifted = False
    try:
        while True:
            orders = list(
                order_model.objects.filter(
                    Q(text_key_id="") | Q(content_sealed="", erased_at=None) & ~Q(content="")
                ).order_by("pk")[:batch]
            )
            if not orders:
                break
            if not lifted:
                _lift_triggers(schema_editor, table)
                lifted = True
            for order in orders:
                if not order.text_key_id or not order.text_key_enc:
                    # A key made since (an event sealed on its own) is kept: text is under it already.
                    order.text_key_id, order.text_key_enc = crypto.new_text_key()
                key = crypto.unwrap_text_key(order.text_key_enc)
                if order.erased_at is None and order.content and not order.content_sealed:
                    known = redact.known_values(
                        crypto.decrypt(order.requester_name_enc),
                        crypto.decrypt(order.requester_phone_enc),
                        crypto.decrypt(order.requester_id_number_enc),
                    )
                    order.content_sealed = crypto.seal_text(order.text_key_id, key, order.content)
                    order.content = redact.redact(order.content, known)
                order._text_key = (order.text_key_id, key)
            order_model.objects.bulk_update(orders, ["text_key_id", "text_key_enc", "content", "content_sealed"])
            by_pk = {o.pk: o for o in orders}
            changed = []
            for event in event_model.objects.filter(order_id__in=list(by_pk)).only("pk", "order_id", "data"):
                sealed = seal_data(by_pk[event.order_id], event.data)
                if sealed is not event.data:
                    event.data = sealed
                    changed.append(event)
            if changed:
                # bulk_update writes with update(), which does not call pre_save: the data goes as sealed here.
                event_model.objects.bulk_update(changed, ["data"], batch_size=batch)
            done += len(orders)
    finally:
        if lifted:
            _restore_triggers(schema_editor, table)
    return done
