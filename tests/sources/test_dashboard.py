"""MPS Monthly Crime Dashboard: the measure mapping, month formats, validation."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from slp.errors import SourceError
from slp.sources.dashboard import DEFAULT_MAPPING, read_dashboard, read_mapping

HEADER = (
    "Month_Year,Area Type,Borough_SNT,Area name,Area code,Offence Group,Offence Subgroup,"
    "Measure,Financial Year,FY_FYIndex,Count,Refresh Date"
)


def row(month, area, group, subgroup, count, measure="Offences", area_type="Borough"):
    return (
        f"{month},{area_type},{area},{area},E09000023,{group},{subgroup},{measure},"
        f"FY22-23,1,{count},05/05/2023"
    )


DA = ("Domestic Abuse", "Domestic Abuse Offences")
KC = ("Knife Crime", "Knife Crime")
KCI = ("Knife Crime", "Knife Crime With Injury")
GC = ("Gun Crime", "Gun Crime")


def test_default_mapping_is_the_agreed_one():
    # The demo generator writes exactly these values; they must not drift.
    assert yaml.safe_load(DEFAULT_MAPPING.read_text()) == {
        "domestic_abuse": {
            "offence_group": "Domestic Abuse",
            "offence_subgroup": "Domestic Abuse Offences",
            "measure": "Offences",
            "label": "Domestic abuse offences",
        },
        "knife_crime": {
            "offence_group": "Knife Crime",
            "offence_subgroup": "Knife Crime",
            "measure": "Offences",
            "label": "Knife crime offences",
        },
        "knife_crime_with_injury": {
            "offence_group": "Knife Crime",
            "offence_subgroup": "Knife Crime With Injury",
            "measure": "Offences",
            "label": "Knife crime with injury offences",
        },
        "gun_crime": {
            "offence_group": "Gun Crime",
            "offence_subgroup": "Gun Crime",
            "measure": "Offences",
            "label": "Gun crime offences",
        },
    }


def test_all_four_measures_hand_counts(write):
    path = write(
        "dashboard.csv",
        "\n".join(
            [
                HEADER,
                row("01/04/2022", "Lewisham", *DA, 300),
                row("01/05/2022", "Lewisham", *DA, 310),
                row("01/04/2022", "Lewisham", *KC, 12),
                row("01/05/2022", "Lewisham", *KC, 14),
                row("01/04/2022", "Lewisham", *KCI, 4),
                row("01/05/2022", "Lewisham", *KCI, 5),
                row("01/04/2022", "Lewisham", *GC, 1),
                row("01/05/2022", "Lewisham", *GC, 0),
                row("01/04/2022", "Lewisham", *KC, 99, measure="Victims"),  # not a mapped measure
                row("01/04/2022", "Rushey Green", *DA, 30, area_type="Ward"),  # other area type
            ]
        ),
    )
    dash = read_dashboard(path)
    assert dash.measures == [
        "domestic_abuse",
        "knife_crime",
        "knife_crime_with_injury",
        "gun_crime",
    ]
    assert list(dash.data.columns) == ["borough", "measure", "month", "count"]
    assert dash.data["month"].dtype == "period[M]"
    totals = dash.data.groupby("measure")["count"].sum().to_dict()
    assert totals == {
        "domestic_abuse": 610,
        "knife_crime": 26,
        "knife_crime_with_injury": 9,
        "gun_crime": 1,
    }
    assert set(dash.data["month"].astype(str)) == {"2022-04", "2022-05"}
    assert any("1 rows of other area types (Ward)" in c for c in dash.coverage.caveats)
    assert dash.coverage.first_month == "2022-04" and dash.coverage.areas == 1


@pytest.mark.parametrize("month", ["01/04/2022", "2022-04-01", "2022-04", "Apr-22", "April 2022"])
def test_month_year_formats(write, month):
    path = write("d.csv", "\n".join([HEADER, row(month, "Lewisham", *DA, 7)]))
    dash = read_dashboard(path)
    assert dash.data["month"].tolist() == [pd.Period("2022-04", "M")]


def test_us_order_month_year_is_detected(write):
    # Every second part is 01 and the first varies: Excel wrote mm/dd/yyyy.
    path = write(
        "d.csv",
        "\n".join(
            [HEADER, row("04/01/2022", "Lewisham", *DA, 1), row("05/01/2022", "Lewisham", *DA, 2)]
        ),
    )
    dash = read_dashboard(path)
    assert dash.data["month"].astype(str).tolist() == ["2022-04", "2022-05"]
    assert any("mm/dd/yyyy" in c for c in dash.coverage.caveats)


def test_missing_borough_months_are_zero_and_reported(write):
    path = write(
        "d.csv",
        "\n".join(
            [
                HEADER,
                row("01/04/2022", "Lewisham", *GC, 2),
                row("01/05/2022", "Lewisham", *GC, 1),
                row("01/04/2022", "Greenwich", *GC, 3),  # no May row for Greenwich
            ]
        ),
    )
    dash = read_dashboard(path)
    greenwich = dash.data[dash.data["borough"] == "Greenwich"]
    assert greenwich["count"].tolist() == [3, 0]
    assert any("1 borough-months with no row" in c for c in dash.coverage.caveats)
    assert any(
        "no rows for domestic_abuse, knife_crime, knife_crime_with_injury" in c
        for c in dash.coverage.caveats
    )


def test_non_borough_area_is_unattributed(write):
    path = write(
        "d.csv",
        "\n".join(
            [HEADER, row("01/04/2022", "Lewisham", *DA, 5), row("01/04/2022", "Unknown", *DA, 2)]
        ),
    )
    dash = read_dashboard(path)
    assert dash.data["count"].sum() == 5
    assert dash.unattributed["count"].sum() == 2


def test_alternative_mapping_file(write, tmp_path):
    mapping = tmp_path / "mine.yaml"
    mapping.write_text(
        "domestic_abuse:\n  offence_group: DA\n  offence_subgroup: All DA\n  measure: Count\n"
    )
    path = write(
        "d.csv", "\n".join([HEADER, row("2022-04", "Lewisham", "DA", "All DA", 8, measure="Count")])
    )
    dash = read_dashboard(path, mapping=mapping)
    assert dash.data["count"].tolist() == [8]
    assert dash.measures == ["domestic_abuse"]
    # With the default mapping the same file has no rows we understand.
    with pytest.raises(SourceError, match="no rows matching the measure mapping"):
        read_dashboard(path)


def test_overlapping_files_newer_wins(write):
    old = write(
        "a.csv",
        "\n".join([HEADER, row("2022-04", "Lewisham", *DA, 5), row("2022-05", "Lewisham", *DA, 6)]),
    )
    new = write(
        "b.csv",
        "\n".join(
            [HEADER, row("2022-05", "Lewisham", *DA, 60), row("2022-06", "Lewisham", *DA, 7)]
        ),
    )
    dash = read_dashboard([old, new])
    assert dash.data["count"].tolist() == [5, 60, 7]
    assert any("2022-05" in c and "'b.csv'" in c for c in dash.coverage.caveats)


# --- validation ----------------------------------------------------------------------------


def test_bad_month_year(write):
    path = write(
        "d.csv",
        "\n".join([HEADER, row("2022-04", "Lewisham", *DA, 5), row("Q1 2022", "Lewisham", *DA, 5)]),
    )
    with pytest.raises(SourceError, match="line 3, column 'Month_Year': found 'Q1 2022'"):
        read_dashboard(path)


def test_negative_count(write):
    path = write("d.csv", "\n".join([HEADER, row("2022-04", "Lewisham", *DA, -5)]))
    with pytest.raises(SourceError, match="line 2, column 'Count': found a negative count -5"):
        read_dashboard(path)


def test_duplicated_borough_month(write):
    path = write(
        "d.csv",
        "\n".join(
            [HEADER, row("2022-04", "Lewisham", *DA, 5), row("01/04/2022", "Lewisham", *DA, 6)]
        ),
    )
    with pytest.raises(SourceError, match="lines 2, 3 repeat the same borough, measure and month"):
        read_dashboard(path)


def test_no_borough_rows(write):
    path = write(
        "d.csv", "\n".join([HEADER, row("2022-04", "Rushey Green", *DA, 5, area_type="Ward")])
    )
    with pytest.raises(SourceError, match=r"no rows with Area Type 'Borough' \(found: Ward\)"):
        read_dashboard(path)


def test_borough_crime_file_given_as_dashboard(write):
    path = write(
        "b.csv", "MajorText,MinorText,LookUp_BoroughName,202201\nTheft,Other Theft,Lewisham,1"
    )
    with pytest.raises(SourceError, match="read it with read_borough_crime"):
        read_dashboard(path)


def test_mapping_missing_key(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("gun_crime:\n  offence_group: Gun Crime\n")
    with pytest.raises(SourceError, match="measure 'gun_crime' lacks offence_subgroup, measure"):
        read_mapping(bad)


def test_mapping_as_dict():
    spec = read_mapping({"x": {"offence_group": "a", "offence_subgroup": "b", "measure": "c"}})
    assert spec["x"]["label"] == "X"
