"""Plain-Python core of the learned classifier (R11.2 classification, R12.3 learning loop)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from jiesu.learning.calibration import fit_temperature, softmax, threshold_for_precision
from jiesu.learning.featurizing import Doc, FeatureConfig, Featurizer
from jiesu.learning.segmenting import Segmenter, build_user_dictionary, normalise, user_dictionary_text
from jiesu.learning.splits import crossfit_fold, doc_keys
from jiesu.learning.textmodel import TextClassifier
from jiesu.learning.training import TrainConfig, train

from .synth import LABELS, dataset

SMALL = FeatureConfig(char_bits=16, word_bits=15)


def _docs(rows):
    return [(Doc(t), y) for t, y in rows]


@pytest.fixture(scope="module")
def trained():
    model, report = train(_docs(dataset(900, seed=1, noise=0.03)), TrainConfig(features=SMALL, val_fraction=0.25))
    return model, report


def test_r11_2_learns_and_ranks_generated_chinese_messages(trained):
    """R11.2: a model trained on generated calls ranks matters, best first, with probabilities."""
    model, report = trained
    assert report.mode == "memory" and report.val_rows > 100
    test = dataset(300, seed=99)
    m = model.evaluate([Doc(t) for t, _ in test], [y for _, y in test])
    assert m["accuracy"] > 0.9 and m["macro_f1"] > 0.9 and m["top3_accuracy"] > 0.97
    ranked = model.rank("望京小区停水三天了，自来水一直没有", k=3)
    assert ranked[0][0] == "water" and len(ranked) == 3
    assert [p for _, p in ranked] == sorted((p for _, p in ranked), reverse=True)
    assert 0 < sum(p for _, p in ranked) <= 1.0 + 1e-6


def test_r11_2_short_and_long_messages_alike(trained):
    """R11.2: a 10-character note and a 2,000-character letter are both classified."""
    model, _ = trained
    assert model.rank("拖欠工资三个月", 1)[0][0] == "wage"
    letter = "尊敬的领导，" + "我们小区情况很复杂，" * 150 + "楼下工地夜间施工噪音吵得睡不着。"
    assert len(letter) > 1500
    assert model.rank(letter, 1)[0][0] == "noise"


def test_r11_2_evaluation_dict_is_json_able(trained):
    """R11.2: evaluation returns accuracy, macro-F1, per-class figures, top-3 and the coverage curve."""
    import json

    model, _ = trained
    test = dataset(100, seed=7)
    m = model.evaluate([Doc(t) for t, _ in test], [y for _, y in test])
    json.dumps(m)
    assert set(m["per_class"]) == set(LABELS)
    assert {"precision", "recall", "f1"} <= set(m["per_class"]["water"])
    curve = m["coverage_curve"]
    assert curve[0]["threshold"] == 0.0 and curve[0]["coverage"] == 1.0
    assert all(a["coverage"] >= b["coverage"] for a, b in zip(curve, curve[1:]))
    assert "auto_dispatch_share" in m and m["threshold"] == model.threshold


def test_r11_2_calibration_sanity_on_noisy_labels():
    """R11.2: with 15% label noise, stated confidence matches the observed hit rate on fresh rows,
    and the validation threshold keeps auto-dispatched precision near the target."""
    model, _ = train(
        _docs(dataset(1500, seed=3, noise=0.15)), TrainConfig(features=SMALL, val_fraction=0.3, target_precision=0.9)
    )
    fresh = dataset(1000, seed=4, noise=0.15)
    m = model.evaluate([Doc(t) for t, _ in fresh], [y for _, y in fresh])
    assert m["expected_calibration_error"] < 0.08
    if m["auto_dispatch_precision"] is not None:
        assert m["auto_dispatch_precision"] >= 0.85
    # Probabilities are not all squashed to 0 or 1.
    proba = model.predict_proba([Doc(t) for t, _ in fresh[:200]])
    assert 0.5 < proba.max(axis=1).mean() < 0.99


def test_r11_2_temperature_recovers_known_scale():
    """R11.2: temperature scaling recovers the temperature that generated the labels."""
    rng = np.random.default_rng(0)
    z = rng.normal(size=(4000, 5)) * 3
    p = softmax(z, 2.0)
    y = np.array([rng.choice(5, p=row) for row in p])
    assert abs(fit_temperature(z, y) - 2.0) < 0.3


def test_r11_2_threshold_for_target_precision():
    """R11.2: the threshold is the lowest confidence whose dispatched set meets the target."""
    conf = np.linspace(1.0, 0.01, 100)
    correct = np.ones(100, dtype=bool)
    correct[50:] = np.arange(50) % 2 == 0  # half right below the 50th row
    t = threshold_for_precision(conf, correct, 0.97)
    kept = conf >= t
    assert correct[kept].mean() >= 0.97 and kept.sum() >= 50
    assert threshold_for_precision(conf, np.zeros(100, dtype=bool), 0.97) == 1.0


def test_r11_2_safe_storage_round_trip(tmp_path, trained):
    """R11.2: models are stored with skops and load back to identical predictions."""
    model, _ = trained
    path = model.save(tmp_path / "m.skops")
    back = TextClassifier.load(path)
    texts = [t for t, _ in dataset(20, seed=5)]
    assert np.allclose(model.predict_proba(texts), back.predict_proba(texts), atol=1e-6)
    assert back.threshold == model.threshold and back.classes == model.classes
    assert back.metrics["validation"]["macro_f1"] == pytest.approx(model.metrics["validation"]["macro_f1"])


def test_r11_2_refuses_file_with_untrusted_objects(tmp_path, trained):
    """R11.2: a replaced model file holding any object beyond plain data is refused, not run."""
    import skops.io as sio
    from sklearn.svm import LinearSVC

    model, _ = trained
    state = model.to_state()
    state["payload"] = LinearSVC()
    bad = tmp_path / "bad.skops"
    sio.dump(state, bad)
    with pytest.raises(ValueError, match="unexpected types"):
        TextClassifier.load(bad)
    with pytest.raises(FileNotFoundError):
        TextClassifier.load(tmp_path / "missing.skops")


def test_r11_2_streaming_sgd_matches_batch_quality():
    """R11.2: the streamed (chunked, bounded-memory) path learns as well on easy data."""
    cfg = TrainConfig(features=SMALL, estimator="sgd", chunk_rows=200, idf_rows=400, val_fraction=0.2)
    model, report = train(lambda: iter(_docs(dataset(1200, seed=8))), cfg)
    assert report.mode == "stream" and report.estimator == "sgd"
    test = dataset(300, seed=9)
    assert model.evaluate([Doc(t) for t, _ in test], [y for _, y in test])["macro_f1"] > 0.9


def test_r11_2_pretokenised_rows_and_near_copy_exclusion():
    """R11.2: pre-tokenised supplementary rows train the model but never validate it, and a
    supplementary row that copies a validation row is dropped (no leak into the threshold)."""
    rows = dataset(600, seed=11)
    main = [(Doc(t), y) for t, y in rows]
    # The same messages again, "exported" as space-separated tokens.
    seg = Segmenter()
    extra = [(Doc("", seg.words(normalise(t)), train_only=True), y) for t, y in rows]
    model, report = train(main + extra, TrainConfig(features=SMALL, val_fraction=0.2))
    assert report.val_rows > 50
    assert report.dropped_near_validation >= 0.8 * report.val_rows
    assert report.train_rows + report.val_rows + report.dropped_near_validation == report.rows_read


def test_r11_2_user_dictionary_keeps_words_whole():
    """R11.2: the jieba user dictionary built from keyword and division lists keeps them whole."""
    words = build_user_dictionary(["噪音扰民", " 接诉即办 ", "x"], ["朝阳门外大街"])
    assert words == ["噪音扰民", "接诉即办", "朝阳门外大街"]
    seg = Segmenter(words)
    assert {"噪音扰民", "朝阳门外大街"} <= set(seg.words(normalise("朝阳门外大街夜间噪音扰民")))
    assert user_dictionary_text(["噪音扰民"]).startswith("噪音扰民 ")


def test_r11_2_normalise_folds_width_case_and_digits():
    assert normalise("ＡＢ 12号楼\n3单元") == "ab0号楼0单元"
    assert not math.isnan(softmax(np.array([[1000.0, 0.0]]))[0, 0])


def test_r11_2_cross_fit_calibrates_on_every_training_row():
    """R11.2: in-memory training calibrates on out-of-fold scores of all main-history training
    rows (not a few hundred held-out rows), then trains the served model on all of them."""
    rows = _docs(dataset(900, seed=21, noise=0.05))
    model, report = train(rows, TrainConfig(features=SMALL, val_fraction=0.1, crossfit_folds=5))
    assert model.metrics["calibrated_on"] == "cross-fit, 5 folds"
    assert report.crossfit_rows == report.train_rows  # no supplementary rows here
    assert model.metrics["calibration"]["n"] == report.train_rows
    # The validation rows were never trained on and are still scored for the promotion check.
    assert model.metrics["validation"]["n"] == report.val_rows > 40
    assert 0 < model.threshold < 1.0
    without, _ = train(rows, TrainConfig(features=SMALL, val_fraction=0.1, crossfit_folds=0))
    assert without.metrics["calibrated_on"] == "validation"
    assert without.metrics["calibration"]["n"] == report.val_rows


def test_r11_2_cross_fit_drops_supplementary_copies_of_the_scored_fold():
    """R11.2: labels that are pure noise must give no auto-dispatch threshold, even when a
    supplementary export repeats every main row: a copy of a row being scored out of fold
    is left out of that fold's training, or the model would just recall its label."""
    rng = np.random.default_rng(5)
    texts = [t for t, _ in dataset(600, seed=23)]
    noise_labels = [LABELS[i] for i in rng.integers(0, len(LABELS), len(texts))]
    main = [(Doc(t), y) for t, y in zip(texts, noise_labels)]
    seg = Segmenter()
    extra = [(Doc("", seg.words(normalise(t)), train_only=True), y) for t, y in zip(texts, noise_labels)]
    model, report = train(
        main + extra, TrainConfig(features=SMALL, val_fraction=0.0, crossfit_folds=5, target_precision=0.9)
    )
    assert report.crossfit_rows == len(main)
    assert model.metrics["calibration"]["accuracy"] < 0.4
    assert model.threshold == 1.0  # nothing is dispatched without a person


def test_r11_2_cross_fit_folds_keep_near_copies_together():
    """R11.2: the same complaint with other punctuation and numbers lands in the same fold."""
    a = Doc("望京西园三区12号楼夜间施工噪音扰民，已经持续一个月了，请尽快处理。")
    b = Doc("望京西园三区3号楼夜间施工噪音扰民已经持续一个月了请尽快处理！！")
    assert crossfit_fold(doc_keys(a), 5) == crossfit_fold(doc_keys(b), 5)


@pytest.mark.parametrize("estimator", ["svm", "sgd"])
def test_r12_3_weighted_corrections_outvote_an_outdated_history(estimator):
    """R12.3: when the centre moves a kind of request to another matter, 90 confirmed
    corrections weighted 3x outvote 200 history rows that follow the old rule; at weight 1
    they do not (so the weight is what decides, in batch and in streamed training)."""
    import random

    rnd = random.Random(31)

    def tank():
        return (
            "小区二次供水水箱"
            + rnd.choice(["很脏", "长青苔", "多年没清洗", "有异味"])
            + "，"
            + rnd.choice(["请处理", "谁来管", "希望尽快解决"])
        )

    base = [(Doc(t), y) for t, y in dataset(500, seed=30) if y not in {"water", "property"}]
    base += [(Doc(t), y) for t, y in dataset(400, seed=32) if y in {"water", "property"} and "水箱" not in t]
    history = [(Doc(tank()), "property") for _ in range(200)]

    def trained(weight):
        corrections = [(Doc(tank(), weight=weight), "water") for _ in range(90)]
        cfg = TrainConfig(
            features=SMALL, estimator=estimator, val_fraction=0.0, crossfit_folds=0, chunk_rows=150, idf_rows=300
        )
        rows = base + history + corrections
        random.Random(33).shuffle(rows)  # streamed SGD favours late rows; no order effect here
        model, _ = train(lambda: iter(rows), cfg)
        return model.rank("二次供水水箱好久没人清洗了", 1)[0][0]

    assert trained(1.0) == "property"
    assert trained(3.0) == "water"


def test_one_text_hashes_to_the_batch_paths_counts():
    """Intake hashes one request by hand (Featurizer._raw_one); it must give sklearn's counts,
    column for column, or the shipped models would score a live request unlike in training."""
    texts = [
        "望京小区停水三天了，自来水一直没有",
        "  楼下烧烤店\t油烟\n噪音  扰民到凌晨两点！！ ",
        "",
        "😀 路灯不亮 😀",
        "ABC abc 123 电话13800138000 地址：朝阳区望京街道",
        "长" * 4000,
        Doc("", tokens=["供暖", "不热", "", "暖气"]),
    ]
    for config in (FeatureConfig(), SMALL, FeatureConfig(char_bits=4, word_bits=3)):
        f = Featurizer(config)
        batch = f.raw([*texts, "padding so that the batch path runs"]).tocsr()
        batch.sum_duplicates()
        for i, text in enumerate(texts):
            one = f.raw([text])
            assert one.has_canonical_format and one.shape == (1, f.n_features)
            expected = batch[i]
            assert one.indices.tolist() == expected.indices.tolist()
            assert one.data.dtype == expected.data.dtype and one.data.tolist() == expected.data.tolist()
