"""The Newport reference run (params/newport-2025-06.yaml) against an independent count.

The expected figures are counted here from the raw Gwent street CSVs with the csv module and
plain Python: every row that is not anti-social behaviour and has an LSOA code, placed in the
local authority the ONS lookup gives its code, else the one its LSOA name starts with. Nothing
of slp's reading or counting code is used for them. The 36-month totals are also checked
against the per-authority table in the Gwent folder's README (street rows less ASB rows).
"""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from support import ROOT, SHARED_DATA, need

pytestmark = pytest.mark.shared_data

GWENT = SHARED_DATA / "police-uk" / "gwent-all-crime"
LOOKUP = SHARED_DATA / "population" / "lsoa21-ward25-lad25-lookup.csv"
LTLA = SHARED_DATA / "population" / "census2021-ts007a-ltla.csv"
AUTHORITIES = ("Blaenau Gwent", "Caerphilly", "Monmouthshire", "Newport", "Torfaen")
#: The Gwent README's table: street rows and ASB rows per authority, all 36 months.
README_ROWS = {"Blaenau Gwent": (27_305, 5_213), "Caerphilly": (52_961, 9_584),
               "Monmouthshire": (20_211, 3_482), "Newport": (65_433, 11_570),
               "Torfaen": (32_376, 5_870)}


def authority_of(code: str, name: str, lookup: dict[str, str]) -> str:
    if code in lookup:
        return lookup[code]
    prefix = name.rsplit(" ", 1)[0]
    return prefix[4:] if prefix.startswith("The ") else prefix


def hand_count() -> dict[str, Counter]:
    """Month 'YYYY-MM' -> Counter of crimes per authority ("" for crimes with no location),
    by hand from the raw files."""
    with open(LOOKUP, encoding="utf-8-sig", newline="") as handle:
        lookup = {r["LSOA21CD"]: r["LAD25NM"] for r in csv.DictReader(handle)}
    months: dict[str, Counter] = {}
    for path in sorted(GWENT.glob("*/*-street.csv")):
        with open(path, encoding="utf-8", newline="") as handle:
            for r in csv.DictReader(handle):
                if r["Crime type"] == "Anti-social behaviour":
                    continue
                # "" = no location
                place = authority_of(r["LSOA code"], r["LSOA name"], lookup) if r["LSOA code"] \
                    else ""
                months.setdefault(r["Month"], Counter())[place] += 1
    return months


def census_residents() -> dict[str, int]:
    with open(LTLA, encoding="utf-8-sig", newline="") as handle:
        return {r["geography"]: int(r["Age: Total"]) for r in csv.DictReader(handle)
                if r["geography"] in AUTHORITIES}


def total(months: dict[str, Counter], first: str, last: str) -> Counter:
    out: Counter = Counter()
    for month, counts in months.items():
        if first <= month <= last:
            out.update(counts)
    return out


@pytest.fixture(scope="module")
def newport(tmp_path_factory):
    need(GWENT.is_dir(), f"the Gwent police.uk files {GWENT} are absent")
    from slp import assessment, figures, params

    a = assessment.load(params.load(ROOT / "params" / "newport-2025-06.yaml"),
                        cache_dir=tmp_path_factory.mktemp("cache-newport"))
    return a, figures.compute(a)


@pytest.fixture(scope="module")
def counted():
    need(GWENT.is_dir(), f"the Gwent police.uk files {GWENT} are absent")
    return hand_count()


def test_the_hand_count_agrees_with_the_gwent_readme(counted):
    whole = total(counted, "2022-07", "2025-06")
    for name, (rows, asb) in README_ROWS.items():
        assert whole[name] == rows - asb, name
    assert len(counted) == 36


def test_newport_summary_figures_match_the_independent_count(newport, counted):
    a, fig = newport
    row = next(r for r in fig["headline"] if r["months"] == 12)
    this = total(counted, "2024-07", "2025-06")
    before = total(counted, "2023-07", "2024-06")
    residents = census_residents()
    assert a.frame.members == AUTHORITIES
    assert a.frame.members_phrase == "the 5 authorities in the Gwent Police area"
    assert row["start"] == "2024-07" and row["end"] == "2025-06"
    assert row["count"] == this["Newport"]
    assert row["previous_count"] == before["Newport"]
    assert row["change_pct"] == pytest.approx(
        100 * (this["Newport"] - before["Newport"]) / before["Newport"], abs=0.01)
    assert row["rate_per_1000"] == pytest.approx(
        1000 * this["Newport"] / residents["Newport"], abs=0.01)
    rates = {name: this[name] / residents[name] for name in AUTHORITIES}
    assert row["rank"] == 1 + sum(rates[n] > rates["Newport"] for n in AUTHORITIES)
    assert row["rank_of"] == 5


def test_every_gwent_authority_total_matches_the_independent_count(newport, counted):
    a, _ = newport
    data = a.crime.data
    whole = total(counted, "2022-07", "2025-06")
    assert data.groupby("borough")["count"].sum().to_dict() == {n: whole[n] for n in AUTHORITIES}
    assert a.area_code == "W06000022"


def test_the_2023_10_step_in_crimes_without_a_location_is_reported(newport):
    # the Gwent README: rows with no LSOA rise from 0.3-0.5% to 1.5-2.5% from the 2023-10 file
    a, _ = newport
    assert any(c.startswith("From 2023-10 the files leave more crimes without a location")
               for c in a.crime.coverage.caveats)


def test_calendar_2024_counts_are_within_2_percent_of_the_ons_tables(newport):
    """An independent published source: the ONS police force area tables (police recorded
    crime excluding fraud, calendar 2024) by CSP, read here with the csv module. The two are
    extracted at different times and the police.uk counts leave out crimes without a location,
    so they agree closely but not exactly (0.1% to 1.7% apart in 2024)."""
    table = (SHARED_DATA / "home-office-prc-csp" / "ons-pfa-tables-ye-dec2024"
             / "table-c2-csp-counts-ye-dec2024.csv")
    need(table.is_file(), f"the ONS table {table} is absent")
    with open(table, encoding="utf-8-sig", newline="") as handle:
        ons = {r["Local Authority name"].strip(): int(r["Total recorded crime (excluding fraud)"])
               for r in csv.DictReader(handle) if r["Police Force Area name"] == "Gwent"}
    a, _ = newport
    data = a.crime.data
    in_2024 = data.loc[data["month"].astype(str).str.startswith("2024")]
    ours = in_2024.groupby("borough")["count"].sum()
    for name in AUTHORITIES:
        assert abs(ours[name] - ons[name]) / ons[name] < 0.02, (name, ours[name], ons[name])


def test_the_summary_says_how_crimes_were_attributed(newport, counted):
    from slp.sources.police_uk import attribution_note

    a, _ = newport
    this = total(counted, "2024-07", "2025-06")
    outside = sum(n for place, n in this.items() if place and place not in AUTHORITIES)
    note = attribution_note(a.crime, "Newport", a.window)
    assert note.startswith("How crimes were counted for Newport: each crime in the Gwent Police "
                           "files is counted in the local authority of the small area (LSOA)")
    assert f"In these 12 months {this['']:,} crimes in the files had no location and " \
           f"{outside:,} were placed outside the force's authorities" in note


def test_the_summary_flags_the_2023_10_step_its_periods_straddle(newport, counted):
    """The 12 months to June 2025 and the 12 before (from July 2023) lie on both sides of the
    step the Gwent README reports from the 2023-10 file: the note says so, with the monthly
    shares of crimes without a location counted by hand from the files."""
    from slp.periods import Window
    from slp.sources.police_uk import attribution_note

    a, _ = newport
    share = {m: c[""] / sum(c.values()) for m, c in counted.items()}
    before = [v for m, v in share.items() if m < "2023-10"]
    after = [v for m, v in share.items() if m >= "2023-10"]
    words = (f"lie on both sides of October 2023, from which the files leave a different share "
             f"of crimes without a location ({100 * min(after):.1f}% to {100 * max(after):.1f}% "
             f"a month, against {100 * min(before):.1f}% to {100 * max(before):.1f}% before)")
    assert words in attribution_note(a.crime, "Newport", a.window)
    # 12 months to June 2025 against the 12 to June 2024 (from 2023-07): straddles; the 12
    # months to June 2026 would not (from 2024-07), nor would those to September 2025
    assert "both sides" not in attribution_note(a.crime, "Newport", Window("2024-10", "2025-09"))
