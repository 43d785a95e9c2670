"""Training a calibrated classifier from (Doc, label) pairs: in memory with cross-fitting, or
streamed chunk by chunk with bounded memory."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .calibration import fit_confidence_map, fit_temperature, softmax, threshold_for_precision
from .evaluation import evaluate_probabilities, precision_curve
from .featurizing import Doc, DocumentFrequency, FeatureConfig, Featurizer
from .splits import N_BANDS, NEAR_COPY_BANDS, crossfit_fold, doc_keys, is_validation
from .textmodel import TextClassifier


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
