#!/usr/bin/env python
"""How the auto-dispatch gate's held-out curve holds on writers who came after its fit.

The shipped gate (jiesu/engine/defaults/reader/lead_gate.json) is fitted leave-one-set-out on
the sets its `info` names, so its curve is honest about those writers only. This decides every
request of the other labelled sets given (development sets written later) with the shipped
engine and prints, for the target read at several margins above it, the sending threshold and
the precision and coverage on those later sets: pooled, and the worst single set. The margin
the gate ships with (`writer_margin`) is the largest at which every later set still sends at
least half of its requests to dispatch (issue 11's coverage bar): the precision bar holds per
set, and a set of a hundred sent orders misses it with two wrong ones, so the pooled precision
must stand well above the target (round 108, bench/README.md; before, the smallest margin that
brought the pooled precision to the target).

    .venv/bin/python bench/gate_drift.py tests/blind/2026-12-0[56]-*.jsonl
    .venv/bin/python bench/gate_drift.py --target 0.97 --margins 0 0.005 0.01 SETS...

No database: the engine is built from the shipped defaults, as `jiesu decide` builds it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", help="labelled JSON Lines sets (tests/blind format)")
    parser.add_argument("--target", type=float, default=0.97)
    parser.add_argument("--margins", type=float, nargs="+", default=[0.0, 0.005, 0.01, 0.015, 0.02])
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
    import django

    django.setup()
    from jiesu.engine.decide import Engine
    from jiesu.engine.evaluate import load_cases

    engine = Engine.from_defaults()
    gate = engine.reader.lead_gate if engine.reader is not None else None
    if gate is None:
        sys.exit("the shipped reader has no auto-dispatch gate")
    fitted = set((gate.info or {}).get("sets", ()))
    later = [p for p in args.sets if Path(p).name not in fitted]
    if not later:
        sys.exit("every set given is one the gate was fitted on: nothing to measure")
    # (set, calibrated probability, right) of every request the gate alone would send or hold.
    rows: list[tuple[str, float, bool]] = []
    dispatchable: dict[str, int] = defaultdict(int)
    for path in later:
        name = Path(path).name
        for case in load_cases(path):
            want = case["expected"]
            dispatchable[name] += want["disposition"] == "dispatch"
            d = engine.decide({k: v for k, v in case.items() if k != "expected"})
            ad = d.auto_dispatch
            if d.disposition != "dispatch" or not ad or ad["held_for_other_reasons"] or "probability" not in ad:
                continue
            right = want["disposition"] == "dispatch" and want.get("lead_unit_type") == (d.lead and d.lead.type)
            rows.append((name, ad["probability"], right))
    total = sum(dispatchable.values())
    print(
        f"gate fitted on {len(fitted)} sets, shipped writer_margin {gate.writer_margin}; "
        f"{len(later)} later sets, {total} requests to dispatch, {len(rows)} reached the gate"
    )
    for margin in args.margins:
        threshold = replace(gate, writer_margin=margin).sending_threshold(args.target)
        if threshold is None:
            print(f"margin {margin:.3f}: the curve never reaches {args.target + margin:.3f}; nothing sent")
            continue
        sent = [(n, r) for n, p, r in rows if p >= threshold]
        per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for n, r in sent:
            per[n][0] += 1
            per[n][1] += r
        worst_p = min((right / n, s) for s, (n, right) in per.items())
        worst_c = min((per[s][0] / dispatchable[s], s) for s in dispatchable if dispatchable[s])
        below = sum(1 for n, right in per.values() if right / n < args.target)
        print(
            f"margin {margin:.3f}: threshold {threshold:.4f}, sent {len(sent)}, "
            f"precision {sum(r for _, r in sent) / max(len(sent), 1):.4f}, coverage {len(sent) / total:.3f}; "
            f"sets below {args.target:.2f}: {below} of {len(per)}, worst {worst_p[0]:.3f} ({worst_p[1]}); "
            f"lowest coverage {worst_c[0]:.3f} ({worst_c[1]})"
        )


if __name__ == "__main__":
    main()
