"""Charts: alt text and data tables written from the data, small deterministic offline SVGs
with real text.

Expected sentences and values are read off the hand-made inputs (first, last, highest and
lowest values; ranks; which months fall outside an interval), not copied from the output.
"""

from __future__ import annotations

import html
import re
from types import SimpleNamespace
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pytest

from slp import charts
from slp.disclosure import DisclosureRule
from slp.errors import SlpError

MAX_SVG_BYTES = 200_000


@pytest.fixture
def monthly():
    return pd.DataFrame(
        {
            "month": ["2020-01", "2020-02", "2020-03", "2020-04", "2020-05", "2020-06"],
            "Lewisham": [8.1, 7.0, 5.2, 6.0, 7.5, 7.9],
            "London": [7.0, 6.8, 4.9, 5.5, 6.9, 7.2],
        }
    )


def line(monthly, **kwargs):
    return charts.line_chart(
        monthly, "month", ["Lewisham", "London"], "Monthly crime rate",
        "Crimes per 1,000 residents", "January to June 2020", **kwargs,
    )


def decoded(chart) -> ElementTree.Element:
    """The chart's SVG parsed as XML (it must be well-formed)."""
    return ElementTree.fromstring(chart.svg)


def shown_size(chart) -> tuple[int, int]:
    root = decoded(chart)
    return int(root.get("width")), int(root.get("height"))


def svg_texts(chart) -> list[str]:
    return ["".join(t.itertext()) for t in decoded(chart).iter("text")]


def embedded_svg(markup: str) -> str:
    match = re.search(r"<svg\b.*?</svg>", markup, flags=re.S)
    assert match, "no inline SVG"
    return match.group(0)


# --- line chart ---------------------------------------------------------------------------------


def test_line_chart_alt_text_gives_first_last_and_extreme_values(monthly):
    alt = line(monthly).alt
    assert alt.startswith("Line chart of crimes per 1,000 residents, January to June 2020, for "
                          "Lewisham and London.")
    assert ("Lewisham went from 8.1 in January 2020 to 7.9 in June 2020; highest 8.1 in "
            "January 2020, lowest 5.2 in March 2020.") in alt
    assert ("London went from 7.0 in January 2020 to 7.2 in June 2020; highest 7.2 in June "
            "2020, lowest 4.9 in March 2020.") in alt


def test_line_chart_data_table_holds_every_plotted_value(monthly):
    table = line(monthly).table.html()
    for value in [8.1, 7.0, 5.2, 6.0, 7.5, 7.9, 6.8, 4.9, 5.5, 6.9, 7.2]:
        assert f'<td class="num">{value:.1f}</td>' in table
    for month in ["Jan 2020", "Feb 2020", "Mar 2020", "Apr 2020", "May 2020", "Jun 2020"]:
        assert f'<th scope="row">{month}</th>' in table


def test_line_chart_html_is_a_figure_with_alt_caption_and_data_table(monthly):
    chart = line(monthly)
    markup = chart.html()
    assert markup.startswith('<figure class="slp-chart">')
    assert f'role="img" aria-label="{html.escape(chart.alt)}"' in markup
    assert "<title>" not in markup  # the name is the aria-label; no long tooltip
    assert 'width="800" height="480"' in markup
    assert "<figcaption>Monthly crime rate, January to June 2020.</figcaption>" in markup
    assert "<details" in markup and "<summary>Data table for this chart</summary>" in markup
    assert markup.index("</figure>") < markup.index("<table")
    assert chart._repr_html_() == markup
    assert embedded_svg(markup) == chart.svg.strip()
    assert chart.png is None


def test_line_chart_svg_is_drawn_at_the_stated_size_with_real_text(monthly):
    chart = line(monthly)
    root = decoded(chart)
    assert root.get("viewBox") == "0 0 576 345.6"  # 8 x 4.8 inches at 72 points per inch
    assert shown_size(chart) == (800, 480)  # 8 x 4.8 inches at 100 CSS pixels per inch
    texts = svg_texts(chart)
    assert "Monthly crime rate, January to June 2020" in texts  # the title, as text
    assert "Crimes per 1,000 residents" in texts  # the axis label
    assert {"Lewisham", "London"} <= set(texts)  # the legend
    assert not list(root.iter("image"))  # nothing drawn as a bitmap
    assert len(chart.svg) < MAX_SVG_BYTES


def test_svg_ids_differ_between_charts_so_one_page_can_hold_many(monthly):
    first, second = line(monthly), line(monthly.assign(London=monthly["London"] + 1))
    ids = [set(re.findall(r'\bid="([^"]+)"', c.svg)) for c in (first, second)]
    assert ids[0] and ids[1] and not ids[0] & ids[1]
    for chart, own in zip((first, second), ids, strict=True):
        refs = set(re.findall(r'(?:url\(#|href="#)([^")]+)', chart.svg))
        assert refs <= own  # every reference points into its own chart


def test_line_chart_shaded_spans_are_described(monthly):
    chart = line(monthly, shade=[("2020-02", "2020-03", "National lockdown"),
                                 ("2020-05", "2020-05", "National lockdown")])
    assert "Shaded: National lockdown (February 2020 to March 2020, May 2020)." in chart.alt


def test_line_chart_small_counts_are_suppressed_in_table_and_words():
    counts = pd.DataFrame({"month": ["2021-01", "2021-02", "2021-03", "2021-04"],
                           "Robbery": [12, 3, 0, 20]})
    chart = charts.line_chart(counts, "month", ["Robbery"], "Robberies in a ward",
                              "Robberies per month", "January to April 2021",
                              rule=DisclosureRule())
    table = chart.table.html()
    assert '<td class="num">&lt;5</td>' in table
    assert '<td class="num">3</td>' not in table
    assert ("Robbery went from 12 in January 2021 to 20 in April 2021; highest 20 in April "
            "2021, lowest 0 in March 2021.") in chart.alt
    assert "1 value below 5 is not shown." in chart.alt
    assert "'<5' means between 1 and 4" in html.unescape(table)
    assert "[c]" not in table  # no totals here, so no secondary suppression to explain


def test_output_is_deterministic(monthly):
    assert line(monthly).html().encode() == line(monthly.copy()).html().encode()


def without_payloads(markup: str) -> str:
    return re.sub(r"base64,[A-Za-z0-9+/=]+", "base64,", markup)  # maps' PNGs


def test_output_makes_no_network_references(monthly):
    markup = without_payloads(line(monthly).html())
    assert "http" not in markup
    assert "//" not in markup
    assert [r for r in re.findall(r'(?:src|href)="([^"]*)"', markup) if not r.startswith("#")
            ] == []  # only references inside the SVG itself


def test_no_figure_is_left_open_in_pyplot(monthly):
    import matplotlib.pyplot as plt

    plt.close("all")
    line(monthly)
    assert plt.get_fignums() == []


def test_missing_column_is_an_error_naming_it(monthly):
    with pytest.raises(SlpError, match="'Lewsiham'"):
        charts.line_chart(monthly, "month", ["Lewsiham"], "t", "y", "p")


def test_unreadable_month_is_an_error(monthly):
    bad = monthly.assign(month=["2020-01", "soon", "2020-03", "2020-04", "2020-05", "2020-06"])
    with pytest.raises(SlpError, match="'soon' as a month"):
        line(bad)


# --- percentage change bars ----------------------------------------------------------------------


def test_bar_chart_change_words_and_table():
    frame = pd.DataFrame({"category": ["Violence", "Theft", "Burglary"],
                          "Lewisham": [6.7, -3.1, -12.0], "London": [3.0, 5.2, -8.1]})
    chart = charts.bar_chart_change(frame, "category", "Lewisham", "London",
                                    "Change by category", period_label="2022 against 2021")
    # largest rise: Violence +6.7; largest fall: Burglary -12.0; above London only in Violence
    assert "The biggest increase in Lewisham was Violence (+6.7%; London +3.0%)." in chart.alt
    assert "The biggest decrease in Lewisham was Burglary (-12.0%; London -8.1%)." in chart.alt
    assert "Lewisham's change was above London's in 1 of 3 categories." in chart.alt
    table = chart.table.html()
    for text in ["+6.7%", "-3.1%", "-12.0%", "+3.0%", "+5.2%", "-8.1%"]:
        assert f'<td class="num">{text}</td>' in table
    assert len(chart.svg) < MAX_SVG_BYTES


# --- ranked bars ----------------------------------------------------------------------------------


def test_ranked_bar_chart_ranks_and_highlights():
    frame = pd.DataFrame({"area": ["A", "B", "Lewisham", "D", "E"],
                          "rate": [10, 40, 30, 20, 50]})
    chart = charts.ranked_bar_chart(frame, "area", "rate", "Lewisham", "Crime rate",
                                    x_label="Crimes per 1,000 residents", marked=["D"])
    # sorted: E 50, B 40, Lewisham 30, D 20, A 10
    assert "Lewisham ranks 3rd of 5, with 30." in chart.alt
    assert "D ranks 4th of 5, with 20." in chart.alt
    assert "Highest: E (50); lowest: A (10)." in chart.alt
    table = chart.table.html()
    rows = [table.index(f'<th scope="row">{name}</th>') for name in ["E", "B", "Lewisham", "D", "A"]]
    assert rows == sorted(rows)


def test_ranked_bar_chart_ties_share_a_rank():
    frame = pd.DataFrame({"area": ["X", "Lewisham", "Y"], "rate": [50, 30, 30]})
    chart = charts.ranked_bar_chart(frame, "area", "rate", "Lewisham", "Crime rate")
    assert "Lewisham ranks joint 2nd of 3, with 30." in chart.alt


def test_ranked_bar_chart_unknown_highlight_is_an_error():
    frame = pd.DataFrame({"area": ["X", "Y"], "rate": [1, 2]})
    with pytest.raises(SlpError, match="'Lewisham' is not in column 'area'"):
        charts.ranked_bar_chart(frame, "area", "rate", "Lewisham", "Crime rate")


def test_ranked_bar_chart_of_32_boroughs_is_small():
    frame = pd.DataFrame({"area": [f"Borough number {i}" for i in range(32)],
                          "rate": [40 + 3.3 * i for i in range(32)]})
    chart = charts.ranked_bar_chart(frame, "area", "rate", "Borough number 7", "Crime rate",
                                    reference=(88.0, "London"))
    assert len(chart.svg) < MAX_SVG_BYTES
    assert "London: 88.0." in chart.alt


# --- funnel plot ----------------------------------------------------------------------------------


def test_funnel_plot_positions():
    frame = pd.DataFrame({
        "area": ["Lewisham", "Greenwich", "Southwark"],
        "population": [300000, 280000, 310000],
        "rate_per_1000": [12.0, 9.0, 5.0],
        "lower_95": [8.0, 7.9, 8.1], "upper_95": [10.0, 10.1, 9.9],
        "lower_998": [7.0, 6.9, 7.1], "upper_998": [11.0, 11.1, 10.9],
    })
    chart = charts.funnel_plot(frame, highlight="Lewisham", title="Rate against population")
    # 12.0 > 11.0 (upper 99.8%); 9.0 within; 5.0 < 7.1 (lower 99.8%)
    assert ("Lewisham has 12.0 with a population of 300,000: above the upper 99.8% limit."
            in chart.alt)
    assert ("1 area is above the upper 95% limit (1 above 99.8%) and 1 below the lower 95% "
            "limit (1 below 99.8%).") in chart.alt
    table = chart.table.html()
    assert "<td>within the 95% limits</td>" in table
    assert "<td>below the lower 99.8% limit</td>" in table
    assert '<td class="num">300,000</td>' in table


# --- observed against expected -------------------------------------------------------------------


def test_expected_vs_observed_lists_months_outside_the_interval():
    frame = pd.DataFrame({
        "month": pd.period_range("2022-01", periods=4, freq="M"),
        "observed": [100, 130, 90, 70], "expected": [100] * 4,
        "lower": [80] * 4, "upper": [120] * 4,
    })
    chart = charts.expected_vs_observed_chart(frame)
    assert "Observed was above the interval in 1 of 4 months: February 2022 (130)." in chart.alt
    assert "Observed was below the interval in 1 of 4 months: April 2022 (70)." in chart.alt
    assert "Observed went from 100 in January 2022 to 70 in April 2022" in chart.alt
    table = chart.table.html()
    assert "<td>above</td>" in table and "<td>below</td>" in table
    assert len(chart.svg) < MAX_SVG_BYTES


# --- seasonal decomposition ------------------------------------------------------------------------


def decomposition_frame():
    months = pd.period_range("2020-01", periods=24, freq="M")
    trend = np.arange(100.0, 124.0)  # 100 in January 2020 up to 123 in December 2021
    seasonal = np.array([10.0 if m.month == 7 else -8.0 if m.month == 2 else 0.0 for m in months])
    resid = np.zeros(24)
    resid[14] = 5.0  # March 2021
    resid[5] = -3.0  # June 2020
    return pd.DataFrame({"month": months, "observed": trend + seasonal + resid, "trend": trend,
                         "seasonal": seasonal, "resid": resid})


def test_seasonal_chart_describes_trend_season_and_residual():
    chart = charts.seasonal_chart(decomposition_frame(), y_label="Crimes per month")
    assert ("The trend went from 100.0 in January 2020 to 123.0 in December 2021; it was "
            "highest at 123.0 in December 2021 and lowest at 100.0 in January 2020.") in chart.alt
    assert "The seasonal effect is highest in July (+10.0) and lowest in February (-8.0)." \
        in chart.alt
    assert "The largest residual was +5.0 in March 2021." in chart.alt
    assert shown_size(chart) == (800, 800)


def test_seasonal_chart_accepts_a_statsmodels_like_result():
    frame = decomposition_frame()
    index = frame["month"].dt.to_timestamp()
    result = SimpleNamespace(**{k: pd.Series(frame[k].to_numpy(), index=index)
                                for k in ("observed", "trend", "seasonal", "resid")})
    chart = charts.seasonal_chart(result)
    assert "highest in July (+10.0)" in chart.alt


def test_seasonal_chart_rejects_other_things():
    with pytest.raises(SlpError, match="decomposition"):
        charts.seasonal_chart(42)


def test_names_from_before_the_split_are_still_importable():
    """sections and other callers use ``charts.X``; the house style moved to slp.style."""
    from slp import style

    for name in ("PALETTE", "TEXT", "MUTED", "NEUTRAL", "HOUSE_STYLE", "DISPLAY_PPI",
                 "contrast_ratio", "new_figure", "render_png"):
        assert getattr(charts, name) is getattr(style, name), name
