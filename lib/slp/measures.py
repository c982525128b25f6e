"""Counts, rates, changes and ranks: the figures of a strategic assessment's "Crime in ..." section.

Every function takes recorded crime in the long form the loaders produce (columns ``borough``,
``major``, ``minor``, ``month`` as ``period[M]``, ``count``) and a population Series indexed by
borough, and returns a plain DataFrame.

Conventions
-----------
- **London** is the sum over every borough in the frame (the 32 MPS boroughs); rows that are not
  boroughs (the airports row, "Unknown"; see :func:`slp.boroughs.is_not_borough`) are left out.
  For police.uk files the "boroughs" are the force's authorities and "London" (the ``london_*``
  columns, the area ``"London"``) is their sum, the force's area: the run's comparison frame
  (:class:`slp.frame.Frame`) names it in words.
- **Rates** are crimes per 1,000 residents over the whole window (not per year): 12 months give
  an annual rate, 3 months a quarterly one, as in the Safer Lewisham Partnership Plan.
- **% change** is ``100 * (current - previous) / previous``; ``nan`` when ``previous`` is 0.
- **Rank** is the borough's position among all boroughs by rate, 1 = highest rate; ties share the
  lowest position (pandas ``rank(method="min")``); ``rank_of`` is the number of boroughs ranked.
- **Verdicts** on changes are not here: whether a change is unusual for the area is judged
  against its own history by :mod:`slp.verdicts` (never by a test against chance alone).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from slp.boroughs import is_not_borough
from slp.errors import SlpError
from slp.periods import Window, check_covered, parse_month, windows_ending
from slp.suggest import did_you_mean

LONDON = "London"
LEVELS = {"major": ["major"], "minor": ["major", "minor"]}


# --------------------------------------------------------------------------------------------
# small building blocks
# --------------------------------------------------------------------------------------------


def rate_per_1000(count, population):
    """Crimes per 1,000 residents: ``1000 * count / population``.

    Parameters
    ----------
    count : number, array-like or pandas.Series
    population : number, array-like or pandas.Series

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Same shape as the inputs.

    Examples
    --------
    >>> round(rate_per_1000(28_409, 305_309), 2)
    93.05
    """
    return 1000.0 * count / population


def percent_change(current, previous):
    """Percentage change from ``previous`` to ``current``; ``nan`` where ``previous`` is 0.

    Parameters
    ----------
    current, previous : number or array-like
        Counts or rates, of the same shape.

    Returns
    -------
    float or numpy.ndarray
        ``100 * (current - previous) / previous``: a float for scalars, an array otherwise.

    Examples
    --------
    >>> round(percent_change(28_409, 26_636), 2)
    6.66
    """
    cur = np.asarray(current, dtype=float)
    prev = np.asarray(previous, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(prev == 0, np.nan, 100.0 * (cur - prev) / prev)
    return float(out) if out.ndim == 0 else out


def _boroughs_only(crime: pd.DataFrame) -> pd.DataFrame:
    names = crime["borough"].unique()
    drop = [n for n in names if is_not_borough(n)]
    return crime[~crime["borough"].isin(drop)] if drop else crime


def _check_area(name: str, areas: Sequence[str], what: str = "borough") -> None:
    if name not in set(areas):
        shown = ", ".join(sorted(map(str, areas))[:8])
        raise SlpError(
            f"{what} '{name}' is not in the crime data{did_you_mean(name, areas)}; "
            f"it holds {len(areas)} {what}s: {shown}{' ...' if len(areas) > 8 else ''}"
        )


def _population_of(areas: Sequence[str], population: pd.Series, what: str = "borough") -> pd.Series:
    """Population of each area, in the order given; SlpError naming any area without one."""
    missing = [a for a in areas if a not in population.index]
    if missing:
        shown = ", ".join(f"'{m}'{did_you_mean(m, population.index)}" for m in missing[:5])
        raise SlpError(
            f"population: no figure for {len(missing)} {what}(s) in the crime data: {shown}"
            f"{' ...' if len(missing) > 5 else ''}; expected the population index to use the "
            f"same {what} names as the crime data"
        )
    pop = population.reindex(list(areas)).astype(float)
    bad = pop[~(pop > 0)]
    if len(bad):
        raise SlpError(
            f"population: {what} '{bad.index[0]}' has population {bad.iloc[0]!r}; "
            "expected a positive number of residents"
        )
    return pop


def _totals(crime: pd.DataFrame, window: Window, keys: Sequence[str]) -> pd.Series:
    mask = (crime["month"] >= window.start) & (crime["month"] <= window.end)
    return crime.loc[mask].groupby(list(keys), observed=True, sort=True)["count"].sum()


def _rank(rates: pd.Series) -> pd.Series:
    return rates.rank(ascending=False, method="min").astype("int64")


def _prepare(crime: pd.DataFrame, borough: str | None = None) -> tuple[pd.DataFrame, list[str]]:
    crime = _boroughs_only(crime)
    boroughs = sorted(crime["borough"].unique().tolist())
    if borough is not None:
        _check_area(borough, boroughs)
    return crime, boroughs


# --------------------------------------------------------------------------------------------
# public measures
# --------------------------------------------------------------------------------------------


def monthly_counts(
    crime: pd.DataFrame,
    area: str | None = None,
    major: str | None = None,
    minor: str | None = None,
    area_column: str = "borough",
) -> pd.Series:
    """Crimes per month for one area (or London) and optionally one category.

    Parameters
    ----------
    crime : pandas.DataFrame
        Recorded crime in long form (``month``, ``count`` and the columns filtered on).
    area : str, optional
        Value of ``area_column`` to keep; ``None`` or ``"London"`` sums every borough.
    major, minor : str, optional
        Category to keep.
    area_column : str, default "borough"
        Column naming the area (``"ward_code"`` for ward data).

    Returns
    -------
    pandas.Series
        Counts indexed by ``month`` (a ``PeriodIndex``, every month from the first to the last of
        the data, months with no rows filled with 0), named ``count``.

    Examples
    --------
    >>> crime = pd.DataFrame({"borough": ["A", "A", "B"], "major": ["Theft", "Burglary", "Theft"],
    ...                       "month": pd.PeriodIndex(["2022-01", "2022-02", "2022-02"], freq="M"),
    ...                       "count": [3, 4, 5]})
    >>> monthly_counts(crime, "A", major="Theft").tolist()
    [3, 0]
    >>> monthly_counts(crime, "London").tolist()
    [3, 9]
    """
    if area_column == "borough":
        crime = _boroughs_only(crime)
    rows = crime
    if area is not None and area != LONDON:
        _check_area(area, rows[area_column].unique().tolist(), what=area_column.replace("_", " "))
        rows = rows[rows[area_column] == area]
    for column, value in (("major", major), ("minor", minor)):
        if value is not None:
            _check_area(value, crime[column].unique().tolist(), what=f"{column} category")
            rows = rows[rows[column] == value]
    series = rows.groupby("month")["count"].sum()
    months = pd.period_range(crime["month"].min(), crime["month"].max(), freq="M", name="month")
    return series.reindex(months, fill_value=0).astype("int64").rename("count")


def counts_in_window(
    crime: pd.DataFrame, window: Window, by: Sequence[str] = ("borough",)
) -> pd.DataFrame:
    """Total crimes in a window, grouped by the columns in ``by``.

    Parameters
    ----------
    crime : pandas.DataFrame
        Recorded crime in long form.
    window : Window
        Months to add up.
    by : sequence of str, default ("borough",)
        Grouping columns, e.g. ``("borough", "major")``.

    Returns
    -------
    pandas.DataFrame
        Columns ``*by`` and ``count`` (int64), one row per group with rows in the window.

    Raises
    ------
    SlpError
        If the data does not hold every month of ``window``.
    """
    check_covered(crime["month"].unique(), window)
    return _totals(crime, window, by).astype("int64").reset_index()


def rates_in_window(
    crime: pd.DataFrame,
    population: pd.Series,
    window: Window,
    area_column: str = "borough",
    major: str | None = None,
    minor: str | None = None,
) -> pd.DataFrame:
    """Count, rate per 1,000 and rank of every area in a window.

    Parameters
    ----------
    crime : pandas.DataFrame
        Recorded crime in long form (borough or ward level).
    population : pandas.Series
        Residents per area, indexed like ``area_column``.
    window : Window
        Months to add up.
    area_column : str, default "borough"
        Column naming the areas: ``"borough"`` or ``"ward_code"``. For wards, pass only the
        wards to be ranked (e.g. one borough's), each with a population.
    major, minor : str, optional
        Restrict to one category.

    Returns
    -------
    pandas.DataFrame
        One row per area (sorted by rank), columns ``area``, ``count``, ``population``,
        ``rate_per_1000``, ``rank`` (1 = highest rate, ties "min") and ``rank_of``.

    Raises
    ------
    SlpError
        If the data misses a month of the window or an area has no population.

    Examples
    --------
    >>> crime = pd.DataFrame({"borough": ["A", "A", "B"], "major": ["Theft", "Burglary", "Theft"],
    ...                       "month": pd.PeriodIndex(["2022-01", "2022-02", "2022-02"], freq="M"),
    ...                       "count": [3, 4, 5]})
    >>> rates = rates_in_window(crime, pd.Series({"A": 1000, "B": 2000}),
    ...                         Window("2022-01", "2022-02"))
    >>> rates[["area", "count", "rate_per_1000", "rank"]]
      area  count  rate_per_1000  rank
    0    A      7            7.0     1
    1    B      5            2.5     2
    """
    if area_column == "borough":
        crime = _boroughs_only(crime)
    check_covered(crime["month"].unique(), window)
    areas = sorted(crime[area_column].unique().tolist())
    rows = crime
    for column, value in (("major", major), ("minor", minor)):
        if value is not None:
            rows = rows[rows[column] == value]
    counts = _totals(rows, window, [area_column]).reindex(areas, fill_value=0)
    pop = _population_of(areas, population, what=area_column.replace("_", " "))
    rate = rate_per_1000(counts.astype(float), pop)
    out = pd.DataFrame(
        {
            "area": areas,
            "count": counts.to_numpy(dtype="int64"),
            "population": pop.to_numpy(),
            "rate_per_1000": rate.to_numpy(),
            "rank": _rank(rate).to_numpy(),
            "rank_of": len(areas),
        }
    )
    return out.sort_values(["rank", "area"], ignore_index=True)


def headline_table(
    crime: pd.DataFrame,
    population: pd.Series,
    borough: str,
    period_end: str | pd.Period,
    lengths: Iterable[int] = (12, 6, 3),
    compare_with: str = "previous",
    previous_population: pd.Series | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """The headline figures: total, rate, change and London change for each window.

    Reproduces the plan's "Last 12/6/3 Months" boxes (TOTAL NUMBER, CRIME RATE, RATE CHANGE,
    LONDON CHANGE) plus the rank among boroughs; :func:`slp.verdicts.headline_verdict` judges
    the change.

    Parameters
    ----------
    crime : pandas.DataFrame
        Borough-level recorded crime for every London borough.
    population : pandas.Series
        Residents per borough for the current windows.
    borough : str
        The borough reported on.
    period_end : str or pandas.Period
        Last month of the reporting period, ``YYYY-MM``.
    lengths : iterable of int, default (12, 6, 3)
        Window lengths in months.
    compare_with : {"previous", "year_earlier"}, default "previous"
        Compare each window with the window of the same length just before it (as the plan
        does) or with the same months a year earlier (year-on-year). The two are the same for 12
        months.
    previous_population : pandas.Series, optional
        Residents per borough for the comparison windows; by default ``population``, in which
        case ``rate_change_pct`` equals ``change_pct``.
    alpha : float, default 0.05
        Unused; kept so that older calls still work.

    Returns
    -------
    pandas.DataFrame
        One row per window length, columns:

        - ``months``, ``start``, ``end``, ``label``: the window (``start``/``end`` are Periods,
          ``label`` e.g. "October 2021 to September 2022");
        - ``previous_start``, ``previous_end``: the window compared with;
        - ``count``, ``previous_count``, ``change_pct``: the borough's crimes and % change;
        - ``rate_per_1000``, ``previous_rate_per_1000``, ``rate_change_pct``: the same as rates;
        - ``london_count``, ``london_previous_count``, ``london_change_pct``,
          ``london_rate_per_1000``: London (sum of all boroughs);
        - ``rank``, ``rank_of``: the borough's rank by rate among all boroughs (1 = highest).

    Raises
    ------
    SlpError
        If the borough is not in the data, a borough has no population, or the data misses a
        month of a window or its comparison window (the message names both).

    Examples
    --------
    >>> headline_table(crime, population, "Lewisham", "2022-09")  # doctest: +SKIP
    """
    if compare_with not in ("previous", "year_earlier"):
        raise SlpError(f"compare_with must be 'previous' or 'year_earlier'; got {compare_with!r}")
    crime, boroughs = _prepare(crime, borough)
    pop = _population_of(boroughs, population)
    prev_pop = pop if previous_population is None else _population_of(boroughs, previous_population)
    months_held = crime["month"].unique()
    rows = []
    for window in windows_ending(period_end, lengths):
        other = window.previous() if compare_with == "previous" else window.year_earlier()
        check_covered(months_held, window, other, asked=f"period_end {parse_month(period_end)}")
        now = _totals(crime, window, ["borough"]).reindex(boroughs, fill_value=0)
        then = _totals(crime, other, ["borough"]).reindex(boroughs, fill_value=0)
        rates = rate_per_1000(now.astype(float), pop)
        count, previous = int(now[borough]), int(then[borough])
        rate, previous_rate = float(rates[borough]), rate_per_1000(previous, prev_pop[borough])
        rows.append(
            {
                "months": window.months,
                "start": window.start,
                "end": window.end,
                "label": window.label,
                "previous_start": other.start,
                "previous_end": other.end,
                "count": count,
                "previous_count": previous,
                "change_pct": percent_change(count, previous),
                "rate_per_1000": rate,
                "previous_rate_per_1000": previous_rate,
                "rate_change_pct": percent_change(rate, previous_rate),
                "london_count": int(now.sum()),
                "london_previous_count": int(then.sum()),
                "london_change_pct": percent_change(now.sum(), then.sum()),
                "london_rate_per_1000": rate_per_1000(float(now.sum()), pop.sum()),
                "rank": int(_rank(rates)[borough]),
                "rank_of": len(boroughs),
            }
        )
    return pd.DataFrame(rows)


def _category_frame(
    crime: pd.DataFrame,
    population: pd.Series,
    borough: str,
    period_end,
    level: str,
    months: int,
    alpha: float,
) -> pd.DataFrame:
    if level not in LEVELS:
        raise SlpError(f"level must be 'major' or 'minor'; got {level!r}")
    keys = LEVELS[level]
    crime, boroughs = _prepare(crime, borough)
    pop = _population_of(boroughs, population)
    window = Window.ending(period_end, months)
    other = window.previous()
    check_covered(crime["month"].unique(), window, other, asked=f"period_end {window.end}")
    now = _totals(crime, window, ["borough", *keys])
    then = _totals(crime, other, ["borough", *keys])
    categories = sorted(set(now.droplevel("borough").index) | set(then.droplevel("borough").index))
    categories = [c if isinstance(c, tuple) else (c,) for c in categories]
    grid = pd.MultiIndex.from_tuples(
        [(b, *c) for b in boroughs for c in categories], names=["borough", *keys]
    )
    now = now.reindex(grid, fill_value=0)
    then = then.reindex(grid, fill_value=0)
    london_now = now.groupby(level=keys).sum()
    london_then = then.groupby(level=keys).sum()
    rates = rate_per_1000(
        now.astype(float), pop.reindex(grid.get_level_values("borough")).to_numpy()
    )
    ranks = rates.groupby(level=keys).rank(ascending=False, method="min").astype("int64")
    tied = rates.groupby(level=keys).transform(lambda r: r.duplicated(keep=False))

    mine_now, mine_then = now.xs(borough, level="borough"), then.xs(borough, level="borough")
    out = mine_now.index.to_frame(index=False)
    out["count"] = mine_now.to_numpy(dtype="int64")
    out["previous_count"] = mine_then.to_numpy(dtype="int64")
    out["change"] = out["count"] - out["previous_count"]
    out["change_pct"] = percent_change(out["count"], out["previous_count"])
    out["london_count"] = london_now.reindex(mine_now.index).to_numpy(dtype="int64")
    out["london_previous_count"] = london_then.reindex(mine_now.index).to_numpy(dtype="int64")
    out["london_change_pct"] = percent_change(out["london_count"], out["london_previous_count"])
    out["rate_per_1000"] = rates.xs(borough, level="borough").to_numpy()
    out["london_rate_per_1000"] = rate_per_1000(out["london_count"].astype(float), pop.sum())
    out["rank"] = ranks.xs(borough, level="borough").to_numpy()
    out["rank_tied"] = tied.xs(borough, level="borough").to_numpy(dtype=bool)
    out["rank_of"] = len(boroughs)
    # a category nobody in London recorded in either window says nothing
    out = out[(out["london_count"] > 0) | (out["london_previous_count"] > 0)]
    return out.sort_values(
        ["count", *keys], ascending=[False] + [True] * len(keys), ignore_index=True
    )


def category_changes(
    crime: pd.DataFrame,
    population: pd.Series,
    borough: str,
    period_end: str | pd.Period,
    level: str = "major",
    months: int = 12,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Count, change, rate and rank of each crime category for one borough, against London.

    Parameters
    ----------
    crime : pandas.DataFrame
        Borough-level recorded crime for every London borough.
    population : pandas.Series
        Residents per borough.
    borough : str
        The borough reported on.
    period_end : str or pandas.Period
        Last month of the window, ``YYYY-MM``.
    level : {"major", "minor"}, default "major"
        Category level.
    months : int, default 12
        Window length; compared with the window of the same length just before it.
    alpha : float, default 0.05
        Unused; kept so that older calls still work.

    Returns
    -------
    pandas.DataFrame
        One row per category (most common first), columns ``major`` (and ``minor`` for
        ``level="minor"``), ``count``, ``previous_count``, ``change`` (count difference),
        ``change_pct``, ``london_count``, ``london_previous_count``, ``london_change_pct``,
        ``rate_per_1000``, ``london_rate_per_1000``, ``rank`` (the borough's rank by this
        category's rate among all boroughs, 1 = highest), ``rank_tied`` (another borough has
        the same rate) and ``rank_of``. Categories no borough recorded in either window are
        left out (:func:`slp.verdicts.judge_categories` judges the changes).

    Raises
    ------
    SlpError
        As :func:`headline_table`, or if ``level`` is not "major" or "minor".
    """
    return _category_frame(crime, population, borough, period_end, level, months, alpha)


def largest_changes(
    crime: pd.DataFrame,
    population: pd.Series,
    borough: str,
    period_end: str | pd.Period,
    level: str = "major",
    months: int = 12,
    n: int = 5,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """The categories with the largest increases and decreases (by number of crimes).

    Parameters
    ----------
    crime, population, borough, period_end, level, months, alpha
        As :func:`category_changes`.
    n : int, default 5
        How many increases and how many decreases to return.

    Returns
    -------
    pandas.DataFrame
        Up to ``n`` increases (largest first) then up to ``n`` decreases (largest fall first),
        columns ``direction`` ("increase" or "decrease"), ``major`` (and ``minor``), ``count``,
        ``previous_count``, ``change``, ``change_pct`` and ``london_change_pct``. Unchanged
        categories are left out.
    """
    table = _category_frame(crime, population, borough, period_end, level, months, alpha)
    keys = LEVELS[level]
    columns = [
        *keys,
        "count",
        "previous_count",
        "change",
        "change_pct",
        "london_change_pct",
    ]
    up = (
        table[table["change"] > 0]
        .sort_values(["change", *keys], ascending=[False] + [True] * len(keys))
        .head(n)
    )
    down = table[table["change"] < 0].sort_values(["change", *keys], ascending=True).head(n)
    out = pd.concat([up.assign(direction="increase"), down.assign(direction="decrease")])
    return out[["direction", *columns]].reset_index(drop=True)


def flagged_as_crime(flagged: pd.DataFrame, measure: str) -> pd.DataFrame | None:
    """One flagged measure of the MPS dashboard (e.g. ``"domestic_abuse"``) in the recorded-crime
    shape (``borough, major, minor, month, count``), so the same measures apply; None when the
    file has no rows for it."""
    data = flagged[flagged["measure"] == measure]
    if data.empty:
        return None
    return data.assign(major=measure, minor=measure)[["borough", "major", "minor", "month",
                                                       "count"]]


def categories_named(table: pd.DataFrame, majors: Iterable[str]) -> pd.DataFrame:
    """The rows of a :func:`category_changes` table whose major category is one of ``majors``
    (case-insensitive)."""
    wanted = {m.lower() for m in majors}
    return table[table["major"].str.lower().isin(wanted)]

