"""Per-field accuracy of the engine over a JSON Lines test set (tests/data/beijing_requests.jsonl).

Each line: {"id", "text", "channel", optional "kind", "received_at", "requester_history",
"expected": {"disposition", "emergency_line", "district", "subdistrict", "lead_unit_type"}}.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from .decide import Request

FIELDS = ("disposition", "emergency_line", "district", "subdistrict", "lead_unit_type")
# Scored only where the set labels it (older sets have no kind).
OPTIONAL_FIELDS = ("kind",)


def _actual(decision) -> dict:
    out = decision.to_json()
    return {
        "disposition": out["disposition"],
        "emergency_line": out["emergency_line"],
        "district": out["district"],
        "subdistrict": out["subdistrict"],
        "lead_unit_type": out["lead_unit_type"],
        "kind": out["kind"],
        "needs_review": out["needs_review"],
    }


class CaseError(ValueError):
    """A line of a labelled set that cannot be judged: the message names the file, line and id."""


def load_cases(path: str | Path) -> list[dict]:
    return [case for _, case in _numbered_cases(path)]


def _numbered_cases(path: str | Path) -> list[tuple[int, dict]]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                case = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CaseError(f"{path}:{number}: not a JSON object ({exc.msg})") from None
            if not isinstance(case, dict) or not isinstance(case.get("expected"), dict):
                raise CaseError(f"{path}:{number}: a JSON object with an 'expected' object is required")
            if "disposition" not in case["expected"]:
                raise CaseError(f"{path}:{number} ({case.get('id')}): field 'expected.disposition' is required")
            out.append((number, case))
    return out


def _share(a: int, b: int) -> float | None:
    return a / b if b else None


def accuracy(engine, path: str | Path | Sequence[str | Path]) -> dict:
    """Per-field shares right, and what matters for safety and for the gate, over one set or
    several pooled (each request counts once, whichever set it is in):

    - ``emergencies``: emergencies in progress caught (disposition "emergency") of those in the
      set; ``false_emergencies``: other requests wrongly sent to an emergency line, as a share;
    - ``auto_dispatch``: requests sent out without review (dispatch, not needs_review), how many
      of them went to the right type of lead unit (precision), and what share of the
      requests that should be dispatched went out without review (coverage);
    - ``non_dispatch_sent``: requests that should not be dispatched but were, without review.
    """
    paths = [path] if isinstance(path, (str, Path)) else list(path)
    numbered = [(p, number, case) for p in paths for number, case in _numbered_cases(p)]
    cases = [case for _, _, case in numbered]
    fields = FIELDS + tuple(f for f in OPTIONAL_FIELDS if any(f in c["expected"] for c in cases))
    right = {f: 0 for f in fields}
    seen = {f: 0 for f in fields}
    all_right = 0
    errors = []
    em_total = em_caught = non_em = false_em = 0
    auto = auto_right = dispatchable = non_dispatch_sent = 0
    for set_path, number, case in numbered:
        try:
            request = Request.from_dict({k: case[k] for k in case if k != "expected"})
        except ValueError as exc:
            # A bad request of the set (a date of hour 30, no text) is named, not a traceback;
            # an error of the engine itself still surfaces as one.
            raise CaseError(f"{set_path}:{number} ({case.get('id')}): {exc}") from None
        decision = engine.decide(request)
        got = _actual(decision)
        want = case["expected"]
        scored = [f for f in fields if f in want]
        wrong = {f: (want.get(f), got[f]) for f in scored if want.get(f) != got[f]}
        for f in scored:
            seen[f] += 1
            right[f] += f not in wrong
        if want["disposition"] == "emergency":
            em_total += 1
            em_caught += got["disposition"] == "emergency"
        else:
            non_em += 1
            false_em += got["disposition"] == "emergency"
        sent = got["disposition"] == "dispatch" and not got["needs_review"]
        if want["disposition"] == "dispatch":
            dispatchable += 1
        elif sent:
            non_dispatch_sent += 1
        if sent:
            auto += 1
            auto_right += want["disposition"] == "dispatch" and want.get("lead_unit_type") == got["lead_unit_type"]
        if wrong:
            errors.append({"id": case["id"], "text": case["text"], "wrong": wrong, "sent": sent})
        else:
            all_right += 1
    n = len(cases) or 1
    return {
        "n": len(cases),
        "fields": {f: right[f] / (seen[f] or 1) for f in fields},
        "all": all_right / n,
        "emergencies": {"caught": em_caught, "of": em_total},
        "false_emergencies": {"count": false_em, "share": _share(false_em, non_em)},
        "auto_dispatch": {
            "sent": auto,
            "right_type": auto_right,
            "precision": _share(auto_right, auto),
            "dispatchable": dispatchable,
            "coverage": _share(auto, dispatchable),
        },
        "non_dispatch_sent": non_dispatch_sent,
        "errors": errors,
    }


def format_report(result: dict) -> str:
    lines = [f"{result['n']} requests, fully correct {result['all']:.3f}"]
    lines += [f"  {f:<15} {v:.3f}" for f, v in result["fields"].items()]
    em, fe, ad = result["emergencies"], result["false_emergencies"], result["auto_dispatch"]
    fmt = lambda v: "n/a" if v is None else f"{v:.3f}"  # noqa: E731
    lines += [
        f"  emergencies caught {em['caught']} of {em['of']}; false emergencies {fe['count']} ({fmt(fe['share'])})",
        f"  auto-dispatched {ad['sent']}, to the right type of unit {ad['right_type']}"
        f" (precision {fmt(ad['precision'])}),"
        f" coverage {fmt(ad['coverage'])} of {ad['dispatchable']} dispatchable",
        f"  non-dispatch requests sent out without review: {result['non_dispatch_sent']}",
    ]
    return "\n".join(lines)
