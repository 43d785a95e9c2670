"""What every edge checks before input reaches a query or a row: characters and integers.

One place for the rules, used by every edge in its own error format:

- Text may not hold C0 control characters other than tab, line feed and carriage return, nor
  the code points XML 1.0 cannot carry (lone surrogates, U+FFFE, U+FFFF). PostgreSQL refuses
  NUL in text outright (a 500 if it gets that far), and the others are legal in a database but
  make every XML document that quotes them not well-formed (Open311's XML, for every partner).
  A vertical tab is what Word puts for a manual line break, so it does arrive by copy and paste.
- Integers are ASCII digits within stated bounds: `str.isdigit()` accepts '²' and `int()` then
  fails, and a page number past 2**63 overflows PostgreSQL's bigint in OFFSET.

The edges: `jiesu.core.middleware.InputGuard` (every URL and query string), the Open311 views
(their form bodies), Django form and DRF serializer text fields (`install_field_validators`),
the REST pagination and the handling API's `limit`. Output that may quote text stored before
these checks goes through `xml_text`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.core import validators as django_validators
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# C0 controls except TAB, LF, CR; UTF-16 surrogates (a JSON body can spell them as \ud800);
# the two non-characters XML 1.0 excludes.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_INTEGER = re.compile(r"[+-]?[0-9]{1,19}", re.ASCII)

MAX_BIGINT = 2**63 - 1  # PostgreSQL's bigint, the type of every primary key here

MESSAGE = "含有不允许的控制字符（U+{code:04X}），请删除后重试。"
INTEGER_MESSAGE = "须为{minimum}到{maximum}之间的整数。"


class InvalidInput(ValueError):
    """One bad parameter: its wire name and what is wrong with it, in Chinese."""

    def __init__(self, name: str, message: str):
        super().__init__(f"{name}：{message}")
        self.name = name
        self.message = message


def forbidden_character(value: str) -> str | None:
    """The first character no edge accepts, or None."""
    found = _FORBIDDEN.search(value)
    return found.group() if found else None


def character_message(char: str) -> str:
    return MESSAGE.format(code=ord(char))


def check_text(name: str, value: str) -> str:
    char = forbidden_character(value)
    if char is not None:
        raise InvalidInput(name, character_message(char))
    return value


def check_pairs(pairs: Iterable[tuple[str, str]]) -> None:
    """Names and values of a query string, a form body or URL parameters; the first bad one raises.

    A bad name is reported as itself, with the bad characters shown as code points, so that the
    error never repeats the character it refuses.
    """
    for name, value in pairs:
        char = forbidden_character(name)
        if char is not None:
            raise InvalidInput(_FORBIDDEN.sub(lambda m: f"U+{ord(m.group()):04X}", name), character_message(char))
        check_text(name, value)


def query_pairs(params) -> Iterable[tuple[str, str]]:
    """Every (name, value) of a QueryDict, repeated names included."""
    for name, values in params.lists():
        for value in values:
            yield name, value if isinstance(value, str) else ""


def parse_int(name: str, raw, *, default: int, minimum: int, maximum: int) -> int:
    """An optional integer parameter: absent or empty gives `default`, anything else must be in range."""
    text = "" if raw is None else str(raw).strip()
    if not text:
        return default
    if not _INTEGER.fullmatch(text) or not minimum <= int(text) <= maximum:
        raise InvalidInput(name, INTEGER_MESSAGE.format(minimum=minimum, maximum=maximum))
    return int(text)


def xml_text(value: str) -> str:
    """`value` without what XML 1.0 cannot carry, for text stored before input was checked.

    Vertical tab and form feed become line breaks (what they meant where they came from); the
    rest is dropped.
    """
    if forbidden_character(value) is None:
        return value
    return _FORBIDDEN.sub(lambda m: "\n" if m.group() in "\x0b\x0c" else "", value)


# --- Django forms and DRF serializers -----------------------------------------------------


@deconstructible
class ControlCharacterValidator:
    """A field validator with the message above; NUL is left to Django's and DRF's own validator.

    Both frameworks already append a ProhibitNullCharactersValidator to every CharField; checking
    NUL here too would show the same error twice.
    """

    code = "control_characters_not_allowed"

    def __call__(self, value) -> None:
        for text in _strings(value):
            char = forbidden_character(text.replace("\x00", ""))
            if char is not None:
                raise ValidationError(character_message(char), code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, ControlCharacterValidator)


def _strings(value):
    # forms.JSONField is a CharField whose cleaned value is a dict or list.
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def install_field_validators() -> None:
    """Make every text field of every form and serializer refuse control characters.

    Set as the CharField classes' default validators rather than field by field, so that a
    form written tomorrow (or the admin's model forms) cannot forget it; subclasses with their
    own defaults (EmailField, URLField, SlugField) already refuse them through their formats.
    Django's zh-hans text for NUL ("不允许是用空字符串") speaks of an empty string; ours names
    the character like every other refusal here.
    """
    from django import forms
    from rest_framework import serializers

    validator = ControlCharacterValidator()
    forms.CharField.default_validators = [validator]
    serializers.CharField.default_validators = [validator]
    django_validators.ProhibitNullCharactersValidator.message = MESSAGE.format(code=0)


# --- DRF query parameters -----------------------------------------------------------------


def query_int(params, name: str, *, default: int, minimum: int, maximum: int) -> int:
    """`parse_int` for a REST view: a 400 keyed by the parameter, as DRF reports fields."""
    from rest_framework.exceptions import ValidationError as ApiValidationError

    try:
        return parse_int(name, params.get(name), default=default, minimum=minimum, maximum=maximum)
    except InvalidInput as error:
        raise ApiValidationError({error.name: [error.message]}) from None


# --- Identities in text the centre writes (R8.3) ------------------------------------------

# Units' free text with an identity is refused (jiesu.handling.services._no_identities). What
# the centre writes to units, requesters or other bodies is checked the same way, but may have
# to name someone (a police referral, an answer to a third party): the writer is warned and may
# confirm by ticking a box the warning itself carries, then sending again.
CONFIRM_FIELD = "confirm_personal_data"
_request: ContextVar = ContextVar("jiesu_entry_request", default=None)


@contextmanager
def entry_request(request):
    """Make the request being served known to check_entry (InputGuard wraps every request)."""
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


def entry_confirmed() -> bool:
    request = _request.get()
    return bool(request is not None and request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "yes")


def confirm_message(label: str, found) -> str:
    from django.utils.html import format_html

    from . import redact

    return format_html(
        "{}中含有个人信息（{}）：将发给承办单位、诉求人或其他机关，如非必要请删除。如确需保留（例如移送公安机关），"
        '请勾选<label class="confirm-personal-data"><input type="checkbox" name="{}" value="yes"> '
        "确认保留个人信息</label>后再次提交。",
        label,
        redact.describe(found),
        CONFIRM_FIELD,
    )


def check_entry(fields: dict[str, tuple[str, str]], known=()) -> None:
    """Warn about identities in text the centre writes: `fields` maps field name to (label, text).
    Raises ValidationError unless the writer confirmed in this request (CONFIRM_FIELD)."""
    from . import redact

    errors = {}
    for name, (label, text) in fields.items():
        found = redact.find(text or "", known, precise=True)
        if found:
            errors[name] = [confirm_message(label, found)]
    if errors and not entry_confirmed():
        raise ValidationError(errors)
