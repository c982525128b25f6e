"""The priority pages from the MPS Monthly Crime Dashboard (issue 12): domestic abuse, knife and
gun crime, hate crime; their figures.json rows; breaks; and what a page says when a configured
dashboard lacks a measure.

Expected figures are summed here from the demo's dashboard files with the csv module, not taken
from slp's reader.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import re

import pytest

from slp import figures
from slp.breaks import get as get_break
from slp.sections import domestic_abuse, hate_crime, knife_gun
from slp.sources.dashboard import read_dashboard
from support import ROOT

DASHBOARD = ROOT / "data" / "raw" / "demo" / "dashboard"
ROLLING_OTHER = "M1045_MonthlyCrimeDashboard_OtherCrimeData.csv"
AVIATION = "Aviation Security (SO18)"


def text_of(block) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block.html())).replace("&#x27;", "'")


def twelve_months(year_end: int, month_end: int) -> set[str]:
    """``dd/mm/yyyy`` labels of the 12 months ending at the given month."""
    out, y, m = set(), year_end, month_end
    for _ in range(12):
        out.add(f"01/{m:02d}/{y}")
        m, y = (m - 1, y) if m > 1 else (12, y - 1)
    return out


def rolling_sums(type_: str, subtype: str, months: set[str]) -> dict[str, int]:
    """Offences per borough in the demo's rolling OtherCrimeData file (Borough rows only)."""
    sums: dict[str, int] = {}
    with open(DASHBOARD / ROLLING_OTHER, encoding="utf-8-sig", newline="") as handle:
        for r in csv.DictReader(handle):
            if (r["Area Type"] == "Borough" and r["Crime Type"] == type_
                    and r["Crime Subtype"] == subtype and r["Measure"] == "Offences"
                    and r["Month_Year"] in months and r["Area name"] != AVIATION):
                sums[r["Area name"]] = sums.get(r["Area name"], 0) + int(r["Count"])
    return sums


@pytest.fixture(scope="module")
def demo(demo_assessment):
    return demo_assessment


@pytest.fixture(scope="module")
def across_connect(demo_assessment):
    """The demo run with its period ending August 2024: the 12 months to August 2024 against the
    12 before straddle March 2024, when the MPS moved to CONNECT."""
    a = demo_assessment
    return dataclasses.replace(a, params=dataclasses.replace(a.params, period_end="2024-08"))


def test_domestic_abuse_in_the_plans_words(demo):
    now = rolling_sums("DOMESTIC ABUSE", "DOMESTIC ABUSE", twelve_months(2026, 9))
    before = rolling_sums("DOMESTIC ABUSE", "DOMESTIC ABUSE", twelve_months(2025, 9))
    change = 100 * (now["Wexbridge"] / before["Wexbridge"] - 1)
    london = 100 * (sum(now.values()) / sum(before.values()) - 1)
    words = text_of(domestic_abuse.domestic_abuse(demo))
    assert (f"There were {now['Wexbridge']:,} domestic abuse offences recorded in Wexbridge in "
            "the 12 months to September 2026.") in words
    rise = "increase" if change > 0 else "decrease"
    london_rise = "increase" if london > 0 else "decrease"
    assert re.search(rf"This was an? {abs(change):.1f}% {rise} on the previous 12 months, "
                     rf"compared to an? {abs(london):.1f}% {london_rise} across London, and the "
                     r"\d+(st|nd|rd|th) highest rate of all 32 London boroughs", words)
    # short history after CONNECT: the verdict says it is against chance fluctuation only
    assert "compared with chance fluctuation only" in words
    vwi = rolling_sums("DOMESTIC ABUSE", "DOMESTIC ABUSE VIOLENCE WITH INJURY",
                       twelve_months(2026, 9))["Wexbridge"]
    share = 100 * vwi / now["Wexbridge"]
    assert (f"Domestic abuse violence with injury was {share:.1f}% of domestic abuse "
            "offences.") in words
    assert "Domestic abuse offences per month" in words  # the trend chart and its data table


def test_knife_and_gun_page_shows_every_measure(demo):
    words = text_of(knife_gun.knife_gun(demo))
    for noun in ("knife crime offences", "knife crime with injury offences",
                 "knife injury victims aged 1-24 (not domestic abuse)", "gun crime offences",
                 "lethal barrel discharges"):
        assert re.search(rf"There were (fewer than 5|[\d,]+) {re.escape(noun)} recorded in "
                         "Wexbridge", words), noun
    assert "Possession" not in words  # possession stays in its own, labelled section


def test_hate_crime_page_by_strand_with_the_connect_break_stated(demo):
    words = text_of(hate_crime.hate_crime(demo))
    now = rolling_sums("HATE CRIME", "HATE CRIME", twelve_months(2026, 9))["Wexbridge"]
    assert f"There were {now:,} hate crime offences recorded in Wexbridge" in words
    assert "CONNECT" in words and "March 2024" in words
    strands = text_of(hate_crime.hate_crime_strands(demo))
    for noun in ("racist hate crime offences", "faith hate crime offences",
                 "homophobic hate crime offences", "disability hate crime offences"):
        assert noun in strands, noun


def test_a_comparison_across_connect_is_flagged_on_the_page_and_in_figures(across_connect):
    note = get_break("connect").note
    words = text_of(domestic_abuse.domestic_abuse(across_connect))
    assert "12 months to August 2024" in words
    assert "either side of the MPS move to the CONNECT recording system" in words
    assert note in words and "Yes, see note" in words
    rows = {r["measure"]: r for r in figures.dashboard_rows(across_connect)}
    assert rows["domestic_abuse"]["break"] == note
    assert rows["domestic_abuse"]["verdict"] is None  # not judged across a recording change
    assert rows["hate_crime_racist"]["break"] == note
    assert rows["knife_crime"]["break"] is None  # CONNECT does not touch knife crime
    assert (rows["domestic_abuse"]["start"], rows["domestic_abuse"]["end"]) == ("2023-09",
                                                                                  "2024-08")
    knife = text_of(knife_gun.knife_gun(across_connect))
    assert "CONNECT" not in knife


def test_figures_json_dashboard_rows_published(demo):
    payload = figures.publishable(figures.compute(demo), demo.params)
    rows = {r["measure"]: r for r in payload["dashboard"]}
    assert {"domestic_abuse", "domestic_abuse_violence_with_injury", "knife_crime",
            "knife_crime_with_injury", "knife_injury_victims_1_24", "gun_crime",
            "lethal_barrel_discharge", "hate_crime", "hate_crime_racist",
            "hate_crime_faith"} <= set(rows)
    assert "total_notifiable_offences" not in rows
    da = rows["domestic_abuse"]
    now = rolling_sums("DOMESTIC ABUSE", "DOMESTIC ABUSE", twelve_months(2026, 9))
    assert (da["count"], da["start"], da["end"], da["rank_of"]) == (now["Wexbridge"], "2025-10",
                                                                   "2026-09", 32)
    assert da["verdict"] in ("within", "larger_rise", "larger_fall") and da["break"] is None
    for row in payload["dashboard"]:
        if isinstance(row["count"], str):  # hidden: its rate and change go with it
            assert row["rate_per_1000"] is None and row["change_pct"] is None, row
    json.dumps(payload)  # plain JSON


def test_a_configured_dashboard_without_a_measure_says_what_is_missing(demo):
    tno = sorted(DASHBOARD.glob("*TNOCrimeData*.csv"))
    only_tno = dataclasses.replace(demo, dashboard=read_dashboard(tno))
    words = text_of(domestic_abuse.domestic_abuse(only_tno))
    assert "do not include OtherCrimeData" in words
    assert "is configured" not in words and "There were" not in words
    knife = text_of(knife_gun.knife_gun(only_tno))
    assert "KnifeCrimeData" in knife
    assert figures.dashboard_rows(only_tno) == []


@pytest.mark.slow
def test_the_demo_report_shows_the_dashboard_figures(demo_report):
    def page(name):
        return re.sub(r"\s+", " ", (demo_report / f"{name}.html").read_text(encoding="utf-8"))

    assert re.search(r"There were [\d,]+ domestic abuse offences recorded in Wexbridge",
                     page("03-domestic-abuse"))
    knife = page("04-knife-gun")
    assert re.search(r"There were [\d,]+ knife crime offences recorded in Wexbridge", knife)
    assert re.search(r"There were (fewer than 5|[\d,]+) gun crime offences recorded", knife)
    assert re.search(r"There were [\d,]+ hate crime offences recorded in Wexbridge",
                     page("06-hate-crime"))
    payload = json.loads((demo_report / "figures.json").read_text())
    assert {"domestic_abuse", "knife_crime", "gun_crime", "hate_crime"} <= {
        r["measure"] for r in payload["dashboard"]}


def test_a_dashboard_ending_before_period_end_uses_its_latest_12_months_and_says_so(demo):
    dash = demo.dashboard
    early = dataclasses.replace(dash, data=dash.data[dash.data["month"] <= "2026-07"])
    words = text_of(domestic_abuse.domestic_abuse(dataclasses.replace(demo, dashboard=early)))
    now = rolling_sums("DOMESTIC ABUSE", "DOMESTIC ABUSE", twelve_months(2026, 7))["Wexbridge"]
    assert (f"There were {now:,} domestic abuse offences recorded in Wexbridge in the 12 months "
            "to July 2026.") in words
    assert "end in July 2026, before September 2026" in words
    assert "the latest complete 12 months, August 2025 to July 2026" in words
