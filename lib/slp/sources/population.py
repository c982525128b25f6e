"""Resident population: Census 2021 (TS007a) and ONS small-area mid-year estimates.

Recognised from the header:

* Census 2021 TS007a (``date, geography, geography code, Age: Total, ...``), either the local
  authority file or the LSOA file (told from the codes: ``E01``/``W01`` are LSOAs);
* ONS small-area mid-year estimates (``LSOA11CD, LSOA11NM, MSOA11CD, MSOA11NM, LAD11CD,
  LAD11NM, Persons_All-Ages, ...``), summed to boroughs via ``LAD11NM``.

Every loader returns a human label of the source for the report's footnotes, e.g.
"ONS mid-2020 small-area population estimates" (the year from the file name, e.g.
``ons-mid2020-*.csv``) or "Census 2021 (TS007a) usual residents".
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from slp.coverage import Coverage
from slp.errors import SourceError
from slp.sources import _csv, _schemas

SOURCE = "Population"
#: Header signatures that identify the two layouts (see :func:`slp.sources._csv.known_layouts`).
SIGNATURES = (
    *_csv.signatures(
        "Census 2021 TS007a population", "read_population", [("geography", "geography code")]
    ),
    *_csv.signatures(
        "ONS small-area population estimates", "read_population", [("LSOA11CD", "LAD11NM")]
    ),
)
#: Census 2021 TS007a columns before the ``Age: <band>`` columns, as published.
CENSUS_COLUMNS = ("date", "geography", "geography code", "Age: Total")
_LSOA_CODE = re.compile(r"^[EW]01\d{6}$")
_YEAR_IN_NAME = re.compile(r"mid[-_ ]?(\d{4})", re.IGNORECASE)


@dataclass
class Population:
    """Residents per area, with where the figures come from.

    Attributes
    ----------
    by_area : Series
        Area name (borough / local authority) -> residents (int64). For LSOA files, the sum of
        the LSOAs in each borough.
    label : str
        Human label of the source, e.g. "Census 2021 (TS007a) usual residents".
    coverage : Coverage
    by_lsoa : Series or None
        LSOA code -> residents, for LSOA files.
    borough : Series or None
        LSOA code -> borough (local authority) name, for LSOA files.
    geography : str
        ``"local authority"`` or ``"LSOA"``.
    """

    by_area: pd.Series
    label: str
    coverage: Coverage
    by_lsoa: pd.Series | None = None
    borough: pd.Series | None = None
    geography: str = "local authority"


def _find(columns: list[str], *patterns: str) -> str | None:
    for pattern in patterns:
        regex = re.compile(pattern, re.IGNORECASE)
        for col in columns:
            if regex.match(col):
                return col
    return None


def read_population(path) -> Population:
    """Read a population file (Census 2021 TS007a or ONS small-area estimates).

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    Population

    Raises
    ------
    SourceError
        An empty file, a file of another source (e.g. a police.uk street file), duplicated area
        codes, or residents that are not whole numbers >= 0.

    Examples
    --------
    >>> pop = read_population("ons-mid2020-lsoa11-london.csv")  # doctest: +SKIP
    >>> pop.label, int(pop.by_area["Lewisham"])  # doctest: +SKIP
    ('ONS mid-2020 small-area population estimates', 305309)
    """
    path = Path(path)
    table = _csv.read_table(path, SOURCE)
    columns = table.columns
    census_code = _find(columns, r"^geography code$")
    census_name = _find(columns, r"^geography$")
    census_total = _find(columns, r"^age: total", r"^total", r".*all usual residents")
    sape_code = _find(columns, r"^LSOA\d{2}CD$")
    sape_lad = _find(columns, r"^LAD\d{2}NM$")
    sape_total = _find(columns, r"^persons[_ ]all[-_ ]ages$", r"^all ages$")
    if census_code and census_name and census_total:
        return _read_census(table, census_name, census_code, census_total)
    if sape_code and sape_lad and sape_total:
        return _read_sape(table, sape_code, sape_lad, sape_total)
    raise _csv.wrong_source(
        SOURCE,
        path,
        columns,
        "Census 2021 TS007a columns 'date, geography, geography code, Age: Total, ...' or ONS "
        "small-area estimate columns 'LSOA11CD, ..., LAD11NM, Persons_All-Ages, ...'",
    )


def _residents(table: _csv.Table, code_col: str, total_col: str) -> pd.Series:
    frame = table.frame
    _csv.check_not_blank(frame, [code_col], SOURCE, table.path)
    codes = frame[code_col].str.strip()
    _csv.check_unique(
        frame.assign(**{code_col: codes}), [code_col], SOURCE, table.path, "area code"
    )
    counts = _csv.parse_counts(frame, [total_col], SOURCE, table.path)[:, 0]
    return pd.Series(
        counts, index=pd.Index(codes.to_numpy(dtype=object), name="code"), dtype="int64"
    )


def _read_census(table: _csv.Table, name_col: str, code_col: str, total_col: str) -> Population:
    frame = table.frame
    residents = _residents(table, code_col, total_col)
    names = pd.Series(frame[name_col].str.strip().to_numpy(dtype=object), index=residents.index)
    year_col = _find(table.columns, r"^date$")
    years = sorted(set(frame[year_col].str.strip())) if year_col else []
    year = years[0] if len(years) == 1 else "2021"
    label = f"Census {year} (TS007a) usual residents"
    is_lsoa = residents.index.to_series().str.match(_LSOA_CODE.pattern)
    caveats: list[str] = []
    if is_lsoa.mean() > 0.5:
        if not is_lsoa.all():
            bad = residents.index[~is_lsoa.to_numpy()][0]
            raise SourceError(
                SOURCE,
                table.path,
                f"mixes LSOA and other area codes (e.g. '{bad}' in column '{code_col}'); "
                "expected one geography per file",
            )
        borough = names.str.replace(r"\s+\S+$", "", regex=True)
        borough.name = "borough"
        by_area = residents.groupby(borough.to_numpy()).sum().astype("int64")
        from slp.boroughs import area_noun

        caveats.append(
            f"{area_noun(by_area.to_dict())} figures are sums of LSOA figures; Census 2021 "
            "small-area counts are rounded, so they can differ slightly from the "
            "local-authority table"
        )
        return _population(
            table,
            by_area,
            label + " (LSOA)",
            caveats,
            by_lsoa=residents,
            borough=borough,
            geography="LSOA",
            fmt="Census 2021 TS007a, LSOA",
        )
    by_area = pd.Series(residents.to_numpy(), index=names.to_numpy(), dtype="int64")
    if not by_area.index.is_unique:
        dup = by_area.index[by_area.index.duplicated()][0]
        raise SourceError(
            SOURCE, table.path, f"column '{name_col}' names '{dup}' twice; expected each area once"
        )
    return _population(table, by_area, label, caveats, fmt="Census 2021 TS007a, local authority")


def _read_sape(table: _csv.Table, code_col: str, lad_col: str, total_col: str) -> Population:
    residents = _residents(table, code_col, total_col)
    borough = pd.Series(
        table.frame[lad_col].str.strip().to_numpy(dtype=object),
        index=residents.index,
        name="borough",
    )
    by_area = residents.groupby(borough.to_numpy()).sum().astype("int64")
    match = _YEAR_IN_NAME.search(table.path.name)
    caveats = []
    if match:
        label = f"ONS mid-{match.group(1)} small-area population estimates"
    else:
        label = "ONS small-area mid-year population estimates"
        caveats.append(
            "the estimate year is not in the file name (expected e.g. 'ons-mid2020-...'), so "
            "the label does not say which mid-year it is"
        )
    vintage = code_col[4:6]
    caveats.append(f"LSOA {'20' + vintage} geography ({code_col}); boroughs from {lad_col}")
    return _population(
        table,
        by_area,
        label,
        caveats,
        by_lsoa=residents,
        borough=borough,
        geography="LSOA",
        fmt=f"ONS small-area estimates ({code_col}, {lad_col}, {total_col})",
    )


def _population(
    table,
    by_area,
    label,
    caveats,
    *,
    by_lsoa=None,
    borough=None,
    geography="local authority",
    fmt="",
) -> Population:
    by_area = by_area.sort_index()
    by_area.index.name = "area"
    by_area.name = "residents"
    if by_lsoa is not None:
        by_lsoa = by_lsoa.copy()
        by_lsoa.index.name = "lsoa_code"
        by_lsoa.name = "residents"
        borough = borough.copy()
        borough.index.name = "lsoa_code"
        borough.name = "borough"
    read_as = _csv.encoding_caveat(table.path.name, table.encoding)
    if read_as:
        caveats = [*caveats, read_as]
    for series in (by_area, by_lsoa):
        if series is not None:
            _schemas.validate(series, _schemas.residents(), SOURCE, [table.path])
    coverage = Coverage(
        source=f"{SOURCE}: {label}",
        format=fmt,
        files=[table.path],
        areas=int(len(by_area)),
        caveats=caveats,
    )
    return Population(
        by_area=by_area,
        label=label,
        coverage=coverage,
        by_lsoa=by_lsoa,
        borough=borough,
        geography=geography,
    )


def ward_population(pop: Population, lookup) -> pd.Series:
    """Residents per ward, summing a population's LSOAs through an LSOA-to-ward lookup.

    Parameters
    ----------
    pop : Population
        An LSOA-level population (``pop.by_lsoa`` is not None).
    lookup : DataFrame, str or Path
        From :func:`slp.sources.boundaries.read_lookup`, or a path to such a file.

    Returns
    -------
    Series
        ``ward_code`` -> residents (int64), for the wards whose LSOAs are all in the
        population. Wards with none of their LSOAs in it (outside its area) are left out.

    Raises
    ------
    SourceError
        The population is not LSOA-level, no LSOA of the lookup is in the population (e.g.
        LSOA 2011 codes against a 2021 population), or a ward has only some of its LSOAs in the
        population (its total would be too low).
    """
    from slp.sources.boundaries import read_lookup

    source_path = pop.coverage.files[0] if pop.coverage.files else None
    if pop.by_lsoa is None:
        raise SourceError(
            SOURCE,
            source_path,
            f"is {pop.geography}-level ({pop.label}); ward populations need an LSOA-level file",
        )
    if not isinstance(lookup, pd.DataFrame):
        lookup = read_lookup(lookup)
    present = lookup["lsoa_code"].isin(pop.by_lsoa.index)
    if not present.any():
        raise SourceError(
            SOURCE,
            source_path,
            f"has none of the lookup's {len(lookup):,} LSOA codes (e.g. "
            f"'{lookup['lsoa_code'].iloc[0]}'); expected the lookup and the population to use "
            "the same LSOA vintage (2011 or 2021)",
        )
    share = lookup.assign(present=present).groupby("ward_code")["present"].agg(["any", "all"])
    partial = share.index[share["any"] & ~share["all"]]
    if len(partial):
        missing = lookup.loc[lookup["ward_code"].isin(partial) & ~present, "lsoa_code"]
        raise SourceError(
            SOURCE,
            source_path,
            f"lacks {len(missing)} LSOA(s) of ward(s) {', '.join(map(str, partial[:5]))} "
            f"(e.g. '{missing.iloc[0]}'), so their totals would be too low; expected the "
            "lookup and the population to use the same LSOA vintage (2011 or 2021)",
        )
    used = lookup.loc[present]
    residents = pop.by_lsoa.reindex(used["lsoa_code"]).to_numpy()
    out = pd.Series(residents, index=used["ward_code"].to_numpy()).groupby(level=0).sum()
    out.index.name = "ward_code"
    out.name = "residents"
    return out.astype("int64")


def by_authority(pop: Population, lookup: pd.DataFrame) -> Population:
    """An LSOA-level population summed to local authorities through the lookup (its
    ``borough``, the authority of each LSOA), not through the LSOA names; a local-authority
    file is returned as it is.

    Examples
    --------
    >>> lsoa = Population(pd.Series({"W01": 10, "W02": 5}), "LSOA file", Coverage("s", "f"),
    ...                   by_lsoa=pd.Series({"W01": 10, "W02": 5}), geography="LSOA")
    >>> lookup = pd.DataFrame({"lsoa_code": ["W01", "W02"], "borough": ["Newport", "Torfaen"]})
    >>> by_authority(lsoa, lookup).by_area.to_dict()
    {'Newport': 10, 'Torfaen': 5}
    """
    if pop.by_lsoa is None or "borough" not in lookup.columns:
        return pop
    authority = lookup.drop_duplicates("lsoa_code").set_index("lsoa_code")["borough"]
    placed = authority.reindex(pop.by_lsoa.index)
    by_area = pop.by_lsoa[placed.notna().to_numpy()].groupby(placed.dropna().to_numpy()).sum()
    by_area = by_area.astype("int64").sort_index().rename("residents").rename_axis("area")
    caveats = [c for c in pop.coverage.caveats if not c.startswith("borough figures")]
    caveats.append("local authority figures are sums of LSOA figures through the LSOA lookup; "
                   "Census 2021 small-area counts are rounded, so they can differ slightly "
                   "from the local-authority table")
    return dataclasses.replace(pop, by_area=by_area, coverage=dataclasses.replace(
        pop.coverage, caveats=caveats, areas=int(len(by_area))))
