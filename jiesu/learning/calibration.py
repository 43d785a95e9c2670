"""Calibration of class probabilities and the auto-dispatch threshold.

Both are fitted on rows the model was not trained on (held-out or out-of-fold), never on a
test set.
"""

from __future__ import annotations

import math

import numpy as np


def softmax(z: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = np.asarray(z, dtype=np.float64) / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(scores: np.ndarray, y: np.ndarray) -> float:
    """Temperature minimising the validation log-loss of softmax(scores / T).

    One parameter cannot overfit a validation split of a few hundred rows, and it keeps the
    ranking of classes, so calibration never changes which matter is suggested first.
    """
    from scipy.optimize import minimize_scalar

    scores = np.asarray(scores, dtype=np.float64)
    idx = np.arange(len(y))

    def nll(log_t: float) -> float:
        p = softmax(scores, math.exp(log_t))
        return float(-np.mean(np.log(np.clip(p[idx, y], 1e-12, None))))

    res = minimize_scalar(nll, bounds=(math.log(1e-3), math.log(1e3)), method="bounded")
    return float(math.exp(res.x))


def fit_confidence_map(confidence: np.ndarray, correct: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Isotonic map from top probability to the hit rate observed at that probability.

    Temperature scaling fixes the overall scale, but a linear SVM's softmax has the wrong
    *shape* when errors are label noise (it is under-confident on clear cases and
    over-confident on borderline ones); one monotone map on the top probability fixes that
    without changing which matter ranks first or the order of orders by confidence.
    """
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(y_min=0.0, y_max=1.0, increasing=True, out_of_bounds="clip")
    iso.fit(np.asarray(confidence, dtype=np.float64), np.asarray(correct, dtype=np.float64))
    return np.asarray(iso.X_thresholds_, dtype=np.float64), np.asarray(iso.y_thresholds_, dtype=np.float64)


def apply_confidence_map(p: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Replace each row's top probability by its calibrated value; the other classes share
    the rest in their old proportions (so the ranking below the top is kept too)."""
    p = np.array(p, dtype=np.float64, copy=True)
    rows = np.arange(len(p))
    top = p.argmax(axis=1)
    p_top = p[rows, top]
    # A hair of the raw value keeps the map strictly increasing: on an isotonic flat step the
    # threshold still separates exactly the rows it separated on validation.
    cal = np.interp(p_top, xs, ys) * (1 - 1e-4) + 1e-4 * p_top
    n = p.shape[1]
    cal = np.clip(cal, 1.0 / n, 1.0)  # never below uniform, so the top stays the top
    rest = 1.0 - p_top
    scale = np.where(rest > 0, (1.0 - cal) / np.where(rest > 0, rest, 1.0), 0.0)
    p *= scale[:, None]
    p[rows, top] = cal
    return p


def threshold_for_precision(confidence: np.ndarray, correct: np.ndarray, target: float, min_support: int = 20) -> float:
    """Lowest confidence threshold whose auto-dispatched set reaches ``target`` precision.

    Scans the validation rows from most to least confident and takes the largest prefix whose
    precision is >= target (with at least ``min_support`` rows, so a lucky handful of rows
    does not set the bar). Returns 1.0 (dispatch nothing automatically) if no prefix reaches it.
    """
    confidence = np.asarray(confidence, dtype=np.float64)
    correct = np.asarray(correct, dtype=bool)
    if len(confidence) == 0:
        return 1.0
    order = np.argsort(-confidence, kind="stable")
    c_sorted = confidence[order]
    hits = np.cumsum(correct[order])
    k = np.arange(1, len(order) + 1)
    prec = hits / k
    # Only cut between distinct confidence values: ties are dispatched or not together.
    last_of_tie = np.r_[c_sorted[1:] != c_sorted[:-1], True]
    ok = (prec >= target) & last_of_tie & (k >= min(min_support, len(order)))
    if not ok.any():
        return 1.0
    best = int(np.nonzero(ok)[0].max())
    return float(c_sorted[best])
