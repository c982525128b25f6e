"""COVID-19: the England lockdowns, crime expected had the pandemic not happened, and recovery.

Lockdown dates (England) are from the House of Commons Library briefing CBP-9068,
"Coronavirus: A history of English lockdown laws", and the Institute for Government
"Timeline of UK government coronavirus lockdowns and restrictions":

- **First national lockdown**: announced 23 March 2020 (stay-at-home law in force 26 March,
  SI 2020/350). Eased in steps: outdoor recreation from 13 May, groups of six outdoors from
  1 June, non-essential shops reopened 15 June; hospitality reopened 4 July 2020. Here:
  23 March to 15 June 2020, shaded months March to June 2020.
- **Second national lockdown**: 5 November to 2 December 2020 (SI 2020/1200), then tiers again
  (London in tier 2, tier 3 from 16 December, tier 4 "stay at home" from 20 December). Shaded
  month November 2020.
- **Third national lockdown**: announced 4 January, in force 6 January 2021; schools reopened
  8 March (step one) and the stay-at-home rule ended 29 March 2021 (step one, part two).
  Shaded months January to March 2021.

Monthly data cannot resolve these dates: a shaded month is one mostly (or, for March 2020,
partly) under lockdown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.regression.linear_model import OLS

from slp.boroughs import is_not_borough
from slp.errors import SlpError
from slp.periods import Window, check_covered, parse_month
from slp.seasonality import as_monthly
from slp.significance import compare_counts


@dataclass(frozen=True)
class Lockdown:
    """One national lockdown in England.

    Attributes
    ----------
    name : str
        E.g. ``"First national lockdown"``.
    start, end : datetime.date
        First and last day of the stay-at-home restrictions.
    months : tuple of str
        Months (``YYYY-MM``) to shade on a monthly chart.
    note : str
        The steps in and out, in words.
    """

    name: str
    start: dt.date
    end: dt.date
    months: tuple[str, ...]
    note: str

    @property
    def periods(self) -> pd.PeriodIndex:
        """The shaded months as a ``PeriodIndex``."""
        return pd.PeriodIndex(list(self.months), freq="M")


LOCKDOWNS: tuple[Lockdown, ...] = (
    Lockdown(
        "First national lockdown",
        dt.date(2020, 3, 23),
        dt.date(2020, 6, 15),
        ("2020-03", "2020-04", "2020-05", "2020-06"),
        "Announced 23 March 2020 (law in force 26 March); outdoor recreation allowed from 13 May, "
        "groups of six outdoors from 1 June, non-essential shops reopened 15 June, hospitality "
        "4 July 2020.",
    ),
    Lockdown(
        "Second national lockdown",
        dt.date(2020, 11, 5),
        dt.date(2020, 12, 2),
        ("2020-11",),
        "5 November to 2 December 2020; London then in tier 2, tier 3 from 16 December and "
        "tier 4 (stay at home) from 20 December 2020.",
    ),
    Lockdown(
        "Third national lockdown",
        dt.date(2021, 1, 6),
        dt.date(2021, 3, 29),
        ("2021-01", "2021-02", "2021-03"),
        "Announced 4 January, in force 6 January 2021; schools reopened 8 March and the "
        "stay-at-home rule ended 29 March 2021 (step one of the roadmap).",
    ),
)

#: The 12 months before the first lockdown: March 2019 to February 2020.
PRE_PANDEMIC_END = "2020-02"

#: How much to widen the log model's 95% prediction interval (on the log scale) for months 1-12,
#: 13-24 and 25-36 (and later) after the end of the baseline, so that it covers at least 95% of
#: back-tested months: fit on 3 years, project the next 3, all 32 London boroughs, origins
#: 2013-03 to 2017-02 (``bench/covid_backtest.py``; figures in ``bench/results/``). The model's
#: own interval assumes the pre-pandemic trend runs on unchanged, and covers far fewer.
BACKTEST_WIDEN = {1: 1.47, 2: 2.13, 3: 2.94}


def lockdown_months() -> pd.PeriodIndex:
    """Every month shaded as lockdown, in order (March-June 2020, November 2020, January-March 2021)."""
    return pd.PeriodIndex([m for lockdown in LOCKDOWNS for m in lockdown.months], freq="M")


def _design(months: pd.PeriodIndex, origin: pd.Period) -> pd.DataFrame:
    """Intercept, linear trend (months since ``origin``) and February..December dummies."""
    t = np.array([(m - origin).n for m in months], dtype=float)
    calendar_month = np.array([m.month for m in months])
    columns = {"const": np.ones(len(months)), "trend": t}
    for month in range(2, 13):
        columns[f"m{month:02d}"] = (calendar_month == month).astype(float)
    return pd.DataFrame(columns, index=months)


def expected_vs_observed(
    monthly_series: pd.Series,
    baseline: tuple[str, str] = ("2017-01", "2020-02"),
    through: str | pd.Period | None = None,
    model: str = "log",
    level: float = 0.95,
    interval: str = "model",
) -> pd.DataFrame:
    """Crime expected from the pre-pandemic trend and seasonality, against what was recorded.

    Say what the expected line is: "the level the 2017-2020 trend would have reached", not what
    crime "should" have been. With ``interval="backtested"`` the projected months' intervals
    are widened by :data:`BACKTEST_WIDEN` so that, in back-tests on the 32 London boroughs,
    they cover at least 90% of months; the model's own interval (``"model"``, kept for
    comparison) assumes the trend runs on unchanged and covers about 68%.

    A regression with a linear trend and month-of-year effects is fitted to the baseline months
    and projected forward. With ``model="log"`` (default) it is fitted to log counts, so trend
    and seasonality are multiplicative (a month is "x% above the trend"), the intervals are
    asymmetric and counts must be positive; ``model="linear"`` fits the counts themselves.

    Parameters
    ----------
    monthly_series : pandas.Series
        Monthly counts indexed by month (e.g. :func:`slp.measures.monthly_counts`), no gaps.
    baseline : (str, str), default ("2017-01", "2020-02")
        First and last month of the pre-pandemic baseline the model is fitted to; at least 24
        months.
    through : str or pandas.Period, optional
        Last month to project to; by default the last month of the series.
    model : {"log", "linear"}, default "log"
        Fit log counts (multiplicative) or counts (additive).
    level : float, default 0.95
        Coverage of the prediction intervals.
    interval : {"model", "backtested"}, default "model"
        The regression's own prediction interval, or the one calibrated by back-testing (log
        model at ``level=0.95`` only).

    Returns
    -------
    pandas.DataFrame
        One row per month from the start of the baseline to ``through``, columns ``month``,
        ``observed``, ``expected`` (model prediction; for the log model the back-transformed
        mean of the logs, i.e. the median), ``lower``, ``upper`` (prediction interval for a
        single month, including the uncertainty of the fitted trend), ``pct_diff``
        (``100 * (observed / expected - 1)``), ``baseline`` (True for months the model was
        fitted to) and ``position`` ("above", "below" or "within" the interval).

    Raises
    ------
    SlpError
        If the series misses baseline months, the baseline is shorter than 24 months,
        ``through`` is before the baseline or after the data, or (log model) a baseline count
        is 0.
    """
    series, base, span = _checked_projection(monthly_series, baseline, through, model, level,
                                             interval)
    y = series.loc[span.start : span.end]
    y_base = y.loc[base.start : base.end]
    if model == "log":
        if (y_base <= 0).any():
            zero = y_base.index[y_base <= 0][0]
            raise SlpError(
                f"the log model needs positive counts but {zero} has {y_base[zero]:g}; use "
                "model='linear' or a larger area or category"
            )
        target = np.log(y_base)
    else:
        target = y_base
    design = _design(y.index, base.start)
    fit = OLS(target.to_numpy(), design.loc[y_base.index].to_numpy()).fit()
    frame = fit.get_prediction(design.to_numpy()).summary_frame(alpha=1.0 - level)
    mean, lower, upper = (frame[c].to_numpy() for c in ("mean", "obs_ci_lower", "obs_ci_upper"))
    if model == "log":
        mean, lower, upper = np.exp(mean), np.exp(lower), np.exp(upper)
    observed = y.to_numpy()
    out = pd.DataFrame(
        {
            "month": y.index,
            "observed": observed,
            "expected": mean,
            "lower": lower,
            "upper": upper,
            "pct_diff": 100.0 * (observed / mean - 1.0),
            "baseline": (y.index >= base.start) & (y.index <= base.end),
        }
    )
    if interval == "backtested":
        _widen(out, base.end)
    out["position"] = np.select(
        [out["observed"] > out["upper"], out["observed"] < out["lower"]],
        ["above", "below"],
        "within",
    )
    return out


def _checked_projection(monthly_series, baseline, through, model, level, interval):
    """The series, baseline window and projected span, or SlpError naming what is wrong."""
    if model not in ("log", "linear"):
        raise SlpError(f"model must be 'log' or 'linear'; got {model!r}")
    if interval not in ("model", "backtested") or (
        interval == "backtested" and (model != "log" or level != 0.95)
    ):
        raise SlpError(
            f"interval must be 'model', or 'backtested' with model='log' and level=0.95 (the "
            f"back-test calibrated those); got interval={interval!r}, model={model!r}, "
            f"level={level!r}"
        )
    if not 0 < level < 1:
        raise SlpError(f"level must be between 0 and 1; got {level!r}")
    series = as_monthly(monthly_series, what="monthly series")
    base = Window(baseline[0], baseline[1])
    if base.months < 24:
        raise SlpError(
            f"baseline {base.start} to {base.end} is {base.months} months; at least 24 months "
            "are needed to separate trend from seasonality"
        )
    last = series.index[-1] if through is None else parse_month(through)
    if last < base.start:
        raise SlpError(f"through {last} is before the baseline starts ({base.start})")
    span = Window(base.start, last)
    check_covered(
        series.index,
        base,
        span,
        what="the monthly series",
        asked=f"baseline {base.start} to {base.end}, through {last}",
    )
    return series, base, span


def _widen(table: pd.DataFrame, baseline_end: pd.Period) -> None:
    """Widen the projected months' log-scale intervals by :data:`BACKTEST_WIDEN`, in place."""
    ahead = np.array([(m - baseline_end).n for m in table["month"]])
    years = np.clip((ahead + 11) // 12, 1, max(BACKTEST_WIDEN))
    k = np.where(ahead > 0, [BACKTEST_WIDEN.get(int(y), 1.0) for y in years], 1.0)
    for column in ("lower", "upper"):
        table[column] = table["expected"] * (table[column] / table["expected"]) ** k


def lockdown_effects(table: pd.DataFrame) -> pd.DataFrame:
    """Observed against expected crime over each lockdown's shaded months.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`expected_vs_observed` reaching past the lockdowns.

    Returns
    -------
    pandas.DataFrame
        One row per lockdown the table covers in full, columns ``lockdown``, ``start``, ``end``
        (first and last shaded month), ``observed``, ``expected`` (sums over the months) and
        ``pct_diff`` (``100 * (observed / expected - 1)``).
    """
    have = set(table["month"])
    rows = []
    for lockdown in LOCKDOWNS:
        months = lockdown.periods
        if not all(m in have for m in months):
            continue
        part = table[table["month"].isin(months)]
        observed, expected = float(part["observed"].sum()), float(part["expected"].sum())
        rows.append(
            {
                "lockdown": lockdown.name,
                "start": months[0],
                "end": months[-1],
                "observed": observed,
                "expected": expected,
                "pct_diff": 100.0 * (observed / expected - 1.0),
            }
        )
    return pd.DataFrame(
        rows, columns=["lockdown", "start", "end", "observed", "expected", "pct_diff"]
    )


def pre_pandemic_comparison(
    crime: pd.DataFrame,
    borough: str,
    period_end: str | pd.Period,
    by: str = "major",
    baseline_end: str | pd.Period = PRE_PANDEMIC_END,
    baseline_years: int = 1,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """The last 12 months of each category against the 12 months before the pandemic.

    By default the pre-pandemic baseline is the 12 months to February 2020 (March 2019 to
    February 2020), the last full year before the first lockdown; both windows hold every
    calendar month once, so seasonality cancels. With ``baseline_years=3`` the baseline is the
    average of the three 12-month windows ending February 2020 (March 2017 to February 2020),
    which smooths out one unusual year.

    Parameters
    ----------
    crime : pandas.DataFrame
        Borough-level recorded crime (``borough``, ``major``, ``minor``, ``month``, ``count``).
    borough : str
        The borough, or ``"London"`` for the sum of all boroughs.
    period_end : str or pandas.Period
        Last month of the current 12 months, ``YYYY-MM``; the 12 months must start after
        ``baseline_end``.
    by : {"major", "minor"}, default "major"
        Category level.
    baseline_end : str or pandas.Period, default "2020-02"
        Last month of the baseline.
    baseline_years : int, default 1
        Number of 12-month windows averaged into the baseline.
    alpha : float, default 0.05
        Significance level.

    Returns
    -------
    pandas.DataFrame
        One row per category (most common now first) and a final ``"All crime"`` row, columns
        ``major`` (and ``minor`` for ``by="minor"``), ``count`` (last 12 months),
        ``pre_pandemic_count`` (baseline count per 12 months), ``change_pct`` (% above or below
        the baseline), ``direction`` ("higher", "lower" or "same"), ``p_value`` and
        ``significant`` (exact conditional Poisson test, exposure ratio
        ``1 / baseline_years``; chance alone, kept for existing callers), and the verdict of
        :func:`slp.variation.judge_change` against the area's own history of changes over the
        same gap (lead with these): ``verdict`` ("within", "larger_rise", "larger_fall" or
        None), ``z``, ``p_adjusted`` (Benjamini-Hochberg across the category rows),
        ``usual_range_pct`` ((low, high) or None), ``reference`` and ``method``; no verdict with
        ``baseline_years > 1``. Population change between the two periods is ignored.

    Raises
    ------
    SlpError
        If the borough is unknown, the data misses a month, or the windows overlap.
    """
    if by not in ("major", "minor"):
        raise SlpError(f"by must be 'major' or 'minor'; got {by!r}")
    if int(baseline_years) < 1:
        raise SlpError(f"baseline_years must be 1 or more; got {baseline_years!r}")
    keys = ["major"] if by == "major" else ["major", "minor"]
    not_boroughs = [n for n in crime["borough"].unique() if is_not_borough(n)]
    crime = crime[~crime["borough"].isin(not_boroughs)]
    if borough != "London":
        boroughs = sorted(crime["borough"].unique())
        if borough not in boroughs:
            raise SlpError(
                f"borough '{borough}' is not in the crime data; it holds {', '.join(boroughs[:8])} ..."
            )
        crime = crime[crime["borough"] == borough]
    now = Window.ending(period_end, 12)
    base = Window.ending(baseline_end, 12 * int(baseline_years))
    if now.start <= base.end:
        raise SlpError(
            f"period_end {now.end}: the 12 months compared ({now.label}) overlap the "
            f"pre-pandemic baseline ({base.label}); choose a period_end after {base.end + 11}"
        )
    check_covered(crime["month"].unique(), now, base, asked=f"pre-pandemic comparison to {now.end}")

    out = _totals_table(crime, keys, now, base)
    years = int(baseline_years)
    out["pre_pandemic_count"] = out["_baseline_total"] / years
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = out["count"].to_numpy(dtype=float) / out["pre_pandemic_count"].to_numpy(dtype=float)
    out["change_pct"] = np.where(out["pre_pandemic_count"] > 0, 100.0 * (ratio - 1.0), np.nan)
    out["direction"] = np.select(
        [out["count"] > out["pre_pandemic_count"], out["count"] < out["pre_pandemic_count"]],
        ["higher", "lower"],
        "same",
    )
    tests = [
        compare_counts(c, b, exposure_ratio=1.0 / years, alpha=alpha)
        for c, b in zip(out["count"], out["_baseline_total"], strict=True)
    ]
    out["p_value"] = [t.p_value for t in tests]
    out["significant"] = [t.significant for t in tests]
    out = out.drop(columns="_baseline_total")
    _add_verdicts(out, crime, keys, now.end, (now.end - base.end).n, years)
    out.attrs.update(window=now.label, baseline=base.label)
    return out


def _totals_table(crime: pd.DataFrame, keys: list[str], now: Window, base: Window) -> pd.DataFrame:
    """Counts per category in the two windows, most common now first, an "All crime" row last."""
    def totals(window: Window) -> pd.Series:
        rows = crime[(crime["month"] >= window.start) & (crime["month"] <= window.end)]
        return rows.groupby(keys)["count"].sum()

    current, before = totals(now), totals(base)
    index = current.index.union(before.index)
    current, before = current.reindex(index, fill_value=0), before.reindex(index, fill_value=0)
    out = index.to_frame(index=False)
    out["count"] = current.to_numpy(dtype="int64")
    out["_baseline_total"] = before.to_numpy(dtype="int64")
    out = out.sort_values(
        ["count", *keys], ascending=[False] + [True] * len(keys), ignore_index=True
    )
    total = {k: "All crime" for k in keys}
    total.update(count=int(out["count"].sum()), _baseline_total=int(out["_baseline_total"].sum()))
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    return out


def _add_verdicts(out: pd.DataFrame, crime: pd.DataFrame, keys: list[str], end: pd.Period,
                  lag: int, years: int) -> None:
    """Add the :data:`VERDICT_COLUMNS` and ``usual_range_pct`` to the table, in place."""
    verdicts = [None] * len(out)
    if years == 1:
        verdicts = _judge_rows_against_baseline(crime, out, keys, end, lag)
    for column in VERDICT_COLUMNS:
        out[column] = [None if v is None else getattr(v, column) for v in verdicts]
    out["usual_range_pct"] = [None if v is None else v.usual_range_pct for v in verdicts]
    if years > 1:
        out["reference"] = "not judged: the baseline is an average of several years"


#: Columns of :class:`slp.variation.ChangeVerdict` copied into the pre-pandemic table.
VERDICT_COLUMNS = ("verdict", "z", "p_adjusted", "reference", "method")


def _judge_rows_against_baseline(crime: pd.DataFrame, table: pd.DataFrame, keys: list[str],
                                 end: pd.Period, lag: int) -> list:
    """Each row's 12 months against the pre-pandemic 12, judged by the area's own history.

    The reference set is every earlier 12-month total against the one ``lag`` months before it,
    from before the pandemic (:func:`slp.variation.judge_change`); Benjamini-Hochberg across the
    category rows (not the "All crime" row). ``None`` for a row when the monthly series does not
    reach back far enough.
    """
    from slp.variation import judge_change, judge_rows

    months = pd.period_range(crime["month"].min(), crime["month"].max(), freq="M")
    wide = crime.pivot_table(index="month", columns=keys, values="count", aggfunc="sum",
                             observed=True).reindex(months, fill_value=0).fillna(0)
    verdicts = []
    for _, row in table.iterrows():
        key = tuple(row[k] for k in keys)
        if key[0] == "All crime":
            series = wide.sum(axis=1)
        else:
            series = wide[key if len(keys) > 1 else key[0]]
        try:
            verdicts.append(judge_change(series.astype(float), end, months=12, lag=lag))
        except SlpError:
            verdicts.append(None)
    rows = [i for i, key in enumerate(table[keys[0]]) if key != "All crime" and verdicts[i]]
    for i, judged in zip(rows, judge_rows([verdicts[i] for i in rows]), strict=True):
        verdicts[i] = judged
    return verdicts


def backtest_projection(series: pd.Series, fit_ends, fit_months: int = 36, horizon: int = 36,
                        level: float = 0.95) -> pd.DataFrame:
    """Fit the log model on ``fit_months`` months, project ``horizon`` months, score each month.

    Parameters
    ----------
    series : pandas.Series
        Monthly counts (no gaps, all positive in the windows used).
    fit_ends : iterable of str or pandas.Period
        Last month of each fitting window (the back-test origins).
    fit_months, horizon : int, default 36
        Length of the fitting window and of the projection.
    level : float, default 0.95
        Coverage of the model's prediction interval.

    Returns
    -------
    pandas.DataFrame
        One row per origin and projected month: ``origin``, ``month``, ``ahead`` (1 = the first
        month after the origin), ``year_ahead`` (1-3: months 1-12, 13-24, 25-36), ``observed``,
        ``expected``, ``inside`` (within the model's interval) and ``scaled_error``
        (``|ln(observed / expected)|`` over the interval's half-width on the log scale: the
        month is inside an interval widened by ``k`` exactly when ``scaled_error <= k``).
    """
    frames = []
    for fit_end in fit_ends:
        end = parse_month(fit_end)
        start = end - (int(fit_months) - 1)
        table = expected_vs_observed(series, baseline=(str(start), str(end)),
                                     through=end + int(horizon), level=level)
        ahead = table[~table["baseline"]].copy()
        ahead["ahead"] = [(m - end).n for m in ahead["month"]]
        ahead["year_ahead"] = (ahead["ahead"] + 11) // 12
        half = np.log(ahead["upper"] / ahead["expected"])
        ahead["scaled_error"] = np.abs(np.log(ahead["observed"] / ahead["expected"])) / half
        ahead["inside"] = ahead["position"] == "within"
        ahead.insert(0, "origin", end)
        frames.append(ahead[["origin", "month", "ahead", "year_ahead", "observed", "expected",
                             "inside", "scaled_error"]])
    return pd.concat(frames, ignore_index=True)


def widening_factors(backtest: pd.DataFrame, coverage: float = 0.95) -> dict[int, float]:
    """The factor, for each year ahead, that makes the interval cover ``coverage`` of months.

    Parameters
    ----------
    backtest : pandas.DataFrame
        From :func:`backtest_projection` (any number of series and origins concatenated).
    coverage : float, default 0.95
        Share of back-tested months the widened interval should cover.

    Returns
    -------
    dict of int to float
        ``{year_ahead: k}``, ``k`` the ``coverage`` quantile of ``scaled_error`` (at least 1).

    Examples
    --------
    >>> bt = pd.DataFrame({"year_ahead": [1] * 4, "scaled_error": [0.5, 0.9, 1.5, 2.0]})
    >>> widening_factors(bt, coverage=0.75)
    {1: 1.5}
    """
    out = {}
    for year, part in backtest.groupby("year_ahead"):
        k = float(np.quantile(part["scaled_error"], coverage, method="inverted_cdf"))
        out[int(year)] = max(1.0, k)
    return out
