"""Issue 11 on the pages: every table and sentence judges changes against the area's normal
variation, with the usual range, and a verdict beside a hidden count is withheld with it."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd

from slp import narrative
from slp.disclosure import DisclosureRule
from slp.sections import _shared, covid, summary, trends


def text_of(block) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", block.html()).split())


def test_a_verdict_beside_a_hidden_count_is_withheld_with_it():
    frame = pd.DataFrame({"Crime category": ["Robbery", "Theft"],
                          "Last 12 months": [3, 120], "Previous 12 months": [30, 100],
                          "Change": [-90.0, 20.0],
                          narrative.VERDICT_COLUMN: ["larger fall than usual",
                                                     "within normal variation"],
                          _shared.USUAL_RANGE: ["-20.0% to +15.0%", "-9.0% to +12.0%"]})
    shown = _shared.publish_table(SimpleNamespace(rule=DisclosureRule()), frame,
                                  "Last 12 months", "Previous 12 months")
    robbery, theft = shown.frame.to_dict("records")
    assert robbery["Last 12 months"] == "<5"
    assert robbery[narrative.VERDICT_COLUMN] is None and robbery[_shared.USUAL_RANGE] is None
    assert theft[narrative.VERDICT_COLUMN] == "within normal variation"
    assert theft[_shared.USUAL_RANGE] == "-9.0% to +12.0%"


def test_lewisham_tables_carry_the_verdict_and_the_usual_range(lewisham_assessment):
    a = lewisham_assessment
    crime_types = text_of(summary.crime_types(a))
    assert narrative.VERDICT_COLUMN in crime_types and _shared.USUAL_RANGE in crime_types
    comparators = text_of(trends.comparators(a))
    assert "Changed differently from London?" in comparators
    # Lewisham's own row: within, usual range -8.9% to +12.2% (issue 11 known answer)
    assert re.search(r"Lewisham 28,409 .*? within normal variation -8\.9% to \+12\.2% no",
                     comparators)
    notes = text_of(summary.data_notes(a))
    assert "How to read the changes" in notes
    assert "12-month changes 2012-03..2020-02, n=96" in notes  # the headline's reference


def test_lewisham_covid_page_leads_with_the_year_before_the_pandemic(lewisham_assessment):
    words = text_of(covid.pre_pandemic(lewisham_assessment))
    assert words.startswith("All crime: ")
    first = words.split(". ")[0]
    assert "the 12 months before the pandemic (March 2019 to February 2020): " in first
    assert any(v in first for v in ("within the range of normal year-to-year variation",
                                    "a larger rise than usual", "a larger fall than usual"))
    projection = text_of(covid.expected_vs_observed(lewisham_assessment))
    assert "the level the 2017-2020 trend would have reached" in projection
    assert "chance alone" not in projection
