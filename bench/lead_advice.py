#!/usr/bin/env python
"""How often the lead-type chooser's other type is the writers' type, on sets it never saw.

Where the reader's lead-type chooser puts another type of unit first than the catalog's lead,
the engine offers (from `Engine.TYPE_CHOOSE_AT`) or proposes (from `Engine.TYPE_PROPOSE_AT`)
a unit of that type (`Engine._choose_type`). This decides every request of the labelled sets
given that the chooser was not fitted on, and prints, for the requests that both the writer and
the engine dispatch and where the chooser named another type, how often that type and how often
the catalog's type was the writer's, by the chooser's probability.

    .venv/bin/python bench/lead_advice.py tests/blind/2026-12-06-e[l-w].jsonl

No database: the engine is built from the shipped defaults, as `jiesu decide` builds it.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BINS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", help="labelled JSON Lines sets (tests/blind format)")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
    import django

    django.setup()
    from jiesu.engine.decide import Engine
    from jiesu.engine.evaluate import load_cases

    engine = Engine.from_defaults()
    chooser = engine.reader.type_chooser if engine.reader is not None else None
    if chooser is None:
        sys.exit("the shipped reader has no lead-type chooser")
    fitted = set((chooser.info or {}).get("sets", ()))
    unseen = [p for p in args.sets if Path(p).name not in fitted]
    if not unseen:
        sys.exit("every set given is one the chooser was fitted on: nothing to measure")
    both = 0
    # (chooser's probability, its type is the writer's, the catalog's type is the writer's)
    rows: list[tuple[float, bool, bool]] = []
    for path in unseen:
        for case in load_cases(path):
            want = case["expected"]
            if want["disposition"] != "dispatch" or not want.get("lead_unit_type"):
                continue
            d = engine.decide({k: v for k, v in case.items() if k != "expected"})
            if d.disposition != "dispatch" or d.lead is None:
                continue
            both += 1
            advice = d.lead_advice
            if not advice:
                continue
            # The offered unit is the catalog's own where the chooser's was proposed.
            chooser_type, catalog_type = (
                (d.lead.type, advice["type"]) if advice.get("catalog") else (advice["type"], d.lead.type)
            )
            p = advice["proposed_probability"] if advice.get("catalog") else advice["probability"]
            rows.append((p, chooser_type == want["lead_unit_type"], catalog_type == want["lead_unit_type"]))
    print(
        f"chooser fitted on {len(fitted)} sets; {len(unseen)} other sets; {both} requests dispatched by "
        f"writer and engine; the chooser named another type on {len(rows)}: its type right "
        f"{sum(r[1] for r in rows)}, the catalog's {sum(r[2] for r in rows)}"
    )
    for lo, hi in zip(BINS, BINS[1:]):
        part = [r for r in rows if lo <= r[0] < hi]
        print(
            f"  chooser probability {lo:.1f}-{min(hi, 1.0):.1f}: {len(part)}, its type right "
            f"{sum(r[1] for r in part)}, the catalog's {sum(r[2] for r in part)}"
        )


if __name__ == "__main__":
    main()
