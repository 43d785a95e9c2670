"""Django side of the learned classifier: versions, promotion, rollback, runtime, commands
(R11.2 auto-dispatch only where reliable, R12.3 learning from corrections)."""

from __future__ import annotations

import csv
import json
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from jiesu.learning import runtime, services
from jiesu.learning.calibration import threshold_for_precision
from jiesu.learning.evaluation import precision_curve, threshold_from_curve
from jiesu.learning.featurizing import FeatureConfig
from jiesu.learning.models import ClassifierModel, LabelledExample
from jiesu.learning.segmenting import Segmenter, normalise
from jiesu.learning.textmodel import TextClassifier
from jiesu.learning.training import TrainConfig

from .synth import LABELS, dataset

SMALL = FeatureConfig(char_bits=15, word_bits=14)


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    runtime.clear_cache()
    yield
    runtime.clear_cache()


def _write_csv(path, rows, header=("text", "label")):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def _config(**kw):
    return TrainConfig(features=SMALL, val_fraction=0.25, **kw)


def _train(path, **kw):
    return services.train_and_store([services.HistorySource(str(path), "label", "text")], config=_config(), **kw)


@pytest.mark.django_db
def test_r11_2_cold_start_has_no_classifier():
    """R11.2: before any model exists the runtime returns None (keyword classifier stays)."""
    assert runtime.active_classifier() is None
    assert runtime.active_version() is None


@pytest.mark.django_db
def test_r12_3_promotes_only_a_better_model(tmp_path):
    """R12.3: a new model is activated only if it beats the active one on held-out rows."""
    noisy = _write_csv(tmp_path / "noisy.csv", dataset(700, seed=1, noise=0.6))
    clean = _write_csv(tmp_path / "clean.csv", dataset(700, seed=1))
    first = _train(noisy)
    assert first.promoted and first.reason == "no active model yet"
    second = _train(clean)
    assert second.promoted and second.compared_with == first.record.version
    assert second.new_heldout["macro_f1"] > second.old_heldout["macro_f1"]
    third = _train(noisy)
    assert not third.promoted and "kept" in third.reason
    active = ClassifierModel.objects.get(is_active=True)
    assert active.version == second.record.version
    assert ClassifierModel.objects.count() == 3 and active.path.is_file()
    assert active.metrics["promotion"]["promoted"] is True


@pytest.mark.django_db
def test_r11_2_runtime_ranks_and_follows_rollback(tmp_path, admin_client):
    """R11.2/R12.3: the runtime serves the active version; the admin action rolls back to any
    earlier version and the runtime follows."""
    path = _write_csv(tmp_path / "h.csv", dataset(600, seed=2))
    v1 = _train(path).record
    v2 = _train(path, activate="always").record
    clf = runtime.active_classifier()
    assert clf.version == v2.version and runtime.active_classifier() is clf  # cached
    ranked = clf.rank("回龙观小区停水两天了，自来水水压低", k=3)
    assert ranked[0][0] == "water" and len(ranked) == 3 and 0 < ranked[0][1] <= 1
    assert 0 < clf.threshold <= 1

    resp = admin_client.post(
        "/admin/learning/classifiermodel/",
        {"action": "activate_version", "_selected_action": [v1.pk]},
    )
    assert resp.status_code == 302
    assert ClassifierModel.objects.get(is_active=True).pk == v1.pk
    assert runtime.active_classifier().version == v1.version


@pytest.mark.django_db
def test_r11_2_admin_sets_the_target_precision_and_the_threshold_follows(tmp_path, admin_client, admin_user):
    """R11.2: the admin moves the target precision in the admin; the threshold is recomputed
    from the stored precision curve, the runtime and the engine gate use it at once, and the
    change is recorded. A value out of range is refused by name and changes nothing."""
    rec = _train(_write_csv(tmp_path / "h.csv", dataset(900, seed=12, noise=0.12))).record
    curve = rec.metrics["calibration"]["precision_curve"]
    assert curve and rec.threshold == threshold_from_curve(curve, 0.97)
    url = f"/admin/learning/classifiermodel/{rec.pk}/change/"

    page = admin_client.get(url).content.decode()
    assert 'id="trade-off"' in page and "97%" in page and f"{rec.threshold:.3f}" in page

    resp = admin_client.post(url, {"target_precision": "1.5"})
    assert resp.status_code == 200 and "目标准确率应在0.5到1之间" in resp.content.decode()
    rec.refresh_from_db()
    assert rec.target_precision == 0.97

    resp = admin_client.post(url, {"target_precision": "0.8"})
    assert resp.status_code == 302
    rec.refresh_from_db()
    assert rec.target_precision == 0.8 and rec.threshold == threshold_from_curve(curve, 0.8)
    assert rec.threshold < threshold_from_curve(curve, 0.97)  # a lower bar dispatches more
    change = rec.metrics["threshold_changes"][-1]
    assert change["by"] == admin_user.username and change["previous_target_precision"] == 0.97
    assert runtime.active_classifier().threshold == rec.threshold


def test_r11_2_threshold_from_the_curve_matches_the_rows():
    """R11.2: the stored curve gives the same threshold as the rows it summarises."""
    rng = np.random.default_rng(3)
    conf = rng.random(5000)
    correct = rng.random(5000) < 0.5 + 0.5 * conf
    curve = precision_curve(conf, correct, points=10_000)
    for target in (0.8, 0.9, 0.95):
        assert threshold_from_curve(curve, target) == threshold_for_precision(conf, correct, target)
    coarse = precision_curve(conf, correct, points=200)
    assert len(coarse) <= 200
    for target in (0.8, 0.9, 0.95):
        # Fewer points can only make the threshold stricter, never looser.
        assert threshold_from_curve(coarse, target) >= threshold_for_precision(conf, correct, target)


@pytest.mark.django_db
def test_r11_2_runtime_ignores_a_replaced_model_file(tmp_path):
    """R11.2: if the active file is replaced by one with objects in it, nothing is loaded."""
    import skops.io as sio
    from sklearn.svm import LinearSVC

    rec = _train(_write_csv(tmp_path / "h.csv", dataset(400, seed=3))).record
    sio.dump({"format": 1, "x": LinearSVC()}, rec.path)
    assert runtime.active_classifier() is None


@pytest.mark.django_db
def test_r12_3_corrections_are_recorded_and_learned(tmp_path):
    """R12.3: dispatcher corrections are kept and retraining learns a matter the history lacked."""
    rows = [r for r in dataset(600, seed=4) if r[1] != "wage"]
    _train(_write_csv(tmp_path / "h.csv", rows))
    assert "wage" not in runtime.active_classifier().classes
    for i, (text, label) in enumerate(r for r in dataset(500, seed=5) if r[1] == "wage"):
        services.record_example(text=text, matter_code=label, source="correction", order_number=f"JS{i}")
    assert services.record_example(text="  ", matter_code="wage", source="correction") is None
    with pytest.raises(ValueError):
        services.record_example(text="x", matter_code="wage", source="guess")
    assert LabelledExample.objects.filter(source="correction").count() == 100
    outcome = services.train_from_corrections(config=_config())
    stored = TextClassifier.load(outcome.record.path)
    assert "wage" in stored.classes and stored.info["example_weight"] == services.EXAMPLE_WEIGHT
    assert outcome.promoted  # knowing one more matter wins on held-out rows that include it
    assert runtime.active_classifier().rank("工地老板拖欠工资半年了", 1)[0][0] == "wage"


@pytest.mark.django_db
def test_r12_3_retrain_job_skips_without_new_examples(tmp_path):
    """R12.3: the scheduled job retrains only when something new was recorded."""
    assert services.retrain_job()["skipped"] is True  # nothing at all
    _train(_write_csv(tmp_path / "h.csv", dataset(400, seed=6)))
    assert services.retrain_job() == {"skipped": True, "reason": "no new labelled examples since the active model"}


@pytest.mark.django_db
def test_r11_2_train_and_evaluate_commands(tmp_path):
    """R11.2: `jiesu train-classifier` (CSV main + pre-tokenised extra) and
    `jiesu evaluate-classifier` print JSON metrics."""
    main = _write_csv(tmp_path / "h.csv", dataset(500, seed=7), header=("content", "matter"))
    seg = Segmenter()
    extra = _write_csv(
        tmp_path / "extra.csv",
        [(i, " ".join(seg.words(normalise(t))), y) for i, (t, y) in enumerate(dataset(300, seed=8))],
        header=("row", "tokens", "matter"),
    )
    out = StringIO()
    call_command(
        "train_classifier",
        "--input",
        str(main),
        "--text-column",
        "content",
        "--label-column",
        "matter",
        "--extra",
        str(extra),
        "--target-precision",
        "0.95",
        stdout=out,
        stderr=StringIO(),
    )
    result = json.loads(out.getvalue())
    assert result["summary"]["promoted"] and result["summary"]["target_precision"] == 0.95
    assert result["metrics"]["macro_f1"] > 0.8
    # The threshold was set on out-of-fold scores of the main rows, not on the held-out ones.
    assert result["calibrated_on"] == "cross-fit, 5 folds"
    assert result["calibration"]["n"] > result["metrics"]["n"]
    version = result["summary"]["version"]
    # jieba's user dictionary came from the database: matter keywords, divisions, aliases.
    stored = TextClassifier.load(ClassifierModel.objects.get(version=version).path)
    assert {"物业费", "业委会", "望京", "高丽营"} <= set(stored.config.user_words)
    assert "望京西园三区" in Segmenter(stored.config.user_words).words("望京西园三区物业费乱收")

    test = _write_csv(tmp_path / "t.csv", dataset(200, seed=9))
    out = StringIO()
    call_command(
        "evaluate_classifier",
        "--input",
        str(test),
        "--text-column",
        "text",
        "--label-column",
        "label",
        "--model",
        version,
        stdout=out,
    )
    m = json.loads(out.getvalue())
    assert m["model_version"] == version and set(m["per_class"]) == set(LABELS)
    assert {"accuracy", "macro_f1", "top3_accuracy", "coverage_curve", "auto_dispatch_share"} <= set(m)


@pytest.mark.django_db
def test_r11_2_train_from_xlsx(tmp_path):
    """R11.2: XLSX histories are read (streamed) like CSV."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["诉求内容", "事项"])
    for row in dataset(400, seed=10):
        ws.append(list(row))
    path = tmp_path / "h.xlsx"
    wb.save(path)
    call_command(
        "train_classifier",
        "--input",
        str(path),
        "--text-column",
        "诉求内容",
        "--label-column",
        "事项",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    assert runtime.active_classifier().rank("小区电梯坏了物业不管", 1)[0][0] == "property"


@pytest.mark.django_db
def test_r11_2_command_argument_errors(tmp_path):
    """R11.2: missing file, missing column and unknown version are named in the error."""
    path = _write_csv(tmp_path / "h.csv", dataset(50, seed=11))
    with pytest.raises(CommandError, match="not found"):
        call_command("train_classifier", "--input", str(tmp_path / "nope.csv"))
    with pytest.raises(CommandError, match="'body'"):
        call_command("train_classifier", "--input", str(path), "--text-column", "body", "--label-column", "label")
    with pytest.raises(CommandError, match="'matter'"):
        call_command("train_classifier", "--input", str(path), "--text-column", "text", "--label-column", "matter")
    with pytest.raises(CommandError, match="--input"):
        call_command("train_classifier")
    with pytest.raises(CommandError, match="target-precision"):
        call_command("train_classifier", "--input", str(path), "--target-precision", "97")
    with pytest.raises(CommandError, match="crossfit-folds"):
        call_command("train_classifier", "--input", str(path), "--crossfit-folds", "1")
    with pytest.raises(CommandError, match="val-fraction"):
        call_command("train_classifier", "--input", str(path), "--val-fraction", "1.5")
    with pytest.raises(CommandError, match="no active classifier"):
        call_command("evaluate_classifier", "--input", str(path))
    with pytest.raises(CommandError, match="'v9'"):
        call_command("evaluate_classifier", "--input", str(path), "--model", "v9")
