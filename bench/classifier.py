"""Benchmark of the learned matter classifier (R11.2, R12.3) on the shared real data.

Trains on ../shared/data/messages/train.csv + train_extra_tokenised.csv, reports on test.csv:
macro-F1 (target >= 0.94), share auto-dispatched at the 97 % target precision with the
threshold taken from the validation split (target >= 80 %), p50/p99 ms per prediction on one
core (target p50 <= 5 ms), then streaming-training throughput and peak RSS on a synthetic
history generated into a temporary directory by resampling and perturbing training rows.

Prints figures, asserts nothing.

Attempts log (2 shared cores under load; test = test.csv, 1,091 rows; threshold for 97 % from
the validation split only; extra rows that near-copy a validation row are dropped; defaults
chosen a priori, never by test figures; differences below ~0.005 are noise):

    features char1-3 + jieba words, hashed      macro-F1  auto@97  prec.auto  p50 ms
    TfidfVectorizer char1-3+word1, LinearSVC C=1   0.914      -         -        -    (sklearn vocab, no val split)
    hashed char1-3 + word1-2, LinearSVC C=2        0.904      -         -        -    (bigrams hurt: tokenised extra has no stop words)
    hashed char1-3 + word1,   SGD hinge avg        0.910      -         -        -
    hashed char1-4 + word1-2, LinearSVC C=2        0.904      -         -        -
    svm C=2, val 0.1, no near-copy filter          0.912    0.883     0.951    9.3  (validation leaked: threshold too low)
    svm C=2, val 0.1, near-copy filter             0.915    0.671     0.978    1.4
    svm C=2, val 0.2 (default features)            0.915    0.660     0.978    1.2
    svm C=2, val 0.2, jieba HMM on                 0.912    0.662     0.979    1.5
    svm C=1 / C=4, val 0.2                   0.914 / 0.918  0.669/0.672  0.978  1.2
    svm, char 1-4, val 0.2                         0.914    0.666     0.977    1.4
    svm + complement NB (standardised average)     0.900    0.652     0.977    1.2
    complement NB alone                            0.846    0.330     0.992   16   (dense weights: slow)
    SGD hinge averaged, 1 pass (the streaming path) 0.890   0.791     0.956    1.4
    SGD, 5 epochs                                  0.895    0.734     0.969    1.4

Session 2026-11-30 (5-fold cross-validation over train.csv, extra rows always trained on except
near copies of the scored fold, used to choose; test figures reported, not chosen on):

    attempt                                        cv F1   test F1  auto@97  prec.auto  oracle cov@97
    svm C=0.5 / 1 / 2, threshold from OOF scores  0.907/0.910/0.912  0.911/0.916/0.914
                                                                     0.73-0.76  0.966-0.969  0.72-0.74
    raw rows stripped of the stop words the tokenised export lacks (742 words inferred from
      the two files), svm C=1                      0.913    0.916    0.762    0.966      0.731
    + word bigrams on the aligned streams          0.913    0.909    0.753    0.967      0.743
    logistic regression one-vs-rest C=30           0.904    0.912    0.770    0.966      0.742
    NB-SVM (Wang & Manning, log-count ratios)      0.856    0.848    0.629    0.978      0.676
    svm+LR / svm+NB-SVM / all three (std. scores)  0.908/0.889/0.897  0.914/0.905/0.909  ~0.76
    per-class bias tuned for macro-F1 on OOF       0.926    0.908   (overfits the folds)
    self-training on 4,253 unlabelled messages of hot/ and replies/ (near copies of train and
      test dropped), pseudo-labels by margin      -        0.904-0.906
    jieba user words from the taxonomy (2,085)     0.909    0.912    0.739    0.968      0.719
    fastText (fasttext-numpy2 wheel)               training diverged (NaN) at every lr; dropped
    a pretrained Chinese transformer               none installs with its weights from the
                                                   registries here; hub downloads are not allowed

"oracle cov@97" is the share the best possible threshold would auto-dispatch on test at 97 %
precision: with linear models it is 72-74 %, so the 80 % target needs a better ranking, not a
better threshold. What changed the product: calibration on cross-fitted out-of-fold scores of
all training rows (was: a 20 % held-out split) gives 76.9 % auto-dispatched at 96.8 % precision
(was 66 % at 97.8 %); macro-F1 stays 0.915.

Streaming: 1,000,000 synthetic rows (resampled/perturbed train.csv, 1.09 GB CSV), estimator sgd,
n_jobs=2: 833 s (1,201 rows/s), peak RSS 1.1 GB main process + 0.6 GB per worker.
Targets not reached with linear models: macro-F1 0.94 (best 0.918) and 80 % auto-dispatch at
97 % precision (76.9 % at 96.8 % with cross-fitted calibration).

    .venv/bin/python bench/classifier.py [--estimator svm|sgd|svm+cnb|cnb] [--crossfit-folds 5]
                                         [--val-fraction 0.1] [--stream-rows 1000000]
                                         [--n-jobs 2] [--skip-stream]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MESSAGES = ROOT.parent / "shared" / "data" / "messages"

from jiesu.learning import training  # noqa: E402
from jiesu.learning.featurizing import FeatureConfig  # noqa: E402
from jiesu.learning.tables import iter_labelled  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def real_data(args) -> None:
    train, extra, test = MESSAGES / "train.csv", MESSAGES / "train_extra_tokenised.csv", MESSAGES / "test.csv"

    def source():
        yield from iter_labelled(train, "title_and_text", "label")
        yield from iter_labelled(extra, "tokens", "label", tokens_column="tokens", train_only=True)

    cfg = training.TrainConfig(
        features=FeatureConfig(char_ngrams=tuple(args.char_ngrams), word_ngrams=tuple(args.word_ngrams), hmm=args.hmm),
        estimator=args.estimator,
        svm_c=args.svm_c,
        val_fraction=args.val_fraction,
        crossfit_folds=args.crossfit_folds,
        sgd_epochs=args.epochs,
        target_precision=0.97,
    )
    t = time.time()
    model, report = training.train(source, cfg)
    train_s = time.time() - t
    rows = list(iter_labelled(test, "title_and_text", "label"))
    docs, labels = [d for d, _ in rows], [y for _, y in rows]
    m = model.evaluate(docs, labels)
    val = model.metrics.get("validation") or {}
    cal = model.metrics.get("calibration") or {}
    model.rank("预热")  # first call builds jieba's dictionary; not a per-request cost
    times = []
    for d in docs:
        t = time.perf_counter()
        model.rank(d.text)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(
        json.dumps(
            {
                "estimator": report.estimator,
                "features": cfg.features.to_dict() | {"user_words": len(cfg.features.user_words)},
                "train_rows": report.train_rows,
                "val_rows": report.val_rows,
                "extra_rows_dropped_as_near_copies_of_validation": report.dropped_near_validation,
                "train_seconds": round(train_s, 1),
                "test_macro_f1": round(m["macro_f1"], 4),
                "test_accuracy": round(m["accuracy"], 4),
                "test_top3_accuracy": round(m["top3_accuracy"], 4),
                "test_ece": round(m["expected_calibration_error"], 4),
                "threshold": round(model.threshold, 4),
                "temperature": round(model.temperature, 4),
                "calibrated_on": model.metrics.get("calibrated_on"),
                "calibration_rows": cal.get("n"),
                "validation_macro_f1": round(val["macro_f1"], 4) if val else None,
                "test_auto_dispatch_share@0.97": round(m["auto_dispatch_share"], 4),
                "test_precision_on_auto_dispatched": m["auto_dispatch_precision"],
                "p50_ms": round(statistics.median(times), 2),
                "p99_ms": round(times[int(0.99 * (len(times) - 1))], 2),
            },
            ensure_ascii=False,
            indent=1,
        )
    )


def synthetic_history(path: Path, n: int, seed: int = 0) -> None:
    """n rows resampled from train.csv with perturbations (random deletions, swapped clauses,
    digits changed), so texts are realistic in length and vocabulary but rarely identical."""
    rnd = random.Random(seed)
    base = [(r["title_and_text"], r["label"]) for r in csv.DictReader(open(MESSAGES / "train.csv", encoding="utf-8"))]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "label"])
        for i in range(n):
            text, label = base[rnd.randrange(len(base))]
            parts = text.split("，")
            if len(parts) > 2:
                rnd.shuffle(parts)
            text = "，".join(p for p in parts if rnd.random() > 0.15) or text
            text = text.replace("0", str(rnd.randrange(10))) + f"（工单{i}）"
            w.writerow([text, label])


def streaming(args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.csv"
        t = time.time()
        synthetic_history(path, args.stream_rows)
        print(
            f"synthetic history: {args.stream_rows} rows, {path.stat().st_size / 1e6:.0f} MB, written in {time.time() - t:.0f}s"
        )
        cfg = training.TrainConfig(estimator="sgd", n_jobs=args.n_jobs, val_fraction=0.02, max_val_rows=20_000)
        t = time.time()
        model, report = training.train(
            lambda: iter_labelled(path, "text", "label"), cfg, log=lambda m: print("  ", m, flush=True)
        )
        s = time.time() - t
        val = model.metrics["validation"]
        print(
            json.dumps(
                {
                    "stream_rows": report.rows_read,
                    "n_jobs": args.n_jobs,
                    "seconds": round(s, 1),
                    "rows_per_second": round(report.rows_read / s, 1),
                    "peak_rss_mb_main_process": round(peak_rss_mb(), 0),
                    "peak_rss_mb_children": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 0),
                    "validation_macro_f1": round(val["macro_f1"], 4),
                },
                indent=1,
            )
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--estimator", default="svm")
    ap.add_argument("--svm-c", type=float, default=2.0)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--val-fraction", type=float, default=0.1)
    ap.add_argument("--crossfit-folds", type=int, default=5)
    ap.add_argument("--char-ngrams", type=int, nargs=2, default=[1, 3])
    ap.add_argument("--word-ngrams", type=int, nargs=2, default=[1, 1])
    ap.add_argument("--hmm", action="store_true", help="jieba HMM for unknown words (slower)")
    ap.add_argument("--stream-rows", type=int, default=1_000_000)
    ap.add_argument("--n-jobs", type=int, default=2)
    ap.add_argument("--skip-stream", action="store_true")
    ap.add_argument("--skip-real", action="store_true")
    args = ap.parse_args()
    if not MESSAGES.is_dir():
        print(f"skipped: {MESSAGES} is absent (the shared real data is not on this machine)")
    elif not args.skip_real:
        real_data(args)
    if not args.skip_stream and MESSAGES.is_dir():
        streaming(args)


if __name__ == "__main__":
    main()
