"""Forecasts of weekly order counts (R25.1), free of Django so that the bench runs the same code
on any table of timestamps.

One series is the number of orders per week (Monday to Sunday, Beijing time) on one matter, in
one district or the whole city. Which model a series gets depends on what its history allows:

- ``holt_winters``: two years or more and enough orders (mean of at least `DENSE` a week over the
  last year): statsmodels' Holt-Winters with an additive yearly season of 52 weeks and no trend,
  fitted on log(1 + count) so that a season multiplies the level and the forecast never goes
  below zero.
- ``sarimax``: one to two years of dense history: statsmodels' SARIMAX, AR(1) with a constant and
  three yearly Fourier pairs as regressors (52 seasonal states cannot be learnt from one year,
  three harmonics can).
- ``exp_smoothing``: dense series whose last year shows no yearly pattern (the same week a year
  before foretells worse than the last four weeks' mean): simple exponential smoothing of the
  level, on log(1 + count).
- ``seasonal_average``: sparse series with a year or more: the mean of the same weeks (+-2) of
  earlier years scaled to the last year's level, so a district's handful of heating calls still
  comes in winter.
- ``recent_mean``: shorter histories: the mean of the last eight weeks.

Bands are 80 %: from the model's own prediction intervals where it has them (SARIMAX), from the
spread of the fit's residuals for Holt-Winters, and Poisson quantiles for the two averages.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

SEASON = 52
DENSE = 2.0  # orders a week (mean over the last year) for a model fit to be worth it
Z80 = 1.2816

MODEL_LABELS = {
    "holt_winters": "霍尔特-温特斯季节模型",
    "exp_smoothing": "指数平滑（无明显季节）",
    "sarimax": "SARIMAX（年周期）",
    "seasonal_average": "历年同期平均",
    "recent_mean": "近8周均值",
}


@dataclass
class Prediction:
    model: str
    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray


def choose_model(y: np.ndarray) -> str:
    n = len(y)
    level = float(y[-SEASON:].mean()) if n else 0.0
    if n >= SEASON + 8 and level >= DENSE and not seasonal(y):
        return "exp_smoothing"
    if n >= 2 * SEASON and level >= DENSE:
        return "holt_winters"
    if n >= SEASON + 8 and level >= DENSE:
        return "sarimax"
    if n >= SEASON + 2:
        return "seasonal_average"
    return "recent_mean"


def seasonal(y: np.ndarray) -> bool:
    """Whether the history shows a yearly pattern at all: over its last year, the same week a
    year before foretells a week no worse than the mean of the four weeks before it. A series
    whose level moves more from month to month than from season to season (a new channel, a
    campaign) is better served by following its level."""
    n = len(y)
    weeks = range(max(SEASON + 4, n - SEASON), n)
    same_week = sum(abs(y[t] - y[t - SEASON]) for t in weeks)
    last_four = sum(abs(y[t] - y[t - 4 : t].mean()) for t in weeks)
    return same_week <= last_four


def predict(y: Sequence[float], horizon: int, *, model: str | None = None) -> Prediction:
    """Forecast the `horizon` weeks after the last value of `y` (oldest first)."""
    y = np.asarray(y, dtype=float)
    model = model or choose_model(y)
    try:
        with warnings.catch_warnings():
            # Convergence chatter of the optimisers: a poor fit still gives a usable forecast and
            # the backtest judges it.
            warnings.simplefilter("ignore")
            mean, lower, upper = _FITS[model](y, horizon)
    except (ValueError, np.linalg.LinAlgError):
        model = "seasonal_average" if len(y) >= SEASON + 2 else "recent_mean"
        mean, lower, upper = _FITS[model](y, horizon)
    mean = np.clip(mean, 0, None)
    return Prediction(model, mean, np.clip(np.minimum(lower, mean), 0, None), np.maximum(upper, mean))


def _holt_winters(y: np.ndarray, horizon: int):
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    z = np.log1p(y)
    fit = ExponentialSmoothing(
        z, trend=None, seasonal="add", seasonal_periods=SEASON, initialization_method="heuristic"
    ).fit()
    f = fit.forecast(horizon)
    resid = z - fit.fittedvalues
    sd = float(np.std(resid[SEASON:] if len(resid) > SEASON + 10 else resid))
    # The spread grows with the horizon as a level random walk's does.
    steps = np.sqrt(1 + fit.params["smoothing_level"] ** 2 * np.arange(horizon))
    return np.expm1(f), np.expm1(f - Z80 * sd * steps), np.expm1(f + Z80 * sd * steps)


def _exp_smoothing(y: np.ndarray, horizon: int):
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    z = np.log1p(y)
    fit = ExponentialSmoothing(z, trend=None, seasonal=None, initialization_method="estimated").fit()
    f = fit.forecast(horizon)
    sd = float(np.std(z - fit.fittedvalues))
    steps = np.sqrt(1 + fit.params["smoothing_level"] ** 2 * np.arange(horizon))
    return np.expm1(f), np.expm1(f - Z80 * sd * steps), np.expm1(f + Z80 * sd * steps)


def fourier(t: np.ndarray, pairs: int = 3) -> np.ndarray:
    # 52.18 weeks a year, so that the season does not drift a week every seven years.
    w = 2 * np.pi * t[:, None] * np.arange(1, pairs + 1)[None, :] / 52.1775
    return np.hstack([np.sin(w), np.cos(w)])


def _sarimax(y: np.ndarray, horizon: int):
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    z = np.log1p(y)
    t = np.arange(len(y) + horizon, dtype=float)
    x = fourier(t)
    fit = SARIMAX(z, exog=x[: len(y)], order=(1, 0, 0), trend="c").fit(disp=False)
    f = fit.get_forecast(horizon, exog=x[len(y) :])
    band = f.conf_int(alpha=0.2)
    return np.expm1(f.predicted_mean), np.expm1(band[:, 0]), np.expm1(band[:, 1])


def _seasonal_average(y: np.ndarray, horizon: int):
    n = len(y)
    recent = y[-SEASON:].mean()
    mean = np.empty(horizon)
    for h in range(horizon):
        t = n + h
        same = [
            y[k]
            for back in range(1, n // SEASON + 2)
            for k in range(t - back * SEASON - 2, t - back * SEASON + 3)
            if 0 <= k < n
        ]
        mean[h] = np.mean(same) if same else recent
    # The same weeks of earlier years give the shape, the last year the level.
    years = y[: n - n % SEASON] if n >= SEASON else y
    overall = years.mean() if len(years) else 0.0
    if overall > 0:
        mean = mean * (recent / overall)
    return mean, *_poisson_band(mean)


def _recent_mean(y: np.ndarray, horizon: int):
    mean = np.full(horizon, y[-8:].mean() if len(y) else 0.0)
    return mean, *_poisson_band(mean)


def _poisson_band(mean: np.ndarray):
    from scipy.stats import poisson

    return poisson.ppf(0.1, mean).astype(float), poisson.ppf(0.9, mean).astype(float)


_FITS = {
    "exp_smoothing": _exp_smoothing,
    "holt_winters": _holt_winters,
    "sarimax": _sarimax,
    "seasonal_average": _seasonal_average,
    "recent_mean": _recent_mean,
}


# ---------------------------------------------------------------------------------------------
# Backtest


@dataclass
class Backtest:
    """Absolute errors summed over every origin and step, per method, and the actual total."""

    model: dict[str, float] = field(default_factory=dict)
    errors: dict[str, float] = field(
        default_factory=lambda: {"model": 0.0, "same_week_last_year": 0.0, "last_4_weeks": 0.0}
    )
    actual: float = 0.0
    points: int = 0
    models_used: dict[str, int] = field(default_factory=dict)

    def add(self, other: Backtest) -> None:
        for k, v in other.errors.items():
            self.errors[k] += v
        self.actual += other.actual
        self.points += other.points
        for k, v in other.models_used.items():
            self.models_used[k] = self.models_used.get(k, 0) + v

    def mae(self, method: str) -> float | None:
        return self.errors[method] / self.points if self.points else None

    def wape(self, method: str) -> float | None:
        """Absolute error over actual orders (MAPE breaks on the many zero weeks)."""
        return self.errors[method] / self.actual if self.actual else None

    def relative(self, baseline: str = "same_week_last_year") -> float | None:
        """Model error over the baseline's: below 1 the model is better."""
        return self.errors["model"] / self.errors[baseline] if self.errors[baseline] else None


def backtest(
    y: Sequence[float], *, horizon: int = 4, origins: int = 13, step: int = 4, model: str | None = None
) -> Backtest:
    """Rolling origin over the last `origins` * `step` weeks: fit on everything before the origin,
    forecast `horizon` weeks, and score against what came, beside the two naive forecasts (the
    same week a year before, and the mean of the last four weeks before the origin). Origins need
    a year of history before them, so that the seasonal naive has something to say."""
    y = np.asarray(y, dtype=float)
    result = Backtest()
    n = len(y)
    first = max(SEASON + 4, n - horizon - (origins - 1) * step)
    for origin in range(first, n - horizon + 1, step):
        past, actual = y[:origin], y[origin : origin + horizon]
        p = predict(past, horizon, model=model)
        naive = np.array([y[origin + h - SEASON] for h in range(horizon)])
        mean4 = np.full(horizon, past[-4:].mean())
        result.errors["model"] += float(np.abs(p.mean - actual).sum())
        result.errors["same_week_last_year"] += float(np.abs(naive - actual).sum())
        result.errors["last_4_weeks"] += float(np.abs(mean4 - actual).sum())
        result.actual += float(actual.sum())
        result.points += horizon
        result.models_used[p.model] = result.models_used.get(p.model, 0) + 1
    return result


def synthetic_seasonal(
    weeks: int = 156, *, base: float = 20.0, peak: float = 3.0, seed: int = 7, start_week: int = 0
) -> np.ndarray:
    """A heating-season-like series: Poisson counts whose rate rises `peak`-fold from mid-November
    to mid-March (weeks 46 to 11 of the year) and eases in and out over two weeks."""
    rng = np.random.default_rng(seed)
    woy = (np.arange(weeks) + start_week) % SEASON
    inside = ((woy >= 46) | (woy <= 10)).astype(float)
    shape = np.convolve(np.concatenate([inside[-2:], inside, inside[:2]]), np.ones(5) / 5, mode="valid")
    rate = base * (1 + (peak - 1) * shape)
    return rng.poisson(rate).astype(float)


def month_share(week_start, month_start, month_end) -> float:
    """The share of the week (seven days from the `week_start` date) inside [month_start, month_end)."""
    days = sum(1 for d in range(7) if month_start <= week_start.fromordinal(week_start.toordinal() + d) < month_end)
    return days / 7
