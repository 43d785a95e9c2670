"""Writes of the Open311 server: API clients and their keys, rate limits, new requests (R2.1, R21.1)."""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from jiesu.core import crypto, roles
from jiesu.directory.models import Place, Unit, User
from jiesu.intake.services import take_request
from jiesu.orders import services as order_services

from . import selectors
from .errors import Open311Error, bad_request
from .models import LIST_DATATYPES, ApiClient, ServiceAttribute, Submission
from .params import RequestPost

# Where an order's fields come from on the wire, to name the parameter in a 400.
WIRE_NAMES = {
    "content": "description",
    "requester_phone": "phone",
    "requester_name": "first_name/last_name",
    "location_text": "address_string",
    "latitude": "lat",
    "longitude": "long",
}
# GeoReport v2 has no kind: the engine reads it from the text. When the engine fails (it never
# should, but a request must never be lost for it): an Open311 request is someone asking for a
# service, i.e. 求助.
FALLBACK_KIND = "help"
# How long a repeated POST counts as a retry of the first (seconds). FixMyStreet retries a
# failed send for hours, so minutes would not do; a day of the same body from the same client
# is a retry, not news.


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# --- clients and keys -------------------------------------------------------------------


@transaction.atomic
def create_client(client: ApiClient) -> str:
    """Save a new client with its own service user; return the key, which is shown only now.

    The service user is a call-taker of the centre because POSTed requests are intake, and
    intake is what call-takers may do; it has no usable password, so nobody signs in as it.
    """
    user = User(
        username=f"open311-{secrets.token_hex(5)}",
        role=roles.CALL_TAKER,
        unit=Unit.objects.get(code="centre"),
        display_name=f"Open311：{client.name}"[:50],
    )
    user.set_unusable_password()
    user.save()
    client.user = user
    raw = _assign_key(client)
    client.save()
    return raw


def _assign_key(client: ApiClient) -> str:
    raw = secrets.token_urlsafe(32)
    client.key_hash, client.key_prefix = hash_key(raw), raw[:8]
    return raw


@transaction.atomic
def rotate_key(client: ApiClient) -> str:
    """A new key for the client; the old one stops working at once."""
    raw = _assign_key(client)
    client.save(update_fields=["key_hash", "key_prefix"])
    return raw


@transaction.atomic
def revoke_client(client: ApiClient) -> None:
    """Revocation is final: the key stops working and the service user can do nothing more.

    The client row stays (its orders point at it); a partner that comes back gets a new client.
    """
    client.active = False
    client.revoked_at = client.revoked_at or timezone.now()
    client.save(update_fields=["active", "revoked_at"])
    User.objects.filter(pk=client.user_id).update(is_active=False)


def authenticate(raw_key: str) -> ApiClient:
    if not raw_key:
        raise Open311Error(403, "缺少 api_key。")
    client = ApiClient.objects.select_related("user").filter(key_hash=hash_key(raw_key), active=True).first()
    if client is None:
        raise Open311Error(403, "api_key 无效或已吊销。")
    return client


def check_rate(client: ApiClient) -> None:
    """Allow `rate_limit_per_minute` calls per client per clock minute.

    The counter lives in Django's cache. Without JIESU_CACHE_URL that is LocMemCache, one per
    process, so N workers allow up to N times the limit; with it (Redis) all workers share one
    counter.
    """
    now = time.time()
    window = int(now // 60)
    key = f"open311:rate:{client.pk}:{window}"
    if cache.add(key, 1, timeout=120):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=120)
            count = 1
    if count > client.rate_limit_per_minute:
        retry = max(1, int(60 - now % 60))
        raise Open311Error(
            429,
            f"请求过于频繁：每分钟最多{client.rate_limit_per_minute}次，请{retry}秒后重试。",
            headers={"Retry-After": str(retry)},
        )


# --- POST requests ----------------------------------------------------------------------


def submit_request(client: ApiClient, post: RequestPost, *, media=()) -> Submission:
    """Turn an Open311 POST into a real work order, the way intake does (R2.1, R10.1).

    The order, the engine's decision and the Submission are written in one transaction by
    intake.services.take_request, the path every channel takes, so a rejected request writes
    nothing and an engine failure leaves the order received for a dispatcher.

    GeoReport v2 has no idempotency key, and a client that lost the answer (a timeout, a
    dropped connection) sends the same POST again: the same client sending the same body
    within JIESU_OPEN311_RETRY_WINDOW gets the first submission back (`replayed`), not a
    second order. A genuinely new report differs in something (FixMyStreet sends its own
    report id as attribute[fixmystreet_id]).
    """
    matter = selectors.service(post.service_code)
    answers, answer_lines = _check_attributes(matter, post.attributes)
    place = _place(post.address_id)
    if post.lat is None and not post.address_string and place is None:
        raise bad_request("缺少位置：请提供 lat 和 long、address_string 或 address_id 之一。")
    description = strip_tags(post.description)  # spec: no HTML
    if len(description) > 4000:
        raise bad_request(f"description 最多4000字，当前{len(description)}字。")
    if post.media_url:
        try:
            URLValidator(schemes=["http", "https"])(post.media_url)
        except ValidationError:
            raise bad_request("media_url 须为 http 或 https 链接。") from None
        if len(post.media_url) > 1000:
            raise bad_request("media_url 最多1000个字符。")
    for name in ("email", "device_id", "account_id"):
        if len(getattr(post, name)) > 200:
            raise bad_request(f"{name} 最多200个字符。")
    media = list(media)
    try:
        order_services.check_uploads(media, field="media")
    except ValidationError as exc:
        raise bad_request("media：" + "；".join(exc.message_dict["media"])) from None

    location = post.address_string or (_place_label(place) if place else "")
    # The spec makes description optional, an order needs a content: without words, the
    # service the requester picked is what they said.
    content = "\n".join(x for x in (description or f"反映{matter.level2}问题：{matter.name}", *answer_lines) if x)
    data = order_services.IntakeData(
        channel="api",
        kind=FALLBACK_KIND,  # the engine reads the kind from the text; this one if it cannot
        content=content,
        requester_name=_full_name(post.first_name, post.last_name),
        requester_phone=post.phone,
        location_text=location,
        latitude=post.lat,
        longitude=post.long,
        attachments=media,
    )
    try:
        with transaction.atomic():
            # One client's POSTs one at a time from here: of two copies sent at once, the
            # second waits for the first to commit and then finds it.
            ApiClient.objects.select_for_update().filter(pk=client.pk).exists()
            earlier = _earlier_submission(client, post)
            if earlier is not None:
                return earlier
            # The service the client chose is the requester's own classification: the engine weighs it.
            order = take_request(data, actor=client.user, matter_hint=matter.code, fallback_kind=FALLBACK_KIND)
            return Submission.objects.create(
                order=order,
                client=client,
                service_code=matter.code,
                attributes=answers,
                media_url=post.media_url,
                address_id=place.code if place else "",
                email_enc=crypto.encrypt(post.email),
                device_id_enc=crypto.encrypt(post.device_id),
                account_id_enc=crypto.encrypt(post.account_id),
                request_hash=post.fingerprint,
            )
    except ValidationError as exc:
        raise bad_request(_wire_errors(exc)) from None


def _earlier_submission(client: ApiClient, post: RequestPost) -> Submission | None:
    if not post.fingerprint:
        return None
    window = timedelta(seconds=settings.JIESU_OPEN311_RETRY_WINDOW)
    earlier = (
        Submission.objects.select_related("order", "order__lead_unit")
        .filter(client=client, request_hash=post.fingerprint, created_at__gte=timezone.now() - window)
        .order_by("created_at")
        .first()
    )
    if earlier is not None:
        earlier.replayed = True
    return earlier


def _check_attributes(matter, sent: dict[str, list[str]]) -> tuple[dict[str, list[str]], list[str]]:
    """Validate answers against the service definition; return them and lines for the content.

    Codes the definition does not know are kept (FixMyStreet sends attribute[fixmystreet_id]
    as a cross-reference) but go neither into the content nor into public output.
    """
    answers: dict[str, list[str]] = {}
    lines: list[str] = []
    defined = {a.code: a for a in selectors.attributes_of(matter)}
    for code, attribute in defined.items():
        values = sent.get(code, []) if attribute.variable else []
        if attribute.required and not values:
            raise bad_request(f"缺少必填项 attribute[{code}]（{attribute.description}）。")
        if not values:
            continue
        _check_values(attribute, values)
        answers[code] = values
        options = {v.key: v.name for v in attribute.values.all()}
        lines.append(f"{attribute.description}：{'、'.join(options.get(v, v) for v in values)}")
    extras = {code: [v[:200] for v in values[:10]] for code, values in sent.items() if code not in defined}
    if len(extras) > 20:
        raise bad_request("attribute 参数过多。")
    return {**answers, **extras}, lines


def _check_values(attribute: ServiceAttribute, values: list[str]) -> None:
    name = f"attribute[{attribute.code}]"
    if attribute.datatype != "multivaluelist" and len(values) > 1:
        raise bad_request(f"{name} 只能有一个值。")
    if attribute.datatype in LIST_DATATYPES:
        keys = {v.key for v in attribute.values.all()}
        unknown = [v for v in values if v not in keys]
        if unknown:
            raise bad_request(f"{name} 的取值 {','.join(unknown)} 不在选项中（可选：{','.join(sorted(keys))}）。")
    elif attribute.datatype == "number":
        try:
            float(values[0])
        except ValueError:
            raise bad_request(f"{name} 须为数字。") from None
    elif attribute.datatype == "datetime":
        try:
            datetime.fromisoformat(values[0].replace("Z", "+00:00"))
        except ValueError:
            raise bad_request(f"{name} 须为 ISO 8601 时间。") from None
    limit = 4000 if attribute.datatype == "text" else 200
    if any(len(v) > limit for v in values):
        raise bad_request(f"{name} 最多{limit}个字符。")


def _place(address_id: str) -> Place | None:
    """address_id is a code of our administrative-division table (区/街道/社区)."""
    if not address_id:
        return None
    place = Place.objects.select_related("parent", "parent__parent").filter(code=address_id, active=True).first()
    if place is None:
        raise bad_request(f"address_id {address_id} 不是有效的地区编码。")
    return place


def _place_label(place: Place) -> str:
    chain, node = [], place
    while node is not None:
        chain.append(node.name)
        node = node.parent
    return "".join(reversed(chain))


def _full_name(first: str, last: str) -> str:
    # Chinese names are written family name first, Latin ones given name first.
    if (first + last).isascii():
        return " ".join(x for x in (first, last) if x)
    return f"{last}{first}"


def _wire_errors(exc: ValidationError) -> str:
    if not hasattr(exc, "error_dict"):
        return "；".join(exc.messages)
    return "；".join(
        f"{WIRE_NAMES.get(field, field)}：{'、'.join(messages)}" for field, messages in exc.message_dict.items()
    )
