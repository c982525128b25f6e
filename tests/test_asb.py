"""Anti-social behaviour from police.uk street files: hand-made files and the real Gwent files."""

from __future__ import annotations

import pandas as pd
import pytest

from slp import asb as asb_mod
from slp.asb import STATEMENT, asb_from_street, by_authority, by_lsoa, by_ward, monthly, volume
from slp.errors import SlpError
from slp.periods import Window
from slp.sources.street import read_street

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Crime type,Last outcome category,Context"
)
LOOKUP = """\ufeffLSOA21CD,LSOA21NM,LSOA21NMW,WD25CD,WD25NM,WD25NMW,LAD25CD,LAD25NM,LAD25NMW,ObjectId
W01001973,Newport 004F,,W05000001,Alway,,W06000022,Newport,,1
W01001974,Newport 004G,,W05000002,Beechwood,,W06000022,Newport,,2
W01001500,Torfaen 001A,,W05000003,Abersychan,,W06000020,Torfaen,,3
W01001100,Vale of Glamorgan 009D,,W05000004,Barry,,W06000014,Vale of Glamorgan,,4
"""


def row(month, code, name, crime="Anti-social behaviour"):
    location = "On or near Commercial Street" if code else "No Location"
    lon, lat = ("-3.0", "51.6") if code else ("", "")
    crime_id = "" if crime == "Anti-social behaviour" else "a" * 64
    outcome = "" if crime == "Anti-social behaviour" else "Under investigation"
    return (f"{crime_id},{month},Gwent Police,Gwent Police,{lon},{lat},{location},{code},{name},"
            f"{crime},{outcome},")


@pytest.fixture
def files(tmp_path):
    """Two months of a fictional force file, with the 2022 LSOA 2011/2021 code mixing."""
    months = {
        "2022-07": [
            row("2022-07", "W01001973", "Newport 004F"),           # 2021 code, in the lookup
            row("2022-07", "W01001973", "Newport 004F"),
            row("2022-07", "W01001649", "Newport 004D"),           # 2011 code, not in the lookup
            row("2022-07", "W01001500", "Torfaen 001A"),
            row("2022-07", "W01001100", "The Vale of Glamorgan 009D"),  # 2011 name, 2021 code
            row("2022-07", "", ""),                                # no location
            row("2022-07", "W01001973", "Newport 004F", "Burglary"),  # a crime, not ASB
            row("2022-07", "", "", "Burglary"),                    # a crime with no location
        ],
        "2022-09": [
            row("2022-09", "W01001974", "Newport 004G"),
            row("2022-09", "W01001649", "Newport 004D"),
            row("2022-09", "W01009999", "The Vale of Glamorgan 010A"),  # 2011 code, outside
            row("2022-09", "W01001100", "Vale of Glamorgan 009D"),  # the same code, 2021 name
            row("2022-09", "", ""),
            row("2022-09", "", ""),
        ],
    }
    for month, lines in months.items():
        path = tmp_path / "force" / month / f"{month}-gwent-street.csv"
        path.parent.mkdir(parents=True)
        path.write_text("\n".join([HEADER, *lines]) + "\n")
    lookup = tmp_path / "lookup.csv"
    lookup.write_text(LOOKUP, encoding="utf-8")
    return read_street(tmp_path / "force"), lookup


def test_asb_placed_by_code_then_by_name(files):
    street, lookup = files
    asb = asb_from_street(street, lookup, area=["Newport", "Torfaen"])
    # in the area: Newport 2 (004F) + 1 (004G) + 2 (004D, by name) = 5; Torfaen 1
    assert by_authority(asb).to_dict("records") == [
        {"authority": "Newport", "count": 5}, {"authority": "Torfaen", "count": 1}]
    # outside: the 2021-coded Vale LSOA (by the lookup) and the 2011-coded one (by its name,
    # without the 2011 name's leading "The")
    assert asb.outside.to_dict("records") == [{"authority": "Vale of Glamorgan", "count": 3}]
    # no location: 1 in July, 2 in September; the burglary with no location is not ASB
    assert asb.no_location.assign(month=lambda f: f["month"].astype(str)).to_dict("records") == [
        {"month": "2022-07", "count": 1}, {"month": "2022-09", "count": 2}]
    assert asb.total_read == 6 + 3 + 3
    assert asb.unmatched.to_dict("records") == [
        {"lsoa_code": "W01001649", "lsoa_name": "Newport 004D", "authority": "Newport",
         "count": 2}]
    words = " ".join(asb.caveats)
    assert "3 of 12 ASB incidents (25.0%) have no location" in words
    assert "3 ASB incidents are in LSOAs outside Newport and Torfaen (Vale of Glamorgan 3)" in words
    assert "2 ASB incidents in 1 LSOA whose code is not in the LSOA 2021 lookup" in words


def test_wards_lsoas_months_and_windows(files):
    street, lookup = files
    asb = asb_from_street(street, lookup, area=["Newport", "Torfaen"])
    # wards leave out the LSOA 2011 code the lookup lacks (2 incidents)
    assert by_ward(asb, authority="Newport").to_dict("records") == [
        {"ward_code": "W05000001", "ward_name": "Alway", "authority": "Newport", "count": 2},
        {"ward_code": "W05000002", "ward_name": "Beechwood", "authority": "Newport", "count": 1}]
    lsoas = by_lsoa(asb).set_index("lsoa_code")["count"].to_dict()
    assert lsoas == {"W01001973": 2, "W01001649": 2, "W01001500": 1, "W01001974": 1}
    # one row per code, with the latest month's name
    everywhere = by_lsoa(asb_from_street(street, lookup))
    assert everywhere.loc[everywhere["lsoa_code"] == "W01001100"].to_dict("records") == [
        {"lsoa_code": "W01001100", "lsoa_name": "Vale of Glamorgan 009D",
         "ward_code": "W05000004", "authority": "Vale of Glamorgan", "count": 2}]
    # every month from first to last, August with none
    series = monthly(asb, "Newport")
    assert [str(m) for m in series.index] == ["2022-07", "2022-08", "2022-09"]
    assert series.tolist() == [3, 0, 2]
    assert monthly(asb).tolist() == [4, 0, 2]
    assert volume(asb) == 6
    assert volume(asb, Window("2022-08", "2022-09")) == 2
    assert volume(asb, Window("2022-07", "2022-07"), "Torfaen") == 1
    rates = by_authority(asb, residents=pd.Series({"Newport": 2000, "Torfaen": 500}))
    assert rates.set_index("authority")["rate_per_1000"].to_dict() == {"Newport": 2.5,
                                                                       "Torfaen": 2.0}


def test_an_lsoa_2011_to_2021_table_places_old_codes_in_wards(files):
    street, lookup = files
    asb = asb_from_street(street, lookup, area="Newport",
                          lsoa11=pd.Series({"W01001649": "W01001974"}))
    assert asb.unmatched.empty
    assert by_ward(asb).set_index("ward_code")["count"].to_dict() == {"W05000001": 2,
                                                                      "W05000002": 3}
    # Torfaen is now outside the area too
    assert asb.outside.set_index("authority")["count"].to_dict() == {"Vale of Glamorgan": 3,
                                                                     "Torfaen": 1}


def test_without_an_area_every_authority_is_in(files):
    street, lookup = files
    asb = asb_from_street(street, lookup)
    assert asb.outside.empty
    assert volume(asb) == 9
    assert volume(asb, authority="Vale of Glamorgan") == 3


def test_area_names_are_checked(files):
    street, lookup = files
    with pytest.raises(SlpError, match="'Newprot' is not a local authority.*did you mean 'Newport'"):
        asb_from_street(street, lookup, area="Newprot")
    asb = asb_from_street(street, lookup, area="Newport")
    with pytest.raises(SlpError, match="'Torfaen' is not in the area"):
        volume(asb, authority="Torfaen")


def test_the_statement_says_what_police_uk_asb_is():
    assert "reported to the police" in STATEMENT
    assert "council" in STATEMENT and "housing" in STATEMENT


GWENT = ["Blaenau Gwent", "Caerphilly", "Monmouthshire", "Newport", "Torfaen"]
# The Gwent README's per-authority ASB rows over all 36 months (by the LSOA name's prefix).
README_ASB = {"Blaenau Gwent": 5213, "Caerphilly": 9584, "Monmouthshire": 3482,
              "Newport": 11570, "Torfaen": 5870}
# The 12 LSOA 2011 codes in Gwent that the 2021 lookup lacks (README).
README_2011_CODES = {"W01001649", "W01001688", "W01001644", "W01001647", "W01001672",
                     "W01001909", "W01001553", "W01001564", "W01001566", "W01001567",
                     "W01001476", "W01001477"}


@pytest.mark.shared_data
def test_gwent_asb_by_authority_matches_the_readme(shared_data):
    street = read_street(shared_data / "police-uk" / "gwent-all-crime")
    lookup = shared_data / "population" / "lsoa21-ward25-lad25-lookup.csv"
    asb = asb_from_street(street, lookup, area=GWENT)
    assert by_authority(asb).set_index("authority")["count"].to_dict() == README_ASB
    assert asb.total_read == 35824  # README: every ASB row of the 36 files
    assert int(asb.no_location["count"].sum()) + int(asb.outside["count"].sum()) == (
        35824 - sum(README_ASB.values()))
    assert set(asb.unmatched["lsoa_code"]) <= README_2011_CODES
    assert not asb.unmatched.empty
    # the 2011 codes appear only in the 2022 files
    months = asb.data.loc[asb.data["lsoa_code"].isin(README_2011_CODES), "month"].astype(str)
    assert months.max() <= "2022-12"
    assert asb_mod.volume(asb, authority="Newport") == 11570


def test_monthly_by_authority_fills_every_month(files):
    street, lookup = files
    asb = asb_from_street(street, lookup, area=["Newport", "Torfaen"])
    frame = asb_mod.monthly_by_authority(asb)
    assert list(frame.columns) == ["borough", "month", "count"]
    got = {(b, str(m)): c for b, m, c in frame.itertuples(index=False)}
    assert got == {("Newport", "2022-07"): 3, ("Newport", "2022-08"): 0,
                   ("Newport", "2022-09"): 2, ("Torfaen", "2022-07"): 1,
                   ("Torfaen", "2022-08"): 0, ("Torfaen", "2022-09"): 0}
    assert isinstance(frame["month"].dtype, pd.PeriodDtype)


def _count_csv(folder, months, keep):
    """Rows of the street files of ``months`` for which ``keep(row)`` holds, counted with the
    csv module (independent of the polars reader)."""
    import csv
    total = 0
    for month in months:
        with open(folder / month / f"{month}-gwent-street.csv", newline="",
                  encoding="utf-8") as handle:
            total += sum(1 for row in csv.DictReader(handle) if keep(row))
    return total


YEAR_TO_2025_06 = [str(m) for m in pd.period_range("2024-07", "2025-06", freq="M")]


@pytest.mark.shared_data
def test_newport_asb_year_matches_an_independent_count(shared_data):
    folder = shared_data / "police-uk" / "gwent-all-crime"
    expected = _count_csv(folder, YEAR_TO_2025_06, lambda r: (
        r["Crime type"] == "Anti-social behaviour" and r["LSOA name"].startswith("Newport ")))
    asb = asb_from_street(read_street(folder),
                          shared_data / "population" / "lsoa21-ward25-lad25-lookup.csv",
                          area="Newport")
    assert volume(asb, Window.ending("2025-06", 12)) == expected
    assert monthly(asb)[pd.Period("2025-06", "M")] == _count_csv(
        folder, ["2025-06"], lambda r: (r["Crime type"] == "Anti-social behaviour"
                                        and r["LSOA name"].startswith("Newport ")))
