"""Signs in the numbers and in the words (R27.1). Plain Python: the check in services feeds it.

Surge: the count of one matter in one place over the last window against the same window of
the week in the weeks before (hour-of-week, so Monday mornings are compared with Monday
mornings). The baseline is their median; a count is unusual when a Poisson variable with the
baseline as its mean (never below `floor`, so a place with no history is not alarmed by two
calls) reaches it with probability under `p_value`, and there are at least `min_count` orders.

Risk: a lexicon (bureau data, defaults/risk.json) of phrases; a phrase counts unless a negation
word stands just before it in the same clause ("没有跳楼的想法"), and a group category (wage
arrears) counts only with a cue that many people are affected.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from scipy.stats import poisson

from jiesu.engine.text import Automaton, clause_index, clause_spans, normalise

_NEG_WINDOW = 4


@dataclass(frozen=True)
class SurgeRule:
    min_count: int = 5
    floor: float = 0.5  # the least expected count per window, even for a place that never called
    p_value: float = 1e-4
    history_weeks: int = 8


@dataclass(frozen=True)
class Surge:
    count: int
    baseline: float
    p: float
    severity: str


def surge(count: int, history: list[int], rule: SurgeRule = SurgeRule()) -> Surge | None:
    """`history`: the counts of the same window in earlier weeks (missing weeks count 0)."""
    if count < rule.min_count:
        return None
    baseline = float(statistics.median(history)) if history else 0.0
    mean = max(baseline, rule.floor)
    p = float(poisson.sf(count - 1, mean))  # P(X >= count)
    if p >= rule.p_value:
        return None
    if count >= 3 * rule.min_count or p < 1e-12:
        severity = "high"
    elif count >= 2 * rule.min_count or p < 1e-8:
        severity = "medium"
    else:
        severity = "low"
    return Surge(count=count, baseline=baseline, p=p, severity=severity)


@dataclass(frozen=True)
class Risk:
    category: str
    label: str
    severity: str
    cues: tuple[str, ...]


class RiskLexicon:
    def __init__(self, data: dict):
        self.categories = {c["code"]: c for c in data["categories"]}
        entries = [(t, ("term", c["code"])) for c in data["categories"] for t in c["terms"]]
        for c in data["categories"]:
            for side in ("a", "b"):
                entries += [(t, (f"pair_{side}", c["code"])) for t in c.get("pairs", {}).get(side, ())]
        entries += [(t, ("neg", "")) for t in data["negation"]]
        entries += [(t, ("many", "")) for t in data["many"]]
        self._automaton = Automaton(entries)

    def scan(self, text: str) -> list[Risk]:
        text = normalise(text)
        spans = clause_spans(text)
        hits = self._automaton.find(text)
        negs = [h for h in hits if any(t[0] == "neg" for t in h.tags)]
        many = any(any(t[0] == "many" for t in h.tags) for h in hits)
        found: dict[str, list[str]] = {}
        halves: dict[tuple[str, int], dict[str, str]] = defaultdict(dict)  # (category, clause) -> side -> word

        def negated(h) -> bool:
            clause = clause_index(spans, h.start)
            return any(
                n.end <= h.start and h.start - n.end <= _NEG_WINDOW and clause_index(spans, n.start) == clause
                for n in negs
            )

        for h in hits:
            for tag, code in h.tags:
                if tag not in ("term", "pair_a", "pair_b") or negated(h):
                    continue
                if self.categories[code].get("group") and not many:
                    continue
                if tag == "term":
                    found.setdefault(code, []).append(h.key)
                else:
                    halves[(code, clause_index(spans, h.start))].setdefault(tag, h.key)
        for (code, _), sides in halves.items():
            if len(sides) == 2:
                found.setdefault(code, []).append(sides["pair_a"] + "…" + sides["pair_b"])
        return [
            Risk(
                category=code,
                label=self.categories[code]["label"],
                severity=self.categories[code]["severity"],
                cues=tuple(dict.fromkeys(cues)),
            )
            for code, cues in found.items()
        ]


@lru_cache(maxsize=1)
def default_lexicon() -> RiskLexicon:
    return RiskLexicon(json.loads((Path(__file__).parent / "defaults" / "risk.json").read_text(encoding="utf-8")))
