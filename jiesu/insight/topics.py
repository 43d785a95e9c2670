"""Topics: reports of one problem grouped by text, place and time (R18.1, R24.1). Plain Python.

Hotline data repeats itself in two ways: the same caller (or a neighbour) files the same words
again, and many people describe one problem in their own words ("丽发新城搅拌站噪音" in forty
phrasings). Character n-grams catch both without a dictionary of estate names, which change
every month; jieba words are added so that a two-character word weighs as one feature.

Scaling: pairs are only ever compared inside a block (one place key, one time slice of
`window_days` with overlap), so the work grows with the size of the busiest block, never with
the square of the whole table. Inside a block a sparse product gives the pairs above
`link`; pairs that close join (connected components), and a loose chain is cut back by requiring
each member to be near the topic's centroid (`core`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from sklearn.preprocessing import normalize as l2_normalize

# Punctuation, spaces and long digit runs (phone numbers, dates, amounts) carry no topic; short
# codes do ("58车贷", "K9县").
_NOISE = re.compile(r"[\s_\-—/\\.,，。！？!?、；;：:“”\"'‘’（）()《》<>【】\[\]…~～·*#@%&+=|]+|\d{3,}")


@dataclass(frozen=True)
class Message:
    id: str
    text: str
    title: str = ""
    at: datetime | None = None
    place: str = ""  # the blocking key: a community, a township, or "" for none
    matter: str = ""


@dataclass
class Topic:
    id: int
    label: str
    ids: list[str]
    places: list[str]
    first: datetime | None
    last: datetime | None
    members: list[int] = field(default_factory=list, repr=False)
    label_id: str = ""  # the message the label was taken from (a caller redacts it with that message's identities)

    @property
    def size(self) -> int:
        return len(self.ids)

    def as_dict(self) -> dict:
        return {
            "topic": self.id,
            "label": self.label,
            "ids": self.ids,
            "size": self.size,
            "places": self.places,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
        }


@dataclass(frozen=True)
class Settings:
    link: float = 0.25  # cosine at which two reports are one problem
    core: float = 0.15  # a member's least cosine to its topic's centroid
    window_days: int = 180  # reports further apart than this are linked only through others
    min_size: int = 2  # smaller groups are not reported as topics
    block_by_place: bool = False  # True: never link across places (stored orders: community)
    block_by_matter: bool = False
    title_weight: int = 2  # a title says the problem in few words: count it more than once
    title_link: float = 0.5  # titles alone this close link too (0 turns it off)
    max_block: int = 5000  # a busier time slice is cut in two (more, shorter slices)


_SLAB = 1000  # rows of a block multiplied at once


def _clean(text: str) -> str:
    return _NOISE.sub(" ", text or "").strip()


def _documents(messages: Sequence[Message], title_weight: int) -> list[str]:
    return [" ".join([_clean(m.title)] * title_weight + [_clean(m.text)]) for m in messages]


_CHUNK = 50_000  # documents turned into n-gram keys at once: bounds the temporary arrays


def vectorise(messages: Sequence[Message], settings: Settings = Settings(), *, titles: bool = False):
    """Rows L2-normalised: a dot product is a cosine. `titles`: of the titles alone."""
    docs = [_clean(m.title) for m in messages] if titles else _documents(messages, settings.title_weight)
    # Boilerplate n-grams ("您好", "请问") are dropped by document frequency, but only where there
    # are enough documents for a fifth of them to mean boilerplate rather than one busy topic.
    return char_tfidf(docs, min_df=2, max_df=0.2 if len(docs) >= 500 else 1.0)


def char_tfidf(docs: Sequence[str], *, min_df: int = 2, max_df: float = 1.0) -> sparse.csr_matrix:
    """The matrix scikit-learn's TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3),
    sublinear_tf=True, min_df, max_df) gives, L2-normalised, float32, but built with numpy.

    Why not the vectorizer itself: its analyzer makes every n-gram a Python string and counts it
    in a dict, about 150 per order; over a million stored orders that alone took minutes. Here a
    chunk of documents becomes one array of code points, and each 2- or 3-gram one 63-bit
    integer (three 21-bit code points), so counting, the vocabulary and document frequencies are
    array operations. The n-grams are exactly char_wb's: each whitespace-separated word padded
    with one space on each side (a 3-gram never has a space in its middle)."""
    n_docs = len(docs)
    chunks, keys_seen = [], []
    for lo in range(0, n_docs, _CHUNK):
        counts, keys = _chunk_counts(docs[lo : lo + _CHUNK])
        chunks.append(counts)
        keys_seen.append(keys)
    vocab = np.unique(np.concatenate(keys_seen)) if keys_seen else np.empty(0, dtype=np.uint64)
    if not len(vocab):
        return sparse.csr_matrix((n_docs, 1), dtype=np.float32)
    parts = []
    for counts, keys in zip(chunks, keys_seen):
        # Chunk-local columns to global ones (vocab is sorted: a binary search per key).
        columns = np.searchsorted(vocab, keys)[counts.indices]
        parts.append(sparse.csr_matrix((counts.data, columns, counts.indptr), shape=(counts.shape[0], len(vocab))))
    x = sparse.vstack(parts, format="csr") if len(parts) > 1 else parts[0]
    df = np.bincount(x.indices, minlength=len(vocab))
    max_count = max_df * n_docs if isinstance(max_df, float) else max_df
    keep = (df >= min_df) & (df <= max_count)
    if not keep.any():  # every n-gram too rare (or too common): nothing can link
        return sparse.csr_matrix((n_docs, 1), dtype=np.float32)
    x = x[:, np.flatnonzero(keep)].tocsr()
    df = df[keep]
    x.data = (1.0 + np.log(x.data.astype(np.float64))).astype(np.float32)  # sublinear tf
    idf = (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)  # smooth idf
    x.data *= idf[x.indices]
    return l2_normalize(x).tocsr()


def _chunk_counts(docs: Sequence[str]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Counts of each document's char_wb 2- and 3-grams over the chunk's own sorted keys."""
    padded = [" " + " ".join(d.lower().split()) + " " if d and not d.isspace() else "" for d in docs]
    lengths = np.fromiter(map(len, padded), dtype=np.int64, count=len(padded))
    codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    row = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
    space = np.uint64(ord(" "))
    a, b, c = codes[:-2], codes[1:-1], codes[2:]
    same2 = row[:-1] == row[1:]
    same3 = (row[:-2] == row[2:]) & (b != space)
    # 2-grams tagged apart from 3-grams by the top bit (a code point needs 21 of the 63).
    k2 = (codes[:-1] << np.uint64(21) | codes[1:])[same2] | np.uint64(1 << 63)
    k3 = (a << np.uint64(42) | b << np.uint64(21) | c)[same3]
    keys = np.concatenate([k2, k3])
    rows = np.concatenate([row[:-1][same2], row[:-2][same3]])
    uniq, inverse = np.unique(keys, return_inverse=True)
    counts = sparse.csr_matrix(
        (np.ones(len(keys), dtype=np.float32), (rows, inverse.ravel())), shape=(len(docs), len(uniq))
    )
    counts.sum_duplicates()
    return counts, uniq


def _blocks(messages: Sequence[Message], settings: Settings) -> Iterable[list[int]]:
    """Index lists whose pairs are compared. Time slices of 2*window overlapping by one window:
    any two reports within `window_days` of each other share a slice."""
    by_key: dict[tuple, list[int]] = defaultdict(list)
    for i, m in enumerate(messages):
        key = (m.place if settings.block_by_place else "", m.matter if settings.block_by_matter else "")
        by_key[key].append(i)
    window = timedelta(days=settings.window_days)
    for members in by_key.values():
        timed = sorted((i for i in members if messages[i].at is not None), key=lambda i: messages[i].at)
        untimed = [i for i in members if messages[i].at is None]
        if untimed:
            yield untimed
        yield from _slices(messages, timed, window, settings.max_block)


def _slices(messages, timed: list[int], window: timedelta, max_block: int) -> Iterable[list[int]]:
    if not timed:
        return
    if len(timed) <= max_block and messages[timed[-1]].at - messages[timed[0]].at <= 2 * window:
        yield timed
        return
    times = [messages[i].at for i in timed]
    start = 0
    while start < len(timed):
        # Slices of two windows, stepping one window: each close pair is inside one of them.
        end = start
        limit = times[start] + 2 * window
        while end < len(timed) and times[end] <= limit:
            end += 1
        chunk = timed[start:end]
        if len(chunk) > max_block and window > timedelta(hours=1):
            yield from _slices(messages, chunk, window / 2, max_block)
        else:
            yield chunk
        if end >= len(timed):
            return
        step_to = times[start] + window
        nxt = start
        while nxt < len(timed) and times[nxt] <= step_to:
            nxt += 1
        start = max(nxt, start + 1)


_SMALL = 48  # blocks up to this size have their pairs listed and scored row by row
_PAIRS = 100_000  # pairs scored at once: bounds the two row selections in memory


def _link(
    x, messages, settings: Settings, stamps: np.ndarray, threshold: float, fresh_from: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs (as two index arrays) at or above `threshold` within `window_days`, block by block.
    `fresh_from`: only pairs with at least one member at or after this index (the messages before
    it were paired with each other by an earlier run; see `extend`).

    Most blocks are small (one matter in one township in two months is often a handful of
    orders): their pairs are listed (all pairs of each block, blocks of one size at once) and
    each pair's cosine is one sparse row product, so no work is spent on pairs across blocks.
    Larger blocks are multiplied in batches of about _SLAB rows, the pairs across blocks
    dropped. Either way only the close pairs are kept in memory."""
    window = settings.window_days * 86400.0
    rows, cols = [], []

    def keep(a: np.ndarray, b: np.ndarray) -> None:
        close = np.abs(stamps[a] - stamps[b]) <= window
        close |= np.isnan(stamps[a]) | np.isnan(stamps[b])
        rows.append(a[close])
        cols.append(b[close])

    def run(batch: list[list[int]]) -> None:
        idx = np.concatenate([np.asarray(b) for b in batch])
        block_of = np.repeat(np.arange(len(batch)), [len(b) for b in batch])
        sub = x[idx]
        sub_t = sub.T.tocsr()
        # Rows of fresh messages only: an old row's pairs with old columns are known already, and
        # its pairs with fresh columns are found from the fresh row's side.
        fresh_rows = np.flatnonzero(idx >= fresh_from)
        for lo in range(0, len(fresh_rows), _SLAB):
            rows_ = fresh_rows[lo : lo + _SLAB]
            sim = (sub[rows_] @ sub_t).tocoo()
            r = rows_[sim.row]
            a, b = idx[r], idx[sim.col]
            # A fresh-fresh pair once (a < b); a fresh-old pair from its fresh side.
            chosen = (
                ((a < b) | (b < fresh_from)) & (a != b) & (sim.data >= threshold) & (block_of[r] == block_of[sim.col])
            )
            keep(a[chosen], b[chosen])

    def score(a: np.ndarray, b: np.ndarray) -> None:
        for lo in range(0, len(a), _PAIRS):
            pa, pb = a[lo : lo + _PAIRS], b[lo : lo + _PAIRS]
            cos = np.asarray(x[pa].multiply(x[pb]).sum(axis=1)).ravel()
            chosen = cos >= threshold
            keep(pa[chosen], pb[chosen])

    small: dict[int, list[list[int]]] = defaultdict(list)
    batch: list[list[int]] = []
    size = 0
    for block in _blocks(messages, settings):
        if len(block) < 2:
            continue
        if len(block) <= _SMALL:
            small[len(block)].append(block)
            continue
        if size and size + len(block) > _SLAB:
            run(batch)
            batch, size = [], 0
        batch.append(block)
        size += len(block)
    if batch:
        run(batch)
    pa, pb = [], []
    for n, blocks in small.items():
        members = np.asarray(blocks, dtype=np.int64)  # one row per block of n members
        i, j = np.triu_indices(n, 1)
        pa.append(members[:, i].ravel())
        pb.append(members[:, j].ravel())
    if pa:
        a, b = np.concatenate(pa), np.concatenate(pb)
        # Scoring a pair costs two row copies: first drop pairs too far apart in time, and the
        # second copy of a pair two overlapping slices both hold.
        near = (np.abs(stamps[a] - stamps[b]) <= window) | np.isnan(stamps[a]) | np.isnan(stamps[b])
        near &= np.maximum(a, b) >= fresh_from
        lo, hi = np.minimum(a[near], b[near]), np.maximum(a[near], b[near])
        key = np.unique(lo * np.int64(x.shape[0]) + hi)
        score(key // x.shape[0], key % x.shape[0])
    if not rows:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(rows), np.concatenate(cols)


def _centroid_cosines(x, labels: np.ndarray) -> np.ndarray:
    """Each message's cosine to the centroid of its group (labels; -1: in none), for all groups
    in a few sparse products rather than a loop over groups."""
    cos = np.zeros(len(labels), dtype=np.float64)
    idx = np.flatnonzero(labels >= 0)
    if not len(idx):
        return cos
    k = int(labels.max()) + 1
    membership = sparse.csr_matrix((np.ones(len(idx), dtype=np.float32), (labels[idx], idx)), shape=(k, len(labels)))
    centroids = l2_normalize(membership @ x)
    cos[idx] = np.asarray(x[idx].multiply(centroids[labels[idx]]).sum(axis=1)).ravel()
    return cos


def _renumber(labels: np.ndarray, min_size: int) -> np.ndarray:
    """Groups smaller than `min_size` become -1; the rest are numbered 0..k-1."""
    out = np.full(len(labels), -1, dtype=np.int64)
    valid = labels >= 0
    if not valid.any():
        return out
    sizes = np.bincount(labels[valid])
    keep = np.flatnonzero(sizes >= min_size)
    new = np.full(len(sizes), -1, dtype=np.int64)
    new[keep] = np.arange(len(keep))
    out[valid] = new[labels[valid]]
    return out


def _tighten(x, labels: np.ndarray, settings: Settings) -> np.ndarray:
    """Cut the stragglers that chained in through one neighbour but share little with the rest.
    A pair stays a pair, and a group that would fall below two keeps everyone."""
    valid = labels >= 0
    if not valid.any():
        return labels
    cos = _centroid_cosines(x, labels)
    sizes = np.bincount(labels[valid])
    drop = np.zeros(len(labels), dtype=bool)
    drop[valid] = (cos[valid] < settings.core) & (sizes[labels[valid]] > 2)
    kept = np.bincount(labels[valid & ~drop], minlength=len(sizes))
    drop[valid] &= kept[labels[valid]] >= 2
    out = labels.copy()
    out[drop] = -1
    return out


def label_of(m: Message) -> str:
    """A member's title if it has one, else the start of its text: a real sentence, not a bag of n-grams."""
    text = re.sub(r"\s+", " ", (m.title or m.text or "").strip())
    return text[:40] + ("…" if len(text) > 40 else "")


def group(messages: Sequence[Message], settings: Settings = Settings()) -> list[Topic]:
    """Topics of at least `min_size` reports, biggest first; ids numbered from 1 in that order."""
    if not messages:
        return []
    x = vectorise(messages, settings)
    stamps = np.array([m.at.timestamp() if m.at is not None else np.nan for m in messages], dtype=np.float64)
    pairs = [_link(x, messages, settings, stamps, settings.link)]
    if settings.title_link and any(m.title for m in messages):
        # Titles are the caller's (or call-taker's) own summary: two close titles are one problem
        # even when the bodies wander off into each caller's story.
        t = vectorise(messages, settings, titles=True)
        if t.shape[1] > 1:
            pairs.append(_link(t, messages, settings, stamps, settings.title_link))
    a = np.concatenate([p[0] for p in pairs])
    b = np.concatenate([p[1] for p in pairs])
    n = len(messages)
    graph = sparse.coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, components = connected_components(graph, directed=False)
    labels = _renumber(_tighten(x, _renumber(components, settings.min_size), settings), settings.min_size)
    # The label: the member nearest its topic's centre.
    cos = _centroid_cosines(x, labels)
    members_of: dict[int, list[int]] = defaultdict(list)
    for i in np.flatnonzero(labels >= 0):
        members_of[int(labels[i])].append(int(i))
    clusters = sorted(members_of.values(), key=lambda c: (-len(c), min(_sort_time(messages[i]) for i in c)))
    topics = []
    for number, members in enumerate(clusters, start=1):
        times = [messages[i].at for i in members if messages[i].at is not None]
        places = [p for p, _ in Counter(messages[i].place for i in members if messages[i].place).most_common()]
        centre = messages[max(members, key=lambda i: cos[i])]
        topics.append(
            Topic(
                id=number,
                label=label_of(centre),
                ids=[messages[i].id for i in members],
                places=places,
                first=min(times) if times else None,
                last=max(times) if times else None,
                members=members,
                label_id=centre.id,
            )
        )
    return topics


def _sort_time(m: Message) -> float:
    return m.at.timestamp() if m.at is not None else float("inf")


# Incremental grouping (stored orders) --------------------------------------------------------


@dataclass
class Extension:
    """What one incremental run decided: the topic of each new message, and the earlier topics
    that a new message joined to another (old topic -> the topic it is now part of). A topic is
    named by the id of its first message, so a message that links to nothing is a topic of one,
    which a later message may still join."""

    topic_of: dict[str, str]
    merged: dict[str, str]


def _id_order(topic: str) -> tuple[int, str]:
    # Order ids are numbers: the smaller (older) one names a merged topic; text ids sort after.
    return (int(topic), "") if topic.isdigit() else (1 << 62, topic)


def extend(
    new: Sequence[Message], context: Sequence[Message], known: dict[str, str], settings: Settings = Settings()
) -> Extension:
    """Group `new` messages onto the topics of `context` (messages grouped before, within
    `window_days` of the new ones and in their blocks; `known` gives each one's topic).

    The same links as `group` (text and title cosines within the window, in blocks), but only the
    pairs with a new member are scored, so a run costs the new messages and their neighbourhood,
    not the whole history. The vocabulary and document frequencies are those of this
    neighbourhood, as the console's grouping of a period uses the period's. `group`'s centroid
    cut applies to the new members: each must be near its topic's centre as the window shows it.
    Merges are returned, not applied: the caller renames the merged topics' stored members."""
    if not new:
        return Extension({}, {})
    messages = list(context) + list(new)
    n_old = len(context)
    x = vectorise(messages, settings)
    stamps = np.array([m.at.timestamp() if m.at is not None else np.nan for m in messages], dtype=np.float64)
    pairs = [_link(x, messages, settings, stamps, settings.link, fresh_from=n_old)]
    if settings.title_link and any(m.title for m in new):
        t = vectorise(messages, settings, titles=True)
        if t.shape[1] > 1:
            pairs.append(_link(t, messages, settings, stamps, settings.title_link, fresh_from=n_old))
    node = [known.get(m.id, m.id) for m in context] + [m.id for m in new]
    parent: dict[str, str] = {}

    def find(v: str) -> str:
        root = v
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(v, v) != root:  # path compression
            parent[v], v = root, parent[v]
        return root

    def union(u: str, v: str) -> None:
        ru, rv = find(u), find(v)
        if ru != rv:
            first, second = sorted((ru, rv), key=_id_order)
            parent[second] = first

    a = np.concatenate([p[0] for p in pairs])
    b = np.concatenate([p[1] for p in pairs])
    edges = list(zip(a.tolist(), b.tolist()))
    for i, j in edges:
        union(node[i], node[j])
    # `group`'s centroid cut, for the new members: one that is near a single member but far from
    # its topic's centre (as the window shows the topic) stays apart, and the links it made are
    # undone, so it cannot chain two topics together either.
    roots = [find(v) for v in node]
    codes = {r: k for k, r in enumerate(dict.fromkeys(roots))}
    labels = np.array([codes[r] for r in roots], dtype=np.int64)
    sizes = np.bincount(labels)
    cos = _centroid_cosines(x, labels)
    far = np.flatnonzero((cos < settings.core) & (sizes[labels] > 2))
    dropped = {int(i) for i in far if i >= n_old}
    if dropped:
        parent.clear()
        for i, j in edges:
            if i not in dropped and j not in dropped:
                union(node[i], node[j])
    topic_of = {m.id: find(m.id) for m in new}
    olds = {node[i] for i in range(n_old)}
    merged = {t: find(t) for t in olds if find(t) != t}
    return Extension(topic_of, merged)
