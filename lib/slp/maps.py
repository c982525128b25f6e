"""Choropleth maps of wards or LSOAs: a static PNG and an offline interactive SVG.

Both take a GeoDataFrame of areas (British National Grid, EPSG:27700, with columns ``code``,
``name`` and ``geometry``) and one value per area, and return a :class:`slp.charts.Chart`
with alt text naming the highest and lowest areas, a legend of class ranges, and a data table
of the same numbers. Neither uses map tiles, web fonts or scripts from anywhere else:

* :func:`choropleth` draws a PNG (embedded as a data URI);
* :func:`interactive_map` writes inline ``<svg>`` (:mod:`slp.svgmap`): one focusable ``<path>``
  per area with its name and value as a tooltip (``<title>``) and accessible name, a
  hover/focus highlight from a small inline style and script, and an HTML legend.

What both show (values after disclosure control, classes, words, data table) comes from
:mod:`slp.mapdata`; the classes and their colours from :mod:`slp.classes` (mapclassify;
ColorBrewer YlGnBu for amounts, RdBu for change with 0 always a class boundary). Both palettes
are colour-blind safe, every area has a dark outline, and the data table carries every value,
so nothing depends on colour alone.
"""

from __future__ import annotations

import math

import geopandas as gpd
import matplotlib as mpl
import pandas as pd
from matplotlib.patches import Patch

from slp import style, svgmap
from slp.charts import Chart
from slp.classes import NEUTRAL_FILL, SCHEMES, Classes, class_colours, classify
from slp.disclosure import DisclosureRule
from slp.mapdata import BNG, MapData, extra_columns, prepare
from slp.narrative import caption, with_period
from slp.style import (
    HOUSE_STYLE,
    NO_DATA_FILL,
    OUTLINE,
    SUPPRESSED_FILL,
    TEXT,
    display_size,
    new_figure,
    render_svg,
    wrap,
)

# Classification and the fills stay importable from here, as before the split.
__all__ = ["BNG", "NEUTRAL_FILL", "NO_DATA_FILL", "OUTLINE", "SCHEMES", "SUPPRESSED_FILL",
           "Classes", "choropleth", "class_colours", "classify", "interactive_map"]


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
    prepared = prepare(gdf, values, legend_label, scheme, k, diverging, suppressed, rule,
                       sensitive, number_format, "choropleth")
    svg, size = _draw(prepared, with_period(title, period_label), legend_label, label_areas)
    width, height = display_size(*size)
    alt = "Map of " + prepared.summary(period_label)
    return Chart(
        title=title, alt=alt, caption=caption(title, period_label, note),
        table=prepared.table(title, period_label), data=prepared.data,
        svg=style.name_svg(svg, alt), width=width, height=height,
    )


def _draw(prepared: MapData, heading: str, legend_label: str, label_areas: bool
          ) -> tuple[str, tuple[float, float]]:
    """The static map as SVG markup (real text, from :func:`slp.style.render_svg`), and its
    size in inches: 8 wide, as tall as the areas' shape needs (3.5 to 9 inches) plus the
    legend. Boundaries are simplified to a fifth of a point of the drawing (invisible at any
    zoom a reader uses) so that hundreds of areas stay a small file."""
    areas = prepared.areas
    minx, miny, maxx, maxy = areas.total_bounds
    aspect = (maxy - miny) / max(maxx - minx, 1.0)
    width = 8.0
    map_height = min(max(width * aspect, 3.5), 9.0)
    legend_rows = math.ceil((len(prepared.classes.bins) + 2) / 2)
    height = round(map_height + 0.9 + 0.32 * legend_rows, 2)
    tolerance = max(maxx - minx, maxy - miny) / (72 * width) / 5  # metres per point / 5
    areas = areas.assign(geometry=areas.geometry.simplify(tolerance, preserve_topology=True))
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
        for codes, fill, hatch in ((prepared.hidden, SUPPRESSED_FILL, "xx"),
                                   (prepared.missing, NO_DATA_FILL, "//")):
            shapes = areas[areas["code"].isin(codes)]
            if len(shapes):
                shapes.plot(ax=ax, facecolor=fill, edgecolor=OUTLINE, hatch=hatch, linewidth=lw)
        if label_areas:
            for name, geom in zip(areas["name"], areas.geometry, strict=True):
                point = geom.representative_point()
                ax.annotate(
                    wrap(name, 14), (point.x, point.y), ha="center", va="center", fontsize=7.5,
                    color=TEXT, bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                                      "edgecolor": "none", "alpha": 0.75},
                )
        fig.legend(handles=_legend(prepared), loc="outside lower center", ncols=2,
                   title=f"{legend_label} (number of areas)", title_fontsize=11)
        style.title(fig, heading, width=62)
        return render_svg(fig, (width, height)), (width, height)


def _legend(prepared: MapData) -> list[Patch]:
    """One patch per class with its range and number of areas, then hidden and no data."""
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
    return handles


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
    prepared = prepare(gdf, values, label, scheme, k, diverging, suppressed, rule, sensitive,
                       number_format, "interactive_map")
    extra_cols = extra_columns(extra, prepared.areas, "interactive_map")
    aria = (f"Interactive map of {prepared.summary(period_label)} Each area can be reached with "
            f"the Tab key; the data table below has the same numbers.")
    svg, height = svgmap.markup(prepared, title, label, aria, extra_cols, width=width,
                                precision=precision, tolerance=tolerance)
    return Chart(
        title=title, alt=aria, caption=caption(title, period_label, note),
        table=prepared.table(title, period_label, extra_cols), data=prepared.data, svg=svg,
        width=width, height=height, figure_class="slp-map-figure",
    )
