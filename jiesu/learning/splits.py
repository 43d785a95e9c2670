"""Deterministic splits on the text itself.

The validation side and the cross-fitting fold follow from a hash of the text's near-copy keys,
so every retraining holds out the same rows, duplicates stay on one side, and a new model can be
compared with the active one on rows neither was trained on.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib

from .featurizing import Doc
from .segmenting import normalise

_NOT_CJK = re.compile(r"[^\u3400-\u9fff]+")
# Function characters that exports with stop words removed drop and raw text keeps; ignoring
# them lets a raw message and its tokenised copy produce the same shingles.
_FUNCTION_CHARS = re.compile("[的了是在和有我也就都而及与着或被把对等你他她它们这那之其为从向于吗呢吧啊]")
N_BANDS = 8
# A supplementary row counts as a near copy of a validation row when this many of the
# N_BANDS keys agree with that same row (MinHash: expected share = Jaccard similarity).
NEAR_COPY_BANDS = 3


def doc_keys(doc: Doc, bands: int = N_BANDS) -> tuple[int, ...]:
    """Near-duplicate-tolerant keys (MinHash, one per band) over Chinese 3-character shingles
    of the first 120 content characters. The same complaint filed twice with other
    punctuation, numbers or a few words changed shares most keys."""
    text = "".join(doc.tokens) if doc.tokens is not None else doc.text
    cjk = _FUNCTION_CHARS.sub("", _NOT_CJK.sub("", unicodedata.normalize("NFKC", text or "")))[:120]
    if len(cjk) < 3:
        k = zlib.crc32(normalise(text).encode("utf-8"))
        return (k,) * bands
    shingles = [cjk[i : i + 3].encode("utf-8") for i in range(len(cjk) - 2)]
    return tuple(min(zlib.crc32(sh, band * 0x9E3779B1 & 0xFFFFFFFF) for sh in shingles) for band in range(bands))


def is_validation(doc: Doc, fraction: float, salt: str = "jiesu-learning-v1") -> bool:
    """Deterministic split on the text itself: the same message is always on the same side,
    in every retraining and in duplicate rows, so held-out figures stay held out."""
    if fraction <= 0 or doc.train_only:
        return False
    h = hashlib.blake2b(f"{salt}:{doc_keys(doc, 1)[0]}".encode(), digest_size=8).digest()
    return int.from_bytes(h, "big") / 2**64 < fraction


def crossfit_fold(keys: tuple[int, ...], folds: int, salt: str = "jiesu-crossfit-v1") -> int:
    """Fold of a row, from its first near-copy key: near copies always share a fold, so a
    row is never scored by a model trained on its twin."""
    h = hashlib.blake2b(f"{salt}:{keys[0]}".encode(), digest_size=8).digest()
    return int.from_bytes(h, "big") % folds
