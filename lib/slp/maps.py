"""Choropleth maps of wards or LSOAs: a static PNG and an offline interactive SVG.

Both take a GeoDataFrame of areas (British National Grid, EPSG:27700, with columns ``code``,
``name`` and ``geometry``) and one value per area, and return a :class:`slp.charts.Chart`
with alt text naming the highest and lowest areas, a legend of class ranges, and a data table
of the same numbers. Neither uses map tiles, web fonts or scripts from anywhere else:

* :func:`choropleth` draws a PNG (embedded as a data URI);
* :func:`interactive_map` writes inline ``<svg>``: one focusable ``<path>`` per area with its
  name and value as a tooltip (``<title>``) and accessible name, a hover/focus highlight from a
  small inline style and script, and an HTML legend.

Values are grouped into classes with mapclassify (:func:`classify`). Colours are ColorBrewer
YlGnBu for amounts (light = low, dark = high) and RdBu for change (blue = fall, red = rise, with
0 always a class boundary); both are colour-blind safe, every area has a dark outline, and the
data table carries every value, so nothing depends on colour alone.
"""

from __future__ import annotations

import hashlib
import html
import math
import textwrap
import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import matplotlib as mpl
import numpy as np
import pandas as pd
import shapely
from matplotlib.patches import Patch
from matplotlib.patheffects import withStroke

from slp import disclosure
from slp.charts import (
    DISPLAY_PPI,
    HOUSE_STYLE,
    MUTED,
    TEXT,
    Chart,
    new_figure,
    render_png,
)
from slp.disclosure import DisclosureRule, suppression_note
from slp.errors import SlpError
from slp.tables import choose_format, format_number, html_table

BNG = "EPSG:27700"

#: Scheme names accepted by :func:`classify`. ``natural_breaks`` is Fisher-Jenks: the exact
#: optimum of Jenks' natural breaks, so it gives the same classes on every run.
SCHEMES = ("quantiles", "equal_interval", "natural_breaks", "fisher_jenks", "user_defined")

NO_DATA_FILL = "#FFFFFF"
NEUTRAL_FILL = "#F7F7F7"  # the centre of ColorBrewer RdBu
SUPPRESSED_FILL = "#D9D9D9"
OUTLINE = MUTED


@dataclass(frozen=True)
class Classes:
    """Class breaks for a choropleth.

    Attributes
    ----------
    scheme : str
        The scheme used (see :data:`SCHEMES`).
    lower : float
        The smallest value (the lower end of the first class).
    bins : tuple of float
        Upper end of each class: class ``i`` holds values above ``bins[i-1]`` up to and including
        ``bins[i]`` (the first class holds ``lower`` to ``bins[0]``).
    labels : tuple of str
        ``"lower to upper"`` for each class, in the number format of the values.
    counts : tuple of int
        Number of values in each class.
    ranges : tuple of (float, float) or None
        Smallest and largest value in each class (None for an empty class).
    """

    scheme: str
    lower: float
    bins: tuple[float, ...]
    labels: tuple[str, ...]
    counts: tuple[int, ...]
    ranges: tuple[tuple[float, float] | None, ...] = ()

    def class_of(self, value: float) -> int | None:
        """Index of the class holding ``value`` (None for a missing value)."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        for i, upper in enumerate(self.bins):
            if value <= upper:
                return i
        return len(self.bins) - 1


def classify(
    values: Sequence[float] | pd.Series,
    scheme: str = "quantiles",
    k: int = 5,
    *,
    bins: Sequence[float] | None = None,
    diverging: bool = False,
    number_format: str = "auto",
) -> Classes:
    """Group values into ``k`` classes with mapclassify.

    Parameters
    ----------
    values : sequence of float
        The values to classify (missing values are ignored).
    scheme : str, default "quantiles"
        ``"quantiles"`` (equal numbers of areas), ``"equal_interval"`` (equal widths),
        ``"natural_breaks"`` / ``"fisher_jenks"`` (Fisher-Jenks optimal breaks) or
        ``"user_defined"`` (give ``bins``).
    k : int, default 5
        Number of classes; fewer when there are fewer distinct values.
    bins : sequence of float, optional
        Upper class bounds for ``"user_defined"``.
    diverging : bool, default False
        Make 0 a class boundary when values lie on both sides of it (for change).
    number_format : str, default "auto"
        Format of the numbers in the labels (see :func:`slp.tables.format_number`).

    Returns
    -------
    Classes

    Raises
    ------
    SlpError
        For an unknown scheme, ``k`` below 1, no values, or ``"user_defined"`` without bins.

    Examples
    --------
    >>> classify([1, 2, 3, 4, 5, 6, 7, 8, 100], "equal_interval", 3).bins
    (34.0, 67.0, 100.0)
    """
    y = np.asarray(pd.to_numeric(pd.Series(list(values)), errors="coerce"), dtype=float)
    y = y[~np.isnan(y)]
    if scheme not in SCHEMES:
        raise SlpError(f"classify: scheme '{scheme}' is not one of {', '.join(SCHEMES)}")
    if k < 1:
        raise SlpError(f"classify: k must be at least 1; found {k}")
    if not len(y):
        raise SlpError("classify: there are no values to classify")
    import mapclassify  # local import: it loads pyplot, which only classification needs

    distinct = len(np.unique(y))
    k = min(k, distinct)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba advice and "k reduced" notes
        if scheme == "user_defined":
            if not bins:
                raise SlpError("classify: scheme 'user_defined' needs bins (upper class bounds)")
            upper = [float(b) for b in sorted(bins)]
            if upper[-1] < y.max():
                upper.append(float(y.max()))
            result = list(upper)
        elif k == 1:
            result = [float(y.max())]
        elif scheme == "quantiles":
            result = list(mapclassify.Quantiles(y, k=k).bins)
        elif scheme == "equal_interval":
            result = list(mapclassify.EqualInterval(y, k=k).bins)
        else:
            result = _fisher_jenks(y, k)
    result = sorted(dict.fromkeys(float(b) for b in result))
    if diverging and y.min() < 0 < y.max() and 0.0 not in result:
        result = _break_at_zero(y, result)
    lower = float(y.min())
    kind = choose_format(y.tolist()) if number_format == "auto" else number_format
    labels, counts, ranges = [], [], []
    previous = lower
    for i, upper in enumerate(result):
        inside = (y >= lower) & (y <= upper) if i == 0 else (y > previous) & (y <= upper)
        counts.append(int(inside.sum()))
        if inside.any():  # the range of the values in the class, as the data table shows them
            ranges.append((float(y[inside].min()), float(y[inside].max())))
            low, high = format_number(ranges[-1][0], kind), format_number(ranges[-1][1], kind)
            labels.append(low if low == high else f"{low} to {high}")
        else:
            ranges.append(None)
            edge = choose_format([previous, upper]) if number_format == "auto" else kind
            labels.append(f"over {format_number(previous, edge)} to {format_number(upper, edge)}")
        previous = upper
    return Classes(scheme, lower, tuple(result), tuple(labels), tuple(counts), tuple(ranges))


def _break_at_zero(y: np.ndarray, bins: list[float]) -> list[float]:
    """Add 0 as a break so that no class holds both falls and rises; a neighbouring break
    that would leave a class empty beside 0 is dropped instead (the classes either side of it
    merge, still on one side of 0)."""
    bins = sorted([*bins, 0.0])
    at = bins.index(0.0)
    if at + 1 < len(bins) - 1 and not ((y > 0) & (y <= bins[at + 1])).any():
        del bins[at + 1]
    if at >= 1 and not ((y > bins[at - 1]) & (y <= 0)).any():
        del bins[at - 1]
    return bins


def _fisher_jenks(y: np.ndarray, k: int) -> list[float]:
    """Fisher's exact optimal breaks (Jenks natural breaks): the upper bound of each class.

    Dynamic programming over the sorted values with prefix sums, vectorised with numpy
    (mapclassify's version is pure Python without numba, too slow for thousands of LSOAs).
    """
    values = np.sort(y)
    n = len(values)
    s1 = np.concatenate([[0.0], np.cumsum(values)])
    s2 = np.concatenate([[0.0], np.cumsum(values**2)])

    def ssd(starts: np.ndarray, end: int) -> np.ndarray:
        """Sum of squared deviations of values[start..end] for each start."""
        count = end + 1 - starts
        total = s1[end + 1] - s1[starts]
        return (s2[end + 1] - s2[starts]) - total**2 / count

    cost = np.array([ssd(np.array([0]), i)[0] for i in range(n)])  # one class: values[0..i]
    back = np.zeros((k, n), dtype=int)
    for c in range(1, k):
        new = np.full(n, np.inf)
        for i in range(c, n):
            starts = np.arange(c, i + 1)  # first index of the last class
            totals = cost[starts - 1] + ssd(starts, i)
            j = int(np.argmin(totals))
            new[i] = totals[j]
            back[c, i] = starts[j]
        cost = new
    uppers = []
    end = n - 1
    for c in range(k - 1, -1, -1):
        uppers.append(float(values[end]))
        end = back[c, end] - 1 if c > 0 else end
    return sorted(uppers)


def class_colours(classes: Classes, diverging: bool = False) -> list[str]:
    """One hex colour per class: YlGnBu light to dark, or RdBu (blue below 0, red above, light
    grey for a class holding only 0)."""
    n = len(classes.bins)
    if not diverging:
        cmap = mpl.colormaps["YlGnBu"]
        positions = [0.15 + 0.85 * i / max(n - 1, 1) for i in range(n)] if n > 1 else [0.6]
        return [mpl.colors.to_hex(cmap(p)).upper() for p in positions]
    cmap = mpl.colormaps["RdBu_r"]
    edges = [classes.lower, *classes.bins]
    zero = [i for i, r in enumerate(classes.ranges) if r == (0.0, 0.0)]
    below = [i for i in range(n) if edges[i + 1] <= 0 and i not in zero]
    above = [i for i in range(n) if edges[i + 1] > 0 and i not in zero]
    colours = [NEUTRAL_FILL] * n  # a class holding only 0 (no change) stays neutral
    for j, i in enumerate(below):  # most negative darkest
        colours[i] = mpl.colors.to_hex(cmap(0.05 + 0.35 * j / max(len(below) - 1, 1))).upper()
    for j, i in enumerate(above):  # most positive darkest
        step = j / max(len(above) - 1, 1)
        colours[i] = mpl.colors.to_hex(cmap(0.6 + 0.35 * step if len(above) > 1 else 0.8)).upper()
    return colours


def choropleth(
    gdf: gpd.GeoDataFrame,
    values: pd.Series | str,
    title: str,
    legend_label: str,
    scheme: str = "quantiles",
    k: int = 5,
    diverging: bool = False,
    suppressed: pd.Series | None = None,
    *,
    rule: DisclosureRule | None = None,
    sensitive: bool = False,
    period_label: str | None = None,
    label_areas: bool = False,
    note: str | None = None,
    number_format: str = "auto",
) -> Chart:
    """A static choropleth map (PNG) with a legend of class ranges and a data table.

    Parameters
    ----------
    gdf : GeoDataFrame
        Areas with columns ``code``, ``name`` and ``geometry``, in EPSG:27700 (other CRSs are
        reprojected; a GeoDataFrame with no CRS is taken to be EPSG:27700).
    values : Series or str
        One value per area, indexed by area code, or the name of a column of ``gdf``.
    title : str
        Map title.
    legend_label : str
        The measure with its unit, e.g. ``"Crimes per 1,000 residents"``.
    scheme, k : str, int
        Classification (see :func:`classify`).
    diverging : bool, default False
        Values are a change: use the diverging palette with 0 as a class boundary.
    suppressed : Series, optional
        Areas whose value must not be shown, indexed by code: booleans (True = hidden) or the
        text to show instead (e.g. ``"<5"``; missing = shown). Use this when the values are
        rates built from counts suppressed elsewhere.
    rule : DisclosureRule, optional
        When given, ``values`` are counts and small ones are hidden and shown as ``"<5"``.
    sensitive : bool, default False
        Use the rule's sensitive threshold.
    period_label : str, optional
        e.g. ``"12 months to September 2022"``.
    label_areas : bool, default False
        Write each area's name on the map.
    note : str, optional
        Added to the caption (e.g. the source and boundary vintage).
    number_format : str, default "auto"

    Returns
    -------
    Chart
        Hidden areas are drawn grey and hatched, areas with no value white and hatched; both are
        in the legend and left out of the classes.

    Raises
    ------
    SlpError
        When columns are missing or no value matches an area code.
    """
    prepared = _prepare(gdf, values, legend_label, scheme, k, diverging, suppressed, rule,
                        sensitive, number_format, "choropleth")
    areas = prepared.areas
    minx, miny, maxx, maxy = areas.total_bounds
    aspect = (maxy - miny) / max(maxx - minx, 1.0)
    width = 8.0
    map_height = min(max(width * aspect, 3.5), 9.0)
    legend_rows = math.ceil((len(prepared.classes.bins) + 2) / 2)
    height = round(map_height + 0.9 + 0.32 * legend_rows, 2)
    with mpl.rc_context(HOUSE_STYLE):
        fig = new_figure(width, height)
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_aspect("equal")
        ax.margins(0.01)
        fills = [prepared.fill_of(code) for code in areas["code"]]
        # Outlines thin as areas multiply, so hundreds of LSOAs are not a grey smudge.
        lw = 0.6 if len(areas) <= 100 else 0.3 if len(areas) <= 1000 else 0.15
        areas.plot(ax=ax, color=fills, edgecolor=OUTLINE, linewidth=lw)
        hidden = areas[areas["code"].isin(prepared.hidden)]
        if len(hidden):
            hidden.plot(ax=ax, facecolor=SUPPRESSED_FILL, edgecolor=OUTLINE, hatch="xx",
                        linewidth=lw)
        missing = areas[areas["code"].isin(prepared.missing)]
        if len(missing):
            missing.plot(ax=ax, facecolor=NO_DATA_FILL, edgecolor=OUTLINE, hatch="//",
                         linewidth=lw)
        if label_areas:
            for name, geom in zip(areas["name"], areas.geometry, strict=True):
                point = geom.representative_point()
                ax.annotate(
                    _wrap_name(name), (point.x, point.y), ha="center", va="center", fontsize=7.5,
                    color=TEXT, path_effects=[withStroke(linewidth=2.5, foreground="white")],
                )
        handles = [
            Patch(facecolor=colour, edgecolor=OUTLINE, label=f"{label} ({count})")
            for colour, label, count in zip(
                prepared.colours, prepared.classes.labels, prepared.classes.counts, strict=True
            )
        ]
        if prepared.hidden:
            handles.append(Patch(facecolor=SUPPRESSED_FILL, edgecolor=OUTLINE, hatch="xx",
                                 label=f"Not shown ({prepared.hidden_label})"))
        if prepared.missing:
            handles.append(Patch(facecolor=NO_DATA_FILL, edgecolor=OUTLINE, hatch="//",
                                 label="No data"))
        fig.legend(handles=handles, loc="outside lower center", ncols=2,
                   title=f"{legend_label} (number of areas)", title_fontsize=11)
        fig.suptitle(
            _wrap_title(f"{title}, {period_label}" if period_label else title),
            x=0.01, ha="left", fontsize=14, fontweight="bold", color=TEXT,
        )
        png = render_png(fig)
    alt = "Map of " + prepared.summary(period_label)
    return Chart(
        title=title, alt=alt, caption=_caption(title, period_label, note),
        table=prepared.table(title, period_label), data=prepared.data, png=png,
        width=round(width * DISPLAY_PPI), height=round(height * DISPLAY_PPI),
    )


def interactive_map(
    gdf: gpd.GeoDataFrame,
    values: pd.Series | str,
    title: str,
    legend_label: str | None = None,
    scheme: str = "quantiles",
    k: int = 5,
    diverging: bool = False,
    suppressed: pd.Series | None = None,
    *,
    rule: DisclosureRule | None = None,
    sensitive: bool = False,
    extra: pd.DataFrame | None = None,
    period_label: str | None = None,
    note: str | None = None,
    number_format: str = "auto",
    precision: float | None = None,
    tolerance: float | None = None,
    width: int = 800,
) -> Chart:
    """An offline interactive map: inline SVG, one focusable shape per area.

    Each area is a ``<path tabindex="0">`` with its name and value as accessible name and
    ``<title>`` tooltip. Hovering or tabbing to an area outlines it and writes its values under
    the map (a tiny inline script; without it the tooltips and names still work). Nothing is
    loaded from anywhere: no tiles, no Leaflet, no CDN.

    Parameters
    ----------
    gdf, values, title, scheme, k, diverging, suppressed, rule, sensitive, period_label, note,
    number_format
        As for :func:`choropleth`.
    legend_label : str, optional
        The measure with its unit (default: the values' name).
    extra : DataFrame, optional
        More columns for the tooltips and the data table, indexed by area code, already
        formatted for publication (e.g. ``"<5"`` where suppressed).
    precision : float, optional
        Coordinates are rounded to this many metres (default: the larger side / 2,000, at least
        1 m).
    tolerance : float, optional
        Boundaries are simplified to this many metres (default: twice ``precision``).
    width : int, default 800
        Display width in CSS pixels.

    Returns
    -------
    Chart
        ``svg`` holds the markup (style, ``<svg>``, legend, read-out, script); ``png`` is None.
    """
    label = legend_label or (values if isinstance(values, str) else str(values.name or "Value"))
    prepared = _prepare(gdf, values, label, scheme, k, diverging, suppressed, rule, sensitive,
                        number_format, "interactive_map")
    areas = prepared.areas
    minx, miny, maxx, maxy = (float(v) for v in areas.total_bounds)
    extent = max(maxx - minx, maxy - miny, 1.0)
    step = float(precision) if precision else max(1.0, round(extent / 2000.0))
    simplify = float(tolerance) if tolerance is not None else 2 * step
    pad = 2
    vb_w = math.ceil(round((maxx - minx) / step, 6)) + 2 * pad
    vb_h = math.ceil(round((maxy - miny) / step, 6)) + 2 * pad
    height = round(width * vb_h / vb_w)
    extra_cols = _extra_columns(extra, areas, "interactive_map")

    paths = []
    for code, name, geom in zip(areas["code"], areas["name"], areas.geometry, strict=True):
        d = _svg_path(geom, minx, maxy, step, simplify, pad)
        text = prepared.tooltip(code, name)
        for column, shown in extra_cols.items():
            text += f"; {column}: {format_number(shown.get(code), 'auto')}"
        paths.append((code, d, text, prepared.fill_of(code)))
    digest = hashlib.sha1(
        "\n".join([title, *(p[1] + p[2] + p[3] for p in paths)]).encode("utf-8")
    ).hexdigest()[:10]
    prefix = f"slpmap-{digest}"
    esc = html.escape
    summary = prepared.summary(period_label)
    aria = (f"Interactive map of {summary} Each area can be reached with the Tab key; the data "
            f"table below has the same numbers.")
    out = [
        "<style>",
        "svg.slp-map path{vector-effect:non-scaling-stroke}",
        "svg.slp-map path[tabindex]:hover{stroke:#222222;stroke-width:3px}",
        "svg.slp-map path[tabindex]:focus{outline:none;stroke:#222222;stroke-width:3px}",
        "svg.slp-map .slp-map-focus{fill:none;pointer-events:none}",
        ".slp-map-legend{list-style:none;padding:0;margin:0.5rem 0;display:flex;flex-wrap:wrap;"
        "gap:0.25rem 1.25rem}",
        ".slp-map-legend svg{vertical-align:middle;margin-right:0.4rem}",
        ".slp-map-readout{min-height:1.5em;font-weight:bold}",
        "</style>",
        f'<svg class="slp-map" viewBox="0 0 {vb_w} {vb_h}" width="{width}" height="{height}" '
        f'style="max-width:100%;height:auto" role="group" aria-label="{esc(aria)}">',
        "<defs>",
        _hatch_pattern(f"{prefix}-hidden", SUPPRESSED_FILL, vb_w),
        _hatch_pattern(f"{prefix}-missing", NO_DATA_FILL, vb_w),
        "</defs>",
        f'<g stroke="{OUTLINE}" stroke-width="0.75" stroke-linejoin="round" fill-rule="evenodd">',
    ]
    for code, d, text, fill in paths:
        if code in prepared.hidden:
            fill = f"url(#{prefix}-hidden)"
        elif code in prepared.missing:
            fill = f"url(#{prefix}-missing)"
        out.append(
            f'<path d="{d}" fill="{fill}" tabindex="0" role="img"><title>{esc(text)}</title></path>'
        )
    out.append("</g>")
    # The highlight is drawn last so neighbouring areas never hide it: white under dark grey,
    # visible on both light and dark fills.
    out.append('<g class="slp-map-focus" aria-hidden="true" visibility="hidden">'
               '<path d="" stroke="#FFFFFF" stroke-width="6"/>'
               '<path d="" stroke="#222222" stroke-width="3"/></g>')
    out.append("</svg>")
    legend = [f'<ul class="slp-map-legend" aria-label="Legend: {esc(label)}">']
    for colour, text, count in zip(prepared.colours, prepared.classes.labels,
                                   prepared.classes.counts, strict=True):
        legend.append(f"<li>{_swatch(colour)}{esc(text)} ({count} area{'s' if count != 1 else ''})"
                      "</li>")
    if prepared.hidden:
        legend.append(f"<li>{_swatch(SUPPRESSED_FILL, hatched=True)}Not shown "
                      f"({esc(prepared.hidden_label)})</li>")
    if prepared.missing:
        legend.append(f"<li>{_swatch(NO_DATA_FILL, hatched=True)}No data</li>")
    legend.append("</ul>")
    out.append(f'<p class="slp-map-legend-title">{esc(label)}</p>')
    out += legend
    out.append('<p class="slp-map-readout" aria-hidden="true">Hover over or tab to an area to '
               "see its values.</p>")
    out.append(
        "<script>(function(){var s=document.currentScript,f=s.parentNode,"
        "g=f.querySelector('g.slp-map-focus'),o=f.querySelector('.slp-map-readout');"
        "function show(e){var p=e.target.closest&&e.target.closest('path[tabindex]');"
        "if(!p)return;g.querySelectorAll('path').forEach(function(h){"
        "h.setAttribute('d',p.getAttribute('d'));});g.setAttribute('visibility','visible');"
        "o.textContent=p.querySelector('title').textContent;}"
        "f.addEventListener('focusin',show);f.addEventListener('mouseover',show);})();</script>"
    )
    table = prepared.table(title, period_label, extra_cols)
    return Chart(
        title=title, alt=aria, caption=_caption(title, period_label, note), table=table,
        data=prepared.data, svg="\n".join(out), width=width, height=height,
    )


# --- internals -------------------------------------------------------------------------------


@dataclass
class _Prepared:
    """Areas, their values and classes, and the words and table written from them."""

    areas: gpd.GeoDataFrame
    values: dict[Hashable, float]
    shown: dict[Hashable, str]
    hidden: set[Hashable]
    hidden_label: str
    missing: set[Hashable]
    classes: Classes
    colours: list[str]
    kind: str
    legend_label: str
    scheme: str
    notes: list[str]

    def fill_of(self, code: Hashable) -> str:
        if code in self.hidden:
            return SUPPRESSED_FILL
        if code in self.missing:
            return NO_DATA_FILL
        index = self.classes.class_of(self.values[code])
        return self.colours[index] if index is not None else NO_DATA_FILL

    def tooltip(self, code: Hashable, name: str) -> str:
        return f"{name}, {_lower_first(self.legend_label)}: {self.shown[code]}"

    def ranked(self) -> list[tuple[Hashable, str, float]]:
        names = dict(zip(self.areas["code"], self.areas["name"], strict=True))
        visible = [(c, str(names[c]), v) for c, v in self.values.items()
                   if c not in self.hidden and c not in self.missing]
        return sorted(visible, key=lambda t: (-t[2], t[1]))

    def summary(self, period_label: str | None) -> str:
        n = len(self.areas)
        ranked = self.ranked()
        words = [
            f"{_lower_first(self.legend_label)} for {n} areas"
            + (f", {period_label}" if period_label else "") + "."
        ]
        if ranked:
            hi, lo = ranked[0], ranked[-1]
            words.append(
                f"Highest: {hi[1]} ({format_number(hi[2], self.kind)}); lowest: {lo[1]} "
                f"({format_number(lo[2], self.kind)})."
            )
            scheme = {"quantiles": "quantiles", "equal_interval": "equal intervals",
                      "natural_breaks": "natural breaks", "fisher_jenks": "natural breaks",
                      "user_defined": "set breaks"}[self.scheme]
            words.append(
                f"{len(self.classes.bins)} classes ({scheme}): "
                + "; ".join(f"{lab} ({cnt})" for lab, cnt in
                            zip(self.classes.labels, self.classes.counts, strict=True))
                + "."
            )
        if self.hidden:
            n = len(self.hidden)
            words.append(f"{n} area{'' if n == 1 else 's'} not shown ({self.hidden_label}).")
        if self.missing:
            n = len(self.missing)
            words.append(f"{n} area{' has' if n == 1 else 's have'} no data.")
        return " ".join(words)

    @property
    def data(self) -> pd.DataFrame:
        rows = []
        order = [c for c, _, _ in self.ranked()]
        order += [c for c in self.areas["code"] if c not in set(order)]
        names = dict(zip(self.areas["code"], self.areas["name"], strict=True))
        for code in order:
            index = None if code in self.hidden or code in self.missing else \
                self.classes.class_of(self.values[code])
            rows.append({
                "Area": str(names[code]),
                "Code": str(code),
                self.legend_label: self.shown[code],
                "Class": self.classes.labels[index] if index is not None else "",
            })
        return pd.DataFrame(rows, columns=["Area", "Code", self.legend_label, "Class"])

    def table(self, title: str, period_label: str | None,
              extra: Mapping[str, Mapping[Hashable, Any]] | None = None):
        data = self.data
        for column, shown in (extra or {}).items():
            by_code = dict(shown)
            data[column] = [by_code.get(code) for code in data["Code"]]
        return html_table(
            data,
            f"{title}: {_lower_first(self.legend_label)} by area"
            + (f", {period_label}" if period_label else ""),
            notes=self.notes,
        )


def _prepare(
    gdf: Any,
    values: pd.Series | str,
    legend_label: str,
    scheme: str,
    k: int,
    diverging: bool,
    suppressed: pd.Series | None,
    rule: DisclosureRule | None,
    sensitive: bool,
    number_format: str,
    where: str,
) -> _Prepared:
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise SlpError(f"{where}: expected a GeoDataFrame of areas; found {type(gdf).__name__}")
    missing_cols = [c for c in ("code", "name") if c not in gdf.columns]
    if missing_cols:
        raise SlpError(
            f"{where}: the areas need columns code, name and geometry; missing "
            f"{', '.join(missing_cols)} (found {', '.join(map(str, gdf.columns))})"
        )
    if len(gdf) == 0:
        raise SlpError(f"{where}: there are no areas to map")
    if not gdf["code"].is_unique:
        dupes = gdf["code"][gdf["code"].duplicated()].unique()[:3]
        raise SlpError(f"{where}: area codes must be unique; repeated: {', '.join(map(str, dupes))}")
    areas = gdf[["code", "name", "geometry"]].copy()
    if areas.crs is not None and not areas.crs.equals(BNG):
        areas = areas.to_crs(BNG)
    if isinstance(values, str):
        if values not in gdf.columns:
            raise SlpError(f"{where}: values column '{values}' is not in the areas")
        series = pd.Series(gdf[values].to_numpy(), index=gdf["code"].to_numpy())
    elif isinstance(values, pd.Series):
        series = values
    else:
        raise SlpError(f"{where}: values must be a Series indexed by area code or a column name")
    codes = list(areas["code"])
    matched = [c for c in codes if c in series.index]
    if not matched:
        raise SlpError(
            f"{where}: no value matches an area code (areas have e.g. {codes[0]!r}; values are "
            f"indexed by e.g. {series.index[0] if len(series) else 'nothing'!r})"
        )
    raw = {c: series.get(c) for c in codes}
    numeric: dict[Hashable, float] = {}
    for code, value in raw.items():
        try:
            numeric[code] = float(value) if value is not None else math.nan
        except (TypeError, ValueError):
            raise SlpError(f"{where}: the value for area {code!r} is not a number: {value!r}") from None
    missing = {c for c, v in numeric.items() if not math.isfinite(v)}  # e.g. % change from 0
    hidden: set[Hashable] = set()
    labels: dict[Hashable, str] = {}
    hidden_label = "suppressed"
    notes: list[str] = []
    if rule is not None and rule.active:
        counts = pd.Series({c: v for c, v in numeric.items() if c not in missing}, dtype=float)
        published = disclosure.publish(counts.to_frame("count"), counts=["count"], rule=rule,
                                       sensitive=sensitive)
        shown_counts, mask = published.frame["count"], published.hidden["count"]
        for code in counts.index[mask.to_numpy()]:
            hidden.add(code)
            labels[code] = shown_counts[code]
        hidden_label = f"fewer than {rule.threshold_for(sensitive)}"
        if hidden:
            notes.append(suppression_note(rule, sensitive, secondary=False))
    if suppressed is not None:
        for code, flag in pd.Series(suppressed).items():
            if code not in numeric:
                continue
            if isinstance(flag, (bool, np.bool_)):
                if flag:
                    hidden.add(code)
                    labels.setdefault(code, "suppressed")
                    hidden_label = "small numbers" if rule is None else hidden_label
            elif isinstance(flag, str) and flag:
                hidden.add(code)
                labels[code] = flag
        if hidden and not notes:
            notes.append("Values for some areas are not shown, to protect the people involved.")
    hidden -= missing
    visible = [v for c, v in numeric.items() if c not in hidden and c not in missing]
    kind = choose_format(visible) if number_format == "auto" else number_format
    if visible:
        classes = classify(visible, scheme, k, diverging=diverging, number_format=kind)
    else:
        classes = Classes(scheme, math.nan, (), (), ())
    colours = class_colours(classes, diverging) if classes.bins else []
    shown = {}
    for code, value in numeric.items():
        if code in hidden:
            shown[code] = labels.get(code, "suppressed")
        elif code in missing:
            shown[code] = "[x]"
        else:
            shown[code] = format_number(value, kind)
    return _Prepared(areas.reset_index(drop=True), numeric, shown, hidden, hidden_label, missing,
                     classes, colours, kind, legend_label, scheme, notes)


def _extra_columns(
    extra: pd.DataFrame | None, areas: gpd.GeoDataFrame, where: str
) -> dict[str, dict[Hashable, Any]]:
    if extra is None:
        return {}
    if not isinstance(extra, pd.DataFrame):
        raise SlpError(f"{where}: extra must be a DataFrame indexed by area code")
    return {str(c): {code: extra[c].get(code) for code in areas["code"]} for c in extra.columns}


def _svg_path(geom: Any, minx: float, maxy: float, step: float, tolerance: float, pad: int) -> str:
    """SVG path data for a (multi)polygon on a grid of ``step`` metres, relative moves."""
    if tolerance > 0:
        simple = shapely.simplify(geom, tolerance, preserve_topology=True)
        if not simple.is_empty:
            geom = simple
    parts = []
    polygons = getattr(geom, "geoms", [geom])
    for polygon in polygons:
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        for ring in [polygon.exterior, *polygon.interiors]:
            coords = np.asarray(ring.coords)[:-1]
            xs = np.rint((coords[:, 0] - minx) / step).astype(int) + pad
            ys = np.rint((maxy - coords[:, 1]) / step).astype(int) + pad
            points = [(int(x), int(y)) for x, y in zip(xs, ys, strict=True)]
            points = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
            if len(points) > 1 and points[-1] == points[0]:
                points.pop()
            if len(points) < 3:
                continue
            x0, y0 = points[0]
            moves = [f"{b[0] - a[0]} {b[1] - a[1]}" for a, b in zip(points, points[1:], strict=False)]
            parts.append(f"M{x0} {y0}l" + " ".join(moves) + "z")
    return "".join(parts)


def _hatch_pattern(pattern_id: str, fill: str, view_width: int) -> str:
    size = max(2, round(view_width / 120))
    return (
        f'<pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="{size}" '
        f'height="{size}" patternTransform="rotate(45)"><rect width="{size}" height="{size}" '
        f'fill="{fill}"/><line x1="0" y1="0" x2="0" y2="{size}" stroke="{MUTED}" '
        f'stroke-width="{max(1, size // 4)}"/></pattern>'
    )


def _swatch(colour: str, hatched: bool = False) -> str:
    lines = ('<line x1="0" y1="14" x2="14" y2="0" stroke="#595959" stroke-width="1.5"/>'
             if hatched else "")
    return (
        f'<svg width="22" height="14" viewBox="0 0 22 14" aria-hidden="true" focusable="false">'
        f'<rect x="0.5" y="0.5" width="21" height="13" fill="{colour}" stroke="#595959"/>'
        f"{lines}</svg>"
    )


def _caption(title: str, period_label: str | None, note: str | None) -> str:
    text = f"{title}, {period_label}." if period_label else f"{title}."
    return f"{text} {note}" if note else text


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _wrap_title(text: str) -> str:
    return "\n".join(textwrap.wrap(text, 62)) or text


def _wrap_name(name: Any) -> str:
    return "\n".join(textwrap.wrap(str(name), 14)) or str(name)
