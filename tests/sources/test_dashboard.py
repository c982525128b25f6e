"""MPS Monthly Crime Dashboard: the three downloads in their real layouts, combined and checked.

Every file here is hand-made in the exact header of a real download (SCHEMA-EVIDENCE.md in
../shared/data/mps-dashboard); expected values are worked out by hand in the comments.
"""

from __future__ import annotations

import csv
import re

import pandas as pd
import pytest
import yaml

from slp.errors import SourceError
from slp.sources.dashboard import DEFAULT_MAPPING, read_dashboard, read_mapping

# TNOCrimeData (verified on the real extract), OtherCrimeData rolling (CONNECT era, with
# FY_FYIndex), OtherCrimeData yearly (no FY_FYIndex), KnifeCrimeData (11 columns, Area Name).
TNO = (
    "Month_Year,Area Type,Borough_SNT,Area name,Area code,Offence Group,Offence Subgroup,"
    "Measure,Financial Year,FY_FYIndex,Count,Refresh Date"
)
OTHER = (
    "Month_Year,Area Type,Borough_SNT,Area name,Area code,Crime Type,Crime Subtype,Measure,"
    "Financial Year,FY_FYIndex,Count,Refresh Date"
)
OTHER_YEARLY = (
    "Month_Year,Area Type,Borough_SNT,Area name,Area code,Crime Type,Crime Subtype,Measure,"
    "Financial Year,Count,Refresh Date"
)
KNIFE = (
    "Month_Year,Area Type,Borough_SNT,Area Name,Area Code,Crime Type,Crime Subtype,Measure,"
    "Financial Year,Count,Refresh Date"
)
CODES = {"Lewisham": "E09000023", "Greenwich": "E09000011"}


def line(month, area, kind, sub, count, *, refresh="05/04/2022", measure="Offences",
         area_type="Borough", snt=None, fy_index=True):
    """One data row; ``fy_index=False`` for the layouts without FY_FYIndex."""
    code = CODES.get(area, "")
    cells = [month, area_type, snt or area, area, code, kind, sub, measure, "fy21-22"]
    cells += ["21-22_01"] if fy_index else []
    return ",".join([*cells, str(count), refresh])


def mapping_of(*names):
    """The default mapping cut to some measures (a small file need not hold every one)."""
    spec = yaml.safe_load(DEFAULT_MAPPING.read_text(encoding="utf-8"))
    return {name: spec[name] for name in names}


def only(dash, measure, borough="Lewisham"):
    return dash.series(measure, borough).rename(index=str).to_dict()


DA = ("Domestic Abuse", "Domestic Abuse")
DA_MAP = mapping_of("domestic_abuse")
EXPECTED_CASE = ("domestic_abuse", "domestic_abuse_violence_with_injury",
                 "knife_injury_victims_1_24", "lethal_barrel_discharge", "hate_crime",
                 "hate_crime_racist_and_religious", "hate_crime_antisemitic")
DA_UPPER = ("DOMESTIC ABUSE", "DOMESTIC ABUSE")


# --- the real TNO extract: a known answer -------------------------------------------------------


@pytest.mark.shared_data
def test_real_tno_extract_lewisham_12_months(shared_data):
    folder = shared_data / "mps-dashboard" / "tno-borough-extract-4-boroughs-refresh-2025-11"
    dash = read_dashboard(folder)
    assert dash.measures == ["total_notifiable_offences"]
    assert dash.kinds == {str(folder / "BLE_Boroughs_Crime_Data.csv"): "tno"}
    assert (dash.coverage.first_month, dash.coverage.last_month) == ("2021-11", "2025-10")
    assert sorted(dash.data["borough"].unique()) == ["Greenwich", "Lambeth", "Lewisham",
                                                     "Southwark"]
    series = dash.series("total_notifiable_offences", "Lewisham")
    year = series[pd.Period("2021-11", "M"):pd.Period("2022-10", "M")]
    assert len(year) == 12
    # The figure the data folder's README states, checked there by hand.
    assert year.sum() == 27_622

    # The same 12 months summed independently: the extract with the csv module ...
    with open(folder / "BLE_Boroughs_Crime_Data.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    months = {f"01/{m:02d}/2022" for m in range(1, 11)} | {"01/11/2021", "01/12/2021"}
    assert sum(int(r["Count"]) for r in rows
               if r["Area name"] == "Lewisham" and r["Month_Year"] in months) == 27_622
    # ... and the MPS Borough Level Crime files of another download (revised months differ by
    # -2..+4 but the year adds to the same total).
    borough = pd.read_csv(shared_data / "mps-borough" / "vintage-2024-11"
                          / "MPS Borough Level Crime (Historical).csv")
    columns = [f"2021{m}" for m in ("11", "12")] + [f"2022{m:02d}" for m in range(1, 11)]
    assert int(borough.loc[borough["BoroughName"] == "Lewisham", columns].to_numpy().sum()) \
        == year.sum()


# --- combining yearly and rolling files ---------------------------------------------------------


def test_yearly_and_rolling_other_files_combine_newer_refresh_wins(write):
    # Yearly Title Case file without FY_FYIndex, Jan-Mar 2022, refreshed 05/04/2022.
    yearly = write("MPS_BoroughSNT_OtherCrimeDatafy21-22.csv", "\n".join([
        OTHER_YEARLY,
        line("01/01/2022", "Lewisham", *DA, 100, fy_index=False),
        line("01/02/2022", "Lewisham", *DA, 90, fy_index=False),
        line("01/03/2022", "Lewisham", *DA, 95, fy_index=False),
        line("01/01/2022", "Greenwich", *DA, 50, fy_index=False),
        # no Greenwich row for February: zero domestic abuse offences that month
        line("01/03/2022", "Greenwich", *DA, 40, fy_index=False),
    ]), encoding="utf-8-sig")
    # Rolling CONNECT-era file, upper case, with FY_FYIndex, Mar-May 2022, refreshed 06/06/2022.
    rolling = write("M1045_MonthlyCrimeDashboard_OtherCrimeData.csv", "\n".join([
        OTHER,
        line("01/03/2022", "Lewisham", *DA_UPPER, 97, refresh="06/06/2022"),
        line("01/04/2022", "Lewisham", *DA_UPPER, 101, refresh="06/06/2022"),
        # no Lewisham row for May: 0; Greenwich rows for every month
        line("01/03/2022", "Greenwich", *DA_UPPER, 41, refresh="06/06/2022"),
        line("01/04/2022", "Greenwich", *DA_UPPER, 44, refresh="06/06/2022"),
        line("01/05/2022", "Greenwich", *DA_UPPER, 39, refresh="06/06/2022"),
    ]), encoding="utf-8-sig")
    dash = read_dashboard([rolling, yearly], mapping=DA_MAP)
    assert dash.measures == ["domestic_abuse"]
    assert dash.kinds == {str(rolling): "other", str(yearly): "other"}
    # March from the newer refresh (97, 41), not the yearly file (95, 40).
    assert only(dash, "domestic_abuse") == {"2022-01": 100, "2022-02": 90, "2022-03": 97,
                                            "2022-04": 101, "2022-05": 0}
    assert only(dash, "domestic_abuse", "Greenwich") == {
        "2022-01": 50, "2022-02": 0, "2022-03": 41, "2022-04": 44, "2022-05": 39}
    assert dash.data["count"].sum() == 388 + 174
    overlap = [c for c in dash.coverage.caveats if "2022-03" in c and "both" in c]
    assert len(overlap) == 1
    assert "'M1045_MonthlyCrimeDashboard_OtherCrimeData.csv' (refreshed 06/06/2022)" in overlap[0]
    assert overlap[0].endswith("the newer refresh's figures "
                               "('M1045_MonthlyCrimeDashboard_OtherCrimeData.csv') are used")
    assert dash.gaps == {}


def test_an_older_refresh_loses_even_when_listed_last(write):
    # Same months, same file layout; the later Refresh Date wins, not the order given.
    newer = write("a_OtherCrimeData.csv", "\n".join(
        [OTHER, line("01/03/2022", "Lewisham", *DA, 7, refresh="10/05/2022")]))
    older = write("b_OtherCrimeData.csv", "\n".join(
        [OTHER, line("01/03/2022", "Lewisham", *DA, 5, refresh="10/04/2022")]))
    assert only(read_dashboard([newer, older], mapping=DA_MAP), "domestic_abuse") == {"2022-03": 7}
    assert only(read_dashboard([older, newer], mapping=DA_MAP), "domestic_abuse") == {"2022-03": 7}


def test_a_month_no_file_covers_is_a_gap_not_zero(write):
    jan_feb = write("x_OtherCrimeData.csv", "\n".join([
        OTHER, line("01/01/2022", "Lewisham", *DA, 3), line("01/02/2022", "Lewisham", *DA, 4)]))
    apr = write("y_OtherCrimeData.csv", "\n".join([OTHER, line("01/04/2022", "Lewisham", *DA, 6)]))
    dash = read_dashboard([jan_feb, apr], mapping=DA_MAP)
    assert only(dash, "domestic_abuse") == {"2022-01": 3, "2022-02": 4, "2022-04": 6}
    assert dash.gaps == {"domestic_abuse": ["2022-03"]}
    assert any("no data for domestic_abuse in 2022-03" in c for c in dash.coverage.caveats)


def test_a_month_the_file_covers_without_the_measure_is_zero(write):
    # Gun crime has a row only in January; the file covers January-March (domestic abuse rows),
    # so Lewisham's gun crime is 0 in February and March. A borough with no row at all in the
    # file (Greenwich has only domestic abuse) is 0 for gun crime in every month.
    path = write("OtherCrimeData.csv", "\n".join([
        OTHER,
        line("01/01/2022", "Lewisham", "Gun Crime", "Gun Crime", 2),
        line("01/01/2022", "Lewisham", *DA, 10),
        line("01/02/2022", "Lewisham", *DA, 11),
        line("01/03/2022", "Greenwich", *DA, 12),
    ]))
    dash = read_dashboard(path, mapping=mapping_of("gun_crime", "domestic_abuse"))
    assert only(dash, "gun_crime") == {"2022-01": 2, "2022-02": 0, "2022-03": 0}
    assert only(dash, "gun_crime", "Greenwich") == {"2022-01": 0, "2022-02": 0, "2022-03": 0}
    assert only(dash, "domestic_abuse") == {"2022-01": 10, "2022-02": 11, "2022-03": 0}


# --- geography, case, outcomes, measures ------------------------------------------------------


def test_snt_rows_are_summed_to_boroughs_when_there_are_no_borough_rows(write):
    snt = "Safer Neighbourhood Teams"
    path = write("OtherCrimeData.csv", "\n".join([
        OTHER,
        line("01/04/2022", "Rushey Green", *DA, 12, area_type=snt, snt="Lewisham Rushey Green"),
        line("01/04/2022", "Catford South", *DA, 8, area_type=snt, snt="Lewisham Catford South"),
        line("01/04/2022", "Peninsula", *DA, 5, area_type=snt, snt="Greenwich Peninsula"),
        line("01/04/2022", "N/K", *DA, 3, area_type=snt, snt="N/K (Legacy Only) N/K"),
        line("01/04/2022", "Heathrow", *DA, 2, area_type=snt, snt="Aviation Heathrow"),
        line("01/04/2022", "Bankside", *DA, 4, area_type=snt, snt="Bankside Riverside"),
    ]))
    dash = read_dashboard(path, mapping=DA_MAP)
    assert only(dash, "domestic_abuse") == {"2022-04": 20}  # 12 + 8
    assert only(dash, "domestic_abuse", "Greenwich") == {"2022-04": 5}
    assert set(dash.data["borough"]) == {"Lewisham", "Greenwich"}
    # Teams that begin with no borough's name are kept out, named as they are.
    assert dash.unattributed.set_index("borough")["count"].to_dict() == {
        "N/K (Legacy Only) N/K": 3, "Aviation Heathrow": 2,
        "Safer Neighbourhood Team not in a borough: Bankside Riverside": 4}
    assert any("Safer Neighbourhood Team rows were summed" in c for c in dash.coverage.caveats)


def test_borough_rows_win_over_snt_rows(write):
    snt = "Safer Neighbourhood Teams"
    path = write("OtherCrimeData.csv", "\n".join([
        OTHER,
        line("01/04/2022", "Lewisham", *DA, 20),
        line("01/04/2022", "Rushey Green", *DA, 12, area_type=snt, snt="Lewisham Rushey Green"),
        line("01/04/2022", "Catford South", *DA, 8, area_type=snt, snt="Lewisham Catford South"),
        line("01/04/2022", "Aviation Security (SO18)", *DA, 1),
    ]))
    dash = read_dashboard(path, mapping=DA_MAP)
    assert only(dash, "domestic_abuse") == {"2022-04": 20}  # not 40
    assert dash.unattributed.to_dict("records") == [
        {"borough": "Aviation Security (SO18)", "measure": "domestic_abuse",
         "month": pd.Period("2022-04", "M"), "count": 1}]
    assert set(dash.data["borough"]) == {"Lewisham"}


def test_case_and_spaces_are_ignored_and_outcomes_read(write):
    path = write("MPS_BoroughSNT_OtherCrimeDatafy21-22.csv", "\n".join([
        OTHER_YEARLY,
        line("01/04/2021", "Lewisham", "Hate crime", "Hate  Crime", 30, fy_index=False),
        line("01/04/2021", "Lewisham", "HATE CRIME", "Racist  and religious crime", 20,
             fy_index=False),
        line("01/04/2021", "Lewisham", "Hate Crime", "Anti-Semitic", 2, fy_index=False),
        line("01/04/2021", "Lewisham", "hate crime", "hate crime", 4, measure="Outcomes",
             fy_index=False),
        line("01/04/2021", "Lewisham", "Domestic Abuse", "Domestic Abuse", 300, fy_index=False),
        line("01/04/2021", "Lewisham", "Domestic Abuse", "domestic abuse violence with injury",
             90, fy_index=False),
        line("01/04/2021", "Lewisham", "Domestic Abuse", "Domestic Abuse", 25,
             measure="Positive Outcomes", fy_index=False),
        line("01/04/2021", "Lewisham", "Knife crime", "Knife Injury Victims (non DA 1-24)", 3,
             fy_index=False),
        line("01/04/2021", "Lewisham", "Gun Crime", "Lethal Barrel Discharge", 1,
             fy_index=False),
    ]))
    dash = read_dashboard(path, mapping=mapping_of(*EXPECTED_CASE))
    counts = dash.data.set_index("measure")["count"].to_dict()
    assert counts == {"hate_crime": 30, "hate_crime_racist_and_religious": 20,
                      "hate_crime_antisemitic": 2, "domestic_abuse": 300,
                      "domestic_abuse_violence_with_injury": 90, "knife_injury_victims_1_24": 3,
                      "lethal_barrel_discharge": 1}
    # Measures come in the mapping's order.
    assert dash.measures == ["domestic_abuse", "domestic_abuse_violence_with_injury",
                             "knife_injury_victims_1_24", "lethal_barrel_discharge",
                             "hate_crime", "hate_crime_racist_and_religious",
                             "hate_crime_antisemitic"]
    assert dash.outcomes.set_index("measure")["count"].to_dict() == {
        "domestic_abuse": 25, "hate_crime": 4}
    assert dash.labels["knife_injury_victims_1_24"].startswith("Knife injury victims aged 1-24")


def test_knife_file_with_capitalised_area_name_and_other_file_together(write):
    knife = write("M1045_MonthlyCrimeDashboard_KnifeCrimeData.csv", "\n".join([
        KNIFE,
        line("01/05/2024", "Lewisham", "Knife Crime", "Knife Crime", 40, fy_index=False,
             refresh="05/06/2024"),
        line("01/05/2024", "Lewisham", "Knife Crime", "Knife Crime with Injury", 11,
             fy_index=False, refresh="05/06/2024"),
        line("01/05/2024", "Lewisham", "Knife Crime", "Knife Crime", 6,
             measure="Positive Outcomes", fy_index=False, refresh="05/06/2024"),
    ]), encoding="utf-8-sig")
    other = write("M1045_MonthlyCrimeDashboard_OtherCrimeData.csv", "\n".join([
        OTHER, line("01/05/2024", "Lewisham", "GUN CRIME", "GUN CRIME", 4, refresh="05/06/2024")]))
    dash = read_dashboard(
        [knife, other], mapping=mapping_of("knife_crime", "knife_crime_with_injury", "gun_crime"))
    assert dash.kinds == {str(knife): "knife", str(other): "other"}
    assert dash.data.set_index("measure")["count"].to_dict() == {
        "knife_crime": 40, "knife_crime_with_injury": 11, "gun_crime": 4}
    assert dash.outcomes.set_index("measure")["count"].to_dict() == {"knife_crime": 6}
    assert dash.coverage.format.startswith("OtherCrimeData, KnifeCrimeData (long")


def test_knife_crime_from_yearly_other_and_rolling_knife_files(write):
    yearly = write("MPS_BoroughSNT_OtherCrimeDatafy21-22.csv", "\n".join([
        OTHER_YEARLY,
        line("01/02/2022", "Lewisham", "Knife crime", "Knife crime", 50, fy_index=False),
        line("01/03/2022", "Lewisham", "Knife crime", "Knife crime", 45, fy_index=False),
    ]))
    knife = write("M1045_MonthlyCrimeDashboard_KnifeCrimeData.csv", "\n".join([
        KNIFE,
        line("01/03/2022", "Lewisham", "Knife Crime", "Knife Crime", 47, fy_index=False,
             refresh="05/06/2024"),
        line("01/04/2022", "Lewisham", "Knife Crime", "Knife Crime", 30, fy_index=False,
             refresh="05/06/2024"),
    ]))
    dash = read_dashboard([yearly, knife], mapping=mapping_of("knife_crime"))
    assert only(dash, "knife_crime") == {"2022-02": 50, "2022-03": 47, "2022-04": 30}


def test_tno_file_gives_the_total_and_keeps_other_accepted_crime_out(write):
    path = write("MPS_BoroughSNT_TNOCrimeDatafy21-22.csv", "\n".join([
        TNO,
        line("01/04/2021", "Lewisham", "Theft", "Shoplifting", 100),
        line("01/04/2021", "Lewisham", "Violence Against the Person", "Violence with Injury", 80),
        line("01/04/2021", "Lewisham", "Other Accepted Crime", "Other Accepted", 9),
        line("01/04/2021", "Lewisham", "Theft", "Shoplifting", 12, measure="Positive Outcomes"),
    ]))
    dash = read_dashboard(path)
    assert only(dash, "total_notifiable_offences") == {"2021-04": 180}
    assert dash.outcomes["count"].tolist() == [12]


@pytest.mark.parametrize("month", ["01/04/2022", "2022-04-01", "2022-04", "Apr-22", "April 2022"])
def test_month_year_formats(write, month):
    path = write("OtherCrimeData.csv", "\n".join([OTHER, line(month, "Lewisham", *DA, 7)]))
    assert only(read_dashboard(path, mapping=DA_MAP), "domestic_abuse") == {"2022-04": 7}


def test_us_order_month_year_is_detected(write):
    path = write("OtherCrimeData.csv", "\n".join(
        [OTHER, line("04/01/2022", "Lewisham", *DA, 1), line("05/01/2022", "Lewisham", *DA, 2)]))
    dash = read_dashboard(path, mapping=DA_MAP)
    assert only(dash, "domestic_abuse") == {"2022-04": 1, "2022-05": 2}
    assert any("mm/dd/yyyy" in c for c in dash.coverage.caveats)


def test_other_area_types_are_skipped_and_reported(write):
    path = write("OtherCrimeData.csv", "\n".join([
        OTHER, line("01/04/2022", "Lewisham", *DA, 5),
        line("01/04/2022", "Rushey Green", *DA, 30, area_type="Ward")]))
    dash = read_dashboard(path, mapping=DA_MAP)
    assert only(dash, "domestic_abuse") == {"2022-04": 5}
    assert any("1 rows of other area types (Ward)" in c for c in dash.coverage.caveats)


def test_alternative_mapping(write, tmp_path):
    mapping = tmp_path / "mine.yaml"
    mapping.write_text("abuse:\n  file: other\n  type: DA\n  subtype: [All DA, Every DA]\n"
                       "  measure: Offences\n")
    path = write("OtherCrimeData.csv", "\n".join([OTHER, line("2022-04", "Lewisham", "DA",
                                                               "Every DA", 8)]))
    dash = read_dashboard(path, mapping=mapping)
    assert dash.measures == ["abuse"] and dash.labels == {"abuse": "Abuse"}
    assert dash.data["count"].tolist() == [8]


def test_default_mapping_names_every_measure_of_the_issue():
    spec = read_mapping(DEFAULT_MAPPING)
    assert set(spec) >= {
        "domestic_abuse", "domestic_abuse_violence_with_injury", "knife_crime",
        "knife_crime_with_injury", "knife_injury_victims_1_24", "gun_crime",
        "lethal_barrel_discharge", "hate_crime"}
    assert all(s.files == ("other",) for n, s in spec.items() if n.startswith("hate_crime"))
    assert spec["knife_crime"].files == ("knife", "other")
    assert spec["domestic_abuse"].subtypes == ("domestic abuse",)


# --- validation: one clear line each -----------------------------------------------------------


def test_mapping_that_matches_nothing_names_the_measure_and_what_was_found(write):
    path = write("M1045_MonthlyCrimeDashboard_OtherCrimeData.csv", "\n".join([
        OTHER, line("01/04/2024", "Lewisham", *DA_UPPER, 5),
        line("01/04/2024", "Lewisham", "GUN CRIME", "GUN CRIME", 1)]))
    with pytest.raises(SourceError) as err:
        read_dashboard(path)
    message = str(err.value)
    assert "measure 'domestic_abuse_violence_with_injury'" in message
    assert "expected type 'domestic abuse', subtype 'domestic abuse violence with injury'" \
        in message
    assert "found (type / subtype / measure): DOMESTIC ABUSE / DOMESTIC ABUSE / Offences; " \
        "GUN CRIME / GUN CRIME / Offences" in message
    assert "\n" not in message


def test_knife_file_given_as_other_crime_data(write):
    path = write("MPS_BoroughSNT_OtherCrimeDatafy21-22.csv", "\n".join([
        KNIFE, line("01/04/2022", "Lewisham", "Knife Crime", "Knife Crime", 5, fy_index=False)]))
    with pytest.raises(SourceError, match=r"measure 'domestic_abuse' .* matches no row of the "
                       r"OtherCrimeData file\(s\) 'MPS_BoroughSNT_OtherCrimeDatafy21-22.csv'.*"
                       r"is this a KnifeCrimeData file given as OtherCrimeData\?"):
        read_dashboard(path)


def test_file_named_knife_holding_other_crime(write):
    path = write("M1045_MonthlyCrimeDashboard_KnifeCrimeData.csv", "\n".join([
        KNIFE, line("01/04/2024", "Lewisham", *DA, 5, fy_index=False)]))
    with pytest.raises(SourceError, match="named like a KnifeCrimeData file but holds Crime "
                       r"Type\(s\) domestic abuse \(OtherCrimeData\)"):
        read_dashboard(path)


def test_file_named_tno_in_the_other_layout(write):
    path = write("M1045_MonthlyCrimeDashboard_TNOCrimeData.csv", "\n".join(
        [OTHER, line("01/04/2024", "Lewisham", *DA, 5)]))
    with pytest.raises(SourceError, match="named like a TNOCrimeData file but line 1 has Crime "
                       "Type, Crime Subtype"):
        read_dashboard(path)


def test_file_named_other_in_the_tno_layout(write):
    path = write("M1045_MonthlyCrimeDashboard_OtherCrimeData.csv", "\n".join(
        [TNO, line("01/04/2024", "Lewisham", "THEFT", "SHOPLIFTING", 5)]))
    with pytest.raises(SourceError, match="named like a OtherCrimeData file but line 1 has "
                       "Offence Group, Offence Subgroup"):
        read_dashboard(path)


def test_a_file_no_measure_reads_from(write):
    path = write("M1045_MonthlyCrimeDashboard_KnifeCrimeData.csv", "\n".join([
        KNIFE, line("01/04/2024", "Lewisham", "Knife Crime", "Knife Crime", 5, fy_index=False)]))
    mapping = {"gun_crime": {"file": "other", "type": "Gun Crime", "subtype": "Gun Crime",
                             "measure": "Offences"}}
    with pytest.raises(SourceError, match=r"\(KnifeCrimeData\) has no row that any measure of "
                       r"the mapping reads from KnifeCrimeData files; found .*Knife Crime / "
                       "Knife Crime / Offences"):
        read_dashboard(path, mapping=mapping)


def test_borough_crime_file_given_as_dashboard(write):
    path = write("b.csv", "MajorText,MinorText,LookUp_BoroughName,202201\nTheft,Other Theft,"
                 "Lewisham,1")
    with pytest.raises(SourceError, match="read it with read_borough_crime"):
        read_dashboard(path)


def test_no_borough_or_snt_rows(write):
    path = write("OtherCrimeData.csv", "\n".join(
        [OTHER, line("01/04/2022", "Rushey Green", *DA, 5, area_type="Ward")]))
    with pytest.raises(SourceError, match=r"no rows with Area Type 'Borough' or 'Safer "
                       r"Neighbourhood Teams' \(found: Ward\)"):
        read_dashboard(path)


def test_bad_month_year(write):
    path = write("OtherCrimeData.csv", "\n".join(
        [OTHER, line("01/04/2022", "Lewisham", *DA, 5), line("Q1 2022", "Lewisham", *DA, 5)]))
    with pytest.raises(SourceError, match="'OtherCrimeData.csv' line 3, column 'Month_Year': "
                       "found 'Q1 2022'; expected a month like 01/04/2022"):
        read_dashboard(path)


@pytest.mark.parametrize("count, found", [("-5", "a negative count -5"), ("", "an empty cell"),
                                          ("many", "'many'")])
def test_bad_count(write, count, found):
    path = write("OtherCrimeData.csv", "\n".join([OTHER, line("01/04/2022", "Lewisham", *DA,
                                                               count)]))
    with pytest.raises(SourceError, match=f"line 2, column 'Count': found {found}; expected a "
                       "whole number >= 0"):
        read_dashboard(path)


def test_blank_area_name(write):
    path = write("OtherCrimeData.csv", "\n".join([OTHER, line("01/04/2022", "", *DA, 5)]))
    with pytest.raises(SourceError, match="line 2, column 'Area name': found an empty cell"):
        read_dashboard(path)


def test_same_row_twice(write):
    path = write("OtherCrimeData.csv", "\n".join([
        OTHER, line("01/04/2022", "Lewisham", *DA, 5), line("2022-04", "Lewisham", *DA_UPPER, 6)]))
    with pytest.raises(SourceError, match="lines 2, 3 repeat the same area, category, measure "
                       "and month"):
        read_dashboard(path)


def test_missing_file(tmp_path):
    with pytest.raises(SourceError, match="does not exist"):
        read_dashboard(tmp_path / "nothing.csv")


@pytest.mark.parametrize("text, message", [
    ("gun_crime:\n  file: other\n  type: Gun Crime\n", "measure 'gun_crime' lacks subtype, "
     "measure; expected file, type, subtype and measure"),
    ("gun_crime:\n  file: guns\n  type: G\n  subtype: G\n  measure: Offences\n",
     "measure 'gun_crime': file 'guns' is not a dashboard file kind; expected one of tno, other, "
     "knife"),
    ("gun_crime:\n  file: other\n  type: ['']\n  subtype: G\n  measure: Offences\n",
     "measure 'gun_crime': 'type' is empty; expected a value or a list of values"),
    ("gun_crime: [unclosed\n", "is not valid YAML"),
    ("", "expected measures like 'domestic_abuse:'"),
])
def test_mapping_errors(tmp_path, text, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    with pytest.raises(SourceError, match=message.replace("(", r"\(")):
        read_mapping(bad)


def test_result_goes_through_the_parquet_cache(write, tmp_path):
    from slp.cache import cached

    path = write("OtherCrimeData.csv", "\n".join([
        OTHER, line("01/04/2022", "Lewisham", *DA, 5), line("01/04/2022", "Lewisham", *DA, 2,
                                                             measure="Positive Outcomes")]))
    first = cached(read_dashboard, [path], cache_dir=tmp_path / "cache", mapping=DA_MAP)
    again = cached(read_dashboard, [path], cache_dir=tmp_path / "cache", mapping=DA_MAP)
    assert again.data.equals(first.data) and again.outcomes.equals(first.outcomes)
    assert (again.measures, again.kinds, again.gaps) == (["domestic_abuse"], {str(path): "other"},
                                                         {})


def test_other_crime_data_given_to_the_borough_reader_is_named(write):
    from slp.sources.borough import read_borough_crime

    path = write("M1045_MonthlyCrimeDashboard_OtherCrimeData.csv", "\n".join(
        [OTHER, line("01/04/2024", "Lewisham", *DA, 5)]))
    with pytest.raises(SourceError, match=r"looks like MPS Monthly Crime Dashboard data \(read "
                       "it with read_dashboard\\)"):
        read_borough_crime(path)


def test_lethal_barrel_discharge_pattern_matches_older_subtypes(write):
    path = write("MPS_BoroughSNT_OtherCrimeDatafy19-20.csv", "\n".join([
        OTHER_YEARLY,
        line("01/04/2019", "Lewisham", "Gun Crime", "Gun Crime Lethal Barrel Discharge", 2,
             fy_index=False),
        line("01/04/2019", "Lewisham", "Gun Crime", "Gun Crime", 5, fy_index=False)]))
    dash = read_dashboard(path, mapping=mapping_of("gun_crime", "lethal_barrel_discharge"))
    assert dash.data.set_index("measure")["count"].to_dict() == {
        "gun_crime": 5, "lethal_barrel_discharge": 2}


def test_no_match_error_shows_the_closest_values_first(write):
    fillers = [line("01/04/2022", "Lewisham", "Hate Crime", f"Strand {i}", 1) for i in range(13)]
    path = write("OtherCrimeData.csv", "\n".join([
        OTHER, *fillers,
        line("01/04/2022", "Lewisham", "Domestic Abuse", "Domestic Abuse VWI", 3)]))
    mapping = mapping_of("domestic_abuse_violence_with_injury")
    with pytest.raises(SourceError, match=r"found \(type / subtype / measure\): Domestic Abuse / "
                       r"Domestic Abuse VWI / Offences; .* and 2 more; edit"):
        read_dashboard(path, mapping=mapping)


def test_mapping_file_missing(tmp_path):
    with pytest.raises(SourceError, match="mapping: 'absent.yaml' cannot be read"):
        read_mapping(tmp_path / "absent.yaml")


@pytest.mark.parametrize("text, message", [
    ("", "is empty (expected a header line and data rows)"),
    (OTHER, "has a header (Month_Year, Area Type,"),
])
def test_empty_files(write, text, message):
    path = write("OtherCrimeData.csv", text or " ")
    with pytest.raises(SourceError, match=re.escape(message)):
        read_dashboard(path, mapping=DA_MAP)
