"""Reading the ONS police force area data tables' sheets and CSV extracts into raw tables.

Private to :mod:`slp.sources.national`: finds each table by its header row, tells counts from
rates, member lists and percentage-change tables, reads the 12 months it covers from its title or
file name, and parses its cells (numbers or bracketed markers such as ``[x]``), naming the file,
sheet, row and column of anything it cannot read.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from slp.errors import SourceError
from slp.sources import _csv, _sniff

SOURCE = "ONS police recorded crime tables"

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
_NOTE = re.compile(r"\s*\[\s*note\s*\d+\s*\]", re.IGNORECASE)
_MARKER = re.compile(r"^\[\s*([a-z])[a-z]*\s*\d*\s*\]$", re.IGNORECASE)
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]
_YEAR_ENDING = re.compile(r"year\s+ending\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})", re.I)
_YE_IN_NAME = re.compile(r"(?<![a-z])ye[-_ ]?(" + "|".join(m[:3] for m in _MONTHS)
                         + r")[a-z]*[-_ ]?(\d{4})", re.IGNORECASE)
_CHANGE = re.compile(r"percentage change|% change|pct[-_ ]change", re.IGNORECASE)
_POP_YEAR = re.compile(r"mid[-\s]?(\d{4})", re.IGNORECASE)
GSS = re.compile(r"^[EWKS]\d{8}$")
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
class Grid:
    """One sheet or CSV file as rows of cells, with how to name a place in it."""

    path: Path
    name: str  # sheet title or file name
    rows: list[list]
    is_sheet: bool

    def where(self, row: int) -> str:
        place = f"sheet '{self.name.strip()}' row" if self.is_sheet else "line"
        return f"{place} {row + 1}"


@dataclass
class Table:
    grid: Grid
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


def key(value) -> str:
    return clean_name(value).lower()


def files(path: Path) -> list[Path]:
    """The workbook(s) and CSV files to read from a file or folder (a workbook's tables are
    preferred to CSV extracts of the same tables later, in ``national._prefer_newest``)."""
    if not path.is_dir():
        _sniff.check_regular(path, SOURCE)
        return [path]
    found = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(("~$", ".")))
    books = [p for p in found if p.suffix.lower() == ".xlsx"]
    texts = [p for p in found if p.suffix.lower() in (".csv", ".tsv", ".txt")]
    if not books and not texts:
        raise SourceError(SOURCE, path, "is a folder with no .xlsx workbook and no .csv extract; "
                          "expected the ONS police force area data tables")
    return books + texts


def grids(path: Path) -> list[Grid]:
    head = _sniff.read_head(path, SOURCE, 8)
    if head.startswith(b"PK\x03\x04"):
        return _sheets(path)
    text, _ = _csv.read_text(path, SOURCE)
    sep = "\t" if text.count("\t") > text.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=sep))
    return [Grid(path=path, name=path.name, rows=rows, is_sheet=False)]


def _sheets(path: Path) -> list[Grid]:
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


def _sheet_grid(path: Path, sheet) -> Grid:
    """A sheet's rows; only its top rows when they hold no table we read (saves reading the
    knife, firearm and fraud tables cell by cell)."""
    rows = sheet.iter_rows(values_only=True)
    grid = Grid(path=path, name=sheet.title, is_sheet=True,
                 rows=[list(r) for _, r in zip(range(_HEADER_SCAN), rows, strict=False)])
    at = _header_row(grid)
    title = " ".join(str(c) for row in grid.rows[: at or 0] for c in row if c is not None)
    if at is not None and not _CHANGE.search(title):
        grid.rows.extend(list(r) for r in rows)
    return grid


def _header_row(grid: Grid) -> int | None:
    """Index of the header row: the first row naming the total, or C1's CSP/LA columns."""
    for index, row in enumerate(grid.rows[:_HEADER_SCAN]):
        keys = [key(c) for c in row]
        if any(k.startswith("total recorded crime") for k in keys):
            return index
        if _CSP_ID["csp_name"] in keys and _CSP_ID["la_code"] in keys:
            return index
    return None


def parse(grid: Grid) -> Table | None:
    """The table in a sheet or file, or None when it is not one we read."""
    at = _header_row(grid)
    if at is None:
        return None
    header = [key(c) for c in grid.rows[at]]
    title = " ".join(clean_name(c) for row in grid.rows[:at] for c in row if c is not None)
    level = "csp" if _CSP_ID["csp_code"] in header or _CSP_ID["csp_name"] in header else "area"
    if not any(k.startswith("total recorded crime") for k in header):
        return Table(grid, "members", "csp", None, _member_rows(grid, at, header))
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
    return Table(grid, kind, level, periods.pop(), records, year)


def _month(month: str, year: str) -> pd.Period:
    number = next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(month.lower()[:3]))
    return pd.Period(year=int(year), month=number, freq="M")


def _column(grid: Grid, at: int, header: list[str], wanted: str) -> int:
    if wanted in header:
        return header.index(wanted)
    alternatives = [i for i, k in enumerate(header) if k.startswith(wanted)]
    if alternatives:
        return alternatives[0]
    found = ", ".join(clean_name(c) for c in grid.rows[at] if c is not None)
    raise SourceError(SOURCE, grid.path, f"{grid.where(at)} (header) has no "
                      f"'{wanted.capitalize()}' column; expected it beside 'Total recorded crime "
                      f"(excluding fraud)'; found: {found}")


def _cell(row: list, index: int):
    return row[index] if index < len(row) else None


def _records(grid: Grid, at: int, columns: dict, kind: str, level: str) -> list[dict]:
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


def _number(grid: Grid, index: int, column: int, what: str) -> tuple[float, str | None]:
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


def _member_rows(grid: Grid, at: int, header: list[str]) -> list[dict]:
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
