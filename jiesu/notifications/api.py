"""The API feed of a unit's orders changed since a time (R26.1): for the unit's own systems to
stay in step without polling every order. Same rows as the export; no requester identity."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.views import APIView

from jiesu.core import roles
from jiesu.core.pagination import BoundedLimitOffsetPagination

from . import exports


class UnitOrderFeed(APIView):
    """GET /api/v1/unit-orders/?changed_since=2026-07-06T09:00:00+08:00: the caller's unit's orders
    whose record changed after that time, oldest change first, paged by limit/offset. A client
    keeps the last `updated_at` it saw and asks again from there."""

    def get(self, request):
        user = request.user
        if user.role not in roles.UNIT_ROLES or not user.unit_id:
            raise PermissionDenied("只有承办单位的账号可以读取本单位的工单推送。")
        raw = request.query_params.get("changed_since", "").strip()
        if not raw:
            raise ValidationError({"changed_since": ["请填写起始时间（ISO 8601，例如 2026-07-06T09:00:00+08:00）。"]})
        try:
            since = datetime.fromisoformat(raw.replace(" ", "+") if raw.count(" ") == 1 and "T" in raw else raw)
        except ValueError:
            raise ValidationError(
                {"changed_since": ["时间格式应为 ISO 8601，例如 2026-07-06T09:00:00+08:00。"]}
            ) from None
        if timezone.is_naive(since):
            since = timezone.make_aware(since)  # a time without offset is Beijing time
        qs = exports.unit_orders(user.unit, changed_since=since).order_by("updated_at", "id")
        paginator = BoundedLimitOffsetPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        data = exports.rows(user.unit, page)
        for row, order in zip(data, page):
            row["updated_at"] = timezone.localtime(order.updated_at).isoformat()  # exact, for the next request
        return paginator.get_paginated_response(data)
