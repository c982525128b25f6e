"""data.police.uk street-level files: counting, no-location rows, wards, boroughs, validation."""

from __future__ import annotations

import csv
import zipfile

import pandas as pd
import pytest

from slp.errors import SourceError
from slp.sources.street import read_street, to_borough, to_ward

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Crime type,Last outcome category,Context"
)


def line(month, code, name, crime="Burglary", crime_id="abc"):
    location = "On or near High Street" if code else "No Location"
    lon, lat = ("-0.02", "51.45") if code else ("", "")
    return (
        f"{crime_id},{month},Metropolitan Police Service,Metropolitan Police Service,{lon},"
        f"{lat},{location},{code},{name},{crime},Under investigation,"
    )


@pytest.fixture
def two_months(write, tmp_path):
    write(
        "2022-08/2022-08-metropolitan-street.csv",
        "\n".join(
            [
                HEADER,
                line("2022-08", "E01003189", "Lewisham 001A"),
                line("2022-08", "E01003189", "Lewisham 001A"),
                line("2022-08", "E01003189", "Lewisham 001A", "Robbery"),
                line("2022-08", "E01001000", "Greenwich 010B"),
                line("2022-08", "", ""),
            ]
        ),
    )
    write(
        "2022-09/2022-09-metropolitan-street.csv",
        "\n".join(
            [
                HEADER,
                line("2022-09", "E01003189", "Lewisham 001A"),
                line(
                    "2022-09", "E01001000", "Greenwich 010B", "Anti-social behaviour", crime_id=""
                ),
                line("2022-09", "", "", "Robbery"),
            ]
        ),
    )
    return tmp_path


def test_counts_by_lsoa_crime_type_month(two_months):
    street = read_street(two_months)
    assert list(street.data.columns) == [
        "lsoa_code",
        "lsoa_name",
        "borough",
        "crime_type",
        "month",
        "count",
    ]
    assert street.data["month"].dtype == "period[M]"
    assert street.data["count"].dtype == "int64"
    got = {(r.lsoa_code, r.crime_type, str(r.month)): r.count for r in street.data.itertuples()}
    # Counted by hand from the eight rows above (two have no LSOA).
    assert got == {
        ("E01001000", "Anti-social behaviour", "2022-09"): 1,
        ("E01001000", "Burglary", "2022-08"): 1,
        ("E01003189", "Burglary", "2022-08"): 2,
        ("E01003189", "Burglary", "2022-09"): 1,
        ("E01003189", "Robbery", "2022-08"): 1,
    }
    assert street.no_location == 2
    assert street.no_location_by_month["count"].tolist() == [1, 1]
    # 8 rows, one of them ASB: 2 of the 7 crimes have no location (2 / 7 = 28.6%)
    assert any("2 of 7 crimes (28.6%) have no location (no LSOA code) and are in no LSOA, ward "
               "or borough count" in c for c in street.coverage.caveats)
    assert (street.coverage.first_month, street.coverage.last_month) == ("2022-08", "2022-09")
    assert street.coverage.areas == 2


def test_borough_from_lsoa_name(two_months):
    boroughs = to_borough(read_street(two_months))
    assert boroughs.groupby("borough")["count"].sum().to_dict() == {"Greenwich": 2, "Lewisham": 4}


def test_ward_lookup(two_months, write):
    lookup = write(
        "lookup.csv",
        """
        LSOA11CD,WD22NM_proposed,WD22CD_proposed
        E01003189,Rushey Green,E05013730
        """,
    )
    street = read_street(two_months, lookup=lookup)
    assert "ward_code" in street.data.columns
    wards = to_ward(street)
    # Lewisham 001A is in the lookup (4 crimes); Greenwich 010B is not (2 crimes).
    assert wards.groupby("ward_code")["count"].sum().to_dict() == {"E05013730": 4}
    assert any("2 crimes in 1 LSOAs are not" in c for c in street.coverage.caveats)
    # to_ward can also take the lookup itself.
    assert to_ward(read_street(two_months), lookup)["count"].sum() == 4


def test_to_ward_needs_a_lookup(two_months):
    with pytest.raises(SourceError, match="needs an LSOA-to-ward lookup"):
        to_ward(read_street(two_months))


def test_zip_archive(two_months, tmp_path):
    archive = tmp_path / "archive.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(two_months.rglob("*-street.csv")):
            zf.write(path, f"{path.parent.name}/{path.name}")
    street = read_street(archive)
    assert street.data["count"].sum() == 6
    assert street.no_location == 2


def test_single_file_and_list(two_months):
    files = sorted(two_months.rglob("*-street.csv"))
    assert read_street(files[0]).data["count"].sum() == 4
    assert read_street(files).data["count"].sum() == 6


def test_renamed_lsoa_keeps_each_name(write, tmp_path):
    write(
        "a/2021-01-metropolitan-street.csv",
        "\n".join([HEADER, line("2021-01", "E01001370", "Ealing 037D")]),
    )
    write(
        "a/2023-01-metropolitan-street.csv",
        "\n".join([HEADER, line("2023-01", "E01001370", "Ealing 044A")]),
    )
    street = read_street(tmp_path / "a")
    assert street.data["lsoa_name"].tolist() == ["Ealing 037D", "Ealing 044A"]
    assert any("more than one LSOA name" in c for c in street.coverage.caveats)
    assert any("no file covers 2021-02 to 2022-12" in c for c in street.coverage.caveats)


def test_cp1252_file(write):
    path = write(
        "2022-09-x-street.csv",
        "\n".join([HEADER, line("2022-09", "E01003189", "Lewisham 001A", "Théft")]),
        "cp1252",
    )
    street = read_street(path)
    assert street.data["crime_type"].tolist() == ["Théft"]
    assert any("read as cp1252" in c for c in street.coverage.caveats)


def test_bad_month(write):
    path = write(
        "2022-09-x-street.csv",
        "\n".join(
            [
                HEADER,
                line("2022-09", "E01003189", "Lewisham 001A"),
                line("09/2022", "E01003189", "Lewisham 001A"),
            ]
        ),
    )
    with pytest.raises(SourceError, match="line 3, column 'Month': found '09/2022'"):
        read_street(path)


def test_empty_and_header_only(write, tmp_path):
    empty = tmp_path / "2022-09-x-street.csv"
    empty.write_bytes(b"")
    with pytest.raises(SourceError, match="is empty"):
        read_street(empty)
    header = write("2022-10-x-street.csv", HEADER)
    with pytest.raises(SourceError, match="has a header but no data rows"):
        read_street(header)


def test_population_file_given_as_street(write):
    path = write(
        "census.csv", "date,geography,geography code,Age: Total\n2021,Lewisham,E09000023,1"
    )
    with pytest.raises(SourceError) as err:
        read_street(path)
    assert "is not in the data.police.uk street-level crime layout" in str(err.value)
    assert "read it with read_population" in str(err.value)


def test_zip_without_street_files(tmp_path):
    archive = tmp_path / "x.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("2022-09/2022-09-metropolitan-outcomes.csv", "a,b\n1,2\n")
    with pytest.raises(SourceError, match="holds no '\\*-street.csv' files"):
        read_street(archive)


def test_file_holding_two_months(write):
    path = write(
        "2022-09-x-street.csv",
        "\n".join(
            [
                HEADER,
                line("2022-08", "E01003189", "Lewisham 001A"),
                line("2022-09", "E01003189", "Lewisham 001A"),
                line("2022-09", "E01003189", "Lewisham 001A"),
                line("2022-08", "", "", "Robbery"),
            ]
        ),
    )
    street = read_street(path)
    got = {(r.lsoa_code, r.crime_type, str(r.month)): r.count for r in street.data.itertuples()}
    assert got == {
        ("E01003189", "Burglary", "2022-08"): 1,
        ("E01003189", "Burglary", "2022-09"): 2,
    }
    assert street.no_location == 1
    assert street.no_location_by_month["month"].astype(str).tolist() == ["2022-08"]
    assert (street.coverage.first_month, street.coverage.last_month) == ("2022-08", "2022-09")


def test_lsoa_renamed_within_one_file(write):
    path = write(
        "2023-01-x-street.csv",
        "\n".join(
            [
                HEADER,
                line("2023-01", "E01001370", "Ealing 037D"),
                line("2023-01", "E01001370", "Ealing 044A"),
                line("2023-01", "E01001370", "Ealing 037D"),
                line("2023-01", "E01001000", "Greenwich 010B", "Robbery"),
            ]
        ),
    )
    street = read_street(path)
    got = [(r.lsoa_code, r.lsoa_name, r.crime_type, r.count) for r in street.data.itertuples()]
    # Sorted by code, then name.
    assert got == [
        ("E01001000", "Greenwich 010B", "Robbery", 1),
        ("E01001370", "Ealing 037D", "Burglary", 2),
        ("E01001370", "Ealing 044A", "Burglary", 1),
    ]
    assert any("1 LSOA code(s) appear under more" in c for c in street.coverage.caveats)


def test_blank_lines_are_skipped(tmp_path):
    good = line("2022-09", "E01003189", "Lewisham 001A")
    path = tmp_path / "2022-09-x-street.csv"
    path.write_text("\n".join([HEADER, "", good, "", good, "", "", ""]))
    street = read_street(path)
    assert street.data["count"].tolist() == [2]
    assert street.no_location == 0
    # Line numbers in messages count the blank lines, as a text editor does.
    path.write_text("\n".join([HEADER, "", good, "", line("2022/09", "E01003189", "x")]) + "\n")
    with pytest.raises(SourceError, match="line 5, column 'Month': found '2022/09'"):
        read_street(path)
    path.write_text("\n".join([HEADER, "", "", ""]))
    with pytest.raises(SourceError, match="has a header but no data rows"):
        read_street(path)


def test_empty_month_or_crime_type(write):
    path = write(
        "2022-09-x-street.csv",
        "\n".join([HEADER, line("2022-09", "", ""), line("", "E01003189", "Lewisham 001A")]),
    )
    with pytest.raises(SourceError, match="line 3, column 'Month': found an empty cell"):
        read_street(path)
    path = write(
        "2022-10-x-street.csv",
        "\n".join([HEADER, line("2022-10", "", ""), line("2022-10", "E01003189", "L 001A", "")]),
    )
    with pytest.raises(SourceError, match="line 3, column 'Crime type': found an empty cell"):
        read_street(path)


def test_malformed_csv(write):
    path = write(
        "2022-09-x-street.csv",
        "\n".join(
            [
                HEADER,
                line("2022-09", "E01003189", "Lewisham 001A"),
                line("2022-09", "E01003189", '"Lewisham 001A'),  # the quote is never closed
                line("2022-09", "E01003189", "Lewisham 001A"),
            ]
        ),
    )
    with pytest.raises(SourceError, match="'2022-09-x-street.csv' is not a well-formed CSV"):
        read_street(path)


def test_cp1252_member_of_a_zip(tmp_path):
    archive = tmp_path / "archive.zip"
    text = "\n".join([HEADER, line("2022-09", "E01003189", "Lewisham 001A", "Théft")])
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("2022-09/2022-09-x-street.csv", text.encode("cp1252"))
    street = read_street(archive)
    assert street.data["crime_type"].tolist() == ["Théft"]
    assert street.coverage.caveats[0] == (
        "'archive.zip:2022-09/2022-09-x-street.csv' was not UTF-8 and was read as cp1252"
    )


def test_one_worker_reads_the_same(two_months):
    pd.testing.assert_frame_equal(
        read_street(two_months, workers=1).data, read_street(two_months, workers=4).data
    )


# --- real data -----------------------------------------------------------------------------


@pytest.mark.shared_data
def test_real_burglary_folder_attributes_rows_to_lsoas(shared_data):
    folder = shared_data / "police-uk" / "metropolitan-burglary-only"
    street = read_street(folder)
    # Count the raw rows with the csv module: every row is either in an LSOA count or in
    # no_location, never dropped.
    rows = located = 0
    lewisham = 0
    for path in sorted(folder.glob("*-street.csv")):
        with open(path, newline="", encoding="utf-8") as handle:
            for record in csv.DictReader(handle):
                rows += 1
                if record["LSOA code"]:
                    located += 1
                    lewisham += record["LSOA name"].startswith("Lewisham ")
    assert street.data["count"].sum() == located
    assert street.no_location == rows - located
    assert street.data["count"].sum() + street.no_location == rows
    assert (street.data["lsoa_code"].str.match(r"^[EW]01\d{6}$")).all()
    assert street.data["crime_type"].unique().tolist() == ["Burglary"]
    assert to_borough(street).query("borough == 'Lewisham'")["count"].sum() == lewisham
    assert (street.coverage.first_month, street.coverage.last_month) == ("2020-10", "2022-11")
    assert street.data["month"].nunique() == 26
    assert street.data["month"].min() == pd.Period("2020-10", "M")


@pytest.mark.shared_data
def test_real_folder_with_lewisham_lookup(shared_data):
    folder = shared_data / "police-uk" / "metropolitan-burglary-only"
    lookup = shared_data / "boundaries" / "lewisham-wards-2022" / "lbl_lsoa11_wd22_proposed.csv"
    wards = to_ward(read_street(folder, lookup=lookup))
    assert wards["ward_code"].nunique() == 19
    assert wards["ward_code"].str.startswith("E050137").all()


def test_areas_outside_the_boroughs_are_reported(write, tmp_path):
    # Real London boroughs present: a neighbouring district and the City are outside them.
    write(
        "real/2022-09-metropolitan-street.csv",
        "\n".join(
            [
                HEADER,
                line("2022-09", "E01003189", "Lewisham 001A"),
                line("2022-09", "E01030449", "Epsom and Ewell 001A"),
                line("2022-09", "E01000001", "City of London 001A"),
            ]
        ),
    )
    caveats = read_street(tmp_path / "real").coverage.caveats
    outside = [c for c in caveats if "outside the boroughs" in c]
    assert len(outside) == 1
    assert outside[0].startswith("2 crimes") and "City of London, Epsom and Ewell" in outside[0]
    # Invented borough names (the synthetic demo): every area is a borough.
    write(
        "demo/2022-09-demo-street.csv",
        "\n".join(
            [
                HEADER,
                line("2022-09", "E01900001", "Northvale 001A"),
                line("2022-09", "E01900002", "Southmere 002B"),
            ]
        ),
    )
    assert not any("outside" in c for c in read_street(tmp_path / "demo").coverage.caveats)


def test_a_line_with_an_extra_field_is_rejected_not_shifted(write):
    """An unquoted comma in Location would move every later field one column right: the LSOA
    code column would read ' London Road' and the crime type 'Lewisham 001A'."""
    bad = line("2022-09", "E01003189", "Lewisham 001A").replace(
        "On or near High Street", "On or near High Street, London Road")
    path = write("2022-09-x-street.csv", "\n".join([
        HEADER, line("2022-09", "E01003189", "Lewisham 001A"), bad]))
    with pytest.raises(SourceError) as err:
        read_street(path)
    message = str(err.value)
    assert "2022-09-x-street.csv" in message
    assert "line 3, column 'LSOA code': found ' London Road'; expected an LSOA code" in message
    assert "comma outside double quotes" in message


def test_a_quoted_comma_is_part_of_its_field(write):
    quoted = line("2022-09", "E01003189", "Lewisham 001A").replace(
        "On or near High Street", '"On or near High Street, London Road"')
    street = read_street(write("2022-09-x-street.csv", "\n".join([HEADER, quoted])))
    assert street.data["lsoa_code"].tolist() == ["E01003189"]
    assert street.data["crime_type"].tolist() == ["Burglary"]


def test_bom_followed_by_cp1252_bytes_is_read(tmp_path):
    """Some tools prefix a byte-order mark to text they then save as cp1252."""
    text = "\n".join([HEADER, line("2022-09", "E01003189", "Lewisham 001A", "Théft")]) + "\n"
    path = tmp_path / "2022-09-x-street.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("cp1252"))
    street = read_street(path)
    assert street.data["crime_type"].tolist() == ["Théft"]
    assert street.data["lsoa_code"].tolist() == ["E01003189"]


def test_quoted_empty_cells_are_empty(write):
    """Some tools write an empty text cell as "" (pyarrow, for one): no LSOA code is still no
    location, and no crime type is still an error."""
    no_location = line("2022-09", "", "").replace("No Location,,,Burglary",
                                                  'No Location,"","",Burglary')
    path = write("2022-09-x-street.csv", "\n".join([
        HEADER, line("2022-09", "E01003189", "Lewisham 001A"), no_location]))
    street = read_street(path)
    assert street.data["lsoa_code"].tolist() == ["E01003189"]
    assert street.no_location == 1
    bad = line("2022-09", "E01003189", "Lewisham 001A", crime='""')
    with pytest.raises(SourceError, match="line 2, column 'Crime type': found an empty cell"):
        read_street(write("2022-10-x-street.csv", "\n".join([HEADER, bad])))


# --- the same month given twice ----------------------------------------------------------------


def _month_file(write, name, rows):
    return write(name, "\n".join([HEADER, *[line("2026-09", "E01003189", "Lewisham 001A")] * rows]))


def test_archive_unzipped_twice_is_counted_once_with_a_caveat(write, tmp_path):
    _month_file(write, "2026-09/2026-09-metropolitan-street.csv", 3)
    _month_file(write, "2026-09 (1)/2026-09-metropolitan-street.csv", 3)
    street = read_street(tmp_path)
    assert int(street.data["count"].sum()) == 3  # not 6
    caveat = next(c for c in street.coverage.caveats if "given 2 times" in c)
    assert "'2026-09/2026-09-metropolitan-street.csv'" in caveat
    assert "'2026-09 (1)/2026-09-metropolitan-street.csv'" in caveat


def test_same_month_in_a_folder_and_a_zip_is_counted_once(write, tmp_path):
    path = _month_file(write, "2026-09/2026-09-metropolitan-street.csv", 2)
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(path, "2026-09/2026-09-metropolitan-street.csv")
    street = read_street([tmp_path / "2026-09", archive])
    assert int(street.data["count"].sum()) == 2
    assert any("counted once" in c for c in street.coverage.caveats)


def test_same_month_twice_with_different_contents_is_an_error(write, tmp_path):
    _month_file(write, "a/2026-09-metropolitan-street.csv", 3)
    _month_file(write, "b/2026-09-metropolitan-street.csv", 4)
    with pytest.raises(SourceError) as info:
        read_street(tmp_path)
    message = str(info.value)
    assert "'a/2026-09-metropolitan-street.csv' and 'b/2026-09-metropolitan-street.csv'" in message
    assert "2026-09 with different contents" in message


def test_same_month_of_two_forces_is_not_a_duplicate(write, tmp_path):
    _month_file(write, "2026-09/2026-09-metropolitan-street.csv", 3)
    _month_file(write, "2026-09/2026-09-city-of-london-street.csv", 2)
    assert int(read_street(tmp_path).data["count"].sum()) == 5


def test_macos_resource_files_are_not_read(write, tmp_path):
    _month_file(write, "2026-09/2026-09-metropolitan-street.csv", 2)
    (tmp_path / "__MACOSX" / "2026-09").mkdir(parents=True)
    (tmp_path / "__MACOSX" / "2026-09" / "._2026-09-metropolitan-street.csv").write_bytes(
        b"\x00\x05\x16\x07" + bytes(60)
    )
    assert int(read_street(tmp_path).data["count"].sum()) == 2


def test_a_file_cut_off_in_the_middle_of_a_row_is_an_error(tmp_path):
    """An interrupted download: the last line has no line end and fewer cells than the
    header (here 11 of 12: the 'Context' cell and the line end are missing)."""
    header = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
              "LSOA name,Crime type,Last outcome category,Context\n")
    row = ("abc,2024-03,Gwent Police,Gwent Police,-3.0,51.6,On or near King Street,W01001475,"
           "Blaenau Gwent 003D,Burglary,Under investigation,\n")
    path = tmp_path / "2024-03-gwent-street.csv"
    path.write_text(header + row + row[:-20])  # cut inside 'Last outcome category'
    with pytest.raises(SourceError, match=r"2024-03-gwent-street\.csv' ends in the middle of a "
                                          r"row \(its last line has 11 of the header's 12 "
                                          r"columns and no line end\)"):
        read_street(path)
    path.write_text(header + row + row[:-1])  # no final line end, but a whole row: read
    assert int(read_street(path).data["count"].sum()) == 2
