"""Evaluation figures of calibrated probabilities: metrics, coverage and precision curves."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np


def coverage_curve(
    confidence: np.ndarray, correct: np.ndarray, thresholds: Iterable[float] | None = None
) -> list[dict]:
    """For each threshold: share of orders at or above it (auto-dispatched) and precision on them."""
    if thresholds is None:
        thresholds = [round(t, 2) for t in np.arange(0.0, 1.0, 0.05)] + [0.96, 0.97, 0.98, 0.99]
    n = max(len(confidence), 1)
    out = []
    for t in sorted(set(thresholds)):
        m = confidence >= t
        k = int(m.sum())
        out.append(
            {
                "threshold": float(t),
                "coverage": k / n,
                "precision": float(correct[m].mean()) if k else None,
                "n": k,
            }
        )
    return out


def precision_curve(confidence: np.ndarray, correct: np.ndarray, points: int = 200) -> list[dict]:
    """The coverage/precision trade-off at up to ``points`` thresholds (confidence quantiles),
    fine enough to move the auto-dispatch threshold to another target precision later
    without the rows themselves (see :func:`threshold_from_curve`)."""
    confidence = np.asarray(confidence, dtype=np.float64)
    correct = np.asarray(correct, dtype=bool)
    n = len(confidence)
    if n == 0:
        return []
    order = np.argsort(-confidence, kind="stable")
    c_sorted = confidence[order]
    hits = np.cumsum(correct[order])
    last_of_tie = np.nonzero(np.r_[c_sorted[1:] != c_sorted[:-1], True])[0]
    if len(last_of_tie) > points:
        last_of_tie = last_of_tie[np.unique(np.linspace(0, len(last_of_tie) - 1, points).round().astype(int))]
    return [
        {
            "threshold": float(c_sorted[i]),
            "coverage": (i + 1) / n,
            "precision": float(hits[i] / (i + 1)),
            "n": int(i + 1),
        }
        for i in last_of_tie
    ]


def threshold_from_curve(curve: Sequence[dict], target: float, min_support: int = 20) -> float:
    """Lowest threshold on a :func:`precision_curve` whose auto-dispatched rows reach
    ``target`` precision (with at least ``min_support`` of them); 1.0 if none does."""
    ok = [p["threshold"] for p in curve if p["precision"] >= target and p["n"] >= min(min_support, curve[-1]["n"])]
    return min(ok) if ok else 1.0


def evaluate_probabilities(
    proba: np.ndarray, y_true: Sequence[str], classes: Sequence[str], threshold: float | None = None
) -> dict:
    """JSON-able metrics of calibrated class probabilities against true labels.

    Rows whose label the model does not know count as errors (a new matter the model has
    never seen must not inflate its figures).
    """
    from sklearn.metrics import precision_recall_fscore_support

    classes = list(classes)
    index = {c: i for i, c in enumerate(classes)}
    y_idx = np.array([index.get(y, -1) for y in y_true])
    pred = proba.argmax(axis=1) if len(proba) else np.zeros(0, dtype=int)
    conf = proba.max(axis=1) if len(proba) else np.zeros(0)
    correct = pred == y_idx
    top3 = np.argsort(-proba, axis=1)[:, :3] if len(proba) else np.zeros((0, 3), dtype=int)
    labels = sorted(set(classes) | set(y_true))
    pred_labels = [classes[i] for i in pred]
    p, r, f, s = precision_recall_fscore_support(list(y_true), pred_labels, labels=labels, zero_division=0)
    present = [i for i, lab in enumerate(labels) if s[i] > 0]
    # Expected calibration error over 10 confidence bins: how far "0.9" is from 90% right.
    ece = 0.0
    bins = np.linspace(0.0, 1.0, 11)
    for lo, hi in zip(bins[:-1], bins[1:]):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            ece += m.mean() * abs(conf[m].mean() - correct[m].mean())
    out = {
        "n": int(len(y_idx)),
        "accuracy": float(correct.mean()) if len(correct) else 0.0,
        "macro_f1": float(np.mean(f[present])) if present else 0.0,
        "top3_accuracy": float((top3 == y_idx[:, None]).any(axis=1).mean()) if len(y_idx) else 0.0,
        "expected_calibration_error": float(ece),
        "per_class": {
            lab: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
            for i, lab in enumerate(labels)
        },
        "coverage_curve": coverage_curve(conf, correct),
    }
    if threshold is not None:
        m = conf >= threshold
        out["threshold"] = float(threshold)
        out["auto_dispatch_share"] = float(m.mean()) if len(m) else 0.0
        out["auto_dispatch_precision"] = float(correct[m].mean()) if m.any() else None
    return out
