"""Writes the demo force: police.uk street and outcomes files, populations, lookup, boundaries.

The force (:data:`slp.boroughs.DEMO_FORCE`, five fictional authorities and a neighbour; map in
:mod:`slp.demo.force_map`, rows in :mod:`slp.demo.force_crimes`) is written under ``wexshire/``
in the layouts of a police.uk download and the ONS files:

* ``police-uk/YYYY-MM/YYYY-MM-wexshire-street.csv`` and ``...-outcomes.csv``: 36 months ending
  at :data:`slp.demo.counts.DEMO_LAST_MONTH`, the columns of police.uk exactly, LF line ends,
  minimal quoting. Street rows are sorted by LSOA name, rows with no location ("No Location",
  empty coordinates and LSOA) last; anti-social behaviour rows have no Crime ID and no outcome.
  Outcomes rows give the crime's location ("No location" when it has none) and are in order of
  the crime's row. In the first :data:`CODE_CHANGE_MONTHS` months, rows in the LSOAs that were
  split in 2021 carry the 2011 code and name with a falling probability (the real 2022 files
  mix the two vintages the same way).
* ``population/``: Census 2021 TS007a by authority and by LSOA 2021, and the LSOA 2021 -> ward
  -> authority lookup, in the demo's own population layouts (:mod:`slp.demo.population`).
* ``boundaries/lsoa21.gpkg``: LSOA 2021 polygons (``LSOA21CD``, ``LSOA21NM``), British
  National Grid.

The rows come from the demo's seed through their own generator (``default_rng([seed, 16])``),
so the London files stay byte-identical; the map is fixed.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from slp.boroughs import DEMO_FORCE, DEMO_FORCE_NEIGHBOUR
from slp.demo import tables
from slp.demo._write import to_csv, to_gpkg
from slp.demo.counts import Draw, demo_months
from slp.demo.force_crimes import Crimes, draw_crimes
from slp.demo.force_map import FORCE_MAP_SEED, ForceMap, build_force_map
from slp.demo.geography import BNG
from slp.demo.population import census_table, lookup_table
from slp.demo.readme import MARK
from slp.demo.street import anonymised_points
from slp.sources.street import ALL_COLUMNS

SLUG = "wexshire"
#: Months of police.uk files written (ending at the demo's last month).
MONTHS = 36
#: The first months whose files mix LSOA 2011 and 2021 codes.
CODE_CHANGE_MONTHS = 6
#: The outcomes files' columns, as police.uk publishes them.
OUTCOME_COLUMNS = (*ALL_COLUMNS[:9], "Outcome type")
#: Paths written under ``out``, by role.
FILES = {
    "force_readme": f"{SLUG}/README.md",
    "force_police_uk": f"{SLUG}/police-uk",
    "force_population_ltla": f"{SLUG}/population/demo-force-census2021-ts007a-ltla.csv",
    "force_population_lsoa": f"{SLUG}/population/demo-force-census2021-ts007a-lsoa.csv",
    "force_lsoa_ward_lookup": f"{SLUG}/population/demo-force-lsoa21-ward25-lad25-lookup.csv",
    "force_lsoa_boundaries": f"{SLUG}/boundaries/lsoa21.gpkg",
}
_STREAM = 16  # the force's own random stream: default_rng([seed, 16])


def _places(force: ForceMap, crimes: Crimes, rng: np.random.Generator) -> pd.DataFrame:
    """Every street row's written location: longitude, latitude, Location, LSOA code and name
    as written (2011 or 2021), and ``code21``/``name21`` (the 2021 ones)."""
    lsoas = force.map.lsoas
    lon, lat, names, start = anonymised_points(
        lsoas.geometry.values, np.random.default_rng(FORCE_MAP_SEED + 1)
    )
    rows = crimes.rows
    lsoa = rows["lsoa"].to_numpy()
    located = lsoa >= 0
    safe = np.where(located, lsoa, 0)
    point = start[safe] + (rng.random(len(rows)) * (start[safe + 1] - start[safe])).astype(int)
    code21 = np.where(located, lsoas["code"].to_numpy()[safe], "")
    name21 = np.where(located, lsoas["name"].to_numpy()[safe], "")
    # Split LSOAs keep their 2011 code in the first months, less and less often.
    split = located & (lsoas["code11"].to_numpy()[safe] != lsoas["code"].to_numpy()[safe])
    month = rows["month"].to_numpy()
    keep_old = np.clip(0.85 - 0.13 * month, 0.0, 1.0) * (month < CODE_CHANGE_MONTHS)
    old = split & (rng.random(len(rows)) < keep_old)
    return pd.DataFrame(
        {
            "Longitude": np.where(located, lon[point], ""),
            "Latitude": np.where(located, lat[point], ""),
            "Location": np.where(located, names[point], "No Location"),
            "LSOA code": np.where(old, lsoas["code11"].to_numpy()[safe], code21),
            "LSOA name": np.where(old, lsoas["name11"].to_numpy()[safe], name21),
            "code21": code21,
            "name21": name21,
        }
    )


def _street(crimes: Crimes, places: pd.DataFrame) -> pd.DataFrame:
    """Every street row in police.uk's columns, with ``_month`` (index) to split the files."""
    rows = crimes.rows
    frame = places[["Longitude", "Latitude", "Location", "LSOA code", "LSOA name"]].assign(
        **{
            "Crime ID": rows["crime_id"].to_numpy(),
            "Month": np.array(crimes.months)[rows["month"].to_numpy()],
            "Reported by": DEMO_FORCE,
            "Falls within": DEMO_FORCE,
            "Crime type": np.array(crimes.types)[rows["type"].to_numpy()],
            "Last outcome category": rows["last_outcome"].to_numpy(),
            "Context": "",
            "_month": rows["month"].to_numpy(),
            "_last": rows["lsoa"].to_numpy() < 0,
        }
    )
    frame = frame.sort_values(["_month", "_last", "LSOA name", "Crime type"], kind="stable")
    return frame[[*ALL_COLUMNS, "_month"]]


def _outcome_rows(crimes: Crimes, places: pd.DataFrame) -> pd.DataFrame:
    """Every outcomes row in police.uk's columns, with ``_month`` (index) to split the files."""
    out, rows = crimes.outcomes, crimes.rows
    row = out["row"].to_numpy()
    month = out["month"].to_numpy()
    at = places.iloc[row]
    # An outcome published after the code change carries the 2021 code.
    late = month >= CODE_CHANGE_MONTHS
    return pd.DataFrame(
        {
            "Crime ID": rows["crime_id"].to_numpy()[row],
            "Month": np.array(crimes.months)[month],
            "Reported by": DEMO_FORCE,
            "Falls within": DEMO_FORCE,
            "Longitude": at["Longitude"].to_numpy(),
            "Latitude": at["Latitude"].to_numpy(),
            "Location": np.where(rows["lsoa"].to_numpy()[row] < 0, "No location",
                                 at["Location"].to_numpy()),
            "LSOA code": np.where(late, at["code21"].to_numpy(), at["LSOA code"].to_numpy()),
            "LSOA name": np.where(late, at["name21"].to_numpy(), at["LSOA name"].to_numpy()),
            "Outcome type": out["outcome"].to_numpy(),
            "_month": month,
        }
    )


def _write_months(folder: Path, months: list[str], street, outcomes) -> None:
    """Write each month's two files (polars: several times faster than pandas here). Empty
    cells become nulls first, which polars writes as nothing at all, as police.uk does."""
    import polars as pl

    for kind, frame in (("street", street), ("outcomes", outcomes)):
        table = pl.from_pandas(frame).with_columns(
            pl.col(pl.String).replace("", None)
        )
        for (m,), part in table.partition_by("_month", as_dict=True, maintain_order=True).items():
            path = folder / months[m] / f"{months[m]}-{SLUG}-{kind}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            part.drop("_month").write_csv(path, quote_style="necessary", line_terminator="\n")


def _geography(force: ForceMap, paths: dict[str, Path]) -> None:
    demo = force.map
    lsoas, authorities = demo.lsoas, demo.boroughs
    bands = [band for band, _ in tables.age_bands()]
    by_authority = lsoas.groupby("borough", sort=True)[bands].sum().loc[authorities["name"]]
    ltla = census_table(authorities["name"], authorities["code"], by_authority)
    to_csv(ltla, paths["force_population_ltla"])
    to_csv(census_table(lsoas["name"], lsoas["code"], lsoas[bands]), paths["force_population_lsoa"])
    to_csv(lookup_table(demo), paths["force_lsoa_ward_lookup"], bom=True)
    boundaries = gpd.GeoDataFrame(
        {"LSOA21CD": lsoas["code"], "LSOA21NM": lsoas["name"]}, geometry=lsoas.geometry.values,
        crs=BNG,
    )
    to_gpkg(boundaries, paths["force_lsoa_boundaries"])


def _readme(force: ForceMap, crimes: Crimes, street: pd.DataFrame, seed: int) -> str:
    by = street.loc[street["LSOA name"] != ""]
    authority = by["LSOA name"].str.replace(r"\s+\d{3}[A-Z]$", "", regex=True)
    counts = authority.groupby(authority).size()
    asb = authority[by["Crime type"] == "Anti-social behaviour"].value_counts()
    people = force.map.boroughs.set_index("name")["population"]
    table = "\n".join(
        f"| {name} | {people[name]:,} | {counts.get(name, 0):,} | {asb.get(name, 0):,} |"
        for name in sorted(counts.index)
    )
    split = force.split
    return (
        f"# {MARK}: the demo force\n\n"
        f"Everything in this folder is {MARK} generated by `slp demo` (seed {seed}): "
        f"'{DEMO_FORCE}', a fictional police force of {len(force.members)} made-up authorities "
        f"({', '.join(force.members)}), with '{DEMO_FORCE_NEIGHBOUR}' next to it, outside the "
        "force. These are NOT real crime figures and every name and code is fictional.\n\n"
        f"`police-uk/` holds {len(crimes.months)} months ({crimes.months[0]} to "
        f"{crimes.months[-1]}) in the police.uk download layout: "
        f"`YYYY-MM/YYYY-MM-{SLUG}-street.csv` and `YYYY-MM/YYYY-MM-{SLUG}-outcomes.csv`. "
        f"In the first {CODE_CHANGE_MONTHS} months, rows in {len(split)} LSOA 2021s split from "
        f"{split['code11'].nunique()} LSOA 2011s often carry the 2011 code and name, which the "
        "2021 lookup does not hold.\n\n"
        "| authority | Census 2021 residents | street rows (all months) | of which ASB |\n"
        f"|---|---|---|---|\n{table}\n\n"
        f"{int((street['LSOA code'] == '').sum()):,} street rows have no location.\n"
    )


def write(out: Path, draw: Draw) -> dict[str, Path]:
    """Write the force's files under ``out``; returns {role: path}."""
    rng = np.random.default_rng([draw.seed, _STREAM])
    force = build_force_map()
    crimes = draw_crimes(force, demo_months()[-MONTHS:], rng)
    places = _places(force, crimes, rng)
    street = _street(crimes, places)
    paths = {role: out / relative for role, relative in FILES.items()}
    _write_months(paths["force_police_uk"], crimes.months, street, _outcome_rows(crimes, places))
    _geography(force, paths)
    text = _readme(force, crimes, street, draw.seed)
    paths["force_readme"].write_text(text, encoding="utf-8")
    return paths
