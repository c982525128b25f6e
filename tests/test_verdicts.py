"""Verdicts for the pages: window totals by hand, and the issue 11 answers from the real files."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from slp.errors import SlpError
from slp.verdicts import (
    category_series,
    changes_against_london,
    comparator_verdicts,
    headline_verdict,
    judge_categories,
    ward_verdicts,
    window_totals,
)


@pytest.fixture()
def small() -> pd.DataFrame:
    # two boroughs, 2019-01..2022-12: A has 10 thefts a month in 2022 and 8 before, B always 5
    rows = []
    for month in pd.period_range("2019-01", "2022-12", freq="M"):
        rows.append(("A", "Theft", month, 10 if month.year == 2022 else 8))
        rows.append(("A", "Robbery", month, 2))
        rows.append(("B", "Theft", month, 5))
    frame = pd.DataFrame(rows, columns=["borough", "major", "month", "count"])
    frame["month"] = frame["month"].astype("period[M]")
    return frame


def test_window_totals_by_hand(small):
    # 12 months to 2022-12: A = 12 x 10 + 12 x 2 = 144, B = 60; the previous 12: A = 120, B = 60
    now, before = window_totals(small, "2022-12")
    assert now.to_dict() == {"A": 144, "B": 60} and before.to_dict() == {"A": 120, "B": 60}
    # 3 months to 2022-12 against the same months a year earlier: A 36 vs 30
    now, before = window_totals(small, "2022-12", months=3, lag=12)
    assert (now["A"], before["A"]) == (36, 30)


def test_category_series_and_unknown_area(small):
    series = category_series(small, "A")
    assert list(series) == ["Robbery", "Theft", "All crime"]
    assert series["All crime"][pd.Period("2022-01", "M")] == 12
    assert category_series(small, "London", by=None)["All crime"].iloc[0] == 15
    with pytest.raises(SlpError, match="'C' is not in the crime data; it holds A, B"):
        category_series(small, "C")


def test_changes_against_london_is_centred_on_londons_change(small):
    out = changes_against_london(small, "2022-12")
    # London 204 against 180
    assert out["theta"].iloc[0] == pytest.approx(math.log(204 / 180))
    assert out["differs_from_london"].tolist() == out["differs"].tolist()


def test_headline_verdict_fields(small):
    fields = headline_verdict(small, "A", "2022-12")
    assert set(fields) == {"verdict", "usual_range_pct", "z", "reference", "method", "p",
                           "differs_from_london", "words"}
    assert headline_verdict(small, "London", "2022-12")["differs_from_london"] is None


# ------------------------------------------------------------------------ real data


@pytest.fixture(scope="module")
def borough_crime(shared_data):
    from slp.sources.borough import read_borough_crime

    return read_borough_crime([shared_data / "mps-borough" / "vintage-2023-08"]).data


def test_real_lewisham_headline(borough_crime):
    # issue 11: within, usual range about -8.9% .. +12.2%, z about 0.88, n = 96, and inside the
    # funnel of changes (y - theta = -0.0447)
    fields = headline_verdict(borough_crime, "Lewisham", "2022-09")
    assert fields["verdict"] == "within"
    assert fields["usual_range_pct"] == pytest.approx([-8.9, 12.2], abs=0.05)
    assert fields["z"] == pytest.approx(0.88, abs=0.01)
    assert fields["reference"] == "12-month changes 2012-03..2020-02, n=96"
    assert fields["differs_from_london"] is False
    assert "statistically significant" not in fields["words"]


def test_real_comparators_table(borough_crime):
    table = comparator_verdicts(borough_crime, ["Lewisham", "Greenwich", "Southwark", "London"],
                                "2022-09")
    assert table["area"].tolist() == ["Lewisham", "Greenwich", "Southwark", "London"]
    assert table["differs_from_london"].iloc[-1] is None
    assert set(table["verdict"]) <= {"within", "larger_rise", "larger_fall"}


def test_real_lewisham_categories_table(borough_crime):
    table = judge_categories(borough_crime, "Lewisham", "2022-09")
    last = table.iloc[-1]
    assert last["category"] == "All crime" and last["current"] == 28409
    assert pd.isna(last["p_adjusted"])  # the total is not one of the adjusted rows
    rows = table.iloc[:-1]
    assert rows["current"].sum() == 28409
    tested = rows["p"].notna()
    assert (rows.loc[tested, "p_adjusted"] >= rows.loc[tested, "p"] - 1e-12).all()
    assert set(rows["verdict"].dropna()) <= {"within", "larger_rise", "larger_fall"}


def test_real_lewisham_wards(shared_data):
    from slp.sources.ward import read_ward_crime

    folder = shared_data / "mps-ward" / "vintage-2023-09"
    crime = read_ward_crime([folder]).data
    out = ward_verdicts(crime, "Lewisham", "2023-08")
    assert len(out) == 19  # Lewisham's 2022 wards
    # the raw file summed another way: Lewisham's rows, Sep 2022..Aug 2023 and Sep 2021..Aug 2022
    raw = pd.read_csv(folder / "MPS Ward Level Crime (most recent 24 months).csv")
    raw = raw[raw["LookUp_BoroughName"] == "Lewisham"]
    months = [c for c in raw.columns if c.isdigit()]
    assert months[0] == "202109" and months[-1] == "202308"
    assert out["current"].sum() == raw[months[12:]].to_numpy().sum()
    assert out["previous"].sum() == raw[months[:12]].to_numpy().sum()
    # 24 months of history: every ward is judged against chance fluctuation only
    assert (out["method"] == "chance only").all()
    assert out["reference"].iloc[0].startswith("12-month changes (none in the data")
    judged = out["p_adjusted_borough"].notna()
    assert (out.loc[judged, "differs_from_borough"]
            == (out.loc[judged, "p_adjusted_borough"] < 0.05)).all()
    assert np.isfinite(out["z_borough"]).all()
