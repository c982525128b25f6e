"""Writes Census 2021 TS007a populations (boroughs and LSOAs) and the ONS LSOA-to-ward lookup.

Headers come from the loaders (:data:`slp.sources.population.CENSUS_COLUMNS` then one
``Age: <band>`` column per band of ``data/age_bands.csv``;
:data:`slp.sources.boundaries.ONS_LOOKUP_COLUMNS`). The lookup is UTF-8 with a byte-order mark,
byte for byte like the real one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from slp.demo import tables
from slp.demo._write import to_csv
from slp.demo.counts import Draw
from slp.demo.geography import DemoMap
from slp.sources.boundaries import ONS_LOOKUP_COLUMNS
from slp.sources.population import CENSUS_COLUMNS

#: Paths written under ``out``, by role.
FILES = {
    "population_ltla": "population/demo-census2021-ts007a-ltla.csv",
    "population_lsoa": "population/demo-census2021-ts007a-lsoa.csv",
    "lsoa_ward_lookup": "population/demo-lsoa21-ward-lad-lookup.csv",
}
_CENSUS_YEAR = 2021


def census_table(names: pd.Series, codes: pd.Series, ages: pd.DataFrame) -> pd.DataFrame:
    """One TS007a table: ``date, geography, geography code, Age: Total, Age: <band>...``."""
    frame = pd.DataFrame(
        {
            "date": _CENSUS_YEAR,
            "geography": names.to_numpy(),
            "geography code": codes.to_numpy(),
            "Age: Total": ages.sum(axis=1).to_numpy(),
        }
    )
    for band in ages.columns:
        frame[f"Age: {band}"] = ages[band].to_numpy()
    return frame[[*CENSUS_COLUMNS, *(f"Age: {band}" for band in ages.columns)]]


def lookup_table(demo: DemoMap) -> pd.DataFrame:
    """The ONS lookup: one row per LSOA with its ward and borough, Welsh names empty."""
    lsoas, wards, boroughs = demo.lsoas, demo.wards, demo.boroughs
    lad_code = dict(zip(boroughs["name"], boroughs["code"], strict=True))
    lookup = pd.DataFrame(
        {
            "LSOA21CD": lsoas["code"],
            "LSOA21NM": lsoas["name"],
            "LSOA21NMW": "",
            "WD25CD": lsoas["ward"],
            "WD25NM": wards.set_index("code").loc[lsoas["ward"], "name"].to_numpy(),
            "WD25NMW": "",
            "LAD25CD": lsoas["borough"].map(lad_code),
            "LAD25NM": lsoas["borough"],
            "LAD25NMW": "",
        }
    )
    lookup = lookup.sort_values(["LAD25CD", "WD25CD", "LSOA21CD"], kind="stable")
    lookup["ObjectId"] = np.arange(1, len(lookup) + 1)
    return lookup[list(ONS_LOOKUP_COLUMNS)]


def write(out: Path, draw: Draw) -> dict[str, Path]:
    """Write both population files and the lookup into ``out``; returns {role: path}."""
    lsoas, boroughs = draw.map.lsoas, draw.map.boroughs
    bands = [band for band, _ in tables.age_bands()]
    by_borough = lsoas.groupby("borough", sort=True)[bands].sum().loc[boroughs["name"]]
    paths = {role: out / relative for role, relative in FILES.items()}
    to_csv(census_table(boroughs["name"], boroughs["code"], by_borough), paths["population_ltla"])
    to_csv(census_table(lsoas["name"], lsoas["code"], lsoas[bands]), paths["population_lsoa"])
    to_csv(lookup_table(draw.map), paths["lsoa_ward_lookup"], bom=True)
    return paths
