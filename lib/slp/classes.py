"""Classes for choropleth maps: breaks (mapclassify, Fisher-Jenks), labels and colours.

:func:`classify` groups values into classes (quantiles, equal intervals, natural breaks or set
breaks; 0 a class boundary for change) and labels each class with the range of the values it
holds. :func:`class_colours` gives one colour per class: ColorBrewer YlGnBu for amounts
(light = low, dark = high) and RdBu for change (blue = fall, red = rise); both are colour-blind
safe.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib as mpl
import numpy as np
import pandas as pd

from slp.errors import SlpError
from slp.tables import choose_format, format_number

#: Scheme names accepted by :func:`classify`. ``natural_breaks`` is Fisher-Jenks: the exact
#: optimum of Jenks' natural breaks, so it gives the same classes on every run.
SCHEMES = ("quantiles", "equal_interval", "natural_breaks", "fisher_jenks", "user_defined")

NEUTRAL_FILL = "#F7F7F7"  # the centre of ColorBrewer RdBu, for a class holding only 0


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
    result = _breaks(y, scheme, min(k, len(np.unique(y))), bins)
    if diverging and y.min() < 0 < y.max() and 0.0 not in result:
        result = _break_at_zero(y, result)
    return _labelled(y, scheme, result, number_format)


def _breaks(y: np.ndarray, scheme: str, k: int, bins: Sequence[float] | None) -> list[float]:
    """Sorted distinct upper bounds of the classes of ``y`` (no missing values)."""
    import mapclassify  # local import: it loads pyplot, which only classification needs

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
    return sorted(dict.fromkeys(float(b) for b in result))


def _labelled(y: np.ndarray, scheme: str, bins: list[float], number_format: str) -> Classes:
    """The classes with their counts, value ranges and labels (the range of the values each
    class holds, as the data table shows them; an empty class gets its bounds)."""
    lower = float(y.min())
    kind = choose_format(y.tolist()) if number_format == "auto" else number_format
    labels, counts, ranges = [], [], []
    previous = lower
    for i, upper in enumerate(bins):
        inside = (y >= lower) & (y <= upper) if i == 0 else (y > previous) & (y <= upper)
        counts.append(int(inside.sum()))
        if inside.any():
            ranges.append((float(y[inside].min()), float(y[inside].max())))
            low, high = format_number(ranges[-1][0], kind), format_number(ranges[-1][1], kind)
            labels.append(low if low == high else f"{low} to {high}")
        else:
            ranges.append(None)
            edge = choose_format([previous, upper]) if number_format == "auto" else kind
            labels.append(f"over {format_number(previous, edge)} to {format_number(upper, edge)}")
        previous = upper
    return Classes(scheme, lower, tuple(bins), tuple(labels), tuple(counts), tuple(ranges))


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
