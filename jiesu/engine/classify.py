"""Matter classification behind one interface: text -> ranked matters with confidences.

`KeywordClassifier` is built from the taxonomy's keywords. A learned classifier (its own
issue) implements the same `MatterClassifier` protocol and plugs into `Engine`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from .rules import Matter
from .text import Automaton, WordCuts, drop_contained, normalise

# A keyword of four characters or more is specific enough on its own; shorter ones need
# company before the classifier calls itself sure.
_FULL_EVIDENCE = 4.0**1.3


@dataclass(frozen=True)
class MatterScore:
    code: str
    name: str
    confidence: float
    evidence: tuple[str, ...] = ()


@runtime_checkable
class MatterClassifier(Protocol):
    def rank(self, text: str, k: int = 3) -> list[MatterScore]: ...


class KeywordClassifier:
    def __init__(self, matters: tuple[Matter, ...] | list[Matter], cuts: WordCuts | None = None):
        self.matters = {m.code: m for m in matters}
        self.cuts = cuts
        entries = [(kw, m.code) for m in matters for kw in m.keywords]
        # The leaf name itself ("停水", "群租房") is usually what a caller says.
        entries += [(m.name, m.code) for m in matters if 2 <= len(m.name) <= 6]
        self.automaton = Automaton(entries)

    def rank(self, text: str, k: int = 3) -> list[MatterScore]:
        text = normalise(text)
        hits = self.automaton.find(text)
        if self.cuts is not None:
            hits = self.cuts.keep(hits, text)
        hits = drop_contained(hits)
        n = max(len(text), 1)
        score: dict[str, float] = {}
        evidence: dict[str, list[str]] = {}
        for h in hits:
            codes = set(h.tags)
            # A keyword shared by several matters says less about each of them.
            w = (len(h.key) ** 1.3) / len(codes)
            # Callers lead with their main problem: when a call raises two, the first one
            # decides the lead unit, so earlier words weigh a little more.
            w *= 1.0 + 0.3 * (1.0 - h.start / n)
            for code in codes:
                if h.key in evidence.get(code, ()):
                    w_eff = w * 0.3  # repeating the same word adds little
                else:
                    w_eff = w
                score[code] = score.get(code, 0.0) + w_eff
                evidence.setdefault(code, []).append(h.key)
        if not score:
            return []
        ranked = sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))
        total = sum(s for _, s in ranked[:3])
        out = []
        for code, s in ranked[:k]:
            strength = min(1.0, s / _FULL_EVIDENCE)
            conf = round((s / total) * (0.5 + 0.5 * strength), 3)
            out.append(MatterScore(code, self.matters[code].name, conf, tuple(dict.fromkeys(evidence[code]))))
        return out
