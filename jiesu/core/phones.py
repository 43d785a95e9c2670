"""The one rule for a requester's phone number, for every way an order comes in.

A call-taker or an app client writes a number the way it is said or printed: "138 0000 1111",
"138.0000.1111", "010-6512-3456", "(010) 65123456", "+86 138 0000 1111". Any of these is the
same number: the separators (space, dot, hyphen, brackets, plus) are dropped and the digits
kept (`jiesu.core.crypto.normalise_phone`, which also drops a leading 86 of a 13-digit number).
What is left must be 7 to 12 digits: a fixed line without or with its area code, or a mobile.
Anything else in the text (a letter, a slash, "转" for an extension) makes it no phone number:
the writer is asked to correct it rather than have the digits silently picked out of it.

The orders service checks it (`orders.services.validate_intake`: the console's intake form, the
REST API, Open311 and the public portal all go through it), and the REST API's serializer holds
to `PATTERN`, the same rule said as a regular expression so that its OpenAPI schema says it.
"""

from __future__ import annotations

import re

from jiesu.core import crypto

MESSAGE = "联系电话应为7至12位数字，例如13812345678或010-12345678。"
# An order taken by telephone or text message always has the number it came from.
REQUIRED_BY_CHANNELS = ("phone", "sms")
REQUIRED_MESSAGE = "电话和短信渠道必须记录联系电话。"

_SEP = "[-+.() ]*"
# 7 to 12 digits, or 8, 6 and 11 digits (+86 and a mobile), each digit optionally preceded by
# separators, and separators at the end. The separators are ASCII: a JSON client sends what its
# user typed in an ASCII field, and the console's field asks for a telephone keyboard.
PATTERN = f"^(?:(?:{_SEP}[0-9]){{7,12}}|{_SEP}8{_SEP}6(?:{_SEP}[0-9]){{11}}){_SEP}$"
_PHONE = re.compile(PATTERN)


def problem(raw: str) -> str | None:
    """The Chinese message when `raw` (not blank) is no phone number; None when it is one."""
    return None if _PHONE.fullmatch(raw) else MESSAGE


def digits(raw: str) -> str:
    """The number as stored and indexed: its digits only."""
    return crypto.normalise_phone(raw)
