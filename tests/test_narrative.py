"""Words from numbers: the sentences the plan's analysts wrote by hand, generated."""

from __future__ import annotations

import pytest

from slp import narrative
from slp.variation import VERDICTS


@pytest.mark.parametrize(("n", "text"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"),
                                          (11, "11th"), (12, "12th"), (13, "13th"),
                                          (14, "14th"), (21, "21st"), (22, "22nd"),
                                          (32, "32nd"), (101, "101st"), (111, "111th")])
def test_ordinal(n, text):
    assert narrative.ordinal(n) == text


def test_headline_sentence_matches_the_issue_example():
    # Figures from the plan: 28,409 vs 26,636 is +6.66%; London 859,736 vs 770,881 is +11.53%.
    row = {"months": 12, "end": "2022-09", "count": 28409, "change_pct": 6.66,
           "london_change_pct": 11.53}
    assert narrative.headline_sentence("Lewisham", row) == (
        "Lewisham recorded 28,409 crimes in the 12 months to September 2022, 6.7% more than in "
        "the previous 12 months; across London crime rose 11.5%.")


def test_headline_sentence_states_the_verdict_the_year_earlier_and_falls():
    # 3 months: 7,312 against 7,637 before (-4.26%) and 7,100 a year earlier (+2.99%)
    row = {"months": 3, "end": "2022-09", "count": 7312, "change_pct": -4.26,
           "london_change_pct": -0.3, "verdict_words": "within the range of normal variation",
           "year_earlier_change_pct": 100 * (7312 / 7100 - 1),
           "year_earlier_words": "a larger rise than usual"}
    text = narrative.headline_sentence("Lewisham", row)
    assert ("4.3% fewer than in the previous 3 months: within the range of normal variation; "
            "3.0% more than in the same months a year earlier: a larger rise than usual;") in text
    assert text.endswith("across London crime fell 0.3%.")
    assert "significant" not in text


def test_suppressed_counts_are_words_not_numbers():
    row = {"months": 12, "end": "2022-09", "count": "<5", "change_pct": None,
           "london_change_pct": 2.0}
    text = narrative.headline_sentence("Lewisham", row, noun="gun crime")
    assert "recorded fewer than 5 gun crimes" in text
    assert "cannot be shown" in text


def test_rank_sentence_with_comparators():
    # 28,409 / 305.309 = 93.04999..., which the plan publishes as 93.0
    text = narrative.rank_sentence("Lewisham", 14, 32, 28409 / 305.309,
                                   comparators={"Greenwich": 99.0, "Southwark": 120.0})
    assert text == ("Lewisham had the 14th highest crime rate of the 32 London boroughs (93.0 per "
                    "1,000 residents). Of its comparators, Greenwich and Southwark have a higher "
                    "rate.")


def test_category_sentence_like_the_plan():
    # Plan: "Violence against the person is the most common crime type in Lewisham with 8.9
    # thousand incidents recorded ... increase of 9.1% ... 6.9% ... London ... 12th highest rate"
    row = {"category": "Violence Against the Person", "count": 8881, "change_pct": 9.1,
           "london_change_pct": 6.9, "rank": 12, "rank_of": 32}
    assert narrative.category_sentence("Lewisham", row, most_common=True) == (
        "Violence against the person is the most common crime type in Lewisham, with 8,881 "
        "offences recorded, 9.1% more than in the previous 12 months (London: +6.9%); the 12th "
        "highest rate of 32 London boroughs.")


def test_pre_pandemic_sentence():
    assert narrative.pre_pandemic_sentence("THEFT", -19.0) == (
        "Theft is 19.0% lower than before the pandemic.")
    assert narrative.pre_pandemic_sentence("Drug Offences", 12.34, judged="within") == (
        "Drug offences is 12.3% higher than before the pandemic (within the range of normal "
        "year-to-year variation).")
    assert narrative.pre_pandemic_sentence("Theft", -30.0, "larger_fall").endswith(
        "lower than before the pandemic (a larger fall than usual).")
    assert narrative.pre_pandemic_sentence("Theft", -30.0, "larger_fall", (-12.0, 9.5)) == (
        "Theft is 30.0% lower than before the pandemic (a larger fall than usual; usual range "
        "-12.0% to +9.5%).")
    assert "cannot be compared" in narrative.pre_pandemic_sentence("Robbery", None)


def test_change_phrase_rounds_to_no_change():
    assert narrative.change_phrase(0.04) == "about the same number"
    assert narrative.direction(-0.04) == "was unchanged"


def test_rank_labels_mark_shared_ranks():
    assert narrative.rank_label(3) == "3"
    assert narrative.rank_label(3, tied=True) == "=3"
    assert narrative.rank_label(None) == "-"


def test_every_verdict_word_comes_from_one_function():
    """Issue 11: the words of the verdicts against normal variation, never "significant"."""
    assert narrative.verdict("within") == "within the range of normal year-to-year variation"
    assert narrative.verdict("larger_rise") == "a larger rise than usual"
    assert narrative.verdict("larger_fall") == "a larger fall than usual"
    assert narrative.verdict(None) == "" and narrative.verdict(float("nan")) == ""
    assert narrative.verdict_cell("within") == "within normal variation"
    assert narrative.verdict_cell(None) == "too few crimes to judge"
    words = [narrative.verdict(v, f) for v in (*VERDICTS, True, False, None)
             for f in ("clause", "cell", "aside")]
    words += [narrative.verdict(form=f) for f in ("column", "headline_column", "note",
                                                  "counted", "described")]
    assert not [w for w in words if "significan" in w.lower()]


def test_usual_range_and_london_difference():
    assert narrative.usual_range(-8.94, 12.2) == "-8.9% to +12.2%"
    assert narrative.usual_range(None, 3.0) == ""
    assert "in line with London's" in narrative.london_difference("Lewisham", False)
    assert "differed from London's" in narrative.london_difference("Lewisham", True)
    assert narrative.london_difference("London", None) == ""


def test_the_projection_is_named_and_the_chance_sentence_is_gone():
    lines = narrative.expected_sentences("Lewisham", 28409, 30000, 2)
    assert "the level the 2017-2020 trend would have reached is 30,000" in lines[0]
    assert "5.3% fewer" in lines[0]  # 28,409 / 30,000 - 1 = -5.30%
    assert not any("chance alone" in line or "0.6 of 12" in line for line in lines)


def test_a_change_from_nothing_is_said_as_such():
    row = {"months": 12, "end": "2022-09", "count": 18, "change_pct": "n/a",
           "london_change_pct": 2.0}
    text = narrative.headline_sentence("Lewisham", row, noun="firearm offence")
    assert "recorded 18 firearm offences in the 12 months to September 2022, against none in " \
           "the previous 12 months;" in text
    assert "cannot be shown" not in text


def test_a_shared_rank_is_joint():
    row = {"category": "Other Knife Offences", "count": 0, "rank": 3, "rank_of": 32,
           "rank_tied": True}
    assert narrative.category_sentence("Lewisham", row).endswith(
        "; the joint 3rd highest rate of 32 London boroughs.")


def test_category_verdicts_carry_their_usual_range():
    row = {"category": "THEFT", "count": 5538, "change_pct": 17.96}
    words = ("within the range of normal year-to-year variation (12-month changes in theft in "
             "Lewisham were between -13.4% and +12.1% in nine years out of ten, 2012-2020)")
    text = narrative.category_trend_sentence("Lewisham", row, words)
    assert text.endswith("than in the previous 12 months. Within the range of normal "
                         "year-to-year variation (12-month changes in theft in Lewisham were "
                         "between -13.4% and +12.1% in nine years out of ten, 2012-2020).")
    assert narrative.category_trend_sentence("Lewisham", row, None).endswith("12 months.")
    assert narrative.largest_rise_sentence("Theft", 17.96, 33.2, None).endswith(
        "; too few crimes to judge the change.")
