"""The borough beside other areas: its comparators and London over a window
(:func:`compare_to_comparators`), and monthly rates of several areas (:func:`monthly_rates`).

Same conventions as :mod:`slp.measures` (London, i.e. the whole of the comparison frame; rates,
% change, ranks); whether each area's change is unusual is
:func:`slp.verdicts.comparator_verdicts`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from slp.measures import (
    LONDON,
    _check_area,
    _population_of,
    _prepare,
    _rank,
    _totals,
    percent_change,
    rate_per_1000,
)
from slp.periods import Window, check_covered


def compare_to_comparators(
    crime: pd.DataFrame,
    population: pd.Series,
    borough: str,
    comparators: Iterable[str],
    period_end: str | pd.Period,
    months: int = 12,
    major: str | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """The borough beside its comparators and London: count, rate, change and rank.

    Parameters
    ----------
    crime : pandas.DataFrame
        Borough-level recorded crime for every London borough.
    population : pandas.Series
        Residents per borough.
    borough : str
        The borough reported on.
    comparators : iterable of str
        Boroughs to compare with (e.g. its neighbours).
    period_end : str or pandas.Period
        Last month of the window, ``YYYY-MM``.
    months : int, default 12
        Window length; the change is against the window of the same length just before.
    major : str, optional
        Restrict to one major category.
    alpha : float, default 0.05
        Unused; kept so that older calls still work (the verdicts are
        :func:`slp.verdicts.comparator_verdicts`).

    Returns
    -------
    pandas.DataFrame
        Rows: the borough, each comparator in the order given, then London. Columns ``area``,
        ``role`` ("borough", "comparator" or "London"), ``count``, ``previous_count``,
        ``change_pct``, ``rate_per_1000``, ``rate_vs_borough_pct`` (the area's rate relative to
        the borough's, in %), ``position`` ("higher", "lower" or "same" rate than the borough;
        empty for the borough itself), ``rank`` and ``rank_of`` (pandas ``Int64``; missing for
        London).
    """
    crime, boroughs = _prepare(crime, borough)
    comparators = [c for c in comparators if c != borough]
    for name in comparators:
        _check_area(name, boroughs)
    if major is not None:
        _check_area(major, crime["major"].unique().tolist(), what="major category")
        crime = crime[crime["major"] == major]
    pop = _population_of(boroughs, population)
    window = Window.ending(period_end, months)
    other = window.previous()
    check_covered(crime["month"].unique(), window, other, asked=f"period_end {window.end}")
    now = _totals(crime, window, ["borough"]).reindex(boroughs, fill_value=0)
    then = _totals(crime, other, ["borough"]).reindex(boroughs, fill_value=0)
    rates = rate_per_1000(now.astype(float), pop)
    ranks = _rank(rates)
    rows = []
    for name, role in [(borough, "borough"), *((c, "comparator") for c in comparators)]:
        rows.append(
            (
                name,
                role,
                int(now[name]),
                int(then[name]),
                float(rates[name]),
                int(ranks[name]),
                len(boroughs),
            )
        )
    rows.append(
        (
            LONDON,
            LONDON,
            int(now.sum()),
            int(then.sum()),
            rate_per_1000(float(now.sum()), pop.sum()),
            pd.NA,
            pd.NA,
        )
    )
    out = pd.DataFrame(
        rows,
        columns=["area", "role", "count", "previous_count", "rate_per_1000", "rank", "rank_of"],
    )
    out["change_pct"] = percent_change(out["count"], out["previous_count"])
    own = float(rates[borough])
    out["rate_vs_borough_pct"] = percent_change(out["rate_per_1000"], own)
    out["position"] = np.select(
        [out["rate_per_1000"] > own, out["rate_per_1000"] < own], ["higher", "lower"], "same"
    )
    out.loc[out["role"] == "borough", "position"] = ""
    out["rank"] = out["rank"].astype("Int64")
    out["rank_of"] = out["rank_of"].astype("Int64")
    return out[
        [
            "area",
            "role",
            "count",
            "previous_count",
            "change_pct",
            "rate_per_1000",
            "rate_vs_borough_pct",
            "position",
            "rank",
            "rank_of",
        ]
    ]


def monthly_rates(
    crime: pd.DataFrame,
    population: pd.Series,
    areas: Iterable[str],
    start: str | pd.Period,
    end: str | pd.Period,
) -> pd.DataFrame:
    """Monthly crime rate per 1,000 residents for some boroughs and London.

    Parameters
    ----------
    crime : pandas.DataFrame
        Borough-level recorded crime for every London borough.
    population : pandas.Series
        Residents per borough (the same figure is used for every month).
    areas : iterable of str
        Boroughs to include, e.g. ``["Lewisham", "Greenwich", "Southwark"]``.
    start, end : str or pandas.Period
        First and last month, ``YYYY-MM``.

    Returns
    -------
    pandas.DataFrame
        Long ("tidy") form, one row per month and area, areas in the order given then
        ``"London"``: columns ``month`` (Period), ``area``, ``count``, ``population``,
        ``rate_per_1000``. Pivot with ``.pivot(index="month", columns="area",
        values="rate_per_1000")`` for a wide table.

    Raises
    ------
    SlpError
        If an area is not in the data, has no population, or a month is missing.
    """
    crime, boroughs = _prepare(crime)
    areas = list(dict.fromkeys(areas))
    for name in areas:
        _check_area(name, boroughs)
    window = Window(start, end)
    check_covered(
        crime["month"].unique(), window, asked=f"monthly rates {window.start} to {window.end}"
    )
    pop = _population_of(boroughs, population)
    in_window = crime[(crime["month"] >= window.start) & (crime["month"] <= window.end)]
    by_month = (
        in_window.groupby(["month", "borough"])["count"]
        .sum()
        .unstack("borough")
        .reindex(index=window.periods, columns=boroughs)
        .fillna(0)
    )
    frames = []
    for name in areas:
        counts = by_month[name]
        frames.append(
            pd.DataFrame(
                {
                    "month": window.periods,
                    "area": name,
                    "count": counts.to_numpy(),
                    "population": pop[name],
                }
            )
        )
    london = in_window.groupby("month")["count"].sum().reindex(window.periods, fill_value=0)
    frames.append(
        pd.DataFrame(
            {
                "month": window.periods,
                "area": LONDON,
                "count": london.to_numpy(),
                "population": pop.sum(),
            }
        )
    )
    out = pd.concat(frames, ignore_index=True)
    out["count"] = out["count"].astype("int64")
    out["rate_per_1000"] = rate_per_1000(out["count"].astype(float), out["population"])
    return out
