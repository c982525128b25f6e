"""Harm weighting: hand-computed totals, shares, rates and changes."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from slp.disclosure import DisclosureRule
from slp.harm import (
    harm_by_category,
    harm_change,
    harm_per_1000,
    publishable_change,
    publishable_profile,
)
from slp.periods import Window
from slp.sources.harm_weights import read_harm_weights


@pytest.fixture
def weights(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text(
        "scheme,category,weight,unit\n"
        "police.uk,Burglary,100,days\n"
        "police.uk,Robbery,300,days\n"
        "police.uk,Violence and sexual offences,20,days\n"
        "police.uk,Drugs,excluded,days\n"
    )
    return read_harm_weights(path)


def frame(rows):
    return pd.DataFrame(rows, columns=["month", "category", "count"])


def test_harm_totals_and_shares_by_hand(weights):
    counts = frame([
        ("2022-01", "Burglary", 2), ("2022-02", "Burglary", 2),          # 4 x 100 = 400
        ("2022-01", "Robbery", 1),                                       # 1 x 300 = 300
        ("2022-01", "Violence and sexual offences", 15),                 # 15 x 20 = 300
        ("2022-01", "Drugs", 7),                                         # excluded
        ("2022-01", "Shoplifting", 9),                                   # no weight
        ("2022-01", "Vehicle crime", 0),                                 # no crimes: not listed
    ])
    p = harm_by_category(counts, weights, scheme="police.uk")
    # total 1,000 days over 20 weighted crimes
    assert p.total_harm == 1000.0
    assert p.weighted_count == 20
    t = p.table.set_index("category")
    assert list(p.table["category"]) == ["Burglary", "Robbery", "Violence and sexual offences"]
    assert t.loc["Burglary", "harm_share_pct"] == pytest.approx(40.0)
    assert t.loc["Burglary", "volume_share_pct"] == pytest.approx(20.0)     # 4 / 20
    assert t.loc["Robbery", "harm_share_pct"] == pytest.approx(30.0)
    assert t.loc["Robbery", "volume_share_pct"] == pytest.approx(5.0)       # 1 / 20
    assert t.loc["Violence and sexual offences", "volume_share_pct"] == pytest.approx(75.0)
    assert p.unweighted.to_dict("records") == [{"category": "Shoplifting", "count": 9}]
    assert p.excluded.to_dict("records") == [{"category": "Drugs", "count": 7}]
    assert p.missing_weights == ["Shoplifting"]
    assert p.unit == "days"
    # 1,000 days among 4,000 residents: 250 per 1,000
    assert harm_per_1000(p, 4000) == pytest.approx(250.0)
    assert math.isnan(harm_per_1000(p, 0))


def test_category_column_and_case_do_not_matter(weights):
    counts = pd.DataFrame({"crime_type": ["BURGLARY", "robbery"], "count": [1, 2]})
    p = harm_by_category(counts, weights, scheme="police.uk", category="crime_type")
    assert p.total_harm == 100 + 2 * 300


def test_a_scheme_the_file_lacks_leaves_everything_unweighted(weights):
    p = harm_by_category(frame([("2022-01", "Burglary", 3)]), weights, scheme="mps-major")
    assert p.total_harm == 0
    assert p.missing_weights == ["Burglary"]
    assert p.table.empty


def test_harm_change_between_two_windows_by_hand(weights):
    counts = frame([
        # previous window 2021-01..2021-03
        ("2021-01", "Burglary", 3), ("2021-03", "Robbery", 1), ("2021-02", "Shoplifting", 4),
        # current window 2021-04..2021-06
        ("2021-04", "Burglary", 1), ("2021-06", "Robbery", 2),
        ("2021-05", "Violence and sexual offences", 5),
        # outside both windows: ignored
        ("2020-12", "Burglary", 50), ("2021-07", "Robbery", 50),
    ])
    current = Window("2021-04", "2021-06")
    c = harm_change(counts, weights, scheme="police.uk", current=current,
                    previous=current.previous())
    # previous: 3 x 100 + 1 x 300 = 600; current: 100 + 600 + 100 = 800
    assert c.previous_total == 600.0
    assert c.total == 800.0
    assert c.change_pct == pytest.approx(100 * 200 / 600)
    t = c.table.set_index("category")
    assert t.loc["Robbery", "change"] == 300.0
    assert t.loc["Robbery", "change_pct"] == pytest.approx(100.0)
    assert t.loc["Burglary", "change"] == -200.0
    assert t.loc["Violence and sexual offences", "previous_harm"] == 0.0
    assert math.isnan(t.loc["Violence and sexual offences", "change_pct"])
    # largest absolute change first
    assert list(c.table["category"]) == ["Robbery", "Burglary", "Violence and sexual offences"]
    assert c.previous.missing_weights == ["Shoplifting"]
    assert c.current.missing_weights == []


@pytest.mark.shared_data
def test_newport_harm_from_the_gwent_files_matches_an_independent_sum(shared_data, weights):
    import csv

    from slp.sources.street import read_street

    folder = shared_data / "police-uk" / "gwent-all-crime"
    wanted = {"Burglary": 100, "Robbery": 300, "Violence and sexual offences": 20}
    expected, drugs = 0, 0
    for month in pd.period_range("2024-07", "2025-06", freq="M"):
        name = folder / str(month) / f"{month}-gwent-street.csv"
        with open(name, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["LSOA name"].startswith("Newport "):
                    expected += wanted.get(row["Crime type"], 0)
                    drugs += row["Crime type"] == "Drugs"
    crime = read_street(folder).data
    newport = crime.loc[crime["borough"] == "Newport"]
    window = Window.ending("2025-06", 12)
    change = harm_change(newport, weights, scheme="police.uk", current=window,
                         previous=window.previous(), category="crime_type")
    assert change.total == expected
    assert change.current.excluded.set_index("category")["count"].to_dict() == {"Drugs": drugs}
    assert "Anti-social behaviour" in change.current.missing_weights


def test_publishable_profile_takes_hidden_categories_out_of_every_total(weights):
    counts = frame([("2022-01", "Burglary", 10), ("2022-01", "Robbery", 2),
                    ("2022-01", "Violence and sexual offences", 3), ("2022-01", "Drugs", 7)])
    p = harm_by_category(counts, weights, scheme="police.uk")
    assert p.total_harm == 1000 + 600 + 60
    shown = publishable_profile(p, DisclosureRule(threshold=5))
    # robbery (2) and violence (3) are below 5: out of the totals, counts shown as "<5"
    assert shown.total_harm == 1000.0
    assert shown.weighted_count == 10
    assert shown.table.to_dict("records") == [
        {"category": "Burglary", "count": 10, "weight": 100.0, "harm": 1000.0,
         "volume_share_pct": 100.0, "harm_share_pct": 100.0}]
    assert shown.excluded.to_dict("records") == [
        {"category": "Drugs", "count": 7}, {"category": "Robbery", "count": "<5"},
        {"category": "Violence and sexual offences", "count": "<5"}]
    assert publishable_profile(p, DisclosureRule(audience="internal")) is p
    assert publishable_profile(p, DisclosureRule(threshold=2)) is p  # nothing below 2


def test_publishable_change_drops_a_category_hidden_in_either_window(weights):
    counts = frame([
        ("2021-01", "Burglary", 6), ("2021-01", "Robbery", 2),          # robbery hidden then
        ("2021-01", "Violence and sexual offences", 10),
        ("2021-02", "Burglary", 8), ("2021-02", "Robbery", 6),
        ("2021-02", "Violence and sexual offences", 10),
    ])
    now = Window("2021-02", "2021-02")
    change = harm_change(counts, weights, scheme="police.uk", current=now,
                         previous=now.previous())
    # unsuppressed: then 600 + 600 + 200 = 1,400; now 800 + 1,800 + 200 = 2,800
    assert (change.previous_total, change.total) == (1400.0, 2800.0)
    shown = publishable_change(change, DisclosureRule(threshold=5))
    # robbery leaves both windows: then 600 + 200 = 800, now 800 + 200 = 1,000: +25%
    assert (shown.previous_total, shown.total) == (800.0, 1000.0)
    assert shown.change_pct == pytest.approx(25.0)
    assert "Robbery" not in set(shown.table["category"])
    # now 6 robberies: not small, so the count stays shown beside the other excluded ones
    assert shown.current.excluded.to_dict("records") == [{"category": "Robbery", "count": 6}]
    assert publishable_change(change, DisclosureRule(audience="internal")) is change
