"""File-writing helpers shared by the demo's writers (private)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

_GPKG_DATE = "2026-10-01T00:00:00.000Z"  # fixed gpkg_contents.last_change: identical bytes


def to_csv(frame: pd.DataFrame, path: Path, *, bom: bool = False) -> None:
    """Write ``frame`` as the real files are: LF line ends, minimal quoting, no index."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8-sig" if bom else "utf-8")


def to_gpkg(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Write a one-layer GeoPackage whose bytes do not depend on the day it is written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    before = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": _GPKG_DATE})
    try:
        pyogrio.write_dataframe(
            frame, path, layer=path.stem, driver="GPKG", layer_options={"SPATIAL_INDEX": "NO"}
        )
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": before})
