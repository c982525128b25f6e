"""The demo force outside London: police.uk layouts, the LSOA code change, determinism, totals.

The force is written once (``force``) and read back with the csv module, so the checks are on
the files, independent of the generator; expected values come from the design (36 months to
params/demo.yaml's period_end, five members and a neighbour, codes of split LSOAs absent from
the 2021 lookup) or from the real Gwent files in ``../shared/data`` (headers, byte for byte).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import yaml

from slp.boroughs import (
    DEMO_FORCE,
    DEMO_FORCE_AUTHORITIES,
    DEMO_FORCE_NEIGHBOUR,
    is_demo_borough,
)
from slp.demo import FILES, force
from support import ROOT

STREET_HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
                 "LSOA code,LSOA name,Crime type,Last outcome category,Context\n")
OUTCOMES_HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
                   "LSOA code,LSOA name,Outcome type\n")
TYPES = {
    "Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson", "Drugs",
    "Other crime", "Other theft", "Possession of weapons", "Public order", "Robbery",
    "Shoplifting", "Theft from the person", "Vehicle crime", "Violence and sexual offences",
}
SUFFIX = re.compile(r" \d{3}[A-Z]$")


def write_force(out: Path, seed: int = 2017) -> dict[str, Path]:
    # The force writer uses only the demo seed of the Draw (its own random stream).
    return force.write(out, SimpleNamespace(seed=seed))


@pytest.fixture(scope="session")
def paths(tmp_path_factory) -> dict[str, Path]:
    return write_force(tmp_path_factory.mktemp("force"))


def months_expected() -> list[str]:
    end = yaml.safe_load((ROOT / "params" / "demo.yaml").read_text())["period_end"]
    end = pd.Period(str(end), freq="M")
    return [str(end - k) for k in range(35, -1, -1)]


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def street(paths) -> dict[str, list[dict[str, str]]]:
    folder = paths["force_police_uk"]
    return {m: read_rows(folder / m / f"{m}-wexshire-street.csv") for m in months_expected()}


@pytest.fixture(scope="session")
def outcomes(paths) -> dict[str, list[dict[str, str]]]:
    folder = paths["force_police_uk"]
    return {m: read_rows(folder / m / f"{m}-wexshire-outcomes.csv") for m in months_expected()}


@pytest.fixture(scope="session")
def lookup(paths) -> dict[str, dict[str, str]]:
    with open(paths["force_lsoa_ward_lookup"], newline="", encoding="utf-8-sig") as handle:
        return {row["LSOA21CD"]: row for row in csv.DictReader(handle)}


def authority_of(row: dict[str, str]) -> str:
    return SUFFIX.sub("", row["LSOA name"])


# --- layouts ---------------------------------------------------------------------------------


def test_files_are_the_police_uk_download_layout(paths):
    folder = paths["force_police_uk"]
    months = months_expected()
    assert months[-1] == "2026-09" and len(months) == 36
    expected = sorted(f"{m}/{m}-wexshire-{kind}.csv" for m in months
                      for kind in ("street", "outcomes"))
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) \
        == expected
    for path in folder.rglob("*.csv"):
        data = path.read_bytes()
        header = STREET_HEADER if path.name.endswith("-street.csv") else OUTCOMES_HEADER
        assert data.startswith(header.encode()), path.name  # no byte-order mark
        assert b"\r" not in data and data.endswith(b"\n"), path.name


@pytest.mark.shared_data
def test_headers_match_the_real_files_byte_for_byte(shared_data, paths):
    real = shared_data / "police-uk" / "gwent-all-crime" / "2024-06"
    ours = paths["force_police_uk"] / "2024-06"
    for kind in ("street", "outcomes"):
        with open(real / f"2024-06-gwent-{kind}.csv", "rb") as theirs, \
                open(ours / f"2024-06-wexshire-{kind}.csv", "rb") as mine:
            assert mine.readline() == theirs.readline()
    population = shared_data / "population"
    pairs = [("force_population_ltla", "census2021-ts007a-ltla.csv"),
             ("force_population_lsoa", "census2021-ts007a-lsoa.csv"),
             ("force_lsoa_ward_lookup", "lsoa21-ward25-lad25-lookup.csv")]  # with its BOM
    for role, name in pairs:
        with open(paths[role], "rb") as mine, open(population / name, "rb") as theirs:
            assert mine.readline() == theirs.readline(), role


def test_street_rows_are_like_police_uk(street):
    ids = Counter()
    for month, rows in street.items():
        assert {r["Month"] for r in rows} == {month}
        assert {(r["Reported by"], r["Falls within"]) for r in rows} == {(DEMO_FORCE, DEMO_FORCE)}
        assert {r["Crime type"] for r in rows} == TYPES, month  # all 14 types every month
        assert {r["Context"] for r in rows} == {""}
        for r in rows:
            if r["Crime type"] == "Anti-social behaviour":
                assert r["Crime ID"] == "" and r["Last outcome category"] == ""
            else:
                assert re.fullmatch(r"[0-9a-f]{64}", r["Crime ID"])
                assert r["Last outcome category"] != ""
                ids[r["Crime ID"]] += 1
        located = [r["LSOA code"] != "" for r in rows]
        # Rows with no location: empty coordinates and LSOA, "No Location", after the others.
        assert located == sorted(located, reverse=True)
        for r in rows[sum(located):]:
            assert (r["Longitude"], r["Latitude"], r["LSOA name"]) == ("", "", "")
            assert r["Location"] == "No Location"
        names = [r["LSOA name"] for r in rows[: sum(located)]]
        assert names == sorted(names)
        assert all(r["Location"].startswith("On or near ") for r in rows[: sum(located)])
    assert max(ids.values()) == 1  # Crime IDs are unique


def test_no_location_rows_exist_and_are_few(street):
    rows = [r for rs in street.values() for r in rs]
    share = sum(r["Location"] == "No Location" for r in rows) / len(rows)
    assert 0.005 < share < 0.03  # real Gwent: 0.3% to 2.5% a month


def test_outcomes_follow_their_crimes(street, outcomes):
    crimes = {r["Crime ID"]: r for rs in street.values() for r in rs if r["Crime ID"]}
    lags = Counter()
    last = {}
    for month, rows in outcomes.items():
        assert {r["Month"] for r in rows} == {month}
        for r in rows:
            crime = crimes[r["Crime ID"]]  # every outcome is of a crime in the street files
            lag = (pd.Period(month, freq="M") - pd.Period(crime["Month"], freq="M")).n
            assert lag >= 0
            lags[min(lag, 3)] += 1
            assert (r["Longitude"], r["Latitude"]) == (crime["Longitude"], crime["Latitude"])
            assert r["Location"] == ("No location" if crime["Location"] == "No Location"
                                     else crime["Location"])
            assert SUFFIX.sub("", r["LSOA name"]) == authority_of(crime)
            last[r["Crime ID"]] = r["Outcome type"]
    total = sum(lags.values())
    assert 0.3 < lags[0] / total < 0.5 and lags[3] / total > 0.1  # real: 41% in the same month
    # The street file's last outcome is the last outcome published (charges: court pending).
    for crime_id, outcome in last.items():
        shown = crimes[crime_id]["Last outcome category"]
        if outcome == "Suspect charged":
            assert shown in ("Awaiting court outcome", "Court result unavailable")
        else:
            assert shown == outcome
    # Crimes of the last month are mostly still under investigation.
    recent = [r["Last outcome category"] for r in street[months_expected()[-1]] if r["Crime ID"]]
    assert recent.count("Under investigation") / len(recent) > 0.4
    assert sum(len(rs) for rs in outcomes.values()) > len(last)  # a few crimes have two


# --- geography and the code change ---------------------------------------------------------


def test_lookup_populations_and_boundaries_agree(paths, lookup):
    import geopandas as gpd

    lsoa_pop = pd.read_csv(paths["force_population_lsoa"])
    lad_pop = pd.read_csv(paths["force_population_ltla"])
    assert set(lsoa_pop["geography code"]) == set(lookup)
    boundaries = gpd.read_file(paths["force_lsoa_boundaries"])
    assert set(boundaries["LSOA21CD"]) == set(lookup) and boundaries.crs.to_epsg() == 27700
    authorities = {row["LAD25NM"] for row in lookup.values()}
    assert authorities == {*DEMO_FORCE_AUTHORITIES, DEMO_FORCE_NEIGHBOUR}
    assert set(lad_pop["geography"]) == authorities
    by_lad = lsoa_pop.groupby(lsoa_pop["geography code"].map(
        {c: row["LAD25NM"] for c, row in lookup.items()}))["Age: Total"].sum()
    assert (lad_pop.set_index("geography")["Age: Total"] == by_lad).all()
    for row in lookup.values():  # LSOA names start with their authority's name
        assert SUFFIX.sub("", row["LSOA21NM"]) == row["LAD25NM"]


def test_early_files_mix_lsoa_2011_codes_the_lookup_lacks(street, lookup):
    names21 = {row["LSOA21NM"] for row in lookup.values()}
    old = {m: {(r["LSOA code"], r["LSOA name"]) for r in rows
               if r["LSOA code"] and r["LSOA code"] not in lookup}
           for m, rows in street.items()}
    months = months_expected()
    assert all(old[m] for m in months[:3])  # the first months carry 2011 codes ...
    assert not any(old[m] for m in months[6:])  # ... and none from the seventh month on
    codes11 = set().union(*old.values())
    assert len({code for code, _ in codes11}) >= 5
    for _, name in codes11:
        assert name not in names21  # a 2011 name, absent from the 2021 lookup ...
        assert SUFFIX.sub("", name) in DEMO_FORCE_AUTHORITIES  # ... prefixed by its authority
    # The same months hold 2021 codes absent from the earliest files' 2011 set: the split
    # LSOAs' children, named with letters of the same MSOA.
    msoas = {name[:-1] for _, name in codes11}
    children = {r["LSOA name"] for r in street[months[0]] if r["LSOA code"] in lookup}
    assert {name[:-1] for name in children} & msoas


def test_a_few_rows_fall_in_the_neighbouring_authority(street, lookup):
    rows = [r for rs in street.values() for r in rs if r["LSOA code"]]
    outside = [r for r in rows if r["LSOA code"] in lookup
               and lookup[r["LSOA code"]]["LAD25NM"] == DEMO_FORCE_NEIGHBOUR]
    assert 0 < len(outside) < 0.01 * len(rows)
    assert {authority_of(r) for r in outside} == {DEMO_FORCE_NEIGHBOUR}


def test_readers_take_the_files_and_place_2011_codes_by_name(paths, street, lookup):
    import warnings

    from slp.asb import asb_from_street
    from slp.sources.boundaries import read_lookup
    from slp.sources.street import read_street

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read = read_street(paths["force_police_uk"])
    assert all("no location" in c for c in read.coverage.caveats)  # nothing on the layout
    # Totals by authority (LSOA name prefix) and type, counted independently with csv.
    counted = Counter((authority_of(r), r["Crime type"]) for rs in street.values() for r in rs
                      if r["LSOA code"])
    ours = read.data.groupby(["borough", "crime_type"])["count"].sum()
    assert ours.to_dict() == dict(counted)
    assert read.no_location == sum(r["Location"] == "No Location"
                                   for rs in street.values() for r in rs)
    asb = asb_from_street(read, read_lookup(paths["force_lsoa_ward_lookup"]),
                          area=DEMO_FORCE_AUTHORITIES)
    assert set(asb.outside["authority"]) == {DEMO_FORCE_NEIGHBOUR}
    assert len(asb.unmatched) and set(asb.unmatched["authority"]) <= set(DEMO_FORCE_AUTHORITIES)
    by_authority = asb.data.groupby("authority")["count"].sum().to_dict()
    assert by_authority == {a: counted[(a, "Anti-social behaviour")]
                            for a in DEMO_FORCE_AUTHORITIES}


def test_recorded_crime_of_the_force_matches_an_independent_count(paths, street, lookup):
    from slp.sources.police_uk import NO_LOCATION, read_police_uk

    crime = read_police_uk(paths["force_police_uk"], lookup=paths["force_lsoa_ward_lookup"])
    assert crime.force == DEMO_FORCE and crime.classification == "police.uk"
    assert set(crime.data["borough"]) == set(DEMO_FORCE_AUTHORITIES)  # not the neighbour
    # Crimes (not ASB) by authority and month, counted with csv: the lookup's authority, or
    # for an LSOA 2011 code it lacks, the authority its name starts with.
    counted, outside, unlocated = Counter(), Counter(), Counter()
    for month, rows in street.items():
        for r in rows:
            if r["Crime type"] == "Anti-social behaviour":
                continue
            if not r["LSOA code"]:
                unlocated[month] += 1
                continue
            row = lookup.get(r["LSOA code"])
            authority = row["LAD25NM"] if row else authority_of(r)
            (counted if authority in DEMO_FORCE_AUTHORITIES else outside)[(authority, month)] += 1
    data = crime.data.assign(month=crime.data["month"].astype(str))
    ours = data.groupby(["borough", "month"])["count"].sum()
    assert ours[ours > 0].to_dict() == dict(counted)
    other = crime.unattributed.assign(month=crime.unattributed["month"].astype(str))
    other = other.groupby(["borough", "month"])["count"].sum()
    assert {k[1]: v for k, v in other.items() if k[0] == NO_LOCATION and v} == dict(unlocated)
    assert {k: v for k, v in other.items() if k[0] != NO_LOCATION and v} == dict(outside)


# --- the counts --------------------------------------------------------------------------------


def test_counts_have_a_season_a_trend_and_small_cells(street, lookup):
    months = months_expected()
    asb = Counter(m[5:] for m, rs in street.items() for r in rs
                  if r["Crime type"] == "Anti-social behaviour")
    assert asb["07"] > 1.2 * asb["12"]  # ASB peaks in summer
    shop = Counter(m for m, rs in street.items() for r in rs
                   if r["Crime type"] == "Shoplifting" and authority_of(r) == "Wexmouth")
    last, before = sum(shop[m] for m in months[-12:]), sum(shop[m] for m in months[-24:-12])
    assert last > 1.2 * before  # the change the Wexmouth report should find
    # Ward x type counts over the last 12 months: some 1-4, so suppression has work to do.
    cells = Counter((lookup[r["LSOA code"]]["WD25CD"], r["Crime type"]) for m in months[-12:]
                    for r in street[m] if r["LSOA code"] in lookup
                    and lookup[r["LSOA code"]]["LAD25NM"] == "Wexmouth")
    assert sum(1 <= n <= 4 for n in cells.values()) >= 10


# --- names, determinism, the London files ----------------------------------------------------


def test_the_force_is_fictional_and_marked_as_the_demo(paths, street):
    assert all(is_demo_borough(n) for n in [*DEMO_FORCE_AUTHORITIES, DEMO_FORCE_NEIGHBOUR])
    text = paths["force_readme"].read_text()
    assert text.startswith("# SYNTHETIC demonstration data")
    # Its table of rows by authority agrees with a count of the files.
    rows = Counter(authority_of(r) for rs in street.values() for r in rs if r["LSOA code"])
    asb = Counter(authority_of(r) for rs in street.values() for r in rs
                  if r["LSOA code"] and r["Crime type"] == "Anti-social behaviour")
    table = re.findall(r"^\| ([A-Z][A-Za-z ]+) \| [\d,]+ \| ([\d,]+) \| ([\d,]+) \|$", text, re.M)
    assert {a: (int(n.replace(",", "")), int(k.replace(",", ""))) for a, n, k in table} == \
        {a: (rows[a], asb[a]) for a in rows}


@pytest.mark.shared_data
def test_no_force_name_or_code_is_real(shared_data, lookup):
    real = pd.read_csv(shared_data / "population" / "lsoa21-ward25-lad25-lookup.csv",
                       encoding="utf-8-sig")
    ours = pd.DataFrame(list(lookup.values()))
    assert not set(ours["LAD25NM"].str.casefold()) & set(real["LAD25NM"].str.casefold())
    assert not set(ours["WD25NM"].str.casefold()) & set(real["WD25NM"].str.casefold())
    for column in ("LSOA21CD", "WD25CD", "LAD25CD"):
        assert not set(ours[column]) & set(real[column]), column


def test_same_seed_same_bytes_other_seed_other_counts_same_map(paths, tmp_path):
    again = write_force(tmp_path / "same")
    other = write_force(tmp_path / "other", seed=7)
    for role, path in paths.items():
        files = sorted(p for p in ([path] if path.is_file() else path.rglob("*")) if p.is_file())
        for p in files:
            twin = again[role] / p.relative_to(path) if path.is_dir() else again[role]
            assert p.read_bytes() == twin.read_bytes(), p.name
    for role in ("force_population_ltla", "force_population_lsoa", "force_lsoa_ward_lookup",
                 "force_lsoa_boundaries"):
        assert paths[role].read_bytes() == other[role].read_bytes(), role
    first = "2026-09/2026-09-wexshire-street.csv"
    assert (paths["force_police_uk"] / first).read_bytes() != \
        (other["force_police_uk"] / first).read_bytes()


def test_the_force_draws_nothing_from_the_london_generator(tmp_path):
    rng = np.random.default_rng(2017)
    state = rng.bit_generator.state
    force.write(tmp_path, SimpleNamespace(seed=2017, rng=rng))
    assert rng.bit_generator.state == state


def test_params_file_names_the_generated_files():
    params = yaml.safe_load((ROOT / "params" / "demo-force.yaml").read_text())
    sources = params["sources"]
    demo = "data/raw/demo/"
    assert sources["police_uk"] == demo + FILES["force_police_uk"]
    assert sources["population"] == demo + FILES["force_population_ltla"]
    assert sources["ward_population"] == demo + FILES["force_population_lsoa"]
    assert sources["lsoa_ward_lookup"] == demo + FILES["force_lsoa_ward_lookup"]
    assert sources["lsoa_boundaries"] == demo + FILES["force_lsoa_boundaries"]
    assert params["area"] in DEMO_FORCE_AUTHORITIES
    assert str(params["period_end"]) == months_expected()[-1]
