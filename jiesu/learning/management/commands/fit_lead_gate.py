"""jiesu fit-lead-gate: calibrate the auto-dispatch gate on labelled requests written by others."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jiesu.engine.evaluate import load_cases
from jiesu.engine.gate import FILE_NAME, fit
from jiesu.engine.reader import DEFAULT_DIR, Reader

# Former blind sets, now development sets (tests/blind/README.md). Never add a sealed set.
DEVELOPMENT_SETS = (
    "tests/blind/2026-12-01-a.jsonl",
    "tests/blind/2026-12-01-b.jsonl",
    "tests/blind/2026-12-01-c.jsonl",
    "tests/blind/2026-12-02-d.jsonl",
)


class Command(BaseCommand):
    help = (
        "Fit the auto-dispatch gate of the engine's reader on labelled development sets (one group "
        "per file, leave one file out for the precision/coverage curve) and write it beside the reader."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sets", nargs="*", default=list(DEVELOPMENT_SETS), help="labelled JSON Lines sets")
        parser.add_argument("--reader", default=str(DEFAULT_DIR), help="the reader's folder (the gate goes there)")
        parser.add_argument("--c", type=float, default=1.0, help="inverse L2 strength of the logistic model")

    def handle(self, *args, sets: list[str], reader: str, c: float, **options):
        from jiesu.engine.decide import Engine

        if len(sets) < 2:
            raise CommandError("need at least two sets (each is held out in turn)")
        directory = Path(reader)
        if not (directory / "manifest.json").is_file():
            raise CommandError(f"no reader in {directory} (run `jiesu train-reader` first)")
        loaded = Reader.load(directory)
        loaded.lead_gate = None  # features only; the old gate must not shape what is measured
        engine = Engine.from_defaults(reader=loaded)
        rows, dispatchable = [], Counter()
        for path in sets:
            try:
                cases = load_cases(path)
            except FileNotFoundError:
                raise CommandError(f"no such set: {path}") from None
            group = Path(path).stem
            for case in cases:
                want = case["expected"]
                dispatchable[group] += want["disposition"] == "dispatch"
                d = engine.decide({k: v for k, v in case.items() if k != "expected"})
                gate = d.auto_dispatch
                if d.disposition != "dispatch" or gate is None or gate["held_for_other_reasons"]:
                    continue
                lead = next((u for u in d.units if u.role in ("lead", "coordinate")), None)
                right = want["disposition"] == "dispatch" and want.get("lead_unit_type") == (lead and lead.type)
                rows.append((group, gate["features"], right))
        if not rows:
            raise CommandError("no request reached the gate")
        gate = fit(
            rows,
            dispatchable,
            c=c,
            info={"reader_version": loaded.version, "sets": [Path(p).name for p in sets]},
        )
        (directory / FILE_NAME).write_text(json.dumps(gate.to_dict(), ensure_ascii=False, indent=1) + "\n", "utf-8")
        target = loaded.gates.target_precision
        threshold = gate.threshold(target)
        right = sum(r for *_, r in rows)
        self.stdout.write(f"{len(rows)} requests reached the gate on {len(sets)} sets; {right} right")
        for t, precision, coverage in gate.curve[:: max(1, len(gate.curve) // 15)]:
            self.stdout.write(f"  threshold {t:.3f}: held-out precision {precision:.3f}, coverage {coverage:.3f}")
        if threshold is None:
            self.stdout.write(f"target {target:.2f} not reached held out: every order waits for review")
        else:
            p, cov = next((p, cov) for t, p, cov in gate.curve if t == threshold)
            self.stdout.write(
                f"target {target:.2f}: threshold {threshold:.3f}, held-out precision {p:.3f}, coverage {cov:.3f}"
            )
