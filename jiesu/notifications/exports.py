"""A unit's own orders and their evaluations, for its own records and BI tools (R26.1).

The rows carry no requester identity: the order's text is redacted with its requester's
identities (as every list is), and times are Beijing time. The same rows feed the Excel and CSV
exports and the API feed of changes.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from jiesu.core import redact
from jiesu.orders.models import OrderUnit, WorkOrder

MAX_ROWS = 50000


def unit_orders(
    unit, *, changed_since: datetime | None = None, received_since: datetime | None = None
) -> QuerySet[WorkOrder]:
    from jiesu.followup.models import ReturnVisit

    latest = ReturnVisit.objects.filter(order=OuterRef("pk")).exclude(satisfaction="").order_by("-visited_at", "-id")
    qs = (
        WorkOrder.objects.filter(assignments__unit=unit)
        .distinct()
        .select_related("district", "subdistrict", "community", "lead_unit")
        .annotate(
            satisfaction=Subquery(latest.values("satisfaction")[:1]),
            resolution=Subquery(latest.values("resolution")[:1]),
            visited_at=Subquery(latest.values("visited_at")[:1]),
        )
    )
    if changed_since is not None:
        qs = qs.filter(updated_at__gt=changed_since)
    if received_since is not None:
        qs = qs.filter(received_at__gte=received_since)
    return qs


def _local(at) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S") if at else ""


@dataclass(frozen=True)
class Column:
    key: str
    label: str


def columns() -> list[Column]:
    return [
        Column(k, v)
        for k, v in [
            ("number", _("工单编号")),
            ("received_at", _("受理时间")),
            ("matter", _("事项")),
            ("status", _("状态")),
            ("role", _("本单位角色")),
            ("district", _("区")),
            ("subdistrict", _("街道（乡镇）")),
            ("community", _("社区（村）")),
            ("content", _("诉求内容")),
            ("due_at", _("办结时限")),
            ("finished_at", _("本单位完成时间")),
            ("resolution", _("是否解决")),
            ("satisfaction", _("是否满意")),
            ("visited_at", _("回访时间")),
            ("updated_at", _("最后更新")),
        ]
    ]


def rows(unit, orders) -> list[dict]:
    from jiesu.catalog.models import Matter
    from jiesu.followup.models import RESOLUTIONS, SATISFACTIONS
    from jiesu.orders.choices import UNIT_ROLES
    from jiesu.orders.selectors import requester_identities

    orders = list(orders[:MAX_ROWS])
    matters = dict(Matter.objects.filter(code__in={o.matter_code for o in orders}).values_list("code", "name"))
    parts = {}
    for p in OrderUnit.objects.filter(unit=unit, order__in=orders).order_by("assigned_at"):
        parts[p.order_id] = p  # the latest part of the unit in the order
    roles, sats, ress = dict(UNIT_ROLES), dict(SATISFACTIONS), dict(RESOLUTIONS)
    out = []
    for o in orders:
        part = parts.get(o.pk)
        out.append(
            {
                "number": o.number,
                "received_at": _local(o.received_at),
                "matter": matters.get(o.matter_code, ""),
                "status": o.get_status_display(),
                "role": str(roles.get(part.role, "")) if part else "",
                "district": o.district.name if o.district_id else "",
                "subdistrict": o.subdistrict.name if o.subdistrict_id else "",
                "community": o.community.name if o.community_id else "",
                "content": redact.redact(o.content, requester_identities(o)),
                "due_at": _local(part.due_at if part else None),
                "finished_at": _local(part.finished_at if part else None),
                "resolution": str(ress.get(o.resolution, "")),
                "satisfaction": str(sats.get(o.satisfaction, "")),
                "visited_at": _local(o.visited_at),
                "updated_at": _local(o.updated_at),
            }
        )
    return out


def as_csv(data: list[dict]) -> bytes:
    buf = io.StringIO()
    cols = columns()
    writer = csv.writer(buf)
    writer.writerow([c.label for c in cols])
    for r in data:
        writer.writerow([_safe_cell(r[c.key]) for c in cols])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # a BOM: Excel opens UTF-8 CSV as Chinese


def as_xlsx(data: list[dict], title: str) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    cols = columns()
    ws.append([c.label for c in cols])
    for r in data:
        ws.append([_safe_cell(r[c.key]) for c in cols])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _safe_cell(value: str) -> str:
    """A cell that starts like a formula is opened as text, not run (CSV/formula injection)."""
    return "'" + value if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value
