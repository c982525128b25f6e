"""The house style of every chart and map: colours, fonts, sizes, the figure and its PNG.

White background; text dark grey ``#222222`` (15.9:1 on white); light grey gridlines; the
Okabe-Ito palette, ordered so that the first four colours have at least 3:1 contrast on white
(blue, vermillion, bluish green, reddish purple) and the whole of the comparison frame (London,
or a police force's area) drawn in dark grey; every series also has its own line style and
marker, so no information is carried by colour alone. Text is 11-14 pt at 100 pixels per inch
of display (about 15-19 CSS pixels).

Figures are drawn with :class:`matplotlib.figure.Figure` and the Agg canvas, never pyplot, so
charts work in any kernel without ``MPLBACKEND`` and no figure outlives its function. PNGs are
written without a timestamp or software tag, so the same data gives byte-identical output.

The charts use matplotlib directly rather than seaborn: each mark carries its own hatch, marker
or pointer so nothing depends on colour, which seaborn's plots would leave to be added by hand
all the same, and importing seaborn loads scipy.stats (about 0.6 s per notebook kernel).
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import textwrap
from collections.abc import Hashable
from typing import Any

import matplotlib as mpl
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

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
INTERVAL = "#CFE3F3"  # a prediction interval's band: light blue under the blue lines

#: Map fills outside the classes, and the outline of every area.
NO_DATA_FILL = "#FFFFFF"
SUPPRESSED_FILL = "#D9D9D9"
OUTLINE = MUTED

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
    # SVG: text stays text (selectable, searchable, read by tools), and the same figure always
    # gives the same bytes (fixed hash salt for the ids matplotlib makes).
    "svg.fonttype": "none",
    "svg.hashsalt": "slp",
}

#: Attributes of an SVG that hold references to ids (rewritten so ids stay unique on a page).
_SVG_ID = re.compile(r'\bid="([^"]+)"')
_SVG_REF = re.compile(r'(url\(#|href="#)([^")]+)')


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


def new_figure(width: float, height: float) -> Figure:
    """A house-style Figure on the Agg canvas (no pyplot), ``width`` x ``height`` inches."""
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


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


def render_svg(fig: Figure, size: tuple[float, float]) -> str:
    """Write a figure as inline SVG markup with real ``<text>``, then clear it.

    Titles, labels and ticks stay text (``svg.fonttype: none``), so they are crisp at any zoom,
    selectable and found by the browser's search. The ``<svg>`` is shown at ``size`` inches x
    :data:`DISPLAY_PPI` CSS pixels (its ``viewBox`` lets it scale down on narrow screens). Every
    id is prefixed with a hash of the drawing, so many charts on one page never share an id, and
    the same figure always gives the same markup. Name it with :func:`name_svg`.

    Parameters
    ----------
    fig : Figure
        The figure (drawn under :data:`HOUSE_STYLE`).
    size : (float, float)
        The figure's width and height in inches.

    Returns
    -------
    str
        ``<svg ...>...</svg>`` with no XML declaration, doctype or metadata.
    """
    out = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "slp"}):
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None,
                                                 "Format": None, "Type": None})
    fig.clear()
    markup = out.getvalue()
    markup = markup[markup.index("<svg"):]
    markup = re.sub(r"<metadata>.*?</metadata>\s*", "", markup, flags=re.S)
    # Inline in HTML the SVG namespace is implied: no namespace URLs, SVG 2 ``href``.
    markup = re.sub(r'\s+xmlns(?::xlink)?="[^"]*"', "", markup).replace("xlink:href=", "href=")
    prefix = "c" + hashlib.sha1(markup.encode("utf-8")).hexdigest()[:8] + "-"
    markup = _SVG_ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', markup)
    markup = _SVG_REF.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", markup)
    width, height = display_size(*size)
    head_end = markup.index(">")
    head = re.sub(r'\s(?:width|height)="[^"]*"', "", markup[:head_end])
    return f'{head} width="{width}" height="{height}" class="slp-svg">' + \
        markup[head_end + 1:].rstrip() + "\n"


def name_svg(markup: str, alt: str) -> str:
    """``markup`` from :func:`render_svg` as one image to assistive technology
    (``role="img"``), named by ``alt`` (``aria-label``, the SVG's equivalent of an ``<img>``'s
    alt text). No ``<title>``: in slp's pages an SVG ``<title>`` is an interactive map area's
    tooltip, and the alt text is long; the caption and data table follow the chart anyway.

    Examples
    --------
    >>> name_svg('<svg class="slp-svg"><g/></svg>', "A & B")
    '<svg class="slp-svg" role="img" aria-label="A &amp; B"><g/></svg>'
    """
    head_end = markup.index(">")
    return (f'{markup[:head_end]} role="img" aria-label="{html.escape(alt)}">'
            + markup[head_end + 1:])


def display_size(width: float, height: float) -> tuple[int, int]:
    """CSS pixels at which a ``width`` x ``height`` inch figure is shown."""
    return round(width * DISPLAY_PPI), round(height * DISPLAY_PPI)


def wrap(text: Any, width: int = 64) -> str:
    """``text`` broken into lines of at most ``width`` characters (for titles and labels)."""
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def title(fig: Figure, text: str, width: int = 68) -> None:
    """The chart title, top left of the whole figure, wrapped to fit: at most ``width``
    characters a line, and no more than the figure's width holds in 14 pt bold (about 0.68 em
    a character in DejaVu Sans Bold: 60 on a chart 8 inches wide)."""
    fits = int(fig.get_figwidth() * 72 / (14 * 0.68))
    fig.suptitle(wrap(text, min(width, fits)), x=0.01, ha="left", fontsize=14,
                 fontweight="bold", color=TEXT)


def legend_below(fig: Figure, handles: list[Any]) -> None:
    """A legend under the plot, in as many columns as its longest entry allows."""
    if handles:
        longest = max(len(str(h.get_label())) for h in handles)
        columns = 3 if longest <= 18 else 2 if longest <= 32 else 1
        fig.legend(handles=handles, loc="outside lower center",
                   ncols=min(columns, len(handles)), handlelength=3)


def series_style(name: Hashable, i: int, whole: str = "London") -> tuple[str, str, str]:
    """(colour, line style, marker) of the ``i``-th series; the whole (``whole``: London, or
    e.g. "Gwent Police area") is always dark grey."""
    if str(name) == whole:
        return TEXT, "--", "s"
    return PALETTE[i % len(PALETTE)], LINE_STYLES[i % len(LINE_STYLES)], MARKERS[i % len(MARKERS)]


def thousands(axis: Any) -> None:
    """Tick labels with thousands separators (2,000 not 2000)."""
    axis.set_major_formatter(mpl.ticker.FuncFormatter(
        lambda v, _pos: f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}"))


def month_axis(ax: Any, months: pd.DatetimeIndex) -> None:
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
