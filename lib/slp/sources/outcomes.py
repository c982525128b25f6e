"""data.police.uk outcomes: each crime of the street files with its last recorded outcome.

A police.uk download holds, per month, ``YYYY-MM-<force>-street.csv`` (the crimes recorded that
month, each with a 64-character ``Crime ID``) and ``YYYY-MM-<force>-outcomes.csv`` (the outcomes
recorded that month, for crimes of that month or any earlier one)::

    Crime ID, Month, Reported by, Falls within, Longitude, Latitude, Location, LSOA code,
    LSOA name, Outcome type

:func:`read_police_outcomes` reads both kinds from the same paths (files, folders searched
recursively, the monthly archive zips, or a list of these; see
:mod:`slp.sources._police_files`), keeps the crimes (every street row that is not anti-social
behaviour) and gives each its **last** outcome: the outcome record of the latest month for its
``Crime ID`` (within one month, the last record in the file). A crime with no outcome record
has none yet (``outcome`` empty). The street file's own ``Last outcome category`` is kept
beside it as a cross-check. A month given twice is read once when the copies are identical and
is an error naming both files when they differ, as for the street files.

Examples
--------
>>> found = read_police_outcomes("../shared/data/police-uk/gwent-all-crime")  # doctest: +SKIP
>>> found.crimes.columns.tolist()                                             # doctest: +SKIP
['crime_id', 'month', 'lsoa_code', 'lsoa_name', 'crime_type', 'last_outcome_category',
 'outcome', 'outcome_month']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from slp.coverage import Coverage
from slp.errors import SourceError
from slp.periods import split_month
from slp.sources import _csv, _police_files

if TYPE_CHECKING:
    import polars as pl

SOURCE = "data.police.uk outcomes"
#: The police.uk crime type of anti-social behaviour rows (not crimes: no Crime ID, no outcome).
ASB = "Anti-social behaviour"
#: Columns read from each kind of file, and the names they take.
OUTCOME_COLUMNS = {"Crime ID": "crime_id", "Month": "month", "LSOA code": "lsoa_code",
                   "LSOA name": "lsoa_name", "Outcome type": "outcome"}
STREET_COLUMNS = {"Crime ID": "crime_id", "Month": "month", "LSOA code": "lsoa_code",
                  "LSOA name": "lsoa_name", "Crime type": "crime_type",
                  "Last outcome category": "last_outcome_category"}
#: Columns of :attr:`PoliceOutcomes.crimes`.
COLUMNS = ("crime_id", "month", "lsoa_code", "lsoa_name", "crime_type",
           "last_outcome_category", "outcome", "outcome_month")


@dataclass
class PoliceOutcomes:
    """The crimes of police.uk street files, each with its last outcome.

    Attributes
    ----------
    crimes : DataFrame
        ``crime_id, month, lsoa_code, lsoa_name, crime_type, last_outcome_category, outcome,
        outcome_month``: one row per street row that is not anti-social behaviour (the unit the
        crime counts count). ``month`` and ``outcome_month`` are ``period[M]``; ``lsoa_code`` is
        empty for a crime with no location, ``crime_id`` empty where the file gives none,
        ``outcome`` empty (and ``outcome_month`` NaT) for a crime with no outcome record yet.
    coverage : Coverage
        Both kinds of file; the months are the outcomes files'.
    records : int
        Outcome records read (rows of the outcomes files).
    unlinked : int
        Crime IDs with an outcome record but no crime in the street files read (crimes recorded
        before the first street file).
    no_id : int
        Outcome records with no Crime ID (they cannot be linked to a crime).
    """

    crimes: pd.DataFrame
    coverage: Coverage
    records: int = 0
    unlinked: int = 0
    no_id: int = 0


@dataclass
class _File:
    """One file read: its rows (renamed columns, all text) and its months (period ordinals)."""

    item: _police_files.Input
    frame: pl.DataFrame
    encoding: str
    months: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.int64))


def _frame(item: _police_files.Input, columns: dict[str, str]) -> tuple[pl.DataFrame, str]:
    """The file's ``columns`` as text (renamed), and its encoding (UTF-8, else cp1252 or
    UTF-16 re-written as UTF-8)."""
    import polars as pl

    data = item.read_bytes()
    try:
        return _selected(pl.read_csv(data, infer_schema=False), columns), "utf-8"
    except pl.exceptions.PolarsError as exc:
        error = exc
    text, encoding = _csv.decode(data)
    if encoding not in ("utf-8", "utf-8-sig") or _csv.delimiter_of(text[:4096]) == "\t":
        try:
            return _selected(pl.read_csv(_police_files._as_comma_utf8(text), infer_schema=False),
                             columns), encoding
        except pl.exceptions.PolarsError as exc:
            error = exc
    raise SourceError(SOURCE, Path(item.name), "is not a well-formed CSV (a line with an "
                      "unclosed double quote or a broken encoding); expected the police.uk CSV "
                      "as downloaded") from error


def _selected(frame: pl.DataFrame, columns: dict[str, str]) -> pl.DataFrame:
    frame = frame.rename({c: c.strip().lstrip("\ufeff") for c in frame.columns})
    return frame.select(list(columns)).rename(columns)


def _months(item: _police_files.Input, frame: pl.DataFrame) -> np.ndarray:
    """The file's months as period ordinals, after checking every Month cell."""
    values = frame["month"].fill_null("").str.strip_chars()
    ordinals = {}
    for value in values.unique().to_list():
        month = split_month(value)
        if month is None:
            row = int(np.argmax((values == value).to_numpy()))
            found = f"'{value}'" if value else "an empty cell"
            raise SourceError(SOURCE, Path(item.name), f"line {_csv.line_of(row)}, column "
                              f"'Month': found {found}; expected a month like 2025-06")
        ordinals[value] = pd.Period(year=month[0], month=month[1], freq="M").ordinal
    return np.array(sorted(ordinals.values()), dtype=np.int64)


def _read_kind(items: list[_police_files.Input], columns: dict[str, str]
               ) -> tuple[list[_File], list[str]]:
    """Read every file of one kind; a month given twice is read once (identical copies, with
    a caveat) or is an error (copies that differ)."""
    files = []
    for item in items:
        frame, encoding = _frame(item, columns)
        files.append(_File(item, frame, encoding, _months(item, frame)))
    kept, caveats = _police_files.one_copy_per_month(items, files)
    caveats += [c for f in kept if (c := _csv.encoding_caveat(f.item.name, f.encoding))]
    return kept, caveats


def _classified(paths) -> tuple[list[_police_files.Input], list[_police_files.Input]]:
    """The street and the outcomes files named by ``paths``, told apart by their headers."""
    found: dict[tuple[str, str | None], _police_files.Input] = {}
    for kind in ("street", "outcomes"):
        for item in _police_files.inputs(paths, kind):
            found.setdefault((str(item.path.resolve()), item.member), item)
    street, outcomes = [], []
    for item in found.values():
        header = item.header()
        if "Outcome type" in header and all(c in header for c in OUTCOME_COLUMNS):
            outcomes.append(item)
        elif all(c in header for c in STREET_COLUMNS):
            street.append(item)
        else:
            raise _csv.wrong_source(SOURCE, Path(item.name), header,
                                    "the police.uk street or outcomes columns "
                                    + ", ".join(OUTCOME_COLUMNS))
    if not street or not outcomes:
        missing = "*-street.csv" if not street else "*-outcomes.csv"
        raise SourceError(SOURCE, None, f"no {missing} files among the paths given "
                          f"({', '.join(str(p) for p in _listed(paths))}); expected both the "
                          "street and the outcomes files of a police.uk download")
    return street, outcomes


def has_outcome_files(paths) -> bool:
    """Whether ``paths`` hold any police.uk outcomes file (a ``*-outcomes.csv`` in a folder or
    zip, or a file with an ``Outcome type`` column): outcomes are optional in a police.uk run.

    Examples
    --------
    >>> has_outcome_files("../shared/data/police-uk/gwent-all-crime")  # doctest: +SKIP
    True
    """
    for path in _listed(paths):
        try:
            items = _police_files.inputs(path, "outcomes")
        except SourceError:  # a folder or zip without outcomes files
            continue
        if any("Outcome type" in item.header() for item in items):
            return True
    return False


def _listed(paths) -> list:
    return [paths] if isinstance(paths, (str, Path)) else list(paths)


def _periods(column: pd.Series) -> pd.Series:
    """Text months ('2025-06') as ``period[M]`` (each distinct value parsed once)."""
    text = column.astype(str).str.strip()
    values = {v: pd.Period(v, freq="M") for v in text.dropna().unique() if v not in ("", "None")}
    return text.map(values).astype("period[M]")


def last_outcomes(records: pl.DataFrame) -> pl.DataFrame:
    """``crime_id, outcome, outcome_month``: each Crime ID's outcome of its latest month (within
    a month, the later record read), from outcome records ``crime_id, month, outcome``."""
    import polars as pl

    ordered = (records.with_row_index("#row")
               .with_columns(pl.col("month").str.strip_chars())
               .sort(["month", "#row"]))
    return (ordered.unique("crime_id", keep="last", maintain_order=True)
            .select("crime_id", "outcome", pl.col("month").alias("outcome_month")))


def read_police_outcomes(paths) -> PoliceOutcomes:
    """Read the street and outcomes files of a police.uk download: each crime and its last
    outcome.

    Parameters
    ----------
    paths : str, Path or list of them
        Files, folders (their ``*-street.csv`` and ``*-outcomes.csv``, searched recursively)
        and police.uk archive zips.

    Returns
    -------
    PoliceOutcomes

    Raises
    ------
    SourceError
        No street or no outcomes file among the paths; a file in neither layout; a Month cell
        that is not a month (naming the line); a month given twice with different contents
        (naming both files).

    Examples
    --------
    >>> found = read_police_outcomes("data/raw/police-uk/2025-06.zip")  # doctest: +SKIP
    >>> found.crimes["outcome"].value_counts().head(2)                 # doctest: +SKIP
    """
    import polars as pl

    street_items, outcome_items = _classified(paths)
    street, street_caveats = _read_kind(street_items, STREET_COLUMNS)
    outcome, outcome_caveats = _read_kind(outcome_items, OUTCOME_COLUMNS)
    records = pl.concat([f.frame for f in outcome]) if outcome else pl.DataFrame()
    has_id = records["crime_id"].fill_null("").str.strip_chars() != ""
    last = last_outcomes(records.filter(has_id))
    crimes = pl.concat([f.frame for f in street]).filter(
        pl.col("crime_type").fill_null("").str.strip_chars() != ASB)
    crimes = crimes.with_columns(pl.col("crime_id").fill_null("").str.strip_chars())
    joined = crimes.join(last, on="crime_id", how="left", maintain_order="left")
    frame = joined.select(list(COLUMNS)).to_pandas()
    for column in ("lsoa_code", "lsoa_name", "crime_type", "last_outcome_category", "outcome"):
        frame[column] = frame[column].fillna("").astype(str).str.strip()
    frame["month"] = _periods(frame["month"])
    frame["outcome_month"] = _periods(frame["outcome_month"])
    linked = set(frame["crime_id"])
    months = sorted({int(m) for f in outcome for m in f.months})
    no_id = int((~has_id).sum())
    unlinked = int((~last["crime_id"].is_in(list(linked))).sum())
    caveats = [*street_caveats, *outcome_caveats]
    if no_id:
        caveats.append(f"{no_id:,} outcome record{'s have' if no_id != 1 else ' has'} no Crime "
                       "ID and cannot be linked to a crime")
    return PoliceOutcomes(
        crimes=frame,
        coverage=Coverage(
            source=SOURCE, format="outcomes files linked by Crime ID to the street files",
            # the outcomes files first: the street files are also the recorded crime's entry
            files=list(dict.fromkeys(f.item.path for f in [*outcome, *street])),
            first_month=str(pd.Period(ordinal=months[0], freq="M")) if months else None,
            last_month=str(pd.Period(ordinal=months[-1], freq="M")) if months else None,
            areas=int(frame.loc[frame["lsoa_code"] != "", "lsoa_code"].nunique()),
            caveats=caveats),
        records=len(records), unlinked=unlinked, no_id=no_id)


def in_area(found: PoliceOutcomes, authorities) -> PoliceOutcomes:
    """``found`` with its coverage counting only the LSOAs of ``authorities`` (a force's own:
    police.uk names an LSOA after its local authority, "Newport 004D"), not the neighbouring
    LSOAs the force's files also place crimes in."""
    import dataclasses

    names = found.crimes.loc[found.crimes["lsoa_code"] != "", ["lsoa_code", "lsoa_name"]]
    authority = names["lsoa_name"].str.replace(r"\s+\S+$", "", regex=True)
    areas = int(names.loc[authority.isin(list(authorities)).to_numpy(), "lsoa_code"].nunique())
    return dataclasses.replace(found, coverage=dataclasses.replace(found.coverage, areas=areas))
