"""Answer consultations on the spot from knowledge-base articles (R11.1, R30)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .text import Automaton, clause_index, clause_spans, drop_contained, normalise

# Matched keyword characters needed for full confidence: one specific phrase ("提取公积金")
# or two shorter ones.
_FULL = 6.0
# A keyword "几号…供暖" is two words said in this order in one clause, at most this many
# characters apart: a question is put in many ways ("几号开始正式供暖", "几号能供暖").
PAIR_MARK = "…"
_PAIR_GAP = 10


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
        # (article, keyword as written, its first and second word)
        self.pairs: list[tuple[int, str, str, str]] = []
        parts = []
        for i, a in enumerate(self.articles):
            for k in a.keywords:
                first, mark, second = k.partition(PAIR_MARK)
                if mark and first.strip() and second.strip():
                    first, second = normalise(first).strip(), normalise(second).strip()
                    self.pairs.append((i, k, first, second))
                    parts += [(first, "pair"), (second, "pair")]
                else:
                    entries.append((k, i))
            entries.append((a.title, i))
        self.automaton = Automaton(entries)
        self.pair_words = Automaton(parts)

    def _pair_hits(self, text: str) -> list[tuple[int, str, int]]:
        """(article, keyword, matched characters) for each "A…B" keyword said in the text."""
        if not self.pairs:
            return []
        starts: dict[str, list[int]] = {}
        ends: dict[str, list[int]] = {}
        for h in self.pair_words.find(text):
            starts.setdefault(h.key, []).append(h.start)
            ends.setdefault(h.key, []).append(h.end)
        spans = clause_spans(text)
        out = []
        for i, keyword, first, second in self.pairs:
            if any(
                0 <= b - a_end <= _PAIR_GAP and clause_index(spans, a_end - 1) == clause_index(spans, b)
                for a_end in ends.get(first, ())
                for b in starts.get(second, ())
            ):
                out.append((i, keyword, len(first) + len(second)))
        return out

    def answer(self, text: str) -> Answer | None:
        text = normalise(text)
        hits = drop_contained(self.automaton.find(text))
        score: dict[int, float] = {}
        ev: dict[int, list[str]] = {}
        for h in hits:
            for i in set(h.tags):
                if h.key not in ev.get(i, []):
                    score[i] = score.get(i, 0.0) + len(h.key)
                    ev.setdefault(i, []).append(h.key)
        for i, keyword, size in self._pair_hits(text):
            score[i] = score.get(i, 0.0) + size
            ev.setdefault(i, []).append(keyword)
        if not score:
            return None
        best = max(score, key=lambda i: (score[i], -i))
        return Answer(self.articles[best], round(min(1.0, score[best] / _FULL), 3), tuple(ev[best]))
