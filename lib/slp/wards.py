"""Ward figures for one borough: counts, residents, rates and changes per ward.

The ward-level companion of :mod:`slp.measures`, shaped from the ward crime file
(:class:`slp.sources.ward.WardCrime`) and ward populations (a Series of residents indexed by ward
code, from :func:`slp.sources.population.ward_population`).
"""

from __future__ import annotations

import pandas as pd

from slp import measures, significance
from slp.periods import Window


def ward_counts(data: pd.DataFrame, borough: str, window: Window,
                residents: pd.Series) -> pd.DataFrame | None:
    """Count, residents and rate per 1,000 of each ward of ``borough`` in ``window``.

    Parameters
    ----------
    data : DataFrame
        Ward crime in long form (``borough``, ``ward_code``, ``ward_name``, ``month``,
        ``count``).
    borough : str
    window : Window
    residents : Series
        Residents per ward code.

    Returns
    -------
    DataFrame or None
        Columns ``ward_code``, ``ward_name``, ``count``, ``residents``, ``rate_per_1000``; None
        when the file does not cover every month of ``window``.

    Examples
    --------
    >>> data = pd.DataFrame({"borough": "A", "ward_code": ["W1", "W1", "W2"],
    ...                      "ward_name": ["North", "North", "South"],
    ...                      "month": pd.PeriodIndex(["2022-01", "2022-02", "2022-02"], freq="M"),
    ...                      "count": [3, 4, 10]})
    >>> ward_counts(data, "A", Window("2022-01", "2022-02"), pd.Series({"W1": 700, "W2": 5000}))
      ward_code ward_name  count  residents  rate_per_1000
    0        W1     North      7        700           10.0
    1        W2     South     10       5000            2.0
    """
    data = data[data["borough"] == borough]
    months = set(data["month"].unique())
    if not all(m in months for m in window.periods):
        return None
    now = data[data["month"].isin(window.periods)]
    counts = now.groupby(["ward_code", "ward_name"])["count"].sum().reset_index()
    counts["residents"] = counts["ward_code"].map(residents)
    counts["rate_per_1000"] = measures.rate_per_1000(counts["count"], counts["residents"])
    return counts


def ward_changes(data: pd.DataFrame, borough: str, window: Window,
                 residents: pd.Series) -> pd.DataFrame | None:
    """Each ward's count in ``window`` against the 12 months before, largest rise first.

    Returns
    -------
    DataFrame or None
        :func:`ward_counts` columns plus ``count_previous``, ``change_pct`` (``nan`` from 0) and
        ``significant`` (:func:`slp.significance.compare_counts`); None when the file does not
        cover both windows.
    """
    now = ward_counts(data, borough, window, residents)
    before = ward_counts(data, borough, window.previous(), residents)
    if now is None or before is None:
        return None
    merged = now.merge(before[["ward_code", "count"]], on="ward_code", suffixes=("", "_previous"))
    merged["change_pct"] = measures.percent_change(merged["count"], merged["count_previous"])
    merged["significant"] = [significance.compare_counts(c, q).significant
                             for c, q in zip(merged["count"], merged["count_previous"],
                                             strict=True)]
    return merged.sort_values("change_pct", ascending=False)
