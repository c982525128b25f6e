"""The share of an area's crimes by last outcome: hand-made crimes, and the real Gwent files
against an independent count made with the csv module."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from slp import outcomes
from slp.coverage import Coverage
from slp.periods import Window
from slp.sources.outcomes import COLUMNS, PoliceOutcomes
from support import SHARED_DATA, need

LOOKUP = pd.DataFrame({
    "lsoa_code": ["W01000001", "W01000002", "W01000003"],
    "ward_code": ["W05000001", "W05000002", "W05000003"],
    "ward_name": ["North", "South", "East"],
    "borough": ["Newport", "Newport", "Torfaen"],
})


def found(rows) -> PoliceOutcomes:
    """Crimes as (id, month, lsoa code, lsoa name, type, street category, outcome, month)."""
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["month"] = frame["month"].astype("period[M]")
    frame["outcome_month"] = pd.PeriodIndex(frame["outcome_month"].replace("", None), freq="M")
    return PoliceOutcomes(crimes=frame, coverage=Coverage(source="test", format="test"))


CRIMES = found([
    # in Newport, in the window
    ("a", "2025-04", "W01000001", "Newport 001A", "Burglary", "Unable to prosecute suspect",
     "Unable to prosecute suspect", "2025-05"),
    ("b", "2025-05", "W01000002", "Newport 002A", "Robbery", "Awaiting court outcome",
     "Suspect charged", "2025-06"),
    ("c", "2025-05", "W01000002", "Newport 002A", "Drugs", "Local resolution",
     "Local resolution", "2025-05"),
    ("d", "2025-06", "W01000001", "Newport 001A", "Shoplifting", "Under investigation", "", ""),
    ("e", "2025-06", "W01000001", "Newport 001A", "Public order",
     "Investigation complete; no suspect identified",
     "Investigation complete; no suspect identified", "2025-06"),
    # an LSOA 2011 code the lookup lacks: placed by its name, in Newport
    ("f", "2025-06", "W01009999", "Newport 004D", "Other theft", "Under investigation",
     "Investigation complete; no suspect identified", "2025-06"),
    # not counted: another authority, no location, before the window
    ("g", "2025-06", "W01000003", "Torfaen 001A", "Burglary", "", "Suspect charged", "2025-06"),
    ("h", "2025-06", "", "", "Burglary", "Under investigation", "", ""),
    ("i", "2025-03", "W01000001", "Newport 001A", "Burglary", "", "Suspect charged", "2025-04"),
])
WINDOW = Window("2025-04", "2025-06")


def test_shares_of_the_area_crimes_by_last_outcome():
    shares = outcomes.outcome_shares(CRIMES, LOOKUP, "Newport", WINDOW)
    assert shares.total == 6  # a-f
    groups = shares.by_group.set_index("group")["count"].to_dict()
    assert groups == {outcomes.CHARGED: 1, outcomes.OUT_OF_COURT: 1, outcomes.NO_SUSPECT: 2,
                      outcomes.UNABLE: 1, outcomes.NONE_YET: 1}
    assert list(shares.by_group["group"]) == [outcomes.CHARGED, outcomes.OUT_OF_COURT,
                                              outcomes.NO_SUSPECT, outcomes.UNABLE,
                                              outcomes.NONE_YET]
    share = shares.by_group.set_index("group")["share_pct"]
    assert share[outcomes.NO_SUSPECT] == pytest.approx(100 * 2 / 6)
    rows = shares.by_outcome.set_index("outcome")["count"]
    assert rows["Investigation complete; no suspect identified"] == 2
    assert rows[outcomes.NONE_YET_NAME] == 1
    # crimes per month of the window and how many have no outcome yet
    assert shares.recent["count"].tolist() == [1, 2, 3]
    assert shares.recent["no_outcome"].tolist() == [0, 0, 1]
    # every linked crime's street category is in the same group ("Awaiting court outcome"
    # after a charge) except f: "Under investigation" beside a closed outcome
    assert shares.cross_check == {"compared": 5, "agree": 4}


def test_an_area_with_no_crimes_in_the_window():
    shares = outcomes.outcome_shares(CRIMES, LOOKUP, "Torfaen", Window("2025-04", "2025-05"))
    assert shares.total == 0 and shares.by_outcome.empty


def test_groups_keep_police_uk_names():
    assert outcomes.group_of("Offender given a caution") == outcomes.OUT_OF_COURT
    assert outcomes.group_of("") == outcomes.NONE_YET
    assert outcomes.group_of("Something new") == outcomes.OTHER


GWENT = SHARED_DATA / "police-uk" / "gwent-all-crime"
LOOKUP_FILE = SHARED_DATA / "population" / "lsoa21-ward25-lad25-lookup.csv"


def _independent_count(area: str, months: set[str]) -> Counter:
    """Crimes of ``area`` recorded in ``months`` by last outcome, with the csv module: the
    street rows that are not ASB whose LSOA name starts with the area's name (every code in
    these months is an LSOA 2021 code of the lookup, so the name's prefix is its authority),
    each with the outcome of its latest outcomes month (later file wins within a month)."""
    last: dict[str, tuple[str, str]] = {}
    for path in sorted(GWENT.glob("*/*-outcomes.csv")):
        with open(path, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["Crime ID"] not in last or row["Month"] >= last[row["Crime ID"]][0]:
                    last[row["Crime ID"]] = (row["Month"], row["Outcome type"])
    counts: Counter = Counter()
    for month in months:
        path = GWENT / month / f"{month}-gwent-street.csv"
        with open(path, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if (row["Crime type"] != "Anti-social behaviour"
                        and row["LSOA name"].rsplit(" ", 1)[0] == area):
                    counts[last.get(row["Crime ID"], ("", ""))[1]] += 1
    return counts


def test_gwent_newport_against_an_independent_count(shared_data):
    need(GWENT.is_dir() and LOOKUP_FILE.is_file(), f"{GWENT} or {LOOKUP_FILE} is absent")
    from slp.sources.outcomes import read_police_outcomes

    window = Window("2024-07", "2025-06")
    expected = _independent_count("Newport", {str(m) for m in window.periods})
    shares = outcomes.outcome_shares(read_police_outcomes(GWENT), Path(LOOKUP_FILE),
                                     "Newport", window)
    assert shares.total == sum(expected.values())
    got = shares.by_outcome.set_index("outcome")["count"].to_dict()
    want = {(k or outcomes.NONE_YET_NAME): v for k, v in expected.items()}
    assert got == want
