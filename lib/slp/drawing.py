"""The pictures of the charts: matplotlib drawing in the house style, returned as SVG markup
with real text (:func:`slp.style.render_svg`).

One function per chart of :mod:`slp.charts`, each taking the numbers to plot (already
checked, suppressed values as NaN) and returning a :class:`Picture`. The words and the data
table of each chart are written elsewhere (:mod:`slp.chart_text`, :mod:`slp.charts`); nothing
here decides what may be shown.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from slp.style import (
    GRID_HATCH,
    HOUSE_STYLE,
    INTERVAL,
    MUTED,
    NEUTRAL,
    PALETTE,
    SHADE,
    SHADE_HATCHES,
    TEXT,
    legend_below,
    month_axis,
    new_figure,
    render_svg,
    series_style,
    thousands,
    title,
    wrap,
)
from slp.tables import format_number


class Picture(NamedTuple):
    """A drawn chart: its SVG markup (not yet named) and the figure's size in inches
    (width, height)."""

    svg: str
    size: tuple[float, float]


def line(
    months: pd.DatetimeIndex, series: Mapping[str, np.ndarray],
    spans: Sequence[tuple[pd.Timestamp, pd.Timestamp, str]], heading: str, y_label: str,
    x_label: str, whole: str = "London",
) -> Picture:
    """Monthly lines, one style per series, over shaded spans (months inclusive); the series
    named ``whole`` (the comparison frame's whole) in dark grey."""
    size = (8, 4.8)
    with mpl.rc_context(HOUSE_STYLE):
        fig = new_figure(*size)
        ax = fig.add_subplot()
        hatch_of = _shade(ax, spans)
        handles: list[Any] = []
        step = max(1, len(months) // 12)
        for i, (name, values) in enumerate(series.items()):
            colour, style, marker = series_style(name, i, whole)
            (drawn,) = ax.plot(
                months, values, color=colour, linestyle=style,
                marker=marker, markevery=(i % step, step), label=name, zorder=3,
            )
            handles.append(drawn)
        for label, hatch in hatch_of.items():
            handles.append(Patch(facecolor=SHADE, edgecolor=GRID_HATCH, hatch=hatch,
                                 label=f"Shaded: {label}"))
        title(fig, heading)
        ax.set_ylabel(y_label)
        ax.set_xlabel(x_label)
        ax.set_ylim(bottom=min(0, np.nanmin(np.array(list(series.values())), initial=0)))
        thousands(ax.yaxis)
        month_axis(ax, months)
        legend_below(fig, handles)
        return Picture(render_svg(fig, size), size)


def _shade(ax: Any, spans: Sequence[tuple[pd.Timestamp, pd.Timestamp, str]]) -> dict[str, str]:
    """Shade each span; returns the hatch of each label (one per distinct label, so
    differently labelled spans differ by more than name)."""
    hatch_of = {label: SHADE_HATCHES[i % len(SHADE_HATCHES)]
                for i, label in enumerate(dict.fromkeys(label for _, _, label in spans))}
    for start, end, label in spans:
        ax.axvspan(
            start - pd.Timedelta(days=14), end + pd.Timedelta(days=14),
            facecolor=SHADE, edgecolor=GRID_HATCH, hatch=hatch_of[label], zorder=0,
            linewidth=0,
        )
    return hatch_of


def change_bars(
    cats: Sequence[str], borough_values: np.ndarray, london_values: np.ndarray, borough: str,
    london_label: str, heading: str, x_label: str,
) -> Picture:
    """Paired horizontal bars of percentage change: the borough solid blue, London white with
    a dark hatched outline, each bar labelled with its value."""
    n = len(cats)
    size = (8, 1.6 + 0.55 * max(n, 1))
    with mpl.rc_context(HOUSE_STYLE):
        fig = new_figure(*size)
        ax = fig.add_subplot()
        y = np.arange(n)
        bar_h = 0.38
        bars_b = ax.barh(y - bar_h / 2, borough_values, height=bar_h, color=PALETTE[0],
                         label=borough, edgecolor=PALETTE[0])
        bars_l = ax.barh(y + bar_h / 2, london_values, height=bar_h, color="white",
                         edgecolor=TEXT, hatch="///", label=london_label, linewidth=1.0)
        for bars, vals in ((bars_b, borough_values), (bars_l, london_values)):
            _label_change(ax, bars, vals)
        every = np.concatenate([borough_values, london_values, [0.0]])
        span = max(1e-9, float(np.nanmax(np.abs(every))))
        ax.set_xlim(-span * 1.35 if np.nanmin(every) < 0 else 0,
                    span * 1.35 if np.nanmax(every) > 0 else span * 0.1)
        ax.axvline(0, color=TEXT, linewidth=1.2)
        ax.set_yticks(y, [wrap(c, 28) for c in cats])
        ax.invert_yaxis()
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(
            lambda v, _pos: format_number(v, "percent").replace(".0%", "%")))
        ax.set_xlabel(x_label)
        title(fig, heading)
        legend_below(fig, [bars_b, bars_l])
        return Picture(render_svg(fig, size), size)


def _label_change(ax: Any, bars: Any, values: np.ndarray) -> None:
    """Write each bar's percentage at its end, outside the bar."""
    for rect, v in zip(bars, values, strict=True):
        if math.isnan(v):
            continue
        ax.annotate(
            format_number(v, "percent"),
            (v, rect.get_y() + rect.get_height() / 2),
            xytext=(4 if v >= 0 else -4, 0), textcoords="offset points",
            ha="left" if v >= 0 else "right", va="center", fontsize=10, color=TEXT,
        )


def ranked_bars(
    ordered: Sequence[str], values: np.ndarray, shown: Sequence[Any], highlight: str,
    marked: Sequence[str], marked_label: str, reference: tuple[float, str] | None, kind: str,
    heading: str, measure: str,
) -> Picture:
    """One bar per area, highest at the top: the highlighted area vermillion, hatched, bold and
    pointed at; marked areas blue with dots; a value written on each of those bars and where
    a value is hidden (``shown`` holds its text)."""
    n = len(ordered)
    size = (8, 1.8 + 0.28 * n)

    def style(name: str) -> tuple[str, str | None, str]:
        """(bar colour, hatch, tick label) of one area."""
        if name == highlight:
            return PALETTE[1], "//", f"\u25ba {name}"
        if name in marked:
            return PALETTE[0], "..", f"\u25c7 {name}"
        return NEUTRAL, None, name

    with mpl.rc_context(HOUSE_STYLE):
        fig = new_figure(*size)
        ax = fig.add_subplot()
        y = np.arange(n)
        bars = ax.barh(y, np.nan_to_num(values), color=[style(nm)[0] for nm in ordered],
                       height=0.7)
        for rect, name, v, text in zip(bars, ordered, values, shown, strict=True):
            hatch = style(name)[1]
            if hatch:
                rect.set_hatch(hatch)
                rect.set_edgecolor(TEXT)
            if hatch or math.isnan(v):
                label = text if isinstance(text, str) else format_number(v, kind)
                at = (0 if math.isnan(v) else v, rect.get_y() + rect.get_height() / 2)
                ax.annotate(label, at,
                            xytext=(4, 0), textcoords="offset points", va="center", ha="left",
                            fontsize=11, fontweight="bold" if name == highlight else "normal")
        ax.set_yticks(y, [style(nm)[2] for nm in ordered])
        for tick, name in zip(ax.get_yticklabels(), ordered, strict=True):
            if name == highlight:
                tick.set_fontweight("bold")
        ax.set_ylim(n - 0.5, -0.5)
        ax.grid(axis="y", visible=False)
        handles = _ranked_legend(ax, highlight, marked, marked_label, reference, kind)
        top = float(np.nanmax(values, initial=0))
        ax.set_xlim(0, max(top, reference[0] if reference else 0) * 1.15 or 1)
        ax.set_xlabel(measure)
        title(fig, heading)
        legend_below(fig, handles)
        return Picture(render_svg(fig, size), size)


def _ranked_legend(
    ax: Any, highlight: str, marked: Sequence[str], marked_label: str,
    reference: tuple[float, str] | None, kind: str,
) -> list[Any]:
    """Legend entries of the ranked bars; draws the reference line."""
    handles: list[Any] = [Patch(facecolor=PALETTE[1], edgecolor=TEXT, hatch="//",
                                label=highlight)]
    if marked:
        handles.append(Patch(facecolor=PALETTE[0], edgecolor=TEXT, hatch="..",
                             label=marked_label))
    if reference is not None:
        ref_value, ref_label = reference
        handles.append(ax.axvline(ref_value, color=TEXT, linestyle="--", linewidth=1.5,
                                  label=f"{ref_label}: {format_number(ref_value, kind)}"))
    return handles


def funnel(
    names: Sequence[str], population: np.ndarray, rates: np.ndarray,
    limits: Mapping[str, np.ndarray], highlight: str | None, centre: float | None,
    heading: str, x_label: str, y_label: str,
) -> Picture:
    """Rates against population inside 95% (blue, dashed) and 99.8% (dark, solid) limits;
    ``limits`` has keys ``l95, u95, l998, u998``. The highlighted area is a vermillion
    diamond with its name beside it."""
    size = (8, 5)
    order = np.argsort(population, kind="stable")
    pop = population[order]
    with mpl.rc_context(HOUSE_STYLE):
        fig = new_figure(*size)
        ax = fig.add_subplot()
        (h998,) = ax.plot(pop, limits["u998"][order], color=TEXT, linestyle="-", linewidth=1.5,
                          label="99.8% limits")
        ax.plot(pop, limits["l998"][order], color=TEXT, linestyle="-", linewidth=1.5)
        (h95,) = ax.plot(pop, limits["u95"][order], color=PALETTE[0], linestyle="--",
                         linewidth=1.5, label="95% limits")
        ax.plot(pop, limits["l95"][order], color=PALETTE[0], linestyle="--", linewidth=1.5)
        handles = [h95, h998]
        if centre is not None:
            handles.append(ax.axhline(centre, color=MUTED, linestyle=":", linewidth=1.5,
                                      label=f"Overall rate: {format_number(centre, 'rate')}"))
        others = [i for i, nm in enumerate(names) if nm != highlight]
        handles.append(ax.scatter(population[others], rates[others], s=36, color=NEUTRAL,
                                  edgecolor=TEXT, linewidth=0.6, label="Areas", zorder=3))
        if highlight is not None:
            i = names.index(highlight)
            handles.append(ax.scatter([population[i]], [rates[i]], s=110, marker="D",
                                      color=PALETTE[1], edgecolor=TEXT, linewidth=1.0,
                                      label=highlight, zorder=4))
            ax.annotate(highlight, (population[i], rates[i]), xytext=(8, 6),
                        textcoords="offset points", fontsize=11, fontweight="bold")
        ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _p: f"{v:,.0f}"))
        ax.set_xlabel(x_label)
        ax.set_ylabel(y_label)
        title(fig, heading)
        legend_below(fig, handles)
        return Picture(render_svg(fig, size), size)


def expected(
    months: pd.DatetimeIndex, observed: np.ndarray, expected: np.ndarray, lower: np.ndarray,
    upper: np.ndarray, outside: Sequence[str], heading: str, y_label: str, interval_label: str,
) -> Picture:
    """Observed months (dark, dots) over the expected line and its interval band; months
    outside the band marked with vermillion triangles (up: above, down: below)."""
    size = (8, 4.8)
    with mpl.rc_context(HOUSE_STYLE):
        fig = new_figure(*size)
        ax = fig.add_subplot()
        band = ax.fill_between(months, lower, upper, color=INTERVAL, linewidth=0,
                               label=interval_label, zorder=1)
        ax.plot(months, lower, color=PALETTE[0], linewidth=0.8, linestyle=":", zorder=2)
        ax.plot(months, upper, color=PALETTE[0], linewidth=0.8, linestyle=":", zorder=2)
        (h_exp,) = ax.plot(months, expected, color=PALETTE[0], linestyle="--", label="Expected",
                           zorder=3)
        (h_obs,) = ax.plot(months, observed, color=TEXT, marker="o", markersize=4,
                           label="Observed", zorder=4)
        handles = [h_obs, h_exp, band]
        for side, marker in (("above", "^"), ("below", "v")):
            idx = [i for i, s in enumerate(outside) if s == side]
            if idx:
                handles.append(ax.scatter(
                    months[idx], observed[idx], marker=marker, s=90, color=PALETTE[1],
                    edgecolor=TEXT, zorder=5, label=f"Observed {side} the interval",
                ))
        ax.set_ylabel(y_label)
        ax.set_xlabel("Month")
        title(fig, heading)
        ax.set_ylim(bottom=min(0, float(np.nanmin(np.concatenate([lower, observed]), initial=0))))
        thousands(ax.yaxis)
        month_axis(ax, months)
        legend_below(fig, handles)
        return Picture(render_svg(fig, size), size)


def seasonal(months: pd.DatetimeIndex, parts: pd.DataFrame, heading: str) -> Picture:
    """Four panels sharing the month axis: observed, trend, seasonal effect (dots) and the
    residual as stems from 0. ``parts`` has columns observed, trend, seasonal and resid."""
    size = (8, 8)
    panels = [
        ("observed", "Observed", TEXT),
        ("trend", "Trend", PALETTE[0]),
        ("seasonal", "Seasonal effect", PALETTE[1]),
        ("resid", "Residual", PALETTE[2]),
    ]
    with mpl.rc_context(HOUSE_STYLE):
        fig = new_figure(*size)
        axes = fig.subplots(4, 1, sharex=True)
        for ax, (key, label, colour) in zip(axes, panels, strict=True):
            vals = parts[key].to_numpy(dtype=float)
            if key == "resid":
                ax.axhline(0, color=MUTED, linewidth=1)
                ax.vlines(months, 0, np.nan_to_num(vals), color=colour, linewidth=1.5)
                ax.plot(months, vals, linestyle="", marker="o", markersize=4, color=colour)
            else:
                ax.plot(months, vals, color=colour, linestyle="-",
                        marker="o" if key == "seasonal" else None, markersize=3)
            ax.set_ylabel(wrap(label, 12))
            thousands(ax.yaxis)
        axes[-1].set_xlabel("Month")
        month_axis(axes[-1], months)
        title(fig, heading)
        return Picture(render_svg(fig, size), size)
