"""The summary's England and Wales section and the figures.json ``national`` block.

Known answers come from the ONS tables read another way (the CSV extracts with the csv module)
and from the published figures: Lewisham 29,808 offences / 298.7 thousand residents = 99.79
per 1,000 in 2024; England 5,008,534 / 57,690.3 thousand = 86.82, so Lewisham is above.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys

import pytest

from slp import figures
from slp.sections import summary
from support import ROOT

TABLES = "home-office-prc-csp/ons-pfa-tables-ye-dec2024"


def words(block) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block.html())).replace("&#x27;", "'")


def test_the_demo_says_no_national_tables_were_given(demo_assessment):
    text = words(summary.national(demo_assessment))
    assert text.strip() == ("No ONS police recorded crime tables for England and Wales were "
                            "given, so Wexbridge is not compared with the national rates here.")
    assert "<table" not in summary.national(demo_assessment).html()
    assert figures.compute(demo_assessment)["national"] is None


def test_lewisham_2022_says_the_tables_do_not_cover_its_period(lewisham_assessment):
    assert lewisham_assessment.params.sources.national is not None  # configured, not covering
    html = summary.national(lewisham_assessment).html()
    assert html.count("<p>") == 1 and "<table" not in html  # one plain line, no figures
    assert "do not cover this report's period" in words(summary.national(lewisham_assessment))
    assert figures.compute(lewisham_assessment)["national"] is None


def _csv_row(shared_data, name: str, column: str, value: str) -> dict:
    with open(shared_data / TABLES / name, encoding="utf-8-sig", newline="") as handle:
        return next(r for r in csv.DictReader(handle) if r[column].strip() == value)


def test_independent_count_from_the_csv_extracts(shared_data):
    """The known answer, from the CSV extracts read with the csv module (not slp)."""
    lewisham = _csv_row(shared_data, "table-c2-csp-counts-ye-dec2024.csv",
                        "Community Safety Partnership name", "Lewisham")
    rates = _csv_row(shared_data, "table-c4-csp-rates-per-1000-ye-dec2024.csv",
                     "Community Safety Partnership name", "Lewisham")
    assert int(lewisham["Total recorded crime (excluding fraud)"]) == 29808
    assert int(float(rates["Population figures (mid-2022) - rounded to 100"])) == 298700


def test_lewisham_2024_is_above_england_on_the_page(lewisham_2024_assessment):
    block = summary.national(lewisham_2024_assessment)
    text = words(block)
    # 29,808 / 298,700 x 1,000 = 99.79; 5,008,534 / 57,690,300 x 1,000 = 86.82
    assert "Lewisham had 99.8 police recorded crimes per 1,000 residents, above the rate for " \
           "England of 86.8" in text
    assert "(14.9% higher)" in text  # 99.79 / 86.82 - 1 = 14.9%
    assert "exclude fraud and may differ slightly from the local files" in text
    html = block.html()
    assert re.search(r'<th scope="row">Lewisham</th><td class="num">99.8</td>'
                     r'<td class="num">29,808</td><td class="num">298,700</td>', html)
    assert re.search(r'<th scope="row">England</th><td class="num">86.8</td>'
                     r'<td class="num">5,008,534</td><td class="num">57,690,300</td>', html)
    for row in ("England and Wales", "London (region)", "Metropolitan Police force area"):
        assert f'<th scope="row">{row}</th>' in html
    assert "Wales</th>" not in html.replace("England and Wales</th>", "")  # England's area


def test_lewisham_2024_figures_json_national_block(lewisham_2024_assessment):
    a = lewisham_2024_assessment
    payload = figures.publishable(figures.compute(a), a.params)
    block = json.loads(json.dumps(payload))["national"]
    assert block["period"] == "2024" and block["comparison"] == "above"
    assert block["area_rate_per_1000"] == round(29808 / 298700 * 1000, 1) == 99.8
    assert block["england_rate_per_1000"] == round(5008534 / 57690300 * 1000, 1) == 86.8
    assert block["wales_rate_per_1000"] is None  # an English area
    assert block["area_offences"] == 29808 and block["area_population"] == 298700
    assert {"england_and_wales_rate_per_1000", "region_rate_per_1000", "force_rate_per_1000",
            "region", "force", "source"} <= set(block)
    assert block["region"] == "London" and block["force"] == "Metropolitan Police"
    assert block["source"].startswith("ONS")


def test_a_small_area_count_is_hidden_in_figures_json_with_what_gives_it_back():
    """Hand-made: an area of 3 offences (never a real CSP, but the door is the same)."""
    from slp.params import Params

    block = {"period": "2024", "area_offences": 3, "area_population": 2000,
             "area_rate_per_1000": 1.5, "difference_pct": -98.3, "comparison": "below",
             "england_rate_per_1000": 86.8}
    numbers = {"headline": [], "categories": [], "dashboard": [], "national": block}
    shown = figures.publishable(numbers, Params(borough="Lewisham", period_end="2024-12"))
    national = shown["national"]
    assert national["area_offences"] == "<5"
    assert national["area_rate_per_1000"] is None and national["comparison"] is None
    assert national["england_rate_per_1000"] == 86.8  # not computed from the area's count


@pytest.mark.slow
def test_rendered_lewisham_2024_summary_page_and_figures(shared_data, tmp_path):
    """`slp run params/lewisham-2024-12.yaml --notebooks 00`, the way a user runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "slp.cli", "run", "params/lewisham-2024-12.yaml", "--notebooks",
         "00", "--reports", str(tmp_path), "--jobs", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "lewisham" / "2024-12"
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", (folder / "00-summary.html").read_text()))
    assert "How the borough compares with England and Wales" in page
    assert "above the rate for England of 86.8" in page
    national = json.loads((folder / "figures.json").read_text())["national"]
    assert national["comparison"] == "above" and national["england_rate_per_1000"] == 86.8


def test_the_national_table_passes_the_disclosure_audit(lewisham_2024_assessment):
    import dataclasses

    from disclosure_audit import audit_page

    a = lewisham_2024_assessment
    truth = dataclasses.replace(a, params=dataclasses.replace(a.params, audience="internal"))
    public = [("summary.national", summary.national(a).html())]
    hidden = {"summary.national": summary.national(truth).html()}
    assert "<table" in public[0][1]
    assert audit_page(public, hidden, a.rule.threshold) == []


def test_a_welsh_area_is_set_beside_wales_with_no_region(shared_data):
    from slp.national import compare_to_national
    from slp.sources.national import read_national

    tables = read_national(shared_data / TABLES)
    rows = summary.national_rows(tables, compare_to_national(tables, "Newport", "2024"))
    assert rows["Area"].tolist() == ["Newport", "Wales", "England and Wales",
                                     "Gwent Police force area"]  # Wales has no regions
    wales = _csv_row(shared_data, "table-p1-pfa-counts-ye-dec2024.csv", "Area Code", "W92000004")
    assert rows.loc[1, "Offences"] == int(list(wales.values())[2])  # the total, third column
    assert rows.loc[0, "Rate per 1,000"] == round(19614 / 161500 * 1000, 1)  # 121.4
