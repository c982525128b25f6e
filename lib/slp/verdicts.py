"""Verdicts for the pages: the headline, category rows, comparators and wards, in one call each.

Each function reads the long recorded-crime frame the readers give (``month``, ``count``, an
area column and category columns) and returns what a page and ``figures.json`` need:

- ``verdict``: ``"within"``, ``"larger_rise"``, ``"larger_fall"`` or ``None`` (too few crimes),
  from :func:`slp.variation.judge_change` (the change against the area's own history);
- ``usual_range_pct``: ``[low, high]``, the 5th and 95th percentiles of the area's past changes;
- ``z`` and ``reference`` (e.g. ``"12-month changes 2012-03..2020-02, n=96"``);
- ``differs_from_london`` (or ``differs_from_borough`` for wards): True, False or None, from the
  funnel of changes of :func:`slp.significance.change_funnel` ("London": the whole of the run's
  comparison frame, :class:`slp.frame.Frame`, e.g. a police force's area).

Examples
--------
>>> headline_verdict(crime, "Lewisham", "2022-09")            # doctest: +SKIP
{'verdict': 'within', 'usual_range_pct': [-8.9, 12.2], 'z': 0.882,
 'reference': '12-month changes 2012-03..2020-02, n=96', 'method': 'history',
 'differs_from_london': False, 'words': 'within the range of normal year-to-year variation ...'}
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from slp.errors import SlpError
from slp.periods import Window, parse_month
from slp.significance import change_funnel
from slp.variation import adjust_p, describe_verdict, judge_change, judge_rows


def window_totals(crime: pd.DataFrame, period_end: str | pd.Period, months: int = 12,
                  lag: int | None = None, area_column: str = "borough") -> tuple[pd.Series,
                                                                                  pd.Series]:
    """Crimes per area in the window to ``period_end`` and in the window ``lag`` months before.

    Parameters
    ----------
    crime : pandas.DataFrame
        Long recorded crime (``month``, ``count``, ``area_column``).
    period_end : str or pandas.Period
        Last month of the current window.
    months : int, default 12
        Window length.
    lag : int, optional
        Months between the two windows' ends; by default ``months`` (the previous window).
    area_column : str, default "borough"
        Column naming the area.

    Returns
    -------
    (pandas.Series, pandas.Series)
        Current and compared totals per area (same index; 0 where an area has no rows).
    """
    now = Window.ending(period_end, months)
    then = Window.ending(parse_month(period_end) - (months if lag is None else int(lag)), months)

    def total(window: Window) -> pd.Series:
        rows = crime[(crime["month"] >= window.start) & (crime["month"] <= window.end)]
        return rows.groupby(area_column, observed=True)["count"].sum()

    current, previous = total(now), total(then)
    index = current.index.union(previous.index)
    return current.reindex(index, fill_value=0), previous.reindex(index, fill_value=0)


def changes_against_london(crime: pd.DataFrame, period_end: str | pd.Period, months: int = 12,
                           lag: int | None = None) -> pd.DataFrame:
    """Every borough's change in the funnel of changes centred on London's change.

    Parameters
    ----------
    crime : pandas.DataFrame
        Borough recorded crime (boroughs only, as :func:`slp.sources.borough.read_borough_crime`
        gives in ``.data``).
    period_end, months, lag
        As :func:`window_totals`.

    Returns
    -------
    pandas.DataFrame
        :func:`slp.significance.change_funnel` with ``area`` the borough, plus
        ``differs_from_london`` (a copy of ``differs``).
    """
    current, previous = window_totals(crime, period_end, months, lag)
    out = change_funnel(current, previous)
    out["differs_from_london"] = out["differs"]
    return out


def categories_against_london(crime: pd.DataFrame, area: str, period_end: str | pd.Period,
                              months: int = 12, lag: int | None = None,
                              by: str = "major") -> dict[str, bool | None]:
    """For each category, whether the area's change differs from London's in the funnel of
    changes of that category across the boroughs (:func:`changes_against_london`).

    Returns
    -------
    dict of str to bool or None
        Category name to ``differs_from_london`` (None where the funnel gives no judgement,
        e.g. a count of 0).
    """
    out = {}
    for name, rows in crime.groupby(by, observed=True):
        with np.errstate(divide="ignore", invalid="ignore"):  # a category London never had
            funnel = changes_against_london(rows, period_end, months, lag).set_index("area")
        value = funnel["differs_from_london"].get(area)
        out[str(name)] = None if value is None or pd.isna(value) else bool(value)
    return out


def headline_verdict(crime: pd.DataFrame, area: str, period_end: str | pd.Period,
                     months: int = 12, lag: int | None = None) -> dict:
    """The ``figures.json`` fields for one area's all-crime change over one window.

    Parameters
    ----------
    crime : pandas.DataFrame
        Borough recorded crime for every borough (London is their sum).
    area : str
        A borough, or ``"London"``.
    period_end, months, lag
        As :func:`slp.variation.judge_change`: 12, 6 or 3 months against the previous window
        (default) or ``lag=12`` for the same months a year earlier.

    Returns
    -------
    dict
        ``verdict``, ``usual_range_pct``, ``z``, ``reference``, ``method``, ``p``,
        ``differs_from_london`` (None for London itself) and ``words`` (the public sentence).
    """
    series = category_series(crime, area, by=None)["All crime"]
    result = judge_change(series, period_end, months=months, lag=lag)
    out = result.figures()
    out["differs_from_london"] = None
    if area != "London":
        funnel = changes_against_london(crime, period_end, months, lag).set_index("area")
        out["differs_from_london"] = funnel.loc[area, "differs_from_london"]
    out["words"] = describe_verdict(result, "" if area == "London" else area)
    return out


def comparator_verdicts(crime: pd.DataFrame, areas, period_end: str | pd.Period,
                        months: int = 12, lag: int | None = None) -> pd.DataFrame:
    """The headline verdict for each of several areas (the borough, its comparators, London).

    Returns
    -------
    pandas.DataFrame
        One row per area in the order given: ``area`` and the keys of
        :func:`headline_verdict`.
    """
    return pd.DataFrame([{"area": area, **headline_verdict(crime, area, period_end, months, lag)}
                         for area in areas])


def category_series(crime: pd.DataFrame, area: str, by: str | None = "major",
                    area_column: str = "borough") -> dict[str, pd.Series]:
    """Monthly counts of every category of one area (``"London"``: every area), plus all crime.

    Parameters
    ----------
    crime : pandas.DataFrame
        Long recorded crime with ``month``, ``count``, ``area_column`` and ``by`` columns.
    area : str
        The area, or ``"London"`` for the sum of all rows.
    by : str or None, default "major"
        Category column; ``None`` for all crime only.
    area_column : str, default "borough"
        Column naming the area (``"ward_code"`` for wards).

    Returns
    -------
    dict of str to pandas.Series
        Category name to its complete monthly series (missing months as 0), with
        ``"All crime"`` last.
    """
    rows = crime if area == "London" else crime[crime[area_column] == area]
    if rows.empty:
        areas = sorted(map(str, crime[area_column].unique()))
        raise SlpError(f"{area_column} '{area}' is not in the crime data; it holds "
                       f"{', '.join(areas[:8])}{' ...' if len(areas) > 8 else ''}")
    months = pd.period_range(crime["month"].min(), crime["month"].max(), freq="M", name="month")
    if by is None:
        total = rows.groupby("month")["count"].sum().reindex(months, fill_value=0)
        return {"All crime": total.astype(float)}
    wide = rows.pivot_table(index="month", columns=by, values="count", aggfunc="sum",
                            observed=True).reindex(months, fill_value=0).fillna(0)
    out = {str(name): wide[name].astype(float) for name in wide.columns}
    out["All crime"] = wide.sum(axis=1).astype(float)
    return out


def judge_categories(crime: pd.DataFrame, area: str, period_end: str | pd.Period,
                     months: int = 12, lag: int | None = None, by: str = "major",
                     area_column: str = "borough", alpha: float = 0.05) -> pd.DataFrame:
    """Judge every category of one area, with Benjamini-Hochberg across the category rows.

    Parameters
    ----------
    crime, area, by, area_column
        As :func:`category_series`.
    period_end, months, lag, alpha
        As :func:`judge_change`.

    Returns
    -------
    pandas.DataFrame
        One row per category and a last ``"All crime"`` row (not part of the adjustment),
        columns ``category``, ``current``, ``previous``, ``change_pct``, ``z``, ``p``,
        ``p_adjusted``, ``verdict``, ``usual_low_pct``, ``usual_high_pct``, ``reference``,
        ``method``, ``phi`` and ``words`` (:func:`describe_verdict`, e.g. "... 12-month changes
        in theft in Lewisham were between ...").
    """
    series = category_series(crime, area, by=by, area_column=area_column)
    verdicts = {}
    for name, values in series.items():
        if values.sum() == 0:
            continue
        verdicts[name] = judge_change(values, period_end, months=months, lag=lag, alpha=alpha)
    names = [n for n in verdicts if n != "All crime"]
    adjusted = judge_rows([verdicts[n] for n in names], alpha=alpha)
    verdicts.update(zip(names, adjusted, strict=True))
    rows = []
    for name, v in verdicts.items():
        low, high = v.usual_range_pct or (None, None)
        rows.append({"category": name, "current": v.current, "previous": v.previous,
                     "change_pct": v.change_pct, "z": v.z, "p": v.p, "p_adjusted": v.p_adjusted,
                     "verdict": v.verdict, "usual_low_pct": low, "usual_high_pct": high,
                     "reference": v.reference, "method": v.method, "phi": v.phi,
                     "words": describe_verdict(v, area if name == "All crime"
                                               else f"{name.lower()} in {area}")})
    return pd.DataFrame(rows)



def ward_verdicts(ward_crime: pd.DataFrame, borough: str, period_end: str | pd.Period,
                  months: int = 12, lag: int | None = None) -> pd.DataFrame:
    """Each ward's change judged for itself and against its borough's change.

    The ward files hold only 24 months, so a ward's own verdict is usually against chance
    fluctuation only (with the ward's dispersion, ``method == "chance only"``); whether it
    changed differently from its borough is the funnel of changes centred on the borough's
    change, across the borough's wards. Benjamini-Hochberg across the ward rows for both.

    Parameters
    ----------
    ward_crime : pandas.DataFrame
        Ward recorded crime (``ward_code``, ``ward_name``, ``borough``, ``month``, ``count``).
    borough : str
        The borough whose wards to judge.
    period_end, months, lag
        As :func:`slp.variation.judge_change`.

    Returns
    -------
    pandas.DataFrame
        One row per ward: ``ward_code``, ``ward_name``, ``current``, ``previous``,
        ``change_pct``, ``verdict``, ``z``, ``p_adjusted``, ``reference``, ``method``,
        ``differs_from_borough`` (True, False or None), ``z_borough`` and
        ``p_adjusted_borough``.
    """
    wards = ward_crime[ward_crime["borough"] == borough]
    if wards.empty:
        raise SlpError(f"ward crime: borough '{borough}' has no wards in the ward file")
    names = wards.groupby("ward_code")["ward_name"].first()
    judged = judge_rows([judge_change(category_series(wards, code, None, "ward_code")["All crime"],
                                      period_end, months=months, lag=lag)
                         for code in names.index])
    current, previous = window_totals(wards, period_end, months, lag, area_column="ward_code")
    funnel = change_funnel(current.reindex(names.index, fill_value=0),
                           previous.reindex(names.index, fill_value=0),
                           target=float(np.log(current.sum() / previous.sum())))
    p_borough = adjust_p(funnel["p"])
    differs = [None if np.isnan(p) else bool(p < 0.05) for p in p_borough]
    return pd.DataFrame({
        "ward_code": names.index.to_numpy(), "ward_name": names.to_numpy(),
        "current": [v.current for v in judged], "previous": [v.previous for v in judged],
        "change_pct": [v.change_pct for v in judged], "verdict": [v.verdict for v in judged],
        "z": [v.z for v in judged], "p_adjusted": [v.p_adjusted for v in judged],
        "reference": [v.reference for v in judged], "method": [v.method for v in judged],
        "differs_from_borough": differs, "z_borough": funnel["z"].to_numpy(),
        "p_adjusted_borough": p_borough})
