"""Anti-social behaviour from data.police.uk street files: volume, months, LSOAs, wards, areas.

police.uk publishes anti-social behaviour (ASB) incidents reported to the police beside
crimes, as rows whose ``Crime type`` is "Anti-social behaviour". :func:`asb_from_street`
takes them from a :class:`~slp.sources.street.StreetCrime` and places each LSOA in its ward
and local authority with the ONS LSOA 2021 lookup, as recorded crime is placed
(:func:`slp.sources.police_uk.place`). The 2022 files mix LSOA 2011 and 2021 codes: a code the
2021 lookup holds is placed by the lookup; a 2011 code it does not hold is placed through an
optional LSOA 2011 -> 2021 table, and failing that in the local authority its LSOA name starts
with ("Newport 004D" -> Newport), with no ward. Rows with no location and rows
in LSOAs outside the area are counted and reported, never dropped silently.

Examples
--------
>>> street = read_street("../shared/data/police-uk/gwent-all-crime")      # doctest: +SKIP
>>> asb = asb_from_street(street, lookup, area=GWENT)                     # doctest: +SKIP
>>> by_authority(asb)                                                     # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from slp.errors import SlpError
from slp.periods import Window
from slp.sources.police_uk import ASB, place
from slp.suggest import did_you_mean

#: What the figures are, for every page that shows them.
STATEMENT = (
    "Anti-social behaviour here is incidents reported to the police and published by "
    "data.police.uk; ASB reported to the council or to housing providers is not included. "
    "Locations are approximate (each incident is placed 'on or near' a point on a street)."
)
#: Columns of :attr:`AntisocialBehaviour.data`.
COLUMNS = ("lsoa_code", "lsoa_name", "ward_code", "ward_name", "authority", "month", "count")


@dataclass
class AntisocialBehaviour:
    """ASB incidents of an area, by LSOA and month, with what could not be placed in it.

    Attributes
    ----------
    data : DataFrame
        ``lsoa_code, lsoa_name, ward_code, ward_name, authority, month, count`` for incidents
        in the area's LSOAs (``ward_code`` and ``ward_name`` empty where the LSOA code is not
        in the lookup).
    no_location : DataFrame
        ``month, count``: incidents with no location ("No Location"), in no area count.
    outside : DataFrame
        ``authority, count``: incidents in LSOAs of other authorities, most first.
    unmatched : DataFrame
        ``lsoa_code, lsoa_name, authority, count``: incidents in the area whose LSOA code is not
        in the 2021 lookup (LSOA 2011 codes), placed by LSOA name, in no ward.
    area : tuple of str
        The authorities the area is made of (empty: every authority in the files).
    frame : tuple of str
        The authorities of the force the area is compared with (empty: none named): incidents
        there are said apart from those outside the force's area.
    unmatched_months : (str, str) or None
        The first and last month ("October 2023") of the incidents in ``unmatched``.
    caveats : list of str
        Sentences for the page: no-location, outside and unmatched counts.
    """

    data: pd.DataFrame
    no_location: pd.DataFrame
    outside: pd.DataFrame
    unmatched: pd.DataFrame
    area: tuple[str, ...] = ()
    caveats: list[str] = field(default_factory=list)
    frame: tuple[str, ...] = ()
    unmatched_months: tuple[str, str] | None = None

    @property
    def total_read(self) -> int:
        """Every ASB row read: in the area, outside it, and with no location."""
        return int(self.data["count"].sum() + self.outside["count"].sum()
                   + self.no_location["count"].sum())


def _check_area(area: tuple[str, ...], known: Iterable[str]) -> None:
    known = sorted(set(known))
    for name in area:
        if name not in known:
            raise SlpError(f"asb: area '{name}' is not a local authority in the LSOA lookup"
                           f"{did_you_mean(name, known)}; expected a name such as '{known[0]}'")


def _summed(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    out = frame.groupby(keys, observed=True, as_index=False)["count"].sum()
    out["count"] = out["count"].astype("int64")
    return out.sort_values(["count", *keys], ascending=[False] + [True] * len(keys),
                           ignore_index=True)


def asb_from_street(street, lookup, *, area: str | Iterable[str] | None = None,
                    lsoa11: pd.Series | None = None,
                    frame: Iterable[str] = ()) -> AntisocialBehaviour:
    """The anti-social behaviour rows of police.uk street files, placed in an area.

    Parameters
    ----------
    street : StreetCrime
        From :func:`slp.sources.street.read_street` (read without a lookup, or with one).
    lookup : DataFrame, str or Path
        LSOA -> ward -> local authority (:func:`slp.sources.boundaries.read_lookup`; the ONS
        ``LSOA21CD, ..., WD25CD, ..., LAD25NM`` file).
    area : str or list of str, optional
        The local authority or authorities of the area (a CSP, or a force's authorities).
        Incidents in other authorities' LSOAs are counted in ``outside``. Default: every
        authority in the files is in the area.
    lsoa11 : Series, optional
        LSOA 2011 code -> LSOA 2021 code (e.g. from the ONS LSOA 2011 to 2021 lookup), used for
        2011 codes the 2021 lookup lacks. Without it such LSOAs are placed by name, in no ward.
    frame : list of str, optional
        The force's authorities (a police.uk run's frame): incidents in those of them outside
        ``area`` are said to be counted there, apart from those outside the force's area.

    Returns
    -------
    AntisocialBehaviour

    Raises
    ------
    SlpError
        An ``area`` name that is not a local authority of the lookup (with "did you mean").

    Examples
    --------
    >>> asb = asb_from_street(street, "lsoa21-ward25-lad25-lookup.csv",
    ...                       area="Newport")  # doctest: +SKIP
    >>> asb.outside.head(2)                    # doctest: +SKIP
          authority  count
    0    Caerphilly   9584
    1       Torfaen   5870
    """
    if not isinstance(lookup, pd.DataFrame):
        from slp.sources.boundaries import read_lookup
        lookup = read_lookup(lookup)
    area = (area,) if isinstance(area, str) else tuple(area or ())
    if area and "borough" in lookup.columns:
        _check_area(area, lookup["borough"])
    rows = street.data.loc[street.data["crime_type"] == ASB,
                           ["lsoa_code", "lsoa_name", "month", "count"]]
    placed = place(rows, lookup, lsoa11)
    inside = placed["authority"].isin(area).to_numpy() if area else np.ones(len(placed), bool)
    located = placed.loc[inside]
    no_loc = street.no_location_by_month
    if len(no_loc):
        no_loc = no_loc.loc[no_loc["crime_type"] == ASB]
    no_location = (no_loc.groupby("month", as_index=False)["count"].sum()
                   if len(no_loc) else pd.DataFrame({"month": [], "count": []}))
    result = AntisocialBehaviour(
        data=(located.loc[:, list(COLUMNS)]
              .sort_values(["lsoa_code", "lsoa_name", "month"], ignore_index=True)),
        no_location=no_location.astype({"count": "int64"}),
        outside=_summed(placed.loc[~inside], ["authority"]),
        unmatched=_summed(located.loc[~located["matched"]],
                          ["lsoa_code", "lsoa_name", "authority"]),
        area=area, frame=tuple(frame),
        unmatched_months=_month_span(located.loc[~located["matched"], "month"]),
    )
    result.caveats = _caveats(result)
    return result


def _caveats(asb: AntisocialBehaviour) -> list[str]:
    """Plain sentences on what is not in the area's counts, and why."""
    total = asb.total_read
    out = []
    n = int(asb.no_location["count"].sum())
    if n:
        out.append(f"{n:,} of {total:,} ASB incidents ({n / total:.1%}) have no location "
                   "('No Location') and are in no area, ward or LSOA count")
    in_frame = asb.outside["authority"].isin(asb.frame)
    if in_frame.any():
        n, named = _named(asb.outside.loc[in_frame])
        out.append(f"{n:,} ASB incidents are in the force area's other authorities ({named}): "
                   f"they are counted there, not in {_joined(asb.area)}")
    n, named = _named(asb.outside.loc[~in_frame])
    if n:
        where = ("outside the force area's authorities" if asb.frame
                 else f"outside {_joined(asb.area)}")
        out.append(f"{n:,} ASB incidents are in LSOAs {where} ({named}) and are not counted")
    n = int(asb.unmatched["count"].sum())
    if n:
        k = asb.unmatched["lsoa_code"].nunique()
        first, last = asb.unmatched_months or ("", "")
        months = first if first == last else f"{first} to {last}"
        out.append(f"{n:,} ASB incidents in {k} LSOA{'s' if k != 1 else ''} whose code is not "
                   f"in the LSOA 2021 lookup (LSOA 2011 codes, in the files for {months}) are "
                   "counted in their local authority by LSOA name but in no ward")
    return out


def _named(outside: pd.DataFrame) -> tuple[int, str]:
    """The incidents of ``outside`` and its five largest authorities: (24225, "Caerphilly
    9,584, Torfaen 5,870, ...")."""
    named = ", ".join(f"{a} {c:,}" for a, c in outside.head(5).itertuples(index=False))
    return int(outside["count"].sum()), named + (", ..." if len(outside) > 5 else "")


def _month_span(months: pd.Series) -> tuple[str, str] | None:
    """The first and last of ``months`` ("October 2023", "March 2024"); None when empty."""
    if not len(months):
        return None
    periods = pd.PeriodIndex(months.astype(str), freq="M")
    return periods.min().strftime("%B %Y"), periods.max().strftime("%B %Y")


def _joined(names: tuple[str, ...]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _select(asb: AntisocialBehaviour, window: Window | None,
            authority: str | None) -> pd.DataFrame:
    data = asb.data
    if authority is not None:
        if authority not in set(data["authority"]) and authority not in asb.area:
            raise SlpError(f"asb: '{authority}' is not in the area; expected one of "
                           + ", ".join(sorted(set(data["authority"]))))
        data = data.loc[data["authority"] == authority]
    if window is not None:
        months = pd.PeriodIndex(data["month"].astype(str), freq="M")
        data = data.loc[(months >= window.start) & (months <= window.end)]
    return data


def volume(asb: AntisocialBehaviour, window: Window | None = None,
           authority: str | None = None) -> int:
    """ASB incidents placed in the area (or one of its authorities), in a window.

    Examples
    --------
    >>> volume(asb, Window.ending("2025-06", 12), "Newport")  # doctest: +SKIP
    4132
    """
    return int(_select(asb, window, authority)["count"].sum())


def monthly(asb: AntisocialBehaviour, authority: str | None = None) -> pd.Series:
    """Incidents per month (every month from the first to the last, 0 where none), indexed
    by month (Period).

    Incidents with no location are not in it (they belong to no authority); see
    :attr:`AntisocialBehaviour.no_location`.
    """
    data = _select(asb, None, authority)
    months = pd.PeriodIndex(data["month"].astype(str), freq="M")
    series = data["count"].groupby(months).sum().astype("int64")
    all_months = pd.PeriodIndex(asb.data["month"].astype(str), freq="M")
    if len(all_months):
        series = series.reindex(pd.period_range(all_months.min(), all_months.max(), freq="M"),
                                fill_value=0)
    return series.rename("count").rename_axis("month")


def monthly_by_authority(asb: AntisocialBehaviour) -> pd.DataFrame:
    """``borough, month, count``: every authority of the area in every month (0 where none), in
    the long shape the verdict and measure functions read (``area_column="borough"``).

    Examples
    --------
    >>> from slp import verdicts
    >>> frame = monthly_by_authority(asb)                               # doctest: +SKIP
    >>> verdicts.headline_verdict(frame, "Newport", "2025-06")          # doctest: +SKIP
    """
    data = asb.data
    months = pd.PeriodIndex(data["month"].astype(str), freq="M")
    authorities = sorted(set(data["authority"]) | set(asb.area))
    if not len(months):
        return pd.DataFrame({"borough": [], "month": [], "count": []})
    grid = pd.MultiIndex.from_product(
        [authorities, pd.period_range(months.min(), months.max(), freq="M")],
        names=["borough", "month"])
    counts = data["count"].groupby([data["authority"].to_numpy(), months]).sum()
    out = counts.reindex(grid, fill_value=0).astype("int64").rename("count").reset_index()
    return out


def by_lsoa(asb: AntisocialBehaviour, window: Window | None = None,
            authority: str | None = None) -> pd.DataFrame:
    """``lsoa_code, lsoa_name, ward_code, authority, count``, one row per LSOA code, most first.

    police.uk's 2022 files give some codes their 2011 name in one month and their 2021 name in
    another ("The Vale of Glamorgan 009D", "Vale of Glamorgan 009D"); the name of the latest
    month is kept.
    """
    data = _select(asb, window, authority)
    latest = (data.sort_values("month").drop_duplicates("lsoa_code", keep="last")
              .set_index("lsoa_code")["lsoa_name"])
    out = _summed(data, ["lsoa_code", "ward_code", "authority"])
    out.insert(1, "lsoa_name", out["lsoa_code"].map(latest))
    return out


def by_ward(asb: AntisocialBehaviour, window: Window | None = None,
            authority: str | None = None) -> pd.DataFrame:
    """``ward_code, ward_name, authority, count`` per ward, most first; incidents in LSOAs the
    lookup does not hold are left out (see :attr:`AntisocialBehaviour.unmatched`)."""
    data = _select(asb, window, authority)
    return _summed(data.loc[data["ward_code"] != ""], ["ward_code", "ward_name", "authority"])


def by_authority(asb: AntisocialBehaviour, window: Window | None = None,
                 residents: pd.Series | None = None) -> pd.DataFrame:
    """``authority, count`` (+ ``rate_per_1000`` when ``residents`` is given: authority ->
    residents), most first.

    Examples
    --------
    >>> by_authority(asb, residents=pd.Series({"Newport": 159_604}))  # doctest: +SKIP
      authority  count  rate_per_1000
    0   Newport  11570          72.49
    """
    out = _summed(_select(asb, window, None), ["authority"])
    if residents is not None:
        out["rate_per_1000"] = 1000 * out["count"] / out["authority"].map(residents)
    return out
