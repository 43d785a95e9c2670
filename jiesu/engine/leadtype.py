"""Which type of unit leads: the catalog's route weighed against the reader's lead-type model.

The catalog sends a matter to one kind of unit; Beijing practice, as the writers of the
development sets labelled it (tests/blind/BRIEF.md), often leads the same matter otherwise: the
township office where the trouble is inside a compound or a village or the caller asks the
street office, the district government where units push it back and forth, a department where
the caller asks about a permit or a benefit rule, the operator where the pipe or the cable is
the company's. The reader's lead-type model (`Reader.lead_type_model`) reads those cues in the
words; `TypeChooser` is a small multinomial logistic model over the route's type and that
model's probabilities, fitted by `jiesu fit-lead-gate` on the development sets with the
lead-type model of each set trained without it, so the chooser learns how far to trust the
model on writers it never saw. Plain Python at decision time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

FILE_NAME = "lead_type_chooser.json"
TYPES = ("subdistrict", "department", "enterprise", "district_gov")


def features(route_type: str | None, p_types: Mapping[str, float]) -> list[float]:
    """One-hot route type, the model's log-probabilities, and their products (how much the
    model's word is worth depends on what the catalog said)."""
    onehot = [float(route_type == t) for t in TYPES]
    logp = [math.log(max(float(p_types.get(t, 0.0)), 1e-4)) for t in TYPES]
    return onehot + logp + [a * b for a in onehot for b in logp]


@dataclass(frozen=True)
class TypeChooser:
    classes: tuple[str, ...]
    coef: tuple[tuple[float, ...], ...]  # one row per class
    intercept: tuple[float, ...]
    info: Mapping = None

    def probabilities(self, route_type: str | None, p_types: Mapping[str, float]) -> dict[str, float]:
        x = features(route_type, p_types)
        z = [b + sum(w * v for w, v in zip(row, x)) for row, b in zip(self.coef, self.intercept)]
        top = max(z)
        e = [math.exp(v - top) for v in z]
        s = sum(e)
        return {c: v / s for c, v in zip(self.classes, e)}

    @classmethod
    def load(cls, path: str | Path) -> TypeChooser | None:
        path = Path(path)
        if not path.is_file():
            return None
        d = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            tuple(d["classes"]),
            tuple(tuple(map(float, row)) for row in d["coef"]),
            tuple(map(float, d["intercept"])),
            d.get("info") or {},
        )

    def to_dict(self) -> dict:
        return {
            "classes": list(self.classes),
            "coef": [list(r) for r in self.coef],
            "intercept": list(self.intercept),
            "info": dict(self.info or {}),
        }


def fit(rows: Sequence[tuple[str | None, Mapping[str, float], str]], *, c: float = 0.3, info=None) -> TypeChooser:
    """Fit on (route type, model probabilities, labelled type) rows."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    X = np.array([features(r, p) for r, p, _ in rows])
    y = np.array([t for _, _, t in rows])
    model = LogisticRegression(C=c, max_iter=3000).fit(X, y)
    coef = model.coef_
    intercept = model.intercept_
    classes = list(model.classes_)
    if len(classes) == 2:  # binary: sklearn keeps one row; the softmax needs both
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    return TypeChooser(
        tuple(classes),
        tuple(tuple(round(float(w), 5) for w in row) for row in coef),
        tuple(round(float(b), 5) for b in intercept),
        dict(info or {}, rows=len(rows)),
    )
