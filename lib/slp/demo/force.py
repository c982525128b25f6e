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

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from slp.boroughs import DEMO_FORCE, DEMO_FORCE_NEIGHBOUR
from slp.demo import tables
from slp.demo._write import to_csv, to_gpkg
from slp.demo.counts import Draw, demo_months
from slp.demo.force_crimes import ASB, Crimes, draw_crimes
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


@dataclass(frozen=True)
class _Where:
    """Where every street row is, as indices: its map point into ``lon``, ``lat``,
    ``location`` and its LSOA as written (2011 or 2021) and in 2021 into ``codes``, ``names``
    (the last entry of each: no location)."""

    located: np.ndarray
    point: np.ndarray
    written: np.ndarray
    lsoa21: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    location: np.ndarray
    codes: np.ndarray
    names: np.ndarray


def _where(force: ForceMap, crimes: Crimes, rng: np.random.Generator) -> _Where:
    """Every street row's map point, and its LSOA code: the 2011 one for split LSOAs in the
    first months, less and less often."""
    lsoas = force.map.lsoas
    lon, lat, location, start = anonymised_points(
        lsoas.geometry.values, np.random.default_rng(FORCE_MAP_SEED + 1)
    )
    rows = crimes.rows
    lsoa = rows["lsoa"].to_numpy()
    located = lsoa >= 0
    safe = np.where(located, lsoa, 0)
    point = start[safe] + (rng.random(len(rows)) * (start[safe + 1] - start[safe])).astype(int)
    split = located & (lsoas["code11"].to_numpy()[safe] != lsoas["code"].to_numpy()[safe])
    month = rows["month"].to_numpy()
    keep_old = np.clip(0.85 - 0.13 * month, 0.0, 1.0) * (month < CODE_CHANGE_MONTHS)
    old = split & (rng.random(len(rows)) < keep_old)
    n = len(lsoas)
    return _Where(
        located=located,
        point=np.where(located, point, len(lon)),
        written=np.where(located, np.where(old, n + safe, safe), 2 * n),
        lsoa21=np.where(located, safe, 2 * n),
        lon=np.append(lon, ""),
        lat=np.append(lat, ""),
        location=np.append(location, "No Location"),
        codes=np.concatenate([lsoas["code"], lsoas["code11"], [""]]).astype(str),
        names=np.concatenate([lsoas["name"], lsoas["name11"], [""]]).astype(str),
    )


def _rank(values: np.ndarray) -> np.ndarray:
    """Each value's position among the distinct values, sorted (equal values, equal rank)."""
    return np.unique(values, return_inverse=True)[1]


def _table(columns: dict, order: tuple[str, ...]):
    """A polars frame of ``columns`` in ``order`` plus ``_month``; each column is an array,
    a (values, index) pair (the values at the index: cheap text columns) or one text. Empty
    text becomes null, which polars writes as nothing, as police.uk does."""
    import polars as pl

    def series(name, value):
        if isinstance(value, tuple):
            return pl.Series(name, value[0]).gather(value[1])
        if isinstance(value, str):
            return pl.repeat(value, len(columns["_month"]), eager=True).alias(name)
        return pl.Series(name, value)

    frame = pl.DataFrame([series(k, v) for k, v in columns.items()])
    return frame.select([*order, "_month"]).with_columns(pl.col(pl.String).replace("", None))


def _street(crimes: Crimes, where: _Where):
    """Every street row in police.uk's columns and order, with ``_month`` to split the files:
    by LSOA name, rows with no location last."""
    rows = crimes.rows
    month, kind = rows["month"].to_numpy(), rows["type"].to_numpy()
    name_rank = _rank(where.names)[where.written]
    order = np.lexsort((_rank(np.array(crimes.types))[kind], name_rank, ~where.located, month))
    point = where.point[order]
    return _table(
        {
            "Crime ID": rows["crime_id"].to_numpy()[order],
            "Month": (crimes.months, month[order]),
            "Reported by": DEMO_FORCE,
            "Falls within": DEMO_FORCE,
            "Longitude": (where.lon, point),
            "Latitude": (where.lat, point),
            "Location": (where.location, point),
            "LSOA code": (where.codes, where.written[order]),
            "LSOA name": (where.names, where.written[order]),
            "Crime type": (crimes.types, kind[order]),
            "Last outcome category": rows["last_outcome"].to_numpy()[order],
            "Context": "",
            "_month": month[order],
        },
        ALL_COLUMNS,
    )


def _outcome_rows(crimes: Crimes, where: _Where):
    """Every outcomes row in police.uk's columns, with ``_month`` to split the files. An
    outcome published after the code change carries the 2021 code."""
    out, rows = crimes.outcomes, crimes.rows
    row, month = out["row"].to_numpy(), out["month"].to_numpy()
    point = where.point[row]
    lsoa = np.where(month >= CODE_CHANGE_MONTHS, where.lsoa21[row], where.written[row])
    return _table(
        {
            "Crime ID": rows["crime_id"].to_numpy()[row],
            "Month": (crimes.months, month),
            "Reported by": DEMO_FORCE,
            "Falls within": DEMO_FORCE,
            "Longitude": (where.lon, point),
            "Latitude": (where.lat, point),
            "Location": (np.append(where.location[:-1], "No location"), point),
            "LSOA code": (where.codes, lsoa),
            "LSOA name": (where.names, lsoa),
            "Outcome type": out["outcome"].to_numpy(),
            "_month": month,
        },
        OUTCOME_COLUMNS,
    )


def _write_months(folder: Path, months: list[str], street, outcomes) -> None:
    """Write each month's two files (polars: several times faster than pandas here)."""
    for kind, table in (("street", street), ("outcomes", outcomes)):
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


def _readme(force: ForceMap, crimes: Crimes, seed: int) -> str:
    rows = crimes.rows.loc[crimes.rows["lsoa"] >= 0]
    authority = force.map.lsoas["borough"].to_numpy()[rows["lsoa"].to_numpy()]
    counts = pd.Series(authority).value_counts()
    asb = pd.Series(authority[rows["type"].to_numpy() == crimes.types.index(ASB)]).value_counts()
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
        f"{int((crimes.rows['lsoa'] < 0).sum()):,} street rows have no location.\n"
    )


def write(out: Path, draw: Draw) -> dict[str, Path]:
    """Write the force's files under ``out``; returns {role: path}."""
    rng = np.random.default_rng([draw.seed, _STREAM])
    force = build_force_map()
    crimes = draw_crimes(force, demo_months()[-MONTHS:], rng)
    where = _where(force, crimes, rng)
    street = _street(crimes, where)
    paths = {role: out / relative for role, relative in FILES.items()}
    _write_months(paths["force_police_uk"], crimes.months, street, _outcome_rows(crimes, where))
    _geography(force, paths)
    text = _readme(force, crimes, draw.seed)
    paths["force_readme"].write_text(text, encoding="utf-8")
    return paths
