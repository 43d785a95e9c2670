"""Shared text helpers: one Aho-Corasick automaton per word list, clause boundaries."""

from __future__ import annotations

import functools
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


# A short aside in brackets with no break of its own: "上周其所在小区（大兴区清源街道）车棚内一辆
# 电动车起火" is one clause, and its "上周" speaks for the fire.
_ASIDE = re.compile(r"[（(][^，。！？；,.!?;\n\r（）()]{1,40}[）)]")


def clause_spans(text: str, *, asides: bool = False) -> list[tuple[int, int]]:
    """(start, end) of each clause; `asides=True` keeps a bracketed aside inside its clause."""
    if asides:
        # The brackets become ordinary characters for the split; offsets stay those of `text`.
        text = _ASIDE.sub(lambda m: "\x00" + m.group()[1:-1] + "\x00", text)
    spans = []
    pos = 0
    for m in _CLAUSE_BREAK.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


def enumeration_only(gap: str) -> bool:
    """Whether the clause breaks in `gap` (the text between two words) are all the list mark
    "、": the words then belong to one statement though they sit in two clauses."""
    return all(m.group() == "、" for m in _CLAUSE_BREAK.finditer(gap))


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


# --- word boundaries ----------------------------------------------------------------------
# A substring match is not a word match: "来电" sits inside "来电人反映", "天桥" inside "过街天桥",
# "电动" inside "电动车". jieba segments the text with the rules' own terms as user words (so a
# term that is meant comes out whole), and a hit counts only where it starts and ends on a cut.

_TOKENIZERS: dict[tuple[str, ...], object] = {}
_TOKENIZERS_LOCK = __import__("threading").Lock()


def jieba_tokenizer(words: tuple[str, ...]):
    """One jieba.Tokenizer per word list in a process: loading jieba's dictionary takes about a
    second, and every engine and model built with the same words shares it. It never touches
    jieba's global instance, so different word lists live side by side."""
    with _TOKENIZERS_LOCK:
        tok = _TOKENIZERS.get(words)
        if tok is None:
            import jieba

            jieba.setLogLevel(60)  # its "Building prefix dict" chatter is not our log
            tok = jieba.Tokenizer()
            tok.initialize()
            for w in words:
                # No explicit frequency: jieba suggests one just high enough for the word to
                # come out whole, which disturbs the surrounding text the least.
                tok.add_word(w)
            if len(_TOKENIZERS) > 8:
                _TOKENIZERS.clear()
            _TOKENIZERS[words] = tok
        return tok


class WordCuts:
    """Word boundaries of texts, for filtering keyword hits to whole words.

    ``words``: the terms of the rules (matter keywords, lexicon terms, place names) and
    ``compounds``: longer words that contain a term without meaning it ("来电人", "过街天桥").
    Both become jieba user words.
    """

    def __init__(self, words: Iterable[str], compounds: Iterable[str] = ()):
        vocab = {normalise(w).strip() for w in (*words, *compounds)}
        self.words = tuple(sorted(w for w in vocab if len(w) >= 2 and not any(c.isspace() for c in w)))
        self._tok = None
        # Triage, classifier and locator each ask for the same text's cuts; segment it once.
        self.cuts = functools.lru_cache(maxsize=256)(self._cuts)

    def _jieba(self):
        if self._tok is None:
            self._tok = jieba_tokenizer(self.words)
        return self._tok

    def _cuts(self, text: str) -> frozenset[int]:
        """Offsets in ``text`` (already normalised) where one word ends and the next begins."""
        out = {0}
        pos = 0
        for w in self._jieba().cut(text, HMM=False):
            pos += len(w)
            out.add(pos)
        return frozenset(out)

    @staticmethod
    def whole(hit: Hit, cuts: frozenset[int]) -> bool:
        # A one-character term has no inside to be caught in; it stands or falls with its rule.
        # A term of three or more characters may open a longer word ("手机号" in "手机号码",
        # "停电" terms in "停电了"): only its start must be a cut. A two-character term must be
        # a word of its own ("电动" is not "电动车").
        n = hit.end - hit.start
        if n < 2:
            return True
        return hit.start in cuts and (n >= 3 or hit.end in cuts)

    def keep(self, hits: list[Hit], text: str, cuts: frozenset[int] | None = None) -> list[Hit]:
        cuts = self.cuts(text) if cuts is None else cuts
        return [h for h in hits if self.whole(h, cuts)]
