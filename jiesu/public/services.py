"""Everything the public face changes: SMS codes, portal requests, published cases (R8.1, R30.1).

A portal request is taken by intake.services.take_request, the path every channel shares, so
the same engine decides it. The portal acts through its own service user (a call-taker of the
centre without a usable password), as each Open311 client does, so every event says who wrote it.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from jiesu.core import crypto, roles
from jiesu.core.roles import DECIDER_ROLES as PUBLISHER_ROLES
from jiesu.directory.models import Unit, User
from jiesu.intake.services import take_request
from jiesu.notifications import services as notify
from jiesu.notifications import sms
from jiesu.orders import choices
from jiesu.orders import services as order_services
from jiesu.orders.models import EVENT_MARGIN, OrderEvent, WorkOrder

from .models import MonthTopics, PhoneChallenge, PortalRequest, PublishedCase

PORTAL_USERNAME = "public-portal"
# Kinds a citizen may send without a phone: nobody has to call back on a consultation or a
# suggestion, and a whistle-blower may stay unknown. Complaints and requests for help need
# the unit to contact the requester (R15.1).
ANONYMOUS_KINDS = frozenset({"consultation", "suggestion", "report"})
CODE_LIFETIME = timedelta(minutes=10)
CODE_GAP = timedelta(seconds=60)
CODES_PER_PHONE_HOUR = 5
CODES_PER_CLIENT_HOUR = 20
CODE_TRIES = 5
ANONYMOUS_PER_CLIENT_HOUR = 10
# Wrong look-ups allowed in an hour, per order number and per address: with the last four
# digits as the check, ten tries against one number succeed once in a thousand.
LOOKUP_FAILURES_PER_NUMBER = 10
LOOKUP_FAILURES_PER_CLIENT = 30
LOOKUP_WINDOW = 3600

# Never disclosed, even redacted: the requester asked for confidentiality, a whistle-blower
# must stay protected, and the engine found secrets or privacy in it.
NEVER_PUBLISHED_KINDS = frozenset({"report"})
PRIVACY_DISPOSITIONS = frozenset({"secret_privacy"})

_MOBILE = re.compile(r"1[3-9]\d{9}")


def _hash(*parts: str) -> str:
    return salted_hmac("jiesu.public", ":".join(parts)).hexdigest()


def client_key(ip: str | None) -> str:
    """The requesting address, keyed: throttles count by it without keeping the address."""
    return _hash("client", ip or "")


def check_mobile(phone: str, field: str = "phone") -> str:
    digits = crypto.normalise_phone(phone or "")
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not _MOBILE.fullmatch(digits):
        raise ValidationError({field: ["请填写11位手机号码，例如13812345678。"]})
    return digits


def portal_user() -> User:
    user = User.objects.filter(username=PORTAL_USERNAME).first()
    if user is None:
        user = User(
            username=PORTAL_USERNAME,
            role=roles.CALL_TAKER,
            display_name="网上门户",
            unit=Unit.objects.filter(code="centre").first(),
        )
        user.set_unusable_password()
        user.save()
    return user


# SMS codes ------------------------------------------------------------------------------------


def _issue(phone: str, *, purpose: str, client: str, order: WorkOrder | None, text: str) -> None:
    now = timezone.now()
    code = f"{secrets.randbelow(10**6):06d}"
    index = crypto.blind_index(phone)
    PhoneChallenge.objects.create(
        purpose=purpose,
        phone_index=index,
        order=order,
        client_hash=client,
        code_hash=_hash("code", index, code),
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    sms.get_backend().send(phone, text.format(code=code))


def _throttled(index: str, client: str) -> str | None:
    now = timezone.now()
    hour = PhoneChallenge.objects.filter(created_at__gte=now - timedelta(hours=1))
    if hour.filter(phone_index=index, created_at__gte=now - CODE_GAP).exists():
        return "验证码已发送，请60秒后再重新获取。"
    if hour.filter(phone_index=index).count() >= CODES_PER_PHONE_HOUR:
        return "该号码一小时内获取验证码次数过多，请稍后再试。"
    if hour.filter(client_hash=client).count() >= CODES_PER_CLIENT_HOUR:
        return "本机获取验证码次数过多，请稍后再试。"
    return None


def send_submit_code(phone: str, *, client: str) -> None:
    """Text a code to the phone a citizen typed on the portal form."""
    phone = check_mobile(phone)
    problem = _throttled(crypto.blind_index(phone), client)
    if problem:
        raise ValidationError({"phone": [problem]})
    _issue(
        phone,
        purpose=PhoneChallenge.SUBMIT,
        client=client,
        order=None,
        text="【12345】您的验证码是{code}，10分钟内有效，用于在网上提交诉求。请勿告诉他人。",
    )


def send_status_code(number: str, *, client: str) -> None:
    """Text a code to the phone registered on order `number`, if there is one.

    The caller says the same thing whatever happened here: whether the number exists, has a
    phone or is being throttled must not show (the page would answer who filed what)."""
    order = WorkOrder.objects.filter(number=number.strip()).first()
    if order is None or not order.requester_phone_index:
        return
    phone = order.requester_phone
    if not _MOBILE.fullmatch(phone) or _throttled(order.requester_phone_index, client):
        return
    _issue(
        phone,
        purpose=PhoneChallenge.STATUS,
        client=client,
        order=order,
        text="【12345】您的验证码是{code}，10分钟内有效，用于查询工单" + order.number + "的办理进度。",
    )


def _verify(index: str, code: str, *, purpose: str, order: WorkOrder | None = None) -> bool:
    now = timezone.now()
    qs = PhoneChallenge.objects.filter(phone_index=index, purpose=purpose, used_at__isnull=True, expires_at__gt=now)
    if order is not None:
        qs = qs.filter(order=order)
    challenge = qs.order_by("-created_at", "-id").first()
    if challenge is None or challenge.attempts >= CODE_TRIES:
        return False
    if not constant_time_compare(challenge.code_hash, _hash("code", index, (code or "").strip())):
        PhoneChallenge.objects.filter(pk=challenge.pk).update(attempts=F("attempts") + 1)
        return False
    # Used once: the update only succeeds for the request that got there first.
    return PhoneChallenge.objects.filter(pk=challenge.pk, used_at__isnull=True).update(used_at=now) == 1


# Portal requests ------------------------------------------------------------------------------


@dataclass
class PortalSubmission:
    kind: str
    content: str
    location_text: str = ""
    phone: str = ""
    code: str = ""
    anonymous: bool = False
    confidential: bool = False
    photos: list = field(default_factory=list)


def submit(data: PortalSubmission, *, client: str = "") -> tuple[WorkOrder, str]:
    """Take a portal request; return the order and, for an anonymous one, its query code
    (shown once: only its hash is kept)."""
    errors: dict[str, list[str]] = {}
    phone = ""
    if data.anonymous:
        if data.kind not in ANONYMOUS_KINDS:
            errors["anonymous"] = ["投诉和求助需要承办单位与您联系，请填写手机号码并验证，不能匿名提交。"]
        elif (
            PortalRequest.objects.filter(
                anonymous=True, client_hash=client, created_at__gte=timezone.now() - timedelta(hours=1)
            ).count()
            >= ANONYMOUS_PER_CLIENT_HOUR
        ):
            errors["anonymous"] = ["本机匿名提交次数过多，请稍后再试，或填写手机号码并验证后提交。"]
    else:
        try:
            phone = check_mobile(data.phone)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    intake = order_services.IntakeData(
        channel="web",
        kind=data.kind,
        content=data.content,
        location_text=data.location_text,
        requester_phone=phone,
        requester_confidential=data.confidential and not data.anonymous,
        attachments=list(data.photos),
    )
    for name, messages in order_services.validate_intake(intake).items():
        errors.setdefault({"requester_phone": "phone", "attachments": "photos"}.get(name, name), []).extend(messages)
    if errors:
        raise ValidationError(errors)
    # The code is spent only on an otherwise valid request: a typo in the text does not cost one.
    if not data.anonymous and not _verify(crypto.blind_index(phone), data.code, purpose=PhoneChallenge.SUBMIT):
        raise ValidationError({"code": ["短信验证码不正确或已过期，请重新获取。"]})
    order = take_request(intake, actor=portal_user())
    query_code = secrets.token_hex(4).upper() if data.anonymous else ""
    PortalRequest.objects.create(
        order=order,
        anonymous=data.anonymous,
        client_hash=client,
        query_code_hash=_hash("query", order.number, query_code) if query_code else "",
    )
    if phone:
        notify.notify_requester(
            order,
            kind="portal_received",
            title=f"您的诉求已受理，工单编号{order.number}",
            body="可在12345网站“办理进度查询”中凭工单编号和手机号码查询办理进度。",
        )
    return order, query_code


# Status look-up -------------------------------------------------------------------------------


class LookupThrottled(Exception):
    pass


def _throttle_cache():
    """The "shared" cache: Redis in production, the database cache otherwise, so a guesser
    spreading tries over every worker (and every server on one database) meets one count."""
    return caches["shared"]


def _count(key: str) -> int:
    return _throttle_cache().get(key, 0)


def _fail(*keys: str) -> None:
    cache = _throttle_cache()
    for key in keys:
        cache.add(key, 0, timeout=LOOKUP_WINDOW)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=LOOKUP_WINDOW)


def lookup(number: str, check: str, *, client: str) -> WorkOrder | None:
    """The order `number` if `check` proves the asker filed it (an SMS code, the last four
    digits of the phone, or an anonymous request's query code); None otherwise, the same
    None whether the number exists or not. Raises LookupThrottled after too many misses."""
    number, check = (number or "").strip(), (check or "").strip().upper()
    number_key = "public:lookup:n:" + _hash("number", number)
    client_key_ = "public:lookup:c:" + client
    if _count(number_key) >= LOOKUP_FAILURES_PER_NUMBER or _count(client_key_) >= LOOKUP_FAILURES_PER_CLIENT:
        raise LookupThrottled
    order = WorkOrder.objects.filter(number=number).first() if number else None
    if order is not None and _proves(order, check):
        return order
    _fail(number_key, client_key_)
    return None


def _proves(order: WorkOrder, check: str) -> bool:
    if re.fullmatch(r"\d{4}", check):
        phone = order.requester_phone
        return len(phone) >= 7 and constant_time_compare(phone[-4:], check)
    if re.fullmatch(r"\d{6}", check):
        return bool(order.requester_phone_index) and _verify(
            order.requester_phone_index, check, purpose=PhoneChallenge.STATUS, order=order
        )
    portal = PortalRequest.objects.filter(order=order, anonymous=True).first()
    return bool(portal and check and constant_time_compare(portal.query_code_hash, _hash("query", order.number, check)))


# Disclosure -----------------------------------------------------------------------------------


def unpublishable(order: WorkOrder) -> str | None:
    """Why `order` may not be disclosed, in Chinese; None when it may."""
    if order.requester_confidential:
        return "诉求人要求保密的工单不能公开。"
    if order.kind in NEVER_PUBLISHED_KINDS:
        return "举报类工单不能公开。"
    if order.history().filter(data__disposition__in=sorted(PRIVACY_DISPOSITIONS)).exists():
        return "涉及秘密或个人隐私的工单不能公开。"
    if order.status != choices.CLOSED or not order.replies.exists():
        return "只有已办结且有承办单位答复的工单可以公开。"
    return None


def _check_publisher(actor) -> None:
    if not roles.has_role(actor, PUBLISHER_ROLES):
        raise PermissionDenied("只有督办员或政务服务局管理员可以决定公开案例。")


def publish_case(order: WorkOrder, *, actor) -> PublishedCase:
    _check_publisher(actor)
    with transaction.atomic():
        order = WorkOrder.objects.select_for_update().get(pk=order.pk)
        problem = unpublishable(order)
        if problem:
            raise ValidationError({"order": [problem]})
        case = PublishedCase.objects.filter(order=order).first()
        now = timezone.now()
        if case is None:
            case = PublishedCase.objects.create(order=order, published_at=now, published_by=actor)
        elif case.withdrawn_at is None:
            raise ValidationError({"order": [f"工单{order.number}已经公开。"]})
        else:
            case.published_at, case.published_by, case.withdrawn_at, case.withdrawn_by = now, actor, None, None
            case.save()
        order_services.record_event(order, action="case_published", actor=actor, data={"case_id": case.pk})
    return case


def withdraw_case(case: PublishedCase, *, actor) -> PublishedCase:
    _check_publisher(actor)
    with transaction.atomic():
        case = PublishedCase.objects.select_for_update().select_related("order").get(pk=case.pk)
        if case.withdrawn_at is not None:
            raise ValidationError({"order": [f"工单{case.order.number}的案例已撤回。"]})
        case.withdrawn_at, case.withdrawn_by = timezone.now(), actor
        case.save(update_fields=["withdrawn_at", "withdrawn_by"])
        order_services.record_event(case.order, action="case_withdrawn", actor=actor, data={"case_id": case.pk})
    return case


def publish_demo_cases(actor, *, limit: int = 12) -> int:
    """The demo centre's disclosure page is not empty: the supervisor publishes the latest closed,
    replied, publishable orders through publish_case, as a person would on /public/cases/manage/."""
    published = 0
    candidates = (
        WorkOrder.objects.filter(status=choices.CLOSED, requester_confidential=False)
        .exclude(kind__in=sorted(NEVER_PUBLISHED_KINDS))
        .filter(replies__isnull=False)
        .filter(published_case__isnull=True)
        .order_by("-received_at", "-pk")
        .distinct()[: limit * 3]
    )
    for order in candidates:
        if published >= limit:
            break
        if unpublishable(order) is None:
            publish_case(order, actor=actor)
            published += 1
    return published


# Monthly topics -------------------------------------------------------------------------------

TOPICS_SHOWN = 10
# As the insight stage's own topic list: reports of one matter in one township within 30 days.
TOPIC_SETTINGS = dict(block_by_matter=True, block_by_place=True, window_days=30)


def _month_orders(start, end):
    """The month's orders whose words may inform a public report: no whistle-blowing reports,
    no confidential requesters, nothing the engine found to touch secrets or privacy."""
    return (
        WorkOrder.objects.filter(received_at__gte=start, received_at__lt=end, requester_confidential=False)
        .exclude(kind__in=sorted(NEVER_PUBLISHED_KINDS))
        .exclude(
            Exists(
                OrderEvent.objects.filter(
                    order=OuterRef("pk"),
                    data__disposition__in=sorted(PRIVACY_DISPOSITIONS),
                    at__gte=start - EVENT_MARGIN,  # the partitions from the month on (orders.models)
                )
            )
        )
    )


# Orders grouped at once: the blocks of one pass (see compute_month_topics).
TOPIC_BATCH = 4000


def _block_rows(qs, keys: list[tuple]) -> list[tuple]:
    """The rows of the given (township, district, matter) blocks, in one query per 200 blocks."""
    from functools import reduce
    from operator import or_

    from django.db.models import Q

    rows = []
    for i in range(0, len(keys), 200):
        chunk = keys[i : i + 200]
        where = reduce(or_, (Q(subdistrict_id=s, district_id=d, matter_code=m) for s, d, m, _n in chunk))
        rows += qs.filter(where).values_list(
            "pk",
            "content",
            "received_at",
            "matter_code",
            "subdistrict_id",
            "district_id",
            "district__name",
            "subdistrict__name",
            "community__name",
        )
    return rows


def compute_month_topics(month, start, end) -> MonthTopics:
    """Group the month's orders into topics with the insight stage's grouping and keep the
    biggest TOPICS_SHOWN as the report publishes them: an anonymised label, the number of
    orders, the communities (or townships) they came from, the matter.

    A topic never crosses a block (one township, one matter: TOPIC_SETTINGS), so it is never
    bigger than its block. Blocks are therefore grouped biggest first, a few thousand orders a
    pass, and the passes stop once no block left is bigger than the tenth topic found: a busy
    month costs the few crowded blocks, not the grouping of every order (bench/report_topics.py).
    """
    from collections import Counter

    from django.db.models import Count

    from jiesu.catalog.models import Matter
    from jiesu.insight import topics
    from jiesu.orders.selectors import public_redactor

    from . import anonymise

    orders = _month_orders(start, end)
    blocks = list(
        orders.values_list("subdistrict_id", "district_id", "matter_code")
        .annotate(n=Count("id"))
        .order_by("-n", "subdistrict_id", "district_id", "matter_code")
    )
    analysed = sum(b[3] for b in blocks)
    settings = topics.Settings(**TOPIC_SETTINGS)
    found: list[tuple[int, list]] = []  # (size, member rows) of the biggest topics so far
    i = 0
    while i < len(blocks):
        bar = found[TOPICS_SHOWN - 1][0] if len(found) >= TOPICS_SHOWN else settings.min_size - 1
        if blocks[i][3] <= bar:
            break  # no block left can hold a topic bigger than those kept
        batch, size = [], 0
        while i < len(blocks) and blocks[i][3] > bar and (not batch or size + blocks[i][3] <= TOPIC_BATCH):
            batch.append(blocks[i])
            size += blocks[i][3]
            i += 1
        rows = {r[0]: r for r in _block_rows(orders, batch)}
        messages = [
            topics.Message(id=str(pk), text=content, at=at, place=f"{township}-{district}", matter=matter)
            for pk, content, at, matter, township, district, *_names in rows.values()
        ]
        for t in topics.group(messages, settings):
            found.append((t.size, [rows[int(x)] for x in t.ids], int(t.label_id)))
        found.sort(key=lambda f: -f[0])
        del found[TOPICS_SHOWN:]
    names = dict(Matter.objects.values_list("code", "name"))
    label_orders = WorkOrder.objects.in_bulk([label_id for _, _, label_id in found])
    shown = []
    for size, members, label_id in found:
        places = Counter(
            "".join(p for p in (district, township, community) if p)
            for *_cols, district, township, community in members
            if district or township
        )
        matter = Counter(m[3] for m in members if m[3]).most_common(1)
        source = label_orders[label_id]
        shown.append(
            {
                "label": anonymise.label(public_redactor(source).text(source.content)),
                "size": size,
                "places": [name for name, _ in places.most_common(3)],
                "more_places": max(0, len(places) - 3),
                "matter": names.get(matter[0][0], "其他事项") if matter else "",
            }
        )
    record, _ = MonthTopics.objects.update_or_create(
        month=month, defaults={"computed_at": timezone.now(), "analysed": analysed, "topics": shown}
    )
    return record


def month_topics(month, start, end) -> MonthTopics:
    """The month's kept topics, for the report. Grouped here only when the month has none yet,
    or has only those of before its end (the hourly refresh_month_topics normally got there
    first); a running month's are brought up to date by that refresh, not by a reader."""
    record = MonthTopics.objects.filter(month=month).first()
    if record is not None and (record.computed_at >= end or timezone.now() < end):
        return record
    return compute_month_topics(month, start, end)


def refresh_month_topics(now=None) -> list:
    """Hourly (celery beat, `jiesu run-schedule`): group this month's orders again, and last
    month's once more after it ended, so that a reader of the report never waits for it."""
    from . import selectors

    now = now or timezone.now()
    this = timezone.localdate(now).replace(day=1)
    last = (this - timedelta(days=1)).replace(day=1)
    done = []
    for month in (last, this):
        start, end = selectors.month_bounds(month)
        kept = MonthTopics.objects.filter(month=month).first()
        if month == this or kept is None or kept.computed_at < end:
            done.append(compute_month_topics(month, start, end).month)
    return done
