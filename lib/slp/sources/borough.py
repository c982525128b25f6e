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

from dataclasses import dataclass

import pandas as pd

from slp.coverage import Coverage
from slp.sources import _csv, _mps

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
    """

    data: pd.DataFrame
    unattributed: pd.DataFrame
    coverage: Coverage
    classification: str


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
    data, combine_caveats = _mps.combine(wides, SOURCE)
    caveats.extend(combine_caveats)
    boroughs, unattributed, caveat = _mps.split_unattributed(data, "borough")
    if caveat:
        caveats.append(caveat)
    boroughs = _mps.tidy(boroughs, COLUMNS)
    unattributed = _mps.tidy(unattributed, COLUMNS)
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
    )
