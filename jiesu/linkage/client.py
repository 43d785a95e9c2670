"""A small Open311 GeoReport v2 client for the neighbours' servers (R21.1).

Bounded in every direction: a timeout per call, a maximum number of tries per hotline, and
exponential backoff between tries. What may be retried depends on whether a retry could
create a second order at the neighbour: GETs are retried on any transport failure, a POST
only when the request certainly did not arrive (the connection was never made) or the
server said it did not take it (429, 503). A POST that timed out after sending is reported,
not repeated: the dispatcher checks with the neighbour before trying again.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from xml.etree import ElementTree as ET

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError

from .models import NeighbourHotline

log = logging.getLogger(__name__)

USER_AGENT = "Jiesu-linkage/1 (Beijing 12345)"
# Statuses meaning "not taken, try later". 500 is left out for POST: the order may exist.
RETRY_POST = frozenset({429, 503})
RETRY_GET = frozenset({429, 500, 502, 503, 504})
MAX_BACKOFF = 10.0  # seconds; the longest pause between tries, so a dispatcher's screen never hangs long


class RemoteError(ValidationError):
    """A call to a neighbour that did not succeed; a ValidationError so forms show it as it is."""

    def __init__(self, message: str, *, status: int | None = None, tries: int = 1, detail: str = ""):
        super().__init__(message)
        self.status = status
        self.tries = tries
        self.detail = detail or message


class RemoteRefused(RemoteError):
    """The neighbour answered and said no (4xx with Open311 errors): nothing to retry."""


class RemoteUnavailable(RemoteError):
    """The neighbour could not be reached or failed (network, timeout, 5xx) after the retries."""


@dataclass
class Answer:
    document: object
    status: int
    tries: int


def backoff_seconds() -> float:
    return float(settings.JIESU_LINKAGE_BACKOFF_SECONDS)


def error_text(response: httpx.Response) -> str:
    """The spec's error list (JSON or XML) as one line; the raw body start if it is not one."""
    body = response.content[:20000]
    try:
        doc = json.loads(body.decode("utf-8"))
        if isinstance(doc, list):
            texts = [str(e.get("description") or e.get("code")) for e in doc if isinstance(e, dict)]
            if texts:
                return "；".join(texts)
    except (ValueError, UnicodeDecodeError):
        pass
    try:
        root = ET.fromstring(body)
        texts = [e.findtext("description") or e.findtext("code") or "" for e in root.iter("error")]
        if any(texts):
            return "；".join(t for t in texts if t)
    except ET.ParseError:
        pass
    return body.decode("utf-8", "replace").strip()[:300] or f"HTTP {response.status_code}"


def call(
    hotline: NeighbourHotline, method: str, resource: str, *, params: dict | None = None, data: dict | None = None
) -> Answer:
    """One Open311 call with the hotline's timeout and retry budget; JSON in, parsed JSON out."""
    url = hotline.endpoint(resource)
    post = method == "POST"
    retry_statuses = RETRY_POST if post else RETRY_GET
    attempts = max(1, hotline.max_attempts)
    name = hotline.unit.name
    last: RemoteError | None = None
    with httpx.Client(
        timeout=httpx.Timeout(hotline.timeout_seconds),
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
    ) as http:
        for attempt in range(1, attempts + 1):
            wait = min(backoff_seconds() * 2 ** (attempt - 1), MAX_BACKOFF)
            try:
                response = http.request(method, url, params=params, data=data)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                # Nothing reached the server: safe to try again, even for a POST.
                last = RemoteUnavailable(
                    f"无法连接{name}的接口：{exc.__class__.__name__}",
                    tries=attempt,
                    detail=str(exc) or exc.__class__.__name__,
                )
            except httpx.TransportError as exc:
                last = RemoteUnavailable(
                    f"{name}的接口无响应或连接中断：{exc.__class__.__name__}",
                    tries=attempt,
                    detail=str(exc) or exc.__class__.__name__,
                )
                if post:
                    # The request may have been taken; a second POST could create a duplicate.
                    last = RemoteUnavailable(
                        f"{name}的接口在接收后未及时答复（{exc.__class__.__name__}），对方可能已受理。"
                        f"请先与对方核实，再决定是否重新转出。",
                        tries=attempt,
                        detail=str(exc),
                    )
                    raise last from exc
            else:
                if 200 <= response.status_code < 300:
                    try:
                        return Answer(response.json(), response.status_code, attempt)
                    except ValueError:
                        raise RemoteUnavailable(
                            f"{name}的接口返回了无法解析的内容。",
                            status=response.status_code,
                            tries=attempt,
                            detail=response.text[:300],
                        ) from None
                text = error_text(response)
                if response.status_code in retry_statuses:
                    last = RemoteUnavailable(
                        f"{name}的接口暂时不可用（{response.status_code}）：{text}",
                        status=response.status_code,
                        tries=attempt,
                        detail=text,
                    )
                    retry_after = response.headers.get("Retry-After", "")
                    if retry_after.isdigit() and float(retry_after) > wait:
                        if float(retry_after) > MAX_BACKOFF:
                            break  # a long pause asked for: give up now, the dispatcher or the next run retries
                        wait = float(retry_after)
                elif 400 <= response.status_code < 500:
                    raise RemoteRefused(
                        f"{name}拒绝了请求（{response.status_code}）：{text}",
                        status=response.status_code,
                        tries=attempt,
                        detail=text,
                    )
                else:
                    raise RemoteUnavailable(
                        f"{name}的接口出错（{response.status_code}）：{text}",
                        status=response.status_code,
                        tries=attempt,
                        detail=text,
                    )
            if attempt < attempts:
                log.info("linkage %s %s failed (try %d/%d), retrying in %.1fs", method, url, attempt, attempts, wait)
                time.sleep(wait)
    assert last is not None
    raise last


def post_request(hotline: NeighbourHotline, form: dict) -> Answer:
    return call(hotline, "POST", "requests.json", data={**form, "api_key": hotline.api_key, **_jurisdiction(hotline)})


def get_requests(hotline: NeighbourHotline, ids: list[str]) -> list[dict]:
    # service_request_id overrides every other filter (spec), so old transfers are found too.
    answer = call(
        hotline, "GET", "requests.json", params={"service_request_id": ",".join(ids), **_jurisdiction(hotline)}
    )
    return [r for r in answer.document if isinstance(r, dict)] if isinstance(answer.document, list) else []


def get_token(hotline: NeighbourHotline, token: str) -> str:
    answer = call(hotline, "GET", f"tokens/{token}.json", params=_jurisdiction(hotline))
    rows = answer.document if isinstance(answer.document, list) else []
    return next(
        (str(r.get("service_request_id")) for r in rows if isinstance(r, dict) and r.get("service_request_id")), ""
    )


def get_updates(hotline: NeighbourHotline, *, start: str, end: str, page: int, page_size: int) -> list[dict]:
    answer = call(
        hotline,
        "GET",
        "servicerequestupdates.json",
        params={
            "api_key": hotline.api_key,
            "start_date": start,
            "end_date": end,
            "page": page,
            "page_size": page_size,
            **_jurisdiction(hotline),
        },
    )
    return [u for u in answer.document if isinstance(u, dict)] if isinstance(answer.document, list) else []


def _jurisdiction(hotline: NeighbourHotline) -> dict:
    return {"jurisdiction_id": hotline.jurisdiction_id} if hotline.jurisdiction_id else {}
