"""CSV plumbing shared by the loaders: finding files, decoding, headers, months, counts.

Private to :mod:`slp.sources`. Every function raises :class:`~slp.errors.SourceError` with the
file, the 1-based line number as an analyst sees it in a text editor (header = line 1), the
column, what was found and what was expected.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from slp.errors import SourceError

#: Header shapes of every source we know, used to say "this looks like X" when a file of one
#: source is passed to the loader of another. Each entry: (human name, loader, columns that
#: identify it, compared case-insensitively).
KNOWN_LAYOUTS: tuple[tuple[str, str, frozenset[str]], ...] = (
    (
        "MPS Ward Level Crime",
        "read_ward_crime",
        frozenset({"majortext", "minortext", "wardname", "wardcode"}),
    ),
    (
        "MPS Borough Level Crime",
        "read_borough_crime",
        frozenset({"majortext", "minortext", "lookup_boroughname"}),
    ),
    (
        "MPS Borough Level Crime",
        "read_borough_crime",
        frozenset({"majortext", "minortext", "boroughname"}),
    ),
    (
        "MPS Borough Level Crime",
        "read_borough_crime",
        frozenset({"borough", "major category", "minor category"}),
    ),
    (
        "MPS Monthly Crime Dashboard",
        "read_dashboard",
        frozenset({"month_year", "area type", "offence group", "count"}),
    ),
    (
        "MPS Monthly Crime Dashboard",
        "read_dashboard",
        frozenset({"month_year", "area type", "crime type", "count"}),
    ),
    (
        "data.police.uk street-level crime",
        "read_street",
        frozenset({"month", "lsoa code", "crime type"}),
    ),
    (
        "Census 2021 TS007a population",
        "read_population",
        frozenset({"geography", "geography code"}),
    ),
    (
        "ONS small-area population estimates",
        "read_population",
        frozenset({"lsoa11cd", "lad11nm"}),
    ),
)

_MONTH_HEADER = re.compile(r"^\d{6}$")
# Headers that are clearly meant as months but are not YYYYMM (so we can say so, not just
# "unknown column").
_MONTHISH_HEADER = re.compile(
    r"^(\d{4}[-/.]\d{1,2}|\d{1,2}[-/.]\d{4}|\d{5}|\d{7,8}|"
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[-\s/]?\d{2,4})$",
    re.IGNORECASE,
)
_WHOLE_NUMBER = re.compile(r"^\s*(\d+|\d{1,3}(,\d{3})+)\s*$")


@dataclass
class Table:
    """A CSV read as text: every cell a string, the header as written, and how it was decoded.

    ``frame`` keeps the file's row order; its index is the 0-based data row, so the line number
    in the file is ``index + 2`` (see :func:`line_of`).
    """

    path: Path
    encoding: str
    columns: list[str]
    frame: pd.DataFrame


def line_of(index: int) -> int:
    """1-based line number in the file of data row ``index`` (the header is line 1)."""
    return int(index) + 2


def resolve_paths(
    paths, source: str, *, patterns: Sequence[str] = ("*.csv",), recursive: bool = False
) -> list[Path]:
    """Expand a file, a folder, or a list of either into a sorted list of files.

    Parameters
    ----------
    paths : str, Path or iterable of them
        Files and/or folders.
    source : str
        Source name for error messages.
    patterns : sequence of str
        Glob patterns used inside folders.
    recursive : bool
        Search folders recursively.

    Raises
    ------
    SourceError
        When a path does not exist or a folder holds no matching file.
    """
    items = [paths] if isinstance(paths, (str, Path)) else list(paths)
    if not items:
        raise SourceError(source, None, "no input files were given")
    files: list[Path] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            found: set[Path] = set()
            for pattern in patterns:
                found.update(path.rglob(pattern) if recursive else path.glob(pattern))
            found = {f for f in found if f.is_file() and not f.name.startswith((".", "~$"))}
            if not found:
                raise SourceError(
                    source,
                    path,
                    f"folder has no files matching {', '.join(patterns)}",
                )
            files.extend(sorted(found))
        elif path.is_file():
            files.append(path)
        else:
            raise SourceError(source, path, f"does not exist (looked for {path})")
    # Keep first occurrence when the same file is named twice.
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def display_names(paths: Iterable[Path]) -> dict[Path, str]:
    """Short names for messages: the file name, or ``folder/name`` when two inputs share a name
    (e.g. the same file name in two download vintages)."""
    paths = [Path(p) for p in paths]
    counts: dict[str, int] = {}
    for p in paths:
        counts[p.name] = counts.get(p.name, 0) + 1
    return {p: (p.name if counts[p.name] == 1 else f"{p.parent.name}/{p.name}") for p in paths}


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), falling back to Excel's cp1252.

    Returns
    -------
    text, encoding : str, str
    """
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    try:
        return body.decode("utf-8"), "utf-8-sig" if bom else "utf-8"
    except UnicodeDecodeError:
        pass
    # Not UTF-8 (even after a byte-order mark, which some tools add to any text they save).
    try:
        return body.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 maps every byte.
        return body.decode("latin-1"), "latin-1"


def read_text(path: Path, source: str) -> tuple[str, str]:
    """Read a whole file as text (see :func:`decode`); an empty file is an error."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SourceError(source, path, f"cannot be read: {exc.strerror or exc}") from exc
    text, encoding = decode(data)
    if not text.strip():
        raise SourceError(source, path, "is empty (expected a header line and data rows)")
    return text, encoding


def read_header(path: Path, source: str) -> list[str]:
    """Only the header line, decoded; cheap for large files."""
    with open(path, "rb") as handle:
        head = handle.read(64 * 1024)
    if not head.strip():
        raise SourceError(source, path, "is empty (expected a header line and data rows)")
    text, _ = decode(head)
    first = text.splitlines()[0] if text.splitlines() else ""
    return [c.strip() for c in next(csv.reader([first]), [])]


def read_table(path: Path, source: str) -> Table:
    """Read a CSV with every cell as a string, checking the header and that it has data rows.

    Raises
    ------
    SourceError
        Empty file, duplicated or blank column names, ragged rows, or no data rows.
    """
    text, encoding = read_text(path, source)
    header = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
    columns = [c.strip() for c in header]
    duplicates = sorted({c for c in columns if columns.count(c) > 1 and c})
    if duplicates:
        raise SourceError(
            source,
            path,
            f"line 1 (header) repeats column(s) {', '.join(duplicates)}; expected each column once",
        )
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            header=0,
            names=columns,
        )
    except pd.errors.ParserError as exc:
        raise SourceError(source, path, f"is not a well-formed CSV: {exc}") from exc
    # Trailing or stray blank lines come through as all-empty rows; their index still counts
    # for line numbers, so drop them without resetting the index.
    filled = frame.fillna("").astype(str)
    blank = (filled.apply(lambda col: col.str.strip()) == "").all(axis=1)
    frame = filled.loc[~blank]
    if frame.empty:
        raise SourceError(source, path, f"has a header ({', '.join(columns)}) but no data rows")
    return Table(path=Path(path), encoding=encoding, columns=columns, frame=frame)


def looks_like(columns: Iterable[str]) -> tuple[str, str] | None:
    """(source name, loader) that a header belongs to, or None when it matches none we know."""
    lowered = {c.strip().lower() for c in columns}
    for name, loader, needed in KNOWN_LAYOUTS:
        if needed <= lowered:
            return name, loader
    return None


def wrong_source(source: str, path: Path, columns: Sequence[str], expected: str) -> SourceError:
    """The error for a file whose header is not the expected layout, naming what it looks like."""
    shown = ", ".join(columns[:8]) + (", ..." if len(columns) > 8 else "")
    guess = looks_like(columns)
    hint = ""
    if guess and guess[0] != source:
        hint = f"; it looks like {guess[0]} data (read it with {guess[1]})"
    return SourceError(
        source, path, f"is not in the {source} layout: expected {expected}; found: {shown}{hint}"
    )


def split_month_columns(
    columns: Sequence[str], source: str, path: Path
) -> tuple[list[str], list[str], list[pd.Period]]:
    """Split a wide header into identifier columns and YYYYMM month columns.

    Returns
    -------
    id_columns, month_columns, months

    Raises
    ------
    SourceError
        No month columns, a month-like header that is not YYYYMM, an impossible month
        (e.g. 202213), months out of order, or a gap in the months.
    """
    ids: list[str] = []
    month_cols: list[str] = []
    months: list[pd.Period] = []
    for col in columns:
        if _MONTH_HEADER.match(col):
            year, month = int(col[:4]), int(col[4:])
            if not (1 <= month <= 12 and 1900 <= year <= 2100):
                raise SourceError(
                    source,
                    path,
                    f"column '{col}' (line 1) is not a valid month: expected YYYYMM with a "
                    "month 01-12, e.g. 202209",
                )
            month_cols.append(col)
            months.append(pd.Period(year=year, month=month, freq="M"))
        elif _MONTHISH_HEADER.match(col):
            raise SourceError(
                source,
                path,
                f"column '{col}' (line 1) looks like a month but is not YYYYMM; expected "
                "headers like 202209",
            )
        else:
            ids.append(col)
    if not month_cols:
        raise SourceError(
            source,
            path,
            f"has no month columns (expected headers like 202209); found: {', '.join(columns)}",
        )
    ordinals = np.array([m.ordinal for m in months])
    if np.any(np.diff(ordinals) <= 0):
        raise SourceError(
            source,
            path,
            "month columns (line 1) are not in increasing order: "
            f"{', '.join(month_cols)}; expected consecutive months, oldest first",
        )
    missing = sorted(set(range(ordinals.min(), ordinals.max() + 1)) - set(ordinals.tolist()))
    if missing:
        gaps = ", ".join(pd.Period(ordinal=o, freq="M").strftime("%Y%m") for o in missing[:6])
        more = f" and {len(missing) - 6} more" if len(missing) > 6 else ""
        raise SourceError(
            source,
            path,
            f"has a gap in its month columns: {gaps}{more} missing between {month_cols[0]} "
            f"and {month_cols[-1]}; expected one column for every month",
        )
    return ids, month_cols, months


def parse_counts(
    frame: pd.DataFrame, columns: Sequence[str], source: str, path: Path
) -> np.ndarray:
    """Parse count cells to an int64 array (rows x columns); thousands separators allowed.

    Raises
    ------
    SourceError
        For the first cell that is empty, not a whole number, or negative, naming its line and
        column, the value found and that a whole number >= 0 was expected.
    """
    values = frame[list(columns)].to_numpy(dtype=object)
    try:
        counts = values.astype(np.int64)
    except (ValueError, TypeError, OverflowError):
        # Slow path only for files that need it: "1,234" written by Excel.
        cleaned = np.array(
            [
                v.replace(",", "") if isinstance(v, str) and _WHOLE_NUMBER.match(v) else v
                for v in values.ravel()
            ],
            dtype=object,
        ).reshape(values.shape)
        try:
            counts = cleaned.astype(np.int64)
        except (ValueError, TypeError, OverflowError):
            counts = None
    if counts is None or (counts < 0).any():
        _raise_bad_count(frame, columns, values, source, path)
    return counts


def _raise_bad_count(frame, columns, values, source, path) -> None:
    for r, index in enumerate(frame.index):
        for c, col in enumerate(columns):
            cell = values[r, c]
            text = "" if cell is None or (isinstance(cell, float) and np.isnan(cell)) else str(cell)
            if _WHOLE_NUMBER.match(text):
                continue
            stripped = text.strip()
            if stripped.startswith("-") and _WHOLE_NUMBER.match(stripped[1:]):
                what = f"a negative count {stripped}"
            elif not stripped:
                what = "an empty cell"
            else:
                what = f"'{stripped}'"
            raise SourceError(
                source,
                path,
                f"line {line_of(index)}, column '{col}': found {what}; expected a whole number "
                ">= 0",
            )
    raise SourceError(source, path, "has counts that are not whole numbers >= 0")


def check_unique(
    frame: pd.DataFrame, keys: Sequence[str], source: str, path: Path, what: str
) -> None:
    """Raise when two rows share the same ``keys``, naming both lines and the repeated values."""
    dup = frame.duplicated(list(keys), keep=False)
    if not dup.any():
        return
    rows = frame.loc[dup]
    first_key = tuple(rows.iloc[0][list(keys)])
    same = rows[(rows[list(keys)] == pd.Series(first_key, index=list(keys))).all(axis=1)]
    lines = ", ".join(str(line_of(i)) for i in same.index[:5])
    shown = ", ".join(f"{k}={v!r}" for k, v in zip(keys, first_key, strict=True))
    raise SourceError(
        source,
        path,
        f"lines {lines} repeat the same {what} ({shown}); expected each {what} once",
    )


def check_not_blank(frame: pd.DataFrame, columns: Sequence[str], source: str, path: Path) -> None:
    """Raise for the first empty identifier cell (e.g. a row with no borough name)."""
    for col in columns:
        blank = frame[col].str.strip() == ""
        if blank.any():
            index = blank.idxmax()
            raise SourceError(
                source,
                path,
                f"line {line_of(index)}, column '{col}': found an empty cell; expected a value",
            )


def month_span(months: Iterable[pd.Period]) -> tuple[str | None, str | None]:
    """('YYYY-MM', 'YYYY-MM') of the first and last month, or (None, None)."""
    months = list(months)
    if not months:
        return None, None
    return min(months).strftime("%Y-%m"), max(months).strftime("%Y-%m")


def describe_months(ordinals: Iterable[int]) -> str:
    """Compact text for a set of months: '2021-08', '2021-08 to 2021-10', or a list of runs."""
    values = sorted(set(int(o) for o in ordinals))
    if not values:
        return ""
    runs: list[tuple[int, int]] = []
    start = prev = values[0]
    for value in values[1:]:
        if value != prev + 1:
            runs.append((start, prev))
            start = value
        prev = value
    runs.append((start, prev))

    def fmt(o: int) -> str:
        return pd.Period(ordinal=o, freq="M").strftime("%Y-%m")

    return ", ".join(fmt(a) if a == b else f"{fmt(a)} to {fmt(b)}" for a, b in runs)


def month_gaps(months: Iterable[pd.Period]) -> list[int]:
    """Ordinals of months missing between the first and last of ``months``."""
    ordinals = {m.ordinal for m in months}
    if not ordinals:
        return []
    return sorted(set(range(min(ordinals), max(ordinals) + 1)) - ordinals)
