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

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from slp.errors import SourceError
from slp.sources import _csv, _sniff

SOURCE = "ONS police recorded crime tables"

#: What each bracketed marker means in the ONS tables (first letter, lower case).
MARKERS = {
    "x": "not available",
    "u": "unreliable or suppressed",
    "z": "not applicable",
    "c": "confidential",
}
#: Area type by the first three characters of a GSS code.
AREA_TYPES = {
    "K04": "England and Wales",
    "E92": "country",
    "W92": "country",
    "E12": "region",
    "E23": "force",
    "W15": "force",
    "E22": "CSP",
    "W14": "CSP",
}
#: Columns of :attr:`NationalTables.areas`.
COLUMNS = [
    "period", "period_end", "area_code", "area_name", "area_type", "force_code", "region_code",
    "country", "offences", "population", "population_year", "rate_per_1000",
    "published_rate_per_1000", "table",
]

_NOTE = re.compile(r"\s*\[\s*note\s*\d+\s*\]", re.IGNORECASE)
_MARKER = re.compile(r"^\[\s*([a-z])[a-z]*\s*\d*\s*\]$", re.IGNORECASE)
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]
_YEAR_ENDING = re.compile(r"year\s+ending\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})", re.I)
_YE_IN_NAME = re.compile(r"(?<![a-z])ye[-_ ]?(" + "|".join(m[:3] for m in _MONTHS)
                         + r")[a-z]*[-_ ]?(\d{4})", re.IGNORECASE)
_CHANGE = re.compile(r"percentage change|% change|pct[-_ ]change", re.IGNORECASE)
_POP_YEAR = re.compile(r"mid[-\s]?(\d{4})", re.IGNORECASE)
_GSS = re.compile(r"^[EWKS]\d{8}$")
_HEADER_SCAN = 40

# Roles of the columns we read, by their cleaned lower-case header.
_CSP_ID = {
    "force_code": "police force area code",
    "force_name": "police force area name",
    "csp_code": "community safety partnership code",
    "csp_name": "community safety partnership name",
    "la_code": "local authority code",
    "la_name": "local authority name",
}
_AREA_ID = {"area_code": "area code", "area_name": "area name"}


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


@dataclass
class _Grid:
    """One sheet or CSV file as rows of cells, with how to name a place in it."""

    path: Path
    name: str  # sheet title or file name
    rows: list[list]
    is_sheet: bool

    def where(self, row: int) -> str:
        place = f"sheet '{self.name.strip()}' row" if self.is_sheet else "line"
        return f"{place} {row + 1}"


@dataclass
class _Table:
    grid: _Grid
    kind: str  # "counts", "rates" or "members"
    level: str  # "csp" or "area"
    period_end: pd.Period | None
    records: list[dict]
    population_year: str | None = None

    @property
    def label(self) -> str:
        return self.grid.name.strip() if self.grid.is_sheet else self.grid.path.name


def clean_name(value) -> str:
    """A name without ``[note n]`` suffixes, line breaks or surrounding spaces.

    Examples
    --------
    >>> clean_name("City of London[note 9]")
    'City of London'
    >>> clean_name("Bristol, City of ")
    'Bristol, City of'
    """
    if value is None:
        return ""
    return " ".join(_NOTE.sub(" ", str(value)).split())


def _key(value) -> str:
    return clean_name(value).lower()


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
    grids = [grid for file in _files(Path(path)) for grid in _grids(file)]
    tables = [t for t in (_parse(g) for g in grids) if t is not None]
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


def _files(path: Path) -> list[Path]:
    """The workbook(s) or CSV files to read from a file or folder."""
    if not path.is_dir():
        _sniff.check_regular(path, SOURCE)
        return [path]
    found = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(("~$", ".")))
    books = [p for p in found if p.suffix.lower() == ".xlsx"]
    texts = [p for p in found if p.suffix.lower() in (".csv", ".tsv", ".txt")]
    if not books and not texts:
        raise SourceError(SOURCE, path, "is a folder with no .xlsx workbook and no .csv extract; "
                          "expected the ONS police force area data tables")
    return books or texts


def _grids(path: Path) -> list[_Grid]:
    head = _sniff.read_head(path, SOURCE, 8)
    if head.startswith(b"PK\x03\x04"):
        return _sheets(path)
    text, _ = _csv.read_text(path, SOURCE)
    sep = "\t" if text.count("\t") > text.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=sep))
    return [_Grid(path=path, name=path.name, rows=rows, is_sheet=False)]


def _sheets(path: Path) -> list[_Grid]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SourceError(SOURCE, path, f"is not a readable Excel workbook ({exc}); expected the "
                          "ONS .xlsx as downloaded") from exc
    try:
        return [_sheet_grid(path, sheet) for sheet in book.worksheets]
    finally:
        book.close()


def _sheet_grid(path: Path, sheet) -> _Grid:
    """A sheet's rows; only its top rows when they hold no table we read (saves reading the
    knife, firearm and fraud tables cell by cell)."""
    rows = sheet.iter_rows(values_only=True)
    grid = _Grid(path=path, name=sheet.title, is_sheet=True,
                 rows=[list(r) for _, r in zip(range(_HEADER_SCAN), rows, strict=False)])
    at = _header_row(grid)
    title = " ".join(str(c) for row in grid.rows[: at or 0] for c in row if c is not None)
    if at is not None and not _CHANGE.search(title):
        grid.rows.extend(list(r) for r in rows)
    return grid


def _header_row(grid: _Grid) -> int | None:
    """Index of the header row: the first row naming the total, or C1's CSP/LA columns."""
    for index, row in enumerate(grid.rows[:_HEADER_SCAN]):
        keys = [_key(c) for c in row]
        if any(k.startswith("total recorded crime") for k in keys):
            return index
        if _CSP_ID["csp_name"] in keys and _CSP_ID["la_code"] in keys:
            return index
    return None


def _parse(grid: _Grid) -> _Table | None:
    """The table in a sheet or file, or None when it is not one we read."""
    at = _header_row(grid)
    if at is None:
        return None
    header = [_key(c) for c in grid.rows[at]]
    title = " ".join(clean_name(c) for row in grid.rows[:at] for c in row if c is not None)
    level = "csp" if _CSP_ID["csp_code"] in header or _CSP_ID["csp_name"] in header else "area"
    if not any(k.startswith("total recorded crime") for k in header):
        return _Table(grid, "members", "csp", None, _member_rows(grid, at, header))
    periods = {_month(m, y) for m, y in _YEAR_ENDING.findall(title)}
    if not periods:
        periods = {_month(m, y) for m, y in _YE_IN_NAME.findall(grid.path.name)}
    if _CHANGE.search(title) or _CHANGE.search(grid.path.name) or len(periods) > 1:
        return None
    if not periods:
        raise SourceError(SOURCE, grid.path, f"{grid.where(at)}: cannot tell which 12 months the "
                          "table covers; expected a title such as 'year ending December 2024' "
                          "above the header or a file name such as '...-ye-dec2024.csv'")
    population = next((i for i, k in enumerate(header) if k.startswith("population")), None)
    kind = "counts" if population is None else "rates"
    ids = _CSP_ID if level == "csp" else _AREA_ID
    columns = {role: _column(grid, at, header, text) for role, text in ids.items()}
    columns["total"] = next(i for i, k in enumerate(header) if k.startswith("total recorded"))
    year = None
    if population is not None:
        columns["population"] = population
        found = _POP_YEAR.search(header[population])
        year = f"mid-{found.group(1)}" if found else None
    records = _records(grid, at, columns, kind, level)
    return _Table(grid, kind, level, periods.pop(), records, year)


def _month(month: str, year: str) -> pd.Period:
    number = next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(month.lower()[:3]))
    return pd.Period(year=int(year), month=number, freq="M")


def _column(grid: _Grid, at: int, header: list[str], wanted: str) -> int:
    if wanted in header:
        return header.index(wanted)
    alternatives = [i for i, k in enumerate(header) if k.startswith(wanted)]
    if alternatives:
        return alternatives[0]
    found = ", ".join(clean_name(c) for c in grid.rows[at] if c is not None)
    raise SourceError(SOURCE, grid.path, f"{grid.where(at)} (header) has no '{wanted}' column; "
                      f"expected it beside 'Total recorded crime (excluding fraud)'; found: {found}")


def _cell(row: list, index: int):
    return row[index] if index < len(row) else None


def _records(grid: _Grid, at: int, columns: dict, kind: str, level: str) -> list[dict]:
    records = []
    for index in range(at + 1, len(grid.rows)):
        row = grid.rows[index]
        text = {role: clean_name(_cell(row, i)) for role, i in columns.items()
                if role not in ("total", "population")}
        if not any(text.values()) and _cell(row, columns["total"]) in (None, ""):
            continue
        record = {**text, "row": index, **_identify(text, level)}
        total_kind = "count" if kind == "counts" else "rate"
        record["value"], record["value_marker"] = _number(
            grid, index, columns["total"], total_kind)
        if kind == "rates":
            record["population"], record["population_marker"] = _number(
                grid, index, columns["population"], "population")
        records.append(record)
    return records


def _identify(text: dict, level: str) -> dict:
    """Area code, name, type and force code of one data row."""
    if level == "area":
        code = text["area_code"] or None
        kind = AREA_TYPES.get((code or "")[:3], "other")
        return {"area_code": code, "area_name": text["area_name"], "area_type": kind,
                "force_code": code if kind == "force" else None}
    force = text["force_code"] or None
    if text["csp_code"]:
        return {"area_code": text["csp_code"], "area_name": text["csp_name"], "area_type": "CSP",
                "force_code": force}
    if not text["csp_name"]:
        return {"area_code": force, "area_name": text["force_name"], "area_type": "force",
                "force_code": force}
    kind = "unassigned" if text["csp_name"].lower().startswith("unassigned") else "other"
    return {"area_code": None, "area_name": text["csp_name"], "area_type": kind,
            "force_code": force}


_EXPECTED = {
    "count": "a whole number of offences or a marker such as [x]",
    "rate": "a rate per 1,000 or a marker such as [x] or [u1]",
    "population": "a whole number of residents or a marker such as [x]",
}


def _number(grid: _Grid, index: int, column: int, what: str) -> tuple[float, str | None]:
    """(value, marker) of one cell: a number, or NaN with the marker letter ("" for blank)."""
    value = _cell(grid.rows[index], column)
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = "" if value is None else str(value).strip()
        if not text:
            return np.nan, ""
        marker = _MARKER.match(text)
        if marker:
            return np.nan, text.strip("[] ").lower()
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            number = None
        if number is None or not np.isfinite(number):
            heading = clean_name(_cell(grid.rows[_header_row(grid)], column))
            raise SourceError(SOURCE, grid.path, f"{grid.where(index)}, column '{heading}': found "
                              f"'{text}'; expected {_EXPECTED[what]}")
    if what != "rate" and number != round(number):
        heading = clean_name(_cell(grid.rows[_header_row(grid)], column))
        raise SourceError(SOURCE, grid.path, f"{grid.where(index)}, column '{heading}': found "
                          f"{value!r}; expected {_EXPECTED[what]}")
    return number, None


def _member_rows(grid: _Grid, at: int, header: list[str]) -> list[dict]:
    """C1's rows, with the force and CSP names carried down over merged (blank) cells."""
    columns = {role: header.index(text) for role, text in _CSP_ID.items() if text in header}
    records, last = [], {"force_name": "", "csp_name": ""}
    for index in range(at + 1, len(grid.rows)):
        row = grid.rows[index]
        text = {role: clean_name(_cell(row, i)) for role, i in columns.items()}
        if not text.get("la_code") and not text.get("la_name"):
            continue
        for role in last:
            last[role] = text.get(role) or last[role]
            text[role] = last[role]
        records.append(text)
    return records


def _prefer_newest(tables: list[_Table]) -> tuple[list[_Table], list[str]]:
    """One table per (kind, level, period): the workbook's over CSVs, a newer edition's over an
    older one's."""
    edition = {}
    for t in tables:
        edition[t.grid.path] = max(edition.get(t.grid.path, t.period_end), t.period_end)
    ranked = sorted(tables, key=lambda t: (edition[t.grid.path], t.grid.is_sheet), reverse=True)
    kept, notes, seen = [], [], {}
    for t in ranked:
        slot = (t.kind, t.level, t.period_end)
        if slot in seen:
            notes.append(f"{t.label} ({t.grid.path.name}) was not used: {seen[slot]} covers the "
                         "same table and period")
            continue
        seen[slot] = f"{t.label} ({t.grid.path.name})"
        kept.append(t)
    return kept, notes


def _frame(tables: list[_Table]) -> pd.DataFrame:
    rows = [{**r, "period_end": t.period_end, "level": t.level, "kind": t.kind, "table": t.label,
             "population_year": t.population_year, "path": t.grid.path, "is_sheet": t.grid.is_sheet,
             "sheet": t.grid.name} for t in tables for r in t.records]
    frame = pd.DataFrame(rows)
    frame["key"] = [_row_key(r) for r in frame.to_dict("records")]
    return frame


def _row_key(record: dict) -> str:
    """Identity of an area across tables: its code, else force code and name."""
    if record["area_code"]:
        return record["area_code"]
    return f"{record['force_code'] or ''}|{_key(record['area_name'])}"


def _assemble(tables: list[_Table]) -> tuple[pd.DataFrame, list[str]]:
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
    joined = part.drop(columns=["population_year"]).join(
        source[["population", "value", "value_marker", "population_year", "table"]],
        on="key", rsuffix="_rates")
    joined["published"] = joined["value"] if same else np.nan
    joined["rate_marker"] = joined["value_marker_rates"] if same else None
    joined.loc[joined["key"].isin(unreliable), "rate_marker"] = "u"
    joined["table"] = joined["table"] + " + " + joined["table_rates"].fillna("no rates table")
    return joined.drop(columns=["value", "value_marker_rates", "table_rates"])


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
    where = f"sheet '{row['sheet'].strip()}' row" if row["is_sheet"] else "line"
    raise SourceError(
        SOURCE, row["path"], f"{where} {row['row'] + 1} ({row['area_name']}, {row['table']}): "
        f"published rate {row['published']:.2f} per 1,000; expected {rate[row.name]:.2f} "
        f"({row['offences']:,.0f} offences / {row['population']:,.0f} residents x 1,000)")


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


def _members(tables: list[_Table]) -> pd.DataFrame:
    """Local authorities of each CSP, from the CSP rows and the combined-authorities list."""
    rows = [{"csp_code": r["csp_code"], "csp_name": r["csp_name"], "force_code": r["force_code"],
             "force_name": r["force_name"], "la_code": r["la_code"], "la_name": r["la_name"]}
            for t in tables if t.level == "csp" and t.kind != "members" for r in t.records
            if r["area_type"] == "CSP"]
    direct = pd.DataFrame(rows, columns=["csp_code", "csp_name", "force_code", "force_name",
                                         "la_code", "la_name"])
    direct = direct[direct["la_code"].str.match(_GSS.pattern)]
    named = _csp_names(tables)
    listed = []
    for t in tables:
        for r in t.records if t.kind == "members" else []:
            found = named.get((_key(r["force_name"]), _key(r["csp_name"])))
            if found:
                listed.append({"csp_code": found[0], "csp_name": found[2], "force_code": found[1],
                               "la_code": r["la_code"], "la_name": r["la_name"]})
    out = pd.concat([direct.drop(columns="force_name"), pd.DataFrame(listed)], ignore_index=True)
    return out.drop_duplicates(["csp_code", "la_code"]).reset_index(drop=True)


def _csp_names(tables: list[_Table]) -> dict:
    """(force name, CSP name) -> (CSP code, force code, CSP name) for every CSP row."""
    out = {}
    for t in tables:
        for r in t.records if t.level == "csp" and t.kind != "members" else []:
            if r["area_type"] == "CSP":
                out[(_key(r["force_name"]), _key(r["csp_name"]))] = (
                    r["csp_code"], r["force_code"], r["csp_name"])
    return out


def _source_label(path: Path, tables: list[_Table]) -> str:
    latest = max(t.period_end for t in tables)
    books = sorted({t.grid.path.name for t in tables if t.grid.is_sheet})
    files = (f"workbook {', '.join(books)}" if books
             else f"CSV extracts in {path.name if path.is_dir() else path.parent.name}")
    return (f"ONS, Crime in England and Wales: police force area data tables, year ending "
            f"{latest.strftime('%B %Y')} (Home Office police recorded crime, excluding fraud; "
            f"{files})")
