"""The active learned model ranks matters inside the decision engine; cold start keeps the
keyword classifier (R11.2, R12.3)."""

import csv

import pytest

from jiesu.dispatch.learned import LearnedMatterClassifier
from jiesu.dispatch.runtime import build_engine, current_engine, reset_engine_cache
from jiesu.engine.classify import KeywordClassifier
from jiesu.learning import runtime, services
from jiesu.learning.featurizing import FeatureConfig
from jiesu.learning.training import TrainConfig

from .synth import dataset

# The synthetic labels, named as real matters of the default taxonomy.
CODES = {
    "water": "utility.water.outage",
    "noise": "env.noise.neighbour",
    "property": "urban.property.service",
    "traffic": "traffic.order.illegal_parking",
    "wage": "labour.wage.arrears",
}


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    runtime.clear_cache()
    reset_engine_cache()
    yield
    runtime.clear_cache()
    reset_engine_cache()


@pytest.mark.django_db
def test_engine_uses_the_active_model_and_falls_back_before_one_exists_R11_2(tmp_path):
    assert isinstance(build_engine().classifier, KeywordClassifier)
    path = tmp_path / "history.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "matter"])
        writer.writerows((text, CODES[label]) for text, label in dataset(800, seed=3))
    outcome = services.train_and_store(
        [services.HistorySource(str(path), "matter", "text")],
        config=TrainConfig(features=FeatureConfig(char_bits=15, word_bits=14), val_fraction=0.25),
    )
    assert outcome.promoted
    engine = current_engine()  # the active version is part of the cache key: rebuilt, not stale
    assert isinstance(engine.classifier, LearnedMatterClassifier)
    decision = engine.decide({"id": "1", "text": "朝阳区望京街道家里停水了，自来水水龙头不出水，没有水用"})
    assert decision.matter_code == "utility.water.outage"
    assert any("学习模型" in r for r in decision.reasons)


def test_learned_confidence_maps_the_model_gate_onto_the_engine_threshold():
    class Model:
        threshold, version = 0.8, "v1"

        def rank(self, text, k=3):
            return [("a", 0.8), ("b", 0.1)]

    class Fallback:
        matters = {"a": type("M", (), {"name": "甲"})(), "b": type("M", (), {"name": "乙"})()}

        def rank(self, text, k=3):
            return []

    scores = LearnedMatterClassifier(Model(), Fallback(), classify_min=0.45).rank("x")
    # At the model's own gate the engine's threshold is met exactly; below it, it is not.
    assert scores[0].confidence == pytest.approx(0.45) and scores[1].confidence < 0.45
