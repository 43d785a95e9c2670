"""Shared text helpers: one Aho-Corasick automaton per word list, clause boundaries."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

# Clause breaks: a cue ("去年", "没有") only qualifies a term inside the same clause.
_CLAUSE_BREAK = re.compile(r"[，。！？；,.!?;\n\r、…～~：:（）()【】\[\]\s]+")
_FOLD = str.maketrans({chr(0xFF01 + i): chr(0x21 + i) for i in range(94)} | {"\u3000": " "})


def normalise(text: str) -> str:
    """Fold full-width ASCII to half-width and upper-case Latin, so 'ＳＯＨＯ' == 'SOHO'."""
    return (text or "").translate(_FOLD).upper()


@dataclass(frozen=True)
class Hit:
    start: int
    end: int  # exclusive
    key: str
    tags: tuple


class Automaton:
    """Aho-Corasick over a term -> tags mapping; built once, searched per request."""

    def __init__(self, entries: Iterable[tuple[str, object]]):
        table: dict[str, list] = {}
        for term, tag in entries:
            term = normalise(term).strip()
            if term:
                table.setdefault(term, []).append(tag)
        self.size = len(table)
        self._a = ahocorasick.Automaton()
        for term, tags in table.items():
            self._a.add_word(term, (term, tuple(tags)))
        if table:
            self._a.make_automaton()

    def find(self, text: str) -> list[Hit]:
        if not self.size:
            return []
        return [Hit(end - len(term) + 1, end + 1, term, tags) for end, (term, tags) in self._a.iter(text)]


def drop_contained(hits: list[Hit]) -> list[Hit]:
    """Keep a hit only if no longer hit covers it ('朝阳门' beats '朝阳' inside it)."""
    hits = sorted(hits, key=lambda h: (h.start, -(h.end - h.start)))
    out: list[Hit] = []
    max_end = -1
    for h in hits:
        if h.end <= max_end:
            continue  # inside an earlier, longer (or equal-start longer) hit
        out.append(h)
        max_end = max(max_end, h.end)
    return out


def clause_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for m in _CLAUSE_BREAK.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


def clause_index(spans: list[tuple[int, int]], pos: int) -> int:
    lo, hi = 0, len(spans) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        s, e = spans[mid]
        if pos < s:
            hi = mid - 1
        elif pos >= e:
            lo = mid + 1
        else:
            return mid
    return -1


def bigrams(text: str) -> set[str]:
    chars = [c for c in text if not _CLAUSE_BREAK.match(c)]
    s = "".join(chars)
    return {s[i : i + 2] for i in range(len(s) - 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
