"""Writes data.police.uk street-level files for the focus borough, one per month of the last 12.

Every crime in the borough file is a row (offences with no ward included: half of them are
still placed somewhere in the borough, half have no location), plus anti-social behaviour at
about 30 incidents per 1,000 residents a year. As on police.uk, each row is snapped to one of a
few fixed anonymised map points per LSOA; anti-social behaviour rows have no Crime ID and no
outcome; offences with no location have empty coordinates and LSOA, ``No Location``, and come
last.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer

from slp.boroughs import DEMO_BOROUGH
from slp.demo import tables
from slp.demo._write import to_csv
from slp.demo.counts import Draw
from slp.demo.geography import BNG, MAP_SEED, points_inside
from slp.sources.street import ALL_COLUMNS

#: Paths written under ``out``, by role (``street`` is the folder of monthly files).
FILES = {"street": "street"}
_MONTHS = 12
_POLICE = "Metropolitan Police Service"
_ASB = "Anti-social behaviour"
_ASB_RATE = 30.0  # anti-social behaviour incidents per 1,000 residents a year


@dataclass(frozen=True)
class _Places:
    """The focus borough's LSOAs and their fixed anonymised map points."""

    lsoas: gpd.GeoDataFrame
    lsoa_ward: np.ndarray  # position of each LSOA's ward among the focus wards
    attraction: np.ndarray  # where crime falls inside a ward: population x a fixed LSOA effect
    lon: np.ndarray  # of each point, as written ("-0.012345")
    lat: np.ndarray
    name: np.ndarray  # "On or near ..."
    start: np.ndarray  # LSOA k's points are start[k] .. start[k + 1] - 1


def _point_names(n: int, rng: np.random.Generator) -> list[str]:
    names = tables.names()
    out = []
    for _ in range(n):
        if rng.random() < 0.12:
            out.append(f"On or near {names.landmarks[rng.integers(len(names.landmarks))]}")
        else:
            stem = names.stems[rng.integers(len(names.stems))]
            ending = names.street_endings[rng.integers(len(names.street_endings))]
            out.append(f"On or near {stem} {ending}")
    return out


def anonymised_points(geoms, rng: np.random.Generator):
    """5-12 fixed map points inside each polygon (police.uk snaps every crime to one).

    Returns ``lon``, ``lat`` (text as written, "-0.012345"), ``name`` ("On or near ...") of
    every point and ``start``: polygon k's points are ``start[k] .. start[k + 1] - 1``.
    """
    xy, names, start = [], [], [0]
    for geom in geoms:
        n = int(rng.integers(5, 13))
        inner = geom.buffer(-15.0)
        xy.append(points_inside(inner if not inner.is_empty else geom, n, rng))
        names += _point_names(n, rng)
        start.append(start[-1] + n)
    xy = np.vstack(xy)
    lonlat = Transformer.from_crs(BNG, "EPSG:4326", always_xy=True).transform(xy[:, 0], xy[:, 1])
    return (
        np.array([f"{v:.6f}" for v in lonlat[0]]),
        np.array([f"{v:.6f}" for v in lonlat[1]]),
        np.array(names),
        np.array(start),
    )


def _places(draw: Draw, wards: gpd.GeoDataFrame) -> _Places:
    """Fixed map points per LSOA (police.uk snaps every crime to one), from the map's seed."""
    lsoas = draw.map.lsoas[draw.map.lsoas["borough"] == DEMO_BOROUGH].reset_index(drop=True)
    lon, lat, names, start = anonymised_points(
        lsoas.geometry.values, np.random.default_rng(MAP_SEED + 1)
    )
    ward_pos = {code: k for k, code in enumerate(wards["code"])}
    attraction = lsoas["population"].to_numpy() * np.exp(
        np.random.default_rng(MAP_SEED + 2).normal(0.0, 0.5, size=len(lsoas))
    )
    return _Places(
        lsoas=lsoas,
        lsoa_ward=lsoas["ward"].map(ward_pos).to_numpy(),
        attraction=attraction,
        lon=lon,
        lat=lat,
        name=names,
        start=start,
    )


def _crime_types() -> tuple[list[str], np.ndarray]:
    """police.uk crime types (sorted) and the type of each MPS category, as positions."""
    categories = tables.categories()
    types = sorted({c.police_uk_type for c in categories} | {_ASB})
    return types, np.array([types.index(c.police_uk_type) for c in categories])


def _month_rows(draw, wards, places, m, types, cat_type) -> tuple[np.ndarray, np.ndarray]:
    """(LSOA position or -1 for no location, type position) of every row of month ``m``."""
    rng, counts, focus = draw.rng, draw.counts, draw.map.focus
    attraction = places.attraction
    lsoa_idx, type_idx = [], []
    for w in range(len(wards)):
        members = np.flatnonzero(places.lsoa_ward == w)
        weights = attraction[members] / attraction[members].sum()
        by_type = np.bincount(
            cat_type, weights=counts.ward[wards.index[w], :, m], minlength=len(types)
        ).astype(np.int64)
        for t in np.flatnonzero(by_type):
            spread = rng.multinomial(by_type[t], weights)
            lsoa_idx.append(np.repeat(members, spread))
            type_idx.append(np.full(by_type[t], t))
    # Offences with no ward: half are still located somewhere in the borough, half are not.
    no_ward = np.bincount(cat_type, weights=counts.no_ward[focus, :, m], minlength=len(types))
    no_ward = no_ward.astype(np.int64)
    unlocated = rng.binomial(no_ward, 0.5)
    for t in np.flatnonzero(no_ward):
        located = no_ward[t] - unlocated[t]
        lsoa_idx.append(rng.choice(len(attraction), size=located, p=attraction / attraction.sum()))
        type_idx.append(np.full(located, t))
        lsoa_idx.append(np.full(unlocated[t], -1))
        type_idx.append(np.full(unlocated[t], t))
    month_of_year = int(counts.months[m][5:])
    asb_mean = attraction / attraction.mean() * places.lsoas["population"].mean()
    season = 1.0 + 0.15 * np.cos((month_of_year - 7) / 6.0 * np.pi)
    asb_mean = asb_mean * _ASB_RATE / 12000.0 * season
    asb = rng.poisson(asb_mean)
    lsoa_idx.append(np.repeat(np.arange(len(attraction)), asb))
    type_idx.append(np.full(asb.sum(), types.index(_ASB)))
    return np.concatenate(lsoa_idx).astype(np.int64), np.concatenate(type_idx).astype(np.int64)


def _frame(month, lsoa_idx, type_idx, places, types, rng) -> pd.DataFrame:
    """The month's file: a map point, Crime ID and outcome drawn for every row, then sorted."""
    n = len(lsoa_idx)
    has_place = lsoa_idx >= 0
    safe = np.where(has_place, lsoa_idx, 0)
    npoints = places.start[safe + 1] - places.start[safe]
    point = places.start[safe] + (rng.random(n) * npoints).astype(np.int64)
    is_asb = type_idx == types.index(_ASB)
    ids = np.frombuffer(rng.bytes(32 * n), dtype=np.uint8).reshape(n, 32)
    crime_id = np.array([row.tobytes().hex() for row in ids], dtype=object)
    crime_id[is_asb] = ""
    outcome_names = np.array([o for o, _ in tables.outcomes()])
    outcome_p = np.array([p for _, p in tables.outcomes()])
    outcome_p = outcome_p / outcome_p.sum()
    outcome = outcome_names[rng.choice(len(outcome_names), size=n, p=outcome_p)].astype(object)
    outcome[is_asb] = ""
    frame = pd.DataFrame(
        {
            "Crime ID": crime_id,
            "Month": month,
            "Reported by": _POLICE,
            "Falls within": _POLICE,
            "Longitude": np.where(has_place, places.lon[point], ""),
            "Latitude": np.where(has_place, places.lat[point], ""),
            "Location": np.where(has_place, places.name[point], "No Location"),
            "LSOA code": np.where(has_place, places.lsoas["code"].to_numpy()[safe], ""),
            "LSOA name": np.where(has_place, places.lsoas["name"].to_numpy()[safe], ""),
            "Crime type": np.array(types)[type_idx],
            "Last outcome category": outcome,
            "Context": "",
        }
    )
    frame["_last"] = ~has_place
    frame = frame.sort_values(["_last", "LSOA name", "Crime type"], kind="stable")
    return frame[list(ALL_COLUMNS)]


def write(out: Path, draw: Draw) -> dict[str, Path]:
    """Write the 12 monthly files into ``out/street``; returns {"street": folder}."""
    wards = draw.map.wards[draw.map.wards["borough_index"] == draw.map.focus]
    places = _places(draw, wards)
    types, cat_type = _crime_types()
    folder = out / FILES["street"]
    folder.mkdir(parents=True, exist_ok=True)
    months = draw.counts.months
    for m in range(len(months) - _MONTHS, len(months)):
        lsoa_idx, type_idx = _month_rows(draw, wards, places, m, types, cat_type)
        frame = _frame(months[m], lsoa_idx, type_idx, places, types, draw.rng)
        to_csv(frame, folder / f"{months[m]}-demo-street.csv")
    return {"street": folder}
