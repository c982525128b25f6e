"""The ASB page on the demo (street files with ASB rows) and on Lewisham (no street files)."""

from __future__ import annotations

from slp.sections import asb


def asb_rows(a):
    data = a.street.data
    months = {str(m) for m in a.window.periods}
    return data[(data["crime_type"] == "Anti-social behaviour")
                & data["month"].astype(str).isin(months)]


def test_demo_volume_and_rate_from_the_street_rows(demo_assessment):
    a = demo_assessment
    rows = asb_rows(a)
    n = int(rows["count"].sum())
    rate = 1000 * n / float(a.residents[a.borough])
    html = asb.volume(a).html()
    assert f"reported {n:,} anti-social behaviour incidents" in html
    assert f"{rate:.1f} per 1,000 residents" in html
    assert "not the council" in html or "council or to housing providers is not included" in html
    assert "no change is shown" in html  # the demo's street files cover 12 months only


def test_demo_wards_add_up_to_the_street_rows(demo_assessment):
    a = demo_assessment
    rows = asb_rows(a)
    top = rows.groupby("ward_code")["count"].sum().sort_values(ascending=False)
    html = asb.by_ward(a).html()
    assert f'</th><td class="num">{int(top.iloc[0]):,}</td>' in html
    table = html.split("<caption>Anti-social behaviour by ward")[1]  # after the map's data table
    assert table.count('<tr><th scope="row">') == rows["ward_code"].nunique()
    assert "<figure" in html  # the ward map, with its own data table


def test_lewisham_says_no_street_files(lewisham_assessment):
    html = asb.volume(lewisham_assessment).html()
    assert "No data.police.uk street-level file" in html
    assert "Not supplied: local input" in asb.partners(lewisham_assessment).html()


def two_years(a, earlier_factor):
    """The demo assessment with hand-made street files of 24 months: the demo's 12 months of
    ASB rows, and the same rows a year earlier with their counts times ``earlier_factor``."""
    import dataclasses

    import pandas as pd

    rows = a.street.data[a.street.data["crime_type"] == "Anti-social behaviour"]
    earlier = rows.copy()
    earlier["month"] = (pd.PeriodIndex(rows["month"].astype(str), freq="M") - 12).astype(str)
    earlier["count"] = rows["count"] * earlier_factor
    data = pd.concat([earlier, rows], ignore_index=True)
    data["month"] = data["month"].astype(str)
    return dataclasses.replace(a, street=dataclasses.replace(a.street, data=data))


def test_a_halved_year_is_a_larger_fall_judged_against_chance_only(demo_assessment):
    a = two_years(demo_assessment, 2)
    n = int(asb_rows(a)["count"].sum())
    html = asb.volume(a).html()
    # by hand: the earlier year has twice the incidents, so the change is -50.0%
    assert f"reported {n:,} anti-social behaviour incidents" in html
    assert "50.0% fewer than in the previous 12 months" in html
    assert f'<td class="num">{2 * n:,}</td>' in html  # the previous 12 months, in the table
    # 24 months are too few for a usual range: the verdict says it is against chance only
    assert "a larger fall than usual (compared with chance fluctuation only" in html
    assert "larger fall than usual (compared with chance fluctuation only)</td>" in html
    assert "no change is shown" not in html


def test_an_unchanged_year_is_within_normal_variation(demo_assessment):
    html = asb.volume(two_years(demo_assessment, 1)).html()
    # by hand: the same counts a year apart, over the same calendar months: no change at all
    assert "within the range of normal year-to-year variation (compared with chance " \
           "fluctuation only" in html


def test_demo_hot_spots_are_classes_on_a_map_with_its_table(demo_assessment):
    html = asb.hotspots(demo_assessment).html()
    lsoas = demo_assessment.lsoa_residents
    assert f"Of {len(lsoas)} LSOAs" in html  # every demo LSOA has residents
    assert "<figure" in html and "Data table for this chart" in html
    assert "per 1,000" not in html.split("Data table for this chart")[1].split("</caption>")[1]


def test_a_ward_with_many_more_incidents_is_a_hot_spot(demo_assessment):
    import dataclasses

    a = demo_assessment
    placed = asb.incidents(a).data
    ward = placed["ward_code"].iloc[0]
    cluster = set(placed.loc[placed["ward_code"] == ward, "lsoa_code"])
    data = a.street.data.copy()
    boost = (data["crime_type"] == "Anti-social behaviour") & data["lsoa_code"].isin(cluster)
    data.loc[boost, "count"] *= 20  # by hand: one ward's LSOAs, side by side, 20 times the rest
    html = asb.hotspots(dataclasses.replace(
        a, street=dataclasses.replace(a.street, data=data))).html()
    said = html.split("</li>")[0]
    hot = int(said.split("LSOAs, ")[1].split(" ")[0])
    assert 1 <= hot <= len(cluster) + 10  # the cluster (and perhaps neighbours sharing it)
    names = set(placed.loc[placed["lsoa_code"].isin(cluster), "lsoa_name"])
    assert any(name in said for name in names)


def test_lewisham_has_no_asb_hot_spots_without_street_files(lewisham_assessment):
    assert "no police.uk street files are configured" in asb.hotspots(lewisham_assessment).html()
