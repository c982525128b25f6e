"""MPS Ward Level Crime (London Datastore): monthly recorded offences by ward and category.

Layout: ``MajorText, MinorText, WardName, WardCode, LookUp_BoroughName, YYYYMM...`` (title-case
categories until 2024, upper-case after). Which ward geography the file uses is told from the
ward codes: London's 2022 ward reviews created codes from E05013000 up, so a file holding them
uses the 2022 wards; a file with only older codes uses the wards in force 2014-2022 (which
include the 2018 changes in a few boroughs, codes E05011xxx).

Ward rows do not add up to the borough file: not every offence is geocoded to a ward. Use
:func:`reconcile` to show, per borough and month, how much of the borough total the wards hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from slp.coverage import Coverage
from slp.errors import SourceError
from slp.sources import _csv, _mps, _schemas
from slp.sources.borough import RecordedCrime

SOURCE = "MPS Ward Level Crime"

LAYOUTS = (
    _mps.Layout(
        "ward",
        ("MajorText", "MinorText", "WardName", "WardCode", "LookUp_BoroughName"),
        ("major", "minor", "ward_name", "ward_code", "borough"),
    ),
)
COLUMNS = ("ward_code", "ward_name", "borough", "major", "minor")
#: Header signatures that identify this source (see :func:`slp.sources._csv.known_layouts`).
SIGNATURES = _csv.signatures(SOURCE, "read_ward_crime", (lay.columns for lay in LAYOUTS))
_WARD_CODE = re.compile(r"^[EW]05\d{6}$")
#: First code number of the wards created by London's 2022 ward boundary reviews.
FIRST_2022_WARD = 13000


@dataclass
class WardCrime:
    """Ward-level recorded crime, long and tidy.

    Attributes
    ----------
    data : DataFrame
        ``ward_code, ward_name, borough, major, minor, month, count`` for wards in boroughs.
    unattributed : DataFrame
        Same columns for rows whose borough is not a borough (``Aviation Security (SO18)``).
    geography : str
        ``"2014 wards"``, ``"2022 wards"`` or ``"unknown"`` (codes that are not GSS ward codes).
    coverage : Coverage
    classification : str
        ``"old"`` or ``"new"`` categories (see :mod:`slp.categories`).
    boundary_match : float or None
        Share (0-1) of the file's ward codes found in the boundaries file, when one was given.
    """

    data: pd.DataFrame
    unattributed: pd.DataFrame
    geography: str
    coverage: Coverage
    classification: str = "old"
    boundary_match: float | None = field(default=None)


def ward_geography(codes) -> str:
    """Which ward geography a set of ward codes belongs to.

    Parameters
    ----------
    codes : iterable of str
        GSS ward codes (``E05...``).

    Returns
    -------
    str
        ``"2022 wards"`` when any code is one created by the 2022 London reviews (E05013000 or
        later), ``"2014 wards"`` when all are older ward codes, ``"unknown"`` when fewer than
        nine in ten look like ward codes at all.

    Examples
    --------
    >>> ward_geography(["E05000437", "E05000454"])
    '2014 wards'
    >>> ward_geography(["E05013714", "E05009317"])
    '2022 wards'
    """
    codes = [str(c).strip() for c in codes]
    valid = [c for c in codes if _WARD_CODE.match(c)]
    if not codes or len(valid) < 0.9 * len(codes):
        return "unknown"
    if any(int(c[3:]) >= FIRST_2022_WARD for c in valid):
        return "2022 wards"
    return "2014 wards"


def read_ward_crime(paths, *, boundaries=None, map_categories: bool = False) -> WardCrime:
    """Read MPS Ward Level Crime files into one monthly series per ward and category.

    Parameters
    ----------
    paths : str, Path or list of them
        A file, a folder of CSV files, or a list of either. Several files are combined as for
        :func:`slp.sources.borough.read_borough_crime` (newer file wins on overlapping months).
    boundaries : str, Path or GeoDataFrame, optional
        Ward boundaries (any format :func:`slp.sources.boundaries.read_boundaries` reads).
        When given, the share of the file's ward codes found in it is reported.
    map_categories : bool, default False
        Allow old and new classifications to be combined by mapping old onto new.

    Returns
    -------
    WardCrime

    Raises
    ------
    SourceError
        As for the borough loader; also when a borough file is passed (no ``WardCode``).
    CategoryMixError
        Files of different classifications without ``map_categories=True``.
    """
    files = _mps.require_files(paths, SOURCE)
    key = ("ward_code", "borough", "major", "minor")
    wides = [_mps.read_wide(path, SOURCE, LAYOUTS, key) for path in files]
    wides, classification, caveats = _mps.harmonise_classes(
        wides, SOURCE, map_categories, ["ward_code", "ward_name", "borough"]
    )
    data, combine_caveats, _ = _mps.combine(wides, SOURCE)
    caveats.extend(combine_caveats)
    wards, unattributed, caveat = _mps.split_unattributed(data, "borough")
    if caveat:
        names = ", ".join(sorted(unattributed["ward_name"].unique()))
        caveats.append(f"{caveat} (ward rows: {names})")
    codes = sorted(set(data["ward_code"].unique()))
    geography = ward_geography(codes)
    revised_2018 = [c for c in codes if _WARD_CODE.match(c) and 11000 <= int(c[3:]) < 12000]
    if geography == "2014 wards" and revised_2018:
        caveats.append(
            "ward geography: the 2014-2022 London wards, including the 2018 boundary changes "
            "(codes E05011xxx)"
        )
    else:
        caveats.append(f"ward geography: {geography} (told from the ward codes)")
    match = None
    if boundaries is not None:
        match, caveat = _match_boundaries(codes, boundaries)
        caveats.append(caveat)
    wards = _mps.tidy(wards, COLUMNS)
    unattributed = _mps.tidy(unattributed, COLUMNS)
    for frame in (wards, unattributed):
        _schemas.validate(frame, _schemas.monthly_counts(COLUMNS), SOURCE, files)
    first, last = _csv.month_span(pd.PeriodIndex(data["month"]).unique())
    coverage = Coverage(
        source=SOURCE,
        format=" + ".join(
            dict.fromkeys(
                f"{w.classification} categories ({', '.join(w.layout.columns)})" for w in wides
            )
        ),
        files=[w.path for w in wides],
        first_month=first,
        last_month=last,
        areas=int(wards["ward_code"].nunique()),
        caveats=caveats,
    )
    return WardCrime(
        data=wards,
        unattributed=unattributed,
        geography=geography,
        coverage=coverage,
        classification=classification,
        boundary_match=match,
    )


def _match_boundaries(codes: list[str], boundaries) -> tuple[float, str]:
    from slp.sources.boundaries import read_boundaries  # geopandas only when asked

    if isinstance(boundaries, (str, Path)):
        name = Path(boundaries).name
        frame = read_boundaries(boundaries)
    else:
        name = "the boundaries given"
        frame = boundaries
    if "code" not in frame.columns:
        raise SourceError(SOURCE, None, f"boundaries {name} have no 'code' column")
    known = set(frame["code"].astype(str).str.strip())
    matched = [c for c in codes if c in known]
    share = len(matched) / len(codes) if codes else 0.0
    caveat = (
        f"{len(matched)} of {len(codes)} ward codes ({share:.0%}) are in the boundaries "
        f"file '{name}'"
    )
    return share, caveat


def reconcile(ward: WardCrime, borough: RecordedCrime) -> pd.DataFrame:
    """How much of each borough's recorded crime the ward rows hold, month by month.

    Parameters
    ----------
    ward : WardCrime
        From :func:`read_ward_crime`.
    borough : RecordedCrime
        From :func:`slp.sources.borough.read_borough_crime`.

    Returns
    -------
    DataFrame
        ``borough, month, ward_sum, borough_total, coverage_pct`` for every borough and month
        present in both (coverage_pct = 100 * ward_sum / borough_total; NaN when the borough
        total is 0).

    Examples
    --------
    For Lewisham, Oct 2021 - Sep 2022, the 2022 wards hold 27,726 of the borough file's
    28,409 offences (97.6%).
    """
    wards = ward.data.groupby(["borough", "month"], observed=True)["count"].sum()
    totals = borough.data.groupby(["borough", "month"], observed=True)["count"].sum()
    both = pd.concat({"ward_sum": wards, "borough_total": totals}, axis=1, join="inner")
    both = both.reset_index()
    both["ward_sum"] = both["ward_sum"].astype("int64")
    both["borough_total"] = both["borough_total"].astype("int64")
    both["coverage_pct"] = (
        100.0 * both["ward_sum"] / both["borough_total"].where(both["borough_total"] > 0)
    ).astype("float64")
    return both.sort_values(["borough", "month"]).reset_index(drop=True)


def check_wards(ward: WardCrime, borough: str, lookup) -> None:
    """Raise when the ward file lacks wards of ``borough`` that the LSOA-to-ward lookup has.

    A ward file cut short loses its last wards: the borough's ward table, maps and ranks
    would then silently leave them out. Only wards of the lookup's geography can be checked,
    so a file of another ward geography (2014 wards against a 2022-ward lookup) is not.

    Parameters
    ----------
    ward : WardCrime
    borough : str
        As named in the ward file and the lookup (e.g. "Lewisham").
    lookup : str, Path or DataFrame
        :func:`slp.sources.boundaries.read_lookup` output or file, with a borough column.

    Raises
    ------
    SourceError
        Naming the file(s) and the missing wards.
    """
    from slp.sources.boundaries import read_lookup

    table = lookup if isinstance(lookup, pd.DataFrame) else read_lookup(lookup)
    if "borough" not in table.columns:
        return
    expected = table.loc[table["borough"] == borough, ["ward_code", "ward_name"]]
    expected = expected.drop_duplicates("ward_code")
    found = set(ward.data["ward_code"])
    if not expected["ward_code"].isin(found).any():
        return  # another ward geography: nothing to compare
    missing = expected.loc[~expected["ward_code"].isin(found)]
    if missing.empty:
        return
    names = ", ".join(f"{n} ({c})" for c, n in missing.head(6).itertuples(index=False))
    more = f" and {len(missing) - 6} more" if len(missing) > 6 else ""
    files = ", ".join(f"'{Path(p).name}'" for p in ward.coverage.files)
    raise SourceError(
        SOURCE,
        None,
        f"{files} {'has' if len(ward.coverage.files) == 1 else 'have'} no rows for "
        f"{len(missing)} of the {len(expected)} wards of {borough} in the lookup: {names}{more} "
        "(a download cut short?); expected every ward of the borough",
    )
