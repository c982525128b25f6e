"""Hot spots: where high (or low) crime rates cluster, by the Getis-Ord Gi* statistic.

Gi* (Getis & Ord 1992; Ord & Getis 1995) compares the sum of the rates of an area *and* its
neighbours with what that sum would be if rates were scattered at random:

    G*_i = (sum_j w_ij x_j - xbar W_i) / (S sqrt((n S1_i - W_i^2) / (n - 1)))

with ``xbar`` and ``S`` the mean and (population) standard deviation of all ``n`` rates,
``W_i = sum_j w_ij`` and ``S1_i = sum_j w_ij^2``. Choices made here:

- **Neighbours**: Queen contiguity (areas sharing an edge or a corner) from the boundaries,
  with **binary** weights (1 for a neighbour) and the area itself included (``w_ii = 1``), as in
  the textbook statistic. esda's analytic variance assumes binary weights, which row
  standardisation would break.
- **One inference for sign and p-value**: by default the normal approximation of the analytic
  z (as ArcGIS's Hot Spot Analysis and R's sfhotspot do): the class takes its sign and its
  p-value from the same z. With ``inference="permutation"`` both come from 9,999 conditional
  permutations (fixed seed): the sign from esda's ``z_sim``, the p-value two-sided (twice
  esda's folded one-sided pseudo p-value, capped at 1). Mixing the analytic sign with the
  permutation p-value (as this module once did) tests two different nulls: a high area ringed by
  zeros was called a hot spot although the permutation puts its neighbourhood far *below*
  chance. Either way p-values are then adjusted for testing every area at once with the
  Benjamini-Hochberg false discovery rate.
- **Few areas**: with fewer than about 30 areas (a borough's 19 wards) Gi* can find only very
  strong clusters; :func:`few_areas_note` says so in words. LSOAs (about 170 a borough) are better
  when street-level data are configured.
- **Emerging and cooling** come from a test of each area's *change* against the whole
  (:func:`hotspot_changes`, using :func:`slp.significance.change_funnel`), not from comparing
  two years' labels.
- **Islands** (areas with no neighbour, e.g. a detached polygon) have no cluster to test: they
  keep their place in the mean and spread of rates but get no z, no p and class
  "not significant".

Rates per 1,000 for wards come from :func:`slp.measures.rates_in_window` with
``area_column="ward_code"``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from esda.getisord import G_Local
from libpysal.weights import Queen
from scipy import stats
from statsmodels.stats.multitest import multipletests

from slp.errors import SlpError
from slp.significance import change_funnel
from slp.variation import adjust_p

#: Fewer areas than this cannot show clusters worth the name.
MIN_AREAS = 8
#: Fewer areas than this: Gi* can find only very strong clusters (say so).
RELIABLE_AREAS = 30
CLASSES = ("hot spot", "cold spot", "not significant")
STATUSES = ("emerging", "persistent", "cooling", "none")


def find_hotspots(
    boundaries,
    rates: pd.Series,
    alpha: float = 0.05,
    permutations: int = 9999,
    seed: int = 20230401,
    inference: str = "normal",
) -> pd.DataFrame:
    """Classify each area as a hot spot, a cold spot or not significant with Gi*.

    Parameters
    ----------
    boundaries : geopandas.GeoDataFrame
        Areas with columns ``code``, ``name`` and ``geometry`` (EPSG:27700 or any projected CRS).
    rates : pandas.Series
        Crime rate per 1,000 residents, indexed by area code; every code of ``boundaries`` must
        have one (extra codes are ignored).
    alpha : float, default 0.05
        False discovery rate for the Benjamini-Hochberg adjustment.
    permutations : int, default 9999
        Conditional permutations for the pseudo p-values (``inference="permutation"``).
    seed : int, default 20230401
        Random seed of the permutations.
    inference : {"normal", "permutation"}, default "normal"
        Sign and p-value both from the normal approximation of the analytic z, or both from
        the conditional permutations (sign of ``z_sim``).

    Returns
    -------
    pandas.DataFrame
        One row per area in the order of ``boundaries``, columns ``code``, ``name``, ``rate``,
        ``neighbours`` (number of neighbours, not counting itself), ``z`` (analytic Gi* z-score),
        ``z_sim`` (the permutation z; ``nan`` with normal inference), ``p`` (two-sided),
        ``p_adjusted`` (Benjamini-Hochberg), ``class`` ("hot spot", "cold spot" or
        "not significant", its sign from ``z`` with normal inference and from ``z_sim`` with
        permutations). ``z``, ``p`` and ``p_adjusted`` are ``nan`` for
        islands and when every rate is the same.

    Raises
    ------
    SlpError
        If columns are missing, a code has no rate, a rate is missing or negative, or there are
        fewer than 8 areas.
    """
    codes, y = _checked_rates(boundaries, rates, inference)
    geo = boundaries.reset_index(drop=True)
    with warnings.catch_warnings():
        # libpysal warns about islands and disconnected groups; islands are handled below
        warnings.filterwarnings("ignore", message="The weights matrix is not fully connected")
        warnings.filterwarnings("ignore", message=".*island")
        w = Queen.from_dataframe(geo, use_index=False, silence_warnings=True)
    neighbours = np.array([w.cardinalities[i] for i in range(len(codes))])
    island = neighbours == 0
    z, z_sim, p = _gi_star(y, w, island, inference, permutations, seed)
    sign = z_sim if inference == "permutation" else z

    p_adjusted = np.full(len(codes), np.nan)
    tested = np.isfinite(p)
    if tested.any():
        p_adjusted[tested] = multipletests(p[tested], alpha=alpha, method="fdr_bh")[1]
    significant = tested & (p_adjusted < alpha)
    label = np.where(
        significant & (sign > 0),
        "hot spot",
        np.where(significant & (sign < 0), "cold spot", "not significant"),
    )
    return pd.DataFrame(
        {
            "code": codes,
            "name": boundaries["name"].astype(str).to_numpy(),
            "rate": y,
            "neighbours": neighbours,
            "z": z,
            "z_sim": z_sim,
            "p": p,
            "p_adjusted": p_adjusted,
            "class": label,
        }
    )


def _checked_rates(boundaries, rates: pd.Series, inference: str) -> tuple[list[str], np.ndarray]:
    """The boundaries' codes and their rates, or SlpError naming what is wrong."""
    missing_columns = [c for c in ("code", "name", "geometry") if c not in boundaries.columns]
    if missing_columns:
        raise SlpError(
            f"hot spots: boundaries lack column(s) {', '.join(missing_columns)}; expected code, "
            f"name, geometry; found {', '.join(map(str, boundaries.columns))}"
        )
    if inference not in ("permutation", "normal"):
        raise SlpError(f"inference must be 'permutation' or 'normal'; got {inference!r}")
    codes = boundaries["code"].astype(str).tolist()
    if len(set(codes)) != len(codes):
        duplicated = pd.Index(codes)[pd.Index(codes).duplicated()][0]
        raise SlpError(
            f"hot spots: area code {duplicated} appears more than once in the boundaries"
        )
    if len(codes) < MIN_AREAS:
        raise SlpError(
            f"hot spots: Gi* needs at least {MIN_AREAS} areas to find clusters; got {len(codes)} "
            f"({', '.join(codes)}). Use smaller areas (wards or LSOAs) or a larger region"
        )
    rates = rates.copy()
    rates.index = rates.index.astype(str)
    absent = [c for c in codes if c not in rates.index]
    if absent:
        raise SlpError(
            f"hot spots: no rate for {len(absent)} of {len(codes)} areas, e.g. "
            f"{', '.join(absent[:5])}; rates must be indexed by the boundaries' codes"
        )
    y = rates.reindex(codes).to_numpy(dtype=float)
    bad = ~np.isfinite(y) | (y < 0)
    if bad.any():
        raise SlpError(
            f"hot spots: area {codes[int(np.argmax(bad))]} has rate {y[bad][0]!r}; expected a "
            "rate of 0 or more"
        )
    return codes, y


def _gi_star(y, w, island, inference: str, permutations: int, seed: int):
    """Analytic z, permutation z (``nan`` with normal inference) and two-sided p of Gi*."""
    z, p, z_sim = (np.full(len(y), np.nan) for _ in range(3))
    if np.ptp(y) > 0:
        with warnings.catch_warnings():
            # esda's notice that its default alternative will change (p is made two-sided
            # below), and libpysal's note on islands when the diagonal is filled (handled below)
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.filterwarnings("ignore", message="The weights matrix is not fully connected")
            g = G_Local(
                y,
                w,
                transform="B",
                star=True,
                permutations=permutations if inference == "permutation" else 0,
                seed=seed,
                n_jobs=1,
                keep_simulations=inference == "permutation",  # z_sim needs them
            )
        z = np.asarray(g.Zs, dtype=float).copy()
        if inference == "permutation":
            p = np.minimum(1.0, 2.0 * np.asarray(g.p_sim, dtype=float))
            z_sim = np.asarray(g.z_sim, dtype=float).copy()
        else:
            p = 2.0 * stats.norm.sf(np.abs(z))
        z[island], p[island], z_sim[island] = np.nan, np.nan, np.nan
    return z, z_sim, p


def emerging_hotspots(latest: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Compare hot spots of the latest 12 months with those of the previous 12, by their labels.

    Kept for existing callers; the public "emerging" and "cooling" should come from
    :func:`hotspot_changes`, which tests each area's change rather than comparing two labels
    (a label can flip on a tiny change across the threshold).

    Parameters
    ----------
    latest, previous : pandas.DataFrame
        Outputs of :func:`find_hotspots` for the two periods, over the same areas.

    Returns
    -------
    pandas.DataFrame
        One row per area in the order of ``latest``, columns ``code``, ``name``,
        ``latest_rate``, ``previous_rate``, ``latest_class``, ``previous_class`` and ``status``:
        "emerging" (hot spot now, not before), "persistent" (hot spot in both), "cooling"
        (hot spot before, not now) or "none".

    Raises
    ------
    SlpError
        If the two periods do not cover the same area codes.
    """
    now, then = set(latest["code"]), set(previous["code"])
    if now != then:
        only_now, only_then = sorted(now - then), sorted(then - now)
        raise SlpError(
            "emerging hot spots: the two periods cover different areas "
            f"({len(only_now)} only in the latest, e.g. {', '.join(only_now[:3]) or '-'}; "
            f"{len(only_then)} only in the previous, e.g. {', '.join(only_then[:3]) or '-'}); "
            "compare the same boundaries"
        )
    merged = latest[["code", "name", "rate", "class"]].merge(
        previous[["code", "rate", "class"]],
        on="code",
        how="left",
        suffixes=("_latest", "_previous"),
    )
    hot_now = merged["class_latest"] == "hot spot"
    hot_then = merged["class_previous"] == "hot spot"
    status = np.select(
        [hot_now & ~hot_then, hot_now & hot_then, ~hot_now & hot_then],
        ["emerging", "persistent", "cooling"],
        "none",
    )
    return pd.DataFrame(
        {
            "code": merged["code"],
            "name": merged["name"],
            "latest_rate": merged["rate_latest"],
            "previous_rate": merged["rate_previous"],
            "latest_class": merged["class_latest"],
            "previous_class": merged["class_previous"],
            "status": status,
        }
    )


def few_areas_note(areas: int, what: str = "wards") -> str | None:
    """Say plainly when there are too few areas for Gi* to find any but very strong clusters.

    Parameters
    ----------
    areas : int
        Number of areas analysed.
    what : str, default "wards"
        What the areas are, for the sentence.

    Returns
    -------
    str or None
        A sentence for the page when ``areas < RELIABLE_AREAS`` (30), else ``None``.

    Examples
    --------
    >>> few_areas_note(19)
    'With only 19 wards, the hot spot analysis can find only very strong clusters; a ward not marked as a hot or cold spot may still differ from its neighbours. Smaller areas (LSOAs, from street-level data) show more.'
    >>> few_areas_note(170, "LSOAs") is None
    True
    """
    if int(areas) >= RELIABLE_AREAS:
        return None
    return (f"With only {int(areas)} {what}, the hot spot analysis can find only very strong "
            f"clusters; a {what.rstrip('s')} not marked as a hot or cold spot may still differ "
            "from its neighbours. Smaller areas (LSOAs, from street-level data) show more.")


def hotspot_changes(latest: pd.DataFrame, current: pd.Series, previous: pd.Series,
                    target: float | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """Emerging, persistent and cooling hot spots from a test of each area's change.

    Each area's change ``ln(C / P)`` is compared with the whole's (the borough's, by default the
    log ratio of the totals given) in a funnel of changes with between-area over-dispersion
    (:func:`slp.significance.change_funnel`), and the p-values are adjusted across the areas
    (Benjamini-Hochberg).

    Parameters
    ----------
    latest : pandas.DataFrame
        :func:`find_hotspots` for the latest 12 months.
    current, previous : pandas.Series
        Crimes per area code in the latest and previous 12 months.
    target : float, optional
        The whole's log change; by default ``ln(sum(current) / sum(previous))``.
    alpha : float, default 0.05
        False discovery rate.

    Returns
    -------
    pandas.DataFrame
        One row per area in the order of ``latest``: ``code``, ``name``, ``class`` (latest),
        ``change_pct``, ``z_change``, ``p_adjusted``, ``differs_from_whole`` (True, False or None
        under 20 crimes) and ``status``: "emerging" (rose more than the whole, beyond normal
        variation between areas), "cooling" (fell more), "persistent" (a hot spot now whose
        change was in line with the whole) or "none".

    Raises
    ------
    SlpError
        If an area of ``latest`` has no count.
    """
    codes = latest["code"].astype(str)
    now, then = current.copy(), previous.copy()
    now.index, then.index = now.index.astype(str), then.index.astype(str)
    absent = [c for c in codes if c not in now.index or c not in then.index]
    if absent:
        raise SlpError(f"hot spot changes: no count for {len(absent)} areas, e.g. "
                       f"{', '.join(absent[:5])}; counts must be indexed by the areas' codes")
    funnel = change_funnel(now.reindex(codes), then.reindex(codes), target)
    judged = funnel["differs"].notna().to_numpy()
    p_adjusted = adjust_p(funnel["p"], alpha)
    z = funnel["z"].to_numpy(dtype=float)
    rising, falling = (p_adjusted < alpha) & (z > 0), (p_adjusted < alpha) & (z < 0)
    hot = latest["class"].to_numpy() == "hot spot"
    status = np.select([rising, falling, hot], ["emerging", "cooling", "persistent"], "none")
    differs = [bool(r or f) if j else None for r, f, j in zip(rising, falling, judged, strict=True)]
    return pd.DataFrame({"code": codes.to_numpy(), "name": latest["name"].to_numpy(),
                         "class": latest["class"].to_numpy(),
                         "change_pct": funnel["change_pct"].to_numpy(), "z_change": z,
                         "p_adjusted": p_adjusted, "differs_from_whole": differs,
                         "status": status})


def street_rates(street: pd.DataFrame, borough: str, months, residents: pd.Series
                 ) -> pd.Series | None:
    """Crimes per 1,000 residents of each LSOA of a borough, from street-level crimes.

    Parameters
    ----------
    street : pandas.DataFrame
        Street-level crimes counted by LSOA (:class:`slp.sources.street.StreetCrime` ``.data``:
        ``lsoa_code``, ``borough``, ``month``, ``count``).
    borough : str
    months : sequence of pandas.Period
        The window (e.g. ``Window.periods``); every month must be in the street data.
    residents : pandas.Series
        Residents per LSOA code of the borough (the areas to rate; an LSOA with no crime
        gets 0).

    Returns
    -------
    pandas.Series or None
        Rate per LSOA code, in the order of ``residents``; None when the street data miss a
        month of the window or hold nothing for the borough.

    Examples
    --------
    >>> street = pd.DataFrame({"lsoa_code": ["A", "A", "B"], "borough": "X",
    ...                        "month": pd.PeriodIndex(["2022-01", "2022-02", "2022-01"],
    ...                                                freq="M"), "count": [3, 1, 2]})
    >>> street_rates(street, "X", pd.period_range("2022-01", "2022-02", freq="M"),
    ...              pd.Series({"A": 2000, "B": 1000, "C": 500})).tolist()
    [2.0, 2.0, 0.0]
    """
    rows = street[street["borough"] == borough]
    wanted = set(months)
    if rows.empty or not wanted <= set(rows["month"].unique()):
        return None
    counts = rows[rows["month"].isin(wanted)].groupby("lsoa_code")["count"].sum()
    counts = counts.reindex(residents.index, fill_value=0)
    return (counts * 1000 / residents.astype(float)).where(residents > 0)
