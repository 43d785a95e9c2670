"""Seasonal foresight (R25.1): the models on synthetic seasonal series, the refresh over stored
orders, each unit's next-month expectations, and the pages with who may see what."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
import time_machine

from jiesu.core import roles
from jiesu.insight import forecast as F
from jiesu.insight import forecasting

BJ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=BJ)


# ---------------------------------------------------------------------------------------------
# The models, no database


def test_holt_winters_beats_both_naive_forecasts_on_a_heating_season_series():
    y = F.synthetic_seasonal(156, base=20, seed=3)
    assert F.choose_model(y) == "holt_winters"
    b = F.backtest(y)
    assert b.models_used.get("holt_winters")
    assert b.errors["model"] < b.errors["same_week_last_year"]
    assert b.errors["model"] < b.errors["last_4_weeks"]


def test_forecast_rises_into_the_season_and_its_band_holds_the_mean():
    # 150 weeks from week 0 of a year: the forecast covers weeks 46 to 52, the heating season's start.
    y = F.synthetic_seasonal(150, base=20, seed=5)
    p = F.predict(y, 6)
    summer = y[-30:-20].mean()  # weeks 20-30: no heating
    assert p.mean[-1] > 1.8 * summer
    assert np.all(p.lower <= p.mean) and np.all(p.mean <= p.upper)


def test_short_sparse_and_levelled_series_get_the_fallbacks():
    assert F.choose_model(np.full(30, 5.0)) == "recent_mean"
    sparse = F.synthetic_seasonal(120, base=0.3)
    assert F.choose_model(sparse) == "seasonal_average"
    assert F.predict(sparse, 4).model == "seasonal_average"
    # No yearly pattern, only a level that jumps: the level is followed, not last year.
    rng = np.random.default_rng(1)
    shifting = np.concatenate([rng.poisson(5, 60), rng.poisson(40, 30), rng.poisson(12, 40)]).astype(float)
    assert F.choose_model(shifting) == "exp_smoothing"
    assert 8 < F.predict(shifting, 4).mean[0] < 18


def test_seasons_come_from_the_defaults_and_settings(settings):
    nov = forecasting.month_bounds(date(2026, 10, 20), 1)
    oct_ = forecasting.month_bounds(date(2026, 10, 20))
    assert forecasting.season_note("utility.heating.not_warm", nov, oct_) == "供暖季将至"
    jan = forecasting.month_bounds(date(2026, 12, 2), 1)
    dec = forecasting.month_bounds(date(2026, 12, 2))
    assert forecasting.season_note("utility.heating.fee", jan, dec) == "供暖季持续"
    assert forecasting.season_note("utility.drainage.waterlogging", jan, dec) == ""
    jul = forecasting.month_bounds(date(2026, 6, 10), 1)
    assert (
        forecasting.season_note("utility.drainage.waterlogging", jul, forecasting.month_bounds(date(2026, 6, 10)))
        == "汛期持续"
    )
    settings.INSIGHT_SEASONS = [
        {"key": "x", "label": "测试季", "start": "01-01", "end": "01-31", "matters": ["utility.drainage"]}
    ]
    assert forecasting.season_note("utility.drainage.waterlogging", jan, dec) == "测试季将至"


# ---------------------------------------------------------------------------------------------
# Over stored orders


@pytest.fixture
def history(db):
    from jiesu.demo.orders import generate_orders

    with time_machine.travel(NOW, tick=False):
        generate_orders(1000, seed=11, stdout=io.StringIO(), days=730)
        result = forecasting.refresh()
        yield result


def _heating_unit():
    from jiesu.insight.models import UnitExpectation

    return (
        UnitExpectation.objects.filter(matter_code="utility.heating.not_warm")
        .order_by("-expected")
        .select_related("unit")
        .first()
    )


def test_refresh_counts_every_order_of_complete_weeks_and_forecasts_the_heating_peak(history):
    from jiesu.insight.models import SeriesForecast, WeeklyCount
    from jiesu.orders.models import WorkOrder

    week0 = forecasting._at(forecasting.current_week(NOW))
    assert forecasting.total_counts() == WorkOrder.objects.filter(received_at__lt=week0).count() > 900
    assert WeeklyCount.objects.filter(week__gte=forecasting.current_week(NOW)).count() == 0
    heating = SeriesForecast.objects.get(matter_code="utility.heating.not_warm", district=None)
    assert heating.model in F.MODEL_LABELS and heating.history_weeks >= 100
    assert heating.points[0][0] == "2026-11-30"  # from the current week on
    # The same series' summer weeks held far fewer orders than the winter the forecast covers.
    series = forecasting.stored_series()[("utility.heating.not_warm", forecasting.CITY)]
    july = series[-22:-18].mean()
    assert sum(p[1] for p in heating.points[:4]) / 4 > 3 * max(july, 0.1)
    assert history["models"]


def test_the_heating_unit_expects_more_next_month_than_last_summer_and_is_told_the_season(history):
    e = _heating_unit()
    assert e is not None and e.month == date(2027, 1, 1)
    assert e.season == "供暖季持续"
    assert e.lower <= e.expected <= e.upper and e.expected > 1
    assert e.this_month >= e.this_month_so_far


def _get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def test_pages_who_sees_what(history, client, make_user, wangjing_office):
    from jiesu.directory.models import Unit
    from jiesu.insight.models import UnitExpectation

    heating = _heating_unit().unit
    analyst = make_user(roles.ANALYST)
    r = _get(client, analyst, "/insight/forecast/")
    assert r.status_code == 200 and r.context["page"].paginator.count == UnitExpectation.objects.count()
    assert "utility.heating" not in r.content.decode()
    r = _get(client, analyst, "/insight/forecast/", q="供暖不热", peak="1")
    rows = list(r.context["page"])
    assert rows and all(
        e.matter_code == "utility.heating.not_warm" and e.season for e in (x["e"] for x in r.context["rows"])
    )

    handler = make_user(roles.UNIT_HANDLER, unit=heating)
    r = _get(client, handler, "/insight/forecast/")
    assert {x["e"].unit_id for x in r.context["rows"]} == {heating.pk}
    assert r.context["page"].paginator.count == UnitExpectation.objects.filter(unit=heating).count()
    assert "供暖季持续" in r.content.decode()

    district_gov = Unit.objects.filter(kind="district_gov", territory__name="朝阳区").first()
    overseer = make_user(roles.DISTRICT_OVERSIGHT, unit=district_gov)
    r = _get(client, overseer, "/insight/forecast/")
    assert r.status_code == 200
    assert all(x["e"].unit.district_id == district_gov.territory_id for x in r.context["rows"])
    r = _get(client, overseer, "/insight/trends/")
    assert r.status_code == 200 and r.context["scope"].district == district_gov.territory
    places = r.context["chart"]["heat"]["places"]
    assert places and all("街道" in p or "地区" in p or "乡" in p or "镇" in p for p in places)

    township = make_user(roles.UNIT_HANDLER, unit=wangjing_office)
    r = _get(client, township, "/insight/trends/")
    assert r.status_code == 200 and r.context["scope"].name == "望京街道"
    assert set(r.context["scope"].orders.values_list("subdistrict_id", flat=True)) == {wangjing_office.territory_id}
    assert all(p.endswith("社区") or p.endswith("村") for p in r.context["chart"]["heat"]["places"])

    stranger = make_user(roles.UNIT_HANDLER, unit=None)
    assert _get(client, stranger, "/insight/forecast/").status_code == 403
    assert _get(client, stranger, "/insight/trends/").status_code == 403
    client.logout()
    assert client.get("/insight/trends/").status_code == 302


def test_trend_page_pictures_and_a_bad_matter(history, client, make_user):
    analyst = make_user(roles.ANALYST)
    r = _get(client, analyst, "/insight/trends/", matter="utility.heating.not_warm")
    assert r.status_code == 200
    body = r.content.decode()
    chart = r.context["chart"]
    assert chart["trend"] and chart["season"]["name"] == "供暖不热"
    assert len(chart["season"]["weeks"]) == len(chart["season"]["history"]) == 104 + 12
    assert chart["heat"]["places"] and chart["heat"]["cells"]
    assert 'id="trends-data"' in body and "insight/trends.js" in body and "<script>" not in body
    assert r.context["model_label"] in body
    r = _get(client, analyst, "/insight/trends/", matter="no.such.matter")
    assert r.status_code == 400 and "所选事项在本范围内没有工单" in r.content.decode()
    assert "no.such.matter" not in r.content.decode()


def test_the_units_start_page_names_the_coming_season(history, client, make_user):
    heating = _heating_unit().unit
    with time_machine.travel(NOW, tick=False):
        r = _get(client, make_user(roles.UNIT_HANDLER, unit=heating), "/")
    body = r.content.decode()
    assert r.status_code == 200
    assert "下月供暖季持续：供暖不热等" in body and "/insight/forecast/?peak=1" in body
    assert "下月预计工单" in body
