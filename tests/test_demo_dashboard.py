"""The demo's dashboard downloads: real layouts, deterministic, and read back by the real reader."""

from __future__ import annotations

import csv
import hashlib

import pandas as pd
import pytest

from slp.boroughs import DEMO_BOROUGH, DEMO_BOROUGHS
from slp.demo._dashboard_files import write_dashboard_files
from slp.sources.dashboard import read_dashboard, read_mapping

MONTHS = [str(m) for m in pd.period_range("2017-01", "2026-09", freq="M")]
TNO = ("Month_Year,Area Type,Borough_SNT,Area name,Area code,Offence Group,Offence Subgroup,"
       "Measure,Financial Year,FY_FYIndex,Count,Refresh Date")
OTHER = TNO.replace("Offence Group,Offence Subgroup", "Crime Type,Crime Subtype")
OTHER_YEARLY = OTHER.replace("FY_FYIndex,", "")
KNIFE = OTHER_YEARLY.replace("Area name,Area code", "Area Name,Area Code")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dashboard")
    return folder, write_dashboard_files(folder, DEMO_BOROUGHS, MONTHS, seed=7)


@pytest.fixture(scope="module")
def dash(files):
    return read_dashboard(files[0])


def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def by_name(files, name):
    return next(p for paths in files[1].values() for p in paths if p.name == name)


def test_the_real_file_names_and_headers(files):
    folder, written = files
    names = {kind: [p.name for p in paths] for kind, paths in written.items()}
    assert names["knife"] == ["M1045_MonthlyCrimeDashboard_KnifeCrimeData.csv"]
    assert names["tno"][0] == "MPS_BoroughSNT_TNOCrimeDatafy16-17.csv"
    assert names["other"][-2:] == [
        "MPS Monthly Crime Dashboard_BoroughSNT_OtherCrimeDatafy22-23_03.csv",
        "M1045_MonthlyCrimeDashboard_OtherCrimeData.csv"]
    expected = {
        "MPS_BoroughSNT_TNOCrimeDatafy21-22.csv": TNO.replace("FY_FYIndex,", ""),
        "MPS_BoroughSNT_OtherCrimeDatafy21-22.csv": OTHER_YEARLY,
        "MPS Monthly Crime Dashboard_BoroughSNT_OtherCrimeDatafy22-23_03.csv": OTHER,
        "M1045_MonthlyCrimeDashboard_TNOCrimeData.csv": TNO,
        "M1045_MonthlyCrimeDashboard_OtherCrimeData.csv": OTHER,
        "M1045_MonthlyCrimeDashboard_KnifeCrimeData.csv": KNIFE,
    }
    for name, header in expected.items():
        data = (folder / name).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf" + header.encode() + b"\n"), name
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        n for kind in names.values() for n in kind)


def test_rows_as_in_the_real_downloads(files):
    knife = rows(by_name(files, "M1045_MonthlyCrimeDashboard_KnifeCrimeData.csv"))
    assert all(r["Month_Year"][:3] == "01/" and len(r["Month_Year"]) == 10 for r in knife)
    assert min(int(r["Count"]) for r in knife) >= 1  # zero counts have no row
    snt = [r for r in knife if r["Area Type"] == "Safer Neighbourhood Teams"]
    assert snt and all(r["Borough_SNT"].startswith(tuple(DEMO_BOROUGHS)) for r in snt)
    assert {r["Refresh Date"] for r in knife} == {"01/10/2026"}
    # Capitalisation differs between years, and the CONNECT-era files are upper case.
    types = {name: {r["Crime Type"] for r in rows(by_name(files, name))}
             for name in ("MPS_BoroughSNT_OtherCrimeDatafy18-19.csv",
                          "MPS_BoroughSNT_OtherCrimeDatafy19-20.csv",
                          "M1045_MonthlyCrimeDashboard_OtherCrimeData.csv")}
    assert "Hate crime" in types["MPS_BoroughSNT_OtherCrimeDatafy18-19.csv"]
    assert "Hate Crime" in types["MPS_BoroughSNT_OtherCrimeDatafy19-20.csv"]
    assert "HATE CRIME" in types["M1045_MonthlyCrimeDashboard_OtherCrimeData.csv"]
    assert "KNIFE CRIME" not in types["M1045_MonthlyCrimeDashboard_OtherCrimeData.csv"]
    old = rows(by_name(files, "MPS_BoroughSNT_OtherCrimeDatafy17-18.csv"))
    assert {r["Measure"] for r in old} == {"Offences", "Outcomes"}
    assert "Anti-Semitic" in {r["Crime Subtype"] for r in old}


def test_same_seed_same_bytes_other_seed_other_counts(tmp_path, files):
    again = write_dashboard_files(tmp_path / "a", DEMO_BOROUGHS, MONTHS, seed=7)
    other = write_dashboard_files(tmp_path / "b", DEMO_BOROUGHS, MONTHS, seed=8)

    def digest(paths):
        return [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]

    for kind, paths in files[1].items():
        assert digest(again[kind]) == digest(paths)
        assert digest(other[kind]) != digest(paths)


def test_the_reader_finds_every_measure(dash):
    assert dash.measures == list(read_mapping())
    assert (dash.coverage.first_month, dash.coverage.last_month) == ("2017-01", "2026-09")
    assert dash.gaps == {}
    assert set(dash.data["borough"]) == set(DEMO_BOROUGHS)
    assert set(dash.unattributed["borough"]) == {"Aviation Security (SO18)"}
    assert {"domestic_abuse", "knife_crime", "gun_crime", "hate_crime"} <= set(
        dash.outcomes["measure"])
    assert any("2022-10 to 2023-03 are in both" in c for c in dash.coverage.caveats)


def _sum(path, borough, months, type_, subtype):
    return sum(int(r["Count"]) for r in rows(path)
               if r["Area Type"] == "Borough" and r["Borough_SNT"] == borough
               and r["Month_Year"] in months and r.get("Crime Type") == type_
               and r["Crime Subtype"] == subtype and r["Measure"] == "Offences")


def test_read_back_equals_the_files_summed_with_the_csv_module(files, dash):
    series = dash.series("domestic_abuse", DEMO_BOROUGH)
    # A CONNECT-era year from the rolling file, upper case.
    year = {f"01/{m:02d}/2024" for m in range(1, 10)} | {"01/10/2023", "01/11/2023",
                                                          "01/12/2023"}
    rolling = by_name(files, "M1045_MonthlyCrimeDashboard_OtherCrimeData.csv")
    assert series["2023-10":"2024-09"].sum() == _sum(rolling, DEMO_BOROUGH, year,
                                                     "DOMESTIC ABUSE", "DOMESTIC ABUSE")
    # A pre-pandemic year from the yearly file that also has SNT rows (not counted twice).
    fy = by_name(files, "MPS_BoroughSNT_OtherCrimeDatafy19-20.csv")
    months = {f"01/{m:02d}/2019" for m in range(4, 13)} | {"01/01/2020", "01/02/2020",
                                                           "01/03/2020"}
    assert series["2019-04":"2020-03"].sum() == _sum(fy, DEMO_BOROUGH, months, "Domestic Abuse",
                                                     "Domestic Abuse")
    # The overlap months come from the rolling (newer) file, whose figures are revised upward.
    overlap = {"01/01/2023", "01/02/2023", "01/03/2023"}
    yearly = by_name(files, "MPS Monthly Crime Dashboard_BoroughSNT_OtherCrimeDatafy22-23_03.csv")
    newer = _sum(rolling, DEMO_BOROUGH, overlap, "DOMESTIC ABUSE", "DOMESTIC ABUSE")
    assert series["2023-01":"2023-03"].sum() == newer
    assert newer >= _sum(yearly, DEMO_BOROUGH, overlap, "Domestic Abuse", "Domestic Abuse")


def test_demo_counts_are_plausible(dash):
    wide = dash.data.pivot_table(index=["borough", "month"], columns="measure", values="count")
    assert (wide["knife_crime_with_injury"] <= wide["knife_crime"]).all()
    assert (wide["domestic_abuse_violence_with_injury"] <= wide["domestic_abuse"]).all()
    assert (wide["hate_crime_racist"] <= wide["hate_crime_racist_and_religious"]).all()
    share = wide["domestic_abuse"].sum() / wide["total_notifiable_offences"].sum()
    assert 0.10 <= share <= 0.14
    assert 0.25 <= wide["knife_crime_with_injury"].sum() / wide["knife_crime"].sum() <= 0.30
    assert (wide["gun_crime"] == 0).mean() > 0.1  # small counts: disclosure control has work


def test_tno_files_hold_the_demo_recorded_crime_when_given(tmp_path):
    crime = pd.DataFrame({
        "borough": ["Ashmere", "Ashmere", "Wexbridge", "Wexbridge"],
        "major": ["Theft", "Robbery", "Theft", "Theft"],
        "minor": ["Shoplifting", "Robbery of Personal Property", "Shoplifting", "Shoplifting"],
        "month": ["2022-01", "2022-01", "2022-01", "2022-02"],
        "count": [40, 3, 25, 30],
    })
    written = write_dashboard_files(tmp_path / "d", ["Ashmere", "Wexbridge"],
                                    ["2022-01", "2022-02"], 1, crime=crime)
    # So few offences leave most hate-crime strands without a row: read the TNO files only.
    dash = read_dashboard(written["tno"])
    total = dash.data[dash.data["measure"] == "total_notifiable_offences"]
    got = {(r.borough, str(r.month)): r.count for r in total.itertuples()}
    # Ashmere had no recorded crime in February: 0, not a gap.
    assert got == {("Ashmere", "2022-01"): 43, ("Ashmere", "2022-02"): 0,
                   ("Wexbridge", "2022-01"): 25, ("Wexbridge", "2022-02"): 30}
