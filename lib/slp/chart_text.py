"""Alt text for the charts: what a screen reader reads for each picture, written from its data.

Each ``*_alt`` function takes the numbers a chart plots (already suppressed where they must
be) and returns a few plain sentences: what the chart shows, the first, last, highest and
lowest values, ranks, and what lies outside limits. :mod:`slp.charts` puts them beside the
picture drawn by :mod:`slp.drawing`.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from slp.narrative import _join, count, lower_first, month_name, ordinal, with_period
from slp.tables import format_number


def month_text(month: pd.Timestamp, short: bool = False) -> str:
    """``"January 2020"``, or ``"Jan 2020"`` with ``short`` (data tables)."""
    return month.strftime("%b %Y") if short else month_name(month)


def signed(value: float, kind: str) -> str:
    """A value with its sign, ``"+12.3"`` / ``"-4.0"``, in the given format."""
    text = format_number(abs(value), kind).lstrip("+")  # percent formats sign their own
    return ("-" if value < 0 and text.strip("0.,%") else "+") + text


def series_sentence(name: str, months: pd.DatetimeIndex, values: Any, kind: str) -> str:
    """``"Lewisham went from 8.1 in January 2020 to 7.9 in June 2020; highest ..., lowest ..."``."""
    vals = np.asarray(values, dtype=float)
    ok = np.flatnonzero(~np.isnan(vals))
    if not len(ok):
        return f"{name}: no values shown."
    first, last = ok[0], ok[-1]
    hi = ok[np.argmax(vals[ok])]
    lo = ok[np.argmin(vals[ok])]
    f = lambda i: f"{format_number(vals[i], kind)} in {month_text(months[i])}"  # noqa: E731
    return (
        f"{name} went from {f(first)} to {f(last)}; highest {f(hi)}, lowest {f(lo)}."
    )


def competition_ranks(values: Sequence[float]) -> list[int]:
    """1-based ranks, highest first, ties sharing the better rank (1, 2, 2, 4); NaN last."""
    ranks = []
    for v in values:
        if math.isnan(v):
            ranks.append(len(values))
        else:
            ranks.append(1 + sum(1 for w in values if not math.isnan(w) and w > v))
    return ranks


def funnel_position(r: float, l95: float, u95: float, l998: float, u998: float) -> str:
    """Where a rate lies against its funnel limits, e.g. ``"above the upper 95% limit"``."""
    if r > u998:
        return "above the upper 99.8% limit"
    if r > u95:
        return "above the upper 95% limit"
    if r < l998:
        return "below the lower 99.8% limit"
    if r < l95:
        return "below the lower 95% limit"
    return "within the 95% limits"


def _not_shown(hidden: int, noun: str, threshold: int, below: str) -> str:
    return f"{count(hidden, noun)} {below} {threshold} {'is' if hidden == 1 else 'are'} not shown."


def line_alt(
    y_label: str, period_label: str, months: pd.DatetimeIndex, series: Mapping[str, Any],
    kinds: Mapping[str, str], spans: Sequence[tuple[pd.Timestamp, pd.Timestamp, str]],
    hidden: int = 0, threshold: int | None = None,
) -> str:
    """Alt text of :func:`slp.charts.line_chart`: each series' path and the shaded spans."""
    sentences = [
        f"Line chart of {lower_first(y_label)}, {period_label}, for {_join(list(series))}."
    ]
    for name, values in series.items():
        sentences.append(series_sentence(name, months, values, kinds[name]))
    if spans:
        grouped: dict[str, list[str]] = {}
        for start, end, label in spans:
            grouped.setdefault(label, []).append(
                month_text(start) if start == end else f"{month_text(start)} to {month_text(end)}"
            )
        sentences.append(
            "Shaded: "
            + "; ".join(f"{label} ({', '.join(v)})" for label, v in grouped.items()) + "."
        )
    if hidden:
        sentences.append(_not_shown(hidden, "value", threshold, "below"))
    return " ".join(sentences)


def change_alt(
    cats: Sequence[str], borough_values: np.ndarray, london_values: np.ndarray, borough: str,
    london_label: str, period_label: str | None,
) -> str:
    """Alt text of :func:`slp.charts.bar_chart_change`: biggest rise and fall, and how often
    the borough's change was above London's."""
    pairs = list(zip(cats, borough_values, london_values, strict=True))
    valid = [p for p in pairs if not math.isnan(p[1])]
    sentences = [
        with_period("Bar chart of percentage change by category", period_label)
        + f": {borough} compared with {london_label}, {len(cats)} categories."
    ]
    for word, side, pick in (("increase", [p for p in valid if p[1] > 0], max),
                             ("decrease", [p for p in valid if p[1] < 0], min)):
        if side:
            c, v, lv = pick(side, key=lambda p: p[1])
            sentences.append(
                f"The biggest {word} in {borough} was {c} ({format_number(v, 'percent')}; "
                f"{london_label} {format_number(lv, 'percent')})."
            )
        else:
            sentences.append(f"No category {word}d in {borough}.")
    above = sum(1 for _, v, lv in valid if not math.isnan(lv) and v > lv)
    sentences.append(
        f"{borough}'s change was above {london_label}'s in {above} of {len(valid)} categories."
    )
    return " ".join(sentences)


def ranked_alt(
    measure: str, period_label: str | None, named: Sequence[str], ordered: Sequence[str],
    values: np.ndarray, shown: Sequence[Any], ranks: Sequence[int], kind: str,
    reference: tuple[float, str] | None = None, hidden: int = 0, threshold: int | None = None,
) -> str:
    """Alt text of :func:`slp.charts.ranked_bar_chart`: the rank of each ``named`` area (the
    highlighted one first), the highest and lowest, and the reference line."""
    n = len(ordered)
    sentences = [
        f"Bar chart ranking {n} areas by " + with_period(lower_first(measure), period_label)
        + ", highest first."
    ]
    for name in named:
        i = ordered.index(name)
        if math.isnan(values[i]):
            sentences.append(f"{name}: {shown[i]}.")
            continue
        joint = "joint " if ranks.count(ranks[i]) > 1 else ""
        sentences.append(
            f"{name} ranks {joint}{ordinal(ranks[i])} of {n}, with "
            f"{format_number(values[i], kind)}."
        )
    visible = [(nm, v) for nm, v in zip(ordered, values, strict=True) if not math.isnan(v)]
    if visible:
        (hi_name, hi_v), (lo_name, lo_v) = visible[0], visible[-1]
        sentences.append(
            f"Highest: {hi_name} ({format_number(hi_v, kind)}); lowest: {lo_name} "
            f"({format_number(lo_v, kind)})."
        )
    if reference is not None:
        sentences.append(f"{reference[1]}: {format_number(reference[0], kind)}.")
    if hidden:
        sentences.append(_not_shown(hidden, "area", threshold, "with fewer than"))
    return " ".join(sentences)


def funnel_alt(
    x_label: str, y_label: str, period_label: str | None, names: Sequence[str],
    population: np.ndarray, rates: np.ndarray, positions: Sequence[str],
    highlight: str | None = None, centre: float | None = None,
) -> str:
    """Alt text of :func:`slp.charts.funnel_plot`: where the highlighted area lies and how
    many areas lie outside each pair of limits."""
    sentences = [
        f"Funnel plot of {lower_first(y_label)} against {lower_first(x_label)} for {len(names)} "
        + with_period("areas", period_label) + ", with 95% and 99.8% control limits."
    ]
    if highlight is not None:
        i = names.index(highlight)
        sentences.append(
            f"{highlight} has {format_number(rates[i], 'rate')} with a population of "
            f"{format_number(population[i], 'count')}: {positions[i]}."
        )
    above = sum(p.startswith("above the upper 99.8%") for p in positions)
    below = sum(p.startswith("below the lower 99.8%") for p in positions)
    above95 = sum(p.startswith("above") for p in positions)
    below95 = sum(p.startswith("below") for p in positions)
    sentences.append(
        f"{count(above95, 'area')} {'is' if above95 == 1 else 'are'} above the upper 95% "
        f"limit ({above} above 99.8%) and "
        f"{below95} below the lower 95% limit ({below} below 99.8%)."
    )
    if centre is not None:
        sentences.append(f"Overall rate: {format_number(centre, 'rate')}.")
    return " ".join(sentences)


def expected_alt(
    y_label: str, period: str, interval_label: str, months: pd.DatetimeIndex,
    observed: np.ndarray, expected: np.ndarray, outside: Sequence[str], kind: str,
) -> str:
    """Alt text of :func:`slp.charts.expected_vs_observed_chart`: the observed path, the
    expected start and end, and the months outside the interval (up to six named)."""
    sentences = [
        f"Line chart of observed and expected {lower_first(y_label)}, {period}, with the "
        f"{interval_label}.",
        series_sentence("Observed", months, observed, kind),
        f"Expected went from {format_number(expected[0], kind)} in {month_text(months[0])} to "
        f"{format_number(expected[-1], kind)} in {month_text(months[-1])}.",
    ]
    for side in ("above", "below"):
        idx = [i for i, s in enumerate(outside) if s == side]
        if idx:
            listed = ", ".join(
                f"{month_text(months[i])} ({format_number(observed[i], kind)})" for i in idx[:6]
            )
            more = f" and {len(idx) - 6} more" if len(idx) > 6 else ""
            sentences.append(f"Observed was {side} the interval in {len(idx)} of {len(observed)} "
                             f"months: {listed}{more}.")
        else:
            sentences.append(f"Observed was never {side} the interval.")
    return " ".join(sentences)


def seasonal_alt(
    y_label: str, period: str, months: pd.DatetimeIndex, parts: pd.DataFrame, kind: str,
) -> str:
    """Alt text of :func:`slp.charts.seasonal_chart`: the trend's start, end and extremes,
    the calendar months with the highest and lowest seasonal effect, the largest residual."""
    sentences = [
        f"Seasonal decomposition of {lower_first(y_label)}, {period}, in four panels: observed, "
        f"trend, seasonal effect and residual."
    ]
    known = parts["trend"].notna().to_numpy()
    trend, t_months = parts["trend"][known], months[known]
    if len(trend):
        low_i = int(np.argmin(trend.to_numpy()))
        high_i = int(np.argmax(trend.to_numpy()))

        def at(i: int) -> str:
            return f"{format_number(trend.iloc[i], kind)} in {month_text(t_months[i])}"

        sentences.append(
            f"The trend went from {at(0)} to {at(-1)}; it was highest at {at(high_i)} "
            f"and lowest at {at(low_i)}."
        )
    seasonal = pd.Series(parts["seasonal"].to_numpy(dtype=float), index=months.month)
    by_month = seasonal.groupby(level=0).mean()
    if len(by_month.dropna()):
        top, bottom = by_month.idxmax(), by_month.idxmin()
        sentences.append(
            f"The seasonal effect is highest in {calendar.month_name[top]} "
            f"({signed(by_month[top], kind)}) and lowest in "
            f"{calendar.month_name[bottom]} ({signed(by_month[bottom], kind)})."
        )
    resid = parts["resid"].to_numpy(dtype=float)
    if np.isfinite(resid).any():
        i = int(np.nanargmax(np.abs(resid)))
        sentences.append(
            f"The largest residual was {signed(resid[i], kind)} in {month_text(months[i])}."
        )
    return " ".join(sentences)
