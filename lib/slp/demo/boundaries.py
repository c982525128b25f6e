"""Writes the boundary GeoPackages: wards, boroughs and LSOAs, in British National Grid.

Column names follow the ONS boundary files of the vintage each level is drawn as (wards and
boroughs 2022, LSOAs 2021); the loader recognises any ``<LEVEL><yy>CD``/``NM`` pair. The
GeoPackages' timestamp is pinned, so the same map gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from slp.demo._write import to_gpkg
from slp.demo.counts import Draw
from slp.demo.geography import BNG

#: Paths written under ``out``, by role.
FILES = {
    "ward_boundaries": "boundaries/wards.gpkg",
    "borough_boundaries": "boundaries/boroughs.gpkg",
    "lsoa_boundaries": "boundaries/lsoa.gpkg",
}


def write(out: Path, draw: Draw) -> dict[str, Path]:
    """Write the three boundary files into ``out``; returns {role: path}."""
    wards, boroughs, lsoas = draw.map.wards, draw.map.boroughs, draw.map.lsoas
    frames = {
        "ward_boundaries": gpd.GeoDataFrame(
            {"WD22CD": wards["code"], "WD22NM": wards["name"], "LAD22NM": wards["borough"]},
            geometry=wards.geometry.values,
            crs=BNG,
        ),
        "borough_boundaries": gpd.GeoDataFrame(
            {"LAD22CD": boroughs["code"], "LAD22NM": boroughs["name"]},
            geometry=boroughs.geometry.values,
            crs=BNG,
        ),
        "lsoa_boundaries": gpd.GeoDataFrame(
            {"LSOA21CD": lsoas["code"], "LSOA21NM": lsoas["name"]},
            geometry=lsoas.geometry.values,
            crs=BNG,
        ),
    }
    paths = {}
    for role, frame in frames.items():
        paths[role] = out / FILES[role]
        to_gpkg(frame, paths[role])
    return paths
