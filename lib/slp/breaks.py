"""Known discontinuities in the series slp compares, and whether two windows straddle one.

A change between two 12-month windows means little when the way crime was recorded or
classified changed between them, or when one of them holds the pandemic lockdowns. Each
:class:`Break` names what changed, which measures or categories it touches, and says so in
plain English; :func:`spanning` returns the break a comparison straddles, so a page can say so
and ``figures.json`` can carry it (``"break": "..."``) instead of a clean-looking change.

Sources:

- **CONNECT** (March 2024): the MPS dataset notes of "MPS Monthly Crime Dashboard Data" (London
  Datastore): "At the end of February 2024 the MPS started using CONNECT ... Hate Crime and
  Domestic Abuse figures pre an[d] post March are not comparable." (see
  ``../shared/data/mps-dashboard/SCHEMA-EVIDENCE.md``, section 1).
- **Home Office categories**: the MPS borough- and ward-level files moved from their own
  title-case categories to upper-case Home Office categories, re-based back to 2010, in the
  2024-11 download; a series joining an older download to a newer one has a step of 2-3% where
  the classifications meet (see :mod:`slp.categories`). The step is where the files meet, so
  its month is given by the caller (``seams=``).
- **Pandemic lockdowns**: :data:`slp.covid.LOCKDOWNS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase

import pandas as pd

from slp.covid import LOCKDOWNS
from slp.periods import parse_month


@dataclass(frozen=True)
class Break:
    """One known discontinuity.

    Attributes
    ----------
    key : str
        Short identifier, e.g. ``"connect"``.
    name : str
        Its name in words, e.g. ``"the MPS move to the CONNECT recording system"``.
    first : pandas.Period or None
        First month recorded the new way (a step), or first month of a disturbed period;
        None when it depends on the files read (see ``seams=`` of :func:`spanning`).
    last : pandas.Period or None
        Last month of a disturbed period (lockdowns); None for a step.
    applies_to : tuple of str
        Patterns (``fnmatch``, case-insensitive) of the measure keys or category names it
        touches; ``"*"`` for all.
    note : str
        What happened, for the page and ``figures.json``.
    months : tuple of str
        For a disturbed period made of separate months (the lockdowns), those months
        (``YYYY-MM``); empty when every month from ``first`` to ``last`` counts.
    """

    key: str
    name: str
    first: pd.Period | None
    last: pd.Period | None
    applies_to: tuple[str, ...]
    note: str
    months: tuple[str, ...] = ()

    def applies(self, measure_or_category: str) -> bool:
        """True when this break touches the measure key or category name."""
        name = str(measure_or_category).strip().casefold()
        return any(fnmatchcase(name, pattern.casefold()) for pattern in self.applies_to)

    def splits(self, months: pd.PeriodIndex) -> bool:
        """True when the months (both windows together) lie on both sides of, or in, the break."""
        if self.first is None or not len(months):
            return False
        if self.last is None:  # a step: some months before it and some from it on
            return bool((months < self.first).any() and (months >= self.first).any())
        if self.months:
            return bool(months.isin(pd.PeriodIndex(list(self.months), freq="M")).any())
        return bool(((months >= self.first) & (months <= self.last)).any())


def _lockdown_break() -> Break:
    months = pd.PeriodIndex([m for lockdown in LOCKDOWNS for m in lockdown.months], freq="M")
    spans = "; ".join(f"{lockdown.name.lower()} {lockdown.start:%-d %B %Y} to "
                      f"{lockdown.end:%-d %B %Y}" for lockdown in LOCKDOWNS)
    return Break(
        key="lockdowns",
        name="the pandemic lockdowns",
        first=months.min(),
        last=months.max(),
        applies_to=("*",),
        note=f"One of the compared periods includes months of the pandemic lockdowns ({spans}), "
        "when crime and its reporting were far from normal: the change says more about the "
        "pandemic than about a trend.",
        months=tuple(str(m) for m in months),
    )


#: Every known break, most specific first (:func:`spanning` returns the first that applies).
BREAKS: tuple[Break, ...] = (
    Break(
        key="connect",
        name="the MPS move to the CONNECT recording system",
        first=pd.Period("2024-03", "M"),
        last=None,
        applies_to=("domestic_abuse*", "hate_crime*", "domestic abuse*", "hate crime*"),
        note="The MPS changed its crime-recording system (CONNECT) at the end of February 2024; "
        "its notes say domestic abuse and hate crime figures before and after March 2024 are "
        "not comparable, so this change is not a like-for-like comparison.",
    ),
    Break(
        key="home_office_categories",
        name="the MPS move to Home Office crime categories",
        first=None,
        last=None,
        applies_to=("recorded_crime*", "category:*"),
        note="The MPS recorded-crime files moved from the MPS's own crime categories to Home "
        "Office categories (November 2024 download, re-based back to 2010); this comparison "
        "joins figures from files in the two classifications, whose totals differ by 2-3% for "
        "the same months.",
    ),
    _lockdown_break(),
)

_BY_KEY = {b.key: b for b in BREAKS}


def _months(window) -> pd.PeriodIndex:
    start, end = (window.start, window.end) if hasattr(window, "start") else window
    return pd.period_range(parse_month(start), parse_month(end), freq="M")


def all_spanning(
    measure_or_category: str,
    window_a,
    window_b,
    *,
    seams: Mapping[str, str | pd.Period] | None = None,
    breaks: Iterable[Break] = BREAKS,
) -> list[Break]:
    """Every break that a comparison of two windows straddles, most specific first.

    Parameters are those of :func:`spanning` (``seams`` and ``breaks`` as keywords).
    """
    months = _months(window_a).append(_months(window_b))
    seams = dict(seams or {})
    found = []
    for item in breaks:
        if item.key in seams:
            item = replace(item, first=parse_month(seams[item.key]))
        if item.applies(measure_or_category) and item.splits(months):
            found.append(item)
    return found


def spanning(measure_or_category: str, window_a, window_b, **options) -> Break | None:
    """The known break a comparison of two windows straddles, or None.

    Parameters
    ----------
    measure_or_category : str
        A dashboard measure key (``domestic_abuse``, ``hate_crime_racist``), ``recorded_crime``,
        or a recorded-crime category as ``"category:<name>"``.
    window_a, window_b : (start, end) or slp.periods.Window
        The two windows compared (``"YYYY-MM"`` strings or Periods), in either order.
    **options
        ``seams``: mapping of break key -> first month, for breaks whose month depends on the
        files read: e.g. ``{"home_office_categories": "2023-08"}`` when the months from 2023-08
        on come from a Home Office-category download and earlier months from an older one.
        ``breaks``: the registry to consult; :data:`BREAKS` by default.

    Returns
    -------
    Break or None
        The first break of the registry that applies to the measure and that the windows
        straddle (for the lockdowns: that either window includes a lockdown month).

    Examples
    --------
    >>> spanning("domestic_abuse", ("2023-04", "2024-03"), ("2022-04", "2023-03")).key
    'connect'
    >>> spanning("knife_crime", ("2023-04", "2024-03"), ("2022-04", "2023-03")) is None
    True
    """
    found = all_spanning(measure_or_category, window_a, window_b, **options)
    return found[0] if found else None


def get(key: str) -> Break:
    """The registered break with this key (``connect``, ``home_office_categories``,
    ``lockdowns``); KeyError for another."""
    return _BY_KEY[key]
