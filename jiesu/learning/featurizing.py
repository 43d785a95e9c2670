"""Text features: hashed character n-grams plus jieba word n-grams.

Hashing is stateless, so a long history streams through in chunks without a vocabulary pass;
sublinear tf, idf and a per-block L2 norm put a 20-character call note and a 2,000-character
letter in the same space without length dominating.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .segmenting import Segmenter, normalise


@dataclass
class FeatureConfig:
    char_ngrams: tuple[int, int] = (1, 3)
    # Word unigrams only: a stop-word-stripped export and raw text disagree on adjacent
    # pairs, so word bigrams add noise rather than signal.
    word_ngrams: tuple[int, int] = (1, 1)
    char_bits: int = 20
    word_bits: int = 19
    # Long letters repeat themselves; cut at this many characters (the head holds the gist).
    max_chars: int = 3000
    user_words: tuple[str, ...] = ()
    # jieba's HMM guesses unknown words, which the character n-grams already cover; without
    # it segmentation is markedly faster.
    hmm: bool = False

    def to_dict(self) -> dict:
        return {
            "char_ngrams": list(self.char_ngrams),
            "word_ngrams": list(self.word_ngrams),
            "char_bits": self.char_bits,
            "word_bits": self.word_bits,
            "max_chars": self.max_chars,
            "user_words": list(self.user_words),
            "hmm": self.hmm,
        }

    @classmethod
    def from_dict(cls, d: dict) -> FeatureConfig:
        return cls(
            char_ngrams=tuple(d["char_ngrams"]),
            word_ngrams=tuple(d["word_ngrams"]),
            char_bits=int(d["char_bits"]),
            word_bits=int(d["word_bits"]),
            max_chars=int(d["max_chars"]),
            user_words=tuple(d.get("user_words", ())),
            hmm=bool(d.get("hmm", False)),
        )


@dataclass
class Doc:
    """One training or query text. ``tokens`` is set for pre-tokenised history rows (then the
    character stream is the tokens joined without spaces)."""

    text: str
    tokens: list[str] | None = None
    # Supplementary rows (an extra export that may repeat the main history in another form)
    # are only trained on: as validation rows they would be near copies of training rows and
    # make the threshold look safer than it is.
    train_only: bool = False
    # How many history rows this row counts as: a dispatcher's correction is a confirmed
    # answer to a case the model got wrong, and a handful of them must be able to outvote
    # years of history that followed an older rule.
    weight: float = 1.0


def _as_doc(x) -> Doc:
    return x if isinstance(x, Doc) else Doc(str(x or ""))


class Featurizer:
    """Stateless hashing of (char n-grams, word n-grams) to raw counts; ``finish`` applies
    sublinear tf, idf and per-block L2 norm. The raw/finish split lets streaming training
    estimate idf from the first chunks before any weight is learned."""

    def __init__(self, config: FeatureConfig):
        from sklearn.feature_extraction.text import HashingVectorizer
        from sklearn.utils import murmurhash3_32

        self.config = config
        self.segmenter = Segmenter(config.user_words, config.hmm)
        common = dict(alternate_sign=False, norm=None, lowercase=False, dtype=np.float32)
        self._char = HashingVectorizer(
            analyzer="char", ngram_range=tuple(config.char_ngrams), n_features=2**config.char_bits, **common
        )
        # Words arrive already segmented and space-joined; \S+ keeps every token (including
        # one-character Chinese words that the default pattern would drop).
        self._word = HashingVectorizer(
            analyzer="word",
            token_pattern=r"\S+",
            ngram_range=tuple(config.word_ngrams),
            n_features=2**config.word_bits,
            **common,
        )
        self.n_char = 2**config.char_bits
        self.n_features = self.n_char + 2**config.word_bits
        self._char_grams = self._char.build_analyzer()
        self._word_grams = self._word.build_analyzer()
        self._murmur = murmurhash3_32

    def streams(self, docs: Iterable) -> tuple[list[str], list[str]]:
        chars, words = [], []
        limit = self.config.max_chars
        for d in docs:
            d = _as_doc(d)
            if d.tokens is not None:
                toks = [normalise(t) for t in d.tokens]
                toks = [t for t in toks if t]
                c = "".join(toks)[:limit]
            else:
                c = normalise(d.text)[:limit]
                toks = self.segmenter.words(c)
            chars.append(c)
            words.append(" ".join(toks))
        return chars, words

    def raw(self, docs: Iterable) -> sp.csr_matrix:
        if isinstance(docs, list) and len(docs) == 1:
            return self._raw_one(docs[0])
        chars, words = self.streams(docs)
        a = self._char.transform(chars).tocsr()
        b = self._word.transform(words).tocsr()
        # Row-wise concatenation by hand: sp.hstack costs milliseconds per call at this width,
        # more than the whole prediction otherwise.
        a.sum_duplicates()
        b.sum_duplicates()
        na, nb = np.diff(a.indptr), np.diff(b.indptr)
        indptr = np.zeros(len(na) + 1, dtype=np.int64)
        np.cumsum(na + nb, out=indptr[1:])
        indices = np.empty(indptr[-1], dtype=np.int32)
        data = np.empty(indptr[-1], dtype=np.float32)
        row_a = np.repeat(np.arange(len(na)), na)
        row_b = np.repeat(np.arange(len(nb)), nb)
        pos_a = indptr[:-1][row_a] + (np.arange(a.nnz) - a.indptr[:-1][row_a])
        pos_b = indptr[:-1][row_b] + na[row_b] + (np.arange(b.nnz) - b.indptr[:-1][row_b])
        indices[pos_a], data[pos_a] = a.indices, a.data
        indices[pos_b], data[pos_b] = b.indices + self.n_char, b.data
        return sp.csr_matrix((data, indices, indptr), shape=(len(na), self.n_features))

    def _raw_one(self, doc) -> sp.csr_matrix:
        """`raw` of one text (what intake hashes), the same counts in canonical order: the
        n-grams of the vectorizers' own analyzers, hashed as HashingVectorizer hashes them
        (signed murmurhash3 of the UTF-8 bytes, seed 0, its absolute value modulo the width;
        no alternate sign). Its per-call checks and sparse assembly were half the cost of
        hashing one request; the batch path stays sklearn's (training, evaluation)."""
        (chars,), (words,) = self.streams([doc])
        n_char, n_word = self.n_char, self.n_features - self.n_char
        murmur = self._murmur
        hashed = [abs(murmur(g, 0)) % n_char for g in self._char_grams(chars)]
        hashed += [n_char + abs(murmur(g, 0)) % n_word for g in self._word_grams(words)]
        columns, counts = np.unique(np.asarray(hashed, dtype=np.int32), return_counts=True)
        indptr = np.array([0, len(columns)], dtype=np.int32)
        return sp.csr_matrix((counts.astype(np.float32), columns, indptr), shape=(1, self.n_features))

    def finish(self, raw: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
        """Sublinear tf x idf, then each block (chars, words) L2-normalised and scaled by
        1/sqrt(2): both views count equally whatever the message length. Works on the CSR
        arrays directly (a diagonal matrix of this width costs tens of milliseconds)."""
        X = raw.copy()
        X.sum_duplicates()
        rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
        X.data = self._weigh(X.indices, X.data, idf, rows, X.shape[0])
        return X

    def finish_one(self, raw: sp.csr_matrix, idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``finish`` of a one-row matrix as (feature indices, values), without copying and
        rebuilding a sparse matrix (intake scores one request with four models)."""
        raw.sum_duplicates()  # in place, once: the canonical order finish() would sort into
        return raw.indices, self._weigh(raw.indices, raw.data, idf, 0, 1)

    def _weigh(self, indices: np.ndarray, counts: np.ndarray, idf: np.ndarray, rows, n_rows: int) -> np.ndarray:
        """The values of `finish` for canonical CSR arrays; `rows`: each value's row (or 0)."""
        data = np.log1p(counts) * idf[indices]  # sublinear tf: the 30th "物业" adds little
        key = rows * 2 + (indices >= self.n_char).astype(np.int64)
        sq = np.bincount(key, weights=data.astype(np.float64) ** 2, minlength=2 * n_rows)
        norms = np.sqrt(sq)
        norms[norms == 0] = 1.0
        return (data / (norms[key] * math.sqrt(2.0))).astype(np.float32)


class DocumentFrequency:
    """Running document frequencies over hashed features, for a smoothed idf."""

    def __init__(self, n_features: int):
        self.df = np.zeros(n_features, dtype=np.int64)
        self.n = 0

    def update(self, raw: sp.csr_matrix) -> None:
        self.df += np.bincount(raw.indices, minlength=self.df.shape[0])
        self.n += raw.shape[0]

    def idf(self) -> np.ndarray:
        return (np.log((1.0 + self.n) / (1.0 + self.df)) + 1.0).astype(np.float32)
