"""The active learned classifier for the decision engine (R11.2).

``active_classifier()`` returns the loaded active model, cached per process until another
version is activated, or None before any model exists (the engine's keyword classifier then
stays in charge: cold start).
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)

_lock = threading.Lock()
_cache: dict = {"key": None, "model": None}


class ActiveClassifier:
    """What the engine sees: ``rank(text, k)`` -> [(matter code, calibrated probability)],
    best first; ``threshold`` (auto-dispatch at or above it); ``version``."""

    def __init__(self, model, version: str, threshold: float | None = None, target_precision: float | None = None):
        self._model = model
        self.version = version
        # The registry row's values win over the file's: the admin may have moved the target
        # precision (and so the threshold) after training.
        self.threshold = float(model.threshold if threshold is None else threshold)
        self.target_precision = float(model.target_precision if target_precision is None else target_precision)
        self.classes = list(model.classes)

    def rank(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        return self._model.rank(text, k)

    def __repr__(self) -> str:
        return f"<ActiveClassifier {self.version} threshold={self.threshold:.3f}>"


def _active_row():
    from .models import ClassifierModel

    return (
        ClassifierModel.objects.filter(is_active=True)
        .values_list("pk", "version", "file", "threshold", "target_precision")
        .first()
    )


def active_version() -> str | None:
    """Version string of the active model (cheap: one indexed query)."""
    row = _active_row()
    return row[1] if row else None


def active_key() -> tuple | None:
    """What a cache built on the active model must change with: its version and its gate."""
    row = _active_row()
    return (row[1], row[3]) if row else None


def active_classifier() -> ActiveClassifier | None:
    row = _active_row()
    if row is None:
        return None
    if _cache["key"] == row and _cache["model"] is not None:
        return _cache["model"]
    with _lock:
        if _cache["key"] != row or _cache["model"] is None:
            from django.conf import settings

            from .textmodel import TextClassifier

            path = settings.DATA_DIR / "models" / row[2]
            try:
                model = TextClassifier.load(path)
            except (OSError, ValueError) as exc:
                # A missing or untrusted file must not take intake down: fall back to keywords.
                log.error("active classifier %s cannot be loaded from %s: %s", row[1], path, exc)
                return None
            _cache["model"] = ActiveClassifier(model, row[1], threshold=row[3], target_precision=row[4])
            _cache["key"] = row
        return _cache["model"]


def clear_cache() -> None:
    with _lock:
        _cache["key"] = None
        _cache["model"] = None
