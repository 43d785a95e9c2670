"""Read side of the public face: a requester's own order, published cases, monthly reports.

Everything here is for readers without a login. Free text leaves only through the one
redactor (jiesu.core.redact, via orders.selectors.public_redactor), and the public sentences of
an order's history are the Open311 projection's (open311.public.event_note), so the portal, the
rating page and Open311 say the same thing about the same order.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jiesu.assessment import selectors as assessment
from jiesu.catalog.models import Matter
from jiesu.followup.models import ReturnVisit
from jiesu.followup.selectors import latest_reply
from jiesu.followup.services import rating_url
from jiesu.open311 import public as open311_public
from jiesu.open311.selectors import public_events
from jiesu.orders import choices
from jiesu.orders.models import WorkOrder
from jiesu.orders.selectors import public_redactor

from . import services
from .models import PublishedCase


def status_view(order: WorkOrder, *, base_url: str = "") -> dict:
    """What the requester sees of their own order after proving it is theirs."""
    events = list(public_events().filter(order=order))
    hidden = open311_public.withheld(order, events)
    redactor = public_redactor(order)
    reply = latest_reply(order)
    visit = ReturnVisit.objects.filter(order=order, state="pending").order_by("-round").first()
    return {
        "order": order,
        "kind": order.get_kind_display(),
        "status": order.get_status_display(),
        "closed": order.status in open311_public.CLOSED_STATUSES,
        "unit": order.lead_unit.name if order.lead_unit_id else "",
        "notice": open311_public.service_notice(order),
        "response_due": order.response_due,
        "due_at": order.due_at,
        "content": redactor.text(order.content),
        "progress": [
            {"at": e.at, "text": redactor.text(open311_public.event_note(e, with_reply=True))} for e in events
        ],
        "reply": redactor.text(reply.public_text) if reply else "",
        "replied_at": reply.replied_at if reply else None,
        "reply_result": reply.get_result_display() if reply else "",
        "hidden": hidden,
        "rating_url": rating_url(visit, base_url) if visit else "",
    }


# Cases ---------------------------------------------------------------------------------------


def published_cases(query: str = "") -> QuerySet[PublishedCase]:
    """Cases on show, newest first. The publish rules are checked again here: an order that
    became confidential after publishing stops showing at once."""
    qs = (
        PublishedCase.objects.filter(withdrawn_at__isnull=True, order__requester_confidential=False)
        .exclude(order__kind__in=services.NEVER_PUBLISHED_KINDS)
        .exclude(order__events__data__disposition__in=sorted(services.PRIVACY_DISPOSITIONS))
        .select_related("order", "order__district", "order__subdistrict", "order__lead_unit")
    )
    query = (query or "").strip()
    if query:
        qs = qs.filter(
            Q(order__number__startswith=query)
            | Q(order__content__icontains=query)
            | Q(order__replies__public_text__icontains=query)
        ).distinct()
    return qs.order_by("-published_at", "-id")


def published_photos(order_ids) -> dict[int, list]:
    """The images the public may see, by order: those of orders on show as published cases
    (the centre's choice, checked again by published_cases), the citizen's and the unit's
    result photos alike, oldest first. One query for any number of orders."""
    from jiesu.orders.models import Attachment

    ids = list(order_ids)
    if not ids:
        return {}
    shown = published_cases().filter(order_id__in=ids).values("order_id")
    out: dict[int, list] = {}
    for attachment in (
        Attachment.objects.filter(order_id__in=shown, kind="image", erased_at=None)
        .select_related("order__published_case")
        .order_by("uploaded_at", "id")
    ):
        out.setdefault(attachment.order_id, []).append(attachment)
    return out


def published_photo(case_pk: int, attachment_pk: int):
    """One image of a case on show, or None: anything else (another order's file, a withdrawn
    or no longer publishable case, a recording or a document) is not there for the public."""
    case = published_cases().filter(pk=case_pk).first()
    if case is None:
        return None
    return next((a for a in published_photos([case.order_id]).get(case.order_id, []) if a.pk == attachment_pk), None)


def photo_path(attachment) -> str:
    from django.urls import reverse

    return reverse("public:case_photo", args=[attachment.order.published_case.pk, attachment.pk])


def matter_names(codes) -> dict[str, str]:
    return dict(Matter.objects.filter(code__in=set(codes)).values_list("code", "name"))


def case_view(case: PublishedCase, names: dict[str, str] | None = None, *, with_photos: bool = False) -> dict:
    order = case.order
    redactor = public_redactor(order)
    reply = latest_reply(order)
    names = names if names is not None else matter_names([order.matter_code])
    return {
        "case": case,
        "number": order.number,
        "kind": order.get_kind_display(),
        "matter": names.get(order.matter_code, ""),
        "place": open311_public.place_names(order),
        "received": order.received_at,
        "unit": reply.unit.name if reply else "",
        "content": redactor.text(order.content),
        "reply": redactor.text(reply.public_text) if reply else "",
        "replied_at": reply.replied_at if reply else None,
        "photos": [photo_path(a) for a in published_photos([order.pk]).get(order.pk, [])] if with_photos else [],
    }


def image_counts(order_ids) -> dict[int, int]:
    """Images per order, for the publisher: they go public with the case (served without EXIF)."""
    from jiesu.orders.models import Attachment

    return dict(
        Attachment.objects.filter(order_id__in=list(order_ids), kind="image")
        .values_list("order_id")
        .annotate(n=Count("id"))
        .values_list("order_id", "n")
    )


def case_candidates(query: str = "", *, state: str = "") -> QuerySet[WorkOrder]:
    """Closed orders with a reply that the rules allow to publish, for the centre's choice."""
    qs = (
        WorkOrder.objects.filter(status=choices.CLOSED, requester_confidential=False, replies__isnull=False)
        .exclude(kind__in=services.NEVER_PUBLISHED_KINDS)
        .exclude(events__data__disposition__in=sorted(services.PRIVACY_DISPOSITIONS))
        .select_related("district", "subdistrict", "lead_unit", "published_case")
        .distinct()
    )
    if state == "published":
        qs = qs.filter(published_case__isnull=False, published_case__withdrawn_at__isnull=True)
    elif state == "unpublished":
        qs = qs.filter(Q(published_case__isnull=True) | Q(published_case__withdrawn_at__isnull=False))
    query = (query or "").strip()
    if query:
        qs = qs.filter(number__startswith=query) if query[:1].isdigit() else qs.filter(content__icontains=query)
    return qs.order_by("-received_at", "-id")


# Monthly report ------------------------------------------------------------------------------


def parse_month(text: str) -> date | None:
    try:
        month = datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        return None
    return month if date(2000, 1, 1) <= month <= timezone.localdate().replace(day=1) else None


def last_month() -> date:
    first = timezone.localdate().replace(day=1)
    return (first - timezone.timedelta(days=1)).replace(day=1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    end_day = month.replace(day=calendar.monthrange(month.year, month.month)[1]) + timezone.timedelta(days=1)
    return (
        timezone.make_aware(datetime.combine(month, time.min), tz),
        timezone.make_aware(datetime.combine(end_day, time.min), tz),
    )


def _rate(value) -> float | None:
    return round(float(value) * 100, 1) if value is not None else None


def _scores(run, group: str) -> list[dict]:
    if run is None:
        return []
    return [
        {
            "rank": s.rank,
            "unit": s.unit.name,
            "response": _rate(s.response_rate),
            "resolution": _rate(s.resolution_rate),
            "satisfaction": _rate(s.satisfaction_rate),
            "score": float(s.score) if s.score is not None else None,
            "lines": s.lines,
        }
        for s in assessment.ranking(run, group)
    ]


def monthly_report(month: date) -> dict:
    """Volumes by channel, kind and matter; the three rates and rankings of districts and
    townships from the month's current assessment run (R31.1, R32.1)."""
    start, end = month_bounds(month)
    orders = WorkOrder.objects.filter(received_at__gte=start, received_at__lt=end)
    total = orders.count()
    channel_labels, kind_labels = dict(choices.CHANNELS), dict(choices.KINDS)
    by_channel = [
        {"label": str(channel_labels.get(c, c)), "n": n}
        for c, n in orders.values_list("channel").annotate(n=Count("id")).order_by("-n", "channel")
    ]
    by_kind = [
        {"label": str(kind_labels.get(k, k)), "n": n}
        for k, n in orders.values_list("kind").annotate(n=Count("id")).order_by("-n", "kind")
    ]
    matters = list(
        orders.exclude(matter_code="")
        .values_list("matter_code")
        .annotate(n=Count("id"))
        .order_by("-n", "matter_code")[:20]
    )
    names = matter_names(code for code, _ in matters)
    by_matter = [{"label": names.get(code, "其他事项"), "n": n} for code, n in matters]
    kept = services.month_topics(month, start, end)
    run = assessment.run_for(month)
    districts, townships = _scores(run, "district"), _scores(run, "township")
    summary = {g["group"]: g for g in assessment.group_summary(run)} if run else {}
    # The districts' averages when districts were assessed, else the townships'.
    headline = summary.get("district") or summary.get("township")
    overall = {
        key: _rate(headline[field]) if headline else None
        for key, field in (("response", "resp"), ("resolution", "res"), ("satisfaction", "sat"))
    }
    return {
        "month": month,
        "total": total,
        "by_channel": by_channel,
        "by_kind": by_kind,
        "by_matter": by_matter,
        "assessed": run is not None,
        "overall": overall,
        "districts": districts,
        "townships": townships,
        # The month's topics, grouped by the insight stage and kept (services.month_topics).
        "topics": kept.topics,
        "topics_analysed": kept.analysed,
    }


def report_months(limit: int = 12) -> list[date]:
    month, out = last_month(), []
    for _ in range(limit):
        out.append(month)
        month = (month - timezone.timedelta(days=1)).replace(day=1)
    return out
