"""Crime harm: counts weighted by a partnership-supplied harm weight per category.

Harm of a category = crimes x weight (days of imprisonment for the Cambridge Crime Harm Index
method, or ONS Crime Severity Score weights; see :mod:`slp.sources.harm_weights`). Categories
the weights file does not list are **unweighted**: they are reported with their counts and
left out of harm and of both shares, never counted as zero harm. Categories the file marks
``excluded`` (fraud, proactive offences) are reported the same way, as deliberately excluded.

Shares are over the weighted categories only, so that a category's share of harm and its
share of volume have the same base and can be read side by side.

Examples
--------
>>> profile = harm_by_category(counts, weights, scheme="police.uk")  # doctest: +SKIP
>>> profile.table[["category", "volume_share_pct", "harm_share_pct"]]  # doctest: +SKIP
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from slp.periods import Window
from slp.sources.harm_weights import HarmWeights, category_key

#: Columns of :attr:`HarmProfile.table`.
PROFILE_COLUMNS = ("category", "count", "weight", "harm", "volume_share_pct", "harm_share_pct")
#: Columns of :attr:`HarmChange.table`.
CHANGE_COLUMNS = ("category", "previous_harm", "harm", "change", "change_pct")


@dataclass
class HarmProfile:
    """Harm of one window, by category.

    Attributes
    ----------
    table : DataFrame
        ``category, count, weight, harm, volume_share_pct, harm_share_pct`` for the weighted
        categories, highest harm first.
    total_harm : float
        Sum of ``harm``.
    weighted_count : int
        Crimes in weighted categories (the base of ``volume_share_pct``).
    unweighted : DataFrame
        ``category, count``: categories with no weight in the file (not in the harm totals).
    excluded : DataFrame
        ``category, count``: categories the file marks ``excluded``.
    unit : str
        ``"days"`` or ``"css"``.
    """

    table: pd.DataFrame
    total_harm: float
    weighted_count: int
    unweighted: pd.DataFrame
    excluded: pd.DataFrame
    unit: str

    @property
    def missing_weights(self) -> list[str]:
        """Categories with counts but no weight in the file, sorted."""
        return sorted(self.unweighted["category"])


@dataclass
class HarmChange:
    """Harm of two windows, by category.

    Attributes
    ----------
    table : DataFrame
        ``category, previous_harm, harm, change, change_pct`` (``change_pct`` NaN when the
        previous harm is 0), largest absolute change first.
    previous_total, total : float
        Harm of the weighted categories in each window.
    change_pct : float
        ``100 * (total - previous_total) / previous_total`` (NaN when ``previous_total`` is 0).
    current, previous : HarmProfile
        The two windows' profiles (their ``unweighted`` lists say what is left out).
    """

    table: pd.DataFrame
    previous_total: float
    total: float
    change_pct: float
    current: HarmProfile
    previous: HarmProfile


def _totals(counts: pd.DataFrame, category: str) -> pd.Series:
    """Counts summed by category (any month or area columns are summed over)."""
    summed = counts.groupby(category, observed=True)["count"].sum()
    return summed[summed > 0].astype("int64")


def harm_by_category(counts: pd.DataFrame, weights: HarmWeights, *, scheme: str,
                     category: str = "category") -> HarmProfile:
    """Weight crime counts by harm, category by category.

    Parameters
    ----------
    counts : DataFrame
        A ``count`` column and a category column; other columns (month, area) are summed over,
        so filter to the area and window first.
    weights : HarmWeights
        From :func:`slp.sources.harm_weights.read_harm_weights`.
    scheme : str
        Which of the file's category lists the counts use: ``"police.uk"``, ``"mps-major"``
        or ``"mps-minor"``.
    category : str, default "category"
        Name of the category column.

    Returns
    -------
    HarmProfile

    Examples
    --------
    Burglary weighted 100 days and robbery 300; 3 burglaries and 1 robbery give 300 + 300 =
    600 days, half of it from each, while burglary is 75% of the volume:

    >>> import pandas as pd
    >>> from slp.sources.harm_weights import HarmWeights
    >>> w = HarmWeights(pd.DataFrame({"scheme": ["police.uk"] * 2,
    ...     "category": ["Burglary", "Robbery"], "key": ["burglary", "robbery"],
    ...     "weight": [100.0, 300.0]}), "days", "", None)
    >>> p = harm_by_category(pd.DataFrame({"category": ["Burglary", "Robbery", "Drugs"],
    ...     "count": [3, 1, 5]}), w, scheme="police.uk")
    >>> p.total_harm, p.weighted_count, p.missing_weights
    (600.0, 4, ['Drugs'])
    >>> p.table.set_index("category")["volume_share_pct"].to_dict()
    {'Burglary': 75.0, 'Robbery': 25.0}
    """
    totals = _totals(counts, category)
    table = weights.for_scheme(scheme)
    keys = totals.index.map(category_key)
    known = keys.isin(table.index)
    weight = pd.Series(keys, index=totals.index).map(table["weight"])
    is_excluded = known & weight.isna().to_numpy()
    listed = known & ~is_excluded

    def plain(mask) -> pd.DataFrame:
        rows = totals[mask]
        return pd.DataFrame({"category": rows.index.astype(str), "count": rows.to_numpy()})

    out = plain(listed)
    out["weight"] = weight[listed].to_numpy(dtype=float)
    out["harm"] = out["count"] * out["weight"]
    total_harm, weighted = float(out["harm"].sum()), int(out["count"].sum())
    out["volume_share_pct"] = 100 * out["count"] / weighted if weighted else math.nan
    out["harm_share_pct"] = 100 * out["harm"] / total_harm if total_harm else math.nan
    out = out.sort_values(["harm", "category"], ascending=[False, True]).reset_index(drop=True)
    return HarmProfile(table=out[list(PROFILE_COLUMNS)], total_harm=total_harm,
                       weighted_count=weighted, unweighted=plain(~known),
                       excluded=plain(is_excluded), unit=weights.unit)


def publishable_profile(profile: HarmProfile, rule, also_hide=()) -> HarmProfile:
    """The profile as a public page may show it: categories with a hidden (small) count leave
    the harm totals.

    A published weight turns a category's harm back into its count (harm / weight), and the
    total harm less the shown harms gives the hidden ones; with the total count beside it, two
    hidden categories of different weights can be solved for. So a category whose count the
    rule hides is shown with its count as ``"<5"`` and no harm or shares, and the totals and
    shares are those of the shown categories only: nothing published depends on a hidden
    count. The moved categories are listed in ``excluded`` (with their count suppressed).

    Parameters
    ----------
    profile : HarmProfile
    rule : slp.disclosure.DisclosureRule
    also_hide : iterable of str, optional
        Categories to take out of the totals as well (hidden in another window).

    Returns
    -------
    HarmProfile
        ``table`` of object dtype where a count is hidden; an internal rule returns
        ``profile`` unchanged.

    Examples
    --------
    >>> from slp.disclosure import DisclosureRule
    >>> shown = publishable_profile(profile, DisclosureRule())  # doctest: +SKIP
    """
    from slp.disclosure import suppress_value

    if not rule.active:
        return profile
    hidden = (profile.table["count"].map(lambda n: rule.hides(n)).to_numpy(dtype=bool)
              | profile.table["category"].isin(set(also_hide)).to_numpy())
    if not hidden.any():
        return profile
    shown = profile.table.loc[~hidden]
    total_harm, weighted = float(shown["harm"].sum()), int(shown["count"].sum())
    table = shown.assign(
        volume_share_pct=100 * shown["count"] / weighted if weighted else math.nan,
        harm_share_pct=100 * shown["harm"] / total_harm if total_harm else math.nan)
    moved = pd.DataFrame({"category": profile.table.loc[hidden, "category"],
                          "count": [suppress_value(n, rule)
                                    for n in profile.table.loc[hidden, "count"]]})
    excluded = pd.concat([profile.excluded.astype(object), moved], ignore_index=True)
    return HarmProfile(table=table.reset_index(drop=True), total_harm=total_harm,
                       weighted_count=weighted, unweighted=profile.unweighted,
                       excluded=excluded, unit=profile.unit)


def harm_per_1000(profile: HarmProfile, residents: float) -> float:
    """Harm per 1,000 residents.

    Examples
    --------
    600 days of harm among 2,000 residents is 300 days per 1,000:

    >>> harm_per_1000(HarmProfile(None, 600.0, 4, None, None, "days"), 2000)
    300.0
    """
    if not residents or residents <= 0:
        return math.nan
    return 1000 * profile.total_harm / residents


def _in_window(counts: pd.DataFrame, window: Window) -> pd.DataFrame:
    months = pd.PeriodIndex(counts["month"].astype(str), freq="M")
    return counts.loc[(months >= window.start) & (months <= window.end)]


def harm_change(counts: pd.DataFrame, weights: HarmWeights, *, scheme: str, current: Window,
                previous: Window, category: str = "category") -> HarmChange:
    """Harm in two windows and its change, by category and in total.

    Parameters
    ----------
    counts : DataFrame
        ``month`` (Period or ``YYYY-MM``), ``count`` and a category column, for one area.
    weights : HarmWeights
    scheme : str
        See :func:`harm_by_category`.
    current, previous : Window
        The two windows, e.g. ``Window.ending("2022-09", 12)`` and its ``.previous()``.
    category : str, default "category"

    Returns
    -------
    HarmChange
        Categories weighted in either window are in ``table`` (0 harm where absent).

    Examples
    --------
    >>> w = Window.ending("2022-09", 12)
    >>> change = harm_change(crime, weights, scheme="police.uk", current=w,
    ...                      previous=w.previous())  # doctest: +SKIP
    >>> change.change_pct  # doctest: +SKIP
    -4.2
    """
    now = harm_by_category(_in_window(counts, current), weights, scheme=scheme, category=category)
    before = harm_by_category(_in_window(counts, previous), weights, scheme=scheme,
                              category=category)
    return _compare(now, before)


def _compare(now: HarmProfile, before: HarmProfile) -> HarmChange:
    """The change between two profiles, category by category."""
    table = pd.concat([before.table.set_index("category")["harm"].rename("previous_harm"),
                       now.table.set_index("category")["harm"]], axis=1).fillna(0.0)
    table["change"] = table["harm"] - table["previous_harm"]
    table["change_pct"] = [100 * c / p if p else math.nan
                           for c, p in zip(table["change"], table["previous_harm"], strict=True)]
    table = (table.rename_axis("category").reset_index()
             .assign(size=lambda t: t["change"].abs())
             .sort_values(["size", "category"], ascending=[False, True])
             .drop(columns="size").reset_index(drop=True))
    total, prev = now.total_harm, before.total_harm
    return HarmChange(table=table[list(CHANGE_COLUMNS)].astype({"previous_harm": float,
                                                                "harm": float}),
                      previous_total=prev, total=total,
                      change_pct=100 * (total - prev) / prev if prev else math.nan,
                      current=now, previous=before)


def publishable_change(change: HarmChange, rule) -> HarmChange:
    """The change as a public page may show it: a category whose count the rule hides in
    either window leaves both windows' totals (see :func:`publishable_profile`).

    Examples
    --------
    >>> from slp.disclosure import DisclosureRule
    >>> shown = publishable_change(change, DisclosureRule())  # doctest: +SKIP
    """
    if not rule.active:
        return change
    hidden = {c for p in (change.current, change.previous)
              for c, n in zip(p.table["category"], p.table["count"], strict=True) if rule.hides(n)}
    if not hidden:
        return change
    return _compare(publishable_profile(change.current, rule, also_hide=hidden),
                    publishable_profile(change.previous, rule, also_hide=hidden))
