"""Recorded crime of a police force's local authorities, from data.police.uk street files.

data.police.uk publishes every force's crimes month by month, one row per crime with the LSOA
it is placed in "on or near" (``YYYY-MM-<force>-street.csv``). :func:`read_police_uk` reads a
force's files with :func:`slp.sources.street.read_street` and counts crimes by local authority,
police.uk crime type and month, in the shape of the MPS borough files
(:class:`~slp.sources.borough.RecordedCrime`, ``classification="police.uk"``), so every
measure, verdict and page reads it as it reads them.

How each crime is attributed to an authority (:func:`place`):

* its LSOA code, through the ONS LSOA 2021 -> ward -> local authority lookup;
* an LSOA 2011 code the 2021 lookup lacks (police.uk's 2022 files mix the two vintages): the
  authority its LSOA name starts with ("Newport 004D" -> Newport; "The Vale of Glamorgan 009D"
  -> Vale of Glamorgan), in no ward;
* no LSOA at all ("No Location"): no authority. Such crimes are counted by month in
  ``unattributed`` (``borough`` = :data:`NO_LOCATION`) and in a coverage caveat.

The force's authorities (the comparison frame's members) are those whose crimes per LSOA (by
the lookup's count of their LSOAs) over the whole period are at least 5% of the highest
authority's (:data:`MEMBER_SHARE`). Forces record a few crimes just over their border (Gwent's
files place 343 crimes in 124 of Cardiff's 218 LSOAs and 131 in 29 of Merthyr Tydfil's 36): those
authorities are not members, whatever share of their LSOAs the stray crimes touch, and their
crimes are counted by month in ``unattributed`` under their own name and named in a caveat,
never added to a member. Anti-social behaviour is not recorded crime: it is left out of the
counts here (:mod:`slp.asb` reads it from the street files) and its total is stated.

The force is the ``Falls within`` value of each file's first row; files of two forces are an
error. A month given twice with different contents is an error naming both files (as for
:func:`~slp.sources.street.read_street`); a month with no file is reported, and is an error for
a run that needs it (:func:`check_months`).

Examples
--------
>>> crime = read_police_uk("../shared/data/police-uk/gwent-all-crime",
...                        lookup="lsoa21-ward25-lad25-lookup.csv")  # doctest: +SKIP
>>> crime.force, sorted(crime.data["borough"].unique())[:2]           # doctest: +SKIP
('Gwent Police', ['Blaenau Gwent', 'Caerphilly'])
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from slp.coverage import Coverage
from slp.errors import SourceError
from slp.sources import _csv, _police_files, _schemas
from slp.sources.borough import RecordedCrime
from slp.sources.ward import WardCrime

if TYPE_CHECKING:
    from slp.sources.street import StreetCrime

SOURCE = "data.police.uk recorded crime"
#: The police.uk crime type of anti-social behaviour: not recorded crime.
ASB = "Anti-social behaviour"
#: How far a month's figures can move (in place of the MPS files' revisions caveat).
REVISION_CAVEAT = (
    "data.police.uk publishes each month's street-level crimes as the force had recorded them "
    "when that month's file was made; later changes to a crime's type or place are not carried "
    "back into it, so figures here can differ from the force's own or the ONS's figures for the "
    "same months.")
#: ``unattributed["borough"]`` of crimes with no location.
NO_LOCATION = "No location"
#: An authority is one of the force's when its crimes per LSOA over the period are at least
#: this share of the highest authority's (Gwent's own authorities have 290 to 540 crimes per
#: LSOA in 36 months; Merthyr Tydfil, the most of any neighbour, under 4).
MEMBER_SHARE = 0.05
COLUMNS = ("borough", "major", "minor")
_SUFFIX = re.compile(r"\s+\d{3}[A-Z]$")
_MONTH = re.compile(r"(\d{4}-\d{2})-")


def authority_of_name(names: pd.Series) -> pd.Series:
    """The local authority an LSOA name starts with ("The Vale of Glamorgan 009D" -> "Vale of
    Glamorgan": the 2011 names of some Welsh LSOAs carry a leading "The").

    Examples
    --------
    >>> authority_of_name(pd.Series(["Newport 004D", "The Vale of Glamorgan 009D"])).tolist()
    ['Newport', 'Vale of Glamorgan']
    """
    stripped = names.astype(str).str.replace(_SUFFIX, "", regex=True).str.strip()
    return stripped.str.replace(r"^The\s+", "", regex=True)


def place(rows: pd.DataFrame, lookup: pd.DataFrame,
          lsoa11: pd.Series | None = None) -> pd.DataFrame:
    """``rows`` (with ``lsoa_code, lsoa_name``) plus ``ward_code, ward_name, authority`` and
    ``matched`` (the code is in the lookup).

    A code the lookup holds takes its ward and authority; a code it lacks (an LSOA 2011 code)
    is first translated through ``lsoa11`` (LSOA 2011 code -> 2021 code) when given, else
    placed in the authority its name starts with (:func:`authority_of_name`), in no ward.

    Parameters
    ----------
    rows : DataFrame
    lookup : DataFrame
        :func:`slp.sources.boundaries.read_lookup`: ``lsoa_code, ward_code, ward_name`` and
        ``borough`` (the local authority) when the file names it.
    lsoa11 : Series, optional
    """
    table = lookup.drop_duplicates("lsoa_code").set_index("lsoa_code")
    code = rows["lsoa_code"].astype(str)
    if lsoa11 is not None:  # an LSOA 2011 code the 2021 lookup lacks: its 2021 code
        missing = ~code.isin(table.index)
        code = code.where(~missing, code.map(lsoa11).fillna(code))
    out = rows.copy()
    out["matched"] = code.isin(table.index).to_numpy()
    out["ward_code"] = code.map(table["ward_code"]).fillna("").to_numpy()
    out["ward_name"] = code.map(table["ward_name"]).fillna("").to_numpy()
    by_name = authority_of_name(rows["lsoa_name"])
    if "borough" in table.columns:
        out["authority"] = code.map(table["borough"]).fillna(by_name).to_numpy()
    else:
        out["authority"] = by_name.to_numpy()
    return out


def members(placed: pd.DataFrame, lookup: pd.DataFrame,
            share: float = MEMBER_SHARE) -> tuple[str, ...]:
    """The force's own authorities, not its neighbours: those whose crimes per LSOA (the
    lookup's count of its LSOAs) are at least ``share`` of the highest authority's.

    Examples
    --------
    >>> lookup = pd.DataFrame({"lsoa_code": ["A1", "A2", "B1", "B2", "C1"],
    ...                        "borough": ["A", "A", "B", "B", "C"]})
    >>> placed = pd.DataFrame({"authority": ["A", "A", "B", "C"], "count": [300, 100, 50, 2]})
    >>> members(placed, lookup)   # per LSOA: A 200, B 25, C 2 (under 5% of 200)
    ('A', 'B')
    """
    lsoas = lookup.drop_duplicates("lsoa_code").groupby("borough")["lsoa_code"].nunique()
    crimes = placed.groupby("authority")["count"].sum()
    per_lsoa = crimes / lsoas.reindex(crimes.index)  # NaN: an authority the lookup lacks
    if per_lsoa.isna().all():
        return ()
    return tuple(sorted(per_lsoa.index[per_lsoa >= share * per_lsoa.max()]))


def _street_inputs(paths) -> list:
    """The street files among ``paths`` (a list of files may name outcomes files beside them)."""
    given = [paths] if isinstance(paths, str | Path) else list(paths)
    kept = [p for p in given if not str(p).lower().endswith("-outcomes.csv")]
    return _police_files.inputs(kept or given)


def _force(items: list) -> str:
    """The one force the files are of (``Falls within``)."""
    forces: dict[str, str] = {}
    for item in items:
        force = item.falls_within()
        if force:
            forces.setdefault(force, item.name)
    if len(forces) > 1:
        shown = ", ".join(f"{force} ('{name}')" for force, name in list(forces.items())[:3])
        raise SourceError(SOURCE, None, f"the files are of {len(forces)} forces ({shown}); "
                          "expected the files of one force (column 'Falls within')")
    if not forces:
        raise SourceError(SOURCE, items[0].path, "names no police force in column 'Falls "
                          "within'; expected police.uk street files as downloaded")
    return next(iter(forces))


def read_police_uk(paths, *, lookup) -> RecordedCrime:
    """Recorded crime by local authority, police.uk crime type and month, for the
    authorities of the force whose street files are given.

    Parameters
    ----------
    paths : str, Path or list of them
        Street files, folders of a police.uk download (their ``*-street.csv``; outcomes files
        beside them are left to their own reader) or the download's zip.
    lookup : DataFrame, str or Path
        The ONS LSOA -> ward -> local authority lookup
        (:func:`slp.sources.boundaries.read_lookup`); it must name the authorities.

    Returns
    -------
    RecordedCrime
        ``data``: ``borough`` (the authority), ``major`` = ``minor`` = the police.uk crime
        type, ``month``, ``count``, every member authority x crime type x month of the files
        (0 where none); ``unattributed``: the same columns for crimes with no location
        (``borough`` = :data:`NO_LOCATION`) and in other authorities' LSOAs; ``force``;
        ``classification="police.uk"``; ``month_files``.

    Raises
    ------
    SourceError
        As :func:`~slp.sources.street.read_street`; files of several forces; a lookup that
        names no local authority.
    """
    force = _read(paths, lookup)
    data = _grid(force.placed.loc[force.inside], force.area, force.types, force.months)
    unattributed = _unattributed(force.placed.loc[~force.inside], force.no_location)
    files = force.street.coverage.files
    for frame in (data, unattributed):
        _schemas.validate(frame, _schemas.monthly_counts(COLUMNS), SOURCE, files)
    first, last = _csv.month_span(force.months)
    coverage = Coverage(
        source=f"{SOURCE} ({force.name})",
        format="police.uk street CSV, crimes counted by local authority and police.uk crime "
               "type (anti-social behaviour apart)",
        files=files, first_month=first, last_month=last, areas=len(force.area),
        caveats=_caveats(force))
    return RecordedCrime(data=data, unattributed=unattributed, coverage=coverage,
                         classification="police.uk",
                         month_files=_month_files(force.street, force.months), force=force.name)


@dataclass
class _Force:
    """A force's street files read and placed: what both readers build on."""

    name: str
    street: StreetCrime
    placed: pd.DataFrame  # crimes with an LSOA: place() columns, crime_type, month, count
    lookup: pd.DataFrame
    area: tuple[str, ...]
    months: list[pd.Period]
    types: list[str]
    no_location: pd.DataFrame  # crime_type, month, count (no ASB)

    @property
    def inside(self) -> pd.Series:
        return self.placed["authority"].isin(self.area)


def _read(paths, lookup) -> _Force:
    from slp.sources.boundaries import read_lookup
    from slp.sources.street import read_street

    items = _street_inputs(paths)
    table = lookup if isinstance(lookup, pd.DataFrame) else read_lookup(lookup)
    if "borough" not in table.columns:
        raise SourceError(SOURCE, None if isinstance(lookup, pd.DataFrame) else Path(lookup),
                          "names no local authority (no LADyyNM column); expected the ONS "
                          "LSOA -> ward -> local authority lookup")
    name = _force(items)
    street = read_street([item.path for item in items if item.member is None]
                         + sorted({item.path for item in items if item.member is not None}))
    crimes = street.data.loc[street.data["crime_type"] != ASB]
    placed = place(crimes[["lsoa_code", "lsoa_name", "crime_type", "month", "count"]], table)
    area = members(placed, table)
    if not area:
        raise SourceError(SOURCE, None, f"no crime in the {name} files is in an LSOA of the "
                          "lookup; expected the lookup of the files' LSOAs (LSOA 2021 codes)")
    no_loc = street.no_location_by_month
    no_loc = no_loc.loc[no_loc["crime_type"] != ASB] if len(no_loc) else no_loc
    return _Force(name, street, placed, table, area, _months(street),
                  sorted(crimes["crime_type"].unique()), no_loc)


def read_police_uk_wards(paths, *, lookup) -> WardCrime:
    """Recorded crime by ward of the force's authorities (the wards of the LSOA lookup), in
    the shape of the MPS ward files, for the ward pages.

    Crimes whose LSOA code the lookup lacks (LSOA 2011 codes of the 2022 files) are in their
    authority's count but in no ward's, as are crimes with no location.

    Returns
    -------
    WardCrime
        ``data``: ``ward_code, ward_name, borough, major, minor, month, count``, every ward of
        the member authorities x crime type x month (0 where none).
    """
    force = _read(paths, lookup)
    wards = (force.lookup.loc[force.lookup["borough"].isin(force.area)]
             .drop_duplicates("ward_code")[["ward_code", "ward_name", "borough"]])
    index = pd.MultiIndex.from_product(
        [wards["ward_code"], force.types, pd.PeriodIndex(force.months, freq="M")],
        names=["ward_code", "major", "month"])
    located = force.placed.loc[force.inside & force.placed["matched"]]
    counts = (located.groupby(["ward_code", "crime_type", "month"], observed=True)["count"].sum()
              .reindex(index, fill_value=0).astype("int64").rename("count").reset_index())
    data = counts.merge(wards, on="ward_code", how="left")
    data.insert(4, "minor", data["major"])
    data = data[["ward_code", "ward_name", "borough", "major", "minor", "month", "count"]]
    unplaced = int(force.placed.loc[force.inside & ~force.placed["matched"], "count"].sum())
    caveats = [f"{_crimes(unplaced)} in LSOAs the lookup does not hold (LSOA 2011 codes) "
               f"{'is' if unplaced == 1 else 'are'} in no ward's count"] if unplaced else []
    first, last = _csv.month_span(force.months)
    coverage = Coverage(
        source=f"{SOURCE} by ward ({force.name})",
        format="police.uk street CSV, crimes counted by ward of the LSOA lookup",
        files=force.street.coverage.files, first_month=first, last_month=last,
        areas=int(len(wards)), caveats=caveats)
    return WardCrime(data=data, unattributed=data.iloc[:0].copy(),
                     geography="wards of the LSOA lookup", coverage=coverage,
                     classification="police.uk")


def _months(street) -> list[pd.Period]:
    """Every month a file covers (crimes or ASB, located or not)."""
    found = set(street.data["month"])
    if len(street.no_location_by_month):
        found |= set(street.no_location_by_month["month"])
    return sorted(found)


def _grid(placed: pd.DataFrame, area: tuple[str, ...], types: list[str],
          months: list[pd.Period]) -> pd.DataFrame:
    """Counts of every authority x type x month of the files (0 where none)."""
    index = pd.MultiIndex.from_product([list(area), types, pd.PeriodIndex(months, freq="M")],
                                       names=["borough", "major", "month"])
    counts = (placed.groupby(["authority", "crime_type", "month"], observed=True)["count"].sum()
              .reindex(index, fill_value=0).astype("int64"))
    out = counts.rename("count").reset_index()
    out.insert(2, "minor", out["major"])
    return out


def _unattributed(outside: pd.DataFrame, no_loc: pd.DataFrame) -> pd.DataFrame:
    """Crimes in no member's count: other authorities' LSOAs, and no location."""
    frames = [outside.rename(columns={"authority": "borough", "crime_type": "major"})]
    if len(no_loc):
        frames.append(no_loc.rename(columns={"crime_type": "major"}).assign(borough=NO_LOCATION))
    both = pd.concat([f[["borough", "major", "month", "count"]] for f in frames],
                     ignore_index=True)
    out = both.groupby(["borough", "major", "month"], as_index=False)["count"].sum()
    out.insert(2, "minor", out["major"])
    out["count"] = out["count"].astype("int64")
    out["month"] = pd.PeriodIndex(out["month"], freq="M")
    return out


def attribution_note(crime: RecordedCrime, area: str, window) -> str:
    """How crimes were counted for ``area`` in ``window`` (a :class:`~slp.periods.Window`),
    for the summary of a police.uk run: by the LSOA each crime is placed in, with the crimes in
    no authority's count in those months (no location; outside the force's authorities).

    Examples
    --------
    >>> note = attribution_note(newport_crime, "Newport", Window(...))   # doctest: +SKIP
    """
    u = crime.unattributed
    shown = u.loc[u["month"].between(window.start, window.end)]
    no_loc = int(shown.loc[shown["borough"] == NO_LOCATION, "count"].sum())
    outside = int(shown["count"].sum()) - no_loc
    force = crime.force or "the force"
    return (f"How crimes were counted for {area}: each crime in the {force} files is counted "
            f"in the local authority of the small area (LSOA) police.uk places it in, by the "
            f"ONS LSOA 2021 lookup (older LSOA 2011 codes by the authority their name starts "
            f"with). In these 12 months {no_loc:,} crimes in the files had no location and "
            f"{outside:,} were placed outside the force's authorities: they are in no "
            f"authority's count. Anti-social behaviour is not recorded crime and is counted "
            f"separately." + _straddled_step(crime, window))


def _straddled_step(crime: RecordedCrime, window) -> str:
    """A sentence when the 12 months of ``window`` and the 12 before them lie on both sides
    of a step in the share of crimes without a location (:func:`no_location_step`)."""
    u = crime.unattributed
    if not len(u):
        return ""
    no_loc = u.loc[u["borough"] == NO_LOCATION].groupby("month")["count"].sum()
    every = (crime.data.groupby("month")["count"].sum()
             .add(u.groupby("month")["count"].sum(), fill_value=0))
    share = (no_loc.reindex(every.index, fill_value=0) / every).sort_index()
    step = no_location_step(share)
    if step is None or not (window.start - 12 < step <= window.end):
        return ""
    before, after = share[share.index < step], share[share.index >= step]
    return (f" The two periods compared lie on both sides of {step:%B %Y}, from which the "
            f"files leave a different share of crimes without a location ({_range(after)} a "
            f"month, against {_range(before)} before): part of the change may come from that "
            f"alone.")


def _range(share: pd.Series) -> str:
    low, high = 100 * float(share.min()), 100 * float(share.max())
    return f"{low:.1f}% to {high:.1f}%"


def _month_files(street, months: list[pd.Period]) -> dict[str, str]:
    """Month 'YYYY-MM' -> the street file holding it (from its name)."""
    by_name = {}
    for path in street.coverage.files:
        match = _MONTH.match(Path(path).name)
        if match:
            by_name[match.group(1)] = Path(path).name
    return {m.strftime("%Y-%m"): by_name[m.strftime("%Y-%m")] for m in months
            if m.strftime("%Y-%m") in by_name}


def no_location_step(share: pd.Series, *, least: int = 3) -> pd.Period | None:
    """The month from which the monthly share of crimes with no location steps up (or down)
    for good: every month after it above (below) every month before, the mean at least doubled
    (halved), with ``least`` months on each side; None when there is no such step.

    Gwent's files leave 0.3% to 0.7% of crimes without a location each month until 2023-09 and
    1.8% to 3.1% from 2023-10: counts from then on are lower by about 2% for that alone.

    Examples
    --------
    >>> months = pd.period_range("2023-01", "2023-08", freq="M")
    >>> no_location_step(pd.Series([.004, .005, .003, .004, .02, .03, .02, .025], months))
    Period('2023-05', 'M')
    >>> no_location_step(pd.Series([.004, .005, .003, .02, .004, .03, .02, .025], months)) is None
    True
    """
    best, found = 0.0, None
    values = share.to_numpy()
    for k in range(least, len(values) - least + 1):
        before, after = values[:k], values[k:]
        if after.min() > before.max() and after.mean() >= 2 * before.mean():
            gap = after.min() - before.max()
        elif after.max() < before.min() and before.mean() >= 2 * after.mean():
            gap = before.min() - after.max()
        else:
            continue
        if gap > best:
            best, found = gap, share.index[k]
    return found


def _step_caveat(f: _Force) -> str | None:
    """A sentence on a step in the share of crimes with no location, when there is one."""
    if not len(f.no_location):
        return None
    located = f.placed.groupby("month")["count"].sum()
    missing = f.no_location.groupby("month")["count"].sum().reindex(located.index, fill_value=0)
    share = (missing / (missing + located)).sort_index()
    month = no_location_step(share)
    if month is None:
        return None
    before, after = share[share.index < month], share[share.index >= month]
    return (f"From {month} the files leave {'more' if after.mean() > before.mean() else 'fewer'} "
            f"crimes without a location: {after.min():.1%} to {after.max():.1%} a month, "
            f"against {before.min():.1%} to {before.max():.1%} before. Those crimes are in no "
            "authority's count, so a comparison across that month is affected by about "
            f"{abs(after.mean() - before.mean()):.1%} of crimes for this reason alone")


def _crimes(n: int) -> str:
    return f"{n:,} crime{'' if n == 1 else 's'}"


def _share(n: int, total: int) -> str:
    return f"{n:,} of {_crimes(total)} ({n / total:.1%})" if total else _crimes(n)


def _files_of(months: pd.Series) -> str:
    """Which files ``months`` come from: "used in the 2022 files"; "in the files for October
    2023 to March 2024"."""
    periods = pd.PeriodIndex(months.astype(str), freq="M")
    first, last = periods.min(), periods.max()
    if first.year == last.year:
        return f"used in the {first.year} files"
    return f"in the files for {first:%B %Y} to {last:%B %Y}"


def _caveats(f: _Force) -> list[str]:
    """How crimes were attributed, in plain sentences for the report."""
    force, area, placed, inside, no_loc, street = (f.name, f.area, f.placed, f.inside,
                                                   f.no_location, f.street)
    total = int(placed["count"].sum() + (no_loc["count"].sum() if len(no_loc) else 0))
    out = [f"The {force} area is taken as the {len(area)} local authorities with at least "
           f"{MEMBER_SHARE:.0%} of the highest authority's crimes per LSOA in its files: "
           f"{', '.join(area)}. Each crime is counted in the authority of its LSOA (by the ONS "
           "LSOA 2021 lookup)"]
    n = int(no_loc["count"].sum()) if len(no_loc) else 0
    if n:
        monthly = no_loc.groupby("month")["count"].sum()
        out.append(f"{_share(n, total)} have no location and are in no authority's count "
                   f"({int(monthly.min()):,} to {int(monthly.max()):,} a month)")
        step = _step_caveat(f)
        if step:
            out.append(step)
    outside = (placed.loc[~inside].groupby("authority")["count"].sum()
               .sort_values(ascending=False))
    if len(outside):
        named = ", ".join(f"{a} {int(c):,}" for a, c in outside.head(5).items())
        out.append(f"{_share(int(outside.sum()), total)} are placed in LSOAs of other "
                   f"authorities ({named}{', ...' if len(outside) > 5 else ''}) and are in no "
                   f"count of the {force} area")
    by_name = placed.loc[inside & ~placed["matched"]]
    if len(by_name):
        k = by_name["lsoa_code"].nunique()
        n = int(by_name["count"].sum())
        out.append(f"{_crimes(n)} in {k} LSOA{'s' if k != 1 else ''} whose code is not in the "
                   f"LSOA 2021 lookup (LSOA 2011 codes, {_files_of(by_name['month'])}) "
                   f"{'is' if n == 1 else 'are'} counted in the authority the LSOA name starts "
                   "with")
    asb = int(street.data.loc[street.data["crime_type"] == ASB, "count"].sum())
    if asb:
        out.append(f"{asb:,} anti-social behaviour incidents with a location are not recorded "
                   "crime and are not in these counts")
    # the street files' own notes (encodings, copies, gaps), but not their counts of rows with
    # no location (ASB included: the count above is of crimes) or of renamed LSOAs
    return out + [c for c in street.coverage.caveats
                  if "no location" not in c and "more than one LSOA name" not in c]


def check_months(crime: RecordedCrime, months: Iterable) -> None:
    """Raise unless a police.uk file covers every one of ``months`` (those a run uses).

    Raises
    ------
    SourceError
        Naming the missing months and the months the files cover.
    """
    wanted = [pd.Period(m, freq="M") for m in months]
    present = set(crime.data["month"])
    missing = [m for m in wanted if m not in present]
    if missing:
        raise SourceError(
            SOURCE, None,
            f"no street file covers {_csv.describe_months(m.ordinal for m in missing)} (the "
            f"files cover {crime.coverage.first_month} to {crime.coverage.last_month}); "
            f"expected one '*-street.csv' for each of the {len(wanted)} months "
            f"{wanted[0]} to {wanted[-1]}: download the missing months")
