"""Stream a month's assessment lines out of the database into plain core.Line records.

One SQL statement joins each valid return visit of the month (the latest round of the order,
R23.1) with the units' parts in the order, and the small tables that exclude or flag a line
(certified unreasonable requests, accepted objections, upheld appeals, disputed replies,
report-in records). It runs as a server-side cursor on PostgreSQL, so memory stays flat however
many orders the month has. Plain SQL rather than the ORM because the join is across apps and
the ORM would build one object per row, which 2M orders a month cannot afford.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from jiesu.centre.models import SupervisionRecord
from jiesu.dispatch.models import Objection
from jiesu.followup import models as visits
from jiesu.followup.models import ReturnVisit
from jiesu.handling import models as handling
from jiesu.handling.models import Reply, ReportIn
from jiesu.orders.choices import ASSESSED_ROLES, LEAD_ROLES
from jiesu.orders.models import OrderUnit, WorkOrder

from . import core
from .models import Appeal, Certification

FETCH = 20000


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month in Beijing time: a visit on 1 December 00:30 local belongs to December."""
    tz = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(month.replace(day=1), time.min, tz)
    nxt = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return start, datetime.combine(nxt, time.min, tz)


def _sql() -> str:
    t = {
        "v": ReturnVisit._meta.db_table,
        "o": WorkOrder._meta.db_table,
        "ou": OrderUnit._meta.db_table,
        "c": Certification._meta.db_table,
        "ob": Objection._meta.db_table,
        "ap": Appeal._meta.db_table,
        "r": Reply._meta.db_table,
        "ri": ReportIn._meta.db_table,
        "sr": SupervisionRecord._meta.db_table,
    }
    # The other apps' values come from their own constants: a renamed status cannot leave this
    # statement quietly matching nothing.
    roles = ", ".join(f"'{r}'" for r in ASSESSED_ROLES)
    lead = ", ".join(f"'{r}'" for r in LEAD_ROLES)
    done, accepted, upheld = visits.DONE, Objection.ACCEPTED, Appeal.UPHELD
    resolved, unresolved = handling.RESOLVED, visits.UNRESOLVED  # a reply's result, a visit's answer
    # Substantiated supervision records (R33.1) cost the unit what the rules say for their kind.
    flags = SupervisionRecord.ASSESSMENT_FLAG
    false_kinds = ", ".join(f"'{k}'" for k, f in flags.items() if f == "false_resolved")
    attitude_kinds = ", ".join(f"'{k}'" for k, f in flags.items() if f == "attitude")
    return f"""
SELECT v.order_id, ou.unit_id, ou.role, o.kind, o.matter_code, v.contacted, v.resolution, v.satisfaction,
       CASE WHEN c.order_id IS NULL THEN 0 ELSE 1 END,
       CASE WHEN ob.order_id IS NULL THEN 0 ELSE 1 END,
       CASE WHEN ap.order_id IS NULL THEN 0 ELSE 1 END,
       CASE WHEN ou.due_at IS NOT NULL AND COALESCE(ou.finished_at, v.queued_at) > ou.due_at THEN 1 ELSE 0 END,
       CASE WHEN ou.role IN ({lead}) AND ((v.reply_result = '{resolved}' AND v.resolution = '{unresolved}')
                                                     OR dr.order_id IS NOT NULL) THEN 1
            WHEN sr.false_resolved = 1 THEN 1 ELSE 0 END,
       CASE WHEN ou.role IN ({lead}) AND v.attitude_complaint THEN 1
            WHEN sr.attitude = 1 THEN 1 ELSE 0 END,
       CASE WHEN ou.role = 'report_in' THEN
            (SELECT MIN(CASE WHEN ri.acknowledged_at IS NOT NULL AND ri.acknowledged_at <= ri.due_at THEN 1 ELSE 0 END)
             FROM {t["ri"]} ri WHERE ri.part_id = ou.id) END,
       CASE WHEN ou.role = 'report_in' THEN
            (SELECT MIN(CASE WHEN ri.office_satisfied THEN 1 ELSE 0 END)
             FROM {t["ri"]} ri WHERE ri.part_id = ou.id AND ri.office_satisfied IS NOT NULL) END
FROM {t["v"]} v
JOIN {t["o"]} o ON o.id = v.order_id
JOIN {t["ou"]} ou ON ou.order_id = v.order_id
LEFT JOIN {t["c"]} c ON c.order_id = v.order_id
LEFT JOIN (SELECT DISTINCT order_id, unit_id FROM {t["ob"]} WHERE status = '{accepted}') ob
       ON ob.order_id = ou.order_id AND ob.unit_id = ou.unit_id
LEFT JOIN (SELECT DISTINCT order_id, unit_id FROM {t["ap"]} WHERE status = '{upheld}' AND month = %s) ap
       ON ap.order_id = ou.order_id AND ap.unit_id = ou.unit_id
LEFT JOIN (SELECT DISTINCT order_id, unit_id FROM {t["r"]} WHERE disputed_at IS NOT NULL AND result = '{resolved}') dr
       ON dr.order_id = ou.order_id AND dr.unit_id = ou.unit_id
LEFT JOIN (SELECT order_id, unit_id,
                  MAX(CASE WHEN kind IN ({false_kinds}) THEN 1 ELSE 0 END) AS false_resolved,
                  MAX(CASE WHEN kind IN ({attitude_kinds}) THEN 1 ELSE 0 END) AS attitude
           FROM {t["sr"]} WHERE status = '{SupervisionRecord.SUBSTANTIATED}' GROUP BY order_id, unit_id) sr
       ON sr.order_id = ou.order_id AND sr.unit_id = ou.unit_id
WHERE v.state = '{done}' AND v.visited_at >= %s AND v.visited_at < %s
  AND NOT EXISTS (SELECT 1 FROM {t["v"]} v2 WHERE v2.order_id = v.order_id AND v2.state = '{done}'
                  AND v2.visited_at >= %s AND v2.visited_at < %s AND v2.round > v.round)
  AND ou.role IN ({roles})
  AND (ou.active OR ob.order_id IS NOT NULL)
"""


def lines_for_month(month: date, using: str = DEFAULT_DB_ALIAS) -> Iterator[core.Line]:
    """The month's lines, streamed. The caller must be inside a transaction on PostgreSQL (of the
    alias `using`: the read replica's when one is configured, jiesu/core/db_router.py)."""
    start, end = month_bounds(month)
    connection = connections[using]
    ops = connection.ops
    s, e = ops.adapt_datetimefield_value(start), ops.adapt_datetimefield_value(end)
    params = [ops.adapt_datefield_value(month.replace(day=1)), s, e, s, e]
    Line = core.Line
    with connection.chunked_cursor() as cur:
        cur.execute(_sql(), params)
        while True:
            rows = cur.fetchmany(FETCH)
            if not rows:
                break
            for (
                order_id,
                unit_id,
                role,
                kind,
                matter,
                contacted,
                resolution,
                satisfaction,
                unreasonable,
                objection,
                appeal,
                overdue,
                false_resolved,
                attitude,
                ri_on_time,
                office_ok,
            ) in rows:
                yield Line(
                    order_id,
                    unit_id,
                    role,
                    kind,
                    matter or "",
                    bool(contacted),
                    resolution,
                    satisfaction,
                    bool(unreasonable),
                    bool(objection),
                    bool(appeal),
                    bool(overdue),
                    bool(false_resolved),
                    bool(attitude),
                    None if ri_on_time is None else bool(ri_on_time),
                    None if office_ok is None else bool(office_ok),
                )
