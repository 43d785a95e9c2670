"""jiesu fit-lead-gate: calibrate the auto-dispatch gate (and the lead-type chooser) on labelled
requests written by others, each set held out in turn."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jiesu.engine.evaluate import load_cases
from jiesu.engine.gate import FILE_NAME, fit
from jiesu.engine.leadtype import FILE_NAME as CHOOSER_FILE
from jiesu.engine.leadtype import fit as fit_chooser
from jiesu.engine.reader import DEFAULT_DIR, Reader

# Former blind sets, now development sets (tests/blind/README.md), found beside the package in a
# checkout. Never fit on a sealed set.
BLIND_DIR = Path(__file__).resolve().parents[4] / "tests" / "blind"


def reader_sets(directory: Path) -> list[str]:
    """The development sets the reader's kinds learnt from (its manifest's `kind_sets`), the
    default for the gate: the shipped gate is fitted on the same writers."""
    manifest = json.loads((Path(directory) / "manifest.json").read_text(encoding="utf-8"))
    return [str(BLIND_DIR / name) for name in manifest.get("kind_sets", [])]


def set_fold_of(names, folds: int) -> dict[str, int]:
    """Each set's group when sets are held out `folds` at a time, dealt in name order so that the
    sets of one day (and one brief) spread over the groups; 0, or more groups than sets, holds
    each set out alone."""
    names = sorted(names)
    folds = min(folds, len(names)) if folds > 0 else len(names)
    return {g: i % folds for i, g in enumerate(names)}


class Command(BaseCommand):
    help = (
        "Fit the auto-dispatch gate of the engine's reader, and its lead-type chooser where the reader "
        "has a lead-type model, on labelled development sets (one group per file, leave one file out "
        "for every figure) and write them beside the reader."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sets", nargs="*", default=None, help="labelled JSON Lines sets (default: those the reader learnt from)"
        )
        parser.add_argument("--reader", default=str(DEFAULT_DIR), help="the reader's folder (the gate goes there)")
        parser.add_argument("--c", type=float, default=1.0, help="inverse L2 strength of the gate's logistic model")
        parser.add_argument("--chooser-c", type=float, default=0.3, help="the same for the lead-type chooser")
        parser.add_argument(
            "--writer-margin",
            type=float,
            default=0.0,
            help="read the held-out curve this far above the target (measure it with bench/gate_drift.py "
            "on development sets written after the fit's)",
        )
        parser.add_argument(
            "--set-folds",
            type=int,
            default=0,
            help="hold the sets out in this many groups instead of one at a time (0: each set alone); "
            "with 141 sets one at a time takes over an hour, ten groups a tenth of it",
        )
        parser.add_argument(
            "--held-out-dir",
            default="",
            help="also write, per set, the lead-type model, chooser and gate fitted without it (for figures per set)",
        )

    def handle(
        self,
        *args,
        sets: list[str] | None,
        reader: str,
        c: float,
        chooser_c: float,
        held_out_dir: str = "",
        writer_margin: float = 0.0,
        set_folds: int = 0,
        **options,
    ):
        from jiesu.engine.decide import Engine
        from jiesu.learning.corpus import fit_lead_type, read_lead_type_sets

        directory = Path(reader)
        if not (directory / "manifest.json").is_file():
            raise CommandError(f"no reader in {directory} (run `jiesu train-reader` first)")
        if sets is None:
            sets = reader_sets(directory)
        if len(sets) < 2:
            raise CommandError("need at least two sets (each is held out in turn)")
        loaded = Reader.load(directory)
        groups: dict[str, list[dict]] = {}
        for path in sets:
            try:
                groups[Path(path).stem] = load_cases(path)
            except FileNotFoundError:
                raise CommandError(f"no such set: {path}") from None
        # The shipped reader's lead-type model saw every set: each set is read by one trained
        # without it, so the chooser and the gate learn how far to trust it on unseen writers.
        # Sets held out together (`--set-folds`): every set still reads by a model, chooser and
        # gate figures that never saw it, only fewer models are trained.
        fold_of = set_fold_of(groups, set_folds)
        names, folds = sorted(groups), len(set(fold_of.values()))
        held_type = {}
        if loaded.lead_type_model is not None:
            config = loaded.disposition_model.config
            # Each set read once; a fold's rows keep the order of `sets`.
            set_rows = {Path(p).stem: read_lead_type_sets([p]) for p in sets}
            for f in range(folds):
                members = [g for g in names if fold_of[g] == f]
                rows = [r for p in sets if fold_of[Path(p).stem] != f for r in set_rows[Path(p).stem]]
                model = fit_lead_type(rows, config)
                for g in members:
                    held_type[g] = model
                self.stdout.write(f"lead-type model without {', '.join(members)}: {len(rows)} requests")
        engine = Engine.from_defaults(reader=loaded.with_lead_type(None))

        def decisions(g, chooser):
            engine.reader = loaded.with_lead_type(held_type.get(g), chooser)
            for case in groups[g]:
                yield case, engine.decide({k: v for k, v in case.items() if k != "expected"})

        info = {"reader_version": loaded.version, "sets": [Path(p).name for p in sets]}
        choosers = {}
        if held_type:
            type_rows = defaultdict(list)
            for g in groups:
                for case, d in decisions(g, None):
                    want = case["expected"]
                    lead = d.lead
                    if want["disposition"] != "dispatch" or d.disposition != "dispatch" or lead is None:
                        continue
                    if lead.role != "lead" or not want.get("lead_unit_type"):
                        continue
                    p_types = engine.reader.read(case["text"]).lead_types
                    type_rows[g].append((lead.type, p_types, want["lead_unit_type"]))
            by_fold = {}
            for g in groups:
                f = fold_of[g]
                if f not in by_fold:
                    train = [r for h, rows in type_rows.items() if fold_of[h] != f for r in rows]
                    by_fold[f] = fit_chooser(train, c=chooser_c)
                choosers[g] = by_fold[f]
            everything = [r for rows in type_rows.values() for r in rows]
            final = fit_chooser(everything, c=chooser_c, info=info)
            (directory / CHOOSER_FILE).write_text(
                json.dumps(final.to_dict(), ensure_ascii=False, indent=1) + "\n", "utf-8"
            )
            before = sum(r == t for r, _, t in everything)
            self.stdout.write(
                f"lead-type chooser on {len(everything)} dispatched requests (route's type right {before})"
            )
        rows, dispatchable = [], Counter()
        tally = {}
        for g in groups:
            t = tally[g] = Counter()
            for case, d in decisions(g, choosers.get(g)):
                want = case["expected"]
                dispatchable[g] += want["disposition"] == "dispatch"
                lead = d.lead
                t["n"] += 1
                t["lead_type"] += want.get("lead_unit_type") == (lead and lead.type)
                if want["disposition"] == "dispatch":
                    t["dispatch"] += 1
                    t["dispatch_lead_type"] += want.get("lead_unit_type") == (lead and lead.type)
                gate = d.auto_dispatch
                if d.disposition != "dispatch" or gate is None or gate["held_for_other_reasons"]:
                    continue
                right = want["disposition"] == "dispatch" and want.get("lead_unit_type") == (lead and lead.type)
                rows.append((g, gate["features"], right))
        for g, t in tally.items():
            self.stdout.write(
                f"{g} held out: lead type {t['lead_type'] / t['n']:.3f} of all {t['n']},"
                f" {t['dispatch_lead_type'] / max(t['dispatch'], 1):.3f} of {t['dispatch']} to dispatch"
            )
        if not rows:
            raise CommandError("no request reached the gate")
        per_set: dict = {}
        gate = replace(fit(rows, dispatchable, c=c, info=info, held_out=per_set), writer_margin=writer_margin)
        (directory / FILE_NAME).write_text(json.dumps(gate.to_dict(), ensure_ascii=False, indent=1) + "\n", "utf-8")
        if held_out_dir:
            for g in groups:
                folder = Path(held_out_dir) / g
                folder.mkdir(parents=True, exist_ok=True)
                if g in per_set:
                    (folder / FILE_NAME).write_text(json.dumps(per_set[g].to_dict(), ensure_ascii=False), "utf-8")
                if g in choosers:
                    d = choosers[g].to_dict()
                    d["info"] = dict(info, held_out=g)
                    (folder / CHOOSER_FILE).write_text(json.dumps(d, ensure_ascii=False), "utf-8")
                if g in held_type:
                    held_type[g].save(folder / "lead_type.skops", info={"held_out": g})
        target = loaded.gates.target_precision
        right = sum(r for *_, r in rows)
        self.stdout.write(f"{len(rows)} requests reached the gate on {len(sets)} sets; {right} right")
        for t, precision, coverage in gate.curve[:: max(1, len(gate.curve) // 15)]:
            self.stdout.write(f"  threshold {t:.3f}: held-out precision {precision:.3f}, coverage {coverage:.3f}")
        for goal in sorted({target, 0.97, 0.95, 0.90}, reverse=True):
            threshold = gate.threshold(goal)
            if threshold is None:
                self.stdout.write(f"target {goal:.2f} not reached held out: every order waits for review")
                continue
            p, cov = next((p, cov) for th, p, cov in gate.curve if th == threshold)
            self.stdout.write(
                f"target {goal:.2f}: threshold {threshold:.3f}, held-out precision {p:.3f}, coverage {cov:.3f}"
            )
