"""The start page's numbers: what waits, what is late, how the month goes, for each role.

Read-only, one aggregate query per figure family (no rows are fetched to be counted in Python),
so the page stays cheap however many orders the centre holds. The three rates follow the
assessment's default formula (jiesu.assessment.core.Rules): the response rate is the share of
valid visits where the unit had contacted the requester, the resolution rate the share resolved,
the satisfaction rate satisfied + 0.9 x basically satisfied.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncDate, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiesu.core import roles
from jiesu.orders import choices
from jiesu.orders.choices import WORKING_ROLES
from jiesu.orders.models import OrderUnit, WorkOrder

BASIC_SHARE = 0.9  # the assessment's default value of 基本满意


@dataclass(frozen=True)
class Tile:
    label: str
    value: object
    url: str = ""
    tone: str = ""  # "", "warn" or "danger"
    note: str = ""


def _tz():
    return ZoneInfo(settings.TIME_ZONE)


def month_start(day: date) -> datetime:
    return datetime.combine(day.replace(day=1), time.min, _tz())


def previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def parts(now: datetime, *, unit_id: int | None = None) -> dict[str, int]:
    """Open parts (a unit's share of an order still owed): all, late, due by tonight, not yet signed for."""
    end_of_day = datetime.combine(timezone.localtime(now).date(), time.max, _tz())
    qs = OrderUnit.objects.filter(
        active=True, finished_at__isnull=True, role__in=WORKING_ROLES, order__status__in=choices.AT_UNIT_STATUSES
    )
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs.aggregate(
        open=Count("id"),
        overdue=Count("id", filter=Q(due_at__lt=now)),
        due_today=Count("id", filter=Q(due_at__gte=now, due_at__lte=end_of_day)),
        unaccepted=Count("id", filter=Q(accepted_at__isnull=True, role__in=("lead", "assist", "coordinate"))),
    )


def rates(start: datetime, end: datetime, *, unit_id: int | None = None) -> dict:
    """The three rates over valid return visits done in [start, end), for one unit or the centre."""
    from jiesu.followup.models import DONE, ReturnVisit

    qs = ReturnVisit.objects.filter(state=DONE, visited_at__gte=start, visited_at__lt=end)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    row = qs.aggregate(
        n=Count("id"),
        contacted=Count("id", filter=Q(contacted=True)),
        resolved=Count("id", filter=Q(resolution="resolved")),
        satisfied=Count("id", filter=Q(satisfaction="satisfied")),
        basic=Count("id", filter=Q(satisfaction="basic")),
    )
    n = row["n"]

    def pct(value):
        return round(100 * value / n, 1) if n else None

    return {
        "visits": n,
        "response": pct(row["contacted"]),
        "resolution": pct(row["resolved"]),
        "satisfaction": pct(row["satisfied"] + BASIC_SHARE * row["basic"]),
    }


def monthly(now: datetime, *, months: int = 12, unit_id: int | None = None) -> dict:
    """Orders received and the satisfaction rate, month by month: the year's seasons at a glance."""
    from jiesu.followup.models import DONE, ReturnVisit

    today = timezone.localtime(now).date()
    first = today.replace(day=1)
    for _i in range(months - 1):
        first = previous_month(first)
    start = month_start(first)
    orders = WorkOrder.objects.filter(received_at__gte=start)
    visits = ReturnVisit.objects.filter(state=DONE, visited_at__gte=start)
    if unit_id:
        orders = orders.filter(assignments__unit_id=unit_id, assignments__role__in=WORKING_ROLES)
        visits = visits.filter(unit_id=unit_id)
    received = dict(
        orders.annotate(m=TruncMonth("received_at", tzinfo=_tz()))
        .values("m")
        .annotate(n=Count("id", distinct=bool(unit_id)))
        .values_list("m", "n")
    )
    sat = {
        m: (n, s, b)
        for m, n, s, b in visits.annotate(m=TruncMonth("visited_at", tzinfo=_tz()))
        .values("m")
        .annotate(
            n=Count("id"),
            s=Count("id", filter=Q(satisfaction="satisfied")),
            b=Count("id", filter=Q(satisfaction="basic")),
        )
        .values_list("m", "n", "s", "b")
    }
    labels, counts, satisfaction = [], [], []
    month = first
    received = {_as_date(k): v for k, v in received.items()}
    sat = {_as_date(k): v for k, v in sat.items()}
    while month <= today:
        labels.append(f"{month.year % 100:02d}年{month.month}月")
        counts.append(received.get(month, 0))
        n, s, b = sat.get(month, (0, 0, 0))
        satisfaction.append(round(100 * (s + BASIC_SHARE * b) / n, 1) if n else None)
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return {"months": labels, "received": counts, "satisfaction": satisfaction}


def daily(now: datetime, *, days: int = 30, created_by=None) -> dict:
    """Orders received per day over the last `days` days (by one call-taker when `created_by`)."""
    today = timezone.localtime(now).date()
    start = datetime.combine(today - timedelta(days=days - 1), time.min, _tz())
    qs = WorkOrder.objects.filter(received_at__gte=start)
    if created_by is not None:
        qs = qs.filter(created_by=created_by)
    per_day = {
        _as_date(d): n
        for d, n in qs.annotate(d=TruncDate("received_at", tzinfo=_tz()))
        .values("d")
        .annotate(n=Count("id"))
        .values_list("d", "n")
    }
    labels = [(today - timedelta(days=days - 1 - i)) for i in range(days)]
    return {"days": [f"{d.month}-{d.day}" for d in labels], "received": [per_day.get(d, 0) for d in labels]}


def top_matters(start: datetime, *, unit_id: int | None = None, limit: int = 8) -> list[tuple[str, int]]:
    """The matters most called about since `start`, by name."""
    from jiesu.catalog.models import Matter

    qs = WorkOrder.objects.filter(received_at__gte=start).exclude(matter_code="")
    if unit_id:
        qs = qs.filter(lead_unit_id=unit_id)
    rows = list(qs.values("matter_code").annotate(n=Count("id")).order_by("-n", "matter_code")[:limit])
    names = dict(Matter.objects.filter(code__in=[r["matter_code"] for r in rows]).values_list("code", "name"))
    return [(names.get(r["matter_code"], _("其他事项")), r["n"]) for r in rows]


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value, _tz()).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, str):  # SQLite may hand back text
        return date.fromisoformat(value[:10])
    return value


# What each role sees -------------------------------------------------------------------------


def _url(name: str, query: str = "") -> str:
    return reverse(name) + (f"?{query}" if query else "")


def for_user(user, *, now: datetime | None = None) -> dict:
    """Tiles, rates, alerts and chart data for this person's start page."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    this_month, last_month = month_start(today), month_start(previous_month(today))
    role = getattr(user, "role", "")
    unit_id = user.unit_id if role in roles.UNIT_ROLES else None
    from jiesu.orders.selectors import sees_every_order

    if not unit_id and not sees_every_order(user):
        # Whoever sees no order (a unit role without a unit, a user without a role) gets no figures.
        empty = {"visits": 0, "response": None, "resolution": None, "satisfaction": None}
        return {
            "role": role,
            "unit_id": None,
            "tiles": [],
            "alerts": [],
            "rates": empty,
            "last_rates": empty,
            "chart": {"monthly": {"months": [], "received": [], "satisfaction": []}},
        }
    page = {
        "role": role,
        "unit_id": unit_id,
        "tiles": [],
        "alerts": [],
        "rates": rates(this_month, now, unit_id=unit_id),
        "last_rates": rates(last_month, this_month, unit_id=unit_id),
        "chart": {"monthly": monthly(now, unit_id=unit_id)},
    }
    tiles, alerts = page["tiles"], page["alerts"]

    if unit_id:
        p = parts(now, unit_id=unit_id)
        workbench = _url("handling:workbench")
        tiles += [
            Tile(_("本单位待办"), p["open"], workbench),
            Tile(_("已超期"), p["overdue"], workbench, "danger" if p["overdue"] else ""),
            Tile(_("今日到期"), p["due_today"], workbench, "warn" if p["due_today"] else ""),
            Tile(_("待签收"), p["unaccepted"], workbench),
        ]
        alerts += _unit_alerts(user, unit_id)
        page["score"] = _last_score(unit_id, previous_month(today))
        page["chart"]["matters"] = top_matters(this_month if today.day > 7 else last_month, unit_id=unit_id)
        return page

    p = parts(now)
    if role == roles.CALL_TAKER:
        mine = WorkOrder.objects.filter(created_by=user).aggregate(
            today=Count("id", filter=Q(received_at__gte=datetime.combine(today, time.min, _tz()))),
            month=Count("id", filter=Q(received_at__gte=this_month)),
            answered=Count("id", filter=Q(received_at__gte=this_month, status=choices.ANSWERED)),
        )
        tiles += [
            Tile(_("今日我受理"), mine["today"], _url("intake:new")),
            Tile(_("本月我受理"), mine["month"], _url("orders:list")),
            Tile(_("本月直接答复"), mine["answered"], _url("orders:list", f"status={choices.ANSWERED}")),
        ]
        page["chart"]["daily"] = daily(now)
    elif role == roles.DISPATCHER:
        queue = WorkOrder.objects.filter(status__in=[choices.PENDING_REVIEW, choices.RECEIVED]).count()
        tiles += [
            Tile(_("待派单审核"), queue, _url("dispatch:queue"), "warn" if queue else ""),
            Tile(_("全市超期未办结"), p["overdue"], _url("handling:supervision"), "danger" if p["overdue"] else ""),
            Tile(_("今日到期"), p["due_today"], _url("handling:supervision")),
        ]
        page["chart"]["daily"] = daily(now)
    elif role == roles.SUPERVISOR:
        from jiesu.followup.models import PENDING, ReturnVisit

        visits = ReturnVisit.objects.filter(state=PENDING).count()
        tiles += [
            Tile(_("待回访"), visits, _url("followup:queue"), "warn" if visits else ""),
            Tile(_("超期未办结"), p["overdue"], _url("handling:supervision"), "danger" if p["overdue"] else ""),
            Tile(_("今日到期"), p["due_today"], _url("handling:supervision")),
            Tile(_("在办工单"), p["open"], _url("orders:list", f"status={choices.IN_PROGRESS}")),
        ]
        page["chart"]["daily"] = daily(now)
    else:  # analyst, bureau admin and anyone else of the centre: the centre's month
        month = WorkOrder.objects.aggregate(
            this=Count("id", filter=Q(received_at__gte=this_month)),
            last=Count("id", filter=Q(received_at__gte=last_month, received_at__lt=this_month)),
        )
        tiles += [
            Tile(_("本月受理"), month["this"], _url("orders:list")),
            Tile(_("上月受理"), month["last"], _url("orders:list")),
            Tile(_("在办工单"), p["open"], _url("orders:list", f"status={choices.IN_PROGRESS}")),
            Tile(_("超期未办结"), p["overdue"], "", "danger" if p["overdue"] else ""),
        ]
        page["chart"]["matters"] = top_matters(this_month if today.day > 7 else last_month)
    alerts += _centre_alerts(role)
    return page


def _unit_alerts(user, unit_id: int) -> list[Tile]:
    from jiesu.handling.models import Escalation, ExtensionRequest, ReportIn
    from jiesu.notifications.models import Notification

    workbench = _url("handling:workbench")
    found = [
        Tile(
            _("吹哨待报到"),
            ReportIn.objects.filter(department_id=unit_id, acted_at__isnull=True).count(),
            workbench,
            "warn",
        ),
        Tile(
            _("提级待指导"),
            Escalation.objects.filter(to_unit_id=unit_id, answered_at__isnull=True).count(),
            workbench,
            "warn",
        ),
        Tile(
            _("延期待审批"),
            ExtensionRequest.objects.filter(unit_id=unit_id, status=ExtensionRequest.PENDING).count(),
            workbench,
        ),
        Tile(
            _("未读通知"),
            Notification.objects.filter(recipient_unit_id=unit_id, read_at__isnull=True).count(),
            _url("notifications:inbox"),
        ),
    ]
    from jiesu.insight.trends import start_page_hints

    found += [Tile(label, value, url, tone) for label, value, url, tone in start_page_hints(unit_id)]
    return [t for t in found if t.value]


def _centre_alerts(role: str) -> list[Tile]:
    from jiesu.assessment.models import Appeal
    from jiesu.dispatch.selectors import pending_objection_count
    from jiesu.handling.models import ExtensionRequest, Reply

    supervision = _url("handling:supervision")
    found = []
    if role in roles.DISPATCH_ROLES:
        found += [
            Tile(_("派单异议待审核"), pending_objection_count(), _url("dispatch:queue"), "warn"),
            Tile(
                _("延期申请待审批"),
                ExtensionRequest.objects.filter(status=ExtensionRequest.PENDING).count(),
                supervision,
                "warn",
            ),
            Tile(
                _("诉求人对答复有异议"),
                Reply.objects.filter(
                    disputed_at__isnull=False, result="resolved", order__status=choices.REPLIED
                ).count(),
                supervision,
                "warn",
            ),
        ]
    if role in (roles.SUPERVISOR, roles.ANALYST, roles.BUREAU_ADMIN):
        found.append(
            Tile(_("考核申诉待审核"), Appeal.objects.filter(status=Appeal.PENDING).count(), _url("assessment:appeals"))
        )
    return [t for t in found if t.value]


def _last_score(unit_id: int, month: date):
    from jiesu.assessment.models import UnitScore

    return UnitScore.objects.filter(run__month=month, run__current=True, unit_id=unit_id).select_related("run").first()
