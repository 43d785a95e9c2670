"""Answer consultations on the spot from knowledge-base articles (R11.1, R30)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .text import Automaton, drop_contained, normalise

# Matched keyword characters needed for full confidence: one specific phrase ("提取公积金")
# or two shorter ones.
_FULL = 6.0


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    body: str
    keywords: tuple[str, ...] = ()
    # The law, regulation or policy the answer rests on: a direct answer cites it (R11.1, R30.1).
    basis: str = ""

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "body": self.body,
            "keywords": list(self.keywords),
            "basis": self.basis,
        }

    @classmethod
    def from_dict(cls, d: dict) -> Article:
        return cls(
            str(d.get("id") or d["title"]),
            d["title"],
            d["body"],
            tuple(d.get("keywords", ())),
            str(d.get("basis") or ""),
        )


@dataclass(frozen=True)
class Answer:
    article: Article
    confidence: float
    evidence: tuple[str, ...]


class Answerer:
    def __init__(self, articles: Iterable[Article | dict]):
        self.articles = [a if isinstance(a, Article) else Article.from_dict(a) for a in articles]
        entries = []
        for i, a in enumerate(self.articles):
            entries += [(k, i) for k in a.keywords]
            entries.append((a.title, i))
        self.automaton = Automaton(entries)

    def answer(self, text: str) -> Answer | None:
        hits = drop_contained(self.automaton.find(normalise(text)))
        score: dict[int, float] = {}
        ev: dict[int, list[str]] = {}
        for h in hits:
            for i in set(h.tags):
                if h.key not in ev.get(i, []):
                    score[i] = score.get(i, 0.0) + len(h.key)
                    ev.setdefault(i, []).append(h.key)
        if not score:
            return None
        best = max(score, key=lambda i: (score[i], -i))
        return Answer(self.articles[best], round(min(1.0, score[best] / _FULL), 3), tuple(ev[best]))
