"""Recorded crime of a force's authorities from hand-made police.uk street files.

The files below describe a tiny force: Newport (2 LSOAs) and Torfaen (2 LSOAs), one stray crime
in Cardiff (40 LSOAs in the lookup), crimes with no location, anti-social behaviour, and an
LSOA 2011 code the 2021 lookup lacks. Every expected value is counted by hand from them.
"""

from __future__ import annotations

import pandas as pd
import pytest

from slp import asb as asb_mod
from slp.errors import SourceError
from slp.sources.boundaries import read_lookup
from slp.sources.police_uk import NO_LOCATION, check_months, read_police_uk, read_police_uk_wards
from slp.sources.street import read_street

HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
          "LSOA name,Crime type,Last outcome category,Context")


def row(month, code, name, crime="Burglary", force="Gwent Police"):
    where = ("-3.0,51.6,On or near High Street" if code else ",,No Location")
    crime_id = "" if crime == "Anti-social behaviour" else "f" * 64
    outcome = "" if crime == "Anti-social behaviour" else "Under investigation"
    return f"{crime_id},{month},{force},{force},{where},{code},{name},{crime},{outcome},"


DECEMBER = [
    row("2022-12", "W01000001", "Newport 001A"),
    row("2022-12", "W01000001", "Newport 001A"),
    row("2022-12", "W01009999", "Newport 004D", "Robbery"),  # an LSOA 2011 code
    row("2022-12", "W01000003", "Torfaen 001A"),
    row("2022-12", "W01000005", "Cardiff 001A"),  # over the border
    row("2022-12", "", ""),  # no location
    row("2022-12", "W01000001", "Newport 001A", "Anti-social behaviour"),
    row("2022-12", "W01000001", "Newport 001A", "Anti-social behaviour"),
    row("2022-12", "", "", "Anti-social behaviour"),
]
JANUARY = [
    row("2023-01", "W01000002", "Newport 001B"),
    row("2023-01", "W01000002", "Newport 001B", "Drugs"),
    row("2023-01", "W01000004", "Torfaen 001B", "Vehicle crime"),
    row("2023-01", "W01000004", "Torfaen 001B", "Vehicle crime"),
    row("2023-01", "", "", "Drugs"),
    row("2023-01", "W01000003", "Torfaen 001A", "Anti-social behaviour"),
]


def lookup_text() -> str:
    lines = ["\ufeffLSOA21CD,LSOA21NM,LSOA21NMW,WD25CD,WD25NM,WD25NMW,LAD25CD,LAD25NM,"
             "LAD25NMW,ObjectId",
             "W01000001,Newport 001A,,W05000001,Allt-yr-yn,,W06000022,Newport,,1",
             "W01000002,Newport 001B,,W05000002,Bettws,,W06000022,Newport,,2",
             "W01000003,Torfaen 001A,,W05000003,Abersychan,,W06000020,Torfaen,,3",
             "W01000004,Torfaen 001B,,W05000003,Abersychan,,W06000020,Torfaen,,4"]
    lines += [f"W0100{i:04d},Cardiff {i:03d}A,,W05000009,Butetown,,W06000015,Cardiff,,{i}"
              for i in range(5, 45)]
    return "\n".join(lines)


@pytest.fixture
def force(write, tmp_path):
    write("gwent/2022-12/2022-12-gwent-street.csv", "\n".join([HEADER, *DECEMBER]))
    write("gwent/2023-01/2023-01-gwent-street.csv", "\n".join([HEADER, *JANUARY]))
    write("gwent/2023-01/2023-01-gwent-outcomes.csv", "Crime ID,Month\nx,2023-01")
    write("lookup.csv", lookup_text())
    return tmp_path


def counts(frame: pd.DataFrame) -> dict:
    nonzero = frame.loc[frame["count"] > 0]
    return {(b, t, str(m)): int(c) for b, t, m, c in
            nonzero[["borough", "major", "month", "count"]].itertuples(index=False)}


def test_crimes_are_counted_in_the_force_authorities_by_lsoa(force):
    crime = read_police_uk(force / "gwent", lookup=force / "lookup.csv")
    assert crime.classification == "police.uk" and crime.force == "Gwent Police"
    assert counts(crime.data) == {
        ("Newport", "Burglary", "2022-12"): 2,
        ("Newport", "Robbery", "2022-12"): 1,  # placed by its LSOA name, "Newport 004D"
        ("Newport", "Burglary", "2023-01"): 1,
        ("Newport", "Drugs", "2023-01"): 1,
        ("Torfaen", "Burglary", "2022-12"): 1,
        ("Torfaen", "Vehicle crime", "2023-01"): 2,
    }
    assert (crime.data["major"] == crime.data["minor"]).all()
    # every authority x crime type x month, zeros included: 2 x 4 x 2
    assert len(crime.data) == 16
    assert set(crime.data["major"]) == {"Burglary", "Drugs", "Robbery", "Vehicle crime"}
    assert str(crime.data["month"].dtype) == "period[M]"
    assert crime.data["count"].dtype == "int64"
    assert crime.month_files == {"2022-12": "2022-12-gwent-street.csv",
                                 "2023-01": "2023-01-gwent-street.csv"}
    assert crime.coverage.first_month == "2022-12" and crime.coverage.last_month == "2023-01"
    assert crime.coverage.areas == 2


def test_rows_outside_the_area_and_without_location_are_counted_by_month(force):
    crime = read_police_uk(force / "gwent", lookup=force / "lookup.csv")
    # Cardiff: 1 crime in 40 LSOAs is 0.025 a LSOA, 1% of Newport's 2.5 (5 crimes, 2 LSOAs)
    assert "Cardiff" not in set(crime.data["borough"])
    assert counts(crime.unattributed) == {
        ("Cardiff", "Burglary", "2022-12"): 1,
        (NO_LOCATION, "Burglary", "2022-12"): 1,
        (NO_LOCATION, "Drugs", "2023-01"): 1,
    }
    caveats = " | ".join(crime.coverage.caveats)
    # 11 crimes: 8 in Newport and Torfaen, 1 in Cardiff, 2 with no location
    assert "2 of 11 crimes (18.2%) have no location" in caveats
    assert "1 of 11 crimes (9.1%) are placed in LSOAs of other authorities (Cardiff 1)" in caveats
    assert ("1 crime in 1 LSOA whose code is not in the LSOA 2021 lookup (LSOA 2011 codes, used "
            "in the 2022 files) is counted in the authority the LSOA name starts with") in caveats
    assert "3 anti-social behaviour incidents with a location are not recorded crime" in caveats
    assert "the 2 local authorities" in caveats and "Newport, Torfaen" in caveats


def test_anti_social_behaviour_is_kept_apart_for_the_asb_page(force):
    crime = read_police_uk(force / "gwent", lookup=force / "lookup.csv")
    assert "Anti-social behaviour" not in set(crime.data["major"])
    assert "Anti-social behaviour" not in set(crime.unattributed["major"])
    street = read_street(force / "gwent")
    asb = asb_mod.asb_from_street(street, read_lookup(force / "lookup.csv"),
                                  area=["Newport", "Torfaen"])
    assert asb_mod.volume(asb, authority="Newport") == 2
    assert asb_mod.volume(asb, authority="Torfaen") == 1
    assert int(asb.no_location["count"].sum()) == 1


def test_a_month_given_twice_with_different_contents_is_an_error(force, write):
    write("copy/2022-12-gwent-street.csv", "\n".join([HEADER, *DECEMBER[:3]]))
    with pytest.raises(SourceError) as err:
        read_police_uk([force / "gwent", force / "copy"], lookup=force / "lookup.csv")
    message = str(err.value)
    assert "2022-12/2022-12-gwent-street.csv" in message and "copy/2022-12-gwent-street.csv" in message
    assert "different contents" in message and "\n" not in message


def test_files_of_two_forces_are_an_error(force, write):
    other = [row("2023-02", "W01000001", "Newport 001A", force="South Wales Police")]
    write("gwent/2023-02/2023-02-south-wales-street.csv", "\n".join([HEADER, *other]))
    with pytest.raises(SourceError, match="files are of 2 forces .Gwent Police .*South Wales "
                       "Police .'2023-02-south-wales-street.csv'.*expected the files of one force"):
        read_police_uk(force / "gwent", lookup=force / "lookup.csv")


def test_a_list_of_files_may_name_the_outcomes_files_beside_them(force):
    files = sorted((force / "gwent").rglob("*.csv"))
    assert len(files) == 3
    crime = read_police_uk(files, lookup=force / "lookup.csv")
    assert int(crime.data["count"].sum()) == 8


def test_a_lookup_without_authorities_is_an_error(force, write):
    write("own.csv", "LSOA21CD,WD25CD\nW01000001,W05000001")
    with pytest.raises(SourceError, match="'own.csv' names no local authority"):
        read_police_uk(force / "gwent", lookup=force / "own.csv")


def test_a_missing_month_is_an_error_for_a_run_that_needs_it(force):
    crime = read_police_uk(force / "gwent", lookup=force / "lookup.csv")
    check_months(crime, ["2022-12", "2023-01"])
    with pytest.raises(SourceError, match="no street file covers 2022-11 .the files cover "
                       "2022-12 to 2023-01.; expected one '.-street.csv' for each of the 3 "
                       "months 2022-11 to 2023-01"):
        check_months(crime, ["2022-11", "2022-12", "2023-01"])


def test_ward_counts_of_the_force_authorities_leave_lsoa_2011_codes_out(force):
    ward = read_police_uk_wards(force / "gwent", lookup=force / "lookup.csv")
    nonzero = ward.data.loc[ward.data["count"] > 0]
    assert {(w, t, str(m)): int(c) for w, t, m, c in
            nonzero[["ward_code", "major", "month", "count"]].itertuples(index=False)} == {
        ("W05000001", "Burglary", "2022-12"): 2,
        ("W05000002", "Burglary", "2023-01"): 1,
        ("W05000002", "Drugs", "2023-01"): 1,
        ("W05000003", "Burglary", "2022-12"): 1,
        ("W05000003", "Vehicle crime", "2023-01"): 2,
    }
    # every ward of Newport and Torfaen (not Cardiff's) x 4 crime types x 2 months
    assert len(ward.data) == 3 * 4 * 2
    assert set(ward.data["borough"]) == {"Newport", "Torfaen"}
    assert dict(zip(ward.data["ward_code"], ward.data["ward_name"], strict=True)) == {
        "W05000001": "Allt-yr-yn", "W05000002": "Bettws", "W05000003": "Abersychan"}
    assert ward.coverage.caveats == ["1 crime in LSOAs the lookup does not hold (LSOA 2011 "
                                     "codes) is in no ward's count"]


def test_the_download_zip_is_read_like_its_folder(force, tmp_path):
    import zipfile

    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted((force / "gwent").rglob("*.csv")):
            zipped.write(path, path.relative_to(force / "gwent").as_posix())
    crime = read_police_uk(archive, lookup=force / "lookup.csv")
    assert crime.force == "Gwent Police"
    assert counts(crime.data) == counts(read_police_uk(force / "gwent",
                                                       lookup=force / "lookup.csv").data)
