"""figures.json: the contract, and disclosure control applied to every published count."""

from __future__ import annotations

import pytest

from slp import figures
from slp.params import Disclosure, Params

NUMBERS = {
    "borough": "Lewisham", "period_end": "2022-09", "population_source": "ONS",
    "headline": [{"months": 12, "start": "2021-10", "end": "2022-09", "count": 28409,
                  "previous_count": 26636, "change_pct": 6.66, "rate_per_1000": 93.05,
                  "london_change_pct": 11.53, "rank": 14, "rank_of": 32, "significant": True,
                  "p_value": 0.0}],
    "categories": [
        {"category": "Robbery", "months": 12, "count": 3, "previous_count": 7,
         "change_pct": -57.14, "london_change_pct": 2.0, "rate_per_1000": 0.01, "rank": 30,
         "rank_of": 32, "significant": False, "p_value": 0.34},
        {"category": "Burglary", "months": 12, "count": 0, "previous_count": 12,
         "change_pct": -100.0, "london_change_pct": 1.0, "rate_per_1000": 0.0, "rank": 32,
         "rank_of": 32, "significant": True, "p_value": 0.0005},
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
         "rank_of": 32, "significant": True, "p_value": 0.0}]}
    row = figures.publishable(numbers, params())["categories"][0]
    assert row["count"] == 18 and row["change_pct"] is None
