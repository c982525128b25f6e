"""MPS Ward Level Crime: layout, ward geography, boundary matching, reconciliation."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from slp.coverage import Coverage
from slp.errors import SourceError
from slp.sources.borough import RecordedCrime, read_borough_crime
from slp.sources.ward import WardCrime, read_ward_crime, reconcile, ward_geography

HEADER = "MajorText,MinorText,WardName,WardCode,LookUp_BoroughName,202201,202202"


def test_ward_file_hand_counts(write):
    path = write(
        "MPS Ward Level Crime (most recent 24 months).csv",
        f"""
        {HEADER}
        Theft,Other Theft,Heathrow Villages,E05013570,Aviation Security (SO18),4,4
        Theft,Other Theft,Heathrow Villages,E05013570,Hillingdon,1,2
        Theft,Other Theft,Rushey Green,E05013730,Lewisham,10,20
        Burglary,Domestic Burglary,Rushey Green,E05013730,Lewisham,3,0
        Theft,Other Theft,Bellingham,E05013714,Lewisham,5,5
        """,
    )
    ward = read_ward_crime(path)
    assert list(ward.data.columns) == [
        "ward_code",
        "ward_name",
        "borough",
        "major",
        "minor",
        "month",
        "count",
    ]
    assert ward.geography == "2022 wards"
    assert ward.classification == "old"
    data = ward.data
    # Rushey Green 10+20+3+0 = 33, Bellingham 10, Heathrow Villages (Hillingdon) 3.
    assert data.groupby("ward_name")["count"].sum().to_dict() == {
        "Bellingham": 10,
        "Heathrow Villages": 3,
        "Rushey Green": 33,
    }
    # The Aviation Security row (same ward code) is kept apart, not counted twice: 4+4.
    assert ward.unattributed["count"].sum() == 8
    assert set(ward.unattributed["borough"]) == {"Aviation Security (SO18)"}
    assert ward.coverage.areas == 3
    assert any("Aviation Security (SO18): 8" in c for c in ward.coverage.caveats)


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (["E05000437", "E05000454"], "2014 wards"),
        (["E05000437", "E05011095"], "2014 wards"),  # 2018 changes, still the pre-2022 set
        (["E05013714", "E05009317"], "2022 wards"),
        (["W1", "W2", "E05013714"], "unknown"),
        ([], "unknown"),
    ],
)
def test_ward_geography(codes, expected):
    assert ward_geography(codes) == expected


def test_2014_ward_file(write):
    path = write("w.csv", f"{HEADER}\nTheft,Other Theft,Catford South,E05000440,Lewisham,1,1")
    ward = read_ward_crime(path)
    assert ward.geography == "2014 wards"
    assert any("ward geography: 2014 wards" in c for c in ward.coverage.caveats)


def test_boundary_match_share(write, tmp_path):
    geopandas = pytest.importorskip("geopandas")
    from shapely.geometry import box

    path = write(
        "w.csv",
        f"""
        {HEADER}
        Theft,Other Theft,A,E05013714,Lewisham,1,1
        Theft,Other Theft,B,E05013715,Lewisham,1,1
        Theft,Other Theft,C,E05013716,Lewisham,1,1
        """,
    )
    wards = geopandas.GeoDataFrame(
        {"WD22CD": ["E05013714", "E05013715", "E05099999"], "WD22NM": ["A", "B", "Z"]},
        geometry=[
            box(530000, 170000, 531000, 171000),
            box(531000, 170000, 532000, 171000),
            box(532000, 170000, 533000, 171000),
        ],
        crs="EPSG:27700",
    )
    boundaries = tmp_path / "wards.gpkg"
    wards.to_file(boundaries)
    ward = read_ward_crime(path, boundaries=boundaries)
    # Two of the file's three codes are in the boundaries.
    assert ward.boundary_match == pytest.approx(2 / 3)
    assert any("2 of 3 ward codes (67%)" in c and "wards.gpkg" in c for c in ward.coverage.caveats)


def test_borough_file_given_as_ward_file(write):
    path = write(
        "b.csv", "MajorText,MinorText,LookUp_BoroughName,202201\nTheft,Other Theft,Lewisham,1"
    )
    with pytest.raises(SourceError) as err:
        read_ward_crime(path)
    assert "is not in the MPS Ward Level Crime layout" in str(err.value)
    assert "read_borough_crime" in str(err.value)


def test_duplicated_ward_row(write):
    path = write(
        "d.csv",
        f"""
        {HEADER}
        Theft,Other Theft,A,E05013714,Lewisham,1,1
        Theft,Other Theft,A,E05013714,Lewisham,2,2
        """,
    )
    with pytest.raises(SourceError, match="lines 2, 3 repeat the same row"):
        read_ward_crime(path)


def test_bad_count_in_ward_file(write):
    path = write("d.csv", f"{HEADER}\nTheft,Other Theft,A,E05013714,Lewisham,1,n/a")
    with pytest.raises(SourceError, match="line 2, column '202202': found 'n/a'"):
        read_ward_crime(path)


def test_reconcile_hand_computed():
    months = [pd.Period("2022-01", "M"), pd.Period("2022-02", "M")]
    ward = WardCrime(
        data=pd.DataFrame(
            {
                "ward_code": ["W1", "W2", "W1", "W3"],
                "ward_name": ["a", "b", "a", "c"],
                "borough": ["Lewisham", "Lewisham", "Lewisham", "Greenwich"],
                "major": ["T"] * 4,
                "minor": ["t"] * 4,
                "month": [months[0], months[0], months[1], months[0]],
                "count": [40, 50, 30, 7],
            }
        ),
        unattributed=pd.DataFrame(),
        geography="2022 wards",
        coverage=Coverage("w", "w"),
    )
    borough = RecordedCrime(
        data=pd.DataFrame(
            {
                "borough": ["Lewisham", "Lewisham", "Greenwich"],
                "major": ["T"] * 3,
                "minor": ["t"] * 3,
                "month": [months[0], months[1], months[0]],
                "count": [100, 40, 0],
            }
        ),
        unattributed=pd.DataFrame(),
        coverage=Coverage("b", "b"),
        classification="old",
    )
    out = reconcile(ward, borough)
    assert list(out.columns) == ["borough", "month", "ward_sum", "borough_total", "coverage_pct"]
    lewisham = out[out["borough"] == "Lewisham"].set_index("month")
    # Jan: (40+50)/100 = 90%; Feb: 30/40 = 75%.
    assert lewisham.loc[months[0], "ward_sum"] == 90
    assert lewisham.loc[months[0], "coverage_pct"] == pytest.approx(90.0)
    assert lewisham.loc[months[1], "coverage_pct"] == pytest.approx(75.0)
    # A zero borough total gives no percentage rather than infinity.
    assert out[out["borough"] == "Greenwich"]["coverage_pct"].isna().all()


# --- real data -----------------------------------------------------------------------------


@pytest.mark.shared_data
def test_lewisham_2022_wards_known_answers(shared_data):
    path = shared_data / "mps-ward" / "vintage-2023-09"
    ward = read_ward_crime(path)
    assert ward.geography == "2022 wards"
    data = ward.data
    window = data[
        (data["borough"] == "Lewisham")
        & (data["month"] >= pd.Period("2021-10", "M"))
        & (data["month"] <= pd.Period("2022-09", "M"))
    ]
    by_ward = window.groupby("ward_name")["count"].sum()
    assert len(by_ward) == 19
    assert by_ward.sum() == 27_726
    assert by_ward.idxmax() == "Rushey Green"
    assert by_ward.max() == 2_561
    assert window["ward_code"].min() == "E05013714"
    assert window["ward_code"].max() == "E05013732"

    # The same sums straight from the CSV with the csv module.
    csv_path = next(path.glob("*.csv"))
    with open(csv_path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    cols = [i for i, h in enumerate(header) if h.isdigit() and 202110 <= int(h) <= 202209]
    sums: dict[str, int] = {}
    for row in rows[1:]:
        if row[4] == "Lewisham":
            sums[row[2]] = sums.get(row[2], 0) + sum(int(row[i]) for i in cols)
    assert sum(sums.values()) == 27_726
    assert sums["Rushey Green"] == 2_561


@pytest.mark.shared_data
def test_reconcile_lewisham_with_borough_file(shared_data):
    ward = read_ward_crime(shared_data / "mps-ward" / "vintage-2023-09")
    borough = read_borough_crime(shared_data / "mps-borough" / "vintage-2023-08")
    out = reconcile(ward, borough)
    window = out[
        (out["borough"] == "Lewisham")
        & (out["month"] >= pd.Period("2021-10", "M"))
        & (out["month"] <= pd.Period("2022-09", "M"))
    ]
    assert len(window) == 12
    # Published in ../shared/data/README.md: 27,726 in the ward rows against 28,409.
    assert window["ward_sum"].sum() == 27_726
    assert window["borough_total"].sum() == 28_409
    assert (window["coverage_pct"] < 100).all()


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("vintage", "geography", "classification"),
    [
        ("vintage-2022-09", "2014 wards", "old"),
        ("vintage-2023-09", "2022 wards", "old"),
        ("vintage-2024-02", "2022 wards", "old"),
        ("vintage-2025-07", "2022 wards", "new"),
        ("vintage-2026-02", "2022 wards", "new"),
    ],
)
def test_every_ward_vintage_loads(shared_data, vintage, geography, classification):
    ward = read_ward_crime(shared_data / "mps-ward" / vintage)
    assert ward.geography == geography
    assert ward.classification == classification
    assert ward.data["borough"].nunique() == 32
    assert "Aviation Security (SO18)" not in set(ward.data["borough"])
    lewisham = ward.data.loc[ward.data["borough"] == "Lewisham", "ward_code"].nunique()
    assert lewisham == (18 if geography == "2014 wards" else 19)


@pytest.mark.shared_data
def test_all_ward_folders_are_tested(shared_data):
    assert {p.name for p in (shared_data / "mps-ward").iterdir() if p.is_dir()} == {
        "vintage-2022-09",
        "vintage-2023-09",
        "vintage-2024-02",
        "vintage-2025-07",
        "vintage-2026-02",
    }


@pytest.mark.shared_data
def test_pre_2022_ward_file_matches_2018_boundaries(shared_data):
    boundaries = shared_data / "boundaries" / "london-wards-2018" / "London_Ward_CityMerged.shp"
    ward = read_ward_crime(shared_data / "mps-ward" / "vintage-2022-09", boundaries=boundaries)
    # All 632 codes are in the GLA 2018 ward file (the 2014 set plus the 2018 changes).
    assert ward.boundary_match == 1.0
    assert any("632 of 632 ward codes (100%)" in c for c in ward.coverage.caveats)


def test_total_row_in_a_ward_file_is_blamed_on_it(write):
    path = write(
        "ward.csv",
        f"""
        {HEADER}
        Theft,Shoplifting,Ladywell,E05013725,Lewisham,1,2
        Theft,Shoplifting,Grand Total,,,1,2
        """,
    )
    with pytest.raises(SourceError, match="'ward.csv' line 3, column 'WardName': found 'Grand Total'"):
        read_ward_crime(path)


def test_ward_file_missing_wards_of_the_borough_is_an_error(write):
    from slp.sources.ward import check_wards

    path = write("ward.csv", f"{HEADER}\nTheft,Shoplifting,Ladywell,E05013725,Lewisham,1,2")
    lookup = pd.DataFrame(
        {
            "lsoa_code": ["E01000001", "E01000002", "E01000003"],
            "ward_code": ["E05013725", "E05013727", "E05099999"],
            "ward_name": ["Ladywell", "Lewisham Central", "Elsewhere"],
            "borough": ["Lewisham", "Lewisham", "Greenwich"],
        }
    )
    crime = read_ward_crime(path)
    with pytest.raises(SourceError) as info:
        check_wards(crime, "Lewisham", lookup)
    assert "'ward.csv' has no rows for 1 of the 2 wards of Lewisham in the lookup: " \
        "Lewisham Central (E05013727)" in str(info.value)
    check_wards(crime, "Greenwich", lookup)  # another geography for Greenwich: not compared


def test_real_2022_ward_file_has_every_ward_of_every_borough(shared_data):
    from slp.boroughs import LONDON_BOROUGHS
    from slp.sources.boundaries import read_lookup
    from slp.sources.ward import check_wards

    crime = read_ward_crime(shared_data / "mps-ward" / "vintage-2023-09")
    lookup = read_lookup(shared_data / "population" / "lsoa21-ward25-lad25-lookup.csv")
    for borough in LONDON_BOROUGHS:
        check_wards(crime, borough, lookup)
