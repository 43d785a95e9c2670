"""Learned matter classifier, plain Python (no Django): text features, training, calibration,
evaluation and safe storage.

Design, and why:
- Features are *hashed* character n-grams plus jieba word n-grams. Hashing is stateless, so a
  1M-row history can be streamed in chunks without a vocabulary pass, and a 20-character call
  note and a 2,000-character letter land in the same space (sublinear tf, idf, then each block
  L2-normalised, so length does not dominate).
- Every model is reduced to one linear map ``z = X @ W + b`` (SVM, logistic regression, SGD,
  complement naive Bayes and averages of them are all linear in the features). Storage is
  then only numbers and strings, which skops saves and loads with a short explicit list of
  trusted types; prediction is one sparse product.
- Confidences are calibrated by temperature scaling of the softmax on a held-out validation
  split, and the auto-dispatch threshold for a target precision is read off the same split's
  coverage/precision curve, never off a test set.
- The validation split is a deterministic hash of the text, so every retraining holds out the
  same rows and a new model can be compared with the active one on rows neither was trained on.
"""

from __future__ import annotations

import csv
import hashlib
import math
import os
import re
import sys
import time
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp

FORMAT_VERSION = 1

# ---------------------------------------------------------------------------------------------
# Text normalisation and segmentation
# ---------------------------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")
# Digit runs (phone numbers, house numbers, dates) say nothing about the matter but multiply
# distinct n-grams; fold each run to one symbol so "12号楼" and "3号楼" share features.
_DIGITS = re.compile(r"[0-9]+")
_HAS_WORD_CHAR = re.compile(r"[0-9a-z\u3400-\u9fff]")


def normalise(text: str) -> str:
    """NFKC (full-width -> half-width), lower case, no whitespace, digit runs -> '0'."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _DIGITS.sub("0", _SPACE.sub("", text))


def build_user_dictionary(*word_lists: Iterable[str]) -> list[str]:
    """Merge plain word lists (matter keywords, division names, ...) into a jieba user word list.

    Returns the sorted unique words of length >= 2 (a single character is already in jieba's
    dictionary and adding it only disturbs segmentation). Pass the result as ``user_words``
    to :class:`Segmenter` / :class:`FeatureConfig`, or write it with
    :func:`user_dictionary_text` for jieba's ``load_userdict`` format.
    """
    words: set[str] = set()
    for words_in in word_lists:
        for w in words_in:
            w = unicodedata.normalize("NFKC", str(w or "")).strip().lower()
            # jieba's user dictionary is whitespace-separated: a space would split the entry.
            w = _SPACE.sub("", w)
            if len(w) >= 2:
                words.add(w)
    return sorted(words)


def user_dictionary_text(words: Iterable[str], freq: int = 20000) -> str:
    """jieba ``load_userdict`` text ("word freq" per line) for the given words."""
    return "".join(f"{w} {freq}\n" for w in build_user_dictionary(words))


def _jieba_tokenizer(user_words: tuple[str, ...]):
    """One jieba.Tokenizer per user-word list in this process (building one reads the main
    dictionary, ~1 s), shared by every model and engine with the same words."""
    from jiesu.engine.text import jieba_tokenizer

    return jieba_tokenizer(user_words)


class Segmenter:
    """jieba segmentation with a private dictionary (never touches the global jieba instance,
    so two models with different user words can live in one process)."""

    def __init__(self, user_words: Sequence[str] = (), hmm: bool = False):
        self.user_words = tuple(build_user_dictionary(user_words))
        self.hmm = hmm
        self._tokenizer = None

    def _jieba(self):
        if self._tokenizer is None:
            self._tokenizer = _jieba_tokenizer(self.user_words)
        return self._tokenizer

    def words(self, text: str) -> list[str]:
        """Words of a normalised text; punctuation-only tokens and lone Latin letters dropped
        (the same cleaning as a pre-tokenised history export, so both kinds of rows agree)."""
        out = []
        for w in self._jieba().cut(text, HMM=self.hmm):
            if _HAS_WORD_CHAR.search(w) and not (len(w) == 1 and "a" <= w <= "z"):
                out.append(w)
        return out


# ---------------------------------------------------------------------------------------------
# Features
# ---------------------------------------------------------------------------------------------


@dataclass
class FeatureConfig:
    char_ngrams: tuple[int, int] = (1, 3)
    # Word unigrams only: bigrams scored lower on the real data (0.904 vs 0.917 macro-F1),
    # since a stop-word-stripped export and raw text disagree on adjacent pairs.
    word_ngrams: tuple[int, int] = (1, 1)
    char_bits: int = 20
    word_bits: int = 19
    # Long letters repeat themselves; cut at this many characters (the head holds the gist).
    max_chars: int = 3000
    user_words: tuple[str, ...] = ()
    # jieba's HMM guesses unknown words; the character n-grams already cover those, and
    # without it segmentation is ~40% faster (measured: 0.83 s vs 1.44 s per 1,000 messages).
    hmm: bool = False

    def to_dict(self) -> dict:
        return {
            "char_ngrams": list(self.char_ngrams),
            "word_ngrams": list(self.word_ngrams),
            "char_bits": self.char_bits,
            "word_bits": self.word_bits,
            "max_chars": self.max_chars,
            "user_words": list(self.user_words),
            "hmm": self.hmm,
        }

    @classmethod
    def from_dict(cls, d: dict) -> FeatureConfig:
        return cls(
            char_ngrams=tuple(d["char_ngrams"]),
            word_ngrams=tuple(d["word_ngrams"]),
            char_bits=int(d["char_bits"]),
            word_bits=int(d["word_bits"]),
            max_chars=int(d["max_chars"]),
            user_words=tuple(d.get("user_words", ())),
            hmm=bool(d.get("hmm", False)),
        )


@dataclass
class Doc:
    """One training or query text. ``tokens`` is set for pre-tokenised history rows (then the
    character stream is the tokens joined without spaces)."""

    text: str
    tokens: list[str] | None = None
    # Supplementary rows (an extra export that may repeat the main history in another form)
    # are only trained on: as validation rows they would be near copies of training rows and
    # make the threshold look safer than it is.
    train_only: bool = False
    # How many history rows this row counts as: a dispatcher's correction is a confirmed
    # answer to a case the model got wrong, and a handful of them must be able to outvote
    # years of history that followed an older rule.
    weight: float = 1.0


def _as_doc(x) -> Doc:
    return x if isinstance(x, Doc) else Doc(str(x or ""))


class Featurizer:
    """Stateless hashing of (char n-grams, word n-grams) to raw counts; ``finish`` applies
    sublinear tf, idf and per-block L2 norm. The raw/finish split lets streaming training
    estimate idf from the first chunks before any weight is learned."""

    def __init__(self, config: FeatureConfig):
        from sklearn.feature_extraction.text import HashingVectorizer

        self.config = config
        self.segmenter = Segmenter(config.user_words, config.hmm)
        common = dict(alternate_sign=False, norm=None, lowercase=False, dtype=np.float32)
        self._char = HashingVectorizer(
            analyzer="char", ngram_range=tuple(config.char_ngrams), n_features=2**config.char_bits, **common
        )
        # Words arrive already segmented and space-joined; \S+ keeps every token (including
        # one-character Chinese words that the default pattern would drop).
        self._word = HashingVectorizer(
            analyzer="word",
            token_pattern=r"\S+",
            ngram_range=tuple(config.word_ngrams),
            n_features=2**config.word_bits,
            **common,
        )
        self.n_char = 2**config.char_bits
        self.n_features = self.n_char + 2**config.word_bits

    def streams(self, docs: Iterable) -> tuple[list[str], list[str]]:
        chars, words = [], []
        limit = self.config.max_chars
        for d in docs:
            d = _as_doc(d)
            if d.tokens is not None:
                toks = [normalise(t) for t in d.tokens]
                toks = [t for t in toks if t]
                c = "".join(toks)[:limit]
            else:
                c = normalise(d.text)[:limit]
                toks = self.segmenter.words(c)
            chars.append(c)
            words.append(" ".join(toks))
        return chars, words

    def raw(self, docs: Iterable) -> sp.csr_matrix:
        chars, words = self.streams(docs)
        a = self._char.transform(chars).tocsr()
        b = self._word.transform(words).tocsr()
        # Row-wise concatenation by hand: sp.hstack costs milliseconds per call at this width,
        # more than the whole prediction otherwise.
        a.sum_duplicates()
        b.sum_duplicates()
        na, nb = np.diff(a.indptr), np.diff(b.indptr)
        indptr = np.zeros(len(na) + 1, dtype=np.int64)
        np.cumsum(na + nb, out=indptr[1:])
        indices = np.empty(indptr[-1], dtype=np.int32)
        data = np.empty(indptr[-1], dtype=np.float32)
        row_a = np.repeat(np.arange(len(na)), na)
        row_b = np.repeat(np.arange(len(nb)), nb)
        pos_a = indptr[:-1][row_a] + (np.arange(a.nnz) - a.indptr[:-1][row_a])
        pos_b = indptr[:-1][row_b] + na[row_b] + (np.arange(b.nnz) - b.indptr[:-1][row_b])
        indices[pos_a], data[pos_a] = a.indices, a.data
        indices[pos_b], data[pos_b] = b.indices + self.n_char, b.data
        return sp.csr_matrix((data, indices, indptr), shape=(len(na), self.n_features))

    def finish(self, raw: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
        """Sublinear tf x idf, then each block (chars, words) L2-normalised and scaled by
        1/sqrt(2): both views count equally whatever the message length. Works on the CSR
        arrays directly (a diagonal matrix of this width costs tens of milliseconds)."""
        X = raw.copy()
        X.sum_duplicates()
        data = np.log1p(X.data) * idf[X.indices]  # sublinear tf: the 30th "物业" adds little
        rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
        block = (X.indices >= self.n_char).astype(np.int64)
        key = rows * 2 + block
        sq = np.bincount(key, weights=data.astype(np.float64) ** 2, minlength=2 * X.shape[0])
        norms = np.sqrt(sq)
        norms[norms == 0] = 1.0
        X.data = (data / (norms[key] * math.sqrt(2.0))).astype(np.float32)
        return X


class DocumentFrequency:
    """Running document frequencies over hashed features, for a smoothed idf."""

    def __init__(self, n_features: int):
        self.df = np.zeros(n_features, dtype=np.int64)
        self.n = 0

    def update(self, raw: sp.csr_matrix) -> None:
        self.df += np.bincount(raw.indices, minlength=self.df.shape[0])
        self.n += raw.shape[0]

    def idf(self) -> np.ndarray:
        return (np.log((1.0 + self.n) / (1.0 + self.df)) + 1.0).astype(np.float32)


# ---------------------------------------------------------------------------------------------
# Calibration and thresholds
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------------------------


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
        z = self.featurizer.finish(raw, self.idf) @ self.weights
        z = z.toarray() if sp.issparse(z) else np.asarray(z)
        return z + self.bias

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
        """Write with skops (no pickle). Written to a temporary name and renamed, so a reader
        never sees half a file."""
        import skops.io as sio

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        state = self.to_state()
        state["metrics"] = _jsonable(metrics if metrics is not None else self.metrics)
        state["info"] = _jsonable(info if info is not None else self.info)
        tmp = path.with_name(path.name + ".tmp")
        # Deflate: most of a small model's file is the idf table, mostly one repeated value.
        sio.dump(state, tmp, compression=zipfile.ZIP_DEFLATED, compresslevel=6)
        os.replace(tmp, path)
        return path

    @classmethod
    def load(cls, path: str | os.PathLike) -> TextClassifier:
        """Load a skops file, trusting only plain containers and numpy arrays.

        The state holds nothing but dicts, lists, strings, numbers and arrays, so the trusted
        list is the handful of numpy types below; any other type in the file (a replaced file
        smuggling an object) makes loading fail instead of constructing it.
        """
        import skops.io as sio

        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"classifier file not found: {path}")
        # skops trusts scikit-learn types by default; a model state never contains any, so
        # check every node of the schema against plain data first.
        unexpected = {t for t in _schema_types(path) if t not in _PLAIN_TYPES}
        unexpected |= set(sio.get_untrusted_types(file=path)) - set(TRUSTED_TYPES)
        if unexpected:
            raise ValueError(f"refusing to load {path}: unexpected types {sorted(unexpected)}")
        state = sio.load(path, trusted=list(TRUSTED_TYPES))
        model = cls.from_state(state)
        model.metrics = state.get("metrics") or {}
        model.info = state.get("info") or {}
        return model


# numpy types the stored state may contain (skops 0.16 reports dtypes and arrays this way).
TRUSTED_TYPES: tuple[str, ...] = (
    "numpy.dtype",
    "numpy.ndarray",
    "numpy.float32",
    "numpy.float64",
    "numpy.int32",
    "numpy.int64",
)


_PLAIN_TYPES = {f"builtins.{t}" for t in ("dict", "list", "tuple", "str", "int", "float", "bool", "NoneType")} | set(
    TRUSTED_TYPES
)


def _schema_types(path: Path) -> set[str]:
    """Every 'module.Class' named in a skops file's schema."""
    import json
    import zipfile

    with zipfile.ZipFile(path) as zf:
        schema = json.loads(zf.read("schema.json"))
    found: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "__class__" in node and "__module__" in node:
                found.add(f"{node['__module__']}.{node['__class__']}")
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _jsonable(x):
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, (np.floating,)):
        return float(x)
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


# ---------------------------------------------------------------------------------------------
# Reading histories (CSV / XLSX), streamed
# ---------------------------------------------------------------------------------------------


class ColumnError(ValueError):
    """A requested column is not in the file."""


def iter_table(path: str | os.PathLike) -> Iterator[dict]:
    """Rows of a CSV (UTF-8, with or without BOM; GB18030 as fallback) or XLSX file as dicts,
    streamed: an XLSX is opened read-only so a million-row sheet is never held in memory."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"input file not found: {path}")
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            rows = wb.active.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None:
                return
            names = [str(h).strip() if h is not None else "" for h in header]
            for r in rows:
                yield {n: ("" if v is None else str(v)) for n, v in zip(names, r)}
        finally:
            wb.close()
        return
    csv.field_size_limit(sys.maxsize)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            with open(path, newline="", encoding=encoding) as fh:
                fh.read(65536)  # sniff the encoding on the head before committing to it
        except UnicodeDecodeError:
            continue
        with open(path, newline="", encoding=encoding, errors="replace") as fh:
            yield from csv.DictReader(fh)
        return
    raise ValueError(f"{path}: neither UTF-8 nor GB18030 text")


def table_columns(path: str | os.PathLike) -> list[str]:
    for row in iter_table(path):
        return list(row.keys())
    return []


def check_columns(path: str | os.PathLike, *columns: str) -> None:
    have = table_columns(path)
    for c in columns:
        if c not in have:
            raise ColumnError(f"{path}: no column {c!r} (columns: {', '.join(have) or 'none'})")


def iter_labelled(
    path: str | os.PathLike,
    text_column: str,
    label_column: str,
    tokens_column: str | None = None,
    train_only: bool = False,
) -> Iterator[tuple[Doc, str]]:
    """(Doc, label) pairs from a table. With ``tokens_column`` the rows are pre-tokenised
    (space-separated words, e.g. a jieba export with stop words removed)."""
    check_columns(path, tokens_column or text_column, label_column)
    for row in iter_table(path):
        label = (row.get(label_column) or "").strip()
        if not label:
            continue  # an unlabelled history row teaches nothing
        if tokens_column:
            toks = (row.get(tokens_column) or "").split()
            if toks:
                yield Doc("", toks, train_only), label
        else:
            text = row.get(text_column) or ""
            if text.strip():
                yield Doc(text, None, train_only), label


def looks_pretokenised(path: str | os.PathLike) -> str | None:
    """The tokens column of a pre-tokenised export (a column named 'tokens'), if any."""
    cols = table_columns(path)
    return "tokens" if "tokens" in cols else None


# ---------------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------------


_NOT_CJK = re.compile(r"[^\u3400-\u9fff]+")
# Function characters that exports with stop words removed drop and raw text keeps; ignoring
# them lets a raw message and its tokenised copy produce the same shingles.
_FUNCTION_CHARS = re.compile("[的了是在和有我也就都而及与着或被把对等你他她它们这那之其为从向于吗呢吧啊]")
N_BANDS = 8
# A supplementary row counts as a near copy of a validation row when this many of the
# N_BANDS keys agree with that same row (MinHash: expected share = Jaccard similarity).
NEAR_COPY_BANDS = 3


def doc_keys(doc: Doc, bands: int = N_BANDS) -> tuple[int, ...]:
    """Near-duplicate-tolerant keys (MinHash, one per band) over Chinese 3-character shingles
    of the first 120 content characters. The same complaint filed twice with other
    punctuation, numbers or a few words changed shares most keys."""
    text = "".join(doc.tokens) if doc.tokens is not None else doc.text
    cjk = _FUNCTION_CHARS.sub("", _NOT_CJK.sub("", unicodedata.normalize("NFKC", text or "")))[:120]
    if len(cjk) < 3:
        k = zlib.crc32(normalise(text).encode("utf-8"))
        return (k,) * bands
    shingles = [cjk[i : i + 3].encode("utf-8") for i in range(len(cjk) - 2)]
    return tuple(min(zlib.crc32(sh, band * 0x9E3779B1 & 0xFFFFFFFF) for sh in shingles) for band in range(bands))


def is_validation(doc: Doc, fraction: float, salt: str = "jiesu-learning-v1") -> bool:
    """Deterministic split on the text itself: the same message is always on the same side,
    in every retraining and in duplicate rows, so held-out figures stay held out."""
    if fraction <= 0 or doc.train_only:
        return False
    h = hashlib.blake2b(f"{salt}:{doc_keys(doc, 1)[0]}".encode(), digest_size=8).digest()
    return int.from_bytes(h, "big") / 2**64 < fraction


@dataclass
class TrainConfig:
    features: FeatureConfig = field(default_factory=FeatureConfig)
    # "svm": liblinear linear SVM on features held in memory (best on small histories);
    # "sgd": averaged SGD with hinge loss, streamed chunk by chunk (bounded memory, any size);
    # "svm+cnb": average of the SVM and complement naive Bayes (standardised scores).
    # "auto": svm up to memory_rows training rows, sgd beyond.
    estimator: str = "auto"
    svm_c: float = 2.0
    sgd_alpha: float = 2e-6
    sgd_epochs: int = 1
    val_fraction: float = 0.1
    max_val_rows: int = 50_000
    # In-memory training: calibrate temperature, confidence map and threshold on out-of-fold
    # scores of this many folds over every training row, then fit the model on all of them.
    # A held-out split of a few hundred rows sets a noisy threshold and takes those rows away
    # from the model; cross-fitting uses every row for both. 0 or 1: calibrate on the
    # validation rows instead (as streaming training always does).
    crossfit_folds: int = 5
    target_precision: float = 0.97
    chunk_rows: int = 10_000
    memory_rows: int = 100_000
    # Streaming: idf estimated from the first this-many training rows.
    idf_rows: int = 20_000
    n_jobs: int = 1
    seed: int = 0


@dataclass
class TrainReport:
    rows_read: int = 0
    train_rows: int = 0
    val_rows: int = 0
    seconds: float = 0.0
    estimator: str = ""
    mode: str = ""
    dropped_near_validation: int = 0
    # Main-history rows scored out of fold for calibration (0 when calibrated on validation).
    crossfit_rows: int = 0
    # The held-out rows themselves, so a caller can score another model on the same rows.
    validation: tuple = field(default=((), ()), repr=False)

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "validation"}


class _Pipeline:
    """Raw-featurise chunks of docs, in worker processes when n_jobs > 1 (jieba is pure
    Python, so threads would not help). At most n_jobs + 1 chunks are in flight, which keeps
    memory bounded whatever the file size."""

    def __init__(self, config: FeatureConfig, n_jobs: int):
        self.config = config
        self.n_jobs = max(1, int(n_jobs))
        self.featurizer = Featurizer(config)

    def map(self, chunks: Iterable[list]) -> Iterator[tuple[list, sp.csr_matrix]]:
        if self.n_jobs == 1:
            for chunk in chunks:
                yield chunk, self.featurizer.raw([d for d, _ in chunk])
            return
        from collections import deque
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(self.n_jobs, initializer=_worker_init, initargs=(self.config.to_dict(),)) as ex:
            pending: deque = deque()
            for chunk in chunks:
                pending.append((chunk, ex.submit(_worker_raw, [(d.text, d.tokens) for d, _ in chunk])))
                if len(pending) > self.n_jobs:
                    c, fut = pending.popleft()
                    yield c, fut.result()
            while pending:
                c, fut = pending.popleft()
                yield c, fut.result()


_WORKER: Featurizer | None = None


def _worker_init(config: dict) -> None:
    global _WORKER
    _WORKER = Featurizer(FeatureConfig.from_dict(config))


def _worker_raw(items: list) -> sp.csr_matrix:
    return _WORKER.raw([Doc(t, k) for t, k in items])


def _chunks(pairs: Iterable[tuple[Doc, str]], size: int) -> Iterator[list]:
    chunk: list = []
    for p in pairs:
        chunk.append(p)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _linear_from(estimator, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """(W (n_features, n_classes), b) of a fitted linear sklearn classifier."""
    coef = np.asarray(estimator.coef_, dtype=np.float32)
    bias = np.asarray(estimator.intercept_, dtype=np.float32)
    if coef.shape[0] == 1 and n_classes == 2:
        # Binary models keep one row (score of class 1); make it two symmetric columns.
        coef = np.vstack([-coef / 2, coef / 2])
        bias = np.array([-bias[0] / 2, bias[0] / 2], dtype=np.float32)
    return coef.T, bias


def _compact(W: np.ndarray) -> np.ndarray | sp.csr_matrix:
    """Sparse storage when most hashed buckets never received weight (small histories)."""
    nz = np.count_nonzero(W)
    if nz < 0.3 * W.size:
        return sp.csr_matrix(W)
    return W


def train(
    source: Callable[[], Iterable[tuple[Doc, str]]] | Iterable[tuple[Doc, str]],
    config: TrainConfig | None = None,
    log: Callable[[str], None] | None = None,
) -> tuple[TextClassifier, TrainReport]:
    """Train a calibrated classifier from (Doc, label) pairs.

    ``source`` is an iterable or, for several streamed SGD epochs, a callable returning a
    fresh iterable. Rows are read once per epoch and never all held in memory in "sgd" mode.
    The returned model carries validation metrics, temperature and the auto-dispatch threshold.
    """
    config = config or TrainConfig()
    log = log or (lambda msg: None)
    t0 = time.time()
    report = TrainReport()
    pipeline = _Pipeline(config.features, config.n_jobs)
    feat = pipeline.featurizer
    rng = np.random.default_rng(config.seed)

    def fresh():
        return source() if callable(source) else source

    val_docs: list[Doc] = []
    val_labels: list[str] = []
    classes: set[str] = set()
    df = DocumentFrequency(feat.n_features)
    # Raw training chunks held in memory: (features, labels, sample weights).
    buffered: list[tuple[sp.csr_matrix, list[str], np.ndarray]] = []
    buffered_rows = 0
    # Per buffered row: (near-copy keys, supplementary?), for cross-fitting.
    buffered_meta: list[tuple[tuple[int, ...], bool]] = []
    streaming = False
    sgd = None
    idf = None

    # Per band: MinHash key -> ids of validation rows with it.
    val_keys: list[dict[int, list[int]]] = [{} for _ in range(N_BANDS)]

    def near_validation(doc: Doc) -> bool:
        votes: Counter = Counter()
        for k, band in zip(doc_keys(doc), val_keys):
            votes.update(band.get(k, ()))
        return bool(votes) and votes.most_common(1)[0][1] >= NEAR_COPY_BANDS

    def split(chunk):
        tr_docs, tr_labels = [], []
        for doc, label in chunk:
            report.rows_read += 1
            classes.add(label)
            if doc.train_only and val_docs and near_validation(doc):
                # A supplementary row that is a near copy of a validation row would leak it.
                report.dropped_near_validation += 1
                continue
            if is_validation(doc, config.val_fraction):
                if len(val_docs) < config.max_val_rows:
                    for k, band in zip(doc_keys(doc), val_keys):
                        band.setdefault(k, []).append(len(val_docs))
                if len(val_docs) < config.max_val_rows:
                    val_docs.append(doc)
                    val_labels.append(label)
            else:
                tr_docs.append(doc)
                tr_labels.append(label)
        return tr_docs, tr_labels

    def chunks_with_split():
        for chunk in _chunks(fresh(), config.chunk_rows):
            tr_docs, tr_labels = split(chunk)
            if tr_docs:
                yield list(zip(tr_docs, tr_labels))

    estimator = config.estimator
    for chunk, raw in pipeline.map(chunks_with_split()):
        labels = [label for _, label in chunk]
        weights = np.array([d.weight for d, _ in chunk], dtype=np.float64)
        report.train_rows += len(labels)
        if not streaming:
            buffered.append((raw, labels, weights))
            buffered_rows += len(labels)
            if config.crossfit_folds >= 2 and estimator != "sgd":
                buffered_meta.extend((doc_keys(d), d.train_only) for d, _ in chunk)
            df.update(raw)
            if (
                estimator == "sgd"
                and buffered_rows >= config.idf_rows
                or (estimator == "auto" and buffered_rows > config.memory_rows)
            ):
                # Too big (or asked) for a batch model: fix idf on what we have and stream on.
                streaming = True
                estimator = "sgd"
                idf = df.idf()
                log(f"streaming: idf from {df.n} rows; classes seen so far {len(classes)}")
                sgd = _SGDStream(config, rng)
                for r, labs, ws in buffered:
                    sgd.partial_fit(feat.finish(r, idf), labs, ws)
                buffered = []
                buffered_meta = []
        else:
            sgd.partial_fit(feat.finish(raw, idf), labels, weights)
        if report.train_rows // 100_000 != (report.train_rows - len(labels)) // 100_000:
            log(f"{report.train_rows} training rows, {time.time() - t0:.0f}s")

    if report.train_rows == 0:
        raise ValueError("no labelled training rows")

    if estimator == "sgd" and not streaming:
        # Small input but SGD asked: same model, fitted from the buffer.
        idf = df.idf()
        sgd = _SGDStream(config, rng)
        streaming = True
        for r, labs, ws in buffered:
            sgd.partial_fit(feat.finish(r, idf), labs, ws)
        buffered = []

    if streaming:
        report.mode = "stream"
        for epoch in range(1, config.sgd_epochs):
            if not callable(source):
                break  # a one-shot iterator cannot be read again
            log(f"epoch {epoch + 1}")
            again = (
                (d, y)
                for d, y in fresh()
                if not is_validation(d, config.val_fraction) and not (d.train_only and val_docs and near_validation(d))
            )
            for chunk, raw in pipeline.map(_chunks(again, config.chunk_rows)):
                sgd.partial_fit(
                    feat.finish(raw, idf),
                    [y for _, y in chunk],
                    np.array([d.weight for d, _ in chunk], dtype=np.float64),
                )
        W, b, class_list = sgd.linear()
        report.estimator = "sgd"
    else:
        report.mode = "memory"
        idf = df.idf()
        X = feat.finish(sp.vstack([r for r, _, _ in buffered], format="csr"), idf)
        y = [lab for _, labs, _ in buffered for lab in labs]
        w = np.concatenate([ws for _, _, ws in buffered])
        buffered = []
        if estimator == "auto":
            estimator = "svm"
        W, b, class_list = _fit_batch(estimator, X, y, config, w)
        report.estimator = estimator
        oof = None
        if config.crossfit_folds >= 2 and len(buffered_meta) == len(y):
            oof = cross_fit_scores(estimator, X, np.asarray(y), buffered_meta, class_list, config, log, w)
        del X

    model = TextClassifier(config.features, class_list, idf, _compact(W), b, target_precision=config.target_precision)
    report.val_rows = len(val_docs)
    if not streaming and oof is not None:
        scores, labels_scored = oof
        report.crossfit_rows = len(labels_scored)
        calibrate_on_scores(model, scores, labels_scored, config.target_precision)
        model.metrics["calibrated_on"] = f"cross-fit, {config.crossfit_folds} folds"
        if val_docs:
            model.metrics["validation"] = model.evaluate(val_docs, val_labels)
    else:
        calibrate(model, val_docs, val_labels, config.target_precision)
        model.metrics["calibrated_on"] = "validation"
    report.validation = (val_docs, val_labels)
    report.seconds = time.time() - t0
    model.info = {"train": report.to_dict()}
    log(f"trained in {report.seconds:.0f}s: {report.train_rows} training rows, {report.val_rows} validation rows")
    return model, report


def calibrate(
    model: TextClassifier, val_docs: Sequence[Doc], val_labels: Sequence[str], target_precision: float
) -> dict:
    """Fit temperature and threshold on validation rows; store and return validation metrics."""
    model.target_precision = float(target_precision)
    if not val_docs:
        model.temperature, model.threshold = 1.0, 1.0
        model.metrics = {"validation": None}
        return model.metrics
    z = np.vstack([model.decision_function(val_docs[i : i + 2000]) for i in range(0, len(val_docs), 2000)])
    metrics = calibrate_on_scores(model, z, val_labels, target_precision)
    model.metrics["validation"] = metrics
    return model.metrics


def calibrate_on_scores(model: TextClassifier, z: np.ndarray, labels: Sequence[str], target_precision: float) -> dict:
    """Fit temperature, confidence map and threshold to decision scores ``z`` of rows with
    known ``labels`` (validation rows, or out-of-fold scores); returns metrics on those rows
    and stores them as ``model.metrics["calibration"]``."""
    model.target_precision = float(target_precision)
    index = {c: i for i, c in enumerate(model.classes)}
    known = np.array([lab in index for lab in labels], dtype=bool)
    y = np.array([index.get(lab, 0) for lab in labels])
    model.temperature = fit_temperature(z[known], y[known]) if known.sum() >= 10 else 1.0
    proba = softmax(z, model.temperature)
    model.calibration = None
    if known.sum() >= 100:  # fewer rows: the isotonic steps would be noise
        model.calibration = fit_confidence_map(proba.max(axis=1), (proba.argmax(axis=1) == y) & known)
        proba = model.proba_from_scores(z)
    correct = (proba.argmax(axis=1) == y) & known
    model.threshold = threshold_for_precision(proba.max(axis=1), correct, target_precision)
    metrics = evaluate_probabilities(proba, labels, model.classes, model.threshold)
    metrics["precision_curve"] = precision_curve(proba.max(axis=1), correct)
    model.metrics = {"validation": None, "calibration": metrics, "temperature": model.temperature}
    return metrics


def crossfit_fold(keys: tuple[int, ...], folds: int, salt: str = "jiesu-crossfit-v1") -> int:
    """Fold of a row, from its first near-copy key: near copies always share a fold, so a
    row is never scored by a model trained on its twin."""
    h = hashlib.blake2b(f"{salt}:{keys[0]}".encode(), digest_size=8).digest()
    return int.from_bytes(h, "big") % folds


def cross_fit_scores(
    estimator: str,
    X: sp.csr_matrix,
    y: np.ndarray,
    meta: Sequence[tuple[tuple[int, ...], bool]],
    classes: Sequence[str],
    config: TrainConfig,
    log: Callable[[str], None],
    sample_weight: np.ndarray | None = None,
) -> tuple[np.ndarray, list[str]] | None:
    """Out-of-fold decision scores of the main-history rows (supplementary rows are trained on
    in every fold, except those that near-copy a row of the fold being scored).
    Returns (scores in ``classes`` order, labels), or None when too few rows to split."""
    folds = int(config.crossfit_folds)
    main = np.array([not t for _, t in meta], dtype=bool)
    fold = np.array([crossfit_fold(k, folds) if not t else -1 for k, t in meta])
    if main.sum() < 5 * folds:
        return None
    col = {c: i for i, c in enumerate(classes)}
    scores = np.zeros((len(y), len(classes)), dtype=np.float64)
    for k in range(folds):
        held = fold == k
        if not held.any():
            continue
        bands: list[dict[int, list[int]]] = [{} for _ in range(N_BANDS)]
        for i in np.nonzero(held)[0]:
            for key, band in zip(meta[i][0], bands):
                band.setdefault(key, []).append(i)
        fit = ~held & main
        for i in np.nonzero(~main)[0]:
            votes = Counter()
            for key, band in zip(meta[i][0], bands):
                votes.update(band.get(key, ()))
            fit[i] = not votes or votes.most_common(1)[0][1] < NEAR_COPY_BANDS
        if len(set(y[fit].tolist())) < 2:
            return None
        W, b, fold_classes = _fit_batch(
            estimator, X[fit], y[fit], config, None if sample_weight is None else sample_weight[fit]
        )
        z = np.asarray(X[held] @ W) + b
        # A matter absent from this fold's training rows can never be its answer.
        out = np.full((int(held.sum()), len(classes)), z.min() - 10.0)
        for j, c in enumerate(fold_classes):
            out[:, col[c]] = z[:, j]
        scores[held] = out
        log(f"cross-fit fold {k + 1}/{folds}: {int(held.sum())} rows scored")
    return scores[main], [lab for lab, m in zip(y.tolist(), main) if m]


class _SGDStream:
    """Averaged SGD (hinge) fed chunk by chunk; classes may first appear in any chunk, so it
    keeps one binary model per class it has seen (one-vs-rest, as SGDClassifier does)."""

    def __init__(self, config: TrainConfig, rng):
        self.config = config
        self.rng = rng
        self.models: dict[str, object] = {}
        self.order: list[str] = []

    def _new(self):
        from sklearn.linear_model import SGDClassifier

        return SGDClassifier(
            loss="hinge", alpha=self.config.sgd_alpha, average=True, random_state=self.config.seed, tol=None
        )

    def partial_fit(self, X: sp.csr_matrix, labels: Sequence[str], weights: np.ndarray | None = None) -> None:
        labels = np.asarray(labels)
        weights = np.ones(X.shape[0]) if weights is None else np.asarray(weights, dtype=np.float64)
        # Shuffle within the chunk: history files are often sorted by date or by matter.
        perm = self.rng.permutation(X.shape[0])
        X, labels, weights = X[perm], labels[perm], weights[perm]
        for lab in np.unique(labels):
            if lab not in self.models:
                self.models[lab] = self._new()
                self.order.append(lab)
        for lab, m in self.models.items():
            m.partial_fit(
                X, (labels == lab).astype(np.int8), classes=np.array([0, 1], dtype=np.int8), sample_weight=weights
            )

    def linear(self) -> tuple[np.ndarray, np.ndarray, list[str]]:
        classes = sorted(self.order)
        W = np.hstack([np.asarray(self.models[c].coef_, dtype=np.float32).T for c in classes])
        b = np.array([self.models[c].intercept_[0] for c in classes], dtype=np.float32)
        return W, b, classes


def _fit_batch(
    estimator: str, X: sp.csr_matrix, y: Sequence[str], config: TrainConfig, sample_weight: np.ndarray | None = None
):
    from sklearn.naive_bayes import ComplementNB
    from sklearn.svm import LinearSVC

    y = np.asarray(y)
    classes = sorted(set(y.tolist()))
    if len(classes) < 2:
        raise ValueError("need at least two matters to train a classifier")
    parts = []
    if estimator in {"svm", "svm+cnb"}:
        m = LinearSVC(C=config.svm_c, random_state=config.seed).fit(X, y, sample_weight=sample_weight)
        assert list(m.classes_) == classes
        parts.append(_linear_from(m, len(classes)))
    if estimator in {"cnb", "svm+cnb"}:
        m = ComplementNB(alpha=0.1).fit(X, y, sample_weight=sample_weight)
        parts.append((np.asarray(m.feature_log_prob_, dtype=np.float32).T, np.zeros(len(classes), dtype=np.float32)))
    if not parts:
        raise ValueError(f"unknown estimator {estimator!r}")
    if len(parts) == 1:
        W, b = parts[0]
        return W, b, classes
    # Average of standardised scores: each member's scores are centred per row and scaled by
    # their spread on the training rows, so neither member dominates by its units.
    W_sum = np.zeros_like(parts[0][0])
    b_sum = np.zeros_like(parts[0][1])
    for W, b in parts:
        z = np.asarray(X @ W) + b
        z = z - z.mean(axis=1, keepdims=True)
        s = float(z.std()) or 1.0
        W_sum += W / s
        b_sum += b / s
    return W_sum / len(parts), b_sum / len(parts), classes
