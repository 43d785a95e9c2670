"""Console pages of seasonal foresight (R25.1): trends and forecasts in pictures, and what each
unit may expect next month. Thin: jiesu.insight.trends decides the scope and reads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import forecasting, selectors, trends

TOP_MATTERS = 6
HEAT_MATTERS = 10


@login_required
def trend_page(request):
    scope = trends.scope_for(request.user)
    names = selectors.matter_names()
    series = trends.scope_series(scope)
    last_year = {m: float(y[-52:].sum()) for m, y in series.items()}
    ranked = [m for m, n in sorted(last_year.items(), key=lambda kv: -kv[1]) if n > 0]
    weeks = [w.isoformat() for w in trends.weeks_axis()]
    chosen = request.GET.get("matter", "")
    error = ""
    if chosen and chosen not in series:
        error = _("所选事项在本范围内没有工单。")
        chosen = ""
    if not chosen and ranked:
        # A matter whose season comes next month first: that is what the page is for.
        noted = [
            m
            for m in ranked
            if forecasting.season_note(m, forecasting.month_bounds(_today(), 1), forecasting.month_bounds(_today()))
        ]
        chosen = (noted or ranked)[0]
    chart: dict = {"weeks": weeks, "labels": {"history": _("实际"), "forecast": _("预测"), "band": _("80%区间")}}
    chart["trend"] = [
        {"name": selectors.matter_name(m, names), "data": [int(v) for v in series[m]]} for m in ranked[:TOP_MATTERS]
    ]
    chart["places"] = [{"name": name, "data": [int(v) for v in y]} for name, y in trends.place_series(scope)]
    fc = None
    if chosen:
        fc = trends.scope_forecast(scope, chosen)
        history = [int(v) for v in series[chosen]]
        future = [p[0] for p in fc.points] if fc else []
        chart["season"] = {
            "name": selectors.matter_name(chosen, names),
            "weeks": weeks + future,
            "history": history + [None] * len(future),
            "forecast": [None] * (len(weeks) - 1) + [history[-1]] + [p[1] for p in fc.points][: len(future)]
            if fc
            else [],
            "lower": [None] * len(weeks) + [p[2] for p in fc.points] if fc else [],
            "band": [None] * len(weeks) + [round(p[3] - p[2], 3) for p in fc.points] if fc else [],
        }
    heat_matters = ranked[:HEAT_MATTERS]
    places, cells = trends.heat_table(scope, heat_matters)
    heat_names = [selectors.matter_name(m, names) for m in heat_matters]
    chart["heat"] = {
        "places": places,
        "matters": heat_names,
        "cells": [[j, i, v] for i, row in enumerate(cells) for j, v in enumerate(row)],
        "max": max([v for row in cells for v in row], default=0),
    }
    return render(
        request,
        "insight/trends.html",
        {
            "scope": scope,
            "chart": chart,
            "choices": [(m, selectors.matter_name(m, names)) for m in ranked],
            "chosen": chosen,
            "chosen_name": selectors.matter_name(chosen, names) if chosen else "",
            "forecast": fc,
            "model_label": trends.model_label(fc.model) if fc else "",
            "error": error,
            "heat_rows": list(zip(places, cells)),
            "heat_names": heat_names,
            "heat_weeks": trends.HEAT_WEEKS,
            "computed_at": forecasting.last_refresh(),
        },
        status=400 if error else 200,
    )


def _today():
    from django.utils import timezone

    return timezone.localdate()


@login_required
def expectation_list(request):
    scope = trends.scope_for(request.user)
    names = selectors.matter_names()
    qs = trends.expectations_visible_to(request.user, scope)
    q = request.GET.get("q", "").strip()[:50]
    qs = trends.search_expectations(qs, q)
    peak = request.GET.get("peak") == "1"
    if peak:
        qs = qs.exclude(season="")
    page = Paginator(qs.order_by("-expected", "unit__name", "id"), 30).get_page(request.GET.get("page"))
    rows = [
        {
            "e": e,
            "matter": selectors.matter_name(e.matter_code, names),
            "vs_this": trends.change(e.expected, e.this_month),
            "vs_last_year": trends.change(e.expected, e.last_year),
        }
        for e in page
    ]
    first = qs.first()
    return render(
        request,
        "insight/forecast_list.html",
        {
            "page": page,
            "rows": rows,
            "q": q,
            "peak": peak,
            "scope": scope,
            "many_units": scope.units.count() > 1,
            "month": first.month if first else forecasting.month_bounds(_today(), 1)[0],
            "scope_query": "peak=1" if peak else "",
            "computed_at": forecasting.last_refresh(),
        },
    )
