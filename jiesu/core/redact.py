"""One redactor for every projection of an order that leaves the people who need identities
(R8.3): the public rating page, SMS texts and notification bodies, Open311, the neighbour
hotlines, and the API and console for roles that see requesters masked.

Free text (the request, a unit's reply, a contact note, an engine reason quoting the request)
is what people typed, so it can name the requester even where the requester fields are masked.
`redact` blanks the order's own requester (name, the name as 张先生, phone, ID number, and
whatever else the caller passes as `known`) and anything shaped like a Chinese mobile or
landline number, a resident ID number or an e-mail address. `find` is the same detector with
precise rules, for asking a writer to take identities out before they are stored: an
eight-digit number counts as a phone there only next to a word such as 电话, and an ID number
only with a plausible birth date, so a date or an amount does not stop a unit's reply.

jionlp (already a dependency) has phone, ID and e-mail extractors; they miss landlines written
without a separator (01062345678), Beijing's eight-digit local numbers and 15-digit ID numbers,
and a wrong check digit hides an ID from them, so the patterns are kept here, in one place.
Plain Python with no Django import: the engine's rule of importable, testable code applies.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

MASK = "***"

# Full-width digits, letters and signs (１３８, Ｘ, ＠, －) as their ASCII forms: one character for
# one, so offsets found in the translated text are offsets in the original.
_HALF_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

HONORIFICS = ("先生", "女士", "小姐", "师傅", "阿姨", "大爷", "大妈", "老师")

MOBILE, LANDLINE, ID_NUMBER, EMAIL = "mobile", "landline", "id_number", "email"
REQUESTER_NAME, REQUESTER_PHONE, REQUESTER_ID = "requester_name", "requester_phone", "requester_id_number"
REQUESTER_OTHER, REQUESTER_HONORIFIC = "requester_other", "requester_honorific"

# What the writer is told was found (UI text, Chinese).
LABELS = {
    MOBILE: "手机号码",
    LANDLINE: "电话号码",
    ID_NUMBER: "身份证号",
    EMAIL: "电子邮箱",
    REQUESTER_NAME: "诉求人姓名",
    REQUESTER_PHONE: "诉求人电话",
    REQUESTER_ID: "诉求人身份证号",
    REQUESTER_OTHER: "诉求人的联系方式",
    REQUESTER_HONORIFIC: "诉求人称呼",
}

_MOBILE = r"(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}(?!\d)"
_LANDLINE = r"(?<!\d)[(（]?0\d{2,3}[)）]?[-\s]?[2-9]\d{2,3}[-\s]?\d{4}(?!\d)"
# A Beijing number without its area code; not a run inside longer digits, a date (2026-11-30)
# or an amount (25000000元).
_LOCAL = r"(?<![\d-])[2-8]\d{3}[-\s]?\d{4}(?![\d\-元万亿米年月日])"
_ID = r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])"
_EMAIL = r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"

_SHAPES = re.compile(
    "|".join(
        f"(?P<{k}>{p})"
        for k, p in ((MOBILE, _MOBILE), (ID_NUMBER, _ID), ("local", _LOCAL), (LANDLINE, _LANDLINE), (EMAIL, _EMAIL))
    )
)
# Words that make an eight-digit number a phone number for the precise detector.
_PHONE_WORDS = re.compile(
    r"(?:电话|手机|座机|号码|致电|回电|拨打|tel|phone)(?:号码|号)?[：:\s]*(?:是|为)?[：:\s]*$", re.IGNORECASE
)


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str

    @property
    def label(self) -> str:
        return LABELS[self.kind]


def _plausible_id(digits: str) -> bool:
    """An ID number's birth date is a real-looking date: 18 digits YYYYMMDD, 15 digits YYMMDD."""
    if len(digits) == 18:
        year, month, day = digits[6:10], digits[10:12], digits[12:14]
        if not year.startswith(("18", "19", "20")):
            return False
    else:
        month, day = digits[8:10], digits[10:12]
    return 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def known_values(
    name: str = "", phone: str = "", id_number: str = "", other: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """(value, kind) pairs of one requester, longest first, for `find` and `redact`."""
    pairs = [(name, REQUESTER_NAME), (phone, REQUESTER_PHONE), (id_number, REQUESTER_ID)]
    if len(name) >= 2 and not name.isascii():
        # 张先生 names the requester as surely as 张三 does.
        pairs += [(name[0] + h, REQUESTER_HONORIFIC) for h in HONORIFICS]
    pairs += [(v, REQUESTER_OTHER) for v in other]
    seen: dict[str, str] = {}
    for value, kind in pairs:
        value = (value or "").strip()
        if len(value) >= 2 and value not in seen:
            seen[value] = kind
    return sorted(seen.items(), key=lambda p: len(p[0]), reverse=True)


def _known_pairs(known) -> list[tuple[str, str]]:
    pairs = []
    for item in known or ():
        value, kind = item if isinstance(item, tuple) else (item, REQUESTER_OTHER)
        if len(value) >= 2:
            pairs.append((value, kind))
    return sorted(pairs, key=lambda p: len(p[0]), reverse=True)


def find(text: str, known=(), *, precise: bool = False) -> list[Finding]:
    """Every identity in `text`, in order, overlaps merged (the first, longest one wins).

    `known` holds the requester's own values, as strings or as (value, kind) from known_values.
    `precise` is the detector for asking a writer at entry (fewer false alarms); without it,
    anything that may be an identity is found, which is right for masking on the way out.
    """
    if not text:
        return []
    spans: list[Finding] = []
    plain = text.translate(_HALF_WIDTH)
    for value, kind in _known_pairs(known):
        if precise and kind == REQUESTER_HONORIFIC:
            continue  # 已联系张先生 is how a polite reply reads: masked on the way out, not refused
        target = value.translate(_HALF_WIDTH)
        start = plain.find(target)
        while start != -1:
            spans.append(Finding(kind, start, start + len(target), text[start : start + len(target)]))
            start = plain.find(target, start + len(target))
    for match in _SHAPES.finditer(plain):
        kind = match.lastgroup
        start, end = match.span()
        if kind == "local":
            if precise and not _PHONE_WORDS.search(plain[max(0, start - 12) : start]):
                continue
            kind = LANDLINE
        elif kind == ID_NUMBER and precise and not _plausible_id(match.group()):
            continue
        spans.append(Finding(kind, start, end, text[start:end]))
    spans.sort(key=lambda f: (f.start, -(f.end - f.start)))
    merged: list[Finding] = []
    for span in spans:
        if merged and span.start < merged[-1].end:
            continue
        merged.append(span)
    return merged


def redact(text: str, known=()) -> str:
    """`text` with every identity `find` sees replaced by ***."""
    if not text:
        return text
    found = find(text, known)
    if not found:
        return text
    out, last = [], 0
    for f in found:
        out += [text[last : f.start], MASK]
        last = f.end
    out.append(text[last:])
    return "".join(out)


def describe(found: list[Finding]) -> str:
    """What was found, for a message to the writer: 手机号码、诉求人姓名."""
    labels: list[str] = []
    for f in found:
        if f.label not in labels:
            labels.append(f.label)
    return "、".join(labels)


def entry_message(field_label: str, found: list[Finding]) -> str:
    """The form error that asks the writer to take identities out of free text (R8.3)."""
    return (
        f"{field_label}中含有个人信息（{describe(found)}），请删除后再提交："
        f"诉求人的身份和联系方式已单独加密保存，写入办理记录后将无法更正或删除。"
    )


# A link that carries a bearer token: a rating link's path, or a token= query parameter.
_BEARER = re.compile(r"(/followup/rate/)[^/\s?#]+|([?&](?:token|key|api_key)=)[^&\s#]+", re.IGNORECASE)


def strip_bearer(text: str) -> str:
    """`text` with the secret part of any bearer link replaced (for logs)."""
    return _BEARER.sub(lambda m: (m.group(1) or m.group(2)) + MASK, text or "")


def scrub(text: str, known=()) -> str:
    """For text that is stored or logged rather than shown to one reader (notification bodies,
    SMS logs, delivery errors, log lines): no bearer link and no identity. Links first, so that
    masking digits inside a token cannot leave the rest of it behind."""
    return redact(strip_bearer(text), known)


@dataclass
class Redactor:
    """The redactor of one order for one reader, used by templates and serializers.

    `known` is the requester's values, or a function giving them, called at the first use (it
    decrypts). With `mask` False the text passes unchanged, but what it exposed is noted in
    `exposed`, so the caller records an identity read only when one really was shown.

    `originals` maps text as stored for searching (identities masked) to the text as typed,
    which is kept sealed (the order's request): unmasked readers get the text as typed.
    """

    known: Callable[[], list] | list = field(default_factory=list)
    mask: bool = True
    exposed: set[str] = field(default_factory=set)
    originals: Callable[[], dict] | dict = field(default_factory=dict)

    def _known(self) -> list:
        if callable(self.known):
            self.known = self.known()
        return self.known

    def _original(self, value: str) -> str:
        if callable(self.originals):
            self.originals = self.originals()
        return self.originals.get(value, value)

    def text(self, value):
        if not isinstance(value, str) or not value:
            return value
        if self.mask:
            return redact(value, self._known())
        value = self._original(value)
        self.exposed.update(f.kind for f in find(value, self._known()))
        return value

    def data(self, value):
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.data(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.data(v) for v in value]
        return value
