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
