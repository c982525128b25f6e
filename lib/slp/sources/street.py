"""data.police.uk street-level crime: monthly counts by LSOA, ward and borough.

Reads ``YYYY-MM-<force>-street.csv`` files (any force; a file, a folder searched recursively,
the monthly archive zip, or a list of these) with columns ``Crime ID, Month, Reported by,
Falls within, Longitude, Latitude, Location, LSOA code, LSOA name, Crime type, Last outcome
category, Context``. Files are read in parallel with polars' CSV reader, which parses only the
four columns needed, every cell as text (no type inference, so an odd file cannot be
mis-typed). LSOA code and crime type become polars Categoricals as they are read, and each
file is counted with ``numpy.bincount`` over their integer codes; only the small per-file
counts are merged, and no Python object is created per row (``bench/street_ingest.py`` times a
year of Metropolitan data, about a million rows).

Crimes with no LSOA (police.uk's "No Location") are counted in :attr:`StreetCrime.no_location`
and reported in the coverage; they are in no LSOA, ward or borough count. Blank lines are
skipped (line numbers in messages still count them). Because only the needed columns are
parsed, a line with more fields than the header is not detected.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa

from slp.coverage import Coverage
from slp.errors import SourceError
from slp.periods import split_month
from slp.sources import _csv, _police_files, _schemas
from slp.sources._police_files import ALL_COLUMNS, NEEDED, SOURCE

if TYPE_CHECKING:
    import polars as pl

#: Header signature that identifies this source (see :func:`slp.sources._csv.known_layouts`).
SIGNATURES = _csv.signatures(SOURCE, "read_street", [NEEDED])
#: Identifier columns of :attr:`StreetCrime.data` (``ward_code`` is inserted after ``borough``
#: when a lookup is given), before ``month, count``.
COLUMNS = ("lsoa_code", "lsoa_name", "borough", "crime_type")
# A GSS code (E01003189): a letter and eight digits.
AREA_CODE = r"^[A-Z][0-9]{8}$"
_LSOA_SUFFIX = re.compile(r"\s+\d{3}[A-Z]$")


#: The crime type of anti-social behaviour incidents (not recorded crime).
_ASB = "Anti-social behaviour"


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


def _distinct(slot: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct category codes of a column given as code + 1 per row (0: empty cell), a row
    holding each, and every row's index into them (-1: empty cell)."""
    row_of = np.full(int(slot.max(initial=0)) + 1, -1, dtype=np.int64)
    row_of[slot] = np.arange(len(slot))  # the last row of each code wins
    row_of[0] = -1
    present = np.flatnonzero(row_of >= 0)
    index = np.full(len(row_of), -1, dtype=np.int64)
    index[present] = np.arange(len(present))
    return present - 1, row_of[present], index[slot]


def _slots(column: pl.Series) -> np.ndarray:
    """Each row's category code + 1 in a Categorical column (0: empty cell)."""
    import polars as pl
    return (column.to_physical().cast(pl.Int64) + 1).fill_null(0).to_numpy()


def _month_ordinal(value: str) -> int | None:
    """The period ordinal of a 'YYYY-MM' Month (surrounding spaces allowed), else None."""
    month = split_month(value)
    return None if month is None else pd.Period(year=month[0], month=month[1], freq="M").ordinal


@dataclass
class _Counts:
    """One file's crimes counted by LSOA, crime type and month.

    Each count's LSOA, type and month are indices into the file's own small lists, which hold
    Categorical codes (shared by all files; ``values`` turns them back into text) or, for
    months, period ordinals.
    """

    name: str
    encoding: str
    pair_code: np.ndarray  # the file's distinct (LSOA code, LSOA name) pairs, as codes ...
    pair_name: np.ndarray  # ... (-1: no name)
    types: np.ndarray
    months: np.ndarray  # period ordinals
    lsoa: np.ndarray  # per count: index into the pairs (-1: no location) ...
    crime_type: np.ndarray  # ... into types
    month: np.ndarray  # ... into months
    count: np.ndarray
    values: pl.Series  # Categorical holding every code above


def _months_of(
    item: _police_files.Input, month_text: pl.Series, blank: np.ndarray
) -> tuple[list[int], np.ndarray]:
    """The file's months (period ordinals) and each row's index into them (-1: blank line)."""
    import polars as pl

    # police.uk puts one month in a file: compare every row with the first one's.
    first = month_text[int(np.argmin(blank))]
    same = (month_text == first).fill_null(False).to_numpy() if first is not None else blank
    if (same | blank).all():
        month_values, month = [first], np.where(blank, -1, 0)
    else:
        _, month_rows, month = _distinct(_slots(month_text.cast(pl.Categorical)))
        month_values = month_text.gather(month_rows).to_list()
    months = [_month_ordinal(v) for v in month_values]
    bad = np.array([m is None for m in months] + [True])  # the last slot: an empty cell
    wrong = bad[month] & ~blank
    if wrong.any():
        row = int(np.argmax(wrong))
        found = f"'{month_values[month[row]]}'" if month[row] >= 0 else "an empty cell"
        raise SourceError(
            SOURCE,
            Path(item.name),
            f"line {_csv.line_of(row)}, column 'Month': found {found}; expected a month like "
            "2022-09",
        )
    return months, month


def _located(item: _police_files.Input, code_text: pl.Series, code: np.ndarray) -> np.ndarray:
    """Each row's index into the distinct LSOA codes, -1 for no location, after checking that
    every code looks like one."""
    import polars as pl

    # Every distinct LSOA code must look like one. A comma outside double quotes in Location
    # moves the later fields one column right; projected reading cannot see the extra field,
    # but the LSOA code column then holds the rest of the location (or an LSOA name).
    # A quoted empty cell ("") or spaces is no location, like an empty one.
    code_text = code_text.cast(pl.String)
    empty_code = (code_text.str.strip_chars() == "").to_numpy()
    if empty_code.any():
        code = np.where(np.isin(code, np.flatnonzero(empty_code)), -1, code)
    not_code = (~code_text.str.contains(AREA_CODE)).to_numpy() & ~empty_code
    if not_code.any():
        i = int(np.argmax(not_code))
        raise SourceError(
            SOURCE,
            Path(item.name),
            f"line {_csv.line_of(int(np.argmax(code == i)))}, column 'LSOA code': found "
            f"'{code_text[i]}'; expected an LSOA code like E01003189 (if that line's Location has "
            "a comma outside double quotes, every later field has moved one column right)",
        )
    return code


def _pairs(name_text: pl.Series, code_rows, code_codes, code: np.ndarray):
    """The file's distinct (LSOA code, LSOA name) pairs as category codes, each row's index
    into them (-1: no location), and the names as a Categorical."""
    import polars as pl

    # police.uk gives one name per LSOA code within a file: each code takes the name of one
    # of its rows and every row is compared with it; only a file that breaks the rule pays
    # for encoding and sorting its rows' (code, name) pairs.
    names = name_text.gather(code_rows)
    located = code >= 0
    expected = names.gather(np.where(located, code, 0)) if len(names) else name_text
    if (name_text.eq_missing(expected).to_numpy() | ~located).all():
        pair_code, lsoa = code_codes, code
        names = names.cast(pl.Categorical)
        pair_name = _slots(names) - 1
    else:
        name_categories = name_text.cast(pl.Categorical)
        name_slot = _slots(name_categories)
        _, name_rows, _ = _distinct(name_slot)
        names = name_categories.gather(name_rows)
        name = name_slot - 1
        rows = np.flatnonzero(located)
        width = int(name.max()) + 2
        pairs, inverse = np.unique(code[rows] * width + name[rows] + 1, return_inverse=True)
        pair_code, pair_name = code_codes[pairs // width], pairs % width - 1
        lsoa = np.full(len(code), -1, dtype=np.int64)
        lsoa[rows] = inverse
    return pair_code, pair_name, lsoa, names


def _count_one(item: _police_files.Input) -> _Counts:
    """Read one file, check it and count its rows, all on integer codes."""
    import polars as pl
    frame, encoding = _police_files.read(item)
    month_text = frame.get_column("Month")
    name_text = frame.get_column("LSOA name")
    code_codes, code_rows, code = _distinct(frame.get_column("#code").to_numpy())
    type_codes, type_rows, ctype = _distinct(frame.get_column("#type").to_numpy())
    blank = frame.get_column("#blank").to_numpy()  # a blank line: not a crime
    if blank.all():
        raise SourceError(SOURCE, Path(item.name), "has a header but no data rows")

    months, month = _months_of(item, month_text, blank)
    type_text = frame.get_column("Crime type").gather(type_rows).cast(pl.String).str.strip_chars()
    empty_type = np.append((type_text == "").to_numpy(), True)  # the last slot: an empty cell
    missing_type = empty_type[ctype] & ~blank
    if missing_type.any():
        raise SourceError(
            SOURCE,
            Path(item.name),
            f"line {_csv.line_of(int(np.argmax(missing_type)))}, column 'Crime type': found an "
            "empty cell; expected a crime type such as 'Burglary'",
        )

    code = _located(item, frame.get_column("LSOA code").gather(code_rows), code)
    pair_code, pair_name, lsoa, names = _pairs(name_text, code_rows, code_codes, code)

    n_type, n_month = len(type_codes), len(months)
    key = ((lsoa + 1) * n_type + ctype) * n_month + month  # lsoa + 1: 0 is "no location"
    counts = np.bincount(key[~blank] if blank.any() else key)
    keys = np.flatnonzero(counts)
    lsoa_k, rest = np.divmod(keys, n_type * n_month)
    type_k, month_k = np.divmod(rest, n_month)
    return _Counts(
        name=item.name,
        encoding=encoding,
        pair_code=pair_code,
        pair_name=pair_name,
        types=type_codes,
        months=np.array(months, dtype=np.int64),
        lsoa=lsoa_k - 1,
        crime_type=type_k,
        month=month_k,
        count=counts[keys],
        values=pl.concat(
            [
                frame.get_column("LSOA code").gather(code_rows),
                names,
                frame.get_column("Crime type").gather(type_rows),
            ]
        ),
    )


def _sorted_vocabulary(codes: np.ndarray, text: dict[int, str]) -> tuple[list[str], np.ndarray]:
    """The distinct texts of some Categorical codes, sorted, and a code -> position table
    whose last slot maps code -1 to -1."""
    distinct = np.unique(codes[codes >= 0])
    values = [text[c] for c in distinct.tolist()]
    order = sorted(range(len(values)), key=values.__getitem__)
    position = np.full(int(distinct.max(initial=-1)) + 2, -1, dtype=np.int64)
    position[distinct[order]] = np.arange(len(order))
    return [values[i] for i in order], position


@dataclass
class _Merged:
    """Every file's counts on one set of sorted vocabularies, summed by key."""

    codes: list[str]  # per LSOA (code, name) pair
    names: list[str]
    type_values: list[str]
    month_ordinal: np.ndarray
    lsoa_k: np.ndarray  # per count: pair index (-1: no location) ...
    type_k: np.ndarray  # ... crime type index ...
    month_k: np.ndarray  # ... month index
    counts: np.ndarray


def _merge(files: list[_Counts]) -> _Merged:
    """Merge the files' small lists into sorted vocabularies and sum counts with one key."""
    import polars as pl

    # The files' small lists, merged into sorted vocabularies.
    values = pl.concat([f.values for f in files]).unique()
    text = dict(zip(values.to_physical().to_list(), values.cast(pl.String).to_list(), strict=True))
    code_values, code_at = _sorted_vocabulary(np.concatenate([f.pair_code for f in files]), text)
    name_values, name_at = _sorted_vocabulary(np.concatenate([f.pair_name for f in files]), text)
    type_values, type_at = _sorted_vocabulary(np.concatenate([f.types for f in files]), text)
    month_ordinal = np.unique(np.concatenate([f.months for f in files]))
    # LSOAs are (code, name) pairs: police.uk renamed some LSOAs between months. As one
    # integer (name -1 -> 0), they sort by code, then name.
    width = len(name_values) + 1
    pair_keys = [code_at[f.pair_code] * width + name_at[f.pair_name] + 1 for f in files]
    pairs = np.unique(np.concatenate(pair_keys))
    lsoa = np.concatenate(
        [
            np.append(np.searchsorted(pairs, k), -1)[f.lsoa]  # the last slot keeps -1 as -1
            for k, f in zip(pair_keys, files, strict=True)
        ]
    )
    ctype = np.concatenate([type_at[f.types][f.crime_type] for f in files])
    month = np.concatenate([np.searchsorted(month_ordinal, f.months)[f.month] for f in files])
    count = np.concatenate([f.count for f in files])
    codes = [code_values[i] for i in (pairs // width).tolist()]
    names = [name_values[i - 1] if i else "" for i in (pairs % width).tolist()]
    n_lsoa, n_type, n_month = len(codes), len(type_values), len(month_ordinal)
    # Pair index + 1, so that 0 is "no location"; the same key can come from several files.
    key = ((lsoa + 1) * n_type + ctype) * n_month + month
    size = (n_lsoa + 1) * n_type * n_month
    if size <= 50_000_000:
        sums = np.bincount(key, weights=count, minlength=size)
        keys = np.flatnonzero(sums)
        counts = sums[keys].astype(np.int64)
    else:  # very many LSOAs x months: sort instead of a huge bin array
        keys, inverse = np.unique(key, return_inverse=True)
        counts = np.bincount(inverse, weights=count).astype(np.int64)
    lsoa_k, rest = np.divmod(keys, n_type * n_month)
    lsoa_k -= 1
    type_k, month_k = np.divmod(rest, n_month)
    return _Merged(codes, names, type_values, month_ordinal, lsoa_k, type_k, month_k, counts)


def _tables(m: _Merged) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The located counts (``lsoa_code, lsoa_name, borough, crime_type, month, count``) and the
    no-location counts (``crime_type, month, count``)."""
    codes, names, type_values, month_ordinal = m.codes, m.names, m.type_values, m.month_ordinal
    lsoa_k, type_k, month_k, counts = m.lsoa_k, m.type_k, m.month_k, m.counts
    type_vocab = pa.array(type_values, pa.string())
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
    frame["count"] = counts[located]
    no_loc = (
        pd.DataFrame(
            {
                "crime_type": type_vocab.take(pa.array(type_k[~located])).to_pandas(),
                "month": pd.PeriodIndex.from_ordinals(month_ord[~located], freq="M"),
                "count": counts[~located],
            }
        )
        .sort_values(["month", "crime_type"])
        .reset_index(drop=True)
    )
    return frame, no_loc


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
        Files read at the same time (default: the number of CPUs); polars also parses each
        file on its own thread pool (sized by ``POLARS_MAX_THREADS``).

    Returns
    -------
    StreetCrime

    Raises
    ------
    SourceError
        A file is empty, is not a street-level file (e.g. a population file), is not a
        well-formed CSV, has a Month that is not YYYY-MM, or rows with no crime type.

    Examples
    --------
    >>> street = read_street("../shared/data/police-uk/metropolitan-burglary-only")  # doctest: +SKIP
    >>> street.no_location  # doctest: +SKIP
    2937
    """
    items = _police_files.inputs(paths)
    workers = workers or min(len(items), os.cpu_count() or 1)
    if workers > 1 and len(items) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            files = list(pool.map(_count_one, items))
    else:
        files = [_count_one(item) for item in items]
    files, caveats = _police_files.one_copy_per_month(items, files)
    caveats += [
        f"'{f.name}' was not UTF-8 and was read as {f.encoding}"
        for f in files
        if not f.encoding.startswith("utf-8")
    ]

    merged = _merge(files)
    frame, no_loc = _tables(merged)
    renamed = int(pd.Series(merged.codes).duplicated().sum())
    if renamed:
        caveats.append(
            f"{renamed} LSOA code(s) appear under more than one LSOA name across the files "
            "(police.uk renamed them); each name is kept as its own row"
        )

    no_location = int(no_loc["count"].sum())
    if no_location:
        caveats.append(_no_location_caveat(merged, no_loc, frame))

    columns = [*COLUMNS, "month", "count"]
    if lookup is not None:
        frame, lookup_caveat = _attach_wards(frame, lookup)
        caveats.append(lookup_caveat)
        columns.insert(3, "ward_code")
    outside = _outside_boroughs(frame["borough"], frame["count"])
    if outside.any():
        caveats.append(
            f"{int(frame.loc[outside, 'count'].sum()):,} crimes are in LSOAs outside the "
            f"boroughs ({', '.join(sorted(frame.loc[outside, 'borough'].unique())[:5])}"
            f"{', ...' if frame.loc[outside, 'borough'].nunique() > 5 else ''}); they keep "
            "their own area name in 'borough'"
        )
    frame = frame[columns]
    schema = _schemas.monthly_counts(tuple(columns[:-2]), blank_allowed=("lsoa_name", "ward_code"))
    _schemas.validate(frame, schema, SOURCE, sorted({item.path for item in items}))
    months = [pd.Period(ordinal=int(o), freq="M") for o in merged.month_ordinal]
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


def _no_location_caveat(merged: _Merged, no_loc: pd.DataFrame, located: pd.DataFrame) -> str:
    """How many crimes (and, apart, ASB incidents) have no location, in no area's count: "2 of
    7 crimes (28.6%) ... in no LSOA, ward or borough count" ("local authority" outside
    London)."""
    from slp.boroughs import area_noun

    types = pd.Series(merged.counts).groupby(
        np.asarray(merged.type_values, dtype=object)[merged.type_k]).sum()
    parts = []
    for kind, noun in ((False, "crimes"), (True, "ASB incidents")):
        total = int(types[(types.index == _ASB) == kind].sum())
        n = int(no_loc.loc[(no_loc["crime_type"] == _ASB) == kind, "count"].sum())
        if n:
            parts.append(f"{n:,} of {total:,} {noun} ({n / total:.1%})")
    areas = area_noun(located.groupby("borough")["count"].sum().to_dict())
    return (f"{' and '.join(parts)} have no location (no LSOA code) and are in no LSOA, ward or "
            f"{areas} count")


def _outside_boroughs(boroughs: pd.Series, counts: pd.Series) -> pd.Series:
    """Rows whose area is not a borough: City of London, airports and the like, and, when the
    files are London's, any other district (a force's neighbouring LSOAs). The files are
    London's when the London boroughs hold at least as many crimes as any other area: a force
    elsewhere (Gwent) places a few crimes in London, which does not make its own authorities
    "outside the boroughs" (its reader, :mod:`slp.sources.police_uk`, says what is outside).
    For the synthetic demo, whose boroughs are invented, every area that is_not_borough()
    accepts is a borough."""
    from slp.boroughs import LONDON_BOROUGHS, is_not_borough

    names = pd.Series(boroughs.unique())
    bad = names[names.map(is_not_borough).astype(bool)]
    in_london = boroughs.isin(list(LONDON_BOROUGHS)).to_numpy()
    if in_london.any():
        others = counts[~in_london & ~boroughs.isin(list(bad)).to_numpy()]
        largest = others.groupby(boroughs[others.index]).sum().max() if len(others) else 0
        if counts[in_london].sum() >= largest:
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
