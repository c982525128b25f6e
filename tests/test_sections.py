"""The report sections: words from the real numbers, honest gaps, disclosure applied."""

from __future__ import annotations

import dataclasses
import re

import pytest

from slp.sections import covid, domestic_abuse, hate_crime, knife_gun, summary, trends, ward_maps


def text_of(block) -> str:
    return re.sub(r"<[^>]+>", " ", block.html())


SECTIONS = [(summary, n) for n in ("headline", "borough_ranking", "funnel", "crime_types",
                                   "data_notes")] + \
    [(trends, n) for n in ("monthly_trend", "seasonality", "category_trends", "largest_changes",
                           "comparators")] + \
    [(covid, n) for n in ("covid_rates", "expected_vs_observed", "pre_pandemic")] + \
    [(domestic_abuse, "domestic_abuse"), (domestic_abuse, "vawg_recorded"),
     (knife_gun, "knife_gun"), (knife_gun, "weapon_possession"),
     (hate_crime, "hate_crime"), (hate_crime, "hate_crime_strands")] + \
    [(ward_maps, n) for n in ("ward_rates", "ward_change", "hotspots", "interactive_ward_map")]


@pytest.mark.parametrize(("page", "name"), SECTIONS,
                         ids=[f"{m.__name__.rsplit('.', 1)[1]}.{n}" for m, n in SECTIONS])
def test_every_section_renders_for_lewisham(lewisham_assessment, page, name):
    html = getattr(page, name)(lewisham_assessment).html()
    assert html.strip()
    assert "<h1" not in html  # one h1 per page, from the title only


def test_lewisham_summary_states_the_plans_figures(lewisham_assessment):
    words = text_of(summary.headline(lewisham_assessment))
    # the plan: 28.4 thousand crimes, +6.5% (6.66% from these files), London +11.6% (11.53%)
    assert "Lewisham recorded 28,409 crimes in the 12 months to September 2022, 6.7% more" in words
    assert "across London crime rose 11.5%" in words
    assert "14th highest crime rate of the 32 London boroughs (93.0 per 1,000 residents)" in words
    assert "Greenwich and Southwark have a higher rate" in words
    assert "Violence against the person is the most common crime type in Lewisham, with 8,881" in words
    assert "largest rise among the main crime categories was in sexual offences" in words


def test_lewisham_notes_compare_with_the_published_plan(lewisham_assessment):
    words = text_of(summary.data_notes(lewisham_assessment))
    assert "ONS mid-2020 small-area population estimates" in words
    assert "Safer Lewisham Partnership Plan 2023-24" in words
    assert re.search(r"\d+ of the 13 figures published .* differ slightly", words)


def test_lewisham_wards_match_the_known_answers(lewisham_assessment):
    words = text_of(ward_maps.ward_rates(lewisham_assessment))
    assert "Rushey Green recorded the most crimes: 2,561" in words
    assert "The 19 wards together recorded 27,726 crimes" in words


def test_missing_dashboard_is_said_plainly_never_invented(lewisham_assessment):
    da = text_of(domestic_abuse.domestic_abuse(lewisham_assessment))
    assert "No MPS Monthly Crime Dashboard file is configured for this run" in da
    assert not re.search(r"\d", da.split("sources.dashboard")[1].split(".")[0])
    knife = text_of(knife_gun.knife_gun(lewisham_assessment))
    assert "shows no knife or gun crime figures" in knife


def test_ward_file_without_the_previous_year_says_so(lewisham_assessment):
    # vintage-2023-09 starts in September 2021: no October 2020 - September 2021 by ward
    words = text_of(ward_maps.ward_change(lewisham_assessment))
    assert "cannot be shown" in words


def test_possession_offences_are_labelled_as_possession(lewisham_assessment):
    words = text_of(knife_gun.weapon_possession(lewisham_assessment))
    assert "possession of weapons offences" in words.lower()
    assert "not the knife-crime flag" in words


def test_demo_dashboard_sections_use_the_dashboard(demo_assessment):
    words = text_of(domestic_abuse.domestic_abuse(demo_assessment))
    assert re.search(r"There were [\d,]+ domestic abuse offences recorded in Wexbridge", words)
    knife = text_of(knife_gun.knife_gun(demo_assessment))
    assert "gun crime" in knife and "knife crime with injury" in knife


def test_small_counts_are_suppressed_for_the_public_and_shown_internally(demo_assessment):
    public = knife_gun.knife_gun(demo_assessment).html()
    internal_params = dataclasses.replace(demo_assessment.params, audience="internal")
    internal = knife_gun.knife_gun(dataclasses.replace(demo_assessment, params=internal_params)).html()
    # gun crime is 0-6 a month in the demo: its monthly data table must hide 1-4 for the public
    assert "&lt;5" in public
    assert "&lt;5" not in internal
