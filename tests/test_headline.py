"""The headline figures in words and as a table (summary page and contents page)."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys

import pytest

from slp import headline
from support import ROOT


def cells(html: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r,
                                                                     flags=re.S)] for r in rows]


def test_months_label_names_first_and_last_month(lewisham_assessment):
    assert headline.months_label(lewisham_assessment.window) == "October 2021 to September 2022"


def test_lede_says_demo_data_is_synthetic_and_real_data_is_not(demo_assessment, lewisham_assessment):
    assert "synthetic demonstration data" in headline.lede(demo_assessment)
    real = headline.lede(lewisham_assessment)
    assert "synthetic" not in real
    assert real.startswith("Recorded crime in Lewisham over the 12 months from October 2021 to "
                           "September 2022")
    assert "London's 32 boroughs" in real


def test_table_gives_the_plans_twelve_month_figures(lewisham_assessment):
    # Known answers (issue #3 / the plan): 28,409 crimes, 93.0 per 1,000 (ONS mid-2020
    # population 305,309), 14th of 32; +6.7% on 26,636.
    rows = cells(headline.table_html(lewisham_assessment))
    header, twelve = rows[0], rows[1]
    row = dict(zip(header, twelve, strict=True))
    assert row["Period"] == "Last 12 months (October 2021 to September 2022)"
    assert row["Total number"] == "28,409"
    assert row["Crime rate per 1,000 residents"] == "93.0"
    assert row["Change on previous period"] == "+6.7%"
    assert row["Rank of 32 (1 = highest rate)"] == "14 of 32"
    assert [r[0].split(" (")[0] for r in rows[1:4]] == ["Last 12 months", "Last 6 months",
                                                        "Last 3 months"]
    # issue 11 known answers: Lewisham's 12-month changes 2012-03..2020-02 ran from -8.9% to
    # +12.2% (5th/95th percentiles), z ~ 0.88: within; y - theta = -0.0447 is inside the funnel
    # of changes around London's
    assert row["Change against normal variation"] == "within normal variation"
    assert row["Usual range of changes"] == "-8.9% to +12.2%"
    assert row["Changed differently from London?"] == "no"
    assert row["Change on the same months a year earlier"] == "+6.7%"  # 12 months: the same


def test_rows_judge_each_window_and_the_same_months_a_year_earlier(demo_assessment):
    a = demo_assessment
    crime = a.crime.data
    mine = crime[crime["borough"] == a.borough]
    for row in headline.rows(a):
        months = row["months"]
        assert row["verdict"] in ("within", "larger_rise", "larger_fall")
        assert row["reference"].startswith(f"{months}-month changes")
        # the same months a year earlier, summed here from the crime rows themselves
        end = a.period_end - 12
        earlier = mine[(mine["month"] > end - months) & (mine["month"] <= end)]["count"].sum()
        assert row["year_earlier_count"] == earlier
        assert row["year_earlier_change_pct"] == pytest.approx(
            100 * (row["count"] / earlier - 1))
        if months < 12:
            assert "after allowing for the usual seasonal pattern" in row["verdict_words"]
            assert "against the same months a year earlier" not in row["verdict_words"]


def test_table_from_computed_figures_matches_the_table_computed_here(demo_assessment):
    from slp import figures

    assert headline.table_html(demo_assessment, figures.compute(demo_assessment)) == headline.table_html(demo_assessment)


def test_internal_audience_table_is_the_same_numbers(demo_assessment):
    internal = dataclasses.replace(demo_assessment, params=dataclasses.replace(demo_assessment.params,
                                                                    audience="internal"))
    # demo borough counts are in the thousands: nothing to hide either way
    assert cells(headline.table_html(internal))[1:] == cells(headline.table_html(demo_assessment))[1:]


def test_contents_page_needs_no_charting_library(demo_params, tmp_path):
    """The runner writes the contents page while the notebooks run: it must not pay for
    importing matplotlib and the charts (that is why the headline lives here)."""
    code = f"""
import sys
from slp import assessment, execution, figures, pages, params
data = assessment.load(params.load({str(demo_params)!r}), cache_dir={str(tmp_path)!r})
numbers = figures.compute(data)
sections = execution.discover_sections()
page = pages.page_context(data.params, sections, None, provenance="", demo=True, title="T")
html = pages.period_index(data, numbers, sections, page)
assert "Headline figures for" in html, html[:500]
print(sorted(m for m in ("matplotlib", "slp.charts", "slp.maps", "slp.sections")
             if m in sys.modules))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"
