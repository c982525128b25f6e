"""Against England and Wales: an area's crime rate beside its country's, region's and force's.

The frame is the ONS police force area data tables (:mod:`slp.sources.national`): police
recorded crime excluding fraud for every Community Safety Partnership (CSP), force, region and
country of England and Wales, for whole 12-month periods (calendar years 2023 and 2024 in the
year ending December 2024 edition).

Which period a report uses (:func:`national_period`): the latest period of the tables that lies
wholly inside the report's window. For a 12-month report that means the tables must cover
exactly the same 12 months (a report for January to December 2024 uses "2024"); a report for the
12 months to September 2024 gets None, and the report says the national tables do not cover its
period rather than setting figures for different months side by side.

"Above", "below" or "similar" (:func:`compare_to_national`): the area's rate against its
country's (England's, or Wales' for a Welsh area). *Similar* means within
:data:`SIMILAR_WITHIN` (5%) of the country's rate either way; outside it the area is above or
below. The 5% is a fixed, stated convention, not a statistical test: police recorded crime is a
full count shaped by recording and reporting, and the tables divide CSP counts by mid-2022 and
national counts by mid-2023 population estimates, so a gap of a few per cent is not described as
a difference.

Rates are offences / population x 1,000 recomputed from the tables (they agree with the
published rates to within the rounding of the populations to 100); the block rounds them to one
decimal place.

A summary page calls, with the run's window and area (the folder may be None when the run has
no national tables)::

    block = national_block(folder, window, area_code, name=area_name)  # figures.json["national"]
    words = national_sentence(block)

which is, step by step::

    tables = read_national(folder)            # slp.sources.national
    period = national_period(window, tables)  # None when the tables do not cover the window
    block = compare_to_national(tables, area_code, period, name=area_name)
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from slp.errors import SlpError
from slp.periods import Window
from slp.sources.national import NationalTables, clean_name, read_national

#: Relative margin within which an area's rate is "similar" to its country's (5%).
SIMILAR_WITHIN = 0.05

_GSS = re.compile(r"^[EW]\d{8}$")
_CSP_CODE = re.compile(r"^(E22|W14)\d{6}$")
_BLOCK_KEYS = ("area_rate_per_1000", "england_rate_per_1000", "wales_rate_per_1000",
               "england_and_wales_rate_per_1000", "region_rate_per_1000", "force_rate_per_1000")


def national_period(window: Window, tables: NationalTables) -> str | None:
    """The latest period of the tables lying wholly inside the report's window, or None.

    Parameters
    ----------
    window : Window
        The report's window (usually its 12 months).
    tables : NationalTables

    Returns
    -------
    str or None
        A period label of ``tables.areas`` (e.g. ``"2024"``), or None when no 12 months of the
        tables fit inside the window.

    Examples
    --------
    >>> national_period(Window.ending("2024-12", 12), tables)  # doctest: +SKIP
    '2024'
    >>> national_period(Window.ending("2025-06", 12), tables) is None  # doctest: +SKIP
    True
    """
    periods = tables.areas[["period", "period_end"]].drop_duplicates()
    inside = [
        (end, label) for label, end in periods.itertuples(index=False)
        if window.contains(pd.Period(end, "M") - 11) and window.contains(end)
    ]
    return max(inside)[1] if inside else None


def _norm(text: str) -> str:
    """A name for matching: lower case, ``&`` as "and", no punctuation, and the ONS's ", City of"
    / ", County of" suffixes dropped ("Bristol, City of" matches "Bristol")."""
    text = clean_name(text).lower().replace("&", "and")
    text = re.sub(r",\s*(city|county) of$", "", text)
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text).split())


def find_csps(tables: NationalTables, authority: str,
              name: str | None = None) -> tuple[str, list[str]]:
    """The CSP(s) that hold an authority, by GSS code or name.

    A local authority inside a CSP of several authorities (Merthyr Tydfil in Cwm Taf) gives that
    CSP; an authority split into several CSPs (Buckinghamshire) gives all of them, to be added
    together.

    Parameters
    ----------
    tables : NationalTables
    authority : str
        A local authority or CSP GSS code (``E09000023``, ``E22000208``) or name
        (``"Lewisham"``, ``"Bristol, City of"``); case, ``&`` and punctuation are ignored.
    name : str, optional
        The authority's name, tried when its code is not in the tables (codes the tables
        predate, e.g. Barnsley's 2025 code E08000038 against E08000016 in the tables).

    Returns
    -------
    name : str
        How the area is named in words, e.g. ``"Cwm Taf (Merthyr Tydfil, Rhondda Cynon Taf)"``.
    codes : list of str
        CSP codes.

    Raises
    ------
    SlpError
        No CSP holds the authority; names the closest matches.

    Examples
    --------
    >>> find_csps(tables, "E09000023")  # doctest: +SKIP
    ('Lewisham', ['E22000208'])
    """
    members = tables.members
    wanted = str(authority).strip()
    if _CSP_CODE.match(wanted.upper()):
        hit = members[members["csp_code"] == wanted.upper()]
    elif _GSS.match(wanted.upper()):
        hit = members[members["la_code"] == wanted.upper()]
    else:
        key = _norm(wanted)
        hit = members[members["csp_name"].map(_norm) == key]
        if hit.empty:
            hit = members[members["la_name"].map(_norm) == key]
    if hit.empty and name:
        return find_csps(tables, name)
    if hit.empty:
        raise SlpError(_not_found(tables, wanted))
    codes = sorted(hit["csp_code"].unique())
    return _describe(members, codes, wanted), codes


def _describe(members: pd.DataFrame, codes: list[str], wanted: str) -> str:
    if len(codes) > 1:
        names = members.drop_duplicates("csp_code").set_index("csp_code").loc[codes, "csp_name"]
        la = members.loc[members["csp_code"].isin(codes), "la_name"].iloc[0]
        return f"{la} ({', '.join(names)} CSPs added together)"
    rows = members[members["csp_code"] == codes[0]]
    name = rows["csp_name"].iloc[0]
    if len(rows) > 1:  # a CSP of several authorities: name them all
        return f"{name} ({', '.join(rows['la_name'])})"
    return name


def _not_found(tables: NationalTables, wanted: str) -> str:
    names = sorted(set(tables.members["csp_name"]) | set(tables.members["la_name"]))
    close = difflib.get_close_matches(clean_name(wanted), names, n=3, cutoff=0.6)
    if not close:
        lowered = {n.lower(): n for n in names}
        close = [lowered[k] for k in difflib.get_close_matches(wanted.lower(), lowered, n=3)]
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return (f"national tables: no Community Safety Partnership holds '{wanted}' ({tables.source}); "
            f"expected a local authority or CSP name or GSS code of England and Wales{hint}")


def compare_to_national(tables: NationalTables | None, authority: str, period: str | None,
                        name: str | None = None) -> dict:
    """The area's rate per 1,000 beside its country's, England and Wales', its region's and its
    force's, as the ``"national"`` block of figures.json.

    Parameters
    ----------
    tables : NationalTables or None
        None when no national tables were given: the block is returned with every figure null
        (and ``source`` null), and :func:`national_sentence` says so.
    authority : str
        Local authority or CSP, by GSS code or name (see :func:`find_csps`).
    period : str or None
        A period of the tables (see :func:`national_period`); None gives the block with every
        figure null.
    name : str, optional
        The authority's name, tried when its code is not found (see :func:`find_csps`).

    Returns
    -------
    dict
        ``source``, ``period``, ``area``, ``csp_codes``, ``country``, ``region``, ``force``,
        ``area_offences``, ``area_population``, the rates ``area_rate_per_1000``,
        ``england_rate_per_1000`` (England's, for an English area; else null),
        ``wales_rate_per_1000`` (Wales', for a Welsh area; else null),
        ``england_and_wales_rate_per_1000``, ``region_rate_per_1000`` (null in Wales, which has no
        regions), ``force_rate_per_1000`` (rounded to 1 decimal place), ``difference_pct``
        (area against its country, %), ``comparison`` ("above", "below", "similar" or null)
        and ``similar_within_pct`` (5). Rates are offences / population x 1,000 from the tables.

    Raises
    ------
    SlpError
        The area is not found, or ``period`` is not one of the tables' periods.

    Examples
    --------
    >>> block = compare_to_national(tables, "Lewisham", "2024")  # doctest: +SKIP
    >>> block["area_rate_per_1000"], block["england_rate_per_1000"], block["comparison"]
    ... # doctest: +SKIP
    (99.8, 86.8, 'above')
    """
    area, codes = (name or authority, []) if tables is None else find_csps(tables, authority, name)
    block = {"source": tables.source if tables else None, "period": period, "area": area,
             "csp_codes": codes, "country": None, "region": None, "force": None,
             "area_offences": None, "area_population": None, **dict.fromkeys(_BLOCK_KEYS),
             "difference_pct": None, "comparison": None,
             "similar_within_pct": round(SIMILAR_WITHIN * 100)}
    if tables is None or period is None:
        block["period"] = None
        return block
    areas = tables.areas[tables.areas["period"] == str(period)]
    if areas.empty:
        raise SlpError(f"national tables: no period '{period}' in {tables.source}; expected one "
                       f"of {', '.join(tables.periods)}")
    csps = areas[areas["area_code"].isin(codes)]
    if csps.empty:  # a CSP the tables list in another year only
        return block
    offences, population = csps["offences"].sum(), csps["population"].sum()
    area_rate = None
    if csps["rate_per_1000"].notna().all() and len(csps) == len(codes) and population > 0:
        area_rate = float(offences) / float(population) * 1000
    first = csps.iloc[0]
    country = first["country"]
    rates = {"area": area_rate, **_context_rates(areas, first)}
    block.update(
        country=country, region=rates.pop("region_name"), force=rates.pop("force_name"),
        area_offences=int(offences), area_population=int(population),
        **{f"{k}_rate_per_1000": _round(v) for k, v in rates.items()},
    )
    block["wales_rate_per_1000" if country == "England" else "england_rate_per_1000"] = None
    reference = rates["england" if country == "England" else "wales"]
    if area_rate is not None and reference:
        block["difference_pct"] = round((area_rate / reference - 1) * 100, 1)
        block["comparison"] = verdict(area_rate, reference)
    return block


def _context_rates(areas: pd.DataFrame, csp: pd.Series) -> dict:
    """Rates (unrounded) and names of the country, England and Wales, region and force."""
    by_code = areas.dropna(subset=["area_code"]).set_index("area_code")

    def rate(code):
        return float(by_code.at[code, "rate_per_1000"]) if code in by_code.index else None

    def name(code):
        return clean_name(by_code.at[code, "area_name"]) if code in by_code.index else None

    def of_type(kind, country=None):
        rows = areas[(areas["area_type"] == kind)
                     & ((areas["country"] == country) if country else True)]
        return rows["area_code"].iloc[0] if len(rows) else None

    region = csp["region_code"] if isinstance(csp["region_code"], str) else None
    return {
        "england": rate(of_type("country", "England")),
        "wales": rate(of_type("country", "Wales")),
        "england_and_wales": rate(of_type("England and Wales")),
        "region": rate(region) if region else None,
        "force": rate(csp["force_code"]),
        "region_name": name(region) if region else None,
        "force_name": name(csp["force_code"]),
    }


def _round(value) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 1)


def verdict(rate: float, reference: float) -> str:
    """"above", "below" or "similar" (within :data:`SIMILAR_WITHIN` of ``reference``).

    Examples
    --------
    >>> verdict(99.8, 86.8), verdict(80.0, 86.8), verdict(88.0, 86.8)
    ('above', 'below', 'similar')
    """
    if rate > reference * (1 + SIMILAR_WITHIN):
        return "above"
    if rate < reference * (1 - SIMILAR_WITHIN):
        return "below"
    return "similar"


def national_sentence(block: dict) -> str:
    """The comparison in plain English, with the caveats the tables need.

    Examples
    --------
    >>> national_sentence({"period": None, "area": "Newport", "source": "ONS tables"})[:50]
    'The ONS police recorded crime tables for England a'
    """
    if block.get("source") is None:
        return (f"No ONS police recorded crime tables for England and Wales were given, so "
                f"{block['area']} is not compared with the national rates here.")
    if block.get("period") is None:
        return (f"The ONS police recorded crime tables for England and Wales ({block['source']}) "
                f"do not cover this report's period, so {block['area']} is not compared with the "
                "national rates here.")
    if block.get("area_rate_per_1000") is None:
        return (f"The ONS tables for {block['period']} do not publish a crime rate for "
                f"{block['area']} (not presented for a small resident population or not "
                "available), so it is not compared with the national rates.")
    country = block["country"]
    reference = block[f"{country.lower()}_rate_per_1000"]
    how = {"above": "above", "below": "below", "similar": "similar to"}[block["comparison"]]
    context = [f"England and Wales {block['england_and_wales_rate_per_1000']}"]
    if block.get("region_rate_per_1000") is not None:
        context.append(f"{block['region']} {block['region_rate_per_1000']}")
    if block.get("force_rate_per_1000") is not None:
        force = block["force"] if block["force"].lower().endswith("police") else (
            f"{block['force']} Police")
        context.append(f"the {force} force area {block['force_rate_per_1000']}")
    more = "higher" if block["comparison"] == "above" else "lower"
    within = (f" (within {block['similar_within_pct']}%)" if block["comparison"] == "similar"
              else f" ({abs(block['difference_pct'])}% {more})")
    return (
        f"In {block['period']} {block['area']} had {block['area_rate_per_1000']} police recorded "
        f"crimes per 1,000 residents, {how} the rate for {country} of {reference}{within}; "
        f"for comparison: {'; '.join(context)}. These national figures come from the ONS police "
        "recorded crime tables, which exclude fraud and may differ slightly from the local files "
        "used elsewhere in this report."
    )


@lru_cache(maxsize=4)
def _read_once(path: str, stamp: float) -> NationalTables:
    """The tables at ``path``, read once per modification time (a batch of areas reads the
    workbook once)."""
    del stamp  # part of the cache key only
    return read_national(path)


def national_block(source, window: Window, authority: str, name: str | None = None) -> dict:
    """The figures.json ``"national"`` block for a report: read, choose the period, compare.

    Parameters
    ----------
    source : str, Path, NationalTables or None
        The ONS tables (workbook, CSV extracts or a folder of them), tables already read, or
        None when the run has none (every figure null; :func:`national_sentence` says so).
    window : Window
        The report's window; the tables' period must lie wholly inside it
        (:func:`national_period`), else the figures are null.
    authority, name : str
        The area's GSS code or name, and its name to fall back on (:func:`find_csps`).

    Returns
    -------
    dict
        See :func:`compare_to_national`.

    Raises
    ------
    SlpError
        Unreadable tables, or an area no CSP holds.

    Examples
    --------
    >>> national_block(None, Window.ending("2024-12", 12), "E09000023", "Lewisham")["source"]
    >>> national_block("../shared/data/home-office-prc-csp", Window.ending("2024-12", 12),
    ...                "E09000023")["comparison"]  # doctest: +SKIP
    'above'
    """
    tables = source
    if source is not None and not isinstance(source, NationalTables):
        path = Path(source).resolve()
        stamp = max((p.stat().st_mtime for p in [path, *path.rglob("*")] if p.exists()),
                    default=0.0)
        tables = _read_once(str(path), stamp)
    period = national_period(window, tables) if tables is not None else None
    return compare_to_national(tables, authority, period, name=name)

