"""Dashboard measures' figures: hand-worked 12-month counts, rates, ranks, London and breaks."""

from __future__ import annotations

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from slp import breaks
from slp.coverage import Coverage
from slp.errors import SlpError
from slp.priorities import (
    dashboard_figures,
    latest_complete_end,
    measure_figures,
    missing_reason,
    share_pct,
)
from slp.sources.dashboard import DashboardCrime, read_dashboard

RESIDENTS = pd.Series({"Lewisham": 300_000, "Greenwich": 288_000, "Southwark": 304_000})


def monthly(first, last, per_borough: dict, measure: str) -> pd.DataFrame:
    months = pd.period_range(first, last, freq="M")
    return pd.DataFrame([{"borough": b, "measure": measure, "month": m, "count": c}
                         for b, c in per_borough.items() for m in months])


def dashboard(*frames, outcomes=None) -> DashboardCrime:
    data = pd.concat(frames, ignore_index=True)
    cols = ["borough", "measure", "month", "count"]
    return DashboardCrime(
        data=data, coverage=Coverage("MPS Monthly Crime Dashboard", "test"),
        measures=list(dict.fromkeys(data["measure"])),
        outcomes=outcomes if outcomes is not None else pd.DataFrame(columns=cols),
        labels={"domestic_abuse": "Domestic abuse offences",
                "domestic_abuse_violence_with_injury": "DA violence with injury offences"})


@pytest.fixture
def da():
    # Previous 12 months (Sep 2020 - Aug 2021): Lewisham 10/month = 120, Greenwich 5 = 60,
    # Southwark 20 = 240. Latest 12 (Sep 2021 - Aug 2022): 12 = 144, 6 = 72, 19 = 228.
    return dashboard(
        monthly("2020-09", "2021-08", {"Lewisham": 10, "Greenwich": 5, "Southwark": 20},
                "domestic_abuse"),
        monthly("2021-09", "2022-08", {"Lewisham": 12, "Greenwich": 6, "Southwark": 19},
                "domestic_abuse"),
        monthly("2020-09", "2022-08", {"Lewisham": 3, "Greenwich": 1, "Southwark": 4},
                "domestic_abuse_violence_with_injury"),
        outcomes=monthly("2021-09", "2022-08", {"Lewisham": 2, "Greenwich": 1, "Southwark": 1},
                         "domestic_abuse"),
    )


def test_hand_worked_figures_when_the_dashboard_lags_period_end(da):
    fig = measure_figures(da, "domestic_abuse", RESIDENTS, "Lewisham", "2022-09")
    # The files end in August 2022, a month before period_end: the latest complete 12 months.
    assert (str(fig.start), str(fig.end)) == ("2021-09", "2022-08")
    assert (str(fig.previous_start), str(fig.previous_end)) == ("2020-09", "2021-08")
    assert (fig.count, fig.previous_count) == (144, 120)
    assert_allclose(fig.change_pct, 20.0)
    assert_allclose(fig.rate_per_1000, 0.48)  # 1000 * 144 / 300,000
    # London: 420 -> 444 = +5.714%; rates 0.48, 0.25 (72/288k), 0.75 (228/304k): Lewisham 2nd.
    assert (fig.london_count, fig.london_previous_count) == (444, 420)
    assert_allclose(fig.london_change_pct, 100 * 24 / 420)
    assert (fig.rank, fig.rank_of) == (2, 3)
    assert fig.outcomes == 24
    assert_allclose(fig.outcome_rate_pct, 100 * 24 / 144)
    assert fig.lag_note == (
        "The MPS Monthly Crime Dashboard files for domestic abuse offences end in August 2022, "
        "before September 2022, the end of the reporting period; the figures are for the latest "
        "complete 12 months, September 2021 to August 2022.")
    # The previous 12 months hold the second and third lockdowns.
    assert fig.break_ is breaks.get("lockdowns")
    assert len(fig.monthly) == 24 and fig.monthly.sum() == 264


def test_figures_json_rows(da):
    rows = dashboard_figures(da, RESIDENTS, "Lewisham", "2022-09")
    assert [r["measure"] for r in rows] == ["domestic_abuse", "domestic_abuse_violence_with_injury"]
    row = rows[0]
    assert list(row) == ["measure", "label", "start", "end", "count", "previous_count",
                         "change_pct", "rate_per_1000", "london_change_pct", "rank", "rank_of",
                         "verdict", "break"]
    assert row["start"] == "2021-09" and row["end"] == "2022-08" and row["verdict"] is None
    assert row["break"].startswith("One of the compared periods includes months of the pandemic")
    # Violence with injury: 3/month both years, 0% change; all three boroughs 36, 12, 48 ->
    # rates 0.12, 0.0417, 0.158: Lewisham 2nd.
    assert (rows[1]["count"], rows[1]["change_pct"], rows[1]["rank"]) == (36, 0.0, 2)


def test_share_of_domestic_abuse_with_injury(da):
    whole = measure_figures(da, "domestic_abuse", RESIDENTS, "Lewisham", "2022-08")
    part = measure_figures(da, "domestic_abuse_violence_with_injury", RESIDENTS, "Lewisham",
                           "2022-08")
    assert whole.lag_note is None
    assert_allclose(share_pct(part, whole), 25.0)  # 36 of 144
    earlier = measure_figures(da, "domestic_abuse_violence_with_injury", RESIDENTS, "Lewisham",
                              "2022-07")
    assert share_pct(earlier, whole) is None  # different windows
    assert share_pct(None, whole) is None


def test_connect_break_flags_domestic_abuse_not_knife_crime():
    frames = [monthly("2023-03", "2025-02", {"Lewisham": 4, "Greenwich": 4, "Southwark": 4}, m)
              for m in ("domestic_abuse", "knife_crime", "hate_crime_racist")]
    dash = dashboard(*frames)
    rows = {r["measure"]: r for r in dashboard_figures(dash, RESIDENTS, "Lewisham", "2025-02")}
    assert rows["domestic_abuse"]["break"] == breaks.get("connect").note
    assert rows["hate_crime_racist"]["break"] == breaks.get("connect").note
    assert rows["knife_crime"]["break"] is None
    assert rows["knife_crime"]["change_pct"] == 0.0


def test_previous_year_not_covered_and_partial_london():
    # Only 18 months, and Southwark is missing from residents' London of four boroughs.
    dash = dashboard(monthly("2021-03", "2022-08", {"Lewisham": 5, "Greenwich": 2},
                             "domestic_abuse"))
    residents = pd.concat([RESIDENTS, pd.Series({"Lambeth": 317_000})])
    fig = measure_figures(dash, "domestic_abuse", residents, "Lewisham", "2022-08")
    assert (fig.count, fig.previous_count, fig.change_pct) == (60, None, None)
    assert (fig.london_change_pct, fig.rank, fig.rank_of) == (None, None, None)
    assert fig.outcomes is None and fig.outcome_rate_pct is None


def test_a_gap_before_period_end_is_said():
    months = [m for m in pd.period_range("2021-01", "2022-08", freq="M") if str(m) != "2022-05"]
    data = pd.DataFrame([{"borough": b, "measure": "domestic_abuse", "month": m, "count": 2}
                         for b in RESIDENTS.index for m in months])
    fig = measure_figures(dashboard(data), "domestic_abuse", RESIDENTS, "Lewisham", "2022-08")
    assert (str(fig.start), str(fig.end), fig.count) == ("2021-05", "2022-04", 24)
    assert fig.lag_note == (
        "The MPS Monthly Crime Dashboard files for domestic abuse offences miss some months "
        "between May 2022 and August 2022; the figures are for the latest complete 12 months, "
        "May 2021 to April 2022.")


def test_no_complete_year_or_no_population():
    dash = dashboard(monthly("2022-01", "2022-08", {"Lewisham": 5}, "domestic_abuse"))
    assert measure_figures(dash, "domestic_abuse", RESIDENTS, "Lewisham", "2022-08") is None
    assert measure_figures(dash, "gun_crime", RESIDENTS, "Lewisham", "2022-08") is None
    year = dashboard(monthly("2021-09", "2022-08", {"Lewisham": 5}, "domestic_abuse"))
    with pytest.raises(SlpError, match="residents: no population for 'Lewisham'"):
        measure_figures(year, "domestic_abuse", pd.Series({"Greenwich": 1}), "Lewisham",
                        "2022-08")


def test_latest_complete_end_skips_a_gap():
    months = [m for m in pd.period_range("2021-01", "2022-08", freq="M") if str(m) != "2022-05"]
    # 2022-08 back to 2021-09 includes the missing 2022-05; 2022-04 has 2021-05..2022-04 whole.
    assert str(latest_complete_end(months, "2022-09")) == "2022-04"
    assert str(latest_complete_end(months, "2021-12")) == "2021-12"
    assert latest_complete_end(months, "2021-11") is None
    assert latest_complete_end([], "2021-11") is None


@pytest.mark.shared_data
def test_real_tno_extract_through_the_figures(shared_data):
    folder = shared_data / "mps-dashboard" / "tno-borough-extract-4-boroughs-refresh-2025-11"
    dash = read_dashboard(folder)
    residents = pd.Series({"Lewisham": 300_000, "Greenwich": 290_000, "Lambeth": 317_000,
                           "Southwark": 307_000})
    fig = measure_figures(dash, "total_notifiable_offences", residents, "Lewisham", "2022-10")
    # The extract starts in November 2021: no previous year to compare with.
    assert (fig.count, fig.previous_count, fig.lag_note) == (27_622, None, None)
    assert_allclose(fig.rate_per_1000, 1000 * 27_622 / 300_000)
    assert fig.rank_of == 4
    # The all-crime total is not one of the figures.json priority rows by default.
    assert dashboard_figures(dash, residents, "Lewisham", "2022-10") == []


def test_connect_break_from_hand_made_rolling_files(tmp_path):
    # A CONNECT-era OtherCrimeData download, March 2023 - February 2025, three boroughs.
    # Lewisham: 10 domestic abuse offences a month before March 2024, 13 from it on:
    # Mar 2024 - Feb 2025 = 156 against 120 (+30%), straddling the CONNECT break.
    # Greenwich 5 a month throughout (60 -> 60); Southwark 20 (240 -> 240).
    # Knife crime (KnifeCrimeData, 11 columns): Lewisham 4 a month throughout, no break.
    header = ("Month_Year,Area Type,Borough_SNT,Area name,Area code,Crime Type,Crime Subtype,"
              "Measure,Financial Year,FY_FYIndex,Count,Refresh Date")
    knife_header = ("Month_Year,Area Type,Borough_SNT,Area Name,Area Code,Crime Type,"
                    "Crime Subtype,Measure,Financial Year,Count,Refresh Date")
    other, knife = [header], [knife_header]
    for month in pd.period_range("2023-03", "2025-02", freq="M"):
        day = month.strftime("01/%m/%Y")
        for borough, before, after in (("Lewisham", 10, 13), ("Greenwich", 5, 5),
                                       ("Southwark", 20, 20)):
            count = after if month >= pd.Period("2024-03", "M") else before
            other.append(f"{day},Borough,{borough},{borough},E09,DOMESTIC ABUSE,DOMESTIC ABUSE,"
                         f"Offences,fy24-25,24-25_01,{count},05/03/2025")
            knife.append(f"{day},Borough,{borough},{borough},E09,Knife Crime,Knife Crime,"
                         "Offences,fy24-25,4,05/03/2025")
    (tmp_path / "M1045_MonthlyCrimeDashboard_OtherCrimeData.csv").write_text("\n".join(other))
    (tmp_path / "M1045_MonthlyCrimeDashboard_KnifeCrimeData.csv").write_text("\n".join(knife))
    mapping = {
        "domestic_abuse": {"file": "other", "type": "Domestic Abuse",
                           "subtype": "Domestic Abuse", "measure": "Offences"},
        "knife_crime": {"file": "knife", "type": "Knife Crime", "subtype": "Knife Crime",
                        "measure": "Offences"},
    }
    dash = read_dashboard(tmp_path, mapping=mapping)
    rows = {r["measure"]: r for r in dashboard_figures(dash, RESIDENTS, "Lewisham", "2025-02")}
    da = rows["domestic_abuse"]
    assert (da["start"], da["end"], da["count"], da["previous_count"]) == (
        "2024-03", "2025-02", 156, 120)
    assert_allclose(da["change_pct"], 30.0)
    # London: 420 -> 456 = +8.571%.
    assert_allclose(da["london_change_pct"], 100 * 36 / 420)
    assert da["break"] == breaks.get("connect").note
    assert rows["knife_crime"]["break"] is None and rows["knife_crime"]["change_pct"] == 0.0


def test_missing_reason_in_words(tmp_path):
    path = tmp_path / "M1045_MonthlyCrimeDashboard_TNOCrimeData.csv"
    path.write_text("Month_Year,Area Type,Borough_SNT,Area name,Area code,Offence Group,"
                    "Offence Subgroup,Measure,Financial Year,FY_FYIndex,Count,Refresh Date\n"
                    "01/04/2022,Borough,Lewisham,Lewisham,E09000023,THEFT,SHOPLIFTING,Offences,"
                    "fy22-23,22-23_01,5,05/05/2022\n")
    dash = read_dashboard(path)
    assert missing_reason(dash, "domestic_abuse", "2022-09") == (
        "The MPS Monthly Crime Dashboard files configured (TNOCrimeData) do not include "
        "OtherCrimeData, the download that holds domestic abuse offences.")
    assert missing_reason(dash, "knife_crime", "2022-09").endswith(
        "do not include KnifeCrimeData or OtherCrimeData, the download that holds knife crime "
        "offences.")
    assert missing_reason(dash, "total_notifiable_offences", "2022-09") == (
        "The MPS Monthly Crime Dashboard files hold no 12 complete months of total notifiable "
        "offences up to September 2022.")
    assert missing_reason(dash, "arson", "2022-09") == (
        "The dashboard measure mapping has no entry for arson.")
    assert missing_reason(None, "domestic_abuse", "2022-09").startswith("No MPS Monthly")


def test_no_missing_reason_when_figures_exist(da):
    da.sources = {"domestic_abuse": ["other"]}
    assert missing_reason(da, "domestic_abuse", "2022-09") is None
