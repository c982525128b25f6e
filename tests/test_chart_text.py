"""Alt-text helpers: ranks, funnel positions, signs and sentences worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from slp import chart_text


def test_competition_ranks_share_ties_and_put_missing_last():
    # 10 is 1st; the two 7s both have one value above them (joint 2nd); 3 has three above (4th)
    assert chart_text.competition_ranks([10, 7, 7, 3, math.nan]) == [1, 2, 2, 4, 5]


def test_funnel_position_against_each_limit():
    limits = (90.0, 110.0, 80.0, 120.0)  # lower 95, upper 95, lower 99.8, upper 99.8
    assert chart_text.funnel_position(121, *limits) == "above the upper 99.8% limit"
    assert chart_text.funnel_position(115, *limits) == "above the upper 95% limit"
    assert chart_text.funnel_position(100, *limits) == "within the 95% limits"
    assert chart_text.funnel_position(85, *limits) == "below the lower 95% limit"
    assert chart_text.funnel_position(79, *limits) == "below the lower 99.8% limit"


def test_signed_values_carry_one_sign():
    assert chart_text.signed(12.34, "rate") == "+12.3"
    assert chart_text.signed(-4.0, "rate") == "-4.0"
    assert chart_text.signed(-0.04, "rate") == "+0.0"  # rounds to zero: no minus sign
    assert chart_text.signed(-6.66, "percent") == "-6.7%"
    assert chart_text.signed(6.66, "percent") == "+6.7%"


def test_series_sentence_skips_hidden_values():
    months = pd.date_range("2021-01-01", periods=4, freq="MS")
    sentence = chart_text.series_sentence("Robbery", months, [np.nan, 12, 30, 9], "count")
    assert sentence == ("Robbery went from 12 in February 2021 to 9 in April 2021; highest 30 in "
                        "March 2021, lowest 9 in April 2021.")
    assert chart_text.series_sentence("Robbery", months, [np.nan] * 4, "count") == (
        "Robbery: no values shown.")


def test_change_alt_when_nothing_rose():
    alt = chart_text.change_alt(["Theft", "Burglary"], np.array([-10.0, -2.5]),
                                np.array([-5.0, 1.0]), "Lewisham", "London", None)
    assert alt == ("Bar chart of percentage change by category: Lewisham compared with London, "
                   "2 categories. No category increased in Lewisham. The biggest decrease in "
                   "Lewisham was Theft (-10.0%; London -5.0%). Lewisham's change was above "
                   "London's in 0 of 2 categories.")
