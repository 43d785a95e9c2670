"""Read side of seasonal foresight (R25.1) and its pictures: whose orders a person may look at,
their weekly series, the forecast for that scope, and the place x matter heat table.

Scopes: the centre and city oversight read the city (the stored weekly counts); district
oversight and a district government its district (the stored counts of that district); a
township office its territory and any other unit the orders it led (grouped live from the
orders: a unit's orders are few). Everyone else is refused.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext as _

from jiesu.core import roles
from jiesu.directory.models import Place, Unit
from jiesu.engine import units as unit_kinds

from . import forecast as F
from . import forecasting, selectors
from .models import SeriesForecast, UnitExpectation, WeeklyCount

CITY = forecasting.CITY
TREND_WEEKS = 104
HEAT_WEEKS = 12


@dataclass
class Scope:
    name: str
    district: Place | None = None  # stored counts of one district
    orders: QuerySet | None = None  # orders grouped live (a township, a unit)
    units: QuerySet | None = None  # whose next-month expectations may be read
    city: bool = False
    place_field: str = "district"  # the places the pictures compare: districts, townships or communities


def scope_for(user) -> Scope:
    from jiesu.orders.models import OrderUnit, WorkOrder

    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    if roles.has_role(user, roles.CENTRE_ROLES | {roles.CITY_OVERSIGHT}):
        return Scope(_("全市"), units=Unit.objects.all(), city=True)
    if user.role == roles.DISTRICT_OVERSIGHT:
        district_id = roles.oversight_district_id(user)
        if not district_id:
            raise PermissionDenied(_("您的账号未关联所辖区。"))
        district = Place.objects.get(pk=district_id)
        return Scope(
            district.name,
            district=district,
            units=Unit.objects.filter(district_id=district_id),
            place_field="subdistrict",
        )
    unit = user.unit if user.role in roles.UNIT_ROLES else None
    if unit is None:
        raise PermissionDenied(_("您的角色不能查看趋势与预测。"))
    own = Unit.objects.filter(pk=unit.pk)
    if unit.kind == unit_kinds.DISTRICT_GOV and (unit.territory_id or unit.district_id):
        district = Place.objects.get(pk=unit.territory_id or unit.district_id)
        return Scope(district.name, district=district, units=own, place_field="subdistrict")
    if unit.kind == unit_kinds.SUBDISTRICT_OFFICE and unit.territory_id:
        return Scope(
            unit.territory.name,
            orders=WorkOrder.objects.filter(subdistrict_id=unit.territory_id),
            units=own,
            place_field="community",
        )
    led = OrderUnit.objects.filter(order=OuterRef("pk"), unit=unit, role="lead")
    return Scope(_("%(unit)s承办") % {"unit": unit.name}, orders=WorkOrder.objects.filter(Exists(led)), units=own)


# ---------------------------------------------------------------------------------------------
# Series


def last_complete_week() -> date:
    return forecasting.current_week() - timedelta(weeks=1)


def scope_series(scope: Scope) -> dict[str, np.ndarray]:
    """{matter: weekly counts over the last TREND_WEEKS complete weeks} in the scope."""
    end = last_complete_week()
    start = end - timedelta(weeks=TREND_WEEKS - 1)
    out: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(TREND_WEEKS))
    if scope.orders is not None:
        rows = (
            scope.orders.filter(
                received_at__gte=forecasting._at(start), received_at__lt=forecasting._at(end + timedelta(weeks=1))
            )
            .exclude(matter_code="")
            .annotate(week=TruncWeek("received_at", tzinfo=forecasting.tz()))
            .values_list("week", "matter_code")
            .annotate(n=Count("id"))
            .order_by()
        )
        rows = [(w.date() if hasattr(w, "date") else w, m, n) for w, m, n in rows]
    else:
        qs = WeeklyCount.objects.filter(week__gte=start, week__lte=end).exclude(matter_code="")
        if scope.district is not None:
            qs = qs.filter(district=scope.district)
        rows = qs.values_list("week", "matter_code").annotate(n=Sum("count")).order_by()
    for week, matter, n in rows:
        k = (week - start).days // 7
        if 0 <= k < TREND_WEEKS:
            out[matter][k] += n
    return dict(out)


def place_series(scope: Scope, top: int = 8) -> list[tuple[str, np.ndarray]]:
    """The scope's busiest places (by orders over the last year), weekly counts of all matters."""
    from jiesu.orders.models import WorkOrder

    end = last_complete_week()
    start = end - timedelta(weeks=TREND_WEEKS - 1)
    if scope.city:
        rows = (
            WeeklyCount.objects.filter(week__gte=start, week__lte=end)
            .exclude(district=None)
            .values_list("week", "district_id")
            .annotate(n=Sum("count"))
            .order_by()
        )
    else:
        qs = scope.orders if scope.orders is not None else WorkOrder.objects.filter(district=scope.district)
        field = f"{scope.place_field}_id"
        rows = (
            qs.filter(
                received_at__gte=forecasting._at(start), received_at__lt=forecasting._at(end + timedelta(weeks=1))
            )
            .exclude(**{field: None})
            .annotate(week=TruncWeek("received_at", tzinfo=forecasting.tz()))
            .values_list("week", field)
            .annotate(n=Count("id"))
            .order_by()
        )
        rows = [(w.date() if hasattr(w, "date") else w, p, n) for w, p, n in rows]
    out: dict = defaultdict(lambda: np.zeros(TREND_WEEKS))
    for week, place, n in rows:
        k = (week - start).days // 7
        if 0 <= k < TREND_WEEKS:
            out[place][k] += n
    busiest = sorted(out, key=lambda p: -out[p][-52:].sum())[:top]
    names = dict(Place.objects.filter(pk__in=busiest).values_list("pk", "name"))
    return [(names[p], out[p]) for p in busiest]


def weeks_axis() -> list[date]:
    return forecasting.series_weeks(TREND_WEEKS, last_complete_week())


@dataclass
class ScopeForecast:
    points: list  # [[week, mean, lower, upper], ...]
    model: str  # the model of the series behind it, for the page to name
    mae: float | None = None
    naive_mae: float | None = None
    mean4_mae: float | None = None
    derived: bool = False  # a share of district forecasts (a unit, a township)


def scope_forecast(scope: Scope, matter: str, history: np.ndarray | None = None) -> ScopeForecast | None:
    qs = SeriesForecast.objects.filter(matter_code=matter)
    if scope.city or scope.district is not None:
        row = qs.filter(district=scope.district).first()  # None: the city-wide series
        if row is None:
            return None
        return ScopeForecast(row.points, row.model, row.mae, row.naive_mae, row.mean4_mae)
    # A township or a unit: each district's forecast times the scope's share of its last year.
    end = last_complete_week()
    year = (forecasting._at(end - timedelta(weeks=51)), forecasting._at(end + timedelta(weeks=1)))
    mine = dict(
        scope.orders.filter(matter_code=matter, received_at__gte=year[0], received_at__lt=year[1])
        .values_list("district_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    if not mine:
        return None
    totals = dict(
        WeeklyCount.objects.filter(matter_code=matter, week__gte=end - timedelta(weeks=51), week__lte=end)
        .values_list("district_id")
        .annotate(n=Sum("count"))
        .order_by()
    )
    rows = {r.district_id: r for r in qs.exclude(district=None)}
    points, models = None, set()
    for district_id, n in mine.items():
        row, total = rows.get(district_id), totals.get(district_id)
        if row is None or not total:
            continue
        share = n / total
        models.add(row.model)
        if points is None:
            points = [[p[0], 0.0, 0.0, 0.0] for p in row.points]
        for acc, p in zip(points, row.points):
            for i in (1, 2, 3):
                acc[i] += share * p[i]
    if points is None:
        return None
    model = models.pop() if len(models) == 1 else "mixed"
    return ScopeForecast([[p[0], *(round(v, 3) for v in p[1:])] for p in points], model, derived=True)


def model_label(model: str) -> str:
    return F.MODEL_LABELS.get(model, _("多个模型合成"))


# ---------------------------------------------------------------------------------------------
# Heat table


def heat_table(scope: Scope, matters: list[str]) -> tuple[list[str], list[list[int]]]:
    """Rows: the scope's places (districts, townships or communities); columns: `matters`; orders
    over the last 12 weeks."""
    from jiesu.orders.models import WorkOrder

    end = last_complete_week() + timedelta(weeks=1)
    start = end - timedelta(weeks=HEAT_WEEKS)
    qs = scope.orders if scope.orders is not None else WorkOrder.objects.all()
    if scope.district is not None:
        qs = qs.filter(district=scope.district)
    qs = qs.filter(
        received_at__gte=forecasting._at(start), received_at__lt=forecasting._at(end), matter_code__in=matters
    )
    place = scope.place_field
    counts = defaultdict(int)
    for place_id, matter, n in (
        qs.exclude(**{f"{place}_id": None}).values_list(f"{place}_id", "matter_code").annotate(n=Count("id")).order_by()
    ):
        counts[(place_id, matter)] = n
    places = {p.pk: p.name for p in Place.objects.filter(pk__in={k[0] for k in counts})}
    totals = defaultdict(int)
    for (p, _m), n in counts.items():
        totals[p] += n
    order = sorted(places, key=lambda p: -totals[p])[:20]
    return [places[p] for p in order], [[counts.get((p, m), 0) for m in matters] for p in order]


# ---------------------------------------------------------------------------------------------
# Next month


def expectations_visible_to(user, scope: Scope | None = None) -> QuerySet[UnitExpectation]:
    scope = scope or scope_for(user)
    return UnitExpectation.objects.filter(unit__in=scope.units).select_related("unit")


def search_expectations(qs: QuerySet[UnitExpectation], q: str) -> QuerySet[UnitExpectation]:
    from django.db.models import Q

    if not q:
        return qs
    codes = [c for c, n in selectors.matter_names().items() if q in n]
    return qs.filter(Q(unit__name__icontains=q) | Q(matter_code__in=codes) | Q(season__icontains=q))


def change(new: float, old: float) -> int | None:
    """Percent change, none against nothing."""
    if not old:
        return None
    return round((new - old) / old * 100)


def start_page_hints(unit_id: int) -> list[tuple[str, object, str, str]]:
    """For the unit's start page: (label, value, link, tone) of next month's expectation, the
    seasonal peaks first."""
    from django.urls import reverse

    qs = UnitExpectation.objects.filter(unit_id=unit_id)
    url = reverse("insight:forecast")
    peaks = qs.exclude(season="").order_by("-expected").first()
    hints = []
    if peaks is not None:
        hints.append(
            (
                _("下月%(season)s：%(matter)s等")
                % {"season": peaks.season, "matter": selectors.matter_name(peaks.matter_code)},
                qs.exclude(season="").count(),
                f"{url}?peak=1",
                "warn",
            )
        )
    total = qs.aggregate(n=Sum("expected"))["n"]
    if total and round(total):
        hints.append((_("下月预计工单"), round(total), url, ""))
    return hints
