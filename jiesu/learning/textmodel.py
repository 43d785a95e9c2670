"""The learned matter classifier, plain Python (no Django).

Every trained model (SVM, SGD, complement naive Bayes and averages of them) is reduced to one
linear map ``z = X @ W + b``: prediction is one sparse product, and the stored state is only
numbers and strings (see :mod:`.storage`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .calibration import apply_confidence_map, softmax
from .evaluation import evaluate_probabilities
from .featurizing import FeatureConfig, Featurizer
from .storage import jsonable, read_state, write_state

FORMAT_VERSION = 1


class TextClassifier:
    """A trained, calibrated linear matter classifier: ``rank(text)`` -> [(code, probability)]."""

    def __init__(
        self,
        config: FeatureConfig,
        classes: Sequence[str],
        idf: np.ndarray,
        weights: np.ndarray | sp.spmatrix,
        bias: np.ndarray,
        temperature: float = 1.0,
        threshold: float = 1.0,
        target_precision: float = 0.97,
        metrics: dict | None = None,
        info: dict | None = None,
        calibration: tuple[np.ndarray, np.ndarray] | None = None,
    ):
        self.config = config
        # Monotone map of the top probability to the observed hit rate (isotonic, validation).
        self.calibration = calibration
        self.classes = list(classes)
        self.idf = np.asarray(idf, dtype=np.float32)
        # (n_features, n_classes); sparse when most hashed buckets were never seen.
        self.weights = weights
        self.bias = np.asarray(bias, dtype=np.float32)
        self.temperature = float(temperature)
        self.threshold = float(threshold)
        self.target_precision = float(target_precision)
        self.metrics = metrics or {}
        self.info = info or {}
        self._featurizer: Featurizer | None = None

    @property
    def featurizer(self) -> Featurizer:
        if self._featurizer is None:
            self._featurizer = Featurizer(self.config)
        return self._featurizer

    def features(self, docs: Iterable) -> sp.csr_matrix:
        f = self.featurizer
        return f.finish(f.raw(docs), self.idf)

    def decision_function(self, docs: Iterable) -> np.ndarray:
        return self.scores_from_raw(self.featurizer.raw(docs))

    def scores_from_raw(self, raw: sp.csr_matrix) -> np.ndarray:
        """Decision scores of raw feature counts (``Featurizer.raw``): models that share a
        feature configuration can segment and hash a text once and each apply their own idf
        and weights."""
        if raw.shape[0] == 1 and sp.issparse(self.weights) and self.weights.format == "csr":
            return self._scores_of_one(*self.featurizer.finish_one(raw, self.idf))
        z = self.featurizer.finish(raw, self.idf) @ self.weights
        z = z.toarray() if sp.issparse(z) else np.asarray(z)
        return z + self.bias

    def _scores_of_one(self, indices: np.ndarray, values: np.ndarray) -> np.ndarray:
        """``finish(x) @ weights + bias`` for one row (`Featurizer.finish_one`), bit for bit
        what scipy's sparse product gives: the same float32 products added in the same order
        (the row's features in stored order, each weight row in stored order), without building
        a sparse result. One request is what intake scores; scipy's general product costs it a
        tenth of a millisecond per model in checks and allocations (decisions at a gate must not
        move, hence the exact order)."""
        w = self.weights
        starts = w.indptr[indices]
        lengths = w.indptr[indices + 1] - starts
        total = int(lengths.sum())
        z = np.zeros(w.shape[1], dtype=np.result_type(values.dtype, w.dtype))
        if total:
            # Positions of every stored weight of the row's features, feature by feature.
            firsts = np.cumsum(lengths) - lengths
            positions = np.arange(total) + np.repeat(starts - firsts, lengths)
            np.add.at(z, w.indices[positions], np.repeat(values, lengths) * w.data[positions])
        return z[None, :] + self.bias

    def proba_from_scores(self, z: np.ndarray) -> np.ndarray:
        p = softmax(z, self.temperature)
        if self.calibration is not None and len(p):
            p = apply_confidence_map(p, *self.calibration)
        return p

    def predict_proba(self, docs: Iterable, batch_size: int = 2000) -> np.ndarray:
        out = []
        batch: list = []
        for d in docs:
            batch.append(d)
            if len(batch) >= batch_size:
                out.append(self.proba_from_scores(self.decision_function(batch)))
                batch = []
        if batch:
            out.append(self.proba_from_scores(self.decision_function(batch)))
        if not out:
            return np.zeros((0, len(self.classes)))
        return np.vstack(out)

    def rank(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        """Top-k (matter code, calibrated probability), best first."""
        p = self.predict_proba([text])[0]
        top = np.argsort(-p)[:k]
        return [(self.classes[i], float(p[i])) for i in top]

    def evaluate(self, docs: Iterable, labels: Sequence[str]) -> dict:
        proba = self.predict_proba(docs)
        return evaluate_probabilities(proba, labels, self.classes, self.threshold)

    # -- storage ----------------------------------------------------------------------------

    def to_state(self) -> dict:
        w = self.weights
        state = {
            "format": FORMAT_VERSION,
            "config": self.config.to_dict(),
            "classes": list(self.classes),
            "idf": self.idf,
            "bias": self.bias,
            "temperature": self.temperature,
            "threshold": self.threshold,
            "target_precision": self.target_precision,
        }
        if self.calibration is not None:
            state["calibration_x"] = np.asarray(self.calibration[0], dtype=np.float64)
            state["calibration_y"] = np.asarray(self.calibration[1], dtype=np.float64)
        if sp.issparse(w):
            w = w.tocsr()
            state["weights_sparse"] = {
                "data": w.data.astype(np.float32),
                "indices": w.indices.astype(np.int32),
                "indptr": w.indptr.astype(np.int64),
                "shape": [int(w.shape[0]), int(w.shape[1])],
            }
        else:
            state["weights_dense"] = np.asarray(w, dtype=np.float32)
        return state

    @classmethod
    def from_state(cls, state: dict) -> TextClassifier:
        if state.get("format") != FORMAT_VERSION:
            raise ValueError(f"unsupported classifier format {state.get('format')!r}")
        if "weights_sparse" in state:
            s = state["weights_sparse"]
            w = sp.csr_matrix((s["data"], s["indices"], s["indptr"]), shape=tuple(s["shape"]))
        else:
            w = state["weights_dense"]
        return cls(
            FeatureConfig.from_dict(state["config"]),
            state["classes"],
            state["idf"],
            w,
            state["bias"],
            temperature=state["temperature"],
            threshold=state["threshold"],
            target_precision=state["target_precision"],
            calibration=(state["calibration_x"], state["calibration_y"]) if "calibration_x" in state else None,
        )

    def save(self, path: str | os.PathLike, metrics: dict | None = None, info: dict | None = None) -> Path:
        """Write with skops (no pickle), atomically."""
        state = self.to_state()
        state["metrics"] = jsonable(metrics if metrics is not None else self.metrics)
        state["info"] = jsonable(info if info is not None else self.info)
        return write_state(state, path)

    @classmethod
    def load(cls, path: str | os.PathLike) -> TextClassifier:
        """Load a skops file written by :meth:`save`, refusing any type beyond plain data."""
        state = read_state(path)
        model = cls.from_state(state)
        model.metrics = state.get("metrics") or {}
        model.info = state.get("info") or {}
        return model
