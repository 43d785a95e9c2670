"""Text normalisation and jieba segmentation shared by training and prediction."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

_SPACE = re.compile(r"\s+")
# Digit runs (phone numbers, house numbers, dates) say nothing about the matter but multiply
# distinct n-grams; fold each run to one symbol so "12号楼" and "3号楼" share features.
_DIGITS = re.compile(r"[0-9]+")
_HAS_WORD_CHAR = re.compile(r"[0-9a-z\u3400-\u9fff]")


def normalise(text: str) -> str:
    """NFKC (full-width -> half-width), lower case, no whitespace, digit runs -> '0'."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _DIGITS.sub("0", _SPACE.sub("", text))


def build_user_dictionary(*word_lists: Iterable[str]) -> list[str]:
    """Merge plain word lists (matter keywords, division names, ...) into a jieba user word list.

    Returns the sorted unique words of length >= 2 (a single character is already in jieba's
    dictionary and adding it only disturbs segmentation). Pass the result as ``user_words``
    to :class:`Segmenter` / :class:`FeatureConfig`, or write it with
    :func:`user_dictionary_text` for jieba's ``load_userdict`` format.
    """
    words: set[str] = set()
    for words_in in word_lists:
        for w in words_in:
            w = unicodedata.normalize("NFKC", str(w or "")).strip().lower()
            # jieba's user dictionary is whitespace-separated: a space would split the entry.
            w = _SPACE.sub("", w)
            if len(w) >= 2:
                words.add(w)
    return sorted(words)


def user_dictionary_text(words: Iterable[str], freq: int = 20000) -> str:
    """jieba ``load_userdict`` text ("word freq" per line) for the given words."""
    return "".join(f"{w} {freq}\n" for w in build_user_dictionary(words))


def _jieba_tokenizer(user_words: tuple[str, ...]):
    """One jieba.Tokenizer per user-word list in this process (building one reads the main
    dictionary, ~1 s), shared by every model and engine with the same words."""
    from jiesu.engine.text import jieba_tokenizer

    return jieba_tokenizer(user_words)


class Segmenter:
    """jieba segmentation with a private dictionary (never touches the global jieba instance,
    so two models with different user words can live in one process)."""

    def __init__(self, user_words: Sequence[str] = (), hmm: bool = False):
        self.user_words = tuple(build_user_dictionary(user_words))
        self.hmm = hmm
        self._tokenizer = None

    def _jieba(self):
        if self._tokenizer is None:
            self._tokenizer = _jieba_tokenizer(self.user_words)
        return self._tokenizer

    def words(self, text: str) -> list[str]:
        """Words of a normalised text; punctuation-only tokens and lone Latin letters dropped
        (the same cleaning as a pre-tokenised history export, so both kinds of rows agree)."""
        out = []
        for w in self._jieba().cut(text, HMM=self.hmm):
            if _HAS_WORD_CHAR.search(w) and not (len(w) == 1 and "a" <= w <= "z"):
                out.append(w)
        return out
