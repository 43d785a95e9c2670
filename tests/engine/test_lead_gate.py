"""The auto-dispatch gate calibrated on others' requests (`jiesu.engine.gate`, issue 11 round 23):
its threshold is read off held-out figures, a stale gate is not used, and an order goes out
without review only at or above it."""

import json
import random
import shutil
from pathlib import Path

from jiesu.engine import Engine
from jiesu.engine.gate import FILE_NAME, FLOOR, LeadGate, features, fit
from jiesu.engine.reader import DEFAULT_DIR, Reader


def _rows(n_groups=4, per_group=150, seed=7):
    """Synthetic gate rows: the higher the reader's probability, the likelier right, and department
    leads are wrong more often (as on the development sets)."""
    rng = random.Random(seed)
    rows = []
    for g in range(n_groups):
        for _ in range(per_group):
            p = rng.uniform(0.3, 0.999)
            lead = rng.choice(["subdistrict", "department", "enterprise"])
            p_right = p ** (3 if lead == "department" else 1)
            rows.append((f"set{g}", features(p, rng.random() < 0.5, lead, "complaint", 0.01), rng.random() < p_right))
    return rows


def test_threshold_is_read_off_held_out_precision():
    rows = _rows()
    gate = fit(rows, {f"set{g}": 200 for g in range(4)})
    thresholds = [t for t, _, _ in gate.curve]
    assert thresholds == sorted(thresholds, reverse=True)
    t = gate.threshold(0.9)
    assert t is not None
    precision = next(p for th, p, _ in gate.curve if th == t)
    assert precision >= 0.9
    # A lower target never asks for a higher threshold; an unreachable one sends nothing out.
    assert gate.threshold(0.8) <= t
    assert gate.threshold(1.01) is None
    # Department leads, wrong more often, get a lower probability for the same reader's figure.
    x_sub = features(0.9, True, "subdistrict", "complaint", 0.01)
    x_dep = features(0.9, True, "department", "complaint", 0.01)
    assert gate.probability(x_dep) < gate.probability(x_sub)


def test_no_target_sends_out_a_lead_more_likely_wrong_than_right():
    # A curve whose cumulative precision stays at 0.9 down to a threshold of 0.26: the confident
    # many carry the doubtful few. The engine sends at 0.5 at the lowest.
    gate = LeadGate({}, 0.0, ((0.95, 0.99, 0.2), (0.6, 0.95, 0.4), (0.26, 0.90, 0.6)))
    assert gate.threshold(0.90) == 0.26
    assert gate.sending_threshold(0.90) == FLOOR == 0.5
    assert gate.sending_threshold(0.95) == 0.6
    assert gate.sending_threshold(0.999) is None


def test_the_writer_margin_reads_the_curve_above_the_target(tmp_path):
    """Writers after the fit are read a little less well: the engine sends at the threshold of
    the target plus the margin, and the margin survives the file."""
    curve = ((0.95, 0.99, 0.2), (0.8, 0.975, 0.3), (0.6, 0.97, 0.4))
    assert LeadGate({}, 0.0, curve).sending_threshold(0.97) == 0.6
    gate = LeadGate({}, 0.0, curve, {}, writer_margin=0.005)
    assert gate.sending_threshold(0.97) == 0.8
    assert gate.sending_threshold(0.99) is None  # 0.995 is never reached held out
    path = tmp_path / "gate.json"
    path.write_text(json.dumps(gate.to_dict()), "utf-8")
    assert LeadGate.load(path).sending_threshold(0.97) == 0.8


def test_round_trip_and_a_gate_fitted_for_another_reader_is_ignored(tmp_path):
    gate = fit(_rows(), {f"set{g}": 200 for g in range(4)}, info={"reader_version": "other"})
    assert LeadGate.load(tmp_path / "none.json") is None
    reader_dir = tmp_path / "reader"
    shutil.copytree(DEFAULT_DIR, reader_dir)
    (reader_dir / FILE_NAME).write_text(json.dumps(gate.to_dict()), encoding="utf-8")
    assert Reader.load(reader_dir).lead_gate is None
    version = json.loads((reader_dir / "manifest.json").read_text(encoding="utf-8"))["version"]
    d = gate.to_dict()
    d["info"]["reader_version"] = version
    (reader_dir / FILE_NAME).write_text(json.dumps(d), encoding="utf-8")
    loaded = Reader.load(reader_dir).lead_gate
    assert loaded is not None and loaded.curve == gate.curve and loaded.coef == gate.coef


def test_orders_go_out_only_at_or_above_the_calibrated_threshold(engine):
    gate = engine.reader.lead_gate
    assert gate is not None, "the shipped reader has no calibrated gate: run `jiesu fit-lead-gate`"
    texts = [
        "朝阳区望京街道花家地西里三区物业近两个月保洁基本不来，楼道里垃圾袋堆了好几天。",
        "海淀区学院路街道，小区门口马路上路面塌陷了一个大坑，晚上骑车很危险。",
        "东城区和平里街道，楼下饭馆油烟直排，窗户都不敢开。",
        "丰台区方庄地区，小区整栋楼停水一天了，也没有通知。",
        "西城区月坛街道，路灯坏了一个多月，晚上黑漆漆的。",
    ]
    seen = 0
    for text in texts:
        d = engine.decide({"id": "t", "text": text, "received_at": "2025-12-01T10:00:00+08:00"})
        ad = d.to_record()["auto_dispatch"]
        if d.disposition != "dispatch" or ad is None:
            continue
        seen += 1
        sent = not d.needs_review
        if sent:
            assert ad["threshold"] is not None and ad["probability"] >= ad["threshold"]
        elif not ad["held_for_other_reasons"]:
            assert ad["threshold"] is None or ad["probability"] < ad["threshold"]
            assert any("自动派单" in r for r in d.reasons)
    assert seen


def test_without_a_calibrated_gate_the_reader_gate_still_holds():
    reader = Reader.load(DEFAULT_DIR)
    reader.lead_gate = None
    engine = Engine.from_defaults(reader=reader)
    d = engine.decide({"id": "t", "text": "西城区月坛街道，路灯坏了一个多月，晚上黑漆漆的。"})
    assert d.to_record()["auto_dispatch"]["features"]
    assert "probability" not in d.to_record()["auto_dispatch"]


def test_sets_held_out_in_groups_each_fall_in_exactly_one():
    from jiesu.learning.management.commands.fit_lead_gate import set_fold_of

    names = [f"2026-12-0{i % 3 + 1}-{c}" for i, c in enumerate("abcdefg")]
    grouped = set_fold_of(names, 3)
    assert sorted(grouped) == sorted(names)
    sizes = sorted(list(grouped.values()).count(f) for f in set(grouped.values()))
    assert sizes == [2, 2, 3]
    # 0, or more groups than sets: every set is held out alone, as before the option.
    for folds in (0, 7, 50):
        alone = set_fold_of(names, folds)
        assert len(set(alone.values())) == len(names)


def test_the_gate_is_fitted_by_default_on_the_sets_the_shipped_reader_learnt_from():
    from jiesu.learning.management.commands.fit_lead_gate import reader_sets

    sets = reader_sets(DEFAULT_DIR)
    gate = json.loads((DEFAULT_DIR / "lead_gate.json").read_text(encoding="utf-8"))
    assert [Path(p).name for p in sets] == gate["info"]["sets"]
    assert all(Path(p).is_file() for p in sets)
