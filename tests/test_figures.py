"""figures.json: the contract, and disclosure control applied to every published count."""

from __future__ import annotations

import pytest

from slp import figures
from slp.params import Disclosure, Params

NUMBERS = {
    "borough": "Lewisham", "period_end": "2022-09", "population_source": "ONS",
    "headline": [{"months": 12, "start": "2021-10", "end": "2022-09", "count": 28409,
                  "previous_count": 26636, "change_pct": 6.66, "rate_per_1000": 93.05,
                  "london_change_pct": 11.53, "rank": 14, "rank_of": 32, "verdict": "within",
                  "usual_range_pct": [-8.9, 12.2], "z": 0.88,
                  "reference": "12-month changes 2012-03..2020-02, n=96",
                  "differs_from_london": False, "method": "history", "p_value": 0.38}],
    "categories": [
        {"category": "Robbery", "months": 12, "count": 3, "previous_count": 7,
         "change_pct": -57.14, "london_change_pct": 2.0, "rate_per_1000": 0.01, "rank": 30,
         "rank_of": 32, "verdict": None, "usual_range_pct": [-20.0, 25.0], "z": None,
         "reference": "12-month changes 2012-03..2020-02, n=96", "differs_from_london": False,
         "method": "too few crimes", "p_value": None},
        {"category": "Burglary", "months": 12, "count": 0, "previous_count": 12,
         "change_pct": -100.0, "london_change_pct": 1.0, "rate_per_1000": 0.0, "rank": 32,
         "rank_of": 32, "verdict": None, "usual_range_pct": None, "z": None,
         "reference": "12-month changes 2012-03..2020-02, n=96", "differs_from_london": True,
         "method": "too few crimes", "p_value": None},
    ],
}


def params(audience="public", threshold=5):
    return Params(borough="Lewisham", period_end="2022-09", audience=audience,
                  disclosure=Disclosure(threshold=threshold))


def test_public_figures_hide_small_counts_and_the_change_that_would_reveal_them():
    out = figures.publishable(NUMBERS, params())
    robbery, burglary = out["categories"]
    assert robbery["count"] == "<5" and robbery["previous_count"] == 7
    assert robbery["change_pct"] is None  # -57.14% of 7 would give the 3 back
    assert robbery["rate_per_1000"] is None  # rate x population would give it back too
    assert burglary["count"] == 0 and burglary["change_pct"] == -100.0  # zero is not suppressed
    assert out["headline"][0]["count"] == 28409
    assert out["disclosure"] == {"applied": True, "threshold": 5}
    assert NUMBERS["categories"][0]["count"] == 3  # the input is not changed


def test_threshold_is_configurable():
    out = figures.publishable(NUMBERS, params(threshold=10))
    assert out["categories"][0]["previous_count"] == "<10"


def test_internal_audience_shows_everything_and_says_so():
    out = figures.publishable(NUMBERS, params("internal"))
    assert out["categories"][0]["count"] == 3
    assert out["disclosure"]["applied"] is False
    assert "not for publication" in out["disclosure"]["note"]


@pytest.mark.parametrize(("value", "digits", "expected"), [
    (6.6612, 2, 6.66), (float("nan"), 2, None), (3, None, 3)])
def test_clean_scalars(value, digits, expected):
    assert figures._clean(value, digits) == expected


def test_text_rendering_shows_suppressed_counts_as_text():
    text = figures.as_text(figures.publishable(NUMBERS, params()))
    assert "28,409 crimes" in text and "rank 14 of 32" in text


def test_a_change_from_zero_is_null_in_the_json():
    numbers = {"headline": NUMBERS["headline"], "categories": [
        {"category": "Other Firearm Offences", "months": 12, "count": 18, "previous_count": 0,
         "change_pct": None, "rate_per_1000": 0.06, "london_change_pct": 1.0, "rank": 3,
         "rank_of": 32, "verdict": None, "z": None, "p_value": None}]}
    row = figures.publishable(numbers, params())["categories"][0]
    assert row["count"] == 18 and row["change_pct"] is None


def test_the_verdict_beside_a_hidden_count_is_withheld():
    """Robbery's 3 crimes are hidden: its usual range and whether it differs from London go
    with them (a verdict on a hidden count must not appear); the headline keeps its verdict."""
    out = figures.publishable(NUMBERS, params())
    robbery, burglary = out["categories"]
    for key in ("verdict", "usual_range_pct", "z", "differs_from_london", "method", "p_value",
                "reference"):
        assert robbery[key] is None, key
    assert burglary["differs_from_london"] is True  # 0 and 12 are both shown
    head = out["headline"][0]
    assert head["verdict"] == "within" and head["usual_range_pct"] == [-8.9, 12.2]
    assert head["z"] == 0.88 and head["differs_from_london"] is False
    assert "significant" not in head


def test_the_contract_keys_replace_significant_with_the_verdict():
    for keys in (figures.HEADLINE_KEYS, figures.CATEGORY_KEYS):
        assert {"verdict", "usual_range_pct", "z", "reference", "differs_from_london"} <= set(keys)
        assert "significant" not in keys
