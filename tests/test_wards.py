"""Ward figures for one borough, on a tiny hand-made ward file."""

from __future__ import annotations

import pandas as pd
import pytest

from slp import measures
from slp.periods import Window
from slp.wards import ward_changes, ward_counts


@pytest.fixture()
def data() -> pd.DataFrame:
    """Two wards of A (10 and 2 crimes a month) and one of B, January 2021 to December 2022."""
    rows = []
    for month in pd.period_range("2021-01", "2022-12", freq="M"):
        rows += [("A", "W1", "One", month, 10), ("A", "W2", "Two", month,
                                                 2 if month.year == 2022 else 0),
                 ("B", "W3", "Three", month, 7)]
    frame = pd.DataFrame(rows, columns=["borough", "ward_code", "ward_name", "month", "count"])
    frame["month"] = frame["month"].astype("period[M]")
    return frame


RESIDENTS = pd.Series({"W1": 4000, "W2": 1000, "W3": 500})


def test_ward_counts_and_rates_by_hand(data):
    # 2022: W1 12 x 10 = 120 crimes / 4,000 residents = 30 per 1,000; W2 24 / 1,000 = 24
    out = ward_counts(data, "A", Window.ending("2022-12", 12), RESIDENTS).set_index("ward_code")
    assert out["count"].to_dict() == {"W1": 120, "W2": 24}
    assert out["residents"].to_dict() == {"W1": 4000, "W2": 1000}
    assert out["rate_per_1000"].tolist() == pytest.approx([30.0, 24.0])


def test_a_window_the_file_does_not_cover_gives_none(data):
    assert ward_counts(data, "A", Window.ending("2023-01", 12), RESIDENTS) is None
    assert ward_changes(data, "A", Window.ending("2021-12", 12), RESIDENTS) is None


def test_ward_changes_by_hand(data):
    # W1 120 vs 120: 0%; W2 24 vs 0: undefined (nan), sorted last
    out = ward_changes(data, "A", Window.ending("2022-12", 12), RESIDENTS)
    assert out["ward_code"].tolist() == ["W1", "W2"]
    assert out["count_previous"].tolist() == [120, 0]
    assert out["change_pct"].iloc[0] == 0.0 and pd.isna(out["change_pct"].iloc[1])
    assert not out["significant"].iloc[0]


def test_flagged_measure_in_the_recorded_crime_shape():
    flagged = pd.DataFrame({"borough": ["A", "A"], "measure": ["gun_crime", "knife_crime"],
                            "month": pd.PeriodIndex(["2022-01", "2022-01"], freq="M"),
                            "count": [2, 9]})
    out = measures.flagged_as_crime(flagged, "gun_crime")
    assert out.to_dict("records") == [{"borough": "A", "major": "gun_crime",
                                       "minor": "gun_crime", "month": pd.Period("2022-01", "M"),
                                       "count": 2}]
    assert measures.flagged_as_crime(flagged, "domestic_abuse") is None
    table = pd.DataFrame({"major": ["Theft", "SEXUAL OFFENCES", "Robbery"]})
    assert measures.categories_named(table, ["sexual offences", "theft"])["major"].tolist() == [
        "Theft", "SEXUAL OFFENCES"]
