"""Counts, rates, changes and ranks, on a tiny hand-made London and on the real MPS files.

The tiny London has three boroughs, A, B and C, with 1,000, 3,000 and 100 residents, and
constant monthly counts within each quarter of 2021-2022 (``MONTHLY`` below), so every window
total is 3 x (sum of the quarter values) and can be added up by hand.
"""

from __future__ import annotations

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from slp.comparators import compare_to_comparators, monthly_rates
from slp.errors import SlpError
from slp.measures import (
    category_changes,
    counts_in_window,
    headline_table,
    largest_changes,
    monthly_counts,
    percent_change,
    rate_per_1000,
    rates_in_window,
)
from slp.periods import Window

# count per month in each quarter 2021Q1 .. 2022Q4
MONTHLY = {
    ("A", "Theft", "Other Theft"): [10, 10, 10, 10, 12, 12, 13, 15],
    ("A", "Theft", "Bicycle Theft"): [2, 2, 2, 2, 1, 1, 1, 1],
    ("A", "Violence", "Violence with Injury"): [5, 5, 5, 5, 5, 5, 6, 6],
    ("B", "Theft", "Other Theft"): [20] * 8,
    ("B", "Theft", "Bicycle Theft"): [0] * 8,
    ("B", "Violence", "Violence with Injury"): [10] * 8,
    ("C", "Theft", "Other Theft"): [1] * 8,
    ("C", "Theft", "Bicycle Theft"): [1] * 8,
    ("C", "Violence", "Violence with Injury"): [1] * 8,
    # not a borough: must stay out of London
    ("London Heathrow and London City Airports", "Theft", "Other Theft"): [500] * 8,
}
POPULATION = pd.Series({"A": 1000, "B": 3000, "C": 100, "City of London": 8000})


@pytest.fixture()
def crime() -> pd.DataFrame:
    rows = []
    for (borough, major, minor), quarters in MONTHLY.items():
        for month in pd.period_range("2021-01", "2022-12", freq="M"):
            quarter = (month.year - 2021) * 4 + (month.month - 1) // 3
            rows.append((borough, major, minor, month, quarters[quarter]))
    frame = pd.DataFrame(rows, columns=["borough", "major", "minor", "month", "count"])
    frame["month"] = frame["month"].astype("period[M]")
    frame["count"] = frame["count"].astype("int64")
    return frame


# ----------------------------------------------------------------------------- building blocks


def test_rate_and_percent_change():
    assert rate_per_1000(234, 1000) == pytest.approx(234.0)
    assert rate_per_1000(28_409, 305_309) == pytest.approx(93.0500, abs=1e-4)
    assert percent_change(234, 204) == pytest.approx(100 * 30 / 204)
    assert pd.isna(percent_change(5, 0))
    assert_allclose(percent_change([110, 90], [100, 100]), [10.0, -10.0])


def test_counts_in_window(crime):
    # A, Oct-Dec 2022 (2022Q4): Other 3x15=45, Bicycle 3x1=3, Violence 3x6=18
    out = counts_in_window(crime, Window.ending("2022-12", 3), by=("borough", "minor"))
    a = out[out["borough"] == "A"].set_index("minor")["count"]
    assert a.to_dict() == {"Bicycle Theft": 3, "Other Theft": 45, "Violence with Injury": 18}


def test_monthly_counts_for_a_borough_and_for_london(crime):
    a = monthly_counts(crime, "A")
    assert isinstance(a.index, pd.PeriodIndex) and len(a) == 24
    assert a[pd.Period("2022-12", "M")] == 15 + 1 + 6
    # London, Dec 2022: A 22 + B 30 + C 3 = 55 (the airports' 500 left out)
    assert monthly_counts(crime)[pd.Period("2022-12", "M")] == 55
    assert monthly_counts(crime, "A", major="Violence").iloc[0] == 5


def test_rates_in_window_ranks_highest_first(crime):
    # 12 months to Dec 2022: A 3x(52+4+22)=234 -> 234 per 1,000; B 3x(80+40)=360 -> 120;
    # C 3x12=36 over 100 residents -> 360. Highest first: C, A, B.
    out = rates_in_window(crime, POPULATION, Window.ending("2022-12", 12))
    assert out["area"].tolist() == ["C", "A", "B"]
    assert out["count"].tolist() == [36, 234, 360]
    assert_allclose(out["rate_per_1000"], [360.0, 234.0, 120.0])
    assert out["rank"].tolist() == [1, 2, 3] and (out["rank_of"] == 3).all()


def test_tied_rates_share_the_higher_rank(crime):
    # With 1,950 residents A's rate is 1000 x 234 / 1,950 = 120 per 1,000, exactly B's
    # 1000 x 360 / 3,000 = 120: C 1st, A and B both 2nd (method "min"), nobody 3rd.
    population = POPULATION.copy()
    population["A"] = 1950
    out = rates_in_window(crime, population, Window.ending("2022-12", 12)).set_index("area")
    assert out.loc[["C", "A", "B"], "rank"].tolist() == [1, 2, 2]


# ----------------------------------------------------------------------------- headline table


def test_headline_table_by_hand(crime):
    table = headline_table(crime, POPULATION, "A", "2022-12").set_index("months")
    assert table.index.tolist() == [12, 6, 3]
    # 12 months: A 2022 = 3x(52+4+22) = 234; 2021 = 3x(40+8+20) = 204; +14.706%
    # 6 months: Jul-Dec 2022 = 3x(28+2+12) = 126; Jan-Jun 2022 = 3x(24+2+10) = 108; +16.667%
    # 3 months: Q4 2022 = 3x(15+1+6) = 66; Q3 2022 = 3x(13+1+6) = 60; +10%
    assert table["count"].tolist() == [234, 126, 66]
    assert table["previous_count"].tolist() == [204, 108, 60]
    assert_allclose(table["change_pct"], [100 * 30 / 204, 100 * 18 / 108, 10.0])
    # rates per 1,000 with 1,000 residents equal the counts; same population -> same % change
    assert_allclose(table["rate_per_1000"], [234.0, 126.0, 66.0])
    assert_allclose(table["previous_rate_per_1000"], [204.0, 108.0, 60.0])
    assert_allclose(table["rate_change_pct"], table["change_pct"])
    # London = A + B + C: 12m 234+360+36=630 vs 204+360+36=600 (+5%);
    # 6m 126+180+18=324 vs 108+180+18=306; 3m 66+90+9=165 vs 60+90+9=159
    assert table["london_count"].tolist() == [630, 324, 165]
    assert table["london_previous_count"].tolist() == [600, 306, 159]
    assert_allclose(table["london_change_pct"], [5.0, 100 * 18 / 306, 100 * 6 / 159])
    assert_allclose(table["london_rate_per_1000"], [630 / 4.1, 324 / 4.1, 165 / 4.1])
    # A is second of three by rate in every window (C: 360, 180, 90 per 1,000)
    assert table["rank"].tolist() == [2, 2, 2] and table["rank_of"].tolist() == [3, 3, 3]
    assert table.loc[12, "label"] == "January 2022 to December 2022"
    assert str(table.loc[6, "previous_start"]) == "2022-01"


def test_headline_table_holds_no_test_against_chance_alone(crime):
    """Issue 11: the Poisson "significant" verdict is gone from the measures (the counts it
    tested, 234/204, 126/108 and 66/60, are tested in test_significance.py); changes are judged
    by slp.verdicts against the area's normal variation."""
    table = headline_table(crime, POPULATION, "A", "2022-12")
    assert not {"p_value", "significant"} & set(table.columns)
    assert not {"p_value", "significant"} & set(category_changes(crime, POPULATION, "A",
                                                                 "2022-12").columns)


def test_year_on_year_comparison(crime):
    # 3 months to Dec 2022 against Oct-Dec 2021: 66 vs 3x(10+2+5)=51 -> +29.41%
    table = headline_table(
        crime, POPULATION, "A", "2022-12", lengths=(3,), compare_with="year_earlier"
    )
    assert table["previous_count"].tolist() == [51]
    assert table["change_pct"].iloc[0] == pytest.approx(100 * 15 / 51)
    assert str(table["previous_start"].iloc[0]) == "2021-10"


def test_previous_population_changes_the_rate_change_only(crime):
    # A had 800 residents in the previous window: previous rate 204/0.8 = 255 per 1,000,
    # so the rate fell by 100 x (234/255 - 1) = -8.235% while the count rose 14.706%.
    before = POPULATION.copy()
    before["A"] = 800
    table = headline_table(
        crime, POPULATION, "A", "2022-12", lengths=(12,), previous_population=before
    )
    assert table["previous_rate_per_1000"].iloc[0] == pytest.approx(255.0)
    assert table["rate_change_pct"].iloc[0] == pytest.approx(100 * (234 / 255 - 1))
    assert table["change_pct"].iloc[0] == pytest.approx(100 * 30 / 204)


def test_period_end_outside_the_data_names_both(crime):
    with pytest.raises(SlpError) as info:
        headline_table(crime, POPULATION, "A", "2023-03")
    message = str(info.value)
    assert "2023-03" in message and "2021-01 to 2022-12" in message
    # the comparison window must be there too: 12 months to 2021-12 needs 2020
    with pytest.raises(SlpError, match="2020-01 to 2020-12"):
        headline_table(crime, POPULATION, "A", "2021-12")


def test_unknown_borough_and_missing_population(crime):
    with pytest.raises(SlpError, match="'D' is not in the crime data"):
        headline_table(crime, POPULATION, "D", "2022-12")
    with pytest.raises(SlpError, match="no figure for 1 borough.*'B'"):
        headline_table(crime, POPULATION.drop("B"), "A", "2022-12")
    with pytest.raises(SlpError, match="compare_with"):
        headline_table(crime, POPULATION, "A", "2022-12", compare_with="last_year")


# ----------------------------------------------------------------------------- categories


def test_category_changes_major_by_hand(crime):
    table = category_changes(crime, POPULATION, "A", "2022-12").set_index("major")
    # most common first: Theft 168, Violence 66
    assert table.index.tolist() == ["Theft", "Violence"]
    # Theft: A 3x(52+4)=168 vs 3x(40+8)=144 (+16.667%); London 168+240+24=432 vs 144+240+24=408
    # Violence: A 66 vs 60 (+10%); London 66+120+12=198 vs 60+120+12=192 (+3.125%)
    assert table["count"].tolist() == [168, 66]
    assert table["previous_count"].tolist() == [144, 60]
    assert table["change"].tolist() == [24, 6]
    assert_allclose(table["change_pct"], [100 * 24 / 144, 10.0])
    assert table["london_count"].tolist() == [432, 198]
    assert_allclose(table["london_change_pct"], [100 * 24 / 408, 100 * 6 / 192])
    # Theft rates: A 168, B 240/3 = 80, C 24/0.1 = 240 -> A 2nd; Violence: A 66, B 40, C 120 -> 2nd
    assert_allclose(table["rate_per_1000"], [168.0, 66.0])
    assert table["rank"].tolist() == [2, 2] and table["rank_of"].tolist() == [3, 3]


def test_category_changes_minor_keeps_major_and_ranks_zero_rates_last(crime):
    table = category_changes(crime, POPULATION, "A", "2022-12", level="minor")
    assert list(table.columns[:2]) == ["major", "minor"]
    bicycle = table.set_index("minor").loc["Bicycle Theft"]
    # A 12 vs 24 (-50%); London 12+0+12=24 vs 24+0+12=36 (-33.3%); rates A 12, B 0, C 120
    assert (bicycle["count"], bicycle["previous_count"]) == (12, 24)
    assert bicycle["change_pct"] == pytest.approx(-50.0)
    assert bicycle["london_change_pct"] == pytest.approx(-100 / 3)
    assert bicycle["rank"] == 2
    b_table = category_changes(crime, POPULATION, "B", "2022-12", level="minor").set_index("minor")
    assert b_table.loc["Bicycle Theft", "rank"] == 3  # B recorded none: lowest rate
    assert pd.isna(b_table.loc["Bicycle Theft", "change_pct"])  # 0 vs 0


def test_largest_changes_split_increases_and_decreases(crime):
    # A minor changes: Other Theft 156-120=+36, Violence with Injury 66-60=+6, Bicycle 12-24=-12
    table = largest_changes(crime, POPULATION, "A", "2022-12", level="minor")
    assert table["direction"].tolist() == ["increase", "increase", "decrease"]
    assert table["minor"].tolist() == ["Other Theft", "Violence with Injury", "Bicycle Theft"]
    assert table["change"].tolist() == [36, 6, -12]
    assert_allclose(table["change_pct"], [30.0, 10.0, -50.0])
    top = largest_changes(crime, POPULATION, "A", "2022-12", level="minor", n=1)
    assert top["minor"].tolist() == ["Other Theft", "Bicycle Theft"]


def test_compare_to_comparators_by_hand(crime):
    table = compare_to_comparators(crime, POPULATION, "A", ["B", "C"], "2022-12").set_index("area")
    assert table.index.tolist() == ["A", "B", "C", "London"]
    assert table["role"].tolist() == ["borough", "comparator", "comparator", "London"]
    # rates: A 234, B 120, C 360, London 630 / 4.1 = 153.66 per 1,000
    assert_allclose(table["rate_per_1000"], [234.0, 120.0, 360.0, 630 / 4.1])
    assert_allclose(
        table["rate_vs_borough_pct"],
        [0.0, 100 * (120 / 234 - 1), 100 * (360 / 234 - 1), 100 * (630 / 4.1 / 234 - 1)],
    )
    assert table["position"].tolist() == ["", "lower", "higher", "lower"]
    assert table.loc[["A", "B", "C"], "rank"].tolist() == [2, 3, 1]
    assert pd.isna(table.loc["London", "rank"])
    assert table.loc["London", "count"] == 630 and table.loc["London", "previous_count"] == 600
    assert table.loc["London", "change_pct"] == pytest.approx(5.0)


def test_compare_to_comparators_for_one_category_and_unknown_names(crime):
    table = compare_to_comparators(crime, POPULATION, "A", ["B"], "2022-12", major="Violence")
    # Violence 12 months: A 66, B 120, London 198
    assert table["count"].tolist() == [66, 120, 198]
    with pytest.raises(SlpError, match="'Greenwich' is not in the crime data"):
        compare_to_comparators(crime, POPULATION, "A", ["Greenwich"], "2022-12")


def test_monthly_rates_long_form_with_london(crime):
    out = monthly_rates(crime, POPULATION, ["A", "B"], "2022-10", "2022-12")
    assert out["area"].unique().tolist() == ["A", "B", "London"]
    dec = out[out["month"] == pd.Period("2022-12", "M")].set_index("area")
    # Dec 2022: A 15+1+6=22 per 1,000 residents -> 22.0; B 30/3,000 -> 10.0;
    # London 22+30+3 = 55 over 4,100 -> 13.4146
    assert dec["count"].tolist() == [22, 30, 55]
    assert_allclose(dec["rate_per_1000"], [22.0, 10.0, 55 / 4.1])
    assert len(out) == 9


# ----------------------------------------------------------------------------- real data

VINTAGE = "mps-borough/vintage-2023-08"


def read_mps_old_format(folder) -> pd.DataFrame:
    """Plain-pandas reading of the old-format MPS borough files, independent of slp.sources:
    Historical + 24-month files, the 24-month file winning any month in both, airports dropped."""
    frames = []
    for order, name in enumerate(
        [
            "MPS Borough Level Crime (Historical).csv",
            "MPS Borough Level Crime (most recent 24 months).csv",
        ]
    ):
        wide = pd.read_csv(folder / name)
        long = wide.melt(
            id_vars=["MajorText", "MinorText", "LookUp_BoroughName"],
            var_name="yyyymm",
            value_name="count",
        )
        long["order"] = order
        frames.append(long)
    data = pd.concat(frames).sort_values("order")
    data = data.drop_duplicates(
        ["MajorText", "MinorText", "LookUp_BoroughName", "yyyymm"], keep="last"
    )
    data = data[data["LookUp_BoroughName"] != "London Heathrow and London City Airports"]
    return pd.DataFrame(
        {
            "borough": data["LookUp_BoroughName"].to_numpy(),
            "major": data["MajorText"].to_numpy(),
            "minor": data["MinorText"].to_numpy(),
            "month": pd.PeriodIndex(
                data["yyyymm"].str[:4] + "-" + data["yyyymm"].str[4:], freq="M"
            ),
            "count": data["count"].astype("int64").to_numpy(),
        }
    )


@pytest.fixture(scope="module")
def real(shared_data):
    crime = read_mps_old_format(shared_data / VINTAGE)
    population = (
        pd.read_csv(shared_data / "population" / "ons-mid2020-lsoa11-london.csv")
        .groupby("LAD11NM")["Persons_All-Ages"]
        .sum()
    )
    return crime, population


@pytest.mark.shared_data
def test_real_lewisham_12_months_to_september_2022(real):
    # ../shared/reference/README.md: 28,409 vs 26,636 (6.66%); London 859,736 vs 770,881
    # (11.53%); 28,409 / 305.309 = 93.05 per 1,000; 14th of 32.
    crime, population = real
    assert crime["borough"].nunique() == 32
    assert population["Lewisham"] == 305_309
    row = headline_table(crime, population, "Lewisham", "2022-09").set_index("months").loc[12]
    assert (row["count"], row["previous_count"]) == (28_409, 26_636)
    assert row["change_pct"] == pytest.approx(6.66, abs=0.005)
    assert (row["london_count"], row["london_previous_count"]) == (859_736, 770_881)
    assert row["london_change_pct"] == pytest.approx(11.53, abs=0.005)
    assert row["rate_per_1000"] == pytest.approx(93.05, abs=0.005)
    assert (row["rank"], row["rank_of"]) == (14, 32)
    assert row["label"] == "October 2021 to September 2022"


@pytest.mark.shared_data
def test_real_lewisham_6_and_3_months_match_the_plan(real):
    # The plan's boxes (a slightly earlier download): 6 months 14.3K, 46.9 per 1,000, +1.8%,
    # London +2.4%; 3 months 7,312, 23.9, +4.3%, London +0.3%. MPS revisions move the last
    # months by a handful of crimes, so compare at the plan's precision.
    crime, population = real
    table = headline_table(crime, population, "Lewisham", "2022-09").set_index("months")
    six, three = table.loc[6], table.loc[3]
    assert round(six["count"] / 1000, 1) == 14.3
    assert round(six["rate_per_1000"], 1) == 46.9
    assert round(six["change_pct"], 1) == 1.8 and round(six["london_change_pct"], 1) == 2.4
    assert three["count"] == pytest.approx(7312, rel=0.002)
    assert three["rate_per_1000"] == pytest.approx(23.9, abs=0.1)
    assert three["change_pct"] == pytest.approx(4.3, abs=0.1)
    assert three["london_change_pct"] == pytest.approx(0.3, abs=0.1)


@pytest.mark.shared_data
def test_real_violence_against_the_person_is_most_common(real):
    # README: violence against the person 8,881 (plan: 8.9 thousand, +9.1%, 12th highest rate)
    crime, population = real
    table = category_changes(crime, population, "Lewisham", "2022-09")
    top = table.iloc[0]
    assert top["major"] == "Violence Against the Person" and top["count"] == 8_881
    assert round(top["change_pct"], 1) == 9.1
    assert top["rank"] == 12
    # plan: sexual offences had the largest % increase of the major categories, 15th highest rate
    major = table.dropna(subset=["change_pct"])
    assert major.loc[major["change_pct"].idxmax(), "major"] == "Sexual Offences"
    assert table.set_index("major").loc["Sexual Offences", "rank"] == 15


@pytest.mark.shared_data
def test_real_neighbours_have_higher_rates(real):
    # plan: "the Royal Borough of Greenwich and Southwark ... have an overall higher rates of crime"
    crime, population = real
    table = compare_to_comparators(
        crime, population, "Lewisham", ["Greenwich", "Southwark"], "2022-09"
    )
    assert table.set_index("area").loc[["Greenwich", "Southwark"], "position"].tolist() == [
        "higher",
        "higher",
    ]


def test_category_ranks_say_when_they_are_shared(crime):
    """C records no bicycle theft either: B and C both have a rate of 0 and share rank 2 (the
    highest position they share, after A's 12 per 1,000); A's rank is its own."""
    crime = crime.copy()
    crime.loc[(crime["borough"] == "C") & (crime["minor"] == "Bicycle Theft"), "count"] = 0
    ranks = {b: category_changes(crime, POPULATION, b, "2022-12", level="minor")
             .set_index("minor").loc["Bicycle Theft", ["rank", "rank_tied"]].tolist()
             for b in "ABC"}
    assert ranks == {"A": [1, False], "B": [2, True], "C": [2, True]}
