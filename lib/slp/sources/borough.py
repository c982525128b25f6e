"""MPS Borough Level Crime (London Datastore): monthly recorded offences by borough and category.

Three published layouts are recognised from the header:

* oldest (2008-2018 files): ``Borough, Major Category, Minor Category, YYYYMM...``
* old: ``MajorText, MinorText, LookUp_BoroughName, YYYYMM...`` (title-case categories)
* new (from 2024): ``MajorText, MinorText, BoroughName, YYYYMM...`` (upper-case Home Office
  categories)

A "Historical" file and its "most recent 24 months" twin are combined into one series; where
their months overlap the newer file is used and the overlap is reported. Rows that are not a
borough (the airports, ``Unknown``) are kept apart in ``unattributed``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from slp.boroughs import DEMO_BOROUGHS, LONDON_BOROUGHS
from slp.coverage import Coverage
from slp.errors import SourceError
from slp.sources import _csv, _mps, _schemas

SOURCE = "MPS Borough Level Crime"

LAYOUTS = (
    _mps.Layout(
        "old", ("MajorText", "MinorText", "LookUp_BoroughName"), ("major", "minor", "borough")
    ),
    _mps.Layout("new", ("MajorText", "MinorText", "BoroughName"), ("major", "minor", "borough")),
    _mps.Layout(
        "oldest", ("Borough", "Major Category", "Minor Category"), ("borough", "major", "minor")
    ),
)
COLUMNS = ("borough", "major", "minor")
#: Header signatures that identify this source (see :func:`slp.sources._csv.known_layouts`).
SIGNATURES = _csv.signatures(SOURCE, "read_borough_crime", (lay.columns for lay in LAYOUTS))


@dataclass
class RecordedCrime:
    """Borough-level recorded crime, long and tidy.

    Attributes
    ----------
    data : DataFrame
        ``borough, major, minor, month, count``; boroughs only. ``month`` is ``period[M]``,
        ``count`` int64. Zero counts are kept as published.
    unattributed : DataFrame
        Same columns, for rows that are not a borough (airports, ``Unknown``).
    coverage : Coverage
        Files, format, months, number of boroughs and caveats.
    classification : str
        ``"old"`` (title case), ``"new"`` (upper case) or ``"oldest"`` (the 2008-2018
        ``Major Category`` files); see :mod:`slp.categories`.
    month_files : dict
        Month ('YYYY-MM') -> name of the file its figures come from.
    force : str or None
        The police force whose data.police.uk files the figures were built from
        (``classification == "police.uk"``); None for the MPS files.
    """

    data: pd.DataFrame
    unattributed: pd.DataFrame
    coverage: Coverage
    classification: str
    month_files: dict[str, str] = field(default_factory=dict)
    force: str | None = None


def read_borough_crime(paths, *, map_categories: bool = False) -> RecordedCrime:
    """Read MPS Borough Level Crime files into one monthly series per borough and category.

    Parameters
    ----------
    paths : str, Path or list of them
        A file, a folder of CSV files (e.g. one download vintage holding the Historical and
        the 24-month file), or a list of either.
    map_categories : bool, default False
        Files of the old (title-case) and new (upper-case) classifications cannot be combined
        unless this is True, in which case the old categories are mapped onto the new ones
        (:func:`slp.categories.old_to_new`) and a caveat says so.

    Returns
    -------
    RecordedCrime

    Raises
    ------
    SourceError
        A file is empty, is not a borough file (e.g. a ward file), has no or badly named month
        columns, a gap in its months, duplicated rows, or counts that are not whole numbers
        >= 0. The message names the file, line and column.
    CategoryMixError
        Files of different classifications without ``map_categories=True``.

    Examples
    --------
    >>> crime = read_borough_crime("../shared/data/mps-borough/vintage-2023-08")  # doctest: +SKIP
    >>> crime.coverage.first_month, crime.coverage.last_month  # doctest: +SKIP
    ('2010-04', '2023-07')
    """
    files = _mps.require_files(paths, SOURCE)
    wides = [_mps.read_wide(path, SOURCE, LAYOUTS, COLUMNS) for path in files]
    wides, classification, caveats = _mps.harmonise_classes(
        wides, SOURCE, map_categories, ["borough"]
    )
    data, combine_caveats, month_files = _mps.combine(wides, SOURCE)
    caveats.extend(combine_caveats)
    boroughs, unattributed, caveat = _mps.split_unattributed(data, "borough")
    if caveat:
        caveats.append(caveat)
    uneven = _uneven_boroughs(boroughs, month_files)
    if uneven:
        caveats.append(uneven)
    boroughs = _mps.tidy(boroughs, COLUMNS)
    unattributed = _mps.tidy(unattributed, COLUMNS)
    for frame in (boroughs, unattributed):
        _schemas.validate(frame, _schemas.monthly_counts(COLUMNS), SOURCE, files)
    first, last = _csv.month_span(pd.PeriodIndex(data["month"]).unique())
    labels = list(dict.fromkeys(w.layout.label for w in wides))
    coverage = Coverage(
        source=SOURCE,
        format=" + ".join(labels),
        files=[w.path for w in wides],
        first_month=first,
        last_month=last,
        areas=int(boroughs["borough"].nunique()),
        caveats=caveats,
    )
    return RecordedCrime(
        data=boroughs,
        unattributed=unattributed,
        coverage=coverage,
        classification=classification,
        month_files=month_files,
    )


def _uneven_boroughs(data: pd.DataFrame, month_files: dict[str, str]) -> str | None:
    """A caveat when some months hold fewer boroughs than others (one file lacks boroughs the
    others have: a download cut short); :func:`check_complete` makes it an error for a run."""
    per_month = data.groupby("month", observed=True)["borough"].nunique()
    if per_month.empty or per_month.min() == per_month.max():
        return None
    short = per_month.index[per_month < per_month.max()]
    files = sorted({month_files.get(m.strftime("%Y-%m"), "") for m in short} - {""})
    return (
        f"{', '.join(repr(f) for f in files)} hold fewer boroughs ({per_month.min()}) than the "
        f"other files ({per_month.max()}) in {_csv.describe_months(m.ordinal for m in short)}; "
        "London totals and ranks for those months would be incomplete"
    )


def check_complete(crime: RecordedCrime, months: Iterable) -> None:
    """Raise unless every borough of London has figures in every one of ``months``.

    London is the 32 MPS boroughs when the data name real London boroughs, the demo's 32
    fictional boroughs for the demo, and otherwise every borough found in those months. A
    borough file cut short (a download stopped at a line boundary) loses its last boroughs:
    any "rank of 32" or London figure would then be silently wrong.

    Parameters
    ----------
    crime : RecordedCrime
    months : iterable of pandas.Period or 'YYYY-MM'
        The months a run uses (e.g. the 24 months before ``period_end``).

    Raises
    ------
    SourceError
        Naming the file(s) holding the incomplete months, the missing boroughs and months.

    Examples
    --------
    >>> check_complete(crime, pd.period_range("2020-10", "2022-09", freq="M"))  # doctest: +SKIP
    """
    wanted = [pd.Period(m, freq="M") for m in months]
    data = crime.data
    present = data.groupby("month", observed=True)["borough"].unique()
    names = set(data["borough"].unique())
    if names & set(LONDON_BOROUGHS):
        london, label = set(LONDON_BOROUGHS), "the 32 London boroughs"
    elif names & set(DEMO_BOROUGHS):
        london, label = set(DEMO_BOROUGHS), "the demo's 32 boroughs"
    else:
        london = set().union(*(set(present.get(m, ())) for m in wanted))
        label = f"the {len(london)} boroughs found"
    missing: dict[str, list[pd.Period]] = {}
    for month in wanted:
        for name in sorted(london - set(present.get(month, ()))):
            missing.setdefault(name, []).append(month)
    if not missing:
        return
    months_out = sorted({m for ms in missing.values() for m in ms})
    files = sorted({crime.month_files.get(m.strftime("%Y-%m"), "") for m in months_out} - {""})
    files = files or [p.name for p in crime.coverage.files]
    shown = ", ".join(sorted(missing)[:6]) + (
        f" and {len(missing) - 6} more" if len(missing) > 6 else ""
    )
    raise SourceError(
        SOURCE,
        None,
        f"{', '.join(repr(f) for f in files)} {'lacks' if len(files) == 1 else 'lack'} "
        f"{len(missing)} of {label} in "
        f"{_csv.describe_months(m.ordinal for m in months_out)}: {shown} (a download cut "
        "short?); expected every borough in every month used: download the file again",
    )
