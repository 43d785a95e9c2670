"""The training corpus that ships with Jiesu, and the engine's reader trained on it.

`corpus/*.jsonl` holds labelled requests written for this purpose (see corpus/README.md: who
wrote them, how, and how many per label). `train_reader` fits the reader's three models
(disposition, kind, matter; see `jiesu.engine.reader`) and chooses its gates on out-of-fold
probabilities, so no gate is read off rows the model was fitted on. Plain Python, no Django:
`jiesu train-reader` wraps it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from jiesu.engine.reader import ANSWER, DEFAULT_DIR, DISPATCH, EMERGENCY_PREFIX, Gates

from .calibration import threshold_for_precision
from .featurizing import Doc, FeatureConfig
from .segmenting import build_user_dictionary
from .splits import crossfit_fold, doc_keys
from .textmodel import TextClassifier
from .training import TrainConfig, train

CORPUS_DIR = Path(__file__).with_name("corpus")
DISPOSITIONS = (
    "dispatch",
    "answer_directly",
    "emergency",
    "legal_channel",
    "secret_privacy",
    "out_of_scope",
    "unlawful",
)
LINES = ("110", "119", "120", "122")
KINDS = ("consultation", "help", "complaint", "report", "suggestion")


class CorpusError(ValueError):
    pass


@dataclass(frozen=True)
class Row:
    id: str
    text: str
    disposition: str
    emergency_line: str | None
    matter: str | None
    kind: str | None
    style: str = ""
    author: str = ""

    @property
    def disposition_label(self) -> str:
        return EMERGENCY_PREFIX + self.emergency_line if self.disposition == "emergency" else self.disposition


def corpus_files(directory: str | Path = CORPUS_DIR) -> list[Path]:
    return sorted(Path(directory).glob("*.jsonl"))


def read_rows(paths: Iterable[str | Path], matters: set[str] | None = None) -> list[Row]:
    """Every row of the files, checked: a bad row is an error naming its file and line."""
    rows: list[Row] = []
    seen: set[str] = set()
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f"{Path(path).name}:{n}"
                try:
                    d = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise CorpusError(f"{where}: not JSON ({exc.msg})") from exc
                text = (d.get("text") or "").strip()
                disp = d.get("disposition")
                line_ = d.get("emergency_line") or None
                matter = d.get("matter") or None
                kind = d.get("kind") or None
                if not text:
                    raise CorpusError(f"{where}: empty text")
                if disp not in DISPOSITIONS:
                    raise CorpusError(f"{where}: disposition {disp!r} is not one of {', '.join(DISPOSITIONS)}")
                if (disp == "emergency") != (line_ is not None) or (line_ is not None and line_ not in LINES):
                    raise CorpusError(
                        f"{where}: an emergency needs one of the lines {', '.join(LINES)}, nothing else may have one"
                    )
                if kind is not None and kind not in KINDS:
                    raise CorpusError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
                if disp == "dispatch" and not matter:
                    raise CorpusError(f"{where}: a dispatch row needs its matter")
                if matter and matters is not None and matter not in matters:
                    raise CorpusError(f"{where}: unknown matter {matter!r}")
                key = text
                if key in seen:
                    continue  # the same text twice teaches nothing and would leak across folds
                seen.add(key)
                rows.append(
                    Row(
                        str(d.get("id") or where),
                        text,
                        disp,
                        line_,
                        matter,
                        kind,
                        str(d.get("style") or ""),
                        str(d.get("author") or ""),
                    )
                )
    return rows


def read_kind_sets(paths: Iterable[str | Path]) -> list[Row]:
    """Labelled requests of the engine's development sets (`tests/blind/` format: text and
    `expected.kind`), for the kind model only. Their writers labelled kinds by the brief that
    blind sets are written to (tests/blind/BRIEF.md); the corpus writers' brief drew help and
    complaint apart differently (round 23: help read as complaint was the largest kind error)."""
    rows: list[Row] = []
    for path, n, d, want in _labelled(paths):
        kind = want.get("kind")
        if kind is None:
            continue
        if kind not in KINDS:
            raise CorpusError(f"{Path(path).name}:{n}: kind {kind!r} is not one of {', '.join(KINDS)}")
        disp = want.get("disposition") or DISPATCH
        rows.append(Row(str(d.get("id") or n), d["text"].strip(), disp, want.get("emergency_line"), None, kind))
    return rows


def _labelled(paths: Iterable[str | Path]):
    """(path, line number, row, its `expected` labels) of each request of development sets."""
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    d = json.loads(line)
                    yield path, n, d, d.get("expected") or {}


LEAD_TYPES = ("subdistrict", "department", "enterprise", "district_gov")


def read_lead_type_sets(paths: Iterable[str | Path]) -> list[tuple[str, str]]:
    """(text, lead unit type) of the dispatch requests of labelled development sets
    (`tests/blind/` format, `expected.lead_unit_type`), for the reader's lead-type model.

    The catalog routes a matter to one kind of unit; the writers of the development sets, told
    Beijing practice (tests/blind/BRIEF.md), saw the same matter led by the township office in
    a compound or a village, by the district government where several units push it back and
    forth, by a department where the caller asks for a permit or a benefit rule. Those cues are
    in the words; the corpus writers were never asked for a lead unit, so only these sets
    teach them."""
    out: list[tuple[str, str]] = []
    for path, n, d, want in _labelled(paths):
        if want.get("disposition") != DISPATCH or not want.get("lead_unit_type"):
            continue
        t = want["lead_unit_type"]
        if t not in LEAD_TYPES:
            raise CorpusError(f"{Path(path).name}:{n}: lead_unit_type {t!r} is not one of {', '.join(LEAD_TYPES)}")
        out.append((d["text"].strip(), t))
    return out


def fit_lead_type(rows: Sequence[tuple[str, str]], features: FeatureConfig) -> TextClassifier:
    """The lead-type model on (text, type) rows, with the reader's feature configuration (so a
    decision segments and hashes its text once for every model)."""
    config = TrainConfig(
        features=features, estimator="svm", svm_c=1.0, val_fraction=0.0, crossfit_folds=5, target_precision=0.97
    )
    model, _ = train([(Doc(t), label) for t, label in rows], config)
    _prune(model)
    return model


def digest(paths: Iterable[str | Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(Path(x) for x in paths):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def summary(rows: Sequence[Row]) -> dict:
    return {
        "rows": len(rows),
        "disposition": dict(Counter(r.disposition_label for r in rows)),
        "kind": dict(Counter(r.kind for r in rows if r.kind)),
        "matters": len({r.matter for r in rows if r.matter}),
        "min_per_matter": min(Counter(r.matter for r in rows if r.matter).values(), default=0),
        "style": dict(Counter(r.style for r in rows)),
        "authors": dict(Counter(r.author for r in rows)),
    }


# Small, fast models: the shipped files stay a few MB and a decision stays well under a
# millisecond of model time. Measured on the corpus (bench/README): these sizes lose little.
READER_FEATURES = dict(char_ngrams=(1, 3), word_ngrams=(1, 1), char_bits=18, word_bits=16)
# Weights below this share of a model's largest weight are dropped before saving (sparse files).
PRUNE = 0.02


def _config(user_words: Sequence[str], folds: int, target: float) -> TrainConfig:
    return TrainConfig(
        features=FeatureConfig(**READER_FEATURES, user_words=tuple(build_user_dictionary(user_words))),
        estimator="svm",
        svm_c=1.0,
        val_fraction=0.0,
        crossfit_folds=folds,
        target_precision=target,
    )


def _docs(rows: Sequence[Row]) -> list[Doc]:
    return [Doc(r.text) for r in rows]


def _fit(rows: Sequence[Row], labels: Sequence[str], config: TrainConfig) -> TextClassifier:
    model, _ = train(list(zip(_docs(rows), labels)), config)
    return model


def _prune(model: TextClassifier) -> None:
    import scipy.sparse as sp

    # Sparse in, sparse out: a dense copy of a 196-matter model is a quarter of a gigabyte.
    W = sp.csr_matrix(model.weights, dtype=np.float32)
    cut = PRUNE * float(np.abs(W.data).max(initial=0.0) or 1.0)
    W.data[np.abs(W.data) < cut] = 0.0
    W.eliminate_zeros()
    model.weights = W


def out_of_fold(
    rows: Sequence[Row],
    labels: Sequence[str],
    config: TrainConfig,
    folds: int = 5,
    log: Callable[[str], None] = lambda m: None,
) -> tuple[np.ndarray, list[str]]:
    """Calibrated probabilities of every row from a model that never saw it (near copies share
    a fold), in the final model's class order."""
    keys = [doc_keys(d) for d in _docs(rows)]
    fold = np.array([crossfit_fold(k, folds) for k in keys])
    classes = sorted(set(labels))
    proba = np.zeros((len(rows), len(classes)))
    inner = dataclasses.replace(config, crossfit_folds=3)
    for k in range(folds):
        held = np.nonzero(fold == k)[0]
        fit = np.nonzero(fold != k)[0]
        model = _fit([rows[i] for i in fit], [labels[i] for i in fit], inner)
        p = model.predict_proba(_docs([rows[i] for i in held]))
        col = [classes.index(c) for c in model.classes]
        proba[np.ix_(held, col)] = p
        log(f"  fold {k + 1}/{folds}: {len(held)} rows")
    return proba, classes


def choose_gates(
    disp_proba: np.ndarray,
    disp_classes: list[str],
    disp_labels: Sequence[str],
    matter_proba: np.ndarray,
    matter_classes: list[str],
    matter_labels: Sequence[str],
    target: float,
    *,
    route_of: dict[str, object] | None = None,
    keyword_top: Sequence[str | None] | None = None,
) -> tuple[Gates, dict]:
    """Gates from out-of-fold probabilities (see `Gates` for what each one promises).

    The matter gates promise the right *lead unit*, not the right leaf: two sibling matters
    routed alike ("物业服务质量", "物业费收取") are the same dispatch. ``route_of`` maps a matter
    to its default route; ``keyword_top`` is the rules' confident first matter per row (None
    where the rules have none), which earns its own, lower gate where it agrees."""
    y = np.array(disp_labels)
    em_cols = [i for i, c in enumerate(disp_classes) if c.startswith(EMERGENCY_PREFIX)]
    p_em = disp_proba[:, em_cols].sum(axis=1)
    is_em = np.char.startswith(y.astype(str), EMERGENCY_PREFIX)
    non_em = np.sort(p_em[~is_em])[::-1]
    # Transfer: the smallest threshold above all but 0.5 % of non-emergencies, never below 0.5.
    k = max(0, int(0.005 * len(non_em)))
    transfer = max(0.5, float(non_em[k]) + 1e-6 if len(non_em) > k else 0.5)
    # Review: low enough to hold 99 % of emergencies for a person.
    em_sorted = np.sort(p_em[is_em])
    review = float(em_sorted[int(0.01 * len(em_sorted))]) if len(em_sorted) else 0.2
    review = min(review, 0.3)
    dispatch_col = disp_classes.index(DISPATCH)
    p_nd = 1.0 - disp_proba[:, dispatch_col]
    # The special cases of article 11.3 only: an instant answer is often worded like a
    # consultation a unit must look into (corpus m05's contrasts), and the auto-dispatch gate
    # (`jiesu.engine.gate`) weighs P(not dispatch) for those against held-out requests.
    is_special = ~is_em & (y != DISPATCH) & (y != ANSWER)
    sp_sorted = np.sort(p_nd[is_special])
    special_review = float(sp_sorted[int(0.02 * len(sp_sorted))]) if len(sp_sorted) else 0.3
    special_review = min(special_review, 0.3)
    # A special case taken without a rule: precision of the top special class >= target.
    top = disp_proba.argmax(axis=1)
    special_rows = np.array(
        [not disp_classes[t].startswith(EMERGENCY_PREFIX) and disp_classes[t] not in (DISPATCH, ANSWER) for t in top]
    )
    conf = disp_proba.max(axis=1)
    correct = np.array([disp_classes[t] == lab for t, lab in zip(top, y)])
    special_case = (
        threshold_for_precision(conf[special_rows], correct[special_rows], target) if special_rows.any() else 1.0
    )
    m_conf = matter_proba.max(axis=1)
    m_top = [matter_classes[i] for i in matter_proba.argmax(axis=1)]
    m_correct = np.array([t == lab for t, lab in zip(m_top, matter_labels)])
    route_of = route_of or {}
    same_route = np.array(
        [t == lab or (t in route_of and route_of.get(t) == route_of.get(lab)) for t, lab in zip(m_top, matter_labels)]
    )
    agree = np.array([k is not None and k == t for k, t in zip(keyword_top or [None] * len(m_top), m_top)])
    matter_gate = threshold_for_precision(m_conf, same_route, target)
    agree_gate = threshold_for_precision(m_conf[agree], same_route[agree], target) if agree.sum() >= 20 else matter_gate
    agree_gate = min(agree_gate, matter_gate)
    gates = Gates(
        emergency_transfer=round(transfer, 4),
        emergency_review=round(review, 4),
        special_case=round(float(special_case), 4),
        special_review=round(special_review, 4),
        matter=round(float(matter_gate), 4),
        matter_agree=round(float(agree_gate), 4),
        target_precision=target,
    )
    sent = (m_conf >= matter_gate) | (agree & (m_conf >= agree_gate))
    figures = {
        "emergency_recall_at_transfer": float((p_em[is_em] >= transfer).mean()) if is_em.any() else None,
        "emergency_recall_at_review": float((p_em[is_em] >= review).mean()) if is_em.any() else None,
        "false_emergency_at_transfer": float((p_em[~is_em] >= transfer).mean()),
        "disposition_accuracy": float(correct.mean()),
        "matter_accuracy": float(m_correct.mean()),
        "matter_same_route": float(same_route.mean()),
        "rules_agree": float(agree.mean()),
        "matter_coverage_at_gates": float(sent.mean()),
        "route_precision_at_gates": float(same_route[sent].mean()) if sent.any() else None,
        # Ordinary requests the alarms hold for review (possible emergency or special case).
        "dispatch_held_by_alarms": float(((p_em >= review) | (p_nd >= special_review))[y == DISPATCH].mean()),
        "answer_held_by_alarms": float(((p_em >= review) | (p_nd >= special_review))[y == ANSWER].mean())
        if (y == ANSWER).any()
        else None,
    }
    return gates, figures


def train_reader(
    paths: Sequence[str | Path] | None = None,
    out_dir: str | Path = DEFAULT_DIR,
    *,
    matters: dict[str, str] | None = None,
    user_words: Sequence[str] = (),
    target: float = 0.97,
    folds: int = 5,
    log: Callable[[str], None] = print,
    route_of: dict[str, object] | None = None,
    keyword_rank: Callable[[str], str | None] | None = None,
    kind_sets: Sequence[str | Path] = (),
    disposition_sets: Sequence[str | Path] = (),
) -> dict:
    """Fit and save the reader; returns its manifest (corpus digest, counts, gates, out-of-fold
    figures). ``matters``: code -> name of the taxonomy (rows naming another code are refused);
    ``route_of`` and ``keyword_rank``: see `choose_gates`; ``kind_sets``: labelled development
    sets whose kinds also train the kind model (`read_kind_sets`); ``disposition_sets``: sets whose
    dispositions and emergency lines also train the disposition model and set its gates (their
    writers wrote to the blind brief, as the requests the engine is judged on are)."""
    paths = list(paths) if paths else corpus_files()
    if not paths:
        raise CorpusError("no corpus files (*.jsonl)")
    rows = read_rows(paths, set(matters) if matters is not None else None)
    corpus_digest = digest(paths)
    log(f"corpus: {len(rows)} rows from {len(paths)} files")
    if disposition_sets:
        seen = {r.text for r in rows}
        extra = [r for r in read_kind_sets(disposition_sets) if r.text not in seen]
        log(f"disposition: {len(extra)} rows of {len(disposition_sets)} development sets added")
        rows += extra
    words = list(user_words) + list((matters or {}).values())
    config = _config(words, 5, target)

    disp_labels = [r.disposition_label for r in rows]
    log("disposition: out of fold")
    disp_proba, disp_classes = out_of_fold(rows, disp_labels, config, folds, log)
    matter_rows = [r for r in rows if r.matter]
    matter_labels = [r.matter for r in matter_rows]
    log("matter: out of fold")
    matter_proba, matter_classes = out_of_fold(matter_rows, matter_labels, config, folds, log)
    keyword_top = [keyword_rank(r.text) for r in matter_rows] if keyword_rank else None
    gates, figures = choose_gates(
        disp_proba,
        disp_classes,
        disp_labels,
        matter_proba,
        matter_classes,
        matter_labels,
        target,
        route_of=route_of,
        keyword_top=keyword_top,
    )
    log(f"gates: {gates}")

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    kind_rows = [r for r in rows if r.kind]
    seen = {r.text for r in kind_rows}
    extra = [r for r in read_kind_sets(kind_sets) if r.text not in seen]
    if extra:
        log(f"kind: {len(extra)} rows of {len(kind_sets)} development sets added")
    kind_rows += extra
    sets_digest = digest(kind_sets) if kind_sets else None
    type_rows = read_lead_type_sets(kind_sets)
    fitted = {}
    for name, subset, labels in (
        ("disposition", rows, disp_labels),
        ("kind", kind_rows, [r.kind for r in kind_rows]),
        ("matter", matter_rows, matter_labels),
    ):
        log(f"{name}: final model on {len(subset)} rows")
        model = _fit(subset, labels, config)
        _prune(model)
        model.save(out / f"{name}.skops", info={"corpus": corpus_digest, "rows": len(subset)})
        fitted[name] = model
    lead_type_file = out / "lead_type.skops"
    if type_rows:
        log(f"lead type: model on {len(type_rows)} dispatch requests of {len(kind_sets)} development sets")
        model = fit_lead_type(type_rows, config.features)
        model.save(lead_type_file, info={"sets": sets_digest, "rows": len(type_rows)})
    elif lead_type_file.exists():
        lead_type_file.unlink()  # a stale model of other sets must not ride along
    manifest = {
        "version": f"corpus-{corpus_digest}"
        + (f"-kinds-{sets_digest[:8]}" if sets_digest else "")
        + (f"-dispositions-{digest(disposition_sets)[:8]}" if disposition_sets else ""),
        "corpus_digest": corpus_digest,
        "corpus_files": [Path(p).name for p in paths],
        "disposition_sets": [Path(p).name for p in disposition_sets],
        "disposition_sets_digest": digest(disposition_sets) if disposition_sets else None,
        "kind_sets": [Path(p).name for p in kind_sets],
        "kind_sets_digest": sets_digest,
        # The same sets' lead unit types train the lead-type model (`read_lead_type_sets`).
        "lead_type_rows": len(type_rows),
        "summary": summary(rows),
        "gates": gates.__dict__,
        "out_of_fold": figures,
        "kind_accuracy_calibration": fitted["kind"].metrics.get("calibration", {}).get("accuracy"),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest
