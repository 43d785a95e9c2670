"""Sealing the notes of callers' records written before per-caller keys (issue 12, defect 11).

Used by the migration (historical models) and kept beside the models it serves; new notes are
sealed as they are written (models.SealedNoteField)."""

from __future__ import annotations

from jiesu.core import crypto
from jiesu.orders.sealing import CursorExecutor, _lift_triggers, _restore_triggers


def seal_existing_notes(caller_model, event_model, schema_editor=None, *, batch: int = 500) -> int:
    """Seal every note still in clear under its caller's key (made now where missing).
    Caller events are append-only: this is the one rewrite, done by the role that owns the
    table (the one that runs migrations). Returns the number of notes sealed."""
    schema_editor = schema_editor or CursorExecutor()
    table = event_model._meta.db_table
    # The historical field opens nothing it did not seal: a plain note reads as it is stored.
    pending = list(
        event_model.objects.exclude(note="")
        .exclude(note__startswith=crypto.SEALED_PREFIX)
        .values_list("pk", "caller_id", "note")
    )
    if not pending:
        return 0
    keys: dict[int, tuple[str, object]] = {}
    callers = caller_model.objects.filter(pk__in={caller_id for _, caller_id, _ in pending})
    for caller in callers:
        if not caller.text_key_id or not caller.text_key_enc:
            caller.text_key_id, caller.text_key_enc = crypto.new_text_key()
            caller.save(update_fields=["text_key_id", "text_key_enc"])
        keys[caller.pk] = (caller.text_key_id, crypto.unwrap_text_key(caller.text_key_enc))
    _lift_triggers(schema_editor, table)
    try:
        for start in range(0, len(pending), batch):
            for pk, caller_id, note in pending[start : start + batch]:
                key_id, key = keys[caller_id]
                # update() writes the value as given: pre_save (which would seal again) is not called.
                event_model.objects.filter(pk=pk).update(note=crypto.seal_text(key_id, key, note))
    finally:
        _restore_triggers(schema_editor, table)
    return len(pending)
