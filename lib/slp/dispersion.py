"""Dispersion of a monthly crime series: how much more than a Poisson count it varies.

``phi`` is Pearson chi-squared over residual degrees of freedom of a Poisson GLM of the monthly
counts on month of year and a natural-spline trend (one degree of freedom per year, at most 8),
fitted to the last (up to) 96 months before March 2020 (or every month, for files that start
after it); at least 1. The same fit gives the usual seasonal pattern (:class:`Dispersion`).
:mod:`slp.variation` judges changes with it.

Examples
--------
>>> import pandas as pd
>>> months = pd.period_range("2012-03", periods=24, freq="M")
>>> d = estimate_dispersion(pd.Series([100.0] * 24, index=months))
>>> d.phi
1.0
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from patsy import dmatrix
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

from slp.errors import SlpError
from slp.periods import parse_month
from slp.seasonality import as_monthly

#: The months no reference change may touch: the first lockdown to the end of the third.
PANDEMIC = (pd.Period("2020-03", "M"), pd.Period("2021-03", "M"))

@dataclass(frozen=True)
class Dispersion:
    """How much more a monthly series varies than a Poisson count, and its seasonal pattern.

    Attributes
    ----------
    phi : float
        Pearson chi-squared / residual degrees of freedom of the Poisson GLM, at least 1.
    start, end : pandas.Period
        First and last month the GLM was fitted to.
    months : int
        Number of months fitted.
    spline_df : int
        Degrees of freedom of the natural-spline trend.
    seasonal : pandas.Series
        Twelve multiplicative month-of-year factors (index 1-12, mean 1): a month with 1.08
        typically runs 8% above the trend.
    """

    phi: float
    start: pd.Period
    end: pd.Period
    months: int
    spline_df: int
    seasonal: pd.Series


def poisson_dispersion(counts, design) -> float:
    """Pearson chi-squared over residual degrees of freedom of a Poisson GLM (not floored).

    Parameters
    ----------
    counts : array-like
        Counts, one per observation.
    design : array-like
        Design matrix (with its intercept column).

    Returns
    -------
    float
        ``sum((y - mu)^2 / mu) / (n - p)``.

    Examples
    --------
    >>> round(poisson_dispersion([90, 110] * 12, np.ones((24, 1))), 6)   # 24/23
    1.043478
    """
    fit = sm.GLM(np.asarray(counts, dtype=float), np.asarray(design, dtype=float),
                 family=sm.families.Poisson()).fit()
    return float(fit.pearson_chi2 / fit.df_resid)


def _glm_months(months: pd.PeriodIndex, before: pd.Period, most: int) -> pd.PeriodIndex:
    """The last ``most`` months before ``before``; all months outside the pandemic if too few."""
    chosen = months[months < before]
    if len(chosen) < 24:
        chosen = months[(months < PANDEMIC[0]) | (months > PANDEMIC[1])]
    return chosen[-most:]


def estimate_dispersion(series: pd.Series, before: str | pd.Period = "2020-03",
                        most_months: int = 96) -> Dispersion:
    """Fit the Poisson GLM (month of year + natural-spline trend) and return its dispersion.

    Parameters
    ----------
    series : pandas.Series
        Monthly counts indexed by month (no gaps).
    before : str or pandas.Period, default "2020-03"
        Fit to months before this one (the pre-pandemic series). When fewer than 24 such months
        exist, every month outside March 2020 to March 2021 is used instead.
    most_months : int, default 96
        Fit to at most this many of the latest eligible months (8 years: the trend then has 8
        degrees of freedom).

    Returns
    -------
    Dispersion

    Raises
    ------
    SlpError
        If fewer than 24 months are available to fit.
    """
    y = as_monthly(series)
    months = _glm_months(y.index, parse_month(before), int(most_months))
    if len(months) < 24:
        raise SlpError(
            f"dispersion: needs at least 24 months outside March 2020 to March 2021 to separate "
            f"trend from season; the series has {len(months)} ({y.index[0]} to {y.index[-1]})"
        )
    counts = y.loc[months].to_numpy(dtype=float)
    spline_df = int(max(1, min(8, round(len(months) / 12))))
    phi, factors = _fitted(tuple(months), counts.tobytes(), spline_df)
    return Dispersion(max(1.0, phi), months[0], months[-1], len(months), spline_df,
                      pd.Series(factors, index=range(1, 13)))


@functools.lru_cache(maxsize=64)
def _design(months: tuple[pd.Period, ...], spline_df: int) -> pd.DataFrame:
    """The GLM's design (month of year + spline trend) of these months, made once; read only."""
    data = {"t": np.array([m.ordinal for m in months], dtype=float), "m": [m.month for m in months]}
    spline = f"cr(t, df={spline_df}, constraints='center')" if spline_df > 2 else "t"
    return dmatrix(f"{spline} + C(m, levels=range(1, 13))", data, return_type="dataframe")


@functools.lru_cache(maxsize=1024)
def _fitted(months: tuple, counts: bytes, spline_df: int) -> tuple[float, tuple[float, ...]]:
    """(phi, the 12 seasonal factors) of the Poisson GLM of ``counts`` (float64 bytes) over
    ``months``, fitted once per distinct series (pages judge the same series many times)."""
    y = np.frombuffer(counts, dtype=float).copy()
    if not y.sum() > 0:
        return 1.0, (1.0,) * 12
    design = _design(months, spline_df)
    with warnings.catch_warnings():
        # a perfect fit (a series with no noise at all) only means phi floors to 1
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        fit = sm.GLM(y, design, family=sm.families.Poisson()).fit()
    month_terms = [name for name in design.columns if name.startswith("C(m")]
    effects = [0.0] + [float(fit.params[name]) for name in month_terms]
    seasonal = pd.Series(np.exp(effects), index=range(1, 13))
    return float(fit.pearson_chi2 / fit.df_resid), tuple(seasonal / seasonal.mean())
