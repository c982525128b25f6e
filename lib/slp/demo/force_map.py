"""The fixed fictional geography of the demo force: authorities, wards, LSOAs 2011 and 2021.

:data:`slp.boroughs.DEMO_FORCE` polices five fictional authorities
(:data:`slp.boroughs.DEMO_FORCE_AUTHORITIES`) on a wobbling 56 x 40 km ellipse placed over the
British National Grid well away from the demo's London; a sixth authority
(:data:`slp.boroughs.DEMO_FORCE_NEIGHBOUR`) lies on its eastern edge, outside the force. Wards
and LSOAs are drawn as the London demo's are (:func:`slp.demo.geography.wards_of`,
:func:`~slp.demo.geography.lsoas_of`), smaller: about 6,500 residents a ward and 1,700 an
LSOA, so the smallest authority has few wards and small counts.

The LSOA 2011 -> 2021 change: the LSOAs drawn first are the 2011 ones. In 2021 the two most
populous LSOAs of every member authority are split in two; their children are named with the
next free letters of their MSOA ("Wexmouth 004D" -> "Wexmouth 004E" and "Wexmouth 004F") and get
new codes after every other one, so the 2011 code and name are absent from the 2021 lookup (as
real splits are). Like :mod:`slp.demo.geography`, the map never depends on the demo's seed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from slp.boroughs import DEMO_FORCE_AUTHORITIES, DEMO_FORCE_NEIGHBOUR
from slp.demo.geography import BNG, DemoMap, lsoas_of, relaxed_cells, voronoi_cells, wards_of

#: The force map's own seed.
FORCE_MAP_SEED = 20230101
#: The focus authority of ``params/demo-force.yaml`` (the largest town).
FORCE_AREA = "Wexmouth"
_CENTRE = (452_000.0, 318_000.0)  # British National Grid, metres
_SEMI_AXES = (28_000.0, 20_000.0)
#: Authority: (seed position as a share of the semi-axes, residents, crime level).
_AUTHORITIES = {
    "Wexmouth": ((-0.15, 0.05), 131_000, 1.3),
    "Harlbury": ((0.25, 0.55), 96_000, 1.05),
    "Stonecombe": ((-0.6, 0.5), 74_000, 0.95),
    "Ferrowdale": ((-0.55, -0.5), 52_000, 0.8),
    "Morrick Vale": ((0.25, -0.55), 34_000, 0.55),
    DEMO_FORCE_NEIGHBOUR: ((0.85, 0.0), 88_000, 1.0),
}
_SPLITS_PER_AUTHORITY = 2
_CODES = {"lad": "E0690000", "ward": "E0595", "lsoa": "E0195"}


@dataclass(frozen=True)
class ForceMap:
    """The force's geography (internal; read it back from the written files).

    ``map.boroughs`` holds the five member authorities and the neighbour; ``map.lsoas`` the
    LSOA 2021s, with ``code11``/``name11``: the LSOA 2011 each was part of (its own code and
    name where it did not change), and ``border``: a neighbour LSOA touching the force.
    """

    map: DemoMap
    members: tuple[str, ...]

    @property
    def split(self) -> pd.DataFrame:
        """The LSOA 2021s whose 2011 LSOA was split: ``code, name, code11, name11``."""
        lsoas = self.map.lsoas
        return lsoas.loc[lsoas["code"] != lsoas["code11"], ["code", "name", "code11", "name11"]]


def _outline() -> shapely.Polygon:
    theta = np.linspace(0.0, 2.0 * np.pi, 180, endpoint=False)
    wobble = 1.0 + 0.05 * np.sin(3 * theta + 1.1) + 0.03 * np.sin(7 * theta + 0.4)
    x = _CENTRE[0] + _SEMI_AXES[0] * wobble * np.cos(theta)
    y = _CENTRE[1] + _SEMI_AXES[1] * wobble * np.sin(theta)
    return shapely.Polygon(np.round(np.column_stack([x, y]), 1))


def _authorities(rng: np.random.Generator) -> gpd.GeoDataFrame:
    names = sorted(_AUTHORITIES)
    share = np.array([_AUTHORITIES[n][0] for n in names])
    seeds = np.array(_CENTRE) + share * np.array(_SEMI_AXES)
    seeds += rng.normal(0.0, 0.04 * _SEMI_AXES[1], size=seeds.shape)
    population = [_AUTHORITIES[n][1] + int(rng.integers(-1500, 1500)) for n in names]
    return gpd.GeoDataFrame(
        {
            "name": names,
            "code": [f"{_CODES['lad']}{k + 1}" for k in range(len(names))],
            "population": population,
            "level": [_AUTHORITIES[n][2] for n in names],
            "centrality": 0.0,
        },
        geometry=voronoi_cells(seeds, _outline()),
        crs=BNG,
    )


def _ward_count(authority, rng: np.random.Generator) -> int:
    return int(np.clip(round(authority["population"] / 6_500 + rng.normal(0, 1.0)), 6, 24))


def _children(parent: pd.Series, used: set[str], rng: np.random.Generator) -> list[dict]:
    """The two LSOA 2021s a 2011 LSOA is split into: next free letters, population halved."""
    stem = parent["name"][:-1]
    letters = [c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if f"{stem}{c}" not in used][:2]
    cells = relaxed_cells(parent.geometry, 2, rng, rounds=2)
    share = rng.uniform(0.4, 0.6)
    bands = [c for c in parent.index if str(c).startswith("Aged ")]
    first = {band: int(rng.binomial(parent[band], share)) for band in bands}
    out = []
    for k, letter in enumerate(letters):
        ages = first if k == 0 else {band: int(parent[band]) - first[band] for band in bands}
        used.add(f"{stem}{letter}")
        out.append(
            {
                **parent.to_dict(),
                **ages,
                "name": f"{stem}{letter}",
                "population": sum(ages.values()),
                "geometry": cells[k],
                "code11": parent["code"],
                "name11": parent["name"],
            }
        )
    return out


def _split(lsoas: gpd.GeoDataFrame, members: list[str], rng) -> gpd.GeoDataFrame:
    """LSOA 2011s -> 2021s: the largest LSOAs of each member split in two, with new codes."""
    lsoas = lsoas.assign(code11=lsoas["code"], name11=lsoas["name"])
    chosen = []
    for name in members:
        own = lsoas.loc[lsoas["borough"] == name]
        chosen += list(own.sort_values("population", ascending=False).index[:_SPLITS_PER_AUTHORITY])
    used = set(lsoas["name"])
    children = [row for k in sorted(chosen) for row in _children(lsoas.loc[k], used, rng)]
    new = gpd.GeoDataFrame(children, geometry="geometry", crs=BNG)
    last = int(lsoas["code"].str[-4:].astype(int).max())
    new["code"] = [f"{_CODES['lsoa']}{last + k + 1:04d}" for k in range(len(new))]
    out = pd.concat([lsoas.drop(index=chosen), new], ignore_index=True)
    out = out.sort_values(["borough", "name"], kind="stable").reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=BNG)


@functools.lru_cache(maxsize=1)
def build_force_map() -> ForceMap:
    """Build the fixed fictional force map (cached: the same on every call)."""
    rng = np.random.default_rng(FORCE_MAP_SEED)
    authorities = _authorities(rng)
    wards = wards_of(authorities, rng, ward_count=_ward_count, code_prefix=_CODES["ward"])
    lsoas11 = lsoas_of(wards, rng, per_lsoa=1_700.0, bounds=(3, 6), code_prefix=_CODES["lsoa"])
    members = sorted(DEMO_FORCE_AUTHORITIES)
    lsoas = _split(lsoas11, members, rng)
    force = shapely.union_all(authorities.geometry[authorities["name"].isin(members)].values)
    lsoas["border"] = (lsoas["borough"] == DEMO_FORCE_NEIGHBOUR) & shapely.intersects(
        lsoas.geometry.values, force.buffer(300.0)
    )
    return ForceMap(
        map=DemoMap(boroughs=authorities, wards=wards, lsoas=lsoas), members=tuple(members)
    )
