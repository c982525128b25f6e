"""Ward boundaries and ward populations for any London borough, built from LSOAs.

No London-wide 2022 ward boundary file is published in the data here, but the ONS best-fit
lookup assigns every LSOA 2021 to one electoral ward, and the LSOA 2021 polygons are
available. Dissolving the LSOAs of each ward gives a ward layer for every borough
(:func:`best_fit_wards`). It is an approximation: an LSOA that straddles a ward boundary goes
wholly to one ward, so the edges follow LSOA edges, not the real ward boundary.

Ward populations are built the same way (the best-fit sum, :func:`slp.sources.population.
ward_population`). Where the real ward boundaries are known (Lewisham's own 2022 file), an
independent estimate splits each LSOA's residents between the wards it overlaps by area
(:func:`area_weighted_population`); :func:`compare_ward_populations` puts the two side by side
so a page can flag a ranking that rests on a population the two methods disagree on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from slp.errors import SourceError

if TYPE_CHECKING:
    import geopandas as gpd

    from slp.sources.population import Population

SOURCE = "Ward geography"
#: Relative difference between the two ward-population methods above which a ward's rate (and
#: its rank) is flagged as resting on an uncertain population.
DISAGREEMENT = 0.10
BEST_FIT_CAVEAT = (
    "ward boundaries are a best-fit approximation: the LSOA 2021 areas assigned to each ward by "
    "the ONS best-fit lookup, dissolved; an LSOA that straddles a ward boundary is drawn wholly "
    "in one ward"
)


def _frame(value, reader):
    return reader(value) if isinstance(value, (str, Path)) else value


def best_fit_wards(lsoa_boundaries, lookup, *, boroughs=None) -> gpd.GeoDataFrame:
    """Ward polygons dissolved from LSOA 2021 polygons through a best-fit LSOA -> ward lookup.

    Parameters
    ----------
    lsoa_boundaries : str, Path or GeoDataFrame
        LSOA polygons (:func:`slp.sources.boundaries.read_boundaries`), e.g. the London LSOA
        2021 shapefile.
    lookup : str, Path or DataFrame
        An LSOA -> ward lookup (:func:`slp.sources.boundaries.read_lookup`), e.g. the ONS
        ``LSOA21CD, WD25CD, WD25NM, LAD25NM`` file.
    boroughs : str or list of str, optional
        Keep only these boroughs (the lookup's local authority names); all by default.

    Returns
    -------
    geopandas.GeoDataFrame
        ``code, name, borough, geometry`` in EPSG:27700, one row per ward, sorted by borough
        and code, like :func:`~slp.sources.boundaries.read_boundaries`; ``attrs["caveats"]``
        holds :data:`BEST_FIT_CAVEAT` and any LSOAs left out.

    Raises
    ------
    SourceError
        The lookup and the polygons share no LSOA code (different LSOA vintages), or a borough
        asked for is in neither.

    Examples
    --------
    >>> wards = best_fit_wards("london-2021-lsoa-gen20.shp", "lsoa21-ward25-lad25-lookup.csv",
    ...                        boroughs="Lewisham")  # doctest: +SKIP
    >>> len(wards)  # doctest: +SKIP
    19
    """
    from slp.sources.boundaries import read_boundaries, read_lookup

    polygons = _frame(lsoa_boundaries, read_boundaries)
    table = _frame(lookup, read_lookup)
    if "borough" not in table.columns:
        raise SourceError(
            SOURCE, _name(lookup), "has no local authority column (e.g. LAD25NM); expected one"
        )
    joined = polygons[["code", "geometry"]].merge(
        table, left_on="code", right_on="lsoa_code", how="inner"
    )
    if joined.empty:
        raise SourceError(
            SOURCE,
            _name(lookup),
            f"shares no LSOA code with the boundaries (e.g. '{polygons['code'].iloc[0]}'); "
            "expected the same LSOA vintage (2021) in both",
        )
    if boroughs is not None:
        wanted = [boroughs] if isinstance(boroughs, str) else list(boroughs)
        unknown = sorted(set(wanted) - set(joined["borough"]))
        if unknown:
            raise SourceError(
                SOURCE,
                _name(lookup),
                f"has no LSOA of {', '.join(unknown)} among the boundaries given; expected "
                "borough names as in the lookup (e.g. 'Lewisham')",
            )
        joined = joined.loc[joined["borough"].isin(wanted)]
    wards = joined.dissolve(by="ward_code", aggfunc={"ward_name": "first", "borough": "first"})
    wards = wards.reset_index().rename(columns={"ward_code": "code", "ward_name": "name"})
    wards = wards[["code", "name", "borough", "geometry"]]
    wards = wards.sort_values(["borough", "code"]).reset_index(drop=True)
    caveats = [BEST_FIT_CAVEAT]
    in_lookup = table if boroughs is None else table.loc[table["borough"].isin(wanted)]
    missing = sorted(set(in_lookup["lsoa_code"]) - set(polygons["code"]))
    if missing:
        caveats.append(
            f"{len(missing)} LSOA(s) of the lookup have no polygon (e.g. {missing[0]}); their "
            "wards are drawn without them"
        )
    wards.attrs["caveats"] = caveats
    return wards


def _name(value) -> Path | None:
    return Path(value) if isinstance(value, (str, Path)) else None


def area_weighted_population(
    pop: Population, lsoa_boundaries, ward_boundaries
) -> pd.Series:
    """Residents per ward, splitting each LSOA's residents by the share of its area in each ward.

    An independent estimate to set beside the best-fit sum: instead of giving a straddling
    LSOA wholly to one ward, its residents are shared in proportion to area (residents are
    assumed spread evenly within an LSOA).

    Parameters
    ----------
    pop : Population
        An LSOA-level population (``pop.by_lsoa``), same LSOA vintage as the polygons.
    lsoa_boundaries, ward_boundaries : str, Path or GeoDataFrame
        LSOA polygons and the real ward polygons (:func:`slp.sources.boundaries.read_boundaries`).

    Returns
    -------
    Series
        ``ward_code`` -> residents (float), for every ward of ``ward_boundaries``.
    """
    import geopandas as gpd

    from slp.sources.boundaries import read_boundaries

    if pop.by_lsoa is None:
        raise SourceError(SOURCE, None, f"{pop.label} is not LSOA-level; expected an LSOA file")
    wards = _frame(ward_boundaries, read_boundaries)[["code", "geometry"]]
    lsoas = _frame(lsoa_boundaries, read_boundaries)[["code", "geometry"]]
    lsoas = lsoas.loc[lsoas["code"].isin(pop.by_lsoa.index)]
    # Only the LSOAs touching these wards.
    lsoas = lsoas.loc[lsoas.intersects(wards.union_all())].copy()
    lsoas["lsoa_area"] = lsoas.geometry.area
    pieces = gpd.overlay(
        lsoas.rename(columns={"code": "lsoa_code"}),
        wards.rename(columns={"code": "ward_code"}),
        how="intersection",
        keep_geom_type=True,
    )
    share = pieces.geometry.area / pieces["lsoa_area"]
    residents = pieces["lsoa_code"].map(pop.by_lsoa).astype("float64") * share
    out = residents.groupby(pieces["ward_code"]).sum()
    out = out.reindex(wards["code"], fill_value=0.0)
    out.index.name = "ward_code"
    out.name = "residents"
    return out


def compare_ward_populations(
    pop: Population, lookup, lsoa_boundaries, ward_boundaries
) -> pd.DataFrame:
    """Ward populations by the best-fit lookup and by area weighting, and how far they differ.

    Parameters
    ----------
    pop : Population
        LSOA 2021 populations (e.g. Census 2021 TS007a, LSOA file).
    lookup : str, Path or DataFrame
        The best-fit LSOA -> ward lookup.
    lsoa_boundaries, ward_boundaries : str, Path or GeoDataFrame
        LSOA polygons and the real ward polygons of the area (e.g. Lewisham's own 2022 file);
        best-fit wards (:func:`best_fit_wards`) are refused, since against them the two methods
        agree by construction.

    Returns
    -------
    DataFrame
        One row per ward of ``ward_boundaries``: ``ward_code, ward_name, best_fit`` (int),
        ``area_weighted`` (float), ``relative_difference`` (area_weighted / best_fit - 1) and
        ``uncertain`` (True when the two differ by more than :data:`DISAGREEMENT`).

    Raises
    ------
    SourceError
        ``ward_boundaries`` are best-fit wards, or the population is not LSOA-level.

    Examples
    --------
    Lewisham, Census 2021: Lewisham Central has 9,293 residents by the best-fit lookup and
    8,227 by area weighting (-11%), so its rate and rank are flagged.
    """
    from slp.sources.boundaries import read_boundaries, read_lookup
    from slp.sources.population import ward_population

    wards = _frame(ward_boundaries, read_boundaries)
    if BEST_FIT_CAVEAT in wards.attrs.get("caveats", []):
        raise SourceError(
            SOURCE,
            None,
            "ward populations cannot be checked against best-fit wards (dissolved from the same "
            "LSOAs, both methods agree by construction); expected the borough's real ward "
            "boundaries",
        )
    table = _frame(lookup, read_lookup)
    table = table.loc[table["ward_code"].isin(wards["code"])]
    best = ward_population(pop, table)
    weighted = area_weighted_population(pop, lsoa_boundaries, wards)
    out = pd.DataFrame(
        {
            "ward_code": wards["code"].to_numpy(),
            "ward_name": wards["name"].to_numpy(),
        }
    )
    out["best_fit"] = out["ward_code"].map(best).astype("Int64")
    out["area_weighted"] = out["ward_code"].map(weighted).astype("float64")
    out["relative_difference"] = out["area_weighted"] / out["best_fit"].astype("float64") - 1
    out["uncertain"] = out["relative_difference"].abs().round(9) > DISAGREEMENT
    return out.sort_values("ward_code").reset_index(drop=True)


def uncertainty_note(comparison: pd.DataFrame) -> str:
    """One sentence for a page: how ward populations were built and how uncertain they are."""
    flagged = comparison.loc[comparison["uncertain"].fillna(True)]
    spread = comparison["relative_difference"].abs()
    text = (
        "Ward populations are Census 2021 LSOA counts summed through the ONS best-fit LSOA to "
        "ward lookup (an LSOA that straddles a ward boundary counts wholly in one ward); "
        "splitting straddling LSOAs by area instead changes them by up to "
        f"{spread.max():.0%} (median {spread.median():.0%})"
    )
    if flagged.empty:
        return text + "."
    names = ", ".join(flagged["ward_name"].astype(str))
    return (
        f"{text}. The two methods differ by more than {DISAGREEMENT:.0%} for {names}: rates and "
        "ranks of these wards rest on an uncertain population."
    )


@dataclass
class WardLayer:
    """The ward boundaries to map for one borough, and how they were obtained.

    Attributes
    ----------
    frame : GeoDataFrame or None
        ``code, name, geometry`` (+ ``borough``) in EPSG:27700, or None when no ward geography
        is available for the borough (``caveats`` says why).
    method : str
        ``"own boundaries"``, ``"best fit"`` or ``"none"``.
    caveats : list of str
        Plain words for the page: the approximation, or what is missing.
    """

    frame: gpd.GeoDataFrame | None
    method: str
    caveats: list[str] = field(default_factory=list)


def ward_layer(borough: str, *, own=None, lsoa_boundaries=None, lookup=None) -> WardLayer:
    """Ward boundaries for one borough: its own ward file where that covers it, else best fit.

    Parameters
    ----------
    borough : str
        The borough, as the lookup names it (e.g. ``"Lewisham"``).
    own : str, Path or GeoDataFrame, optional
        A real ward boundary file (e.g. Lewisham's 2022 wards). Used when it holds at least
        nine in ten of the borough's wards in the lookup (or, with no lookup, any area).
    lsoa_boundaries, lookup : str, Path or GeoDataFrame / DataFrame, optional
        LSOA 2021 polygons and the best-fit LSOA -> ward lookup, for :func:`best_fit_wards`.

    Returns
    -------
    WardLayer
        Never raises for a borough the sources do not cover: ``frame`` is None and the caveat
        says what is missing, so the page can say so plainly.
    """
    from slp.sources.boundaries import read_boundaries, read_lookup

    table = _frame(lookup, read_lookup) if lookup is not None else None
    wanted = None
    if table is not None and "borough" in table.columns:
        wanted = set(table.loc[table["borough"] == borough, "ward_code"])
    if own is not None:
        frame = _frame(own, read_boundaries)
        covered = wanted is None or (
            wanted and len(wanted & set(frame["code"])) >= 0.9 * len(wanted)
        )
        if covered and len(frame):
            name = Path(own).name if isinstance(own, (str, Path)) else "the ward boundaries given"
            return WardLayer(frame, "own boundaries", [f"ward boundaries from '{name}'"])
    if lsoa_boundaries is None or table is None:
        return WardLayer(
            None,
            "none",
            [
                f"no ward boundaries cover {borough}: give the borough's own ward file, or the "
                "London LSOA 2021 boundaries and the LSOA to ward lookup"
            ],
        )
    if not wanted:
        return WardLayer(
            None, "none", [f"the LSOA to ward lookup has no wards for {borough}"]
        )
    frame = best_fit_wards(lsoa_boundaries, table, boroughs=borough)
    return WardLayer(frame, "best fit", list(frame.attrs.get("caveats", [])))


def ward_population_uncertainty(
    pop: Population, lookup, lsoa_boundaries, layer: WardLayer, place: str = "this borough"
) -> tuple[pd.DataFrame | None, str]:
    """Both ward-population methods for a borough's ward layer, and the sentence for the page.

    Parameters
    ----------
    pop, lookup, lsoa_boundaries
        As for :func:`compare_ward_populations`.
    layer : WardLayer
        From :func:`ward_layer`. Only a borough's own (real) ward boundaries allow the
        independent area-weighted estimate.
    place : str
        The area in the note's words: "this borough" (London), the authority's name.

    Returns
    -------
    comparison, note : DataFrame or None, str
        The :func:`compare_ward_populations` table (None when it cannot be built) and one
        sentence saying how ward populations were built and how uncertain they are.
    """
    if layer.method != "own boundaries" or layer.frame is None or lsoa_boundaries is None:
        return None, (
            "Ward populations are Census 2021 LSOA counts summed through the ONS best-fit LSOA "
            "to ward lookup (an LSOA that straddles a ward boundary counts wholly in one ward); "
            "how uncertain they are cannot be estimated here, as there are no real ward "
            f"boundaries for {place} to split straddling LSOAs by area."
        )
    comparison = compare_ward_populations(pop, lookup, lsoa_boundaries, layer.frame)
    return comparison, uncertainty_note(comparison)
