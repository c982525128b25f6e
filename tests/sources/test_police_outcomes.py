"""data.police.uk outcomes: each street crime with its last outcome, from hand-made files."""

from __future__ import annotations

import shutil
import zipfile

import pandas as pd
import pytest

from slp.errors import SlpError
from slp.sources.outcomes import read_police_outcomes

STREET = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
          "LSOA name,Crime type,Last outcome category,Context")
OUTCOMES = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
            "LSOA name,Outcome type")


def crime(crime_id, month, code, name, kind, last=""):
    where = "On or near Park Road" if code else "No Location"
    return f"{crime_id},{month},Test Police,Test Police,,,{where},{code},{name},{kind},{last},"


def outcome(crime_id, month, kind, code="W01001440", name="Blaenau Gwent 001A"):
    return f"{crime_id},{month},Test Police,Test Police,,,On or near Park Road,{code},{name},{kind}"


@pytest.fixture
def download(write, tmp_path):
    """Two months of a made-up force: five crimes, one ASB incident, four outcome records."""
    write("2025-05/2025-05-test-street.csv", "\n".join([
        STREET,
        crime("aaa", "2025-05", "W01001440", "Blaenau Gwent 001A", "Burglary",
              "Unable to prosecute suspect"),
        crime("bbb", "2025-05", "W01001440", "Blaenau Gwent 001A", "Violence and sexual offences",
              "Under investigation"),
        crime("", "2025-05", "W01001440", "Blaenau Gwent 001A", "Anti-social behaviour"),
        crime("ccc", "2025-05", "", "", "Robbery", "Under investigation"),
    ]))
    write("2025-06/2025-06-test-street.csv", "\n".join([
        STREET,
        crime("ddd", "2025-06", "W01001599", "Newport 001A", "Shoplifting", "Suspect charged"),
        crime("eee", "2025-06", "W01001440", "Blaenau Gwent 001A", "Drugs",
              "Under investigation"),
    ]))
    write("2025-05/2025-05-test-outcomes.csv", "\n".join([
        OUTCOMES, outcome("aaa", "2025-05", "Investigation complete; no suspect identified")]))
    write("2025-06/2025-06-test-outcomes.csv", "\n".join([
        OUTCOMES,
        outcome("aaa", "2025-06", "Unable to prosecute suspect"),
        outcome("ddd", "2025-06", "Suspect charged", "W01001599", "Newport 001A"),
        outcome("zzz", "2025-06", "Local resolution"),
    ]))
    return tmp_path


def test_each_crime_takes_the_outcome_of_its_latest_month(download):
    found = read_police_outcomes(download)
    crimes = found.crimes.set_index("crime_id")
    # five crimes (the ASB row is not one); aaa's 2025-06 record replaces its 2025-05 one
    assert sorted(crimes.index) == ["aaa", "bbb", "ccc", "ddd", "eee"]
    assert crimes.loc["aaa", "outcome"] == "Unable to prosecute suspect"
    assert crimes.loc["aaa", "outcome_month"] == pd.Period("2025-06", "M")
    assert crimes.loc["ddd", "outcome"] == "Suspect charged"
    assert crimes.loc["bbb", "outcome"] == "" and pd.isna(crimes.loc["bbb", "outcome_month"])
    assert crimes.loc["ccc", "lsoa_code"] == ""  # no location: kept, in no LSOA
    assert crimes.loc["bbb", "last_outcome_category"] == "Under investigation"
    assert crimes.loc["eee", "month"] == pd.Period("2025-06", "M")
    assert found.records == 4
    assert found.unlinked == 1  # zzz: an outcome for a crime in no street file read
    assert found.no_id == 0
    assert (found.coverage.first_month, found.coverage.last_month) == ("2025-05", "2025-06")
    assert len(found.coverage.files) == 4


def test_zip_archives_read_like_folders(download, tmp_path):
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in sorted(download.rglob("*.csv")):
            z.write(path, path.relative_to(download).as_posix())
    found = read_police_outcomes(archive)
    assert sorted(found.crimes["crime_id"]) == ["aaa", "bbb", "ccc", "ddd", "eee"]
    assert found.crimes.set_index("crime_id").loc["aaa", "outcome"] == \
        "Unable to prosecute suspect"


def test_loose_files_are_told_apart_by_their_header(download):
    files = sorted(download.rglob("*.csv"))
    found = read_police_outcomes(files)
    assert found.records == 4 and len(found.crimes) == 5


def test_a_month_given_twice_with_different_contents_is_an_error(download, write):
    write("copy/2025-06-test-outcomes.csv", "\n".join([
        OUTCOMES, outcome("aaa", "2025-06", "Local resolution")]))
    with pytest.raises(SlpError, match=r"2025-06/2025-06-test-outcomes.csv.*"
                                       r"copy/2025-06-test-outcomes.csv.*different contents"):
        read_police_outcomes(download)


def test_an_identical_copy_is_read_once(download):
    (download / "copy").mkdir()
    shutil.copy(download / "2025-06" / "2025-06-test-outcomes.csv", download / "copy")
    found = read_police_outcomes(download)
    assert found.records == 4
    assert any("counted once" in c for c in found.coverage.caveats)


def test_a_bad_month_names_the_line(download, write):
    write("2025-06/2025-06-test-outcomes.csv", "\n".join([
        OUTCOMES, outcome("aaa", "2025-06", "Local resolution"),
        outcome("ddd", "June 2025", "Suspect charged")]))
    with pytest.raises(SlpError, match=r"2025-06-test-outcomes.csv' line 3, column 'Month': "
                                       r"found 'June 2025'"):
        read_police_outcomes(download)


def test_without_outcomes_files_says_so(write, tmp_path):
    write("2025-06/2025-06-test-street.csv", "\n".join([
        STREET, crime("ddd", "2025-06", "W01001599", "Newport 001A", "Shoplifting")]))
    with pytest.raises(SlpError, match=r"outcomes\.csv"):
        read_police_outcomes(tmp_path)


def test_windows_1252_file_is_read(download, write):
    write("2025-06/2025-06-test-outcomes.csv", "\n".join([
        OUTCOMES, "ddd,2025-06,Test Police,Test Police,,,On or near Caf\u00e9 Street,W01001599,"
                  "Newport 001A,Suspect charged"]), encoding="cp1252")
    found = read_police_outcomes(download)
    assert found.crimes.set_index("crime_id").loc["ddd", "outcome"] == "Suspect charged"
    assert any("not UTF-8" in c for c in found.coverage.caveats)


def test_outcome_records_without_a_crime_id_are_counted_not_linked(download, write):
    write("2025-06/2025-06-test-outcomes.csv", "\n".join([
        OUTCOMES, outcome("ddd", "2025-06", "Suspect charged"),
        outcome("", "2025-06", "Local resolution")]))
    found = read_police_outcomes(download)
    assert found.records == 3 and found.no_id == 1
    assert "1 outcome record has no Crime ID and cannot be linked to a crime" in \
        found.coverage.caveats
    # aaa keeps its May outcome: the June file no longer holds it
    assert found.crimes.set_index("crime_id").loc["aaa", "outcome"] == \
        "Investigation complete; no suspect identified"


def test_a_file_in_neither_layout_is_named(download, write):
    write("2025-06/2025-06-test-outcomes.csv", "Month,Area,Count\n2025-06,X,1")
    with pytest.raises(SlpError, match=r"2025-06-test-outcomes.csv' is not in the "
                                       r"data.police.uk outcomes layout"):
        read_police_outcomes(download)


def test_outcome_files_are_optional(download, tmp_path):
    from slp.sources.outcomes import has_outcome_files

    assert has_outcome_files(download)
    street_only = sorted(download.rglob("*-street.csv"))
    assert not has_outcome_files(street_only)
    for path in download.rglob("*-outcomes.csv"):
        path.unlink()
    assert not has_outcome_files(download)
