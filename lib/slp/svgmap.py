"""The interactive map's markup: inline SVG, one focusable shape per area, offline.

:func:`markup` writes a small ``<style>``, the ``<svg>`` (one ``<path tabindex="0">`` per
area with its name and value as accessible name and ``<title>`` tooltip, hatched patterns for
hidden and missing values), an HTML legend, a read-out line and a tiny inline script that
outlines the area under the pointer or keyboard focus. Nothing is loaded from anywhere: no
tiles, no Leaflet, no CDN. Coordinates are rounded to a grid and written as relative moves,
so a borough of LSOAs stays small.
"""

from __future__ import annotations

import hashlib
import html
import math
from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np
import shapely

from slp.mapdata import MapData
from slp.narrative import count
from slp.style import MUTED, NO_DATA_FILL, OUTLINE, SUPPRESSED_FILL, TEXT
from slp.tables import format_number

_STYLE = [
    "<style>",
    "svg.slp-map path{vector-effect:non-scaling-stroke}",
    f"svg.slp-map path[tabindex]:hover{{stroke:{TEXT};stroke-width:3px}}",
    f"svg.slp-map path[tabindex]:focus{{outline:none;stroke:{TEXT};stroke-width:3px}}",
    "svg.slp-map .slp-map-focus{fill:none;pointer-events:none}",
    ".slp-map-legend{list-style:none;padding:0;margin:0.5rem 0;display:flex;flex-wrap:wrap;"
    "gap:0.25rem 1.25rem}",
    ".slp-map-legend svg{vertical-align:middle;margin-right:0.4rem}",
    ".slp-map-readout{min-height:1.5em;font-weight:bold}",
    "</style>",
]

# The highlight is drawn last so neighbouring areas never hide it: white under dark grey,
# visible on both light and dark fills.
_FOCUS = ('<g class="slp-map-focus" aria-hidden="true" visibility="hidden">'
          '<path d="" stroke="#FFFFFF" stroke-width="6"/>'
          f'<path d="" stroke="{TEXT}" stroke-width="3"/></g>')

_READOUT = ('<p class="slp-map-readout" aria-hidden="true">Hover over or tab to an area to '
            "see its values.</p>")

_SCRIPT = (
    "<script>(function(){var s=document.currentScript,f=s.parentNode,"
    "g=f.querySelector('g.slp-map-focus'),o=f.querySelector('.slp-map-readout');"
    "function show(e){var p=e.target.closest&&e.target.closest('path[tabindex]');"
    "if(!p)return;g.querySelectorAll('path').forEach(function(h){"
    "h.setAttribute('d',p.getAttribute('d'));});g.setAttribute('visibility','visible');"
    "o.textContent=p.querySelector('title').textContent;}"
    "f.addEventListener('focusin',show);f.addEventListener('mouseover',show);})();</script>"
)


def markup(
    prepared: MapData, title: str, label: str, aria: str,
    extra: Mapping[str, Mapping[Hashable, Any]], *, width: int = 800, precision: float | None = None, tolerance: float | None = None,
) -> tuple[str, int]:
    """The map's markup and its display height in CSS pixels.

    Parameters
    ----------
    prepared : MapData
        The areas, fills and tooltips.
    title : str
        Map title (it seeds the ids of the hatch patterns, so two maps on a page differ).
    label : str
        The measure with its unit, shown above the legend.
    aria : str
        The accessible name of the map (its alt text).
    extra : dict
        More values for the tooltips, by column and area code.
    width : int, default 800
        Display width in CSS pixels.
    precision, tolerance : float, optional
        Grid step and simplification tolerance in metres (see
        :func:`slp.maps.interactive_map`).
    """
    areas = prepared.areas
    minx, miny, maxx, maxy = (float(v) for v in areas.total_bounds)
    extent = max(maxx - minx, maxy - miny, 1.0)
    step = float(precision) if precision else max(1.0, round(extent / 2000.0))
    simplify = float(tolerance) if tolerance is not None else 2 * step
    pad = 2
    vb_w = math.ceil(round((maxx - minx) / step, 6)) + 2 * pad
    vb_h = math.ceil(round((maxy - miny) / step, 6)) + 2 * pad
    height = round(width * vb_h / vb_w)
    paths = []
    for code, name, geom in zip(areas["code"], areas["name"], areas.geometry, strict=True):
        text = prepared.tooltip(code, name)
        for column, shown in extra.items():
            text += f"; {column}: {format_number(shown.get(code), 'auto')}"
        paths.append((code, _svg_path(geom, minx, maxy, step, simplify, pad), text,
                      prepared.fill_of(code)))
    digest = hashlib.sha1(
        "\n".join([title, *(p[1] + p[2] + p[3] for p in paths)]).encode("utf-8")
    ).hexdigest()[:10]
    prefix = f"slpmap-{digest}"
    out = [
        *_STYLE,
        f'<svg class="slp-map" viewBox="0 0 {vb_w} {vb_h}" width="{width}" height="{height}" '
        f'style="max-width:100%;height:auto" role="group" aria-label="{html.escape(aria)}">',
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
        out.append(f'<path d="{d}" fill="{fill}" tabindex="0" role="img">'
                   f"<title>{html.escape(text)}</title></path>")
    out += ["</g>", _FOCUS, "</svg>", f'<p class="slp-map-legend-title">{html.escape(label)}</p>',
            *_legend(prepared, label), _READOUT, _SCRIPT]
    return "\n".join(out), height


def _legend(prepared: MapData, label: str) -> list[str]:
    """The HTML legend: one swatch per class with its range and number of areas."""
    legend = [f'<ul class="slp-map-legend" aria-label="Legend: {html.escape(label)}">']
    for colour, text, n in zip(prepared.colours, prepared.classes.labels,
                               prepared.classes.counts, strict=True):
        legend.append(f"<li>{_swatch(colour)}{html.escape(text)} ({count(n, 'area')})</li>")
    if prepared.hidden:
        legend.append(f"<li>{_swatch(SUPPRESSED_FILL, hatched=True)}Not shown "
                      f"({html.escape(prepared.hidden_label)})</li>")
    if prepared.missing:
        legend.append(f"<li>{_swatch(NO_DATA_FILL, hatched=True)}No data</li>")
    legend.append("</ul>")
    return legend


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
            moves = [f"{b[0] - a[0]} {b[1] - a[1]}"
                     for a, b in zip(points, points[1:], strict=False)]
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
    lines = (f'<line x1="0" y1="14" x2="14" y2="0" stroke="{MUTED}" stroke-width="1.5"/>'
             if hatched else "")
    return (
        f'<svg width="22" height="14" viewBox="0 0 22 14" aria-hidden="true" focusable="false">'
        f'<rect x="0.5" y="0.5" width="21" height="13" fill="{colour}" stroke="{MUTED}"/>'
        f"{lines}</svg>"
    )
