"""data.police.uk street-level crime: monthly counts by LSOA, ward and borough.

Reads ``YYYY-MM-<force>-street.csv`` files (any force; a file, a folder searched recursively,
the monthly archive zip, or a list of these) with columns ``Crime ID, Month, Reported by,
Falls within, Longitude, Latitude, Location, LSOA code, LSOA name, Crime type, Last outcome
category, Context``. Files are read in parallel with pyarrow's CSV reader, converting only the
four columns needed; each is dictionary-encoded in Arrow and the counts are made with one
``numpy.bincount`` over integer codes, so no Python object is created per row
(``bench/street_ingest.py`` times a year of Metropolitan data, about a million rows).

Crimes with no LSOA (police.uk's "No Location") are counted in :attr:`StreetCrime.no_location`
and reported in the coverage; they are in no LSOA, ward or borough count.
"""

from __future__ import annotations

import os
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from slp.coverage import Coverage
from slp.errors import SourceError
from slp.sources import _csv

SOURCE = "data.police.uk street-level crime"
NEEDED = ("Month", "LSOA code", "LSOA name", "Crime type")
ALL_COLUMNS = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_LSOA_SUFFIX = re.compile(r"\s+\d{3}[A-Z]$")
# Small CSV blocks keep each block's parsing in the CPU cache; measured faster than the 1 MiB
# default on the benchmark (bench/street_ingest.py).
_BLOCK = 256 * 1024


@dataclass
class StreetCrime:
    """Street-level crimes counted by LSOA, crime type and month.

    Attributes
    ----------
    data : DataFrame
        ``lsoa_code, lsoa_name, borough, crime_type, month, count`` (+ ``ward_code`` when a
        lookup was given). ``borough`` is the LSOA name without its final "001A"-style part
        (or the lookup's borough when it has one).
    no_location : int
        Crimes with no LSOA, not in ``data``.
    coverage : Coverage
    no_location_by_month : DataFrame
        ``crime_type, month, count`` of the crimes with no LSOA.
    """

    data: pd.DataFrame
    no_location: int
    coverage: Coverage
    no_location_by_month: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass
class _Input:
    """One CSV to read: a file on disk or a member of a zip archive."""

    name: str
    path: Path
    member: str | None = None

    def header(self) -> list[str]:
        if self.member is None:
            return _csv.read_header(self.path, SOURCE)
        with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as handle:
            head = handle.read(64 * 1024)
        text, _ = _csv.decode(head)
        first = text.splitlines()[0] if text.strip() else ""
        return [c.strip() for c in first.split(",")] if first else []

    def source(self):
        if self.member is None:
            return str(self.path)
        with zipfile.ZipFile(self.path) as archive:
            return pa.BufferReader(archive.read(self.member))


def _inputs(paths) -> list[_Input]:
    items = [paths] if isinstance(paths, (str, Path)) else list(paths)
    if not items:
        raise SourceError(SOURCE, None, "no input files were given")
    out: list[_Input] = []
    for item in items:
        path = Path(item)
        if path.is_file() and path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as archive:
                members = sorted(
                    m
                    for m in archive.namelist()
                    if m.lower().endswith("-street.csv") and not m.startswith("__MACOSX")
                )
            if not members:
                raise SourceError(SOURCE, path, "zip archive holds no '*-street.csv' files")
            out.extend(_Input(f"{path.name}:{m}", path, m) for m in members)
        elif path.is_dir():
            found = sorted(path.rglob("*-street.csv"))
            if not found:
                found = _csv.resolve_paths(path, SOURCE, patterns=("*.csv",), recursive=True)
            out.extend(_Input(f.name, f) for f in found)
        elif path.is_file():
            out.append(_Input(path.name, path))
        else:
            raise SourceError(SOURCE, path, f"does not exist (looked for {path})")
    return out


@dataclass
class _Codes:
    """One file's needed columns as small tables of distinct values plus per-row indices
    into them (-1 = empty cell)."""

    name: str
    encoding: str
    lsoa_codes: list[str]  # distinct (code, name) LSOAs of this file ...
    lsoa_names: list[str]  # ... as two aligned lists
    lsoa_index: np.ndarray
    types: pa.Array
    type_index: np.ndarray
    months: pa.Array
    month_index: np.ndarray


def _encode(column: pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
    """Distinct values of a string column and each row's index into them (-1 when empty)."""
    # On a chunked column every chunk shares the final dictionary.
    encoded = pc.dictionary_encode(column).chunks
    if not encoded:
        return pa.array([], pa.string()), np.empty(0, dtype=np.int64)
    indices = np.concatenate(
        [pc.fill_null(chunk.indices, -1).to_numpy(zero_copy_only=False) for chunk in encoded]
    )
    return encoded[-1].dictionary, indices.astype(np.int64, copy=False)


def _lsoas(codes: pa.ChunkedArray, names: pa.ChunkedArray) -> tuple[list, list, np.ndarray]:
    """Distinct (LSOA code, LSOA name) pairs and each row's pair index (-1: no code).

    police.uk gives one name per code within a file: each code takes the name of its first
    row and every row is checked against it (on integer indices); only a file that breaks the
    rule pays for encoding the pairs.
    """
    code_values, code_index = _encode(codes)
    name_values, name_index = _encode(names)
    rows = np.flatnonzero(code_index >= 0)
    first = np.full(len(code_values), -1, dtype=np.int64)
    first[code_index[rows[::-1]]] = rows[::-1]  # the first row of each code wins
    name_of_code = name_index[first] if len(first) else first
    if (name_index[rows] == name_of_code[code_index[rows]]).all():
        names_list = name_values.to_pylist()
        return (
            code_values.to_pylist(),
            [names_list[i] if i >= 0 else "" for i in name_of_code],
            code_index,
        )
    joined = pc.binary_join_element_wise(
        pc.fill_null(codes.combine_chunks(), ""), pc.fill_null(names.combine_chunks(), ""), "\x1f"
    )
    pair_values, pair_index = _encode(pa.chunked_array([joined]))
    pair_index = np.where(code_index >= 0, pair_index, -1)
    split = [value.split("\x1f", 1) for value in pair_values.to_pylist()]
    return [c for c, _ in split], [n for _, n in split], pair_index


def _read_one(item: _Input, threads: bool = False) -> _Codes:
    """Read one file's four needed columns (only they are converted) and encode them."""
    header = item.header()
    if not header:
        raise SourceError(
            SOURCE, Path(item.name), "is empty (expected a header line and data rows)"
        )
    if any(c not in header for c in NEEDED):
        raise _csv.wrong_source(
            SOURCE, Path(item.name), header, "columns " + ", ".join(ALL_COLUMNS)
        )
    convert = pacsv.ConvertOptions(
        include_columns=list(NEEDED),
        column_types={c: pa.string() for c in NEEDED},
        strings_can_be_null=True,
    )
    encoding = "utf8"
    try:
        table = pacsv.read_csv(
            item.source(),
            read_options=pacsv.ReadOptions(use_threads=threads, block_size=_BLOCK),
            convert_options=convert,
        )
    except pa.ArrowInvalid as exc:
        if "utf8" not in str(exc).lower():
            raise SourceError(SOURCE, Path(item.name), f"is not a well-formed CSV: {exc}") from exc
        encoding = "cp1252"
        table = pacsv.read_csv(
            item.source(),
            read_options=pacsv.ReadOptions(
                use_threads=threads, block_size=_BLOCK, encoding="cp1252"
            ),
            convert_options=convert,
        )
    if table.num_rows == 0:
        raise SourceError(SOURCE, Path(item.name), "has a header but no data rows")
    lsoa_codes, lsoa_names, lsoa_index = _lsoas(table["LSOA code"], table["LSOA name"])
    types, type_index = _encode(table["Crime type"])
    months, month_index = _encode(table["Month"])
    return _Codes(
        item.name,
        encoding,
        lsoa_codes,
        lsoa_names,
        lsoa_index,
        types,
        type_index,
        months,
        month_index,
    )


def _bad_month_line(item: _Input, value: str | None) -> int | None:
    """1-based line of the first row whose Month is ``value`` (slow; only for error messages)."""
    table = pacsv.read_csv(
        item.source(),
        convert_options=pacsv.ConvertOptions(
            include_columns=["Month"], strings_can_be_null=True, column_types={"Month": pa.string()}
        ),
    )
    months = np.array(table["Month"].to_pylist(), dtype=object)
    hits = np.flatnonzero(months == value) if value is not None else np.flatnonzero(pd.isna(months))
    return _csv.line_of(hits[0]) if len(hits) else None


def _vocabulary(values: list[pa.Array], indices: list[np.ndarray]) -> tuple[pa.Array, np.ndarray]:
    """Sorted distinct values over all files, and all rows' indices into them (-1 kept)."""
    vocab = pc.unique(pa.concat_arrays(values))
    vocab = vocab.filter(pc.is_valid(vocab))
    vocab = vocab.take(pc.sort_indices(vocab))
    out = []
    for local, index in zip(values, indices, strict=True):
        to_global = pc.index_in(local, value_set=vocab).to_numpy(zero_copy_only=False)
        # A trailing -1 so that local index -1 (empty) stays -1.
        table = np.append(np.nan_to_num(to_global.astype(float), nan=-1).astype(np.int64), -1)
        out.append(table[index])
    return vocab, np.concatenate(out)


def read_street(paths, *, lookup=None, workers: int | None = None) -> StreetCrime:
    """Read data.police.uk street-level CSVs into LSOA-month-crime type counts.

    Parameters
    ----------
    paths : str, Path or list of them
        Files, folders (searched recursively for ``*-street.csv``) or police.uk archive zips.
    lookup : DataFrame, str or Path, optional
        An LSOA-to-ward lookup (:func:`slp.sources.boundaries.read_lookup`): adds ``ward_code``
        and, when the lookup has one, takes ``borough`` from it.
    workers : int, optional
        Files read in parallel (default: the number of CPUs).

    Returns
    -------
    StreetCrime

    Raises
    ------
    SourceError
        A file is empty, is not a street-level file (e.g. a population file), has a Month that
        is not YYYY-MM, or rows with no crime type.

    Examples
    --------
    >>> street = read_street("../shared/data/police-uk/metropolitan-burglary-only")  # doctest: +SKIP
    >>> street.no_location  # doctest: +SKIP
    2937
    """
    items = _inputs(paths)
    workers = workers or min(len(items), os.cpu_count() or 1)
    if workers > 1 and len(items) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            files = list(pool.map(_read_one, items))
    else:
        files = [_read_one(item, threads=True) for item in items]
    caveats = [
        f"'{f.name}' was not UTF-8 and was read as cp1252" for f in files if f.encoding != "utf8"
    ]

    month_vocab, month = _vocabulary([f.months for f in files], [f.month_index for f in files])
    month_ordinal = _check_months(month_vocab, files, items)
    type_vocab, ctype = _vocabulary([f.types for f in files], [f.type_index for f in files])
    if (ctype < 0).any():
        for f in files:
            if (f.type_index < 0).any():
                row = int(np.flatnonzero(f.type_index < 0)[0])
                raise SourceError(
                    SOURCE,
                    Path(f.name),
                    f"line {_csv.line_of(row)}, column 'Crime type': found "
                    "an empty cell; expected a crime type such as 'Burglary'",
                )

    # LSOAs are (code, name) pairs: police.uk renamed some LSOAs between months. Joined with
    # a separator that sorts before any printable character, they sort by code, then name.
    joined = [
        pa.array(
            [f"{c}\x1f{n}" for c, n in zip(f.lsoa_codes, f.lsoa_names, strict=True)], pa.string()
        )
        for f in files
    ]
    lsoa_vocab, lsoa = _vocabulary(joined, [f.lsoa_index for f in files])
    split = [value.split("\x1f", 1) for value in lsoa_vocab.to_pylist()]
    n_lsoa, n_type, n_month = len(split), len(type_vocab), len(month_vocab)
    # Pair index + 1, so that 0 is "no location".
    key = ((lsoa + 1) * n_type + ctype) * n_month + month
    size = (n_lsoa + 1) * n_type * n_month
    if size <= 50_000_000:
        counts = np.bincount(key, minlength=size)
        keys = np.flatnonzero(counts)
        counts = counts[keys]
    else:  # very many LSOAs x months: sort instead of a huge bin array
        keys, counts = np.unique(key, return_counts=True)
    lsoa_k, rest = np.divmod(keys, n_type * n_month)
    lsoa_k -= 1
    type_k, month_k = np.divmod(rest, n_month)

    codes = [c for c, _ in split]
    names = [n for _, n in split]
    boroughs = [_LSOA_SUFFIX.sub("", n).strip() for n in names]
    located = lsoa_k >= 0
    # Look the strings up in the small vocabularies with Arrow's take (no Python objects
    # per row).
    at = pa.array(lsoa_k[located])
    month_ord = month_ordinal[month_k]
    frame = pa.table(
        {
            "lsoa_code": pa.array(codes, pa.string()).take(at),
            "lsoa_name": pa.array(names, pa.string()).take(at),
            "borough": pa.array(boroughs, pa.string()).take(at),
            "crime_type": type_vocab.take(pa.array(type_k[located])),
        }
    ).to_pandas()
    frame["month"] = pd.PeriodIndex.from_ordinals(month_ord[located], freq="M")
    frame["count"] = counts[located].astype("int64")
    renamed = int(pd.Series(codes).duplicated().sum())
    if renamed:
        caveats.append(
            f"{renamed} LSOA code(s) appear under more than one LSOA name across the files "
            "(police.uk renamed them); each name is kept as its own row"
        )

    no_loc = (
        pd.DataFrame(
            {
                "crime_type": type_vocab.take(pa.array(type_k[~located])).to_pandas(),
                "month": pd.PeriodIndex.from_ordinals(month_ord[~located], freq="M"),
                "count": counts[~located].astype("int64"),
            }
        )
        .sort_values(["month", "crime_type"])
        .reset_index(drop=True)
    )
    no_location = int(no_loc["count"].sum())
    total = int(counts.sum())
    if no_location:
        caveats.append(
            f"{no_location:,} of {total:,} crimes ({no_location / total:.1%}) have no location "
            "(no LSOA code) and are in no LSOA, ward or borough count"
        )

    columns = ["lsoa_code", "lsoa_name", "borough", "crime_type", "month", "count"]
    if lookup is not None:
        frame, lookup_caveat = _attach_wards(frame, lookup)
        caveats.append(lookup_caveat)
        columns.insert(3, "ward_code")
    outside = _outside_boroughs(frame["borough"])
    if outside.any():
        caveats.append(
            f"{int(frame.loc[outside, 'count'].sum()):,} crimes are in LSOAs outside the "
            f"boroughs ({', '.join(sorted(frame.loc[outside, 'borough'].unique())[:5])}"
            f"{', ...' if frame.loc[outside, 'borough'].nunique() > 5 else ''}); they keep "
            "their own area name in 'borough'"
        )
    frame = frame[columns]
    months = [pd.Period(ordinal=int(o), freq="M") for o in np.unique(month_ordinal)]
    first, last = _csv.month_span(months)
    gaps = _csv.month_gaps(months)
    if gaps:
        caveats.append(f"no file covers {_csv.describe_months(gaps)}")
    coverage = Coverage(
        source=SOURCE,
        format="police.uk street CSV (" + ", ".join(ALL_COLUMNS) + ")",
        files=sorted({item.path for item in items}),
        first_month=first,
        last_month=last,
        areas=int(frame["lsoa_code"].nunique()),
        caveats=caveats,
    )
    return StreetCrime(
        data=frame, no_location=no_location, coverage=coverage, no_location_by_month=no_loc
    )


def _check_months(vocab: pa.Array, files: list[_Codes], items: list[_Input]) -> np.ndarray:
    """Period ordinals of the Month values; a SourceError for a bad or empty Month."""
    ordinals = np.empty(len(vocab), dtype=np.int64)
    bad_value: str | None = None
    for i, value in enumerate(vocab.to_pylist()):
        match = _MONTH.match(value.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            bad_value = value
            break
        ordinals[i] = pd.Period(value.strip(), freq="M").ordinal
    else:
        if all((f.month_index >= 0).all() for f in files):
            return ordinals
    for item, f in zip(items, files, strict=True):
        local = f.months.to_pylist()
        hit = (
            np.isin(f.month_index, [local.index(bad_value)])
            if bad_value in local
            else (f.month_index < 0 if bad_value is None else np.zeros(1, bool))
        )
        if hit.any():
            line = _bad_month_line(item, bad_value)
            at = f"line {line}, " if line else ""
            found = f"'{bad_value}'" if bad_value is not None else "an empty cell"
            raise SourceError(
                SOURCE,
                Path(item.name),
                f"{at}column 'Month': found {found}; expected a month like 2022-09",
            )
    raise SourceError(SOURCE, None, "has a Month that is not YYYY-MM")  # pragma: no cover


def _outside_boroughs(boroughs: pd.Series) -> pd.Series:
    """Rows whose area is not a borough: City of London, airports and the like, and, when the
    data hold real London boroughs, any other district (a force's neighbouring LSOAs). For the
    synthetic demo, whose boroughs are invented, every area that is_not_borough() accepts is
    a borough."""
    from slp.boroughs import LONDON_BOROUGHS, is_not_borough

    names = pd.Series(boroughs.unique())
    bad = names[names.map(is_not_borough).astype(bool)]
    if names.isin(list(LONDON_BOROUGHS)).any():
        bad = names[~names.isin(list(LONDON_BOROUGHS)) | names.isin(bad)]
    return boroughs.isin(list(bad))


def _attach_wards(frame: pd.DataFrame, lookup) -> tuple[pd.DataFrame, str]:
    from slp.sources.boundaries import read_lookup

    if not isinstance(lookup, pd.DataFrame):
        lookup = read_lookup(lookup)
    table = lookup.drop_duplicates("lsoa_code").set_index("lsoa_code")
    frame = frame.copy()
    frame["ward_code"] = frame["lsoa_code"].map(table["ward_code"])
    if "borough" in table.columns:
        from_lookup = frame["lsoa_code"].map(table["borough"])
        frame["borough"] = from_lookup.fillna(frame["borough"])
    unmatched = frame["ward_code"].isna()
    n_crimes = int(frame.loc[unmatched, "count"].sum())
    n_lsoas = int(frame.loc[unmatched, "lsoa_code"].nunique())
    share = 1 - (n_crimes / frame["count"].sum() if len(frame) else 0)
    frame["ward_code"] = frame["ward_code"].fillna("").astype(str)
    caveat = (
        f"{share:.1%} of located crimes are in LSOAs found in the ward lookup; {n_crimes:,} "
        f"crimes in {n_lsoas:,} LSOAs are not (their ward_code is empty)"
    )
    return frame, caveat


def to_ward(street: StreetCrime, lookup=None) -> pd.DataFrame:
    """Street crimes per ward, crime type and month.

    Parameters
    ----------
    street : StreetCrime
    lookup : DataFrame, str or Path, optional
        Needed unless ``street`` was read with one.

    Returns
    -------
    DataFrame
        ``ward_code, crime_type, month, count`` for crimes in LSOAs the lookup knows
        (crimes in other LSOAs are left out; :func:`read_street` reports how many).

    Raises
    ------
    SourceError
        When no lookup is available.
    """
    data = street.data
    if lookup is not None:
        data, _ = _attach_wards(data.drop(columns="ward_code", errors="ignore"), lookup)
    elif "ward_code" not in data.columns:
        raise SourceError(
            SOURCE,
            None,
            "to_ward needs an LSOA-to-ward lookup: pass lookup= here or to read_street",
        )
    data = data.loc[data["ward_code"] != ""]
    out = data.groupby(["ward_code", "crime_type", "month"], observed=True, as_index=False)[
        "count"
    ].sum()
    out["count"] = out["count"].astype("int64")
    return out.sort_values(["ward_code", "crime_type", "month"]).reset_index(drop=True)


def to_borough(street: StreetCrime) -> pd.DataFrame:
    """Street crimes per borough, crime type and month.

    Returns
    -------
    DataFrame
        ``borough, crime_type, month, count``; crimes with no location are not included.
    """
    out = street.data.groupby(["borough", "crime_type", "month"], observed=True, as_index=False)[
        "count"
    ].sum()
    out["count"] = out["count"].astype("int64")
    return out.sort_values(["borough", "crime_type", "month"]).reset_index(drop=True)
