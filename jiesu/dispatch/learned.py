"""The learned classifier behind the engine's MatterClassifier interface (R11.2, R12.3)."""

from __future__ import annotations

from jiesu.engine.classify import MatterScore


class LearnedMatterClassifier:
    """Ranks matters with the active learned model; the keyword classifier covers its gaps.

    The engine sends an order to review when the top confidence is below its `classify_min`.
    The learned model has its own calibrated gate (the threshold that meets the admin's target
    precision), so probabilities are mapped piecewise-linearly to put that gate exactly at
    `classify_min`; the calibrated probability itself stays in the evidence for the reader.
    """

    def __init__(self, model, keyword_fallback, classify_min: float = 0.45):
        self.model = model
        self.fallback = keyword_fallback
        self.matters = keyword_fallback.matters
        self.classify_min = classify_min

    def _scaled(self, p: float) -> float:
        t, m = min(max(self.model.threshold, 1e-6), 1 - 1e-6), self.classify_min
        return p * m / t if p < t else m + (p - t) * (1 - m) / (1 - t)

    def rank(self, text: str, k: int = 3) -> list[MatterScore]:
        ranked = [(code, p) for code, p in self.model.rank(text, k) if code in self.matters]
        if not ranked:
            return self.fallback.rank(text, k)
        return [
            MatterScore(
                code,
                self.matters[code].name,
                round(self._scaled(p), 4),
                (f"学习模型{self.model.version}", f"概率{p:.2f}"),
            )
            for code, p in ranked
        ]
