"""MPS Borough Level Crime: every layout, combining files, validation, and the published figures."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from slp.errors import CategoryMixError, SourceError
from slp.sources.borough import read_borough_crime

OLD_HEADER = "MajorText,MinorText,LookUp_BoroughName,202101,202102,202103"


def total(frame: pd.DataFrame, **where) -> int:
    mask = pd.Series(True, index=frame.index)
    for col, value in where.items():
        mask &= frame[col] == value
    return int(frame.loc[mask, "count"].sum())


# --- layouts -------------------------------------------------------------------------------


def test_old_layout_hand_counts(write):
    path = write(
        "MPS Borough Level Crime (most recent 24 months).csv",
        f"""
        {OLD_HEADER}
        Burglary,Domestic Burglary,Lewisham,10,20,30
        Theft,Shoplifting,Lewisham,1,2,3
        Burglary,Domestic Burglary,Greenwich,5,5,5
        Theft,Shoplifting,London Heathrow and London City Airports,7,8,9
        """,
    )
    crime = read_borough_crime(path)
    assert crime.classification == "old"
    assert list(crime.data.columns) == ["borough", "major", "minor", "month", "count"]
    assert crime.data["month"].dtype == "period[M]"
    assert crime.data["count"].dtype == "int64"
    # Lewisham: 10+20+30 + 1+2+3 = 66; Greenwich 15; London (boroughs only) 81.
    assert total(crime.data, borough="Lewisham") == 66
    assert total(crime.data, borough="Greenwich") == 15
    assert total(crime.data) == 81
    assert total(crime.data, month=pd.Period("2021-02", "M")) == 20 + 2 + 5
    # The airports row is kept apart: 7+8+9 = 24.
    assert set(crime.unattributed["borough"]) == {"London Heathrow and London City Airports"}
    assert total(crime.unattributed) == 24
    cov = crime.coverage
    assert (cov.first_month, cov.last_month, cov.areas) == ("2021-01", "2021-03", 2)
    assert cov.format.startswith("old (MajorText, MinorText, LookUp_BoroughName)")
    assert any("24 offences" in c and "not attributed to a borough" in c for c in cov.caveats)


def test_new_layout_is_new_classification_and_unknown_is_unattributed(write):
    path = write(
        "new.csv",
        """
        MajorText,MinorText,BoroughName,202301,202302
        THEFT,SHOPLIFTING,Lewisham,4,6
        THEFT,SHOPLIFTING,Unknown,100,200
        """,
    )
    crime = read_borough_crime(path)
    assert crime.classification == "new"
    assert total(crime.data) == 10
    assert total(crime.unattributed) == 300
    assert crime.coverage.format.startswith("new (MajorText, MinorText, BoroughName)")


def test_oldest_layout(write):
    path = write(
        "MPS_Borough_Level_Crime_Historic.csv",
        """
        Borough,Major Category,Minor Category,201801,201802
        Lewisham,Theft and Handling,Other Theft,11,12
        Lewisham,Burglary,Burglary in a Dwelling,3,4
        """,
    )
    crime = read_borough_crime(path)
    assert crime.classification == "oldest"
    assert total(crime.data, major="Theft and Handling") == 23
    assert total(crime.data) == 30
    assert crime.coverage.format.startswith("oldest (Borough, Major Category, Minor Category)")


def test_bom_and_cp1252_are_read(write):
    bom = write("bom.csv", f"{OLD_HEADER}\nTheft,Other Theft,Lewisham,1,1,1", "utf-8-sig")
    assert total(read_borough_crime(bom).data) == 3
    # Excel saves cp1252: an en dash and a pound sign in a category must survive.
    excel = write(
        "excel.csv",
        f"{OLD_HEADER}\nFraud – Other,Fraud over £100,Lewisham,1,2,3",
        "cp1252",
    )
    crime = read_borough_crime(excel)
    assert crime.data["major"].iloc[0] == "Fraud – Other"
    assert crime.data["minor"].iloc[0] == "Fraud over £100"


def test_thousands_separators_are_counts(write):
    path = write("t.csv", f'{OLD_HEADER}\nTheft,Other Theft,Lewisham,"1,234",5,6')
    assert total(read_borough_crime(path).data) == 1234 + 5 + 6


# --- combining files -----------------------------------------------------------------------


def test_historical_and_24_months_newer_wins_on_overlap(write, tmp_path):
    write(
        "vintage/MPS Borough Level Crime (Historical).csv",
        f"""
        {OLD_HEADER}
        Theft,Other Theft,Lewisham,1,2,3
        """,
    )
    write(
        "vintage/MPS Borough Level Crime (most recent 24 months).csv",
        """
        MajorText,MinorText,LookUp_BoroughName,202103,202104
        Theft,Other Theft,Lewisham,30,40
        """,
    )
    crime = read_borough_crime(tmp_path / "vintage")
    by_month = crime.data.set_index("month")["count"]
    # 2021-03 is in both: the 24-month file (30) wins over the Historical file (3).
    assert by_month.to_dict() == {
        pd.Period("2021-01", "M"): 1,
        pd.Period("2021-02", "M"): 2,
        pd.Period("2021-03", "M"): 30,
        pd.Period("2021-04", "M"): 40,
    }
    overlap = [c for c in crime.coverage.caveats if "2021-03" in c]
    assert overlap and "most recent 24 months" in overlap[0]
    assert len(crime.coverage.files) == 2


def test_gap_between_files_is_a_caveat(write):
    a = write(
        "a.csv", "MajorText,MinorText,LookUp_BoroughName,202101\nTheft,Other Theft,Lewisham,1"
    )
    b = write(
        "b.csv", "MajorText,MinorText,LookUp_BoroughName,202104\nTheft,Other Theft,Lewisham,1"
    )
    crime = read_borough_crime([a, b])
    assert any("2021-02 to 2021-03" in c for c in crime.coverage.caveats)


def test_old_and_new_files_are_not_mixed(write):
    old = write(
        "old.csv", f"{OLD_HEADER}\nPossession of Weapons,Other Knife Offences,Lewisham,1,1,1"
    )
    new = write(
        "new.csv",
        "MajorText,MinorText,BoroughName,202104\nPOSSESSION OF WEAPONS,POSSESSION OF WEAPONS,Lewisham,9",
    )
    with pytest.raises(CategoryMixError) as err:
        read_borough_crime([old, new])
    message = str(err.value)
    assert "'old.csv'" in message and "'new.csv'" in message and "map_categories=True" in message


def test_map_categories_maps_old_onto_new(write):
    old = write(
        "old.csv",
        f"""
        {OLD_HEADER}
        Possession of Weapons,Other Knife Offences,Lewisham,1,1,1
        Possession of Weapons,Possession of Other Weapon,Lewisham,2,2,2
        """,
    )
    new = write(
        "new.csv",
        "MajorText,MinorText,BoroughName,202104\nPOSSESSION OF WEAPONS,POSSESSION OF WEAPONS,Lewisham,9",
    )
    crime = read_borough_crime([old, new], map_categories=True)
    assert crime.classification == "new"
    assert set(crime.data["major"]) == {"POSSESSION OF WEAPONS"}
    # Both old minor categories become one new one: 1+2 = 3 a month, then 9 from the new file.
    assert crime.data["count"].tolist() == [3, 3, 3, 9]
    assert any("mapped onto the new upper-case" in c for c in crime.coverage.caveats)


def test_oldest_cannot_be_mapped(write):
    oldest = write(
        "h.csv", "Borough,Major Category,Minor Category,201801\nLewisham,Drugs,Other Drugs,1"
    )
    old = write(
        "o.csv", "MajorText,MinorText,LookUp_BoroughName,201802\nTheft,Other Theft,Lewisham,1"
    )
    with pytest.raises(CategoryMixError, match="cannot be mapped"):
        read_borough_crime([oldest, old], map_categories=True)


# --- validation ----------------------------------------------------------------------------


def test_no_month_columns_message(write):
    path = write("MPS Borough Level Crime.csv", "Borough,Total\nLewisham,5")
    with pytest.raises(SourceError) as err:
        read_borough_crime(path)
    assert str(err.value) == (
        "MPS Borough Level Crime: 'MPS Borough Level Crime.csv' has no month columns "
        "(expected headers like 202209); found: Borough, Total"
    )


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("Theft,Other Theft,Lewisham,1,x,3", "line 3, column '202102': found 'x'"),
        ("Theft,Other Theft,Lewisham,1,-4,3", "line 3, column '202102': found a negative count -4"),
        ("Theft,Other Theft,Lewisham,1,,3", "line 3, column '202102': found an empty cell"),
        ("Theft,Other Theft,Lewisham,1,2.5,3", "line 3, column '202102': found '2.5'"),
    ],
)
def test_bad_counts_name_line_and_column(write, row, expected):
    path = write("bad.csv", f"{OLD_HEADER}\nTheft,Shoplifting,Lewisham,1,1,1\n{row}")
    with pytest.raises(SourceError) as err:
        read_borough_crime(path)
    assert "'bad.csv'" in str(err.value)
    assert expected in str(err.value)
    assert "expected a whole number >= 0" in str(err.value)


def test_duplicated_row(write):
    path = write(
        "dup.csv",
        f"""
        {OLD_HEADER}
        Theft,Other Theft,Lewisham,1,1,1
        Theft,Shoplifting,Lewisham,1,1,1
        Theft,Other Theft,Lewisham,2,2,2
        """,
    )
    with pytest.raises(SourceError, match=r"lines 2, 4 repeat the same row .*Other Theft"):
        read_borough_crime(path)


def test_duplicated_month_column(write):
    path = write(
        "dupm.csv", "MajorText,MinorText,LookUp_BoroughName,202101,202101\nT,O,Lewisham,1,1"
    )
    with pytest.raises(SourceError, match=r"line 1 \(header\) repeats column\(s\) 202101"):
        read_borough_crime(path)


def test_gap_in_month_columns(write):
    path = write(
        "gap.csv", "MajorText,MinorText,LookUp_BoroughName,202101,202103\nT,O,Lewisham,1,1"
    )
    with pytest.raises(SourceError, match="gap in its month columns: 202102 missing"):
        read_borough_crime(path)


@pytest.mark.parametrize(
    ("column", "expected"),
    [("2021-01", "looks like a month but is not YYYYMM"), ("202113", "is not a valid month")],
)
def test_month_column_not_yyyymm(write, column, expected):
    path = write("m.csv", f"MajorText,MinorText,LookUp_BoroughName,{column}\nT,O,Lewisham,1")
    with pytest.raises(SourceError, match=expected) as err:
        read_borough_crime(path)
    assert f"'{column}'" in str(err.value)


def test_months_out_of_order(write):
    path = write("o.csv", "MajorText,MinorText,LookUp_BoroughName,202102,202101\nT,O,Lewisham,1,1")
    with pytest.raises(SourceError, match="not in increasing order"):
        read_borough_crime(path)


def test_empty_and_header_only_files(write, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(SourceError, match="'empty.csv' is empty"):
        read_borough_crime(empty)
    header = write("header.csv", OLD_HEADER)
    with pytest.raises(SourceError, match="'header.csv' has a header .* but no data rows"):
        read_borough_crime(header)


def test_empty_borough_name(write):
    path = write("b.csv", f"{OLD_HEADER}\nTheft,Other Theft,,1,1,1")
    with pytest.raises(SourceError, match="line 2, column 'borough': found an empty cell"):
        read_borough_crime(path)


def test_ward_file_given_as_borough_file(write):
    path = write(
        "ward.csv",
        "MajorText,MinorText,WardName,WardCode,LookUp_BoroughName,202101\n"
        "Theft,Other Theft,Bellingham,E05013714,Lewisham,1",
    )
    with pytest.raises(SourceError) as err:
        read_borough_crime(path)
    message = str(err.value)
    assert "'ward.csv' is not in the MPS Borough Level Crime layout" in message
    assert "it looks like MPS Ward Level Crime data (read it with read_ward_crime)" in message


def test_street_file_given_as_borough_file(write):
    path = write(
        "2022-09-metropolitan-street.csv",
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
        "Crime type,Last outcome category,Context\n"
        "x,2022-09,MPS,MPS,0.1,51.5,On or near X,E01003189,Lewisham 001A,Burglary,,",
    )
    with pytest.raises(SourceError, match="read it with read_street"):
        read_borough_crime(path)


def test_missing_path(tmp_path):
    with pytest.raises(SourceError, match="does not exist"):
        read_borough_crime(tmp_path / "nope.csv")


def test_folder_without_csv(tmp_path):
    (tmp_path / "readme.txt").write_text("hello")
    with pytest.raises(SourceError, match=r"folder has no files matching \*\.csv"):
        read_borough_crime(tmp_path)


# --- real data -----------------------------------------------------------------------------


def independent_totals(
    folder: Path, borough: str | None, first: int, last: int, major: str | None = None
) -> int:
    """Sum the raw CSVs with the csv module, taking each month from the newest file only."""
    files = sorted(folder.glob("*.csv"), key=lambda p: "24 months" in p.name)  # newest last
    by_month: dict[int, int] = {}
    for path in files:  # later files overwrite earlier ones month by month
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        header = rows[0]
        month_cols = [i for i, h in enumerate(header) if h.isdigit()]
        month_totals = {int(header[i]): 0 for i in month_cols}
        for row in rows[1:]:
            place = row[2]
            if place == "London Heathrow and London City Airports":
                continue
            if borough is not None and place != borough:
                continue
            if major is not None and row[0] != major:
                continue
            for i in month_cols:
                month_totals[int(header[i])] += int(row[i])
        by_month.update(month_totals)
    return sum(v for m, v in by_month.items() if first <= m <= last)


@pytest.mark.shared_data
def test_published_lewisham_and_london_figures(shared_data):
    folder = shared_data / "mps-borough" / "vintage-2023-08"
    crime = read_borough_crime(folder)
    data = crime.data
    recent = data[
        (data["month"] >= pd.Period("2021-10", "M")) & (data["month"] <= pd.Period("2022-09", "M"))
    ]
    before = data[
        (data["month"] >= pd.Period("2020-10", "M")) & (data["month"] <= pd.Period("2021-09", "M"))
    ]
    # Published (Safer Lewisham Partnership Plan) and reproduced in ../shared/reference.
    assert total(recent, borough="Lewisham") == 28_409
    assert total(before, borough="Lewisham") == 26_636
    assert total(recent) == 859_736
    assert total(before) == 770_881
    assert total(recent, borough="Lewisham", major="Violence Against the Person") == 8_881
    assert recent["borough"].nunique() == 32
    # The same figures summed straight from the CSVs with the csv module.
    assert independent_totals(folder, "Lewisham", 202110, 202209) == 28_409
    assert independent_totals(folder, None, 202010, 202109) == 770_881
    assert (
        independent_totals(folder, "Lewisham", 202110, 202209, major="Violence Against the Person")
        == 8_881
    )


@pytest.mark.shared_data
@pytest.mark.parametrize(
    "vintage",
    [
        "vintage-2019-01",
        "vintage-2020-11",
        "vintage-2023-03",
        "vintage-2023-08",
        "vintage-2024-02",
        "vintage-2024-11",
        "vintage-2025-03",
    ],
)
def test_every_vintage_loads(shared_data, vintage):
    folder = shared_data / "mps-borough" / vintage
    crime = read_borough_crime(folder)
    data = crime.data
    assert data["borough"].nunique() == 32
    assert not data["borough"].isin(["London Heathrow and London City Airports", "Unknown"]).any()
    assert len(crime.unattributed) > 0 or vintage == "vintage-2019-01"
    months = data["month"].drop_duplicates().sort_values()
    # Consecutive months from first to last, as the coverage says.
    assert len(months) == (months.iloc[-1] - months.iloc[0]).n + 1
    assert str(months.iloc[0]) == crime.coverage.first_month
    assert (data["count"] >= 0).all()
    expected = {"vintage-2019-01": "oldest", "vintage-2024-11": "new", "vintage-2025-03": "new"}
    assert crime.classification == expected.get(vintage, "old")


def test_all_vintage_folders_are_tested(shared_data):
    listed = {
        "vintage-2019-01",
        "vintage-2020-11",
        "vintage-2023-03",
        "vintage-2023-08",
        "vintage-2024-02",
        "vintage-2024-11",
        "vintage-2025-03",
    }
    assert {p.name for p in (shared_data / "mps-borough").iterdir() if p.is_dir()} == listed


# --- robustness: total rows, completeness, duplicate files -------------------------------------


@pytest.mark.parametrize("total", ["Total", "Grand Total", "All boroughs", "London"])
def test_spreadsheet_total_row_is_blamed_on_the_borough_file(write, total):
    path = write(
        "borough.csv",
        f"""
        {OLD_HEADER}
        Theft,Shoplifting,Lewisham,1,2,3
        Theft,Shoplifting,{total},1,2,3
        """,
    )
    with pytest.raises(SourceError) as info:
        read_borough_crime(path)
    message = str(info.value)
    assert message.startswith("MPS Borough Level Crime: 'borough.csv' line 3")
    assert f"column 'LookUp_BoroughName': found '{total}', a total row" in message


def test_total_in_the_category_column_is_a_total_row(write):
    path = write("b.csv", f"{OLD_HEADER}\nTheft,Shoplifting,Lewisham,1,2,3\nTotal,,Lewisham,1,2,3")
    with pytest.raises(SourceError, match="line 3, column 'MajorText': found 'Total'"):
        read_borough_crime(path)


def _london_file(write, name, boroughs, months=("202101", "202102")):
    from slp.boroughs import LONDON_BOROUGHS

    rows = [f"Theft,Shoplifting,{b}," + ",".join("1" for _ in months) for b in boroughs]
    header = "MajorText,MinorText,LookUp_BoroughName," + ",".join(months)
    assert set(boroughs) <= set(LONDON_BOROUGHS)
    return write(name, "\n".join([header, *rows]))


def test_complete_london_passes(write):
    from slp.boroughs import LONDON_BOROUGHS
    from slp.sources.borough import check_complete

    crime = read_borough_crime(_london_file(write, "b.csv", sorted(LONDON_BOROUGHS)))
    check_complete(crime, [pd.Period("2021-01", "M"), "2021-02"])  # no error


def test_file_cut_short_is_an_error_naming_file_and_boroughs(write):
    from slp.boroughs import LONDON_BOROUGHS
    from slp.sources.borough import check_complete

    # A download cut at a line boundary: the last 16 boroughs (alphabetical) are missing.
    kept = sorted(LONDON_BOROUGHS)[:16]
    crime = read_borough_crime(_london_file(write, "cut.csv", kept))
    with pytest.raises(SourceError) as info:
        check_complete(crime, pd.period_range("2021-01", "2021-02", freq="M"))
    message = str(info.value)
    assert "'cut.csv' lacks 16 of the 32 London boroughs in 2021-01 to 2021-02" in message
    assert sorted(LONDON_BOROUGHS)[16] in message  # the first missing one, by name


def test_borough_missing_from_one_month_of_one_file_is_named(write, tmp_path):
    from slp.boroughs import LONDON_BOROUGHS
    from slp.sources.borough import check_complete

    everyone = sorted(LONDON_BOROUGHS)
    _london_file(write, "v/MPS Borough Level Crime (Historical).csv", everyone, ("202101",))
    _london_file(
        write, "v/MPS Borough Level Crime (most recent 24 months).csv", everyone[1:], ("202102",)
    )
    crime = read_borough_crime(tmp_path / "v")
    # The reader already warns: 31 boroughs in 2021-02 against 32 in 2021-01.
    assert (
        "'MPS Borough Level Crime (most recent 24 months).csv' hold fewer boroughs (31) than the "
        "other files (32) in 2021-02" in " ".join(crime.coverage.caveats)
    )
    check_complete(crime, ["2021-01"])  # the Historical month is complete
    with pytest.raises(SourceError) as info:
        check_complete(crime, ["2021-01", "2021-02"])
    message = str(info.value)
    assert "'MPS Borough Level Crime (most recent 24 months).csv' lacks 1 of" in message
    assert f"in 2021-02: {everyone[0]}" in message


def test_identical_copy_of_a_file_is_counted_once_with_a_caveat(write, tmp_path):
    text = f"{OLD_HEADER}\nTheft,Shoplifting,Lewisham,1,2,3"
    write("v/borough.csv", text)
    write("v/borough (1).csv", text)
    crime = read_borough_crime(tmp_path / "v")
    assert int(crime.data["count"].sum()) == 6  # 1 + 2 + 3, not doubled
    assert any("identical figures" in c for c in crime.coverage.caveats)


def test_same_month_with_different_values_is_reported_newer_wins(write):
    older = write("Historical.csv", f"{OLD_HEADER}\nTheft,Shoplifting,Lewisham,1,2,3")
    newer = write(
        "most recent 24 months.csv",
        "MajorText,MinorText,LookUp_BoroughName,202103,202104\nTheft,Shoplifting,Lewisham,5,4",
    )
    crime = read_borough_crime([older, newer])
    # 2021-03: newer 5 replaces older 3 -> 1 + 2 + 5 + 4 = 12.
    assert int(crime.data["count"].sum()) == 12
    caveat = next(c for c in crime.coverage.caveats if "2021-03" in c)
    assert "differ in 1 of 1 rows" in caveat and "Lewisham, Shoplifting, 2021-03: 5 against 3" in caveat
    assert crime.month_files == {
        "2021-01": "Historical.csv",
        "2021-02": "Historical.csv",
        "2021-03": "most recent 24 months.csv",
        "2021-04": "most recent 24 months.csv",
    }


def test_every_real_vintage_has_all_32_boroughs_in_every_month(shared_data):
    from slp.sources.borough import check_complete

    for vintage in sorted((shared_data / "mps-borough").iterdir()):
        crime = read_borough_crime(vintage)
        months = pd.period_range(crime.coverage.first_month, crime.coverage.last_month, freq="M")
        check_complete(crime, months)  # the README: every file has the 32 boroughs


def test_a_later_vintage_wins_even_with_its_historical_file(write, tmp_path):
    # v1 (downloaded first): Historical 2021-01..02, 24 months 2021-03..04.
    # v2 (later): Historical 2021-01..03 (revised), 24 months 2021-04..05.
    header = "MajorText,MinorText,LookUp_BoroughName"
    write("v1/MPS Borough Level Crime (Historical).csv", f"{header},202101,202102\nT,S,Lewisham,1,1")
    write("v1/MPS Borough Level Crime (most recent 24 months).csv", f"{header},202103,202104\nT,S,Lewisham,3,4")
    write("v2/MPS Borough Level Crime (Historical).csv", f"{header},202101,202102,202103\nT,S,Lewisham,1,1,30")
    write("v2/MPS Borough Level Crime (most recent 24 months).csv", f"{header},202104,202105\nT,S,Lewisham,40,50")
    crime = read_borough_crime([tmp_path / "v1", tmp_path / "v2"])
    by_month = {str(m): int(c) for m, c in zip(crime.data["month"], crime.data["count"], strict=True)}
    # 2021-03 from v2's Historical (30), not v1's 24-month file (3), though the latter ends later.
    assert by_month == {"2021-01": 1, "2021-02": 1, "2021-03": 30, "2021-04": 40, "2021-05": 50}
