"""Reading GeoReport v2 parameters from a query string or a form body.

Every reader follows the spec's optional-argument rule: an empty parameter behaves exactly
like an absent one. Every failure is a 400 naming the parameter.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.http import QueryDict
from django.utils import timezone

from jiesu.core import crypto, validation

from .errors import bad_request

MAX_WINDOW = timedelta(days=90)  # spec: the date range may not exceed 90 days; the default is the last 90 days
MAX_PAGE_SIZE = 1000  # spec: by default at most 1,000 requests
# Pages of updates over 90 days of a busy hotline run to tens of thousands; the bound keeps the
# offset (page - 1) * page_size well inside a bigint.
MAX_PAGE = 1_000_000


def text(params: QueryDict, name: str) -> str:
    return (params.get(name) or "").strip()


def comma_list(params: QueryDict, name: str, *, limit: int = 1000) -> list[str]:
    items = list(dict.fromkeys(x.strip() for x in text(params, name).split(",") if x.strip()))
    if len(items) > limit:
        raise bad_request(f"{name}：最多{limit}项。")
    return items


def when(params: QueryDict, name: str) -> datetime | None:
    """A W3C/ISO-8601 datetime; one without a zone is read as Beijing time, the jurisdiction's own."""
    raw = text(params, name)
    if not raw:
        return None
    if "T" in raw:
        # An unescaped "+08:00" in a query string arrives as " 08:00".
        raw = raw.replace("Z", "+00:00").replace(" ", "+")
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise bad_request(f"{name}：不是有效的 ISO 8601 时间（例如 2026-01-05T08:00:00+08:00）。") from None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def positive_int(params: QueryDict, name: str, default: int, *, maximum: int = MAX_PAGE) -> int:
    try:
        return validation.parse_int(name, params.get(name), default=default, minimum=1, maximum=maximum)
    except validation.InvalidInput as error:
        raise bad_request(str(error)) from None


def flag(params: QueryDict, name: str) -> bool:
    return text(params, name).lower() in {"true", "1", "yes"}


def date_window(params: QueryDict, *, default_when_absent: bool = True) -> tuple[datetime | None, datetime | None]:
    """start_date/end_date with the spec's defaults: the last 90 days, never a longer range."""
    start, end = when(params, "start_date"), when(params, "end_date")
    if start is None and end is None and not default_when_absent:
        return None, None
    if start and end and end < start:
        raise bad_request("end_date 不能早于 start_date。")
    if start and end and end - start > MAX_WINDOW:
        raise bad_request("start_date 与 end_date 的间隔不能超过90天。")
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - MAX_WINDOW
    if end is None:
        end = start + MAX_WINDOW
    return start, end


@dataclass(frozen=True)
class RequestQuery:
    """GET requests: the spec's filters plus the page/page_size, updated_* and extensions extensions."""

    ids: list[str]
    service_codes: list[str]
    statuses: list[str]
    start: datetime | None
    end: datetime | None
    updated_after: datetime | None
    updated_before: datetime | None
    page: int
    page_size: int
    extensions: bool

    @classmethod
    def parse(cls, params: QueryDict) -> RequestQuery:
        statuses = [s.lower() for s in comma_list(params, "status")]
        unknown = sorted(set(statuses) - {"open", "closed"})
        if unknown:
            raise bad_request(f"status：只能是 open 或 closed，收到 {','.join(unknown)}。")
        updated_after, updated_before = when(params, "updated_after"), when(params, "updated_before")
        # A change feed (v2.1 draft) reaches back past 90 days: the default window on
        # requested_datetime applies only when the client asked for no updated_* range.
        start, end = date_window(params, default_when_absent=updated_after is None and updated_before is None)
        return cls(
            ids=comma_list(params, "service_request_id"),
            service_codes=comma_list(params, "service_code"),
            statuses=statuses,
            start=start,
            end=end,
            updated_after=updated_after,
            updated_before=updated_before,
            page=positive_int(params, "page", 1),
            page_size=positive_int(params, "page_size", MAX_PAGE_SIZE, maximum=MAX_PAGE_SIZE),
            extensions=flag(params, "extensions"),
        )


ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")


@dataclass
class RequestPost:
    """POST requests, as sent; semantic checks (does the service exist?) are the service's job."""

    service_code: str
    lat: Decimal | None
    long: Decimal | None
    address_string: str
    address_id: str
    description: str
    media_url: str
    first_name: str
    last_name: str
    phone: str
    email: str
    device_id: str
    account_id: str
    attributes: dict[str, list[str]] = field(default_factory=dict)
    fingerprint: str = ""

    @classmethod
    def parse(cls, params: QueryDict, *, media=()) -> RequestPost:
        service_code = text(params, "service_code")
        if not service_code:
            raise bad_request("缺少参数 service_code。")
        lat, long = _coordinate(params, "lat", 90), _coordinate(params, "long", 180)
        if (lat is None) != (long is None):
            raise bad_request("lat 与 long 须同时提供。")
        attributes: dict[str, list[str]] = {}
        for key in params:
            match = ATTRIBUTE_KEY.match(key)
            if match:
                values = [v.strip() for v in params.getlist(key) if v.strip()]
                if values:
                    attributes.setdefault(match.group(1), []).extend(values)
        return cls(
            service_code=service_code,
            lat=lat,
            long=long,
            address_string=text(params, "address_string"),
            address_id=text(params, "address_id"),
            # Line breaks are allowed in a description, so only the ends are trimmed.
            description=(params.get("description") or "").strip(),
            media_url=text(params, "media_url"),
            first_name=text(params, "first_name"),
            last_name=text(params, "last_name"),
            phone=text(params, "phone"),
            email=text(params, "email"),
            device_id=text(params, "device_id"),
            account_id=text(params, "account_id"),
            attributes=attributes,
            fingerprint=fingerprint(params, media=media),
        )


def fingerprint(params: QueryDict, *, media=()) -> str:
    """A keyed digest of everything a POST said except the key, to recognise a client's retry
    of it (the body holds the requester's phone and name: a plain hash could be guessed back).
    Uploaded files count by their bytes: the same report with another photo is a new report."""
    sent = sorted((name, params.getlist(name)) for name in params if name != "api_key")
    if media:
        sent.append(("media[]", [_file_digest(f) for f in media]))
    return crypto.keyed_digest(json.dumps(sent, ensure_ascii=False))


def _coordinate(params: QueryDict, name: str, bound: int) -> Decimal | None:
    raw = text(params, name)
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise bad_request(f"{name}：须为WGS84十进制度数。") from None
    if not value.is_finite() or abs(value) > bound:
        raise bad_request(f"{name}：须在-{bound}到{bound}之间。")
    return value.quantize(Decimal("0.000001"))


def _file_digest(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
