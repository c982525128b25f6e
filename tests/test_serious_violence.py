"""The serious violence page: the local definition, its figures against the crime frame summed
independently, wards, drug offences, harm by a hand-made weights file, the local inputs."""

from __future__ import annotations

import dataclasses
import re

import pytest

from slp.sections import serious_violence as sv


def with_params(a, **changes):
    return dataclasses.replace(a, params=dataclasses.replace(a.params, **changes))


def window_sum(a, frame, column, value):
    months = {str(m) for m in a.window.periods}
    rows = frame[(frame["borough"] == a.borough) & (frame[column] == value)
                 & frame["month"].astype(str).isin(months)]
    return int(rows["count"].sum())


def test_profile_counts_are_the_crime_frame_summed(demo_assessment):
    a = demo_assessment
    html = sv.profile(a).html()
    for minor in ("Violence with Injury", "Robbery of Personal Property", "Rape"):
        n = window_sum(a, a.crime.data, "minor", minor)
        assert re.search(rf'<th scope="row">{minor}</th><td class="num">{n:,}</td>', html), minor
    weapons = window_sum(a, a.crime.data, "major", "Possession of Weapons")
    assert f'Possession of Weapons</th><td class="num">{weapons:,}</td>' in html
    assert 'id="serious-violence-profile"' in html


def test_a_detailed_category_under_a_named_main_one_is_not_counted_twice(demo_assessment):
    a = with_params(demo_assessment, serious_violence=(
        "VIOLENCE AGAINST THE PERSON", "homicide", "Knife Murders"))
    rows, missing = sv.matched(a)
    assert list(rows["category"]) == ["Violence Against the Person"]
    assert missing == ["Knife Murders"]
    assert "Not in the recorded-crime files for this period: Knife Murders." in (
        sv.definition(a).html())


def test_wards_add_up_to_the_ward_file(demo_assessment):
    a = demo_assessment
    html = sv.where(a).html()
    data = a.ward.data
    keep = data["minor"].isin(["Homicide", "Violence with Injury", "Robbery of Personal Property",
                               "Rape"]) | (data["major"] == "Possession of Weapons")
    central = data[keep & (data["ward_name"] == "Wexbridge Central")]
    n = window_sum(a, central, "borough", a.borough)
    assert f'Wexbridge Central</th><td class="num">{n:,}</td>' in html


def test_drug_possession_and_trafficking_are_apart_with_the_caveat(demo_assessment):
    a = demo_assessment
    html = sv.substance_misuse(a).html()
    for minor in ("Possession of Drugs", "Drug Trafficking"):
        n = window_sum(a, a.crime.data, "minor", minor)
        assert f'{minor}</th><td class="num">{n:,}</td>' in html
    assert "measure police activity" in html
    assert 'id="local-substance-misuse"' in html and "FICTIONAL" in html


def test_harm_with_a_hand_made_weights_file(demo_assessment, tmp_path):
    """Robbery weighted 100 days and burglary 10, drugs excluded: harm per 1,000 is
    (100 x robberies + 10 x burglaries) / residents x 1,000."""
    path = tmp_path / "w.csv"
    path.write_text("scheme,category,weight,unit,source\nmps-major,ROBBERY,100,days,hand-made\n"
                    "mps-major,Burglary,10,days,\nmps-major,Drug Offences,excluded,days,\n")
    a = with_params(demo_assessment, sources=dataclasses.replace(
        demo_assessment.params.sources, harm_weights=path))
    robbery = window_sum(a, a.crime.data, "major", "Robbery")
    burglary = window_sum(a, a.crime.data, "major", "Burglary")
    residents = float(a.residents[a.borough])
    expected = 1000 * (100 * robbery + 10 * burglary) / residents
    html = sv.harm(a).html()
    assert f"Harm was {expected:,.1f} per 1,000 residents" in html
    share = 100 * 100 * robbery / (100 * robbery + 10 * burglary)
    assert f"Robbery caused the most harm: {share:.1f}% of the harm" in html
    assert "Drug Offences" in html and "no weight in the file" in html  # theft etc. listed
    assert "illustrative" in html  # the demo says its weights are made up


def test_harm_without_weights_says_why(lewisham_assessment):
    html = sv.harm(lewisham_assessment).html()
    assert "No harm-weights file is configured" in html
    assert "Cambridge Crime Harm Index has no licence" in html


def test_lewisham_shows_recorded_crime_and_not_supplied(lewisham_assessment):
    a = lewisham_assessment
    html = sv.profile(a).html()
    n = window_sum(a, a.crime.data, "minor", "Violence with Injury")
    assert f'Violence with Injury</th><td class="num">{n:,}</td>' in html
    assert "Not supplied: local input" in sv.reoffending(a).html()
    assert "No MPS Monthly Crime Dashboard file is configured" in sv.knife_gun(a).html()


@pytest.mark.parametrize("name", sv.__all__)
def test_every_section_renders_on_the_demo(demo_assessment, name):
    if name != "title":
        assert getattr(sv, name)(demo_assessment).html()


def test_trend_is_the_definitions_monthly_sum(demo_assessment):
    a = demo_assessment
    data = a.crime.data
    last = data[(data["borough"] == a.borough) & (data["month"] == a.period_end)]
    keep = last["minor"].isin(["Homicide", "Violence with Injury", "Robbery of Personal Property",
                               "Rape"]) | (last["major"] == "Possession of Weapons")
    n = int(last.loc[keep, "count"].sum())
    html = sv.trend(a).html()
    assert f'{a.period_end:%b %Y}</th><td class="num">{n:,}</td>' in html
