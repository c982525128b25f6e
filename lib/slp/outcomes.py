"""What happened to the area's crimes: the share of the period's crimes by their last outcome.

The crimes are those the crime counts count for the area: every police.uk street row that is
not anti-social behaviour, recorded in the period, in an LSOA placed in the area the same way
as the crime counts (the LSOA lookup, else the authority the LSOA name starts with). Each takes
its last outcome from the outcomes files (:func:`slp.sources.outcomes.read_police_outcomes`);
a crime with no outcome record yet is counted as such. The police.uk outcome names are kept and
grouped into a few readable groups (:data:`GROUPS`).

Recent crimes often have no final outcome yet: an investigation takes weeks or months, and a
charge is followed by a court case whose result police.uk does not put in the outcomes files.

Examples
--------
>>> found = read_police_outcomes("../shared/data/police-uk/gwent-all-crime")  # doctest: +SKIP
>>> shares = outcome_shares(found, "lsoa21-ward25-lad25-lookup.csv", "Newport",
...                         Window.ending("2025-06", 12))                       # doctest: +SKIP
>>> shares.by_group.iloc[0]                                                      # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from slp.sources.police_uk import place

if TYPE_CHECKING:
    from slp.periods import Window
    from slp.sources.outcomes import PoliceOutcomes

CHARGED = "Charged or summonsed"
OUT_OF_COURT = "Dealt with out of court"
NO_SUSPECT = "No suspect identified"
UNABLE = "Unable to prosecute"
PUBLIC_INTEREST = "Not in the public interest"
ELSEWHERE = "Passed to another organisation"
OTHER = "Other outcomes"
NONE_YET = "No outcome recorded yet"
#: police.uk outcome names -> readable group. Court results that some forces publish in their
#: outcomes files are after a charge, so they are in the charged group.
GROUPS = {
    "Suspect charged": CHARGED,
    "Suspect charged as part of another case": CHARGED,
    "Awaiting court outcome": CHARGED,
    "Court result unavailable": CHARGED,
    "Defendant sent to Crown Court": CHARGED,
    "Court case unable to proceed": CHARGED,
    "Defendant found not guilty": CHARGED,
    "Offender sent to prison": CHARGED,
    "Offender given suspended prison sentence": CHARGED,
    "Offender given community sentence": CHARGED,
    "Offender fined": CHARGED,
    "Offender given conditional discharge": CHARGED,
    "Offender given absolute discharge": CHARGED,
    "Offender ordered to pay compensation": CHARGED,
    "Offender deprived of property": CHARGED,
    "Offender otherwise dealt with": CHARGED,
    "Offender given a caution": OUT_OF_COURT,
    "Offender given a drugs possession warning": OUT_OF_COURT,
    "Offender given penalty notice": OUT_OF_COURT,
    "Local resolution": OUT_OF_COURT,
    "Investigation complete; no suspect identified": NO_SUSPECT,
    "Unable to prosecute suspect": UNABLE,
    "Formal action is not in the public interest": PUBLIC_INTEREST,
    "Further action is not in the public interest": PUBLIC_INTEREST,
    "Further investigation is not in the public interest": PUBLIC_INTEREST,
    "Action to be taken by another organisation": ELSEWHERE,
}
#: Outcomes after a charge: court stages and results (some forces' outcomes files hold them).
COURT = frozenset(k for k, v in GROUPS.items() if v == CHARGED and not k.startswith("Suspect"))
#: The groups in the order a table shows them.
ORDER = (CHARGED, OUT_OF_COURT, NO_SUSPECT, UNABLE, PUBLIC_INTEREST, ELSEWHERE, OTHER, NONE_YET)
#: The police.uk name shown for crimes without an outcome record.
NONE_YET_NAME = "(no outcome record in the outcomes files)"


@dataclass
class OutcomeShares:
    """The area's crimes of a period by last outcome.

    Attributes
    ----------
    by_outcome : DataFrame
        ``group, outcome, count, share_pct``: one row per police.uk outcome name (and one for
        crimes with no outcome record), in :data:`ORDER` and then most first.
    by_group : DataFrame
        ``group, count, share_pct``, in :data:`ORDER` (groups with no crime left out).
    total : int
        The area's crimes in the period (the denominator).
    recent : DataFrame
        ``month, count, no_outcome``: the area's crimes per month of the period and how many of
        them have no outcome yet (recent months have more).
    cross_check : dict
        ``compared``: crimes with an outcome record; ``agree``: those whose street file's "Last
        outcome category" is in the same group (a court-stage category after a charge agrees
        with "Suspect charged").
    caveats : list of str
    """

    by_outcome: pd.DataFrame
    by_group: pd.DataFrame
    total: int
    recent: pd.DataFrame
    cross_check: dict = field(default_factory=dict)
    caveats: list[str] = field(default_factory=list)


def group_of(outcome: str) -> str:
    """The readable group of a police.uk outcome name ('' -> no outcome yet)."""
    if not outcome:
        return NONE_YET
    return GROUPS.get(outcome, OTHER)


def _place(rows: pd.DataFrame, lookup) -> pd.Series:
    """Each crime's local authority, placed as the crime counts place it
    (:func:`slp.sources.police_uk.place`)."""
    if not isinstance(lookup, pd.DataFrame):
        from slp.sources.boundaries import read_lookup

        lookup = read_lookup(lookup)
    return place(rows[["lsoa_code", "lsoa_name"]], lookup)["authority"]


def crimes_in_area(found: PoliceOutcomes, lookup, area: str, window: Window) -> pd.DataFrame:
    """The crimes of ``found`` recorded in ``window`` and placed in ``area`` (rows of
    :attr:`PoliceOutcomes.crimes`); crimes with no location are in no area."""
    crimes = found.crimes
    crimes = crimes[(crimes["month"] >= window.start) & (crimes["month"] <= window.end)]
    crimes = crimes[crimes["lsoa_code"] != ""]
    placed = _place(crimes, lookup)
    return crimes[(placed == area).to_numpy()].reset_index(drop=True)


def _shares(counts: pd.Series, total: int) -> pd.Series:
    return 100 * counts / total if total else counts * float("nan")


def outcome_shares(found: PoliceOutcomes, lookup, area: str, window: Window) -> OutcomeShares:
    """The share of the area's crimes in ``window`` by last outcome.

    Parameters
    ----------
    found : PoliceOutcomes
        From :func:`slp.sources.outcomes.read_police_outcomes`.
    lookup : DataFrame, str or Path
        The LSOA -> ward -> local authority lookup (:func:`slp.sources.boundaries.read_lookup`).
    area : str
        The local authority, as the lookup names it ("Newport").
    window : Window
        The months whose crimes are counted (by the month each crime was recorded).

    Returns
    -------
    OutcomeShares
    """
    crimes = crimes_in_area(found, lookup, area, window)
    total = len(crimes)
    groups = crimes["outcome"].map(group_of)
    named = crimes["outcome"].where(crimes["outcome"] != "", NONE_YET_NAME)
    by_outcome = (pd.DataFrame({"group": groups, "outcome": named})
                  .value_counts().rename("count").reset_index())
    by_outcome["rank"] = by_outcome["group"].map({g: i for i, g in enumerate(ORDER)})
    by_outcome = by_outcome.sort_values(["rank", "count", "outcome"],
                                        ascending=[True, False, True], ignore_index=True)
    by_outcome = by_outcome.drop(columns="rank").astype({"count": "int64"})
    by_outcome["share_pct"] = _shares(by_outcome["count"], total)
    by_group = (by_outcome.groupby("group", sort=False, as_index=False)["count"].sum())
    by_group["share_pct"] = _shares(by_group["count"], total)
    none_yet = crimes["outcome"] == ""
    recent = (pd.DataFrame({"month": crimes["month"], "no_outcome": none_yet.astype("int64")})
              .groupby("month").agg(count=("no_outcome", "size"),
                                    no_outcome=("no_outcome", "sum"))
              .reindex(window.periods, fill_value=0).rename_axis("month").reset_index())
    linked = crimes[~none_yet]
    street_group = linked["last_outcome_category"].map(group_of)
    agree = int((street_group == groups[~none_yet]).sum())
    caveats = []
    if (n := int((crimes["crime_id"] == "").sum())):
        caveats.append(f"{n:,} crime{'s have' if n != 1 else ' has'} no Crime ID and cannot be "
                       "linked to an outcome")
    return OutcomeShares(by_outcome=by_outcome, by_group=by_group, total=total,
                         recent=recent.astype({"count": "int64", "no_outcome": "int64"}),
                         cross_check={"compared": len(linked), "agree": agree},
                         caveats=caveats)
