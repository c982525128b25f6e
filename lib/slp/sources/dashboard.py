"""MPS Monthly Crime Dashboard: TNOCrimeData, OtherCrimeData and KnifeCrimeData downloads.

The London Datastore dataset "MPS Monthly Crime Dashboard Data" is published as three long
files, each in yearly (``MPS_BoroughSNT_OtherCrimeDatafy21-22.csv``) and rolling
(``M1045_MonthlyCrimeDashboard_OtherCrimeData.csv``) versions::

    Month_Year, Area Type, Borough_SNT, Area name, Area code, Offence Group, Offence Subgroup,
    Measure, Financial Year, FY_FYIndex, Count, Refresh Date                      (TNOCrimeData)

OtherCrimeData and KnifeCrimeData have ``Crime Type, Crime Subtype`` in place of the offence
columns; KnifeCrimeData and the older yearly files have no ``FY_FYIndex``; some files spell
``Area Name``/``Area Code``. The kind of each file is told from its header (and its name, when
the name says TNOCrimeData, OtherCrimeData or KnifeCrimeData). Which rows make each slp measure
is set in one editable file, ``dashboard_measures.yaml`` beside this module.

Rows with ``Area Type`` "Borough" are used; a file without them is read from its "Safer
Neighbourhood Teams" rows, summed to the borough each ``Borough_SNT`` name begins with. Rows for
areas that are not boroughs (aviation security, unknown) are kept out. A zero count has no row,
so a month a file covers but a borough lacks is 0; a month no file covers is a gap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from difflib import SequenceMatcher
from fnmatch import fnmatchcase
from pathlib import Path

import numpy as np
import pandas as pd

from slp.coverage import Coverage
from slp.errors import SourceError
from slp.sources import _csv
from slp.sources._dashboard_areas import geography, not_area
from slp.sources._dashboard_mapping import (
    DEFAULT_MAPPING,
    KINDS,
    OUTCOME_MEASURES,
    SOURCE,
    MeasureSpec,
    norm,
    read_mapping,
)

__all__ = [
    "DEFAULT_MAPPING",
    "KINDS",
    "SOURCE",
    "DashboardCrime",
    "MeasureSpec",
    "parse_month_year",
    "read_dashboard",
    "read_mapping",
]

_COMMON = ("Month_Year", "Area Type", "Borough_SNT", "Area name", "Measure", "Count")
_CATEGORY_COLUMNS = {"tno": ("Offence Group", "Offence Subgroup"), "crime": ("Crime Type",
                                                                               "Crime Subtype")}

#: Header signatures of the three downloads (see :func:`slp.sources._csv.known_layouts`):
#: TNOCrimeData has ``Offence Group``; OtherCrimeData and KnifeCrimeData have ``Crime Type``.
SIGNATURES = _csv.signatures(
    SOURCE,
    "read_dashboard",
    (("Month_Year", "Area Type", *pair, "Count") for pair in _CATEGORY_COLUMNS.values()),
)
_MONTH_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m",
    "%b-%y",
    "%B-%y",
    "%B %Y",
    "%b %Y",
    "%b-%Y",
    "%B-%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y%m",
)
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")


@dataclass
class DashboardCrime:
    """Dashboard measures by borough and month.

    Attributes
    ----------
    data : DataFrame
        ``borough, measure, month, count`` (offences; ``month`` is ``period[M]``): one row for
        every borough and every month a file covers, 0 where the file has no row. Months no
        file covers (gaps) have no row.
    coverage : Coverage
    measures : list of str
        The measures found, in mapping order (``domestic_abuse``, ``knife_crime``, ...).
    outcomes : DataFrame
        Same columns: positive outcomes of each measure, where the files have them.
    unattributed : DataFrame
        Same columns, for areas that are not a borough (aviation security, unknown).
    labels : dict
        Measure -> human label from the mapping file.
    gaps : dict
        Measure -> list of ``YYYY-MM`` months between its first and last month no file covers.
    kinds : dict
        File path (as a string) -> kind (``tno``, ``other``, ``knife``).
    sources : dict
        Measure of the mapping -> the file kinds it is read from (e.g. ``["other"]``).
    """

    data: pd.DataFrame
    coverage: Coverage
    measures: list[str]
    outcomes: pd.DataFrame = field(default_factory=pd.DataFrame)
    unattributed: pd.DataFrame = field(default_factory=pd.DataFrame)
    labels: dict = field(default_factory=dict)
    gaps: dict = field(default_factory=dict)
    kinds: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)

    def series(self, measure: str, borough: str | None = None) -> pd.Series:
        """Monthly offences of one measure for one borough (or summed over all), by month."""
        rows = self.data[self.data["measure"] == measure]
        if borough is not None:
            rows = rows[rows["borough"] == borough]
        return rows.groupby("month")["count"].sum().sort_index()


@dataclass
class _Part:
    """What one file contributes: per measure, a dense areas x months array of counts."""

    path: Path
    position: int
    kind: str
    refresh: pd.Timestamp | None
    months: frozenset[int]
    first: int  # ordinal of the file's first month: column 0 of the arrays
    areas: np.ndarray  # area names (boroughs and the areas that are not boroughs)
    outside: np.ndarray  # True for the areas that are not boroughs
    offences: dict[str, np.ndarray]
    outcomes: dict[str, np.ndarray]
    found: list[str]
    caveats: list[str]


def parse_month_year(values: pd.Series, source: str, path: Path) -> tuple[np.ndarray, str | None]:
    """Month ordinals (``period[M]``) for the ``Month_Year`` column, with a caveat if needed.

    Accepts ``01/04/2022`` (dd/mm/yyyy), ``2022-04-01``, ``2022-04``, ``Apr-22`` and
    ``April 2022``. A slashed file whose second part is always 01 while the first varies is
    read as mm/dd/yyyy (Excel's US format) and reported.
    """
    text = values.str.strip()
    uniques = pd.unique(text)
    slashed = {u: _SLASHED.match(u) for u in uniques}
    matched = [m for m in slashed.values() if m]
    us_order = (
        bool(matched)
        and all(m.group(2) in ("1", "01") for m in matched)
        and any(m.group(1) not in ("1", "01") for m in matched)
    )
    parsed: dict[str, int] = {}
    for value in uniques:
        period = _one_month(slashed[value], value, us_order)
        if period is None:
            index = text.index[(text == value).to_numpy()][0]
            raise SourceError(
                source,
                path,
                f"line {_csv.line_of(index)}, column 'Month_Year': found '{value}'; expected a "
                "month like 01/04/2022, 2022-04-01, 2022-04, Apr-22 or April 2022",
            )
        parsed[value] = period.ordinal
    ordinals = text.map(parsed).to_numpy(dtype="int64")
    caveat = (
        "Month_Year was read as mm/dd/yyyy (every value has day 01 in the second place)"
        if us_order
        else None
    )
    return ordinals, caveat


def _one_month(match, value: str, us_order: bool) -> pd.Period | None:
    if match:
        first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        month = first if us_order else second
        return pd.Period(year=year, month=month, freq="M") if 1 <= month <= 12 else None
    for fmt in _MONTH_FORMATS:
        try:
            when = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return pd.Period(year=when.year, month=when.month, freq="M")
    return None


# --- one file ---------------------------------------------------------------------------------


def _layout(path: Path, columns: list[str]) -> tuple[str, dict[str, str]]:
    """('tno' or 'crime', role -> column as written) from the header, or a wrong-source error."""
    lowered = {norm(c): c for c in columns}
    for layout, pair in _CATEGORY_COLUMNS.items():
        wanted = (*_COMMON, *pair)
        if all(norm(c) in lowered for c in wanted):
            col = {c: lowered[norm(c)] for c in wanted}
            col["type"], col["subtype"] = col[pair[0]], col[pair[1]]
            col["Refresh Date"] = lowered.get("refresh date")
            return layout, col
    raise _csv.wrong_source(
        SOURCE,
        path,
        columns,
        "columns " + ", ".join(_COMMON[:5]) + ", Offence Group, Offence Subgroup (TNOCrimeData) "
        "or Crime Type, Crime Subtype (OtherCrimeData, KnifeCrimeData), Measure, Count",
    )


def _name_kind(path: Path) -> str | None:
    squeezed = re.sub(r"[\s_-]", "", path.name.casefold())
    named = [k for k, name in KINDS.items() if name.casefold() in squeezed]
    return named[0] if len(named) == 1 else None


def _kind(path: Path, layout: str, col: dict, types: set[str]) -> str:
    """The file's kind from its header, its name and (Crime Type files) its crime types."""
    named = _name_kind(path)
    if layout == "tno":
        if named not in (None, "tno"):
            raise SourceError(
                SOURCE,
                path,
                f"is named like a {KINDS[named]} file but line 1 has Offence Group, Offence "
                f"Subgroup (the TNOCrimeData layout); expected Crime Type, Crime Subtype",
            )
        return "tno"
    if named == "tno":
        raise SourceError(
            SOURCE,
            path,
            f"is named like a TNOCrimeData file but line 1 has {col['type']}, {col['subtype']} "
            "(the OtherCrimeData/KnifeCrimeData layout); expected Offence Group, Offence Subgroup",
        )
    knife_only = all(t.startswith("knife") for t in types)
    if named == "knife" and not knife_only:
        others = sorted(t for t in types if not t.startswith("knife"))
        raise SourceError(
            SOURCE,
            path,
            f"is named like a KnifeCrimeData file but holds Crime Type(s) {', '.join(others[:5])} "
            "(OtherCrimeData); expected only knife crime types",
        )
    return named or ("knife" if knife_only else "other")


def _refresh(frame: pd.DataFrame, column: str | None) -> pd.Timestamp | None:
    if column is None:
        return None
    values = pd.Series(pd.unique(frame[column].str.strip()))
    dates = pd.to_datetime(values, format="%d/%m/%Y", errors="coerce")
    dates = dates.fillna(pd.to_datetime(values, errors="coerce", dayfirst=True))
    return None if dates.isna().all() else dates.max()


def _dense(cell: np.ndarray, counts: np.ndarray, hit: np.ndarray, shape) -> np.ndarray:
    """Counts summed into an areas x months array (0 where the file has no row)."""
    size = shape[0] * shape[1]
    summed = np.bincount(cell[hit], weights=counts[hit], minlength=size)
    return summed.round().astype(np.int64).reshape(shape)


def _coded(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and the normalised distinct values (see :func:`norm`) of a column."""
    raw_codes, raw = pd.factorize(values.to_numpy(dtype=object))
    codes, uniques = pd.factorize(np.array([norm(u) for u in raw], dtype=object))
    return codes[raw_codes], np.asarray(uniques, dtype=object)


def _is(coded, accepted) -> np.ndarray:
    """Rows whose value is one of ``accepted`` (normalised values or fnmatch patterns)."""
    codes, uniques = coded
    patterns = [a for a in accepted if any(c in a for c in "*?[")]
    hit = np.isin(uniques, list(accepted))
    for pattern in patterns:
        hit |= np.array([fnmatchcase(u, pattern) for u in uniques], dtype=bool)
    return np.isin(codes, np.flatnonzero(hit))


def _match(spec: MeasureSpec, types, subtypes, measures) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the offence rows and the positive-outcome rows of one measure."""
    hit = ~_is(types, spec.except_types)
    if spec.types is not None:
        hit &= _is(types, spec.types)
    if spec.subtypes is not None:
        hit &= _is(subtypes, spec.subtypes)
    offences = hit & (_is(measures, spec.measures) if spec.measures else True)
    outcomes = hit & _is(measures, OUTCOME_MEASURES) & ~offences
    return offences, outcomes


def _check_unique(used: pd.DataFrame, coded: list, ordinals, path: Path) -> None:
    """The same area, category, measure and month twice is an error naming both lines."""
    key = pd.DataFrame({i: c[0] for i, c in enumerate(coded)} | {"month": ordinals})
    if not key.duplicated().any():
        return
    shown = pd.DataFrame({name: c[1][c[0]] for name, c in zip(
        ("area type", "area", "type", "subtype", "measure"), coded, strict=True)}
        | {"month": ordinals}, index=used.index)
    _csv.check_unique(shown, list(shown.columns), SOURCE, path, "area, category, measure and month")


def _found_values(used: pd.DataFrame, col: dict) -> list[str]:
    shown = used[[col["type"], col["subtype"], col["Measure"]]].apply(lambda s: s.str.strip())
    shown = shown.drop_duplicates()
    return [" / ".join(r) for r in shown.itertuples(index=False)]


def _read_one(path: Path, position: int, specs: dict[str, MeasureSpec]) -> _Part:
    table = _csv.read_table(path, SOURCE)
    layout, col = _layout(path, table.columns)
    frame = table.frame
    used, boroughs, caveats = geography(frame, col, path)
    coded = [_coded(used[col["Area Type"]]),
             _coded(used[col["Borough_SNT"]] + "|" + used[col["Area name"]]),
             _coded(used[col["type"]]), _coded(used[col["subtype"]]), _coded(used[col["Measure"]])]
    kind = _kind(path, layout, col, set(coded[2][1]))
    ordinals, caveat = parse_month_year(used[col["Month_Year"]], SOURCE, path)
    caveats += [caveat] if caveat else []
    counts = _csv.parse_counts(used, [col["Count"]], SOURCE, path)[:, 0]
    _check_unique(used, coded, ordinals, path)
    types, subtypes, measures = coded[2:]
    codes, areas = pd.factorize(boroughs.to_numpy(dtype=object))
    first = int(ordinals.min())
    shape = (len(areas), int(ordinals.max()) - first + 1)
    cell = codes * shape[1] + (ordinals - first)
    part = _Part(path, position, kind, _refresh(frame, col["Refresh Date"]),
                 frozenset(np.unique(ordinals).tolist()), first, np.asarray(areas, dtype=object),
                 np.array([not_area(a) for a in areas], dtype=bool), {}, {},
                 _found_values(used, col), caveats)
    for name, spec in specs.items():
        if kind not in spec.files:
            continue
        offences, outcomes = _match(spec, types, subtypes, measures)
        if not offences.any():
            continue
        part.offences[name] = _dense(cell, counts, offences, shape)
        if outcomes.any():
            part.outcomes[name] = _dense(cell, counts, outcomes, shape)
    return part


# --- combining files --------------------------------------------------------------------------


def _no_match_error(spec: MeasureSpec, parts: list[_Part], names: dict) -> SourceError:
    files = ", ".join(f"'{names[p.path]}'" for p in parts)
    found = list(dict.fromkeys(v for p in parts for v in p.found))
    wanted = [*(spec.subtypes or ()), *(spec.types or ())]

    def likeness(value: str) -> float:  # closest to what the mapping expects first
        parts_ = [norm(v) for v in value.split(" / ")[:2]]
        return max((SequenceMatcher(None, p, w).ratio() for p in parts_ for w in wanted),
                   default=0.0)

    shown = sorted(found, key=likeness, reverse=True)[:12]
    more = f" and {len(found) - 12} more" if len(found) > 12 else ""
    kinds = " or ".join(KINDS[k] for k in spec.files)
    hint = ""
    if "knife" not in spec.files and all(
        v.casefold().startswith("knife") for v in found
    ):
        hint = " (only knife crime: is this a KnifeCrimeData file given as OtherCrimeData?)"
    elif spec.files == ("knife", "other") or spec.files == ("other", "knife"):
        hint = " (2024+ downloads hold knife crime in a separate KnifeCrimeData file)"
    return SourceError(
        SOURCE,
        None,
        f"measure '{spec.name}' of the mapping matches no row of the {kinds} file(s) {files}: "
        f"expected {spec.describe()}; found (type / subtype / measure): "
        f"{'; '.join(shown)}{more}{hint}; edit "
        "dashboard_measures.yaml (or sources.dashboard_mapping) or remove the measure",
    )


def _complete(part: _Part, array: np.ndarray, months: set[int]) -> pd.DataFrame:
    """Every area x month the file covers (0 where the file has no row: a zero count)."""
    chosen = np.array(sorted(months), dtype=np.int64)
    values = array[:, chosen - part.first]
    area = np.repeat(np.arange(len(part.areas)), len(chosen))
    return pd.DataFrame({
        "borough": pd.Categorical.from_codes(area, categories=part.areas),
        "month": np.tile(chosen, len(part.areas)),
        "count": values.ravel(),
        "outside": part.outside[area],
    })


def _by_refresh(part: _Part):
    """Newest first: later Refresh Date, then later last month, then later in the list."""
    return (part.refresh or pd.Timestamp.min, max(part.months), part.position)


def _combine_measure(spec, parts, overlaps) -> tuple[pd.DataFrame, pd.DataFrame, list[int]]:
    having = sorted((p for p in parts if spec.name in p.offences), key=_by_refresh, reverse=True)
    claimed: dict[int, _Part] = {}
    offences, outcomes = [], []
    for part in having:
        mine = part.months - claimed.keys()
        for month in part.months & claimed.keys():
            overlaps.setdefault((claimed[month].path, part.path), set()).add(month)
        if not mine:
            continue
        offences.append(_complete(part, part.offences[spec.name], mine))
        if spec.name in part.outcomes:
            outcomes.append(_complete(part, part.outcomes[spec.name], mine))
        claimed.update(dict.fromkeys(mine, part))
    gaps = sorted(set(range(min(claimed), max(claimed) + 1)) - claimed.keys())
    return _tidy(offences, spec.name), _tidy(outcomes, spec.name), gaps


def _stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate the non-empty frames; an empty frame with the right column types if none."""
    frames = [f for f in frames if len(f)]
    if frames:
        return pd.concat(frames, ignore_index=True)
    return pd.DataFrame({"borough": pd.Series(dtype=str), "measure": pd.Series(dtype=str),
                         "month": pd.Series(dtype="period[M]"), "count": pd.Series(dtype="int64"),
                         "outside": pd.Series(dtype=bool)})


def _tidy(frames: list[pd.DataFrame], measure: str) -> pd.DataFrame:
    if not frames:
        return _stack([])
    out = pd.concat(frames, ignore_index=True).sort_values(["borough", "month"], kind="stable")
    out.insert(1, "measure", measure)
    out["month"] = pd.PeriodIndex.from_ordinals(out["month"].to_numpy(dtype="int64"), freq="M")
    return out.reset_index(drop=True)


def _overlap_caveats(overlaps: dict, names: dict, parts: list[_Part]) -> list[str]:
    refreshed = {p.path: p.refresh for p in parts}

    def when(path):
        date = refreshed[path]
        return f" (refreshed {date:%d/%m/%Y})" if date is not None else ""

    return [
        f"months {_csv.describe_months(months)} are in both '{names[older]}'{when(older)} and "
        f"'{names[newer]}'{when(newer)}; the newer refresh's figures ('{names[newer]}') are used"
        for (newer, older), months in overlaps.items()
    ]


def read_dashboard(paths, mapping=None) -> DashboardCrime:
    """Read MPS Monthly Crime Dashboard downloads into borough-month series per measure.

    Parameters
    ----------
    paths : str, Path or list of them
        Files and/or folders of CSV files: any mix of TNOCrimeData, OtherCrimeData and
        KnifeCrimeData, yearly or rolling. Where two files of a measure cover the same month, the
        one with the later ``Refresh Date`` (then the later last month, then the later in the
        list) is used, and the overlap is reported in the coverage caveats.
    mapping : str, Path or dict, optional
        The measure mapping (see ``dashboard_measures.yaml``); the packaged file by default.

    Returns
    -------
    DashboardCrime

    Raises
    ------
    SourceError
        A file is not a dashboard file (e.g. an MPS wide file) or is named as one kind but laid
        out as another; it has no Borough or Safer Neighbourhood Teams rows; a Month_Year or
        Count cannot be read; the same area, category, measure and month appear twice; a
        measure of the mapping matches no row of the files of its kind (the message lists the
        values found); or a file has no row any measure uses.

    Examples
    --------
    >>> dash = read_dashboard("data/raw/dashboard")  # doctest: +SKIP
    >>> dash.measures  # doctest: +SKIP
    ['total_notifiable_offences', 'domestic_abuse', 'knife_crime', ...]
    """
    specs = read_mapping(mapping)
    files = _csv.resolve_paths(paths, SOURCE, patterns=("*.csv", "*.CSV"))
    names = _csv.display_names(files)
    parts = [_read_one(path, i, specs) for i, path in enumerate(files)]
    caveats = [f"'{names[p.path]}': {c}" for p in parts for c in p.caveats]
    overlaps: dict = {}
    data, outcomes, gaps = [], [], {}
    for spec in specs.values():
        mine = [p for p in parts if p.kind in spec.files]
        if not mine:
            continue  # no file of its kind was given: the measure is simply absent
        if not any(spec.name in p.offences for p in mine):
            raise _no_match_error(spec, mine, names)
        offences, positive, missing = _combine_measure(spec, mine, overlaps)
        data.append(offences)
        outcomes.append(positive)
        if missing:
            gaps[spec.name] = [pd.Period(ordinal=o, freq="M").strftime("%Y-%m") for o in missing]
            caveats.append(f"no data for {spec.name} in {_csv.describe_months(missing)} "
                           "(no file covers those months)")
    _check_every_file_used(parts)
    caveats += _overlap_caveats(overlaps, names, parts)
    return _result(specs, files, parts, data, outcomes, gaps, caveats)


def _check_every_file_used(parts) -> None:
    """A file no measure of the mapping reads from is an error (a wrong file, or a wrong map)."""
    for part in parts:
        if not part.offences:
            raise SourceError(
                SOURCE, part.path, f"({KINDS[part.kind]}) has no row that any measure of the "
                f"mapping reads from {KINDS[part.kind]} files; found (type / subtype / measure): "
                f"{'; '.join(part.found[:8])}; expected a file the mapping uses")


def _result(specs, files, parts, data, outcomes, gaps, caveats) -> DashboardCrime:
    columns = ["borough", "measure", "month", "count"]
    frame, positive = _stack(data), _stack(outcomes)
    for table in (frame, positive):
        table["borough"] = table["borough"].astype(str)
    outside = frame["outside"].to_numpy(dtype=bool)
    unattributed = frame.loc[outside & (frame["count"] > 0).to_numpy()].reset_index(drop=True)
    frame = frame.loc[~outside].reset_index(drop=True)
    positive = positive.loc[~positive["outside"].to_numpy(dtype=bool)].reset_index(drop=True)
    if len(unattributed):
        caveats.append(
            f"{int(unattributed['count'].sum()):,} counts in rows not attributed to a borough "
            f"({', '.join(sorted(unattributed['borough'].unique()))}) are kept out of borough "
            "and London totals")
    held = set(frame["measure"].unique())
    present = [m for m in specs if m in held]
    first, last = _csv.month_span(frame["month"].unique()) if len(frame) else (None, None)
    kinds = sorted({p.kind for p in parts}, key=list(KINDS).index)
    coverage = Coverage(
        source=SOURCE,
        format=", ".join(KINDS[k] for k in kinds) + " (long: Month_Year, Area Type, "
        "Borough_SNT, Area name, type, subtype, Measure, Count)",
        files=list(files),
        first_month=first,
        last_month=last,
        areas=int(frame["borough"].nunique()),
        caveats=caveats,
    )
    return DashboardCrime(
        data=frame[columns], coverage=coverage, measures=present, outcomes=positive[columns],
        unattributed=unattributed[columns], labels={m: s.label for m, s in specs.items()},
        gaps=gaps, kinds={str(p.path): p.kind for p in parts},
        sources={m: list(s.files) for m, s in specs.items()},
    )
