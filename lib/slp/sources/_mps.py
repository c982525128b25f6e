"""The wide MPS layout shared by the borough and ward files: identifier columns then YYYYMM.

Private to :mod:`slp.sources`. Reads one file into a long frame, and combines several files of
one download (a "Historical" file and its "most recent 24 months" twin, or several vintages)
into one monthly series in which each month comes from exactly one file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from slp import categories
from slp.boroughs import is_not_borough
from slp.errors import SourceError
from slp.sources import _csv


@dataclass(frozen=True)
class Layout:
    """One header shape: the identifier columns as written, their tidy names, and a label."""

    name: str
    columns: tuple[str, ...]
    tidy: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.name} ({', '.join(self.columns)})"


@dataclass
class WideFile:
    """One MPS file read into long form."""

    path: Path
    layout: Layout
    classification: str
    months: list[pd.Period]
    data: pd.DataFrame  # tidy id columns + month + count
    encoding: str = "utf-8"


def read_wide(path: Path, source: str, layouts: Sequence[Layout], key: Sequence[str]) -> WideFile:
    """Read one wide MPS file, recognising its layout from the header.

    Parameters
    ----------
    path : Path
    source : str
        Source name for messages.
    layouts : sequence of Layout
        Accepted header shapes.
    key : sequence of str
        Tidy columns that identify a row (duplicates are an error).

    Raises
    ------
    SourceError
        Wrong layout (naming the source it looks like), no/bad month columns, empty cells,
        duplicated rows, non-numeric or negative counts, mixed-case categories.
    """
    table = _csv.read_table(path, source)
    expected = "columns " + " or ".join(f"'{', '.join(lay.columns)}, YYYYMM...'" for lay in layouts)
    # A file of another source is named as such before we complain about its months.
    guess = _csv.looks_like(table.columns)
    if guess and guess[0] != source:
        raise _csv.wrong_source(source, path, table.columns, expected)
    id_cols, month_cols, months = _csv.split_month_columns(table.columns, source, path)
    lowered_ids = sorted(c.lower() for c in id_cols)
    layout = next(
        (lay for lay in layouts if sorted(c.lower() for c in lay.columns) == lowered_ids), None
    )
    if layout is None:
        raise _csv.wrong_source(source, path, table.columns, expected)
    by_lower = {c.lower(): c for c in id_cols}
    frame = table.frame
    ids = frame[[by_lower[c.lower()] for c in layout.columns]].apply(lambda s: s.str.strip())
    ids.columns = list(layout.columns)  # as written, for messages
    _check_no_total_rows(ids, layout, source, path)
    ids.columns = list(layout.tidy)
    _csv.check_not_blank(ids, list(layout.tidy), source, path)
    _csv.check_unique(ids, list(key), source, path, "row")
    counts = _csv.parse_counts(frame, month_cols, source, path)

    if layout.name == "oldest":
        classification = "oldest"
    else:
        classification = categories.classify(ids["major"].unique())
        if classification is None:
            upper = ids.loc[ids["major"].str.isupper(), "major"]
            title = ids.loc[~ids["major"].str.isupper(), "major"]
            raise SourceError(
                source,
                path,
                f"mixes upper-case (line {_csv.line_of(upper.index[0])}: '{upper.iloc[0]}') and "
                f"title-case (line {_csv.line_of(title.index[0])}: '{title.iloc[0]}') major "
                "categories; expected one classification per file",
            )

    n_rows, n_months = counts.shape
    long = pd.DataFrame(
        {col: np.repeat(ids[col].to_numpy(dtype=object), n_months) for col in layout.tidy}
    )
    ordinals = np.tile(np.array([m.ordinal for m in months], dtype="int64"), n_rows)
    long["month"] = pd.PeriodIndex.from_ordinals(ordinals, freq="M")
    long["count"] = counts.reshape(-1).astype("int64")
    return WideFile(
        path=Path(path),
        layout=layout,
        classification=classification,
        months=months,
        data=long,
        encoding=table.encoding,
    )


#: Cells of a spreadsheet's total or subtotal row ("Total", "Grand Total", "All boroughs").
_TOTAL = re.compile(
    r"^((grand|sub)[\s-]?)?totals?(\b.*)?$|^all(\s+(boroughs?|areas?|wards?|crimes?|offences?))?$|"
    r"^sum$|^london(\s+total)?$|"
    r"^metropolitan police( service)?$",
    re.IGNORECASE,
)


def _check_no_total_rows(ids: pd.DataFrame, layout: Layout, source: str, path: Path) -> None:
    """Blame a spreadsheet's total row on this file, naming its line, before it can be taken
    for an area (and then blamed on another file, e.g. for having no population)."""
    for written, tidy in zip(layout.columns, layout.tidy, strict=True):
        if tidy not in ("borough", "ward_name", "major"):
            continue
        total = ids[written].str.match(_TOTAL)
        if total.any():
            index = total.idxmax()
            raise SourceError(
                source,
                path,
                f"line {_csv.line_of(index)}, column '{written}': found "
                f"'{ids.at[index, written]}', "
                "a total row (a sum of other rows, e.g. added in a spreadsheet); expected only "
                "single areas and categories: delete the total row and save the file again",
            )


def recency(files: Sequence[WideFile]):
    """Sort key, newest last, for ``(position, file)`` items of ``files``.

    A download is a folder (a vintage) whose newest month tells its date: every file of a
    later vintage is newer than every file of an earlier one, even a "Historical" file that
    ends years before. Within a vintage, the file reaching the later month is newer; on a tie
    a "most recent 24 months" file is newer than a "Historical" one, then the later-given file.
    """
    newest: dict[Path, int] = {}
    for wide in files:
        last = max(m.ordinal for m in wide.months)
        newest[wide.path.parent] = max(newest.get(wide.path.parent, last), last)

    def key(item: tuple[int, WideFile]) -> tuple:
        position, wide = item
        name = wide.path.name.lower()
        last = max(m.ordinal for m in wide.months)
        return (newest[wide.path.parent], last, "24 months" in name, position)

    return key


def combine(
    files: Sequence[WideFile], source: str
) -> tuple[pd.DataFrame, list[str], dict[str, str]]:
    """One series from several files: each month is taken from the newest file holding it.

    Returns
    -------
    data, caveats, month_files : DataFrame, list of str, dict
        Caveats report the overlapping months, which file was used for them and whether the
        two files agree on them, and any months missing between the first and the last.
        ``month_files`` maps each month ('YYYY-MM') to the name of the file it came from.
    """
    names = _csv.display_names(w.path for w in files)
    caveats = [
        c for w in files if (c := _csv.encoding_caveat(names[w.path], w.encoding)) is not None
    ]
    claimed: dict[int, WideFile] = {}
    overlaps: dict[tuple[int, int], list[int]] = {}
    for _, wide in sorted(enumerate(files), key=recency(files), reverse=True):
        for month in wide.months:
            owner = claimed.get(month.ordinal)
            if owner is None:
                claimed[month.ordinal] = wide
            else:
                overlaps.setdefault((id(owner), id(wide)), []).append(month.ordinal)
    by_id = {id(w): w for w in files}
    parts = []
    for wide in files:
        mine = [o for o, owner in claimed.items() if owner is wide]
        if not mine:
            caveats.append(
                f"every month of '{names[wide.path]}' is also in a newer file, so none of its "
                "figures are used"
            )
            continue
        parts.append(_in_months(wide, mine))
    for (newer_id, older_id), ordinals in overlaps.items():
        newer, older = by_id[newer_id], by_id[older_id]
        caveats.append(
            f"months {_csv.describe_months(ordinals)} are in both '{names[older.path]}' and "
            f"'{names[newer.path]}'; the newer file's figures ('{names[newer.path]}') are used"
            f"{_agreement(newer, older, ordinals)}"
        )
    gaps = _csv.month_gaps(pd.Period(ordinal=o, freq="M") for o in claimed)
    if gaps:
        caveats.append(
            f"no data for {len(gaps)} month(s) between the files: {_csv.describe_months(gaps)}"
        )
    data = pd.concat(parts, ignore_index=True) if parts else files[0].data.iloc[0:0]
    month_files = {
        pd.Period(ordinal=o, freq="M").strftime("%Y-%m"): names[w.path]
        for o, w in sorted(claimed.items())
    }
    return data, caveats, month_files


def _in_months(wide: WideFile, ordinals: Sequence[int]) -> pd.DataFrame:
    return wide.data.loc[np.isin(pd.PeriodIndex(wide.data["month"]).asi8, list(ordinals))]


def _agreement(newer: WideFile, older: WideFile, ordinals: Sequence[int]) -> str:
    """Words saying whether two files hold the same figures for the months they share."""
    keys = [*newer.layout.tidy, "month"]
    if sorted(older.layout.tidy) != sorted(newer.layout.tidy):
        return ""
    both = _in_months(newer, ordinals).merge(
        _in_months(older, ordinals), on=keys, how="outer", suffixes=("_new", "_old")
    )
    differ = both.loc[both["count_new"].fillna(-1) != both["count_old"].fillna(-1)]
    if differ.empty:
        return "; the two files hold identical figures for them, so nothing is counted twice"
    area = "ward_name" if "ward_name" in keys else "borough"
    row = differ.iloc[0]
    shown = (
        f"e.g. {row[area]}, {row['minor']}, {row['month'].strftime('%Y-%m')}: "
        f"{_shown(row['count_new'])} against {_shown(row['count_old'])}"
    )
    return (
        f"; they differ in {len(differ):,} of {len(both):,} rows for those months ({shown}), "
        "so the older figures were revised"
    )


def _shown(value) -> str:
    return "no row" if pd.isna(value) else f"{int(value):,}"


def split_unattributed(
    data: pd.DataFrame, area: str = "borough"
) -> tuple[pd.DataFrame, pd.DataFrame, str | None]:
    """Separate rows whose ``area`` is not a borough (airports, Unknown, Aviation Security).

    Returns
    -------
    boroughs, unattributed, caveat
    """
    names = data[area].unique()
    bad = {name for name in names if is_not_borough(name)}
    mask = data[area].isin(bad)
    unattributed = data.loc[mask].reset_index(drop=True)
    caveat = None
    if bad:
        totals = unattributed.groupby(area, observed=True)["count"].sum()
        parts = ", ".join(f"{name}: {int(n):,}" for name, n in totals.items())
        caveat = (
            f"{int(totals.sum()):,} offences in {len(unattributed):,} row-months are not "
            f"attributed to a borough ({parts}); they are kept out of borough and London totals"
        )
    return data.loc[~mask].reset_index(drop=True), unattributed, caveat


def harmonise_classes(
    files: Sequence[WideFile], source: str, map_categories: bool, keys: Sequence[str]
) -> tuple[list[WideFile], str, list[str]]:
    """Refuse to mix classifications unless asked; when asked, map old onto new.

    Returns
    -------
    files, classification, caveats
    """
    found = {w.path: w.classification for w in files}
    kinds = set(found.values())
    if len(kinds) <= 1 or not map_categories or "oldest" in kinds:
        # check_same_classification raises for any real mix (including oldest + mapping).
        return list(files), categories.check_same_classification(found, source), []
    caveats = []
    mapped_files = []
    unmapped_all: set[str] = set()
    for wide in files:
        if wide.classification == "old":
            data, unmapped = categories.old_to_new(wide.data, keys=[*keys, "month"])
            unmapped_all.update(unmapped)
            wide = WideFile(wide.path, wide.layout, "new", wide.months, data, wide.encoding)
        mapped_files.append(wide)
    names = _csv.display_names(w.path for w in files)
    old_names = ", ".join(f"'{names[w.path]}'" for w in files if w.classification == "old")
    caveats.append(
        f"old title-case categories in {old_names} were mapped onto the new upper-case "
        "Home Office categories (map_categories=True); the new files were re-based and put "
        "offences with no known borough in an 'Unknown' row, so borough counts can step by "
        "2-3% where the two classifications meet"
    )
    if unmapped_all:
        caveats.append(
            "no mapping is known for " + "; ".join(sorted(unmapped_all)) + " (kept, upper-cased)"
        )
    return mapped_files, "new", caveats


def tidy(data: pd.DataFrame, order: Sequence[str]) -> pd.DataFrame:
    """Sort, type and index a long frame the way every loader returns it."""
    out = data.sort_values([*order, "month"], kind="stable").reset_index(drop=True)
    for col in order:
        out[col] = out[col].astype(str)
    out["month"] = out["month"].astype("period[M]")
    out["count"] = out["count"].astype("int64")
    return out[[*order, "month", "count"]]


def require_files(paths, source: str) -> list[Path]:
    """Resolve the ``paths`` argument of a loader into CSV files."""
    return _csv.resolve_paths(paths, source, patterns=("*.csv", "*.CSV"))
