"""The partnership's priority measures from the MPS Monthly Crime Dashboard: the figures per measure.

For each dashboard measure (domestic abuse, knife and gun crime, hate crime by strand, ...):
the count over 12 months, the previous 12 months and the change, the rate per 1,000 residents,
London's change, the rank among the boroughs, the monthly series, positive outcomes, and any
known break the comparison straddles (:mod:`slp.breaks`). The dashboard is published about a
month after the recorded-crime files; when it ends before ``period_end`` the latest complete 12
months are used and :attr:`MeasureFigures.lag_note` says which.

The page code calls :func:`measure_figures` (one measure, all its parts) or
:func:`dashboard_figures` (the ``dashboard`` list of ``figures.json``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from slp import breaks
from slp.breaks import Break
from slp.errors import SlpError
from slp.measures import percent_change, rate_per_1000
from slp.periods import parse_month
from slp.sources.dashboard import KINDS
from slp.variation import ChangeVerdict, judge_change

#: The dashboard's all-crime total: read so it can be checked, not a priority measure.
TOTAL = "total_notifiable_offences"


@dataclass
class MeasureFigures:
    """One dashboard measure for one borough over 12 months, against the 12 before.

    Attributes
    ----------
    measure, label : str
        Measure key (``domestic_abuse``) and its words.
    start, end : pandas.Period
        The 12 months reported (the latest complete 12 months up to ``period_end``).
    previous_start, previous_end : pandas.Period
        The 12 months before.
    count : int
        Offences in the borough in the 12 months.
    previous_count : int or None
        Offences in the previous 12 months (None when the files do not cover them all).
    change_pct : float or None
        Change on the previous 12 months, %.
    rate_per_1000 : float
        Offences per 1,000 residents.
    london_count, london_previous_count : int or None
        All boroughs together (None unless the files hold every borough of ``residents``).
    london_change_pct : float or None
    rank, rank_of : int or None
        The borough's rank by rate (1 = highest) among ``rank_of`` boroughs (every borough of
        ``residents``; None when the files do not hold them all).
    outcomes : int or None
        Positive outcomes in the 12 months, where the files have them.
    break_ : Break or None
        A known break the two windows straddle (:func:`slp.breaks.spanning`).
    lag_note : str or None
        Set when the dashboard ends before ``period_end``: which 12 months were used instead.
    monthly : pandas.Series
        The borough's offences per month, every month read (gaps left out).
    """

    measure: str
    label: str
    start: pd.Period
    end: pd.Period
    previous_start: pd.Period
    previous_end: pd.Period
    count: int
    previous_count: int | None
    change_pct: float | None
    rate_per_1000: float
    london_count: int | None
    london_previous_count: int | None
    london_change_pct: float | None
    rank: int | None
    rank_of: int | None
    outcomes: int | None
    break_: Break | None
    lag_note: str | None
    monthly: pd.Series

    @property
    def outcome_rate_pct(self) -> float | None:
        """Positive outcomes as a % of offences in the 12 months (None without outcomes)."""
        if self.outcomes is None or self.count == 0:
            return None
        return 100.0 * self.outcomes / self.count

    def row(self) -> dict:
        """The measure's row of the ``dashboard`` list in ``figures.json``.

        ``verdict`` is None here: the statistics of issue 11 supply it.
        """
        return {
            "measure": self.measure,
            "label": self.label,
            "start": self.start.strftime("%Y-%m"),
            "end": self.end.strftime("%Y-%m"),
            "count": self.count,
            "previous_count": self.previous_count,
            "change_pct": self.change_pct,
            "rate_per_1000": self.rate_per_1000,
            "london_change_pct": self.london_change_pct,
            "rank": self.rank,
            "rank_of": self.rank_of,
            "verdict": None,
            "break": self.break_.note if self.break_ else None,
        }


def latest_complete_end(months: Iterable, period_end, length: int = 12) -> pd.Period | None:
    """The last month, at or before ``period_end``, that ends ``length`` months all present.

    Parameters
    ----------
    months : iterable of pandas.Period or str
        The months a series has data for (gaps are months left out).
    period_end : str or pandas.Period
        The reporting period's last month.
    length : int, default 12

    Returns
    -------
    pandas.Period or None
        None when no run of ``length`` consecutive months ends at or before ``period_end``.

    Examples
    --------
    >>> str(latest_complete_end(pd.period_range("2021-01", "2022-08", freq="M"), "2022-09"))
    '2022-08'
    """
    have = {parse_month(m).ordinal for m in months}
    last = min(max(have, default=-10**9), parse_month(period_end).ordinal)
    for end in range(last, min(have, default=last) + length - 2, -1):
        if all(end - k in have for k in range(length)):
            return pd.Period(ordinal=end, freq="M")
    return None


def _window_sums(data: pd.DataFrame, start: pd.Period, end: pd.Period) -> tuple[pd.Series, bool]:
    """Counts per borough over a window, and whether every month of it is present."""
    inside = data[(data["month"] >= start) & (data["month"] <= end)]
    complete = inside["month"].nunique() == (end - start).n + 1
    return inside.groupby("borough")["count"].sum(), complete


def _or_none(value) -> float | None:
    value = float(value)
    return None if np.isnan(value) else value


def _lag_note(end: pd.Period, period_end: pd.Period, last: pd.Period, label: str) -> str | None:
    """Words for a window that ends before ``period_end``: the files end earlier or have a gap."""
    if end >= period_end:
        return None
    why = (f"end in {last:%B %Y}, before {period_end:%B %Y}, the end of the reporting period"
           if last < period_end else
           f"miss some months between {end + 1:%B %Y} and {period_end:%B %Y}")
    return (f"The MPS Monthly Crime Dashboard files for {label.lower()} {why}; the figures are "
            f"for the latest complete 12 months, {end - 11:%B %Y} to {end:%B %Y}.")


def _london(current, previous, residents, borough, complete) -> dict:
    """London's change and the borough's rank, only when the files hold every borough."""
    everyone = list(residents.index)
    if not complete or not set(everyone) <= set(current.index):
        return {"london_count": None, "london_previous_count": None, "london_change_pct": None,
                "rank": None, "rank_of": None}
    rates = rate_per_1000(current.reindex(everyone), residents.astype(float))
    london_previous = int(previous.reindex(everyone).sum()) if previous is not None else None
    london = int(current.reindex(everyone).sum())
    return {
        "london_count": london,
        "london_previous_count": london_previous,
        "london_change_pct": None if london_previous is None
        else _or_none(percent_change(london, london_previous)),
        "rank": int(rates.rank(ascending=False, method="min")[borough]),
        "rank_of": len(everyone),
    }


def measure_figures(dash, measure: str, residents: pd.Series, borough: str,
                    period_end) -> MeasureFigures | None:
    """The 12-month figures of one dashboard measure for one borough.

    Parameters
    ----------
    dash : slp.sources.dashboard.DashboardCrime
        What :func:`slp.sources.dashboard.read_dashboard` returned.
    measure : str
        A measure key, e.g. ``"domestic_abuse"``.
    residents : pandas.Series
        Residents per borough (borough -> population); London is every borough in it.
    borough : str
        The borough reported on.
    period_end : str or pandas.Period
        Last month of the reporting period; the dashboard's latest complete 12 months up to it
        are used.

    Returns
    -------
    MeasureFigures or None
        None when the files do not hold the measure for the borough over 12 complete months.

    Raises
    ------
    SlpError
        The borough has no population in ``residents``.
    """
    data = dash.data[dash.data["measure"] == measure]
    mine = data[data["borough"] == borough]
    period_end = parse_month(period_end)
    end = latest_complete_end(mine["month"].unique(), period_end)
    if end is None:
        return None
    if borough not in residents.index:
        raise SlpError(f"residents: no population for '{borough}'; expected one for every "
                       "borough in the MPS Monthly Crime Dashboard figures")
    start, previous_end = end - 11, end - 12
    current, complete = _window_sums(data, start, end)
    previous, previous_complete = _window_sums(data, previous_end - 11, previous_end)
    previous_count = int(previous.get(borough, 0)) if previous_complete else None
    count = int(current[borough])
    label = dash.labels.get(measure, measure)
    outcomes = _window_sums(dash.outcomes[(dash.outcomes["measure"] == measure)
                                          & (dash.outcomes["borough"] == borough)], start, end)
    return MeasureFigures(
        measure=measure, label=label, start=start, end=end,
        previous_start=previous_end - 11, previous_end=previous_end,
        count=count, previous_count=previous_count,
        change_pct=None if previous_count is None
        else _or_none(percent_change(count, previous_count)),
        rate_per_1000=float(rate_per_1000(count, float(residents[borough]))),
        **_london(current, previous if previous_complete else None, residents, borough,
                  complete),
        outcomes=int(outcomes[0].sum()) if outcomes[1] else None,
        break_=breaks.spanning(measure, (previous_end - 11, previous_end), (start, end)),
        lag_note=_lag_note(end, period_end, mine["month"].max(), label),
        monthly=mine.groupby("month")["count"].sum().sort_index(),
    )


def dashboard_figures(dash, residents: pd.Series, borough: str, period_end,
                      measures: Iterable[str] | None = None) -> list[dict]:
    """The ``dashboard`` list of ``figures.json``: one row per measure the files hold.

    Parameters
    ----------
    dash, residents, borough, period_end
        As for :func:`measure_figures`.
    measures : iterable of str, optional
        Which measures, in order; by default every measure read except the all-crime total.

    Returns
    -------
    list of dict
        :meth:`MeasureFigures.row` for each measure with 12 complete months (unsuppressed:
        disclosure control is applied where the report is published).
    """
    wanted = [m for m in dash.measures if m != TOTAL] if measures is None else list(measures)
    found = (measure_figures(dash, m, residents, borough, period_end) for m in wanted)
    return [f.row() for f in found if f is not None]


def missing_reason(dash, measure: str, period_end) -> str | None:
    """Why a measure has no figures, in words for the page; None when it has them.

    Parameters
    ----------
    dash : DashboardCrime or None
        None when ``sources.dashboard`` is not set.
    measure : str
    period_end : str or pandas.Period

    Examples
    --------
    >>> missing_reason(None, "domestic_abuse", "2022-09")
    'No MPS Monthly Crime Dashboard file is configured for this run (sources.dashboard).'
    """
    if dash is None:
        return "No MPS Monthly Crime Dashboard file is configured for this run (sources.dashboard)."
    label = dash.labels.get(measure, measure).lower()
    wanted = dash.sources.get(measure)
    if not wanted:
        return f"The dashboard measure mapping has no entry for {label}."
    if measure not in dash.measures:
        given = sorted({KINDS[k] for k in dash.kinds.values()})
        return (f"The MPS Monthly Crime Dashboard files configured ({', '.join(given)}) do not "
                f"include {' or '.join(KINDS[k] for k in wanted)}, the download that holds "
                f"{label}.")
    months = dash.data.loc[dash.data["measure"] == measure, "month"].unique()
    if latest_complete_end(months, period_end) is None:
        return (f"The MPS Monthly Crime Dashboard files hold no 12 complete months of {label} "
                f"up to {parse_month(period_end):%B %Y}.")
    return None


def share_pct(part: MeasureFigures | None, whole: MeasureFigures | None) -> float | None:
    """``part`` as a % of ``whole`` over the same 12 months (e.g. domestic abuse violence with
    injury as a share of all domestic abuse); None when either is missing, the windows differ
    or ``whole`` is 0."""
    if part is None or whole is None or (part.start, part.end) != (whole.start, whole.end):
        return None
    return None if whole.count == 0 else 100.0 * part.count / whole.count


#: Measures that add up to another measure the pages also show: racist and religious hate crime
#: is racist or faith hate crime, so with it printed a hidden one of the pair could be worked
#: out from the other. Publish each pair protected against its total (secondary suppression).
ADDS_UP = {"hate_crime_racist_and_religious": ("hate_crime_racist", "hate_crime_faith")}


def judge(fig: MeasureFigures) -> ChangeVerdict | None:
    """The change of a measure judged against its own history (:func:`slp.variation.judge_change`).

    The series judged is the run of months without gaps that ends at ``fig.end``, starting no
    earlier than a recording break (CONNECT) that the measure's two windows lie wholly after, so
    the reference changes never straddle it; with little history that leaves the comparison with
    chance fluctuation only, which the verdict's words say.

    Returns
    -------
    ChangeVerdict or None
        None when there is no previous 12 months, or the two windows straddle a step break
        (a change across a recording change cannot be judged against normal variation).
    """
    if fig.previous_count is None or (fig.break_ is not None and fig.break_.last is None):
        return None
    monthly = fig.monthly[fig.monthly.index <= fig.end]
    ordinals = monthly.index.asi8
    start = len(ordinals) - 1
    while start > 0 and ordinals[start - 1] == ordinals[start] - 1:
        start -= 1
    series = monthly.iloc[start:]
    for item in breaks.BREAKS:
        if (item.last is None and item.first is not None and item.applies(fig.measure)
                and item.first <= fig.previous_start):
            series = series[series.index >= item.first]
    try:
        return judge_change(series, fig.end)
    except SlpError:
        return None
