"""Maps on a hand-made 3x3 grid of square wards: classes, SVG paths, tooltips, suppression.

The grid: nine 1 km squares in British National Grid, W1 at the bottom left (x 530,000 to
531,000, y 170,000 to 171,000), W2 to its right, ..., W9 at the top right. Their values are 1 to
8 and then 100, so the quantile and equal-interval breaks differ and can be worked by hand.
"""

from __future__ import annotations

import html
import re
from xml.etree import ElementTree

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from slp import maps
from slp.disclosure import DisclosureRule
from slp.errors import SlpError
from support import CHROMIUM, ROOT, need

X0, Y0 = 530_000, 170_000


@pytest.fixture
def grid() -> gpd.GeoDataFrame:
    rows = []
    for i in range(9):
        row, col = divmod(i, 3)
        x, y = X0 + 1000 * col, Y0 + 1000 * row
        rows.append({"code": f"W{i + 1}", "name": f"Ward {i + 1}",
                     "geometry": box(x, y, x + 1000, y + 1000)})
    return gpd.GeoDataFrame(rows, crs="EPSG:27700")


@pytest.fixture
def values() -> pd.Series:
    return pd.Series([1, 2, 3, 4, 5, 6, 7, 8, 100], index=[f"W{i}" for i in range(1, 10)])


def svg_part(chart) -> str:
    return chart.svg[chart.svg.index("<svg"):chart.svg.index("</svg>") + 6]


# --- static choropleth ------------------------------------------------------------------------------


def test_choropleth_alt_text_names_highest_lowest_and_classes(grid, values):
    chart = maps.choropleth(grid, values, "Robbery by ward", "Robberies", k=3,
                            period_label="2022")
    assert chart.alt.startswith("Map of robberies for 9 areas, 2022.")
    assert "Highest: Ward 9 (100); lowest: Ward 1 (1)." in chart.alt
    assert "3 classes (quantiles): 1 to 3 (3); 4 to 6 (3); 7 to 100 (3)." in chart.alt


def test_choropleth_table_has_every_value_and_its_class(grid, values):
    table = maps.choropleth(grid, values, "Robbery by ward", "Robberies", k=3).table.html()
    for i, value in enumerate([1, 2, 3, 4, 5, 6, 7, 8, 100], start=1):
        assert f'<th scope="row">Ward {i}</th><td>W{i}</td><td class="num">{value}</td>' in table
    assert '<td class="num">5</td><td>4 to 6</td>' in table


def test_choropleth_svg_has_real_text_is_small_and_deterministic(grid, values):
    first = maps.choropleth(grid, values, "Robbery by ward", "Robberies", label_areas=True)
    second = maps.choropleth(grid.copy(), values.copy(), "Robbery by ward", "Robberies",
                             label_areas=True)
    root = ElementTree.fromstring(first.svg)
    assert root.get("width") == "800" and root.get("role") == "img"  # 8 inches at 100 px/inch
    assert root.get("aria-label") == first.alt and first.png is None
    texts = ["".join(t.itertext()) for t in root.iter("text")]
    assert "Ward 1" in texts and "Ward 9" in texts  # the area labels, as text
    assert any(t.startswith("Robbery by ward") for t in texts)  # the title
    assert not list(root.iter("image"))
    assert len(first.svg) < 200_000
    assert first.html().encode() == second.html().encode()


def test_choropleth_suppressed_counts(grid, values):
    chart = maps.choropleth(grid, values, "Robbery by ward", "Robberies",
                            rule=DisclosureRule())
    assert "4 areas not shown (fewer than 5)." in chart.alt
    assert "lowest: Ward 5 (5)" in chart.alt  # 1 to 4 are hidden, so the lowest shown is 5
    table = chart.table.html()
    assert table.count('<td class="num">&lt;5</td>') == 4
    for hidden in (1, 2, 3, 4):
        assert f'<td class="num">{hidden}</td>' not in table


def test_choropleth_rates_hidden_by_a_mask(grid, values):
    rates = values / 10
    mask = pd.Series([True, False, False, False, False, False, False, False, False],
                     index=values.index)
    chart = maps.choropleth(grid, rates, "Rate", "Rate per 1,000", suppressed=mask)
    assert '<th scope="row">Ward 1</th><td>W1</td><td class="num">suppressed</td>' in \
        chart.table.html()
    labels = pd.Series({"W1": "<5 crimes"})
    chart = maps.choropleth(grid, rates, "Rate", "Rate per 1,000", suppressed=labels)
    assert "&lt;5 crimes" in chart.table.html()


def test_missing_value_is_shown_as_no_data(grid, values):
    chart = maps.choropleth(grid, values.drop("W5"), "Robbery by ward", "Robberies")
    assert "1 area has no data." in chart.alt
    assert '<th scope="row">Ward 5</th><td>W5</td><td class="num">[x]</td>' in chart.table.html()


def test_infinite_change_is_no_data_and_a_mask_hides_as_small_numbers(grid, values):
    change = (values - 5.0).astype(float)
    change["W2"] = float("inf")  # a percentage change from 0
    mask = pd.Series(False, index=values.index)
    mask["W3"] = True
    chart = maps.choropleth(grid, change, "Change", "Change (%)", diverging=True,
                            suppressed=mask)
    assert "1 area not shown (small numbers)." in chart.alt
    assert "1 area has no data." in chart.alt


def test_maps_leave_no_pyplot_figure_open(grid, values):
    import matplotlib.pyplot as plt

    plt.close("all")
    maps.choropleth(grid, values, "t", "v")
    assert plt.get_fignums() == []


def test_errors_name_the_problem(grid, values):
    with pytest.raises(SlpError, match="missing name"):
        maps.choropleth(grid.drop(columns="name"), values, "t", "v")
    with pytest.raises(SlpError, match="no value matches an area code"):
        maps.choropleth(grid, values.set_axis(list("abcdefghi")), "t", "v")


# --- interactive SVG map ----------------------------------------------------------------------------


def test_interactive_map_one_focusable_path_per_area_with_tooltips(grid, values):
    chart = maps.interactive_map(grid, values, "Robbery by ward", "Robberies", precision=10,
                                 tolerance=0, rule=DisclosureRule())
    svg = svg_part(chart)
    assert svg.count('tabindex="0"') == 9
    assert len(re.findall(r"<path d=\"M", svg)) == 9
    assert 'viewBox="0 0 304 304"' in svg  # 3,000 m / 10 m + 2 + 2 padding
    assert 'role="group"' in svg and 'class="slp-map"' in svg
    for i in (1, 2, 3, 4):
        assert f"<title>Ward {i}, robberies: &lt;5</title>" in svg
    for i, value in ((5, 5), (8, 8), (9, 100)):
        assert f"<title>Ward {i}, robberies: {value}</title>" in svg
    for hidden in (1, 2, 3, 4):
        assert f"robberies: {hidden}<" not in svg


def test_interactive_map_paths_by_hand(grid, values):
    """W1's corners (531000, 170000), (531000, 171000), (530000, 171000), (530000, 170000) on a
    10 m grid from the top-left corner (530000, 173000), plus 2 units of padding:
    (102, 302), (102, 202), (2, 202), (2, 302); W9's: (302, 102), (302, 2), (202, 2), (202, 102).
    """
    svg = svg_part(maps.interactive_map(grid, values, "t", "v", precision=10, tolerance=0))
    assert 'd="M102 302l0 -100 -100 0 0 100z"' in svg
    assert 'd="M302 102l0 -100 -100 0 0 100z"' in svg


def test_interactive_map_is_offline_deterministic_and_labelled(grid, values):
    first = maps.interactive_map(grid, values, "Robbery by ward", "Robberies")
    second = maps.interactive_map(grid.copy(), values.copy(), "Robbery by ward", "Robberies")
    markup = first.html()
    assert markup.encode() == second.html().encode()
    assert "http" not in markup and "src=" not in markup
    assert "<script>" in markup and "<style>" in markup
    assert markup.startswith('<figure class="slp-map-figure">')
    label = re.search(r'<svg[^>]* aria-label="([^"]*)"', markup).group(1)
    assert "Highest: Ward 9 (100); lowest: Ward 1 (1)." in html.unescape(label)
    assert '<ul class="slp-map-legend"' in markup
    assert "<summary>Data table for this chart</summary>" in markup
    assert first.png is None


def test_interactive_map_extra_columns_in_tooltips_and_table(grid, values):
    extra = pd.DataFrame({"Crimes": ["<5", "12", "30", "1", "2", "3", "4", "5", "6"]},
                         index=values.index)
    chart = maps.interactive_map(grid, values / 10, "Rate", "Rate per 1,000", extra=extra)
    assert "<title>Ward 1, rate per 1,000: 0.1; Crimes: &lt;5</title>" in chart.svg
    assert "<th scope=\"col\" class=\"num\">Crimes</th>" in chart.table.html()


def test_interactive_map_reprojects_other_crs(grid, values):
    wgs84 = grid.to_crs("EPSG:4326")
    svg = svg_part(maps.interactive_map(wgs84, values, "t", "v", precision=10, tolerance=0))
    assert svg.count('tabindex="0"') == 9
    assert 'viewBox="0 0 304 304"' in svg


@pytest.mark.shared_data
def test_interactive_map_of_real_lsoas_is_a_few_hundred_kb(shared_data):
    lsoas = gpd.read_file(shared_data / "boundaries/london-lsoa-2021/london-2021-lsoa-gen20.shp")
    lsoas = lsoas[lsoas["LAD22NM"].isin(["Lewisham", "Greenwich", "Southwark", "Lambeth"])]
    lsoas = lsoas.rename(columns={"LSOA21CD": "code", "LSOA21NM": "name"})
    assert 500 <= len(lsoas) <= 800
    values = pd.Series(range(len(lsoas)), index=lsoas["code"].to_numpy(), dtype=float)
    chart = maps.interactive_map(lsoas, values, "Crimes by LSOA", "Crimes")
    assert svg_part(chart).count('tabindex="0"') == len(lsoas)
    assert len(chart.html().encode()) < 400_000


# --- in a real browser -------------------------------------------------------------------------------


@pytest.mark.browser
def test_map_page_is_accessible_and_keyboard_usable(grid, values, tmp_path):
    need(CHROMIUM.exists(), f"Debian chromium is not installed at {CHROMIUM}")
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    css = (ROOT / "lib/slp/templates/slp/slp.css").read_text()
    static = maps.choropleth(grid, values, "Robbery by ward", "Robberies")
    interactive = maps.interactive_map(grid, values, "Robbery by ward", "Robberies",
                                       rule=DisclosureRule())
    page_file = tmp_path / "map.html"
    page_file.write_text(
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Map test page'
        f"</title><style>{css}</style></head><body><main><h1>Maps</h1>{static.html()}"
        f"{interactive.html()}</main></body></html>"
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM),
                                    args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_file.as_uri())
        violations = Axe().run(page).response["violations"]
        serious = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
        page.locator("svg.slp-map path[tabindex]").first.focus()
        focused = page.evaluate("document.activeElement.querySelector('title').textContent")
        readout = page.evaluate("document.querySelector('.slp-map-readout').textContent")
        browser.close()
    assert serious == []
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert focused == "Ward 1, robberies: <5"
    assert readout == focused


def test_names_from_before_the_split_are_still_importable():
    from slp import classes, style

    assert maps.classify is classes.classify and maps.Classes is classes.Classes
    assert maps.class_colours is classes.class_colours and maps.SCHEMES is classes.SCHEMES
    assert maps.NEUTRAL_FILL == classes.NEUTRAL_FILL
    assert (maps.SUPPRESSED_FILL, maps.NO_DATA_FILL) == (style.SUPPRESSED_FILL, style.NO_DATA_FILL)
