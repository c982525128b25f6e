"""Seasonality and trend: STL decomposition of a monthly crime series.

A monthly count is split into trend + seasonal + remainder with STL (Cleveland et al. 1990,
"STL: A Seasonal-Trend Decomposition Procedure Based on Loess", Journal of Official Statistics
6:3-73) as implemented by :class:`statsmodels.tsa.seasonal.STL`, with ``period=12`` and
``robust=True`` so that one-off shocks (the 2020 lockdowns) are left in the remainder rather than
bent into the trend or the seasonal pattern.

Examples
--------
>>> parts = decompose(series)            # doctest: +SKIP
>>> seasonal_profile(parts)              # doctest: +SKIP
>>> summarise_trend(parts).direction     # doctest: +SKIP
'rising'
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.tsa.seasonal import STL

from slp.errors import SlpError


def as_monthly(series: pd.Series, what: str = "series") -> pd.Series:
    """Return ``series`` with a complete monthly ``PeriodIndex`` named ``month``, as floats.

    Parameters
    ----------
    series : pandas.Series
        Values indexed by month: a ``PeriodIndex``, a ``DatetimeIndex`` or ``YYYY-MM`` strings.
    what : str, default "series"
        How to name the series in error messages.

    Raises
    ------
    SlpError
        If the index is not monthly, a month is repeated or missing, or a value is missing.
    """
    index = series.index
    try:
        if isinstance(index, pd.PeriodIndex):
            months = index.asfreq("M")
        elif isinstance(index, pd.DatetimeIndex):
            months = index.to_period("M")
        else:
            months = pd.PeriodIndex(pd.Index(index).astype(str), freq="M")
    except (ValueError, TypeError) as error:
        raise SlpError(
            f"{what}: index must be months (YYYY-MM); got {index[:3].tolist()} ..."
        ) from error
    out = pd.Series(np.asarray(series, dtype=float), index=months).sort_index()
    out.index.name = "month"
    if out.index.has_duplicates:
        raise SlpError(f"{what}: month {out.index[out.index.duplicated()][0]} appears twice")
    full = pd.period_range(out.index.min(), out.index.max(), freq="M", name="month")
    if len(full) != len(out):
        gaps = full.difference(out.index)
        raise SlpError(
            f"{what}: months missing between {full[0]} and {full[-1]}: "
            f"{', '.join(map(str, gaps[:6]))}{' ...' if len(gaps) > 6 else ''}"
        )
    if out.isna().any():
        raise SlpError(f"{what}: no value for {out.index[out.isna()][0]}")
    return out.rename(series.name)


def decompose(
    series: pd.Series, period: int = 12, robust: bool = True, seasonal: int = 13
) -> pd.DataFrame:
    """Split a monthly series into trend, seasonal and remainder with STL.

    Parameters
    ----------
    series : pandas.Series
        Monthly counts (or rates) indexed by month, with no gaps.
    period : int, default 12
        Length of the seasonal cycle in months.
    robust : bool, default True
        Down-weight outlying months (e.g. lockdowns) when fitting.
    seasonal : int, default 13
        Length (odd, in cycles, i.e. years) of STL's seasonal smoother. 13 keeps the seasonal
        pattern close to fixed over a decade of data; statsmodels' default of 7 lets each
        calendar month's effect follow the noise of short series.

    Returns
    -------
    pandas.DataFrame
        One row per month, columns ``month`` (Period), ``observed``, ``trend``, ``seasonal``,
        ``resid`` (``observed = trend + seasonal + resid``) and ``weight``, STL's robustness
        weight of the month (1 = ordinary, 0 = treated as an outlier, e.g. a lockdown month;
        all 1 when ``robust=False``).

    Raises
    ------
    SlpError
        If the series has gaps or fewer than two full cycles (24 months for ``period=12``).
    """
    values = as_monthly(series)
    if len(values) < 2 * period:
        raise SlpError(
            f"decompose: STL needs at least two full years ({2 * period} months) of data; the "
            f"series has {len(values)} months ({values.index[0]} to {values.index[-1]})"
        )
    fit = STL(values.to_numpy(), period=period, seasonal=seasonal, robust=robust).fit()
    return pd.DataFrame(
        {
            "month": values.index,
            "observed": values.to_numpy(),
            "trend": np.asarray(fit.trend),
            "seasonal": np.asarray(fit.seasonal),
            "resid": np.asarray(fit.resid),
            "weight": np.asarray(fit.weights),
        }
    )


def seasonal_profile(decomposition: pd.DataFrame) -> pd.DataFrame:
    """Average seasonal effect of each calendar month, in counts and as % of the level.

    Parameters
    ----------
    decomposition : pandas.DataFrame
        Output of :func:`decompose`.

    Returns
    -------
    pandas.DataFrame
        Twelve rows, January first, columns ``calendar_month`` (1-12), ``month_name``
        ("January" ...), ``seasonal`` (mean seasonal component, same units as the series) and
        ``pct_of_level`` (mean of ``100 * seasonal / trend``: e.g. +8 means that month typically
        runs 8% above the underlying level).
    """
    parts = decomposition
    calendar_month = parts["month"].dt.month.to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = 100.0 * parts["seasonal"].to_numpy() / parts["trend"].to_numpy()
    frame = pd.DataFrame(
        {
            "calendar_month": calendar_month,
            "seasonal": parts["seasonal"].to_numpy(),
            "pct_of_level": pct,
        }
    )
    out = frame.groupby("calendar_month", as_index=False).mean()
    out = out.set_index("calendar_month").reindex(range(1, 13)).reset_index()
    out.insert(1, "month_name", [calendar.month_name[m] for m in out["calendar_month"]])
    return out


@dataclass(frozen=True)
class TrendSummary:
    """Direction of the trend over the last months of a series.

    Attributes
    ----------
    months : int
        Length of the stretch summarised.
    start, end : pandas.Period
        First and last month of the stretch.
    slope_per_month : float
        Least-squares slope of the STL trend over the stretch, in series units per month.
    slope_pct_per_month : float
        The slope as % of the mean trend level over the stretch.
    change : float
        Change of the trend line over the stretch, ``slope_per_month * (months - 1)``.
    noise : float
        Standard deviation of the STL remainder over the whole series, leaving out the months
        robust STL treated as outliers (weight 0), in series units. It understates the true
        month-to-month noise somewhat (see :func:`summarise_trend`).
    larger_than_noise : bool
        ``abs(change) > 2 * noise``: the trend moved by more than a typical month's random
        wobble would explain.
    direction : str
        ``"rising"`` or ``"falling"`` when ``larger_than_noise``, else ``"flat"``.
    """

    months: int
    start: pd.Period
    end: pd.Period
    slope_per_month: float
    slope_pct_per_month: float
    change: float
    noise: float
    larger_than_noise: bool
    direction: str


def summarise_trend(decomposition: pd.DataFrame, months: int = 12) -> TrendSummary:
    """Say whether the trend over the last ``months`` months is rising, falling or flat.

    Parameters
    ----------
    decomposition : pandas.DataFrame
        Output of :func:`decompose`.
    months : int, default 12
        How many of the latest months to summarise.

    Returns
    -------
    TrendSummary
        Slope per month, change over the stretch, remainder noise and direction.

    Raises
    ------
    SlpError
        If ``months`` is less than 2 or longer than the series.

    Notes
    -----
    "Larger than noise" is a rule of thumb, not a formal test: the change of the trend line
    over the stretch is compared with twice the robust standard deviation of the monthly
    remainder. STL's smooth trend and seasonal parts soak up some of the month-to-month noise,
    so the remainder understates it (by about a fifth to a quarter for 8-13 years of monthly
    data, more at the ends of the series); the factor of 2 leaves room for that.
    """
    if not 2 <= months <= len(decomposition):
        raise SlpError(
            f"summarise_trend: months must be from 2 to the series length "
            f"({len(decomposition)}); got {months}"
        )
    tail = decomposition.iloc[-months:]
    x = np.arange(months, dtype=float)
    slope = float(np.polyfit(x, tail["trend"].to_numpy(dtype=float), 1)[0])
    level = float(tail["trend"].mean())
    resid = decomposition["resid"].to_numpy(dtype=float)
    if "weight" in decomposition:
        resid = resid[decomposition["weight"].to_numpy(dtype=float) > 0]
    noise = float(np.std(resid, ddof=1))
    change = slope * (months - 1)
    larger = bool(abs(change) > 2.0 * noise)
    direction = ("rising" if change > 0 else "falling") if larger else "flat"
    return TrendSummary(
        months=months,
        start=tail["month"].iloc[0],
        end=tail["month"].iloc[-1],
        slope_per_month=slope,
        slope_pct_per_month=100.0 * slope / level if level else float("nan"),
        change=change,
        noise=noise,
        larger_than_noise=larger,
        direction=direction,
    )


def describe_trend(summary: TrendSummary, unit: str = "crimes") -> str:
    """Say in a sentence which way the trend went over the summarised months.

    Parameters
    ----------
    summary : TrendSummary
        Output of :func:`summarise_trend`.
    unit : str, default "crimes"
        What the series counts.

    Returns
    -------
    str
        E.g. "Over the 12 months to September 2022 the underlying trend was rising, by about 6
        crimes a month (0.2% a month), more than month-to-month variation explains." or "... was
        broadly flat: its change (+62 crimes) is within normal month-to-month variation."

    Examples
    --------
    >>> s = TrendSummary(12, pd.Period("2022-09", "M") - 11, pd.Period("2022-09", "M"),
    ...                  -5.6, -0.24, -61.6, 44.0, False, "flat")
    >>> describe_trend(s)
    'Over the 12 months to September 2022 the underlying trend was broadly flat: its change (-62 crimes) is within normal month-to-month variation.'
    """
    lead = (
        f"Over the {summary.months} months to {summary.end.strftime('%B %Y')} the underlying trend"
    )
    if summary.direction == "flat":
        return (
            f"{lead} was broadly flat: its change ({summary.change:+,.0f} {unit}) is within "
            "normal month-to-month variation."
        )
    return (
        f"{lead} was {summary.direction}, by about {abs(summary.slope_per_month):,.0f} {unit} a "
        f"month ({abs(summary.slope_pct_per_month):.1f}% a month), more than month-to-month "
        "variation explains."
    )
