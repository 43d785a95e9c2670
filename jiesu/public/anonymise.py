"""Labels for the public report's topics: a citizen's own sentence, with every person taken out.

The shared redactor (jiesu.core.redact, through public_redactor) blanks the requester's own
name, phone and ID number and anything shaped like a phone, ID or e-mail. A topic label goes
further, because the report is read by anyone and a sentence about a neighbourhood problem
often names other people ("物业经理王建国") or a home ("3号楼2单元501室"): person names found by
jieba's part-of-speech tagger, a surname with an honorific (王女士), and the building, entrance,
floor and room of an address are masked too. Estates, streets and communities stay: they say
where the problem is, and the report is about places, not people. Masking a word too many is
the acceptable error here; a name too few is not.
"""

from __future__ import annotations

import re

from jiesu.core.redact import HONORIFICS, MASK

_DIGIT = r"[0-9０-９一二三四五六七八九十百零〇两]"
_UNIT = r"(?:号楼|号院|栋|幢|单元|门洞|层|楼|室|户|号)"
# 3号楼2单元501室, 5栋1门302, 12-3-401: where a person lives, not where a problem is.
_HOME = re.compile(rf"{_DIGIT}+\s*{_UNIT}(?:\s*[-－]?\s*{_DIGIT}+\s*{_UNIT}?)*|\d+[-－]\d+(?:[-－]\d+)?")
_TITLED = re.compile(rf"[\u4e00-\u9fff](?:{'|'.join(HONORIFICS)})")
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
MAX_LABEL = 40


def person_names(text: str) -> list[str]:
    """Person names jieba tags (nr) in `text`; jieba's dictionary ships with the package."""
    import jieba.posseg

    return sorted(
        {w.word for w in jieba.posseg.cut(text) if w.flag == "nr" and len(w.word) >= 2}, key=len, reverse=True
    )


def label(text: str) -> str:
    """The first sentence of an already redacted text, without persons or homes, at most
    MAX_LABEL characters."""
    text = re.sub(r"\s+", " ", text or "").strip()
    first = _SENTENCE_END.split(text, maxsplit=1)[0].strip() or text
    for name in person_names(first):
        first = first.replace(name, MASK)
    first = _TITLED.sub(MASK, first)
    first = _HOME.sub(MASK, first)
    return first[:MAX_LABEL] + ("…" if len(first) > MAX_LABEL else "")
