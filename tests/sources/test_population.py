"""Population: Census 2021 TS007a and ONS small-area estimates, ward sums, published rates."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from slp.errors import SourceError
from slp.sources.borough import read_borough_crime
from slp.sources.population import read_population, ward_population

CENSUS = "date,geography,geography code,Age: Total,Age: Aged 4 years and under"
SAPE = "LSOA11CD,LSOA11NM,MSOA11CD,MSOA11NM,LAD11CD,LAD11NM,Persons_All-Ages,Persons_0-15"


def test_census_local_authority_file(write):
    path = write(
        "census2021-ts007a-ltla.csv",
        f"""
        {CENSUS}
        2021,Lewisham,E09000023,300551,19127
        2021,Greenwich,E09000011,289034,20000
        """,
    )
    pop = read_population(path)
    assert pop.label == "Census 2021 (TS007a) usual residents"
    assert pop.geography == "local authority"
    assert pop.by_area.to_dict() == {"Greenwich": 289_034, "Lewisham": 300_551}
    assert pop.by_area.dtype == "int64"
    assert pop.by_lsoa is None
    assert pop.coverage.areas == 2


def test_census_lsoa_file_sums_to_boroughs(write):
    path = write(
        "census2021-ts007a-lsoa.csv",
        f"""
        {CENSUS}
        2021,Lewisham 001A,E01003189,1500,1
        2021,Lewisham 001B,E01003190,1600,1
        2021,Greenwich 010B,E01001000,1700,1
        """,
    )
    pop = read_population(path)
    assert pop.geography == "LSOA"
    assert pop.by_area.to_dict() == {"Greenwich": 1700, "Lewisham": 3100}
    assert pop.by_lsoa["E01003190"] == 1600
    assert pop.borough["E01003190"] == "Lewisham"


def test_ons_small_area_estimates_label_from_file_name(write):
    text = f"""
        {SAPE}
        E01003189,Lewisham 001A,E02000650,Lewisham 001,E09000023,Lewisham,1000,200
        E01003190,Lewisham 001B,E02000650,Lewisham 001,E09000023,Lewisham,2000,300
        E01001000,Greenwich 010B,E02000300,Greenwich 010,E09000011,Greenwich,500,100
        """
    pop = read_population(write("ons-mid2020-lsoa11-london.csv", text))
    assert pop.label == "ONS mid-2020 small-area population estimates"
    assert pop.by_area.to_dict() == {"Greenwich": 500, "Lewisham": 3000}
    assert pop.by_lsoa.to_dict() == {"E01003189": 1000, "E01003190": 2000, "E01001000": 500}
    unnamed = read_population(write("population.csv", text))
    assert unnamed.label == "ONS small-area mid-year population estimates"
    assert any("year is not in the file name" in c for c in unnamed.coverage.caveats)


def test_ward_population(write):
    pop = read_population(
        write(
            "ons-mid2020.csv",
            f"""
        {SAPE}
        E01003189,Lewisham 001A,M,M,E09000023,Lewisham,1000,0
        E01003190,Lewisham 001B,M,M,E09000023,Lewisham,2000,0
        E01003191,Lewisham 001C,M,M,E09000023,Lewisham,4000,0
        """,
        )
    )
    lookup = write(
        "lookup.csv",
        """
        LSOA11CD,WD22NM_proposed,WD22CD_proposed
        E01003189,Rushey Green,E05013730
        E01003190,Rushey Green,E05013730
        E01003191,Catford South,E05013716
        E01009999,Elsewhere,E05099999
        """,
    )
    wards = ward_population(pop, lookup)
    # Rushey Green 1000+2000; Catford South 4000; the ward with no LSOA in the file is left out.
    assert wards.to_dict() == {"E05013716": 4000, "E05013730": 3000}


def test_ward_population_refuses_partial_wards(write):
    pop = read_population(
        write(
            "ons-mid2020.csv",
            f"""
        {SAPE}
        E01003189,Lewisham 001A,M,M,E09000023,Lewisham,1000,0
        """,
        )
    )
    lookup = write(
        "lookup.csv",
        """
        LSOA11CD,WD22NM_proposed,WD22CD_proposed
        E01003189,Rushey Green,E05013730
        E01003190,Rushey Green,E05013730
        """,
    )
    with pytest.raises(SourceError, match="lacks 1 LSOA.*E05013730.*'E01003190'"):
        ward_population(pop, lookup)


def test_ward_population_needs_lsoas(write):
    pop = read_population(write("ltla.csv", f"{CENSUS}\n2021,Lewisham,E09000023,300551,1"))
    with pytest.raises(SourceError, match="ward populations need an LSOA-level file"):
        ward_population(pop, pd.DataFrame({"lsoa_code": ["x"], "ward_code": ["y"]}))


def test_street_file_given_as_population(write):
    path = write(
        "2022-09-metropolitan-street.csv",
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
        "LSOA name,Crime type,Last outcome category,Context\n"
        "x,2022-09,M,M,0,51,On or near X,E01003189,Lewisham 001A,Burglary,,",
    )
    with pytest.raises(SourceError) as err:
        read_population(path)
    assert "'2022-09-metropolitan-street.csv' is not in the Population layout" in str(err.value)
    assert "read it with read_street" in str(err.value)


def test_bad_residents_and_duplicates(write):
    bad = write("c.csv", f"{CENSUS}\n2021,Lewisham,E09000023,3OO551,1")
    with pytest.raises(SourceError, match="line 2, column 'Age: Total': found '3OO551'"):
        read_population(bad)
    dup = write("d.csv", f"{CENSUS}\n2021,Lewisham,E09000023,1,1\n2021,Lewisham,E09000023,2,1")
    with pytest.raises(SourceError, match="lines 2, 3 repeat the same area code"):
        read_population(dup)


# --- real data -----------------------------------------------------------------------------


def csv_sum(path, key_col, key, value_col) -> int:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return sum(int(r[value_col]) for r in csv.DictReader(handle) if r[key_col] == key)


@pytest.mark.shared_data
def test_real_population_known_answers(shared_data):
    folder = shared_data / "population"
    ons = read_population(folder / "ons-mid2020-lsoa11-london.csv")
    assert ons.label == "ONS mid-2020 small-area population estimates"
    assert ons.by_area["Lewisham"] == 305_309
    assert (
        csv_sum(folder / "ons-mid2020-lsoa11-london.csv", "LAD11NM", "Lewisham", "Persons_All-Ages")
        == 305_309
    )
    census = read_population(folder / "census2021-ts007a-ltla.csv")
    assert census.label == "Census 2021 (TS007a) usual residents"
    assert census.by_area["Lewisham"] == 300_551
    assert (
        csv_sum(folder / "census2021-ts007a-ltla.csv", "geography", "Lewisham", "Age: Total")
        == 300_551
    )
    # London in the Census is 8,799,710 (../shared/data/README.md): the 32 boroughs plus the
    # City of London (8,580 residents).
    from slp.boroughs import LONDON_BOROUGHS

    london = census.by_area.reindex(list(LONDON_BOROUGHS))
    assert london.notna().all()
    assert census.by_area["City of London"] == 8_580
    assert london.sum() + census.by_area["City of London"] == 8_799_710


@pytest.mark.shared_data
def test_lewisham_rate_and_rank(shared_data):
    pop = read_population(shared_data / "population" / "ons-mid2020-lsoa11-london.csv")
    crime = read_borough_crime(shared_data / "mps-borough" / "vintage-2023-08")
    data = crime.data
    window = data[
        (data["month"] >= pd.Period("2021-10", "M")) & (data["month"] <= pd.Period("2022-09", "M"))
    ]
    offences = window.groupby("borough")["count"].sum()
    rate = offences / pop.by_area.reindex(offences.index) * 1000
    assert len(rate) == 32 and rate.notna().all()
    # Published: 93.0 per 1,000 (28,409 / 305.309 = 93.05), 14th highest of 32.
    assert rate["Lewisham"] == pytest.approx(28_409 / 305.309)
    assert round(rate["Lewisham"], 2) == 93.05
    assert int(rate.rank(ascending=False)["Lewisham"]) == 14


@pytest.mark.shared_data
def test_real_ward_populations(shared_data):
    pop = read_population(shared_data / "population" / "ons-mid2020-lsoa11-london.csv")
    lookup = shared_data / "boundaries" / "lewisham-wards-2022" / "lbl_lsoa11_wd22_proposed.csv"
    wards = ward_population(pop, lookup)
    # Lewisham's 19 wards hold every Lewisham LSOA: they add up to the borough.
    assert len(wards) == 19
    assert wards.sum() == 305_309
    census = read_population(shared_data / "population" / "census2021-ts007a-lsoa.csv")
    ons_lookup = shared_data / "population" / "lsoa21-ward25-lad25-lookup.csv"
    census_wards = ward_population(census, ons_lookup)
    lewisham = census_wards[census_wards.index.isin([f"E0501{n}" for n in range(3714, 3733)])]
    assert len(lewisham) == 19
    assert lewisham.sum() == census.by_area["Lewisham"]
