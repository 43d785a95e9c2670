"""Per-field accuracy of the engine over a JSON Lines test set (tests/data/beijing_requests.jsonl).

Each line: {"id", "text", "channel", optional "kind", "received_at", "requester_history",
"expected": {"disposition", "emergency_line", "district", "subdistrict", "lead_unit_type"}}.
"""

from __future__ import annotations

import json
from pathlib import Path

FIELDS = ("disposition", "emergency_line", "district", "subdistrict", "lead_unit_type")


def _actual(decision) -> dict:
    out = decision.to_json()
    lead = next((u for u in out["units"] if u["role"] in ("lead", "coordinate")), None)
    return {
        "disposition": out["disposition"],
        "emergency_line": out["emergency_line"],
        "district": out["district"],
        "subdistrict": out["subdistrict"],
        "lead_unit_type": lead["type"] if lead else None,
    }


def load_cases(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def accuracy(engine, path: str | Path) -> dict:
    """{"n", "fields": {field: share correct}, "all": share fully correct, "errors": [...]}"""
    cases = load_cases(path)
    right = {f: 0 for f in FIELDS}
    all_right = 0
    errors = []
    for case in cases:
        decision = engine.decide({k: case[k] for k in case if k != "expected"})
        got = _actual(decision)
        want = case["expected"]
        wrong = {f: (want.get(f), got[f]) for f in FIELDS if want.get(f) != got[f]}
        for f in FIELDS:
            right[f] += f not in wrong
        if wrong:
            errors.append({"id": case["id"], "text": case["text"], "wrong": wrong})
        else:
            all_right += 1
    n = len(cases) or 1
    return {"n": len(cases), "fields": {f: right[f] / n for f in FIELDS}, "all": all_right / n, "errors": errors}


def format_report(result: dict) -> str:
    lines = [f"{result['n']} requests, fully correct {result['all']:.3f}"]
    lines += [f"  {f:<15} {v:.3f}" for f, v in result["fields"].items()]
    return "\n".join(lines)
