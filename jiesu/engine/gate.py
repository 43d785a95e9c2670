"""The auto-dispatch gate: the probability that an order sent out without review goes to the
right kind of lead unit, calibrated on requests written by other people than the corpus.

The reader's own probability that the lead unit is right (`Decision.lead_probability`) was
calibrated out of fold on its corpus, whose writers share one style and one view of who leads;
on requests written by others it is over-confident (round 22: 0.82 precision at a gate of
0.85). `LeadGate` maps a few facts of the decision (that probability, whether the rules'
keywords agree, the kind of lead unit, the request's kind, the reader's doubt that it is a
dispatch at all) to P(right) with a logistic model fitted on labelled development sets, and
keeps the precision/coverage curve measured on sets held out of the fit (leave one set out), so
the threshold for the administrator's target is read off held-out figures, never off the rows
the model was fitted on. Built by `jiesu fit-lead-gate`; plain Python at decision time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# Lives beside the reader it was fitted for (a retrained reader makes it stale: see `Reader.load`).
FILE_NAME = "lead_gate.json"

LEAD_TYPES = ("department", "enterprise", "district_gov")
FEATURES = (
    "logit_lead",
    "agree",
    "agree_logit_lead",
    *(f"lead_{t}" for t in LEAD_TYPES),
    "kind_consultation",
    "kind_suggestion",
    "logit_not_dispatch",
    "logit_type",
)


def _logit(p: float) -> float:
    p = min(max(float(p), 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def features(
    p_lead: float,
    agree: bool,
    lead_type: str | None,
    kind: str | None,
    p_not_dispatch: float,
    p_type: float | None = None,
) -> dict[str, float]:
    """The facts the gate weighs, by name (stored with the decision so a fit can replay them)."""
    x = {
        "logit_lead": _logit(p_lead),
        "agree": float(agree),
        "agree_logit_lead": _logit(p_lead) if agree else 0.0,
        "kind_consultation": float(kind == "consultation"),
        "kind_suggestion": float(kind == "suggestion"),
        "logit_not_dispatch": _logit(p_not_dispatch),
        # P(the lead's type is right) by the lead-type chooser (`leadtype`); 0 without one.
        "logit_type": _logit(p_type) if p_type is not None else 0.0,
    }
    for t in LEAD_TYPES:
        x[f"lead_{t}"] = float(lead_type == t)
    return x


# No lead whose calibrated probability of being right is below this goes out without a person.
FLOOR = 0.5


@dataclass(frozen=True)
class LeadGate:
    coef: Mapping[str, float]
    intercept: float
    # (threshold on the calibrated probability, held-out precision, held-out coverage of the
    # requests that should be dispatched), thresholds descending.
    curve: tuple[tuple[float, float, float], ...] = ()
    info: Mapping = None
    # How far above the administrator's target the curve is read. The curve is held out by set,
    # but only over the writers of its fit; writers who came after them are read a little less
    # well (measured by bench/gate_drift.py on development sets outside the fit), and the
    # target is a promise about them.
    writer_margin: float = 0.0

    def __post_init__(self):
        # threshold() per target, read once: the curve has a row per held-out request, and the
        # engine asks at every dispatch decision.
        object.__setattr__(self, "_thresholds", {})

    def probability(self, x: Mapping[str, float]) -> float:
        z = self.intercept + sum(w * float(x.get(name, 0.0)) for name, w in self.coef.items())
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def sending_threshold(self, target: float) -> float | None:
        """The threshold the engine sends out at: `threshold` of the target plus
        `writer_margin`, but never below FLOOR. A low
        target reads a low threshold off the curve (whose precision is that of everything above
        it, carried by the confident many), and would send out a lead more likely wrong than
        right; no target does that (a vague request went to a district's education board at
        0.34 under a 90 % target)."""
        t = self.threshold(round(target + self.writer_margin, 4))
        return None if t is None else max(t, FLOOR)

    def threshold(self, target: float) -> float | None:
        """The lowest threshold at which the held-out precision of everything at or above it
        reached `target` (over at least `MIN_SENT` requests); None: never reached."""
        if target not in self._thresholds:
            reached = [t for t, precision, _coverage in self.curve if precision >= target]
            self._thresholds[target] = min(reached) if reached else None
        return self._thresholds[target]

    @classmethod
    def load(cls, path: str | Path) -> LeadGate | None:
        path = Path(path)
        if not path.is_file():
            return None
        d = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            dict(d["coef"]),
            float(d["intercept"]),
            tuple(tuple(map(float, row)) for row in d.get("curve", ())),
            d.get("info") or {},
            float(d.get("writer_margin", 0.0)),
        )

    def to_dict(self) -> dict:
        return {
            "coef": dict(self.coef),
            "intercept": self.intercept,
            "curve": [list(row) for row in self.curve],
            "info": dict(self.info or {}),
            "writer_margin": self.writer_margin,
        }


# A curve point counts only where at least this many held-out requests were sent: precision
# over a handful of requests says nothing.
MIN_SENT = 20


def fit(
    rows: Sequence[tuple[str, Mapping[str, float], bool]],
    dispatchable: Mapping[str, int],
    *,
    c: float = 1.0,
    info: Mapping | None = None,
    held_out: dict | None = None,
) -> LeadGate:
    """Fit the gate on (group, features, right) rows, one per request the gate alone would hold
    or send; `dispatchable` counts per group the requests that should be dispatched (coverage's
    denominator). The curve is measured leave-one-group-out; the returned model is fitted on
    all groups. ``held_out``, if given, receives per group the gate fitted without it (with the
    pooled held-out curve), for figures per held-out set."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    names = list(FEATURES)
    X = np.array([[x.get(n, 0.0) for n in names] for _, x, _ in rows])
    y = np.array([bool(r) for _, _, r in rows])
    groups = np.array([g for g, _, _ in rows])
    held = np.zeros(len(rows))
    without = {}
    for g in sorted(set(groups)):
        test = groups == g
        model = LogisticRegression(C=c, max_iter=2000).fit(X[~test], y[~test])
        held[test] = model.predict_proba(X[test])[:, 1]
        without[g] = model
    total = sum(dispatchable.values()) or 1
    order = np.argsort(-held)
    curve = []
    right = 0
    for n, i in enumerate(order, 1):
        right += y[i]
        if n < MIN_SENT or (n < len(order) and held[order[n]] == held[i]):
            continue
        curve.append((round(float(held[i]), 4), round(right / n, 4), round(n / total, 4)))
    model = LogisticRegression(C=c, max_iter=2000).fit(X, y)
    if held_out is not None:
        for g, m in without.items():
            held_out[g] = LeadGate(
                {n: round(float(w), 5) for n, w in zip(names, m.coef_[0])},
                round(float(m.intercept_[0]), 5),
                tuple(curve),
                dict(info or {}, held_out=str(g)),
            )
    return LeadGate(
        {n: round(float(w), 5) for n, w in zip(names, model.coef_[0])},
        round(float(model.intercept_[0]), 5),
        tuple(curve),
        dict(info or {}, rows=len(rows), right=int(y.sum()), dispatchable=int(total)),
    )
