"""The pages that must say what police.uk cannot, on a police.uk run: the demo assessment dressed
as one (classification "police.uk", force "Wexshire Police", police.uk's crime types), with
hand-written expectations, and no "London" in any of their words."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from slp.sections import (
    asb,
    covid,
    domestic_abuse,
    hate_crime,
    knife_gun,
    serious_violence,
    statutory,
    ward_maps,
)

FORCE = "Wexshire Police"
#: The demo's MPS main categories as police.uk crime types (police.uk has no finer level).
POLICE_UK_TYPES = {
    "Arson and Criminal Damage": "Criminal damage and arson", "Burglary": "Burglary",
    "Drug Offences": "Drugs", "Possession of Weapons": "Possession of weapons",
    "Public Order Offences": "Public order", "Robbery": "Robbery",
    "Sexual Offences": "Violence and sexual offences", "Theft": "Other theft",
    "Vehicle Offences": "Vehicle crime",
    "Violence Against the Person": "Violence and sexual offences",
}


def police_uk(a, *, first_month: str | None = None, **changes):
    """A copy of the demo assessment as a police.uk run (the shared fixture is not touched)."""
    data = a.crime.data
    data = data[data["major"].isin(POLICE_UK_TYPES)]
    kind = data["major"].map(POLICE_UK_TYPES)
    data = (data.assign(major=kind, minor=kind)
            .groupby(["borough", "major", "minor", "month"], as_index=False, observed=True)
            ["count"].sum())
    if first_month is not None:
        data = data[data["month"] >= pd.Period(first_month, "M")].reset_index(drop=True)
    crime = dataclasses.replace(a.crime, data=data, classification="police.uk", force=FORCE)
    return dataclasses.replace(a, crime=crime, **changes)


def words(block) -> str:
    html = block.html() if hasattr(block, "html") else str(block)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return text.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")


@pytest.fixture(scope="module")
def run(demo_assessment):
    return police_uk(demo_assessment, dashboard=None)


def test_the_run_is_a_police_uk_run(run):
    assert run.is_police_uk
    assert run.frame.whole == "the Wexshire Police area"


@pytest.mark.parametrize("section, flag, what", [
    (domestic_abuse.domestic_abuse, "domestic-abuse", "domestic-abuse figures"),
    (knife_gun.knife_gun, "knife-crime or gun-crime", "knife or gun crime figures"),
    (hate_crime.hate_crime, "hate-crime", "hate crime figures"),
    (serious_violence.knife_gun, "knife-crime or gun-crime", "knife or gun crime figures"),
])
def test_flag_pages_say_police_uk_has_no_such_flag(run, section, flag, what):
    text = words(section(run))
    assert f"data.police.uk has no {flag} flag" in text
    assert f"so {what} cannot be counted from them" in text
    assert "Wexshire Police's own data" in text
    assert "Home Office and ONS tables" in text
    assert "sources.dashboard" in text and "A force's own flagged-crime file" in text
    assert "London" not in text and "CONNECT" not in text


def test_hate_crime_strands_without_the_file(run):
    text = words(hate_crime.hate_crime_strands(run))
    assert text.strip() == ("No hate crime strands either: they need the same flagged data "
                            "from the force.")


def test_police_uk_violence_is_one_type_said_so(run):
    text = words(domestic_abuse.vawg_recorded(run))
    assert "both are in one crime type, 'Violence and sexual offences'" in text
    assert "cannot measure violence against women and girls" in text
    assert "Violence and sexual offences: " in text and " offences recorded" in text
    assert "of the 32 authorities in the Wexshire Police area" in text
    assert "London" not in text


def test_weapon_possession_names_the_frame(run):
    text = words(knife_gun.weapon_possession(run))
    assert "Wexshire Police area change" in text and "Rank of 32" in text
    assert "possession of knives, firearms and other offensive weapons together" in text
    assert "London" not in text


def test_covid_page_makes_no_comparison_before_the_data_start(demo_assessment):
    run = police_uk(demo_assessment, first_month="2022-07")
    first = words(covid.pre_pandemic(run))
    assert ("The data.police.uk files of this run start in July 2022, after the pandemic "
            "began") in first
    assert "makes no comparison with the months before or during the pandemic" in first
    for later in (covid.covid_rates, covid.expected_vs_observed):
        assert words(later(run)).strip() == (
            "Not shown: the police.uk files start in July 2022, after the pandemic began (see "
            "the first section).")
    assert "London" not in first


def test_covid_rates_name_the_force_area_when_the_files_reach_back(run):
    text = words(covid.covid_rates(run))
    assert "the Wexshire Police area" in text and "London" not in text


@pytest.mark.parametrize("section", [ward_maps.ward_rates, ward_maps.hotspots, asb.by_lsoa,
                                     asb.hotspots])
def test_ward_and_lsoa_pages_say_locations_are_approximate(run, section):
    text = words(section(run))
    assert "Locations are approximate: data.police.uk places each crime and incident 'on or " \
           "near' a point on a street" in text
    assert "London" not in text


def test_london_pages_do_not_carry_the_police_uk_statements(demo_assessment):
    for section in (ward_maps.ward_rates, asb.by_lsoa):
        assert "Locations are approximate" not in words(section(demo_assessment))
    assert "data.police.uk has no" not in words(
        domestic_abuse.domestic_abuse(dataclasses.replace(demo_assessment, dashboard=None)))


def test_welsh_area_cites_the_welsh_regulations(run):
    welsh = dataclasses.replace(run, area_codes={run.borough: "W06000022"})
    text = words(statutory.checklist(welsh))
    assert ("Crime and Disorder (Formulation and Implementation of Strategy) (Wales) "
            "Regulations 2007 (SI 2007/3076)") in text
    assert "SI 2007/1830" not in text
    assert "ranks among the 32 authorities in the Wexshire Police area" in text
    assert "London" not in text
    english = words(statutory.checklist(dataclasses.replace(run, area_codes={
        run.borough: "E06000001"})))
    assert "SI 2007/1830" in english and "SI 2007/3076" not in english


def test_serious_violence_on_police_uk_types(run):
    default = words(serious_violence.definition(run))
    assert "only 'Robbery' (of personal and of business property together) and 'Possession of " \
           "weapons' are police.uk types" in default
    assert "'Violence and sexual offences', which also holds common assault" in default
    assert "Not in the recorded-crime files for this period: Homicide, Violence with Injury, " \
           "Robbery of Personal Property, Rape." in default
    local = dataclasses.replace(run, params=dataclasses.replace(
        run.params, serious_violence=("Robbery", "Possession of weapons")))
    assert "The recorded-crime files hold every one of them." in words(
        serious_violence.definition(local))
    profile = words(serious_violence.profile(local))
    assert "Robbery: " in profile and "Possession of weapons: " in profile
    assert "Wexshire Police area change" in profile
    assert "Source: data.police.uk street files." in profile
    drugs = words(serious_violence.substance_misuse(local))
    assert "police.uk's 'Drugs' type does not separate possession from trafficking" in drugs
    assert "Drugs: " in drugs
    for text in (default, profile, drugs):
        assert "London" not in text


def test_a_definition_the_files_hold_none_of_says_so(run):
    none = dataclasses.replace(run, params=dataclasses.replace(
        run.params, serious_violence=("Homicide", "Rape")))
    assert "The recorded-crime files hold 0 of these 2 categories." in words(
        serious_violence.definition(none))


def test_a_local_flagged_file_in_the_readme_layout(run, tmp_path):
    """The layout and mapping the README documents, read by the dashboard reader, shown on the
    domestic abuse page with the force area as the frame."""
    import yaml

    from slp.sources.dashboard import read_dashboard
    from support import ROOT

    readme = (ROOT / "README.md").read_text()
    part = readme.split("### A force's own flagged-crime file", 1)[1].split("\n### ", 1)[0]
    header = re.search(r"```csv\n(.+?)\n", part).group(1)
    mapping = [b for b in re.findall(r"```yaml\n(.*?)```", part, re.S) if "domestic_abuse:" in b]
    (tmp_path / "measures.yaml").write_text(mapping[0])
    assert set(yaml.safe_load(mapping[0])) == {"domestic_abuse", "knife_crime"}
    rows = [header]
    months = pd.period_range(run.period_end - 23, run.period_end, freq="M")
    for i, area in enumerate(run.london):
        for month in months:  # 10 + i a month: this year's 12 months as last year's
            rows.append(f"{month},Borough,{area},{area},X,Domestic Abuse,Domestic Abuse,"
                        f"Offences,{10 + i}")
            rows.append(f"{month},Borough,{area},{area},X,Knife Crime,Knife Crime,Offences,3")
    (tmp_path / "flags.csv").write_text("\n".join(rows) + "\n")
    dash = read_dashboard(tmp_path / "flags.csv", mapping=tmp_path / "measures.yaml")
    assert dash.measures == ["domestic_abuse", "knife_crime"]
    local = dataclasses.replace(run, dashboard=dash)
    text = words(domestic_abuse.domestic_abuse(local))
    own = 12 * (10 + run.london.index(run.borough))
    assert f"There were {own:,} domestic abuse offences recorded in {run.borough}" in text
    assert "compared to no change across the Wexshire Police area" in text
    assert "of the 32 authorities in the Wexshire Police area" in text
    assert "Wexshire Police area change" in text and "Rank of 32" in text
    assert "the force's own data in the layout of the README section" in text
    assert "London" not in text and "CONNECT" not in text


@pytest.fixture(scope="module")
def newport(shared_data, tmp_path_factory):
    """The Newport reference run (12 months to June 2025) from the real Gwent files."""
    from slp import assessment
    from slp import params as params_mod
    from support import ROOT

    return assessment.load(params_mod.load(ROOT / "params" / "newport-2025-06.yaml"),
                           cache_dir=tmp_path_factory.mktemp("cache-newport"))


def test_newport_pages_on_the_real_gwent_files(newport):
    from slp.sections import outcomes

    assert newport.is_police_uk and newport.area_code == "W06000022"
    # the wards (counted from the street files) hold every crime the recorded-crime counts
    # give Newport (every LSOA code of these months is in the lookup)
    data = newport.crime.data
    window = data[(data["borough"] == "Newport") & (data["month"] >= newport.window.start)
                  & (data["month"] <= newport.window.end)]
    wards = newport.ward.data
    in_window = wards[(wards["borough"] == "Newport") & (wards["month"] >= newport.window.start)
                      & (wards["month"] <= newport.window.end)]
    assert int(in_window["count"].sum()) == int(window["count"].sum())
    assert "Ward figures are built from the police.uk street files" in words(
        ward_maps.ward_rates(newport))
    checklist = words(statutory.checklist(newport))
    assert "(Wales) Regulations 2007 (SI 2007/3076)" in checklist
    assert "ranks among the 5 authorities in the Gwent Police area" in checklist
    said = words(outcomes.last_outcomes(newport))
    assert f"Of the {int(window['count'].sum()):,} crimes recorded in Newport in the 12 months " \
           "to June 2025" in said
    for section in (covid.pre_pandemic, domestic_abuse.domestic_abuse, knife_gun.knife_gun,
                    hate_crime.hate_crime, serious_violence.profile, serious_violence.where,
                    ward_maps.ward_rates, asb.by_lsoa):
        assert "London" not in words(section(newport)), section.__name__
