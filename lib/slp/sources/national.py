"""ONS police recorded crime for every Community Safety Partnership (CSP) in England and Wales.

Reads *Crime in England and Wales: Police force area data tables* (ONS, from Home Office police
recorded crime, fraud excluded), either the workbook (``.xlsx``) or CSV extracts of its tables,
into one tidy frame of offences, populations and rates per 1,000 residents for every CSP,
police force area (PFA), region, country and England and Wales.

Tables are recognised by their header row, not by sheet names or cell positions, so the next
edition drops in:

* a header holding ``Total recorded crime (excluding fraud)`` with ``Community Safety
  Partnership code`` is a CSP table (C2, C4, C5 in the year ending December 2024 edition); with
  ``Area Code`` it is a force/region/country table (P1, P3, P4);
* a header with a ``Population ...`` column is a rates table (population and rate per 1,000),
  otherwise a counts table; a title or file name saying "percentage change" (C3, P2) is skipped;
* a header with ``Community Safety Partnership name`` and ``Local Authority code`` but no total
  is the list of CSPs made of several local authorities (C1).

The 12 months a table covers come from its title ("year ending December 2024") or, for CSV
extracts (which have no title rows), from the file name (``...-ye-dec2024.csv``).

Cells marked ``[x]``, ``[u]``, ``[u1]``, ``[z]``, ``[c]`` (any case) are read as missing and
reported in :attr:`NationalTables.notes`; ``[note n]`` suffixes and trailing spaces are removed
from names.

Rates are recomputed as offences / population x 1,000 and checked against the published rate,
allowing for the population being rounded to 100 in the tables. Populations come from the rates
table of the same level: CSPs use the CSP table's denominators (mid-2022 in the December 2024
edition), forces, regions and countries use the force table's (mid-2023). A year with counts
but no rates table (2023 in that edition) uses the same denominators. A rate the tables mark as
unreliable or suppressed (City of London, ``[u1]``) stays missing in every year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from slp.errors import SourceError
from slp.sources import _ons_tables as _ons
from slp.sources._ons_tables import AREA_TYPES, SOURCE, Table, clean_name

__all__ = ["AREA_TYPES", "COLUMNS", "MARKERS", "SOURCE", "NationalTables", "clean_name",
           "period_label", "read_national"]

#: What each bracketed marker means in the ONS tables (first letter, lower case).
MARKERS = {
    "x": "not available",
    "u": "unreliable or suppressed",
    "z": "not applicable",
    "c": "confidential",
}
#: Columns of :attr:`NationalTables.areas`.
COLUMNS = [
    "period", "period_end", "area_code", "area_name", "area_type", "force_code", "region_code",
    "country", "offences", "population", "population_year", "rate_per_1000",
    "published_rate_per_1000", "table",
]


@dataclass
class NationalTables:
    """The ONS police recorded crime tables, read.

    Attributes
    ----------
    areas : DataFrame
        One row per area and period, columns :data:`COLUMNS`: ``period`` ("2024" for a calendar
        year, else "year ending March 2025"), ``period_end`` ("2024-12"), ``area_code`` (GSS
        code; None for unassigned and other rows), ``area_name``, ``area_type`` ("CSP", "force",
        "region", "country", "England and Wales", "unassigned" or "other"), ``force_code``,
        ``region_code``, ``country`` ("England", "Wales" or None), ``offences`` (total recorded
        crime excluding fraud, Int64), ``population`` (Int64), ``population_year``
        ("mid-2022"), ``rate_per_1000`` (recomputed), ``published_rate_per_1000`` (as printed,
        where the edition has a rates table for that period) and ``table`` (where the row came
        from, e.g. "Table C2 + Table C4").
    members : DataFrame
        Local authorities of each CSP: ``csp_code``, ``csp_name``, ``force_code``, ``la_code``,
        ``la_name``. A CSP made of several authorities has several rows; an authority split into
        several CSPs (Buckinghamshire) appears under each.
    source : str
        Human label of the source for footnotes.
    notes : list of str
        Missing or marked cells and other facts an analyst should know, one sentence each.
    """

    areas: pd.DataFrame
    members: pd.DataFrame
    source: str
    notes: list[str] = field(default_factory=list)

    @property
    def periods(self) -> list[str]:
        """Periods covered, oldest first, e.g. ``["2023", "2024"]``."""
        order = self.areas.drop_duplicates("period").sort_values("period_end")
        return order["period"].tolist()


def read_national(path) -> NationalTables:
    """Read the ONS police force area data tables (workbook or CSV extracts).

    Parameters
    ----------
    path : str or Path
        The workbook (``.xlsx``), one CSV extract, or a folder holding either (searched in
        sub-folders too). When a folder holds both, the workbook's tables are used; when it
        holds several editions, the newer edition's table wins for the same period.

    Returns
    -------
    NationalTables

    Raises
    ------
    SourceError
        No table recognised; a damaged workbook; a missing column; a count, population or rate
        that is not a number or a known marker; a published rate that disagrees with offences /
        population beyond the rounding of the population.

    Examples
    --------
    >>> tables = read_national("../shared/data/home-office-prc-csp")  # doctest: +SKIP
    >>> tables.periods  # doctest: +SKIP
    ['2023', '2024']
    """
    grids = [grid for file in _ons.files(Path(path)) for grid in _ons.grids(file)]
    tables = [t for t in (_ons.parse(g) for g in grids) if t is not None]
    data = [t for t in tables if t.kind in ("counts", "rates")]
    if not data:
        found = ", ".join(sorted({g.name.strip() for g in grids})[:8]) or "nothing readable"
        raise SourceError(
            SOURCE, Path(path), f"holds no police recorded crime table (expected a header row "
            f"with 'Total recorded crime (excluding fraud)'); found: {found}")
    data, notes = _prefer_newest(data)
    areas, more = _assemble(data)
    members = _members(tables)
    return NationalTables(areas=areas, members=members, source=_source_label(Path(path), data),
                          notes=notes + more)


def _prefer_newest(tables: list[Table]) -> tuple[list[Table], list[str]]:
    """One table per (kind, level, period): a newer edition's over an older one's, and the
    workbook's over CSV extracts (silently: extracts of the same workbook are expected).

    An edition is a workbook, or a folder of CSV extracts; its date is its latest period."""

    def edition_of(t: Table) -> Path:
        return t.grid.path if t.grid.is_sheet else t.grid.path.parent

    edition: dict[Path, pd.Period] = {}
    for t in tables:
        edition[edition_of(t)] = max(edition.get(edition_of(t), t.period_end), t.period_end)
    ranked = sorted(tables, key=lambda t: (edition[edition_of(t)], t.grid.is_sheet),
                    reverse=True)
    kept, notes, seen = [], [], {}
    for t in ranked:
        slot = (t.kind, t.level, t.period_end)
        if slot not in seen:
            seen[slot] = t
            kept.append(t)
        elif t.grid.is_sheet or not seen[slot].grid.is_sheet:
            notes.append(f"{t.label} ({t.grid.path.name}) was not used: {seen[slot].label} "
                         f"({seen[slot].grid.path.name}) covers the same table and period")
    return kept, notes


def _frame(tables: list[Table]) -> pd.DataFrame:
    rows = [{**r, "period_end": t.period_end, "level": t.level, "kind": t.kind, "table": t.label,
             "population_year": t.population_year, "path": t.grid.path, "is_sheet": t.grid.is_sheet,
             "sheet": t.grid.name} for t in tables for r in t.records]
    frame = pd.DataFrame(rows)
    frame["key"] = [_area_key(r) for r in frame.to_dict("records")]
    return frame


def _area_key(record: dict) -> str:
    """Identity of an area across tables: its code, else force code and name."""
    if record["area_code"]:
        return record["area_code"]
    return f"{record['force_code'] or ''}|{_ons.key(record['area_name'])}"


def _assemble(tables: list[Table]) -> tuple[pd.DataFrame, list[str]]:
    frame = _frame(tables)
    counts = frame[frame["kind"] == "counts"]
    rates = frame[frame["kind"] == "rates"]
    notes = _marker_notes(frame)
    pieces = []
    for (level, end), part in counts.groupby(["level", "period_end"], sort=True):
        pieces.append(_with_population(part, rates[rates["level"] == level], end))
    covered = {(lv, e) for lv, e in counts[["level", "period_end"]].itertuples(index=False)}
    for (level, end), part in rates.groupby(["level", "period_end"], sort=True):
        if (level, end) not in covered:  # a rates table without its counts table
            pieces.append(part.assign(offences=np.nan, published=part["value"],
                                      rate_marker=part["value_marker"]))
    areas = pd.concat(pieces, ignore_index=True)
    areas, more = _drop_duplicate_forces(areas)
    _check_rates(areas)
    return _finish(areas), notes + more


def _with_population(part: pd.DataFrame, rates: pd.DataFrame, end: pd.Period) -> pd.DataFrame:
    """Counts of one level and period joined to the population of the same level (the same
    period's rates table, else the nearest one)."""
    part = part.rename(columns={"value": "offences"}).drop(columns=["population"],
                                                           errors="ignore")
    if rates.empty:
        return part.assign(population=np.nan, published=np.nan, rate_marker=None,
                           population_year=None)
    ends = sorted(rates["period_end"].unique(), key=lambda p: (abs((p - end).n), -p.ordinal))
    source = rates[rates["period_end"] == ends[0]].drop_duplicates("key").set_index("key")
    same = ends[0] == end
    # a rate suppressed as unreliable in any edition stays suppressed in every year
    unreliable = set(rates.loc[rates["value_marker"].fillna("").str.startswith("u"), "key"])
    extra = source[["population", "value", "value_marker", "population_year", "table", "row",
                    "path", "is_sheet", "sheet"]].rename(
        columns={"value": "rates_value", "value_marker": "rates_marker", "table": "rates_table",
                 "row": "rates_row", "path": "rates_path", "is_sheet": "rates_is_sheet",
                 "sheet": "rates_sheet"})
    joined = part.drop(columns=["population_year"]).join(extra, on="key")
    joined["published"] = joined["rates_value"] if same else np.nan
    joined["rate_marker"] = joined["rates_marker"] if same else None
    joined.loc[joined["key"].isin(unreliable), "rate_marker"] = "u"
    joined["table"] = joined["table"] + " + " + joined["rates_table"].fillna("no rates table")
    return joined.drop(columns=["rates_value", "rates_marker", "rates_table"])


def _drop_duplicate_forces(areas: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Force rows appear in both the CSP and the force tables: keep the force table's (its
    population matches the regions' and countries'), noting counts that disagree."""
    force = areas["area_type"] == "force"
    by_area = areas[force & (areas["level"] == "area")].set_index(["key", "period_end"])
    csp_forces = areas[force & (areas["level"] == "csp")]
    notes, drop = [], []
    for index, row in csp_forces.iterrows():
        slot = (row["key"], row["period_end"])
        if slot not in by_area.index:
            continue
        drop.append(index)
        other = by_area.loc[slot, "offences"]
        if not (pd.isna(other) and pd.isna(row["offences"])) and other != row["offences"]:
            notes.append(f"{row['area_name']}: {row['table'].split(' + ')[0]} gives "
                         f"{row['offences']:,.0f} offences but the force table {other:,.0f}; the "
                         "force table's figure is used")
    return areas.drop(index=drop), notes


def _check_rates(areas: pd.DataFrame) -> None:
    """Published rate = offences / population x 1,000, within the rounding of the population
    to 100 (half-width 50 residents)."""
    offences, population = areas["offences"], areas["population"]
    rate = offences / population * 1000
    slack = rate * 50 / (population - 50).clip(lower=1) + 1e-6
    bad = areas[(rate - areas["published"]).abs() > slack]
    if bad.empty:
        return
    row = bad.iloc[0]
    where = f"sheet '{row['rates_sheet'].strip()}' row" if row["rates_is_sheet"] else "line"
    raise SourceError(
        SOURCE, row["rates_path"], f"{where} {int(row['rates_row']) + 1} ({row['area_name']}, "
        f"{row['table']}): published rate {row['published']:.2f} per 1,000; expected "
        f"{rate[row.name]:.2f} ({row['offences']:,.0f} offences / {row['population']:,.0f} "
        "residents x 1,000, allowing for the population's rounding to 100)")


def _finish(areas: pd.DataFrame) -> pd.DataFrame:
    """Add regions, countries, recomputed rates and labels; order the columns."""
    region = _regions(areas)
    out = areas.copy()
    out["region_code"] = out["force_code"].map(region).astype(object)
    is_region = out["area_type"] == "region"
    out.loc[is_region, "region_code"] = out.loc[is_region, "area_code"]
    code = out["area_code"].fillna(out["force_code"]).fillna("")
    out["country"] = code.str[:1].map({"E": "England", "W": "Wales"})
    out.loc[out["area_type"] == "England and Wales", "country"] = None
    rate = out["offences"] / out["population"].where(out["population"] > 0) * 1000
    unreliable = out["rate_marker"].fillna("").astype(str).str.startswith("u")
    out["rate_per_1000"] = rate.where(~unreliable)
    out["published_rate_per_1000"] = out["published"]
    out["period"] = out["period_end"].map(period_label)
    out["period_end"] = out["period_end"].astype(str)
    out["offences"] = out["offences"].round().astype("Int64")
    out["population"] = out["population"].round().astype("Int64")
    order = {"England and Wales": 0, "country": 1, "region": 2, "force": 3, "CSP": 4,
             "unassigned": 5, "other": 6}
    out = out.assign(_o=out["area_type"].map(order)).sort_values(
        ["period_end", "_o", "force_code", "area_code"], kind="stable")
    return out[COLUMNS].reset_index(drop=True)


def _regions(areas: pd.DataFrame) -> dict:
    """Force code -> region code, from the force table's order (each region's forces follow
    it; Wales has no regions)."""
    region, current = {}, None
    for row in areas[areas["level"] == "area"].sort_values(["period_end", "row"]).itertuples():
        if row.area_type == "region":
            current = row.area_code
        elif row.area_type in ("country", "England and Wales") or not row.area_code:
            current = None
        elif row.area_type == "force":
            region.setdefault(row.area_code, current)
    return region


def period_label(end) -> str:
    """The words for 12 months ending ``end``: the year for January to December.

    Examples
    --------
    >>> period_label(pd.Period("2024-12", "M"))
    '2024'
    >>> period_label(pd.Period("2025-03", "M"))
    'year ending March 2025'
    """
    end = pd.Period(end, "M")
    return str(end.year) if end.month == 12 else f"year ending {end.strftime('%B %Y')}"


def _marker_notes(frame: pd.DataFrame) -> list[str]:
    """One sentence per table and kind of missing cell we read."""
    notes = []
    cells = [("value_marker", "offences"), ("population_marker", "population")]
    for (table, kind), part in frame.groupby(["table", "kind"], sort=True):
        for column, what in cells:
            if column not in part:
                continue
            what = "rate" if kind == "rates" and what == "offences" else what
            for marker, rows in part.groupby(part[column].fillna("-")):
                if marker == "-":
                    continue
                names = rows["area_name"].tolist()
                shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3
                                                else "")
                meaning = MARKERS.get(marker[:1], "marked") if marker else "blank"
                mark = f"[{marker}]" if marker else "empty"
                notes.append(f"{table}: {what} {meaning} ({mark}) for {len(names)} row(s) "
                             f"({shown}); read as missing")
    return notes


def _members(tables: list[Table]) -> pd.DataFrame:
    """Local authorities of each CSP, from the CSP rows and the combined-authorities list."""
    rows = [{"csp_code": r["csp_code"], "csp_name": r["csp_name"], "force_code": r["force_code"],
             "force_name": r["force_name"], "la_code": r["la_code"], "la_name": r["la_name"]}
            for t in tables if t.level == "csp" and t.kind != "members" for r in t.records
            if r["area_type"] == "CSP"]
    direct = pd.DataFrame(rows, columns=["csp_code", "csp_name", "force_code", "force_name",
                                         "la_code", "la_name"])
    direct = direct[direct["la_code"].str.match(_ons.GSS.pattern)]
    named = _csp_names(tables)
    listed = []
    for t in tables:
        for r in t.records if t.kind == "members" else []:
            found = named.get((_ons.key(r["force_name"]), _ons.key(r["csp_name"])))
            if found:
                listed.append({"csp_code": found[0], "csp_name": found[2], "force_code": found[1],
                               "la_code": r["la_code"], "la_name": r["la_name"]})
    out = pd.concat([direct.drop(columns="force_name"), pd.DataFrame(listed)], ignore_index=True)
    return out.drop_duplicates(["csp_code", "la_code"]).reset_index(drop=True)


def _csp_names(tables: list[Table]) -> dict:
    """(force name, CSP name) -> (CSP code, force code, CSP name) for every CSP row."""
    out = {}
    for t in tables:
        for r in t.records if t.level == "csp" and t.kind != "members" else []:
            if r["area_type"] == "CSP":
                out[(_ons.key(r["force_name"]), _ons.key(r["csp_name"]))] = (
                    r["csp_code"], r["force_code"], r["csp_name"])
    return out


def _source_label(path: Path, tables: list[Table]) -> str:
    latest = max(t.period_end for t in tables)
    books = sorted({t.grid.path.name for t in tables if t.grid.is_sheet})
    files = (f"workbook {', '.join(books)}" if books
             else f"CSV extracts in {path.name if path.is_dir() else path.parent.name}")
    return (f"ONS, Crime in England and Wales: police force area data tables, year ending "
            f"{latest.strftime('%B %Y')} (Home Office police recorded crime, excluding fraud; "
            f"{files})")
