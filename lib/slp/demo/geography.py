"""The fixed fictional map: 32 boroughs, their wards and LSOAs, names and populations.

The map never depends on the ``seed`` of :func:`slp.demo.write_demo`: it is drawn from its own
generator (:data:`MAP_SEED`), so a parameters file can name a demo ward. Boroughs are a jittered
hex lattice of Voronoi cells clipped to a wobbling 45 x 35 km ellipse over the British National
Grid; wards and LSOAs are Lloyd-relaxed Voronoi cells of their parents, so each level tiles the
one above.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from slp.boroughs import DEMO_BOROUGH, DEMO_BOROUGHS, DEMO_COMPARATORS
from slp.demo import tables

#: The map's own seed: names, boundaries and populations are the same for every demo seed.
MAP_SEED = 20170101
BNG = "EPSG:27700"
_MAP_CENTRE = (531_000.0, 180_500.0)  # British National Grid, metres
_MAP_SEMI_AXES = (22_500.0, 17_500.0)  # a 45 x 35 km ellipse
#: The West End analogue: the borough at the centre of the map.
CENTRAL_BOROUGH = "Kingsreach"
#: Axial hex-lattice positions of the focus borough and its comparators (lattice neighbours, so
#: their cells share a boundary).
_FOCUS_CELL = (2, -2)
_COMPARATOR_CELLS = ((2, -1), (1, -2))
_FOCUS_POPULATION = 280_000
_FOCUS_WARDS = 18
#: The airport ward (an ``Aviation Security (SO18)`` row set in the ward file) sits in this borough.
AIRPORT_BOROUGH = "Yarrowfield"
AIRPORT_WARD = "Aerodrome Fields"


@dataclass(frozen=True)
class DemoMap:
    """The fixed fictional geography (internal; read it back from the written files)."""

    boroughs: gpd.GeoDataFrame  # name, code, population, level, centrality, geometry
    # code, name, borough, borough_index, population, level, reach, geometry and hot: 2 for
    # the town-centre ward, 1 for its neighbours, 0 elsewhere
    wards: gpd.GeoDataFrame
    lsoas: gpd.GeoDataFrame  # code, name, ward (code), borough, population, age bands, geometry

    @property
    def focus(self) -> int:
        """Row of the focus borough (:data:`slp.boroughs.DEMO_BOROUGH`) in :attr:`boroughs`."""
        return int(self.boroughs.index[self.boroughs["name"] == DEMO_BOROUGH][0])


def _outline() -> shapely.Polygon:
    """A gently wobbling ellipse: the edge of the fictional London."""
    theta = np.linspace(0.0, 2.0 * np.pi, 240, endpoint=False)
    wobble = 1.0 + 0.04 * np.sin(3 * theta + 0.7) + 0.025 * np.sin(5 * theta + 2.1)
    wobble += 0.015 * np.sin(8 * theta + 0.3)
    x = _MAP_CENTRE[0] + _MAP_SEMI_AXES[0] * wobble * np.cos(theta)
    y = _MAP_CENTRE[1] + _MAP_SEMI_AXES[1] * wobble * np.sin(theta)
    return shapely.Polygon(np.round(np.column_stack([x, y]), 1))


def voronoi_cells(points: np.ndarray, clip: shapely.Geometry) -> np.ndarray:
    """Voronoi cells of ``points`` (in input order) clipped to ``clip``; they tile ``clip``."""
    extent = shapely.box(*clip.buffer(1000.0).bounds)
    cells = shapely.voronoi_polygons(shapely.multipoints(points), extend_to=extent, ordered=True)
    return shapely.intersection(shapely.get_parts(cells), clip)


def points_inside(polygon: shapely.Geometry, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` uniform random points inside ``polygon`` (rejection sampling)."""
    minx, miny, maxx, maxy = polygon.bounds
    found = np.empty((0, 2))
    while len(found) < n:
        cand = rng.uniform((minx, miny), (maxx, maxy), size=(4 * n + 16, 2))
        found = np.vstack([found, cand[shapely.contains_xy(polygon, cand[:, 0], cand[:, 1])]])
    return found[:n]


def relaxed_cells(polygon: shapely.Geometry, n: int, rng: np.random.Generator, rounds: int):
    """Split ``polygon`` into ``n`` compact cells: a Voronoi of random seeds, Lloyd-relaxed."""
    seeds = points_inside(polygon, n, rng)
    cells = voronoi_cells(seeds, polygon)
    for _ in range(rounds):
        seeds = shapely.get_coordinates(shapely.centroid(cells))
        cells = voronoi_cells(seeds, polygon)
    return cells


def _name_pool(rng: np.random.Generator) -> Iterator[str]:
    """An endless supply of fictional place names, unique across the map."""
    names = tables.names()
    used: set[str] = set()
    endings = [e for e, _ in names.ward_endings]
    weights = np.array([w for _, w in names.ward_endings])
    weights = weights / weights.sum()
    while True:
        stem = names.stems[rng.integers(len(names.stems))]
        name = stem + endings[rng.choice(len(endings), p=weights)]
        if name not in used:
            used.add(name)
            yield name


@functools.lru_cache(maxsize=1)
def build_map() -> DemoMap:
    """Build the fixed fictional map: boroughs, wards and LSOAs with populations.

    Cached: the map is the same on every call (``build_map.cache_clear()`` rebuilds it).
    """
    rng = np.random.default_rng(MAP_SEED)
    boroughs = _boroughs(rng)
    wards = wards_of(boroughs, rng)
    lsoas = lsoas_of(wards, rng)
    return DemoMap(boroughs=boroughs, wards=wards, lsoas=lsoas)


def _boroughs(rng: np.random.Generator) -> gpd.GeoDataFrame:
    """The 32 boroughs: names placed on purpose, crime level, population, centrality."""
    outline = _outline()
    a, b = _MAP_SEMI_AXES
    spacing = float(np.sqrt(np.pi * a * b / 32 / (np.sqrt(3) / 2)))

    # Borough seeds: the 32 points of a jittered hex lattice nearest the middle of the ellipse.
    axial = [(i, j) for i in range(-8, 9) for j in range(-8, 9)]
    xy = np.array([(spacing * (i + 0.5 * j), spacing * j * np.sqrt(3) / 2) for i, j in axial])
    radius = np.hypot(xy[:, 0] / a, xy[:, 1] / b)
    angle = np.arctan2(xy[:, 1], xy[:, 0])
    chosen = np.lexsort((angle, np.round(radius, 9)))[:32]
    cells_axial = [axial[k] for k in chosen]
    seeds = xy[chosen] + rng.normal(0.0, 0.12 * spacing, size=(32, 2))
    seeds[0] = 0.0  # the central borough sits at the middle
    seeds += _MAP_CENTRE
    borough_cells = voronoi_cells(seeds, outline)

    # Names: the central borough, the focus borough and its comparators are placed on purpose.
    placed = {(0, 0): CENTRAL_BOROUGH, _FOCUS_CELL: DEMO_BOROUGH}
    placed.update(dict(zip(_COMPARATOR_CELLS, DEMO_COMPARATORS, strict=True)))
    others = [n for n in DEMO_BOROUGHS if n not in placed.values()]
    others = [others[k] for k in rng.permutation(len(others))]
    names = [placed[c] if c in placed else others.pop() for c in cells_axial]
    dist = np.hypot(seeds[:, 0] - _MAP_CENTRE[0], seeds[:, 1] - _MAP_CENTRE[1]) / spacing

    # Airport borough: the westernmost outer borough (the real airports sit on the western edge).
    west = int(np.argmin(seeds[:, 0]))
    here = names.index(AIRPORT_BOROUGH)
    names[here], names[west] = names[west], names[here]

    # Borough crime level: highest in the middle, falling outwards (the focus borough is put
    # mid-table when the counts are drawn).
    level = np.where(dist < 0.5, 2.6, np.clip(1.45 - 0.32 * (dist - 1.0), 0.62, 1.5))
    level = level * np.exp(rng.normal(0.0, 0.12, size=32))
    population = rng.integers(170_000, 370_000, size=32)
    population[names.index(CENTRAL_BOROUGH)] = 205_000
    population[names.index(DEMO_BOROUGH)] = _FOCUS_POPULATION + int(rng.integers(-2500, 2500))

    order = np.argsort(names)  # codes follow alphabetical order, as real E09 codes do
    return gpd.GeoDataFrame(
        {
            "name": np.array(names)[order],
            "code": [f"E0990{k + 1:04d}" for k in range(32)],
            "population": population[order],
            "level": level[order],
            "centrality": np.clip(1.0 - dist[order] / 3.2, 0.0, 1.0),
        },
        geometry=borough_cells[order],
        crs=BNG,
    )


def _london_ward_count(borough, rng: np.random.Generator) -> int:
    """Wards of a London borough: 14-22, about one per 17,000 residents (the focus has 18)."""
    if borough["name"] == DEMO_BOROUGH:
        return _FOCUS_WARDS
    return int(np.clip(round(borough["population"] / 17_000 + rng.normal(0, 1.5)), 14, 22))


def wards_of(
    boroughs: gpd.GeoDataFrame,
    rng: np.random.Generator,
    ward_count=_london_ward_count,
    code_prefix: str = "E0590",
) -> gpd.GeoDataFrame:
    """Every borough's wards: a town centre, its hot neighbours, crime falling away from it.

    ``ward_count(borough_row, rng)`` says how many wards a borough has; ward codes are
    ``code_prefix`` and a 4-digit number, in (borough, name) order.
    """
    ward_rows = []
    names_pool = _name_pool(rng)
    for bidx, brow in boroughs.iterrows():
        n_wards = ward_count(brow, rng)
        wcells = relaxed_cells(brow.geometry, n_wards, rng, rounds=3)
        wpop = rng.multinomial(brow["population"], rng.dirichlet(np.full(n_wards, 25.0)))
        centre = shapely.centroid(brow.geometry)
        centre_ward = int(np.argmin(shapely.distance(wcells, centre)))
        touches = shapely.intersects(wcells, wcells[centre_ward].buffer(1.0))
        # Distance from the town centre, in units of the borough's radius.
        reach = shapely.distance(shapely.centroid(wcells), shapely.centroid(wcells[centre_ward]))
        reach = reach / np.sqrt(brow.geometry.area / np.pi)
        wnames = [next(names_pool) for _ in range(n_wards)]
        wnames[centre_ward] = f"{brow['name'].split()[0]} Central"
        if brow["name"] == AIRPORT_BOROUGH:
            far = np.argmin(shapely.get_coordinates(shapely.centroid(wcells))[:, 0])
            wnames[int(far)] = AIRPORT_WARD
        for k in range(n_wards):
            hot = 2 if k == centre_ward else (1 if touches[k] else 0)
            ward_rows.append(
                (brow["name"], bidx, wnames[k], int(wpop[k]), hot, reach[k], wcells[k])
            )

    wards = gpd.GeoDataFrame(
        ward_rows,
        columns=["borough", "borough_index", "name", "population", "hot", "reach", "geometry"],
        geometry="geometry",
        crs=BNG,
    )
    wards = wards.sort_values(["borough", "name"], kind="stable").reset_index(drop=True)
    wards["code"] = [f"{code_prefix}{k + 1:04d}" for k in range(len(wards))]
    # Crime falls away from the town centre, with some ward-to-ward noise.
    wards["level"] = np.exp(0.3 * (0.6 - wards["reach"]) + rng.normal(0.0, 0.15, size=len(wards)))
    return wards


def lsoas_of(
    wards: gpd.GeoDataFrame,
    rng: np.random.Generator,
    per_lsoa: float = 1900.0,
    bounds: tuple[int, int] = (6, 10),
    code_prefix: str = "E0190",
) -> gpd.GeoDataFrame:
    """LSOAs: about one per ``per_lsoa`` residents, ``bounds`` a ward (6-10 in London),
    numbered in MSOA-like groups from north to south within a borough; codes are
    ``code_prefix`` and a 4-digit number, in (borough, name) order."""
    lsoa_rows = []
    for bname, bward in wards.groupby("borough", sort=True):
        north_first = bward.assign(y=shapely.get_y(shapely.centroid(bward.geometry.values)))
        north_first = north_first.sort_values("y", ascending=False, kind="stable")
        msoa = 0
        for _, wrow in north_first.iterrows():
            n_lsoa = int(
                np.clip(round(wrow["population"] / per_lsoa + rng.normal(0, 0.7)), *bounds)
            )
            lcells = relaxed_cells(wrow.geometry, n_lsoa, rng, rounds=2)
            lpop = rng.multinomial(wrow["population"], rng.dirichlet(np.full(n_lsoa, 30.0)))
            for group in np.array_split(np.arange(n_lsoa), int(np.ceil(n_lsoa / 5))):
                msoa += 1
                for letter, k in enumerate(group):
                    name = f"{bname} {msoa:03d}{chr(ord('A') + letter)}"
                    lsoa_rows.append((name, wrow["code"], bname, int(lpop[k]), lcells[k]))
    lsoas = gpd.GeoDataFrame(
        lsoa_rows,
        columns=["name", "ward", "borough", "population", "geometry"],
        geometry="geometry",
        crs=BNG,
    )
    lsoas = lsoas.sort_values(["borough", "name"], kind="stable").reset_index(drop=True)
    lsoas["code"] = [f"{code_prefix}{k + 1:04d}" for k in range(len(lsoas))]
    bands = tables.age_bands()
    profile = np.asarray([p for _, p in bands], dtype=float) / sum(p for _, p in bands)
    shares = rng.dirichlet(profile * 1500.0, size=len(lsoas))
    ages = np.vstack(
        [rng.multinomial(p, s) for p, s in zip(lsoas["population"], shares, strict=True)]
    )
    for j, (band, _) in enumerate(bands):
        lsoas[band] = ages[:, j]
    return lsoas
