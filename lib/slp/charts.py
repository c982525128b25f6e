"""Charts in the house style, each with alt text and a data table written from its data.

Every function returns a :class:`Chart`: an inline SVG with real text (titles, labels and
ticks as ``<text>``, crisp at any zoom, selectable) named by its alt text, inside ``<figure>``
with a caption, followed by the numbers behind it in a
``<details>`` data table (keyboard-usable with no script). Nothing is fetched from anywhere.

Each chart is three parts put together here: the picture (:mod:`slp.drawing`, in the house
style of :mod:`slp.style`), the alt text (:mod:`slp.chart_text`) and the data table (below,
from the same checked and suppressed numbers as the other two).
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from slp import chart_data, chart_text, drawing
from slp.chart_text import month_text
from slp.disclosure import DisclosureRule, suppression_note
from slp.errors import SlpError
from slp.narrative import caption, lower_first, with_period
from slp.style import (  # the house style's names stay importable from here
    DISPLAY_PPI,
    DPI,
    GRID,
    GRID_HATCH,
    HOUSE_STYLE,
    LINE_STYLES,
    MARKERS,
    MUTED,
    NEUTRAL,
    OKABE_ITO,
    PALETTE,
    SHADE,
    SHADE_HATCHES,
    TEXT,
    contrast_ratio,
    display_size,
    name_svg,
    new_figure,
    render_png,
    render_svg,
)
from slp.tables import Table, choose_format, format_number, html_table

__all__ = [
    "DISPLAY_PPI", "DPI", "GRID", "GRID_HATCH", "HOUSE_STYLE", "LINE_STYLES", "MARKERS", "MUTED",
    "NEUTRAL", "OKABE_ITO", "PALETTE", "SHADE", "SHADE_HATCHES", "TEXT", "Chart",
    "bar_chart_change", "contrast_ratio", "expected_vs_observed_chart", "funnel_plot",
    "line_chart", "new_figure", "ranked_bar_chart", "render_png", "render_svg", "seasonal_chart",
]


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
        The PNG image (static maps).
    svg : str or None
        Inline SVG markup (charts, interactive maps), used instead of a PNG.
    width, height : int
        Display size in CSS pixels.
    figure_class : str
        The ``class`` of the ``<figure>``: ``"slp-chart"`` or ``"slp-map-figure"``.
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
    figure_class: str = "slp-chart"

    def html(self) -> str:
        """The figure (image, caption) followed by its data table in a ``<details>``."""
        esc = html.escape
        if self.svg is not None:
            media = self.svg
        else:
            encoded = base64.b64encode(self.png or b"").decode("ascii")
            media = (
                f'<img src="data:image/png;base64,{encoded}" alt="{esc(self.alt)}" '
                f'width="{self.width}" height="{self.height}">'
            )
        return (
            f'<figure class="{self.figure_class}">\n{media}\n<figcaption>{esc(self.caption)}</figcaption>\n'
            f"</figure>\n"
            f'<details class="slp-data"><summary>Data table for this chart</summary>\n'
            f"{self.table.html()}</details>\n"
        )

    def _repr_html_(self) -> str:
        return self.html()


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
    whole: str = "London",
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
        The series to draw, in legend order; the series called ``whole`` is drawn dark grey.
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
    whole : str, default "London"
        The series of the comparison frame's whole (:attr:`slp.frame.Frame.whole_label`).

    Returns
    -------
    Chart

    Raises
    ------
    SlpError
        When a column is missing or the months cannot be read.

    Examples
    --------
    >>> frame = pd.DataFrame({"month": ["2022-01", "2022-02", "2022-03"], "Lewisham": [10, 12, 9]})
    >>> chart = line_chart(frame, "month", ["Lewisham"], "Theft by month", "Crimes",
    ...                    "January to March 2022")
    >>> chart.caption
    'Theft by month, January to March 2022.'
    """
    chart_data.require(frame, [x, *series_columns], "line_chart")
    if not series_columns:
        raise SlpError("line_chart: series_columns is empty; name at least one column to draw")
    months = chart_data.to_months(frame[x], "line_chart", x)
    values, shown, hidden = chart_data.suppressed_values(frame, list(series_columns), rule,
                                                         sensitive)
    kinds = {
        str(c): number_format if number_format != "auto" else choose_format(values[c].tolist())
        for c in series_columns
    }
    spans = [(chart_data.to_month(a, "shade"), chart_data.to_month(b, "shade"), str(label))
             for a, b, label in shade or ()]
    series = {str(c): values[c].to_numpy(dtype=float) for c in series_columns}
    picture = drawing.line(months, series, spans, f"{title}, {period_label}", y_label, x_label,
                           whole)
    alt = chart_text.line_alt(y_label, period_label, months, series, kinds, spans, hidden,
                              rule.threshold_for(sensitive) if hidden else None)
    data = pd.DataFrame({x_label: [month_text(m, short=True) for m in months]})
    for column in series_columns:
        data[str(column)] = shown[column].tolist()
    table = html_table(
        data, f"{title}: {lower_first(y_label)}, {period_label}",
        number_format=kinds, notes=_notes(note, rule, sensitive, hidden),
    )
    return _chart(title, alt, caption(title, period_label, note), table, data, picture)


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
    chart_data.require(frame, [category, borough_pct, london_pct], "bar_chart_change")
    borough = borough_label or str(borough_pct)
    cats = [str(c) for c in frame[category]]
    b = chart_data.numbers(frame[borough_pct], "bar_chart_change", borough_pct)
    lon = chart_data.numbers(frame[london_pct], "bar_chart_change", london_pct)
    picture = drawing.change_bars(cats, b, lon, borough, london_label,
                                  with_period(title, period_label), x_label)
    alt = chart_text.change_alt(cats, b, lon, borough, london_label, period_label)
    data = pd.DataFrame({"Category": cats, borough: b, london_label: lon})
    table = html_table(
        data, with_period(f"{title}: percentage change", period_label),
        number_format={borough: "percent", london_label: "percent"},
        notes=note,
    )
    return _chart(title, alt, caption(title, period_label, note), table, data, picture)


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
    chart_data.require(frame, [area, value], "ranked_bar_chart")
    names = [str(a) for a in frame[area]]
    for name in [highlight, *marked]:
        if name not in names:
            raise SlpError(
                f"ranked_bar_chart: '{name}' is not in column {area!r}; found "
                f"{', '.join(names[:5])}{'...' if len(names) > 5 else ''}"
            )
    marked = [m for m in marked if m != highlight]
    measure = x_label or str(value)
    values, shown, hidden = chart_data.suppressed_values(frame, [value], rule, sensitive)
    vals = values[value].to_numpy(dtype=float)
    kind = number_format if number_format != "auto" else choose_format(vals.tolist())
    order = sorted(
        range(len(names)), key=lambda i: (math.isnan(vals[i]), -np.nan_to_num(vals[i]), names[i])
    )
    ordered = [names[i] for i in order]
    ordered_vals = vals[order]
    ordered_shown = [shown[value].iloc[i] for i in order]
    heading = with_period(title, period_label)
    picture = drawing.ranked_bars(ordered, ordered_vals, ordered_shown, highlight, marked,
                                  marked_label, reference, kind, heading, measure)
    ranks = chart_text.competition_ranks(list(ordered_vals))
    alt = chart_text.ranked_alt(measure, period_label, [highlight, *marked], ordered,
                                ordered_vals, ordered_shown, ranks, kind, reference, hidden,
                                rule.threshold_for(sensitive) if hidden else None)
    data = pd.DataFrame({
        "Area": ordered,
        "Rank": [format_number(r, "count") if not math.isnan(v) else "" for r, v in
                 zip(ranks, ordered_vals, strict=True)],
        measure: ordered_shown,
    })
    table = html_table(
        data, f"{title}: " + with_period(lower_first(measure), period_label),
        number_format={measure: kind}, notes=_notes(note, rule, sensitive, hidden),
    )
    return _chart(title, alt, caption(title, period_label, note), table, data, picture)


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
    limits = {"l95": lower95, "u95": upper95, "l998": lower998, "u998": upper998}
    named = [area] if area is not None else []
    chart_data.require(frame, [population, rate, *limits.values(), *named], "funnel_plot")
    names = [str(a) for a in (frame[area] if area is not None else frame.index)]
    if highlight is not None and highlight not in names:
        raise SlpError(f"funnel_plot: highlight '{highlight}' is not one of the areas")
    pop = chart_data.numbers(frame[population], "funnel_plot", population)
    r = chart_data.numbers(frame[rate], "funnel_plot", rate)
    lim = {key: chart_data.numbers(frame[column], "funnel_plot", column)
           for key, column in limits.items()}
    positions = [chart_text.funnel_position(*vals) for vals in
                 zip(r, lim["l95"], lim["u95"], lim["l998"], lim["u998"], strict=True)]
    picture = drawing.funnel(names, pop, r, lim, highlight, centre,
                             with_period(title, period_label), x_label, y_label)
    alt = chart_text.funnel_alt(x_label, y_label, period_label, names, pop, r, positions,
                                highlight, centre)
    data = pd.DataFrame({
        "Area": names, "Population": pop, y_label: r,
        "Lower 99.8% limit": lim["l998"], "Lower 95% limit": lim["l95"],
        "Upper 95% limit": lim["u95"], "Upper 99.8% limit": lim["u998"],
        "Position": positions,
    }).iloc[np.argsort(pop, kind="stable")].reset_index(drop=True)
    table = html_table(
        data, with_period(f"{title}: {lower_first(y_label)} and control limits", period_label),
        number_format={"Population": "count", y_label: "rate", "Lower 99.8% limit": "rate",
                       "Lower 95% limit": "rate", "Upper 95% limit": "rate",
                       "Upper 99.8% limit": "rate"},
        notes=note,
    )
    return _chart(title, alt, caption(title, period_label, note), table, data, picture)


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
    chart_data.require(frame, [x, observed, expected, lower, upper], "expected_vs_observed_chart")
    months = chart_data.to_months(frame[x], "expected_vs_observed_chart", x)
    obs, exp, lo, hi = (chart_data.numbers(frame[c], "expected_vs_observed_chart", c)
                        for c in (observed, expected, lower, upper))
    kind = number_format if number_format != "auto" else choose_format(
        np.concatenate([obs, exp, lo, hi]).tolist()
    )
    outside = [
        "above" if o > top else "below" if o < bottom else ""
        for o, bottom, top in zip(obs, lo, hi, strict=True)
    ]
    period = period_label or f"{month_text(months[0])} to {month_text(months[-1])}"
    picture = drawing.expected(months, obs, exp, lo, hi, outside, f"{title}, {period}", y_label,
                               interval_label)
    alt = chart_text.expected_alt(y_label, period, interval_label, months, obs, exp, outside,
                                  kind)
    data = pd.DataFrame({
        "Month": [month_text(m, short=True) for m in months],
        "Observed": obs, "Expected": exp, "Lower limit": lo, "Upper limit": hi,
        "Outside interval": outside,
    })
    table = html_table(
        data, f"{title}: {lower_first(y_label)}, {period}",
        number_format={c: kind for c in ("Observed", "Expected", "Lower limit", "Upper limit")},
        notes=note,
    )
    return _chart(title, alt, caption(title, period, note), table, data, picture)


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
    parts = chart_data.decomposition_frame(decomposition)
    months = chart_data.to_months(pd.Series(parts.index), "seasonal_chart", "index")
    period = period_label or f"{month_text(months[0])} to {month_text(months[-1])}"
    picture = drawing.seasonal(months, parts, f"{title}: {lower_first(y_label)}, {period}")
    alt = chart_text.seasonal_alt(y_label, period, months, parts, number_format)
    data = pd.DataFrame({
        "Month": [month_text(m, short=True) for m in months],
        "Observed": parts["observed"].to_numpy(dtype=float),
        "Trend": parts["trend"].to_numpy(dtype=float),
        "Seasonal effect": parts["seasonal"].to_numpy(dtype=float),
        "Residual": parts["resid"].to_numpy(dtype=float),
    })
    gaps = parts["trend"].isna().any()
    table = html_table(
        data, f"{title}: {lower_first(y_label)}, {period}",
        number_format={c: number_format for c in data.columns[1:]},
        notes=[n for n in (note, "[x]: the trend cannot be estimated this close to the ends of "
                           "the series." if gaps else None) if n],
    )
    return _chart(title, alt, caption(title, period, note), table, data, picture)


# --- putting a chart together --------------------------------------------------------------


def _chart(
    title: str, alt: str, caption_text: str, table: Table, data: pd.DataFrame,
    picture: drawing.Picture,
) -> Chart:
    width, height = display_size(*picture.size)
    return Chart(title=title, alt=alt, caption=caption_text, table=table, data=data,
                 svg=name_svg(picture.svg, alt), width=width, height=height)


def _notes(note: str | None, rule: DisclosureRule | None, sensitive: bool, hidden: int
           ) -> list[str]:
    out = [note] if note else []
    if hidden and rule is not None:
        out.append(suppression_note(rule, sensitive, secondary=False))
    return out
