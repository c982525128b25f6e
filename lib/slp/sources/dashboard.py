"""MPS Monthly Crime Dashboard (long format): domestic abuse, knife crime and gun crime.

Columns: ``Month_Year, Area Type, Borough_SNT, Area name, Area code, Offence Group, Offence
Subgroup, Measure, Financial Year, FY_FYIndex, Count, Refresh Date``. Which
(Offence Group, Offence Subgroup, Measure) rows make each slp measure is set in one editable file,
``dashboard_measures.yaml`` beside this module; pass ``mapping=`` to use another.

Rows with ``Area Type`` "Borough" are read (``Area name`` is the borough); other area types
(e.g. wards) are skipped without error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from slp.boroughs import is_not_borough
from slp.coverage import Coverage
from slp.errors import SourceError
from slp.sources import _csv

SOURCE = "MPS Monthly Crime Dashboard"
DEFAULT_MAPPING = Path(__file__).with_name("dashboard_measures.yaml")
MEASURES = ("domestic_abuse", "knife_crime", "knife_crime_with_injury", "gun_crime")

#: The published header in order (the loader needs only :data:`REQUIRED`; the demo writes all).
PUBLISHED_COLUMNS = (
    "Month_Year",
    "Area Type",
    "Borough_SNT",
    "Area name",
    "Area code",
    "Offence Group",
    "Offence Subgroup",
    "Measure",
    "Financial Year",
    "FY_FYIndex",
    "Count",
    "Refresh Date",
)
REQUIRED = (
    "Month_Year",
    "Area Type",
    "Area name",
    "Offence Group",
    "Offence Subgroup",
    "Measure",
    "Count",
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
_MAPPING_KEYS = ("offence_group", "offence_subgroup", "measure")


@dataclass
class DashboardCrime:
    """Dashboard measures by borough and month.

    Attributes
    ----------
    data : DataFrame
        ``borough, measure, month, count``; ``measure`` is a key of the mapping file
        (``domestic_abuse``, ``knife_crime``, ``knife_crime_with_injury``, ``gun_crime``).
    coverage : Coverage
    measures : list of str
        The measures found in the files (in mapping order).
    unattributed : DataFrame
        Same columns, for ``Area Type`` "Borough" rows that are not a borough.
    labels : dict
        Measure -> human label from the mapping file.
    """

    data: pd.DataFrame
    coverage: Coverage
    measures: list[str]
    unattributed: pd.DataFrame = field(default_factory=pd.DataFrame)
    labels: dict = field(default_factory=dict)


def read_mapping(mapping=None) -> dict[str, dict[str, str]]:
    """Load and check the dashboard measure mapping.

    Parameters
    ----------
    mapping : str, Path, dict or None
        A YAML file, an already-loaded dict, or None for ``dashboard_measures.yaml``.

    Returns
    -------
    dict
        Measure -> {offence_group, offence_subgroup, measure, label}.

    Raises
    ------
    SourceError
        The file is missing, is not YAML, or a measure lacks one of the three keys.
    """
    where = DEFAULT_MAPPING if mapping is None else mapping
    if isinstance(where, dict):
        raw, path = where, None
    else:
        path = Path(where)
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise SourceError(f"{SOURCE} mapping", path, f"cannot be read: {exc}") from exc
        except yaml.YAMLError as exc:
            raise SourceError(f"{SOURCE} mapping", path, f"is not valid YAML: {exc}") from exc
    if not isinstance(raw, dict) or not raw:
        raise SourceError(
            f"{SOURCE} mapping",
            path,
            "expected measures like 'domestic_abuse:' with "
            "offence_group, offence_subgroup and measure under each",
        )
    out = {}
    for name, spec in raw.items():
        missing = [k for k in _MAPPING_KEYS if not isinstance(spec, dict) or not spec.get(k)]
        if missing:
            raise SourceError(
                f"{SOURCE} mapping",
                path,
                f"measure '{name}' lacks {', '.join(missing)}; expected offence_group, "
                "offence_subgroup and measure",
            )
        out[str(name)] = {k: str(spec[k]).strip() for k in _MAPPING_KEYS}
        out[str(name)]["label"] = str(spec.get("label") or name.replace("_", " ").capitalize())
    return out


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
        match = slashed[value]
        period = None
        if match:
            first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
            month = first if us_order else second
            if 1 <= month <= 12:
                period = pd.Period(year=year, month=month, freq="M")
        else:
            for fmt in _MONTH_FORMATS:
                try:
                    when = datetime.strptime(value, fmt)
                except ValueError:
                    continue
                period = pd.Period(year=when.year, month=when.month, freq="M")
                break
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


def _read_one(path: Path, mapping: dict) -> tuple[pd.DataFrame, list[str], str | None]:
    table = _csv.read_table(path, SOURCE)
    lowered = {c.lower(): c for c in table.columns}
    missing = [c for c in REQUIRED if c.lower() not in lowered]
    if missing:
        raise _csv.wrong_source(
            SOURCE, path, table.columns, "columns " + ", ".join(REQUIRED) + " (and others)"
        )
    col = {c: lowered[c.lower()] for c in REQUIRED}
    frame = table.frame
    caveats: list[str] = []
    area_type = frame[col["Area Type"]].str.strip().str.casefold()
    boroughs = frame.loc[area_type == "borough"]
    if boroughs.empty:
        types = ", ".join(sorted(set(frame[col["Area Type"]].str.strip())))
        raise SourceError(
            SOURCE,
            path,
            f"has no rows with Area Type 'Borough' (found: {types}); expected borough-level rows",
        )
    skipped = len(frame) - len(boroughs)
    if skipped:
        types = ", ".join(sorted(set(frame.loc[area_type != "borough", col["Area Type"]])))
        caveats.append(f"{skipped:,} rows of other area types ({types}) were not used")

    def norm(name):
        return boroughs[col[name]].str.strip().str.casefold()

    group, subgroup, measure = norm("Offence Group"), norm("Offence Subgroup"), norm("Measure")
    which = pd.Series(pd.NA, index=boroughs.index, dtype=object)
    for name, spec in mapping.items():
        hit = (
            (group == spec["offence_group"].casefold())
            & (subgroup == spec["offence_subgroup"].casefold())
            & (measure == spec["measure"].casefold())
        )
        which[hit & which.isna()] = name
    used = boroughs.loc[which.notna()]
    if used.empty:
        found = (
            (
                boroughs[col["Offence Group"]].str.strip()
                + " / "
                + boroughs[col["Offence Subgroup"]].str.strip()
                + " / "
                + boroughs[col["Measure"]].str.strip()
            )
            .drop_duplicates()
            .head(6)
        )
        raise SourceError(
            SOURCE,
            path,
            "has no rows matching the measure mapping (Offence Group / Offence Subgroup / "
            f"Measure); found e.g.: {'; '.join(found)}; edit dashboard_measures.yaml or pass "
            "mapping=",
        )
    _csv.check_not_blank(used, [col["Area name"], col["Month_Year"]], SOURCE, path)
    ordinals, caveat = parse_month_year(used[col["Month_Year"]], SOURCE, path)
    if caveat:
        caveats.append(caveat)
    counts = _csv.parse_counts(used, [col["Count"]], SOURCE, path)[:, 0]
    out = pd.DataFrame(
        {
            "borough": used[col["Area name"]].str.strip().to_numpy(dtype=object),
            "measure": which[used.index].to_numpy(dtype=object),
            "month": pd.PeriodIndex.from_ordinals(ordinals, freq="M"),
            "count": counts.astype("int64"),
        },
        index=used.index,
    )
    _csv.check_unique(
        out, ["borough", "measure", "month"], SOURCE, path, "borough, measure and month"
    )
    refresh = None
    refresh_col = lowered.get("refresh date")
    if refresh_col is not None:
        dates = pd.to_datetime(frame[refresh_col].str.strip(), errors="coerce", dayfirst=True)
        refresh = None if dates.isna().all() else str(dates.max().date())
    return out.reset_index(drop=True), caveats, refresh


def read_dashboard(paths, *, mapping=None) -> DashboardCrime:
    """Read MPS Monthly Crime Dashboard long files into borough-month measure counts.

    Parameters
    ----------
    paths : str, Path or list of them
        A file, a folder of CSV files, or a list of either. Where files overlap in months the
        one with the later months (then the later Refresh Date) is used, and the overlap is
        reported.
    mapping : str, Path or dict, optional
        The measure mapping (see ``dashboard_measures.yaml``); the packaged file by default.

    Returns
    -------
    DashboardCrime

    Raises
    ------
    SourceError
        A file is not a dashboard file (e.g. an MPS wide file), has no Borough rows or no rows
        matching the mapping, a Month_Year or Count that cannot be read, or the same borough,
        measure and month twice.

    Examples
    --------
    >>> dash = read_dashboard("data/raw/dashboard")  # doctest: +SKIP
    >>> dash.measures  # doctest: +SKIP
    ['domestic_abuse', 'knife_crime', 'knife_crime_with_injury', 'gun_crime']
    """
    spec = read_mapping(mapping)
    files = _csv.resolve_paths(paths, SOURCE, patterns=("*.csv", "*.CSV"))
    names = _csv.display_names(files)
    parts = []
    caveats: list[str] = []
    for position, path in enumerate(files):
        frame, file_caveats, refresh = _read_one(path, spec)
        caveats.extend(f"'{names[path]}': {c}" for c in file_caveats)
        key = (int(frame["month"].array.asi8.max()), refresh or "", position)
        parts.append((key, path, frame))
    # Newest first claims each (measure, month).
    claimed: dict[tuple[str, int], Path] = {}
    overlaps: dict[tuple[Path, Path], set[int]] = {}
    kept = []
    for _, path, frame in sorted(parts, key=lambda p: p[0], reverse=True):
        ordinals = frame["month"].array.asi8
        keys = list(zip(frame["measure"], ordinals, strict=True))
        mine = np.ones(len(frame), dtype=bool)
        for i, k in enumerate(keys):
            owner = claimed.get(k)
            if owner is not None and owner != path:
                mine[i] = False
                overlaps.setdefault((owner, path), set()).add(k[1])
        for k in set(keys):
            claimed.setdefault(k, path)
        kept.append(frame.loc[mine])
    for (newer, older), months in overlaps.items():
        caveats.append(
            f"months {_csv.describe_months(months)} are in both '{names[older]}' and "
            f"'{names[newer]}'; the newer file's figures ('{names[newer]}') are used"
        )
    data = pd.concat(kept, ignore_index=True)
    not_borough = data["borough"].isin([n for n in data["borough"].unique() if is_not_borough(n)])
    unattributed = data.loc[not_borough]
    data = data.loc[~not_borough]
    if len(unattributed):
        caveats.append(
            f"{int(unattributed['count'].sum()):,} offences in rows not attributed to a "
            f"borough ({', '.join(sorted(unattributed['borough'].unique()))}) are kept out of "
            "borough and London totals"
        )
    data, filled = _complete(data)
    if filled:
        caveats.append(
            f"{filled:,} borough-months with no row in the file were taken as 0 offences"
        )
    present = [m for m in spec if m in set(data["measure"])]
    absent = [m for m in spec if m not in present]
    if absent:
        caveats.append(f"no rows for {', '.join(absent)}")
    gaps = _csv.month_gaps(data["month"].unique())
    if gaps:
        caveats.append(f"no data for any measure in {_csv.describe_months(gaps)}")
    order = {m: i for i, m in enumerate(spec)}
    data = (
        data.assign(_o=data["measure"].map(order))
        .sort_values(["borough", "_o", "month"], kind="stable")
        .drop(columns="_o")
        .reset_index(drop=True)
    )
    for frame in (data,):
        frame["borough"] = frame["borough"].astype(str)
        frame["measure"] = frame["measure"].astype(str)
    unattributed = unattributed.reset_index(drop=True)
    first, last = _csv.month_span(data["month"].unique())
    coverage = Coverage(
        source=SOURCE,
        format="long (Month_Year, Area Type, Area name, Offence Group, Offence Subgroup, "
        "Measure, Count)",
        files=files,
        first_month=first,
        last_month=last,
        areas=int(data["borough"].nunique()),
        caveats=caveats,
    )
    return DashboardCrime(
        data=data[["borough", "measure", "month", "count"]],
        coverage=coverage,
        measures=present,
        unattributed=unattributed[["borough", "measure", "month", "count"]],
        labels={m: spec[m]["label"] for m in spec},
    )


def _complete(data: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Add zero rows for borough-months missing within each measure's months."""
    if data.empty:
        return data, 0
    pieces = []
    filled = 0
    for measure, part in data.groupby("measure", sort=False):
        months = pd.period_range(part["month"].min(), part["month"].max(), freq="M")
        full = pd.MultiIndex.from_product(
            [sorted(part["borough"].unique()), months], names=["borough", "month"]
        )
        series = part.set_index(["borough", "month"])["count"]
        complete = series.reindex(full)
        filled += int(complete.isna().sum())
        frame = complete.fillna(0).astype("int64").rename("count").reset_index()
        frame.insert(1, "measure", measure)
        pieces.append(frame)
    return pd.concat(pieces, ignore_index=True), filled
