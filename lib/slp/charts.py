"""Charts in the house style, each with alt text and a data table written from its data.

Every function returns a :class:`Chart`: a PNG embedded as a base64 data URI inside
``<figure>`` with alt text and a caption, followed by the numbers behind it in a
``<details>`` data table (keyboard-usable with no script). Nothing is fetched from anywhere.

House style: white background; text dark grey ``#222222`` (15.9:1 on white); light grey
gridlines; the Okabe-Ito palette, ordered so that the first four colours have at least 3:1
contrast on white (blue, vermillion, bluish green, reddish purple) and London drawn in dark grey;
every series also has its own line style and marker, so no information is carried by colour
alone. Text is 11-14 pt at 100 pixels per inch of display (about 15-19 CSS pixels).

Figures are drawn with :class:`matplotlib.figure.Figure` and the Agg canvas, never pyplot, so
charts work in any kernel without ``MPLBACKEND`` and no figure outlives its function. PNGs are
written without a timestamp or software tag, so the same data gives byte-identical output.
"""

from __future__ import annotations

import base64
import html
import io
import math
import textwrap
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import matplotlib as mpl
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from PIL import Image

from slp import disclosure
from slp.disclosure import DisclosureRule, suppression_note
from slp.errors import SlpError
from slp.tables import Table, choose_format, format_number, html_table

#: Okabe-Ito colours, in the order series use them (the first four have >= 3:1 on white).
OKABE_ITO: dict[str, str] = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "bluish green": "#009E73",
    "reddish purple": "#CC79A7",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}
PALETTE: tuple[str, ...] = tuple(OKABE_ITO[name] for name in list(OKABE_ITO)[:6])
TEXT = "#222222"
MUTED = "#595959"  # axes and reference lines: 7.0:1 on white
NEUTRAL = "#767676"  # bars that are not highlighted: 4.5:1 on white
GRID = "#DDDDDD"
SHADE = "#E4E4E4"
GRID_HATCH = "#A0A0A0"  # hatching inside shaded spans
SHADE_HATCHES: tuple[str, ...] = ("", "//", "..", "\\\\", "xx")
LINE_STYLES: tuple[str, ...] = ("-", "--", "-.", ":")
MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P")

#: Pixels per inch of display: a chart 8 inches wide is shown 800 CSS pixels wide.
DISPLAY_PPI = 100
#: Pixels per inch of the PNG: 1.5x the display size, sharp on high-density screens.
DPI = 150

HOUSE_STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 12,
    "axes.titlesize": 14,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "text.color": TEXT,
    "axes.labelcolor": TEXT,
    "axes.titlecolor": TEXT,
    "xtick.color": TEXT,
    "ytick.color": TEXT,
    "axes.edgecolor": MUTED,
    "axes.linewidth": 1.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": GRID,
    "grid.linewidth": 0.8,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "lines.linewidth": 2.0,
    "lines.markersize": 6,
    "legend.frameon": False,
}


@dataclass(frozen=True, eq=False)
class Chart:
    """A chart or map ready for a report: the picture, its words and its numbers.

    Attributes
    ----------
    title : str
        The chart's title.
    alt : str
        Alt text written from the data (what a screen reader reads for the picture).
    caption : str
        The visible caption: title, period and any note.
    table : Table
        The data table of every plotted value (suppressed values as ``"<5"``).
    data : DataFrame
        The same numbers as a frame, for ``figures.json``.
    png : bytes or None
        The PNG image (static charts and maps).
    svg : str or None
        Inline SVG markup (interactive maps) used instead of the PNG.
    width, height : int
        Display size in CSS pixels.
    """

    title: str
    alt: str
    caption: str
    table: Table
    data: pd.DataFrame = field(repr=False)
    png: bytes | None = field(default=None, repr=False)
    svg: str | None = field(default=None, repr=False)
    width: int = 800
    height: int = 450

    def html(self) -> str:
        """The figure (image, caption) followed by its data table in a ``<details>``."""
        esc = html.escape
        if self.svg is not None:
            media = self.svg
            kind = "slp-map-figure"
        else:
            encoded = base64.b64encode(self.png or b"").decode("ascii")
            media = (
                f'<img src="data:image/png;base64,{encoded}" alt="{esc(self.alt)}" '
                f'width="{self.width}" height="{self.height}">'
            )
            kind = "slp-chart"
        return (
            f'<figure class="{kind}">\n{media}\n<figcaption>{esc(self.caption)}</figcaption>\n'
            f"</figure>\n"
            f'<details class="slp-data"><summary>Data table for this chart</summary>\n'
            f"{self.table.html()}</details>\n"
        )

    def _repr_html_(self) -> str:
        return self.html()


def contrast_ratio(foreground: str, background: str = "#FFFFFF") -> float:
    """WCAG 2 contrast ratio between two colours (1 to 21).

    Parameters
    ----------
    foreground, background : str
        Colours as ``"#RRGGBB"`` or any name matplotlib knows.

    Returns
    -------
    float
        ``(L1 + 0.05) / (L2 + 0.05)`` with L the relative luminance of the lighter (L1) and
        darker (L2) colour. Text needs 4.5, chart elements 3.

    Examples
    --------
    >>> round(contrast_ratio("#767676"), 2)
    4.54
    """

    def luminance(colour: str) -> float:
        channels = []
        for c in mpl.colors.to_rgb(colour):
            c = round(c * 255) / 255
            channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
        r, g, b = channels
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# --- the charts ------------------------------------------------------------------------------


def line_chart(
    frame: pd.DataFrame,
    x: Hashable,
    series_columns: Sequence[Hashable],
    title: str,
    y_label: str,
    period_label: str,
    shade: Sequence[tuple[Any, Any, str]] | None = None,
    *,
    x_label: str = "Month",
    note: str | None = None,
    number_format: str = "auto",
    rule: DisclosureRule | None = None,
    sensitive: bool = False,
) -> Chart:
    """Line chart of monthly series for several areas, with optional shaded spans.

    Parameters
    ----------
    frame : DataFrame
        One row per month: column ``x`` (dates, monthly Periods or ``"YYYY-MM"`` text) and one
        column per series.
    x : label
        The month column.
    series_columns : list of labels
        The series to draw, in legend order; a series called ``"London"`` is drawn dark grey.
    title : str
        Chart title, e.g. ``"Crime rate by month"``.
    y_label : str
        The measure with its unit, e.g. ``"Crimes per 1,000 residents"``.
    period_label : str
        The period shown, e.g. ``"January 2017 to September 2022"``.
    shade : list of (start, end, label), optional
        Spans to shade (e.g. lockdowns), months inclusive; spans with the same label share
        one legend entry.
    x_label : str, default "Month"
    note : str, optional
        Added to the caption (e.g. the source).
    number_format : str, default "auto"
        How values are written in the alt text and table (see :func:`slp.tables.format_number`).
    rule : DisclosureRule, optional
        When given, the series are counts: small ones are left out of the lines (a gap) and shown
        as ``"<5"`` in the table.
    sensitive : bool, default False
        Use the rule's sensitive threshold.

    Returns
    -------
    Chart

    Raises
    ------
    SlpError
        When a column is missing or the months cannot be read.
    """
    _require(frame, [x, *series_columns], "line_chart")
    if not series_columns:
        raise SlpError("line_chart: series_columns is empty; name at least one column to draw")
    months = _to_months(frame[x], "line_chart", x)
    values, shown, hidden = _suppress_frame(frame, list(series_columns), rule, sensitive)
    kinds = {
        c: number_format if number_format != "auto" else choose_format(values[c].tolist())
        for c in series_columns
    }
    spans = [(_to_month(a, "shade"), _to_month(b, "shade"), str(label)) for a, b, label in shade or ()]

    with mpl.rc_context(HOUSE_STYLE):
        fig = new_figure(8, 4.8)
        ax = fig.add_subplot()
        handles: list[Any] = []
        # One hatch per distinct label, so differently labelled spans differ by more than name.
        hatch_of = {label: SHADE_HATCHES[i % len(SHADE_HATCHES)]
                    for i, label in enumerate(dict.fromkeys(label for _, _, label in spans))}
        for start, end, label in spans:
            ax.axvspan(
                start - pd.Timedelta(days=14), end + pd.Timedelta(days=14),
                facecolor=SHADE, edgecolor=GRID_HATCH, hatch=hatch_of[label], zorder=0,
                linewidth=0,
            )
        step = max(1, len(months) // 12)
        for i, column in enumerate(series_columns):
            colour, style, marker = _series_style(column, i)
            (line,) = ax.plot(
                months, values[column].to_numpy(dtype=float), color=colour, linestyle=style,
                marker=marker, markevery=(i % step, step), label=str(column), zorder=3,
            )
            handles.append(line)
        for label, hatch in hatch_of.items():
            handles.append(Patch(facecolor=SHADE, edgecolor=GRID_HATCH, hatch=hatch,
                                 label=f"Shaded: {label}"))
        _title(fig, f"{title}, {period_label}")
        ax.set_ylabel(y_label)
        ax.set_xlabel(x_label)
        ax.set_ylim(bottom=min(0, np.nanmin(values.to_numpy(dtype=float), initial=0)))
        _thousands(ax.yaxis)
        _month_axis(ax, months)
        _legend_below(fig, handles)
        png = render_png(fig)

    names = [str(c) for c in series_columns]
    sentences = [
        f"Line chart of {_lower_first(y_label)}, {period_label}, for {_and(names)}."
    ]
    for column in series_columns:
        sentences.append(_series_sentence(str(column), months, values[column], kinds[column]))
    if spans:
        grouped: dict[str, list[str]] = {}
        for start, end, label in spans:
            grouped.setdefault(label, []).append(
                _month_text(start) if start == end
                else f"{_month_text(start)} to {_month_text(end)}"
            )
        sentences.append(
            "Shaded: " + "; ".join(f"{label} ({', '.join(v)})" for label, v in grouped.items()) + "."
        )
    if hidden:
        sentences.append(
            f"{_plural(hidden, 'value')} below {rule.threshold_for(sensitive)} "
            f"{'is' if hidden == 1 else 'are'} not shown."
        )
    alt = " ".join(sentences)

    data = pd.DataFrame({x_label: [_month_text(m, short=True) for m in months]})
    for column in series_columns:
        data[str(column)] = shown[column].tolist()
    table = html_table(
        data, f"{title}: {_lower_first(y_label)}, {period_label}",
        number_format={str(c): kinds[c] for c in series_columns},
        notes=_notes(note, rule, sensitive, hidden),
    )
    return _chart(title, alt, _caption(title, period_label, note), table, data, png, fig_size=(8, 4.8))


def bar_chart_change(
    frame: pd.DataFrame,
    category: Hashable,
    borough_pct: Hashable,
    london_pct: Hashable,
    title: str,
    *,
    period_label: str | None = None,
    borough_label: str | None = None,
    london_label: str = "London",
    x_label: str = "Change (%)",
    note: str | None = None,
) -> Chart:
    """Horizontal bars comparing the percentage change in each category, borough vs London.

    Parameters
    ----------
    frame : DataFrame
        One row per category, in the order to show (top to bottom).
    category : label
        Column with category names.
    borough_pct, london_pct : label
        Columns with the change in per cent (``6.7`` means +6.7%).
    title : str
        Chart title.
    period_label : str, optional
        What is compared, e.g. ``"12 months to September 2022 vs the previous 12 months"``.
    borough_label : str, optional
        Name of the borough (default: the ``borough_pct`` column name).
    london_label : str, default "London"
    x_label : str, default "Change (%)"
    note : str, optional
        Added to the caption.

    Returns
    -------
    Chart
        Borough bars are solid blue, London bars white with a dark hatched outline; each bar
        is labelled with its value.
    """
    _require(frame, [category, borough_pct, london_pct], "bar_chart_change")
    borough = borough_label or str(borough_pct)
    cats = [str(c) for c in frame[category]]
    b = _numbers(frame[borough_pct], "bar_chart_change", borough_pct)
    lon = _numbers(frame[london_pct], "bar_chart_change", london_pct)
    n = len(cats)
    height = 1.6 + 0.55 * max(n, 1)
    with mpl.rc_context(HOUSE_STYLE):
        fig = new_figure(8, height)
        ax = fig.add_subplot()
        y = np.arange(n)
        bar_h = 0.38
        bars_b = ax.barh(y - bar_h / 2, b, height=bar_h, color=PALETTE[0], label=borough,
                         edgecolor=PALETTE[0])
        bars_l = ax.barh(y + bar_h / 2, lon, height=bar_h, color="white", edgecolor=TEXT,
                         hatch="///", label=london_label, linewidth=1.0)
        span = max(1e-9, float(np.nanmax(np.abs(np.concatenate([b, lon, [0.0]])))))
        for bars, vals in ((bars_b, b), (bars_l, lon)):
            for rect, v in zip(bars, vals, strict=True):
                if math.isnan(v):
                    continue
                ax.annotate(
                    format_number(v, "percent"),
                    (v, rect.get_y() + rect.get_height() / 2),
                    xytext=(4 if v >= 0 else -4, 0), textcoords="offset points",
                    ha="left" if v >= 0 else "right", va="center", fontsize=10, color=TEXT,
                )
        ax.set_xlim(-span * 1.35 if np.nanmin(np.concatenate([b, lon, [0.0]])) < 0 else 0,
                    span * 1.35 if np.nanmax(np.concatenate([b, lon, [0.0]])) > 0 else span * 0.1)
        ax.axvline(0, color=TEXT, linewidth=1.2)
        ax.set_yticks(y, [_wrap(c, 28) for c in cats])
        ax.invert_yaxis()
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(
            lambda v, _pos: format_number(v, "percent").replace(".0%", "%")))
        ax.set_xlabel(x_label)
        _title(fig, f"{title}, {period_label}" if period_label else title)
        _legend_below(fig, [bars_b, bars_l])
        png = render_png(fig)

    pairs = list(zip(cats, b, lon, strict=True))
    valid = [p for p in pairs if not math.isnan(p[1])]
    sentences = [
        "Bar chart of percentage change by category"
        + (f", {period_label}" if period_label else "")
        + f": {borough} compared with {london_label}, {n} categories."
    ]
    rises = [p for p in valid if p[1] > 0]
    falls = [p for p in valid if p[1] < 0]
    if rises:
        c, v, lv = max(rises, key=lambda p: p[1])
        sentences.append(
            f"The biggest increase in {borough} was {c} ({format_number(v, 'percent')}; "
            f"{london_label} {format_number(lv, 'percent')})."
        )
    else:
        sentences.append(f"No category increased in {borough}.")
    if falls:
        c, v, lv = min(falls, key=lambda p: p[1])
        sentences.append(
            f"The biggest decrease in {borough} was {c} ({format_number(v, 'percent')}; "
            f"{london_label} {format_number(lv, 'percent')})."
        )
    else:
        sentences.append(f"No category decreased in {borough}.")
    above = sum(1 for _, v, lv in valid if not math.isnan(lv) and v > lv)
    sentences.append(
        f"{borough}'s change was above {london_label}'s in {above} of {len(valid)} categories."
    )
    alt = " ".join(sentences)
    data = pd.DataFrame({"Category": cats, borough: b, london_label: lon})
    table = html_table(
        data,
        f"{title}: percentage change" + (f", {period_label}" if period_label else ""),
        number_format={borough: "percent", london_label: "percent"},
        notes=note,
    )
    return _chart(title, alt, _caption(title, period_label, note), table, data, png,
                  fig_size=(8, height))


def ranked_bar_chart(
    frame: pd.DataFrame,
    area: Hashable,
    value: Hashable,
    highlight: str,
    title: str,
    *,
    marked: Sequence[str] = (),
    marked_label: str = "Comparators",
    x_label: str | None = None,
    period_label: str | None = None,
    reference: tuple[float, str] | None = None,
    note: str | None = None,
    number_format: str = "auto",
    rule: DisclosureRule | None = None,
    sensitive: bool = False,
) -> Chart:
    """Bars for every area, highest at the top, with the focus area highlighted.

    The highlighted area is not marked by colour alone: its bar is vermillion *and* hatched,
    its name is bold with a pointer (``"► Lewisham"``) and its value is written at the bar end.
    Marked areas (e.g. comparators) are blue with dots, named with ``"◇"`` and valued too.

    Parameters
    ----------
    frame : DataFrame
        One row per area.
    area, value : label
        Columns with the area names and the values (e.g. crimes per 1,000 residents).
    highlight : str
        The area to highlight (e.g. the report's borough); must be one of ``frame[area]``.
    title : str
        Chart title.
    marked : list of str, optional
        Other areas to mark (e.g. the comparator boroughs).
    marked_label : str, default "Comparators"
        Legend entry for the marked areas.
    x_label : str, optional
        The measure with its unit (default: the ``value`` column name).
    period_label : str, optional
        e.g. ``"12 months to September 2022"``.
    reference : (value, label), optional
        A reference line, e.g. ``(88.0, "London")``.
    note : str, optional
        Added to the caption.
    number_format : str, default "auto"
    rule : DisclosureRule, optional
        When given, values are counts: small ones get no bar and are shown as ``"<5"``.
    sensitive : bool, default False

    Returns
    -------
    Chart

    Raises
    ------
    SlpError
        When a column is missing or ``highlight`` or a marked area is not one of the areas.
    """
    _require(frame, [area, value], "ranked_bar_chart")
    names = [str(a) for a in frame[area]]
    for name in [highlight, *marked]:
        if name not in names:
            raise SlpError(
                f"ranked_bar_chart: '{name}' is not in column {area!r}; found "
                f"{', '.join(names[:5])}{'...' if len(names) > 5 else ''}"
            )
    marked = [m for m in marked if m != highlight]
    measure = x_label or str(value)
    values, shown, hidden = _suppress_frame(frame, [value], rule, sensitive)
    vals = values[value].to_numpy(dtype=float)
    kind = number_format if number_format != "auto" else choose_format(vals.tolist())
    order = sorted(
        range(len(names)), key=lambda i: (math.isnan(vals[i]), -np.nan_to_num(vals[i]), names[i])
    )
    ordered = [names[i] for i in order]
    ordered_vals = vals[order]
    ordered_shown = [shown[value].iloc[i] for i in order]
    n = len(names)
    height = 1.8 + 0.28 * n

    def style(name: str) -> tuple[str, str | None, str]:
        """(bar colour, hatch, tick label) of one area."""
        if name == highlight:
            return PALETTE[1], "//", f"\u25ba {name}"
        if name in marked:
            return PALETTE[0], "..", f"\u25c7 {name}"
        return NEUTRAL, None, name

    with mpl.rc_context(HOUSE_STYLE):
        fig = new_figure(8, height)
        ax = fig.add_subplot()
        y = np.arange(n)
        bars = ax.barh(y, np.nan_to_num(ordered_vals), color=[style(nm)[0] for nm in ordered],
                       height=0.7)
        top = float(np.nanmax(ordered_vals, initial=0))
        for rect, name, v, text in zip(bars, ordered, ordered_vals, ordered_shown, strict=True):
            colour, hatch, _ = style(name)
            if hatch:
                rect.set_hatch(hatch)
                rect.set_edgecolor(TEXT)
            if hatch or math.isnan(v):
                label = text if isinstance(text, str) else format_number(v, kind)
                ax.annotate(label, (0 if math.isnan(v) else v, rect.get_y() + rect.get_height() / 2),
                            xytext=(4, 0), textcoords="offset points", va="center", ha="left",
                            fontsize=11, fontweight="bold" if name == highlight else "normal")
        ax.set_yticks(y, [style(nm)[2] for nm in ordered])
        for tick, name in zip(ax.get_yticklabels(), ordered, strict=True):
            if name == highlight:
                tick.set_fontweight("bold")
        ax.set_ylim(n - 0.5, -0.5)
        ax.grid(axis="y", visible=False)
        handles: list[Any] = [Patch(facecolor=PALETTE[1], edgecolor=TEXT, hatch="//",
                                    label=highlight)]
        if marked:
            handles.append(Patch(facecolor=PALETTE[0], edgecolor=TEXT, hatch="..",
                                 label=marked_label))
        if reference is not None:
            ref_value, ref_label = reference
            handles.append(ax.axvline(ref_value, color=TEXT, linestyle="--", linewidth=1.5,
                                      label=f"{ref_label}: {format_number(ref_value, kind)}"))
        ax.set_xlim(0, max(top, reference[0] if reference else 0) * 1.15 or 1)
        ax.set_xlabel(measure)
        _title(fig, f"{title}, {period_label}" if period_label else title)
        _legend_below(fig, handles)
        png = render_png(fig)

    rank_of = _competition_ranks(list(ordered_vals))
    shown_vals = [(nm, v) for nm, v in zip(ordered, ordered_vals, strict=True) if not math.isnan(v)]
    sentences = [
        f"Bar chart ranking {n} areas by {_lower_first(measure)}"
        + (f", {period_label}" if period_label else "") + ", highest first."
    ]
    for name in [highlight, *marked]:
        i = ordered.index(name)
        if math.isnan(ordered_vals[i]):
            sentences.append(f"{name}: {ordered_shown[i]}.")
            continue
        joint = "joint " if rank_of.count(rank_of[i]) > 1 else ""
        sentences.append(
            f"{name} ranks {joint}{_ordinal(rank_of[i])} of {n}, with "
            f"{format_number(ordered_vals[i], kind)}."
        )
    if shown_vals:
        hi_name, hi_v = shown_vals[0]
        lo_name, lo_v = shown_vals[-1]
        sentences.append(
            f"Highest: {hi_name} ({format_number(hi_v, kind)}); lowest: {lo_name} "
            f"({format_number(lo_v, kind)})."
        )
    if reference is not None:
        sentences.append(f"{reference[1]}: {format_number(reference[0], kind)}.")
    if hidden:
        sentences.append(
            f"{_plural(hidden, 'area')} with fewer than {rule.threshold_for(sensitive)} "
            f"{'is' if hidden == 1 else 'are'} not shown."
        )
    alt = " ".join(sentences)
    data = pd.DataFrame({
        "Area": ordered,
        "Rank": [format_number(r, "count") if not math.isnan(v) else "" for r, v in
                 zip(rank_of, ordered_vals, strict=True)],
        measure: ordered_shown,
    })
    table = html_table(
        data, f"{title}: {_lower_first(measure)}" + (f", {period_label}" if period_label else ""),
        number_format={measure: kind}, notes=_notes(note, rule, sensitive, hidden),
    )
    return _chart(title, alt, _caption(title, period_label, note), table, data, png,
                  fig_size=(8, height))


def funnel_plot(
    frame: pd.DataFrame,
    population: Hashable = "population",
    rate: Hashable = "rate_per_1000",
    lower95: Hashable = "lower_95",
    upper95: Hashable = "upper_95",
    lower998: Hashable = "lower_998",
    upper998: Hashable = "upper_998",
    highlight: str | None = None,
    title: str = "Crime rate against population",
    *,
    area: Hashable | None = None,
    centre: float | None = None,
    x_label: str = "Population (residents)",
    y_label: str = "Crimes per 1,000 residents",
    period_label: str | None = None,
    note: str | None = None,
) -> Chart:
    """Funnel plot: each area's rate against its population, with 95% and 99.8% limits.

    The column defaults are those of :func:`slp.significance.funnel_table`.

    Parameters
    ----------
    frame : DataFrame
        One row per area, with the control limits at that area's population.
    population, rate : label
        Columns with the population and the rate.
    lower95, upper95, lower998, upper998 : label
        Columns with the control limits.
    highlight : str or None
        Area to mark (a vermillion diamond with its name written beside it).
    title : str
    area : label, optional
        Column with area names (default: ``"area"`` if the frame has it, else the index).
    centre : float, optional
        The overall rate, drawn as a horizontal line (default: the ``target_rate`` column's
        value, if the frame has one).
    x_label, y_label : str
        Axis labels with units.
    period_label : str, optional
    note : str, optional

    Returns
    -------
    Chart
        The alt text says where the highlighted area falls and how many areas lie outside
        each pair of limits; the data table lists every area with its limits and position.
    """
    if area is None and isinstance(frame, pd.DataFrame) and "area" in frame.columns:
        area = "area"
    if centre is None and isinstance(frame, pd.DataFrame) and "target_rate" in frame.columns \
            and len(frame):
        centre = float(frame["target_rate"].iloc[0])
    cols = [population, rate, lower95, upper95, lower998, upper998]
    _require(frame, cols + ([area] if area is not None else []), "funnel_plot")
    names = [str(a) for a in (frame[area] if area is not None else frame.index)]
    if highlight is not None and highlight not in names:
        raise SlpError(f"funnel_plot: highlight '{highlight}' is not one of the areas")
    pop = _numbers(frame[population], "funnel_plot", population)
    r = _numbers(frame[rate], "funnel_plot", rate)
    l95, u95 = _numbers(frame[lower95], "funnel_plot", lower95), _numbers(frame[upper95], "funnel_plot", upper95)
    l998, u998 = _numbers(frame[lower998], "funnel_plot", lower998), _numbers(frame[upper998], "funnel_plot", upper998)
    positions = [_funnel_position(*vals) for vals in zip(r, l95, u95, l998, u998, strict=True)]
    order = np.argsort(pop, kind="stable")
    with mpl.rc_context(HOUSE_STYLE):
        fig = new_figure(8, 5)
        ax = fig.add_subplot()
        handles = []
        (h998,) = ax.plot(pop[order], u998[order], color=TEXT, linestyle="-", linewidth=1.5,
                          label="99.8% limits")
        ax.plot(pop[order], l998[order], color=TEXT, linestyle="-", linewidth=1.5)
        (h95,) = ax.plot(pop[order], u95[order], color=PALETTE[0], linestyle="--", linewidth=1.5,
                         label="95% limits")
        ax.plot(pop[order], l95[order], color=PALETTE[0], linestyle="--", linewidth=1.5)
        handles += [h95, h998]
        if centre is not None:
            handles.append(ax.axhline(centre, color=MUTED, linestyle=":", linewidth=1.5,
                                      label=f"Overall rate: {format_number(centre, 'rate')}"))
        others = [i for i, nm in enumerate(names) if nm != highlight]
        handles.append(ax.scatter(pop[others], r[others], s=36, color=NEUTRAL, edgecolor=TEXT,
                                  linewidth=0.6, label="Areas", zorder=3))
        if highlight is not None:
            i = names.index(highlight)
            handles.append(ax.scatter([pop[i]], [r[i]], s=110, marker="D", color=PALETTE[1],
                                      edgecolor=TEXT, linewidth=1.0, label=highlight, zorder=4))
            ax.annotate(highlight, (pop[i], r[i]), xytext=(8, 6), textcoords="offset points",
                        fontsize=11, fontweight="bold")
        ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _p: f"{v:,.0f}"))
        ax.set_xlabel(x_label)
        ax.set_ylabel(y_label)
        _title(fig, f"{title}, {period_label}" if period_label else title)
        _legend_below(fig, handles)
        png = render_png(fig)

    sentences = [
        f"Funnel plot of {_lower_first(y_label)} against {_lower_first(x_label)} for {len(names)} "
        f"areas" + (f", {period_label}" if period_label else "") + ", with 95% and 99.8% control limits."
    ]
    if highlight is not None:
        i = names.index(highlight)
        sentences.append(
            f"{highlight} has {format_number(r[i], 'rate')} with a population of "
            f"{format_number(pop[i], 'count')}: {positions[i]}."
        )
    above = sum(p.startswith("above the upper 99.8%") for p in positions)
    below = sum(p.startswith("below the lower 99.8%") for p in positions)
    above95 = sum(p.startswith("above") for p in positions)
    below95 = sum(p.startswith("below") for p in positions)
    sentences.append(
        f"{_plural(above95, 'area')} {'is' if above95 == 1 else 'are'} above the upper 95% "
        f"limit ({above} above 99.8%) and "
        f"{below95} below the lower 95% limit ({below} below 99.8%)."
    )
    if centre is not None:
        sentences.append(f"Overall rate: {format_number(centre, 'rate')}.")
    alt = " ".join(sentences)
    data = pd.DataFrame({
        "Area": names, "Population": pop, y_label: r,
        "Lower 99.8% limit": l998, "Lower 95% limit": l95,
        "Upper 95% limit": u95, "Upper 99.8% limit": u998,
        "Position": positions,
    }).iloc[order].reset_index(drop=True)
    table = html_table(
        data, f"{title}: {_lower_first(y_label)} and control limits"
        + (f", {period_label}" if period_label else ""),
        number_format={"Population": "count", y_label: "rate", "Lower 99.8% limit": "rate",
                       "Lower 95% limit": "rate", "Upper 95% limit": "rate",
                       "Upper 99.8% limit": "rate"},
        notes=note,
    )
    return _chart(title, alt, _caption(title, period_label, note), table, data, png, fig_size=(8, 5))


def expected_vs_observed_chart(
    frame: pd.DataFrame,
    *,
    x: Hashable = "month",
    observed: Hashable = "observed",
    expected: Hashable = "expected",
    lower: Hashable = "lower",
    upper: Hashable = "upper",
    title: str = "Observed and expected crimes",
    y_label: str = "Crimes per month",
    period_label: str | None = None,
    interval_label: str = "95% prediction interval",
    note: str | None = None,
    number_format: str = "auto",
) -> Chart:
    """Observed monthly values against the expected values and their prediction interval.

    Parameters
    ----------
    frame : DataFrame
        One row per month with the columns named below.
    x, observed, expected, lower, upper : label
        Column names (defaults ``month``, ``observed``, ``expected``, ``lower``, ``upper``).
    title, y_label, period_label : str
    interval_label : str, default "95% prediction interval"
    note : str, optional
    number_format : str, default "auto"

    Returns
    -------
    Chart
        Months outside the interval are marked with triangles (up: above, down: below) and
        listed in the alt text and the table's "Outside interval" column.
    """
    _require(frame, [x, observed, expected, lower, upper], "expected_vs_observed_chart")
    months = _to_months(frame[x], "expected_vs_observed_chart", x)
    obs = _numbers(frame[observed], "expected_vs_observed_chart", observed)
    exp = _numbers(frame[expected], "expected_vs_observed_chart", expected)
    lo = _numbers(frame[lower], "expected_vs_observed_chart", lower)
    hi = _numbers(frame[upper], "expected_vs_observed_chart", upper)
    kind = number_format if number_format != "auto" else choose_format(
        np.concatenate([obs, exp, lo, hi]).tolist()
    )
    outside = [
        "above" if o > top else "below" if o < bottom else ""
        for o, bottom, top in zip(obs, lo, hi, strict=True)
    ]
    period = period_label or f"{_month_text(months[0])} to {_month_text(months[-1])}"
    with mpl.rc_context(HOUSE_STYLE):
        fig = new_figure(8, 4.8)
        ax = fig.add_subplot()
        band = ax.fill_between(months, lo, hi, color="#CFE3F3", linewidth=0, label=interval_label,
                               zorder=1)
        ax.plot(months, lo, color=PALETTE[0], linewidth=0.8, linestyle=":", zorder=2)
        ax.plot(months, hi, color=PALETTE[0], linewidth=0.8, linestyle=":", zorder=2)
        (h_exp,) = ax.plot(months, exp, color=PALETTE[0], linestyle="--", label="Expected", zorder=3)
        (h_obs,) = ax.plot(months, obs, color=TEXT, marker="o", markersize=4, label="Observed",
                           zorder=4)
        handles = [h_obs, h_exp, band]
        for side, marker in (("above", "^"), ("below", "v")):
            idx = [i for i, s in enumerate(outside) if s == side]
            if idx:
                handles.append(ax.scatter(
                    months[idx], obs[idx], marker=marker, s=90, color=PALETTE[1], edgecolor=TEXT,
                    zorder=5, label=f"Observed {side} the interval",
                ))
        ax.set_ylabel(y_label)
        ax.set_xlabel("Month")
        _title(fig, f"{title}, {period}")
        ax.set_ylim(bottom=min(0, float(np.nanmin(np.concatenate([lo, obs]), initial=0))))
        _thousands(ax.yaxis)
        _month_axis(ax, months)
        _legend_below(fig, handles)
        png = render_png(fig)

    sentences = [
        f"Line chart of observed and expected {_lower_first(y_label)}, {period}, with the "
        f"{interval_label}.",
        _series_sentence("Observed", months, pd.Series(obs), kind),
        f"Expected went from {format_number(exp[0], kind)} in {_month_text(months[0])} to "
        f"{format_number(exp[-1], kind)} in {_month_text(months[-1])}.",
    ]
    for side in ("above", "below"):
        idx = [i for i, s in enumerate(outside) if s == side]
        if idx:
            listed = ", ".join(
                f"{_month_text(months[i])} ({format_number(obs[i], kind)})" for i in idx[:6]
            )
            more = f" and {len(idx) - 6} more" if len(idx) > 6 else ""
            sentences.append(f"Observed was {side} the interval in {len(idx)} of {len(obs)} "
                             f"months: {listed}{more}.")
        else:
            sentences.append(f"Observed was never {side} the interval.")
    alt = " ".join(sentences)
    data = pd.DataFrame({
        "Month": [_month_text(m, short=True) for m in months],
        "Observed": obs, "Expected": exp, "Lower limit": lo, "Upper limit": hi,
        "Outside interval": outside,
    })
    table = html_table(
        data, f"{title}: {_lower_first(y_label)}, {period}",
        number_format={c: kind for c in ("Observed", "Expected", "Lower limit", "Upper limit")},
        notes=note,
    )
    return _chart(title, alt, _caption(title, period, note), table, data, png, fig_size=(8, 4.8))


def seasonal_chart(
    decomposition: Any,
    *,
    title: str = "Trend and seasonal pattern",
    y_label: str = "Crimes per month",
    period_label: str | None = None,
    note: str | None = None,
    number_format: str = "rate",
) -> Chart:
    """Four panels of a seasonal decomposition: observed, trend, seasonal effect, residual.

    Parameters
    ----------
    decomposition : DecomposeResult or DataFrame
        A statsmodels ``seasonal_decompose`` / ``STL`` result (attributes ``observed``,
        ``trend``, ``seasonal``, ``resid``) or a DataFrame with those columns (``residual`` is
        accepted for ``resid``), indexed by month or with a ``month`` column (as
        :func:`slp.seasonality.decompose` returns).
    title, y_label, period_label : str
    note : str, optional
    number_format : str, default "rate"

    Returns
    -------
    Chart
        The alt text gives the trend's start, end and lowest point, the calendar months with
        the highest and lowest seasonal effect, and the largest residual.
    """
    parts = _decomposition_frame(decomposition)
    months = _to_months(pd.Series(parts.index), "seasonal_chart", "index")
    period = period_label or f"{_month_text(months[0])} to {_month_text(months[-1])}"
    panels = [
        ("observed", "Observed", TEXT, "-"),
        ("trend", "Trend", PALETTE[0], "-"),
        ("seasonal", "Seasonal effect", PALETTE[1], "-"),
        ("resid", "Residual", PALETTE[2], ""),
    ]
    with mpl.rc_context(HOUSE_STYLE):
        fig = new_figure(8, 8)
        axes = fig.subplots(4, 1, sharex=True)
        for ax, (key, label, colour, style) in zip(axes, panels, strict=True):
            vals = parts[key].to_numpy(dtype=float)
            if key == "resid":
                ax.axhline(0, color=MUTED, linewidth=1)
                ax.vlines(months, 0, np.nan_to_num(vals), color=colour, linewidth=1.5)
                ax.plot(months, vals, linestyle="", marker="o", markersize=4, color=colour)
            else:
                ax.plot(months, vals, color=colour, linestyle=style,
                        marker="o" if key == "seasonal" else None, markersize=3)
            ax.set_ylabel(_wrap(label, 12))
            _thousands(ax.yaxis)
        axes[-1].set_xlabel("Month")
        _month_axis(axes[-1], months)
        _title(fig, f"{title}: {_lower_first(y_label)}, {period}")
        png = render_png(fig)

    kind = number_format
    trend = parts["trend"]
    valid_trend = trend.dropna()
    sentences = [
        f"Seasonal decomposition of {_lower_first(y_label)}, {period}, in four panels: observed, "
        f"trend, seasonal effect and residual."
    ]
    if len(valid_trend):
        t_months = _to_months(pd.Series(valid_trend.index), "seasonal_chart", "index")
        low_i = int(np.argmin(valid_trend.to_numpy()))
        high_i = int(np.argmax(valid_trend.to_numpy()))
        sentences.append(
            f"The trend went from {format_number(valid_trend.iloc[0], kind)} in "
            f"{_month_text(t_months[0])} to {format_number(valid_trend.iloc[-1], kind)} in "
            f"{_month_text(t_months[-1])}; it was highest at "
            f"{format_number(valid_trend.iloc[high_i], kind)} in {_month_text(t_months[high_i])} "
            f"and lowest at {format_number(valid_trend.iloc[low_i], kind)} in "
            f"{_month_text(t_months[low_i])}."
        )
    seasonal = pd.Series(parts["seasonal"].to_numpy(dtype=float), index=months.month)
    by_month = seasonal.groupby(level=0).mean()
    if len(by_month.dropna()):
        top, bottom = by_month.idxmax(), by_month.idxmin()
        sentences.append(
            f"The seasonal effect is highest in {_MONTH_NAMES[top - 1]} "
            f"({_signed(by_month[top], kind)}) and lowest in "
            f"{_MONTH_NAMES[bottom - 1]} ({_signed(by_month[bottom], kind)})."
        )
    resid = parts["resid"].to_numpy(dtype=float)
    if np.isfinite(resid).any():
        i = int(np.nanargmax(np.abs(resid)))
        sentences.append(
            f"The largest residual was {_signed(resid[i], kind)} in "
            f"{_month_text(months[i])}."
        )
    alt = " ".join(sentences)
    data = pd.DataFrame({
        "Month": [_month_text(m, short=True) for m in months],
        "Observed": parts["observed"].to_numpy(dtype=float),
        "Trend": trend.to_numpy(dtype=float),
        "Seasonal effect": parts["seasonal"].to_numpy(dtype=float),
        "Residual": resid,
    })
    table = html_table(
        data, f"{title}: {_lower_first(y_label)}, {period}",
        number_format={c: kind for c in ("Observed", "Trend", "Seasonal effect", "Residual")},
        notes=_join_notes(note, "[x]: the trend cannot be estimated this close to the ends of "
                          "the series." if trend.isna().any() else None),
    )
    return _chart(title, alt, _caption(title, period, note), table, data, png, fig_size=(8, 8))


# --- helpers shared with maps ----------------------------------------------------------------


def render_png(fig: Figure) -> bytes:
    """Write a figure as palette PNG bytes with no timestamp or software tag, then clear it.

    The figure is drawn once on its Agg canvas and the pixels quantised straight from the
    canvas buffer (``savefig`` would lay the figure out twice and round-trip through a PNG).
    """
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())
    fig.clear()
    # Charts are flat colours: a 256-colour palette looks the same at a third of the size.
    image = Image.fromarray(pixels[..., :3]).quantize(
        256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    out = io.BytesIO()
    # zlib level 6: a tenth of level 9's time for files about 9% larger.
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def new_figure(width: float, height: float) -> Figure:
    """A house-style Figure on the Agg canvas (no pyplot), ``width`` x ``height`` inches."""
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig

_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)


def _chart(
    title: str, alt: str, caption: str, table: Table, data: pd.DataFrame, png: bytes,
    fig_size: tuple[float, float],
) -> Chart:
    return Chart(
        title=title, alt=alt, caption=caption, table=table, data=data, png=png,
        width=round(fig_size[0] * DISPLAY_PPI), height=round(fig_size[1] * DISPLAY_PPI),
    )


def _require(frame: Any, columns: Sequence[Hashable], where: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise SlpError(f"{where}: expected a pandas DataFrame; found {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SlpError(
            f"{where}: column(s) {', '.join(map(repr, missing))} not found; the frame has "
            f"{', '.join(map(str, frame.columns))}"
        )
    if frame.empty:
        raise SlpError(f"{where}: the frame has no rows; there is nothing to draw")


def _numbers(series: pd.Series, where: str, column: Hashable) -> np.ndarray:
    try:
        return pd.to_numeric(series, errors="raise").to_numpy(dtype=float)
    except (ValueError, TypeError):
        bad = next((v for v in series if not _is_number_like(v)), None)
        raise SlpError(
            f"{where}: column {column!r} must hold numbers; found {bad!r}"
        ) from None


def _is_number_like(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _to_month(value: Any, where: str) -> pd.Timestamp:
    try:
        if isinstance(value, pd.Period):
            return value.to_timestamp()
        return pd.Timestamp(value)
    except (ValueError, TypeError):
        raise SlpError(
            f"{where}: cannot read {value!r} as a month (expected a date, a Period or 'YYYY-MM')"
        ) from None


def _to_months(values: pd.Series, where: str, column: Hashable) -> pd.DatetimeIndex:
    out = []
    for v in values:
        try:
            out.append(_to_month(v, where))
        except SlpError:
            raise SlpError(
                f"{where}: column {column!r}: cannot read {v!r} as a month (expected a date, a "
                f"Period or 'YYYY-MM')"
            ) from None
    return pd.DatetimeIndex(out)


def _month_text(month: pd.Timestamp, short: bool = False) -> str:
    return month.strftime("%b %Y" if short else "%B %Y")


def _month_axis(ax: Any, months: pd.DatetimeIndex) -> None:
    """Month ticks: each January (labelled with the year) and quarters as minor ticks over
    more than two years, else each quarter labelled "Jan 2022".

    The positions are fixed once here: matplotlib's date locators recompute them through
    dateutil's rrule at every layout pass, which made them most of a chart's drawing time.
    """
    if not len(months):
        return
    first, last = months.min(), months.max()
    quarters = pd.date_range(first.to_period("Q").start_time, last, freq="QS-JAN")
    if (last - first).days > 730:
        major = quarters[quarters.month == 1]
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.xaxis.set_minor_locator(mpl.ticker.FixedLocator(mdates.date2num(quarters)))
    else:
        major = quarters
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    ax.xaxis.set_major_locator(mpl.ticker.FixedLocator(mdates.date2num(major)))


def _thousands(axis: Any) -> None:
    """Tick labels with thousands separators (2,000 not 2000)."""
    axis.set_major_formatter(mpl.ticker.FuncFormatter(
        lambda v, _pos: f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}"))


def _title(fig: Figure, text: str) -> None:
    """The chart title, top left of the whole figure, wrapped to fit."""
    fig.suptitle(_wrap(text, 68), x=0.01, ha="left", fontsize=14, fontweight="bold", color=TEXT)


def _legend_below(fig: Figure, handles: list[Any]) -> None:
    if handles:
        longest = max(len(str(h.get_label())) for h in handles)
        columns = 3 if longest <= 18 else 2 if longest <= 32 else 1
        fig.legend(handles=handles, loc="outside lower center",
                   ncols=min(columns, len(handles)), handlelength=3)


def _series_style(name: Hashable, i: int) -> tuple[str, str, str]:
    if str(name) == "London":
        return TEXT, "--", "s"
    return PALETTE[i % len(PALETTE)], LINE_STYLES[i % len(LINE_STYLES)], MARKERS[i % len(MARKERS)]


def _suppress_frame(
    frame: pd.DataFrame, columns: list[Hashable], rule: DisclosureRule | None, sensitive: bool
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """(values to plot with hidden ones NaN, values to show, number hidden)."""
    numeric = pd.DataFrame(
        {c: _numbers(frame[c], "chart", c) for c in columns}, index=frame.index
    )
    if rule is None or not rule.active:
        return numeric, numeric.astype(object), 0
    shown, mask, _ = disclosure.publish(numeric, counts=list(numeric.columns), rule=rule,
                                        sensitive=sensitive)
    return numeric.mask(mask), shown, int(mask.to_numpy().sum())


def _series_sentence(name: str, months: pd.DatetimeIndex, values: pd.Series, kind: str) -> str:
    vals = np.asarray(values, dtype=float)
    ok = np.flatnonzero(~np.isnan(vals))
    if not len(ok):
        return f"{name}: no values shown."
    first, last = ok[0], ok[-1]
    hi = ok[np.argmax(vals[ok])]
    lo = ok[np.argmin(vals[ok])]
    f = lambda i: f"{format_number(vals[i], kind)} in {_month_text(months[i])}"  # noqa: E731
    return (
        f"{name} went from {f(first)} to {f(last)}; highest {f(hi)}, lowest {f(lo)}."
    )


def _competition_ranks(values: Sequence[float]) -> list[int]:
    """1-based ranks, highest first, ties sharing the better rank (1, 2, 2, 4); NaN last."""
    ranks = []
    for v in values:
        if math.isnan(v):
            ranks.append(len(values))
        else:
            ranks.append(1 + sum(1 for w in values if not math.isnan(w) and w > v))
    return ranks


def _plural(n: int, noun: str) -> str:
    """``"1 area"`` / ``"3 areas"``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _funnel_position(r: float, l95: float, u95: float, l998: float, u998: float) -> str:
    if r > u998:
        return "above the upper 99.8% limit"
    if r > u95:
        return "above the upper 95% limit"
    if r < l998:
        return "below the lower 99.8% limit"
    if r < l95:
        return "below the lower 95% limit"
    return "within the 95% limits"


def _decomposition_frame(decomposition: Any) -> pd.DataFrame:
    if isinstance(decomposition, pd.DataFrame):
        frame = decomposition.rename(columns={"residual": "resid"})
        if "month" in frame.columns:  # slp.seasonality.decompose keeps months in a column
            frame = frame.set_index("month")
        missing = [c for c in ("observed", "trend", "seasonal", "resid") if c not in frame.columns]
        if missing:
            raise SlpError(
                f"seasonal_chart: the frame needs columns observed, trend, seasonal and resid; "
                f"missing {', '.join(missing)}"
            )
        return frame
    try:
        return pd.DataFrame({
            key: pd.Series(getattr(decomposition, key))
            for key in ("observed", "trend", "seasonal", "resid")
        })
    except AttributeError:
        raise SlpError(
            "seasonal_chart: expected a statsmodels decomposition (observed, trend, seasonal, "
            f"resid) or a DataFrame; found {type(decomposition).__name__}"
        ) from None


def _caption(title: str, period_label: str | None, note: str | None) -> str:
    text = f"{title}, {period_label}." if period_label else f"{title}."
    return f"{text} {note}" if note else text


def _notes(note: str | None, rule: DisclosureRule | None, sensitive: bool, hidden: int) -> list[str]:
    out = [note] if note else []
    if hidden and rule is not None:
        out.append(suppression_note(rule, sensitive, secondary=False))
    return out


def _join_notes(*notes: str | None) -> list[str]:
    return [n for n in notes if n]


def _wrap(text: str, width: int = 64) -> str:
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def _lower_first(text: str) -> str:
    """``"Crimes per 1,000"`` -> ``"crimes per 1,000"``, leaving acronyms (``"ASB"``) alone."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _and(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _signed(value: float, kind: str) -> str:
    """A value with its sign, ``"+12.3"`` / ``"-4.0"``, in the given format."""
    text = format_number(abs(value), kind)
    return ("-" if value < 0 and text.strip("0.,") else "+") + text
