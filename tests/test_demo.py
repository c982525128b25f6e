"""The synthetic demo data set: real layouts, fictional names, consistent totals, determinism.

The demo is written once per session (``demo``) and read back with plain pandas/geopandas, so
these tests check the files, not the generator's internals. Expected values come from the
design (e.g. exactly 18 focus wards, April 2020 in lockdown) or from the real files in
``../shared/data`` (headers, category list, how the Historical and 24-month files meet).
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from slp import demo as demo_module
from slp.demo import (
    DEMO_BOROUGH,
    DEMO_BOROUGHS,
    DEMO_COMPARATORS,
    DEMO_FIRST_MONTH,
    DEMO_LAST_MONTH,
    FILES,
    counts,
    geography,
    is_demo_borough,
    street,
    tables,
    write_demo,
)
from slp.errors import SlpError

AIRPORTS = "London Heathrow and London City Airports"
AVIATION = "Aviation Security (SO18)"
KEYS = ["MajorText", "MinorText", "LookUp_BoroughName"]
POLICE_UK_TYPES = {
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
}


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> dict[str, Path]:
    """The demo written once into a temporary folder: {role: path}."""
    return write_demo(tmp_path_factory.mktemp("demo") / "demo")


@pytest.fixture(scope="session")
def borough_files(demo) -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.read_csv(demo["borough_historical"]), pd.read_csv(demo["borough_recent"])


@pytest.fixture(scope="session")
def borough_long(borough_files) -> pd.DataFrame:
    """Both borough files as borough, major, minor, month (YYYYMM), count; boroughs only."""
    long = pd.concat([f.melt(KEYS, var_name="month", value_name="count") for f in borough_files])
    return long[long["LookUp_BoroughName"] != AIRPORTS]


@pytest.fixture(scope="session")
def monthly_totals(borough_long) -> pd.DataFrame:
    """Borough x month (YYYYMM) total of all offences."""
    return borough_long.groupby(["LookUp_BoroughName", "month"])["count"].sum().unstack()


@pytest.fixture(scope="session")
def ward_file(demo) -> pd.DataFrame:
    return pd.read_csv(demo["ward_recent"])


@pytest.fixture(scope="session")
def lookup(demo) -> pd.DataFrame:
    return pd.read_csv(demo["lsoa_ward_lookup"], encoding="utf-8-sig")


def month_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if re.fullmatch(r"\d{6}", c)]


def first_line(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.readline()


# --- names -----------------------------------------------------------------------------------


def test_demo_constants_hang_together():
    assert len(DEMO_BOROUGHS) == len(set(DEMO_BOROUGHS)) == 32
    assert DEMO_BOROUGH in DEMO_BOROUGHS
    assert len(DEMO_COMPARATORS) == 2 and set(DEMO_COMPARATORS) <= set(DEMO_BOROUGHS)
    assert DEMO_BOROUGH not in DEMO_COMPARATORS
    assert (DEMO_FIRST_MONTH, DEMO_LAST_MONTH) == ("2017-01", "2026-09")


def test_is_demo_borough():
    assert is_demo_borough("Wexbridge")
    assert is_demo_borough(" Wexbridge ")
    assert not is_demo_borough("Lewisham")
    assert not is_demo_borough(AIRPORTS)
    assert not is_demo_borough("")


@pytest.mark.shared_data
def test_no_demo_borough_is_a_real_local_authority(shared_data):
    real = pd.read_csv(shared_data / "population" / "census2021-ts007a-ltla.csv")
    real_names = set(real["geography"].str.casefold())
    assert len(real_names) > 300  # every local authority of England and Wales
    assert not {name.casefold() for name in DEMO_BOROUGHS} & real_names
    assert not any(is_demo_borough(name) for name in real["geography"])


@pytest.mark.shared_data
def test_demo_codes_and_ward_names_are_not_real(shared_data, lookup):
    real = pd.read_csv(
        shared_data / "population" / "lsoa21-ward25-lad25-lookup.csv", encoding="utf-8-sig"
    )
    assert not set(lookup["LSOA21CD"]) & set(real["LSOA21CD"])
    assert not set(lookup["WD25CD"]) & set(real["WD25CD"])
    assert not set(lookup["LAD25CD"]) & set(real["LAD25CD"])
    assert not set(lookup["WD25NM"].str.casefold()) & set(real["WD25NM"].str.casefold())
    assert lookup["LSOA21CD"].str.fullmatch(r"E019\d{5}").all()
    assert lookup["WD25CD"].str.fullmatch(r"E059\d{5}").all()
    assert lookup["LAD25CD"].str.fullmatch(r"E09900\d{3}").all()


# --- layouts ---------------------------------------------------------------------------------


def test_every_file_is_written(demo):
    out = demo["readme"].parent
    assert set(demo) == set(FILES)
    for role, relative in FILES.items():
        assert demo[role] == out / relative
        assert demo[role].exists(), role
    streets = sorted(p.name for p in demo["street"].iterdir())
    assert streets == [f"{m}-demo-street.csv" for m in demo_module.demo_months()[-12:]]
    assert not list(out.parent.glob(f".{out.name}.*")), "temporary folders left behind"


@pytest.mark.shared_data
def test_mps_headers_match_the_real_files(shared_data, demo):
    real_borough = shared_data / "mps-borough" / "vintage-2023-08"
    real_ward = shared_data / "mps-ward" / "vintage-2023-09"
    pairs = [
        (demo["borough_historical"], real_borough / "MPS Borough Level Crime (Historical).csv"),
        (
            demo["borough_recent"],
            real_borough / "MPS Borough Level Crime (most recent 24 months).csv",
        ),
        (demo["ward_recent"], real_ward / "MPS Ward Level Crime (most recent 24 months).csv"),
    ]
    for ours, theirs in pairs:
        mine, real = first_line(ours).decode(), first_line(theirs).decode()
        # Same key columns, then only YYYYMM month columns; LF line ends like these vintages.
        mine_keys = re.sub(r"(,\d{6})+\n$", "", mine)
        real_keys = re.sub(r"(,\d{6})+\n$", "", real)
        assert mine_keys == real_keys
        assert mine.endswith("\n") and not mine.endswith("\r\n")


@pytest.mark.shared_data
def test_population_lookup_and_street_headers_match_the_real_files(shared_data, demo):
    population = shared_data / "population"
    street = sorted((shared_data / "police-uk" / "metropolitan-burglary-only").glob("*.csv"))[0]
    assert first_line(demo["population_ltla"]) == first_line(
        population / "census2021-ts007a-ltla.csv"
    )
    assert first_line(demo["population_lsoa"]) == first_line(
        population / "census2021-ts007a-lsoa.csv"
    )
    # Byte for byte, UTF-8 byte-order mark included.
    real_lookup = first_line(population / "lsoa21-ward25-lad25-lookup.csv")
    assert real_lookup.startswith(b"\xef\xbb\xbf")
    assert first_line(demo["lsoa_ward_lookup"]) == real_lookup
    for path in demo["street"].iterdir():
        assert first_line(path) == first_line(street)


def dashboard_files(demo) -> dict[str, pd.DataFrame]:
    """Every demo dashboard file, by name, read as text."""
    return {p.name: pd.read_csv(p, dtype=str, encoding="utf-8-sig")
            for p in sorted(demo["dashboard"].glob("*.csv"))}


def test_dashboard_layout(demo):
    folder = demo["dashboard"]
    assert folder.is_dir()
    tno = ("Month_Year,Area Type,Borough_SNT,Area name,Area code,Offence Group,Offence Subgroup,"
           "Measure,Financial Year,FY_FYIndex,Count,Refresh Date\n")
    other = tno.replace("Offence Group,Offence Subgroup", "Crime Type,Crime Subtype")
    knife = other.replace("FY_FYIndex,", "").replace("Area name,Area code", "Area Name,Area Code")
    # UTF-8 with a byte-order mark, the real headers of the three rolling downloads.
    for name, header in (("TNO", tno), ("Other", other), ("Knife", knife)):
        path = folder / f"M1045_MonthlyCrimeDashboard_{name}CrimeData.csv"
        assert first_line(path) == b"\xef\xbb\xbf" + header.encode()
    for name, data in dashboard_files(demo).items():
        area = "Area name" if "Area name" in data else "Area Name"
        boroughs = set(data.loc[data["Area Type"] == "Borough", area])
        assert set(DEMO_BOROUGHS) <= boroughs <= set(DEMO_BOROUGHS) | {AVIATION}, name
        assert set(data["Area Type"]) <= {"Borough", "Safer Neighbourhood Teams"}, name
        assert set(data["Measure"]) <= {"Offences", "Positive Outcomes", "Outcomes"}, name
        assert data["Month_Year"].str.fullmatch(r"01/(0[1-9]|1[0-2])/20\d\d").all(), name
        assert (data["Count"].astype(int) >= 1).all(), name  # zero counts have no row
        category = [c for c in data.columns if c in ("Offence Subgroup", "Crime Subtype")]
        key = ["Month_Year", "Area Type", "Borough_SNT", *category, "Measure"]
        assert not data.duplicated(key).any(), name
    rolling = dashboard_files(demo)["M1045_MonthlyCrimeDashboard_OtherCrimeData.csv"]
    assert set(rolling["Refresh Date"]) == {"01/10/2026"}
    # The rolling files cover the last 48 months (Oct 2022 - Sep 2026).
    months = pd.to_datetime(rolling["Month_Year"], format="%d/%m/%Y")
    assert (months.min(), months.max()) == (pd.Timestamp("2022-10-01"), pd.Timestamp("2026-09-01"))


def test_dashboard_financial_years(demo):
    files = dashboard_files(demo)
    # The yearly files hold one financial year each, April to March, named as published.
    fy = files["MPS_BoroughSNT_OtherCrimeDatafy19-20.csv"]
    assert set(fy["Financial Year"]) == {"fy19-20"}
    months = set(fy["Month_Year"])
    assert {"01/04/2019", "01/03/2020"} <= months
    assert not {"01/03/2019", "01/04/2020"} & months
    assert "FY_FYIndex" not in fy  # older yearly files have no FY_FYIndex
    rolling = files["M1045_MonthlyCrimeDashboard_OtherCrimeData.csv"].drop_duplicates(
        "Month_Year").set_index("Month_Year")
    assert rolling.loc["01/03/2023", "Financial Year"] == "fy22-23"
    assert rolling.loc["01/04/2023", "Financial Year"] == "fy23-24"
    assert rolling.loc["01/09/2026", "Financial Year"] == "fy26-27"


@pytest.mark.shared_data
def test_categories_are_the_real_old_classification(shared_data, borough_files):
    real = pd.read_csv(
        shared_data
        / "mps-borough"
        / "vintage-2023-08"
        / "MPS Borough Level Crime (Historical).csv",
        usecols=["MajorText", "MinorText"],
    )
    historical, recent = borough_files
    ours = set(map(tuple, pd.concat([historical, recent])[["MajorText", "MinorText"]].values))
    assert ours == set(map(tuple, real.drop_duplicates().values))


def test_mps_file_conventions(demo, borough_files, ward_file):
    for frame in (*borough_files, ward_file):
        keys = [c for c in frame.columns if not re.fullmatch(r"\d{6}", c)]
        order = (
            ["LookUp_BoroughName", "WardName", "MajorText", "MinorText"]
            if "WardName" in keys
            else ["LookUp_BoroughName", "MajorText", "MinorText"]
        )
        # Sorted like the real files; rows that are zero in every month are left out.
        assert frame[order].equals(frame[order].sort_values(order))
        assert (frame[month_columns(frame)].sum(axis=1) > 0).all()
        assert not frame.duplicated(keys).any()
    text = demo["borough_historical"].read_text()
    assert (
        'Miscellaneous Crimes Against Society,"Disclosure, Obstruction, False or Misleading State",'
        in text
    )
    historical, recent = borough_files
    assert set(historical["LookUp_BoroughName"]) == set(DEMO_BOROUGHS) | {AIRPORTS}
    assert set(recent["LookUp_BoroughName"]) == set(DEMO_BOROUGHS) | {AIRPORTS}
    assert set(ward_file["LookUp_BoroughName"]) == set(DEMO_BOROUGHS) | {AVIATION}


# --- months ----------------------------------------------------------------------------------


def test_months_run_from_2017_01_to_2026_09_without_gaps(borough_files):
    historical, recent = borough_files
    expected = [m.replace("-", "") for m in demo_module.demo_months()]
    assert expected[0] == "201701" and expected[-1] == "202609" and len(expected) == 117
    assert month_columns(historical) + month_columns(recent) == expected
    assert month_columns(recent) == expected[-24:]


@pytest.mark.shared_data
def test_historical_and_recent_files_meet_like_the_real_ones(shared_data, borough_files):
    # Every real vintage: the Historical file stops the month before the 24-month file starts
    # (e.g. 2023-08: Historical ends 202107, 24 months start 202108); no month is in both.
    for vintage in ("vintage-2023-08", "vintage-2024-02", "vintage-2025-03"):
        folder = shared_data / "mps-borough" / vintage
        real_h = month_columns(
            pd.read_csv(folder / "MPS Borough Level Crime (Historical).csv", nrows=1)
        )
        real_r = month_columns(
            pd.read_csv(folder / "MPS Borough Level Crime (most recent 24 months).csv", nrows=1)
        )
        assert not set(real_h) & set(real_r)
        assert pd.Period(real_h[-1], "M") + 1 == pd.Period(real_r[0], "M")
    historical, recent = borough_files
    ours_h, ours_r = month_columns(historical), month_columns(recent)
    assert not set(ours_h) & set(ours_r)
    assert ours_h[-1] == "202409" and ours_r[0] == "202410"


def test_ward_file_covers_the_last_24_months(ward_file):
    months = month_columns(ward_file)
    assert months[0] == "202410" and months[-1] == "202609" and len(months) == 24


# --- totals ----------------------------------------------------------------------------------


def test_ward_rows_sum_below_borough_totals(borough_files, ward_file):
    _, recent = borough_files
    months = month_columns(ward_file)
    boroughs = recent[recent["LookUp_BoroughName"] != AIRPORTS]
    borough_total = boroughs.groupby("LookUp_BoroughName")[months].sum()
    wards = ward_file[ward_file["LookUp_BoroughName"] != AVIATION]
    ward_total = wards.groupby("LookUp_BoroughName")[months].sum()
    assert (ward_total <= borough_total).all().all()
    gap = 1 - ward_total / borough_total  # real Lewisham 2021-22: 1 - 27,726 / 28,409 = 2.4%
    assert gap.min().min() >= 0.005
    assert gap.max().max() <= 0.05


def test_airport_rows(borough_files, ward_file, lookup):
    historical, recent = borough_files
    for frame in (historical, recent):
        airport = frame[frame["LookUp_BoroughName"] == AIRPORTS]
        assert 5 <= len(airport) <= 25
        # Small: the busiest airport row stays far below a borough's.
        assert airport[month_columns(frame)].to_numpy().max() < 60
    aviation = ward_file[ward_file["LookUp_BoroughName"] == AVIATION]
    assert len(aviation) > 0
    ward_codes = set(aviation["WardCode"])
    assert len(ward_codes) == 1
    # The airport ward is also an ordinary ward of one demo borough.
    assert ward_codes <= set(lookup["WD25CD"])


def test_populations_add_up(demo, lookup):
    ltla = pd.read_csv(demo["population_ltla"])
    lsoa = pd.read_csv(demo["population_lsoa"])
    bands = [c for c in ltla.columns if c.startswith("Age: Aged")]
    assert len(bands) == 18
    for frame in (ltla, lsoa):
        assert (frame[bands].sum(axis=1) == frame["Age: Total"]).all()
        assert (frame["date"] == 2021).all()
    assert sorted(ltla["geography"]) == DEMO_BOROUGHS
    merged = lookup.merge(lsoa, left_on="LSOA21CD", right_on="geography code", validate="1:1")
    assert len(merged) == len(lsoa) == len(lookup)
    assert (merged["LSOA21NM"] == merged["geography"]).all()
    by_borough = merged.groupby("LAD25NM")[["Age: Total", *bands]].sum()
    pd.testing.assert_frame_equal(
        by_borough, ltla.set_index("geography")[["Age: Total", *bands]], check_names=False
    )
    totals = ltla.set_index("geography")["Age: Total"]
    assert totals.between(150_000, 400_000).all()
    assert 270_000 <= totals[DEMO_BOROUGH] <= 290_000
    # LSOA names carry their borough, like "Lewisham 021C".
    assert (
        merged["LSOA21NM"].str.replace(r" \d{3}[A-Z]$", "", regex=True) == merged["LAD25NM"]
    ).all()


def test_ward_and_lsoa_counts(lookup):
    wards_per_borough = lookup.groupby("LAD25NM")["WD25CD"].nunique()
    assert wards_per_borough[DEMO_BOROUGH] == 18
    assert wards_per_borough.between(14, 22).all()
    lsoas_per_ward = lookup.groupby("WD25CD").size()
    assert lsoas_per_ward.between(6, 10).all()
    assert lookup["ObjectId"].tolist() == list(range(1, len(lookup) + 1))
    # Each borough has one town-centre ward, named after it.
    for borough, names in lookup.groupby("LAD25NM")["WD25NM"]:
        centres = {n for n in names if n.endswith(" Central")}
        assert centres == {f"{borough.split()[0]} Central"}


def test_dashboard_series_are_plausible_and_consistent(demo, monthly_totals):
    from slp.sources.dashboard import read_dashboard

    dash = read_dashboard(demo["dashboard"])
    wide = dash.data.pivot_table(index=["borough", "month"], columns="measure", values="count")
    wide.index = wide.index.set_levels(wide.index.levels[1].strftime("%Y%m"), level=1)
    assert (wide["knife_crime_with_injury"] <= wide["knife_crime"]).all()
    assert (wide["domestic_abuse_violence_with_injury"] <= wide["domestic_abuse"]).all()
    assert wide["gun_crime"].between(0, 8).all()
    assert (wide["gun_crime"] == 0).mean() > 0.1  # small counts: disclosure control has work
    # The TNO files hold the demo's recorded crime exactly (the newer file wins on overlaps).
    total = monthly_totals.stack().reindex(wide.index)
    assert (wide["total_notifiable_offences"] == total).all()
    share = wide.sum() / total.sum()
    assert 0.10 <= share["domestic_abuse"] <= 0.13
    assert 0.014 <= share["knife_crime"] <= 0.02
    assert 0.25 <= wide["knife_crime_with_injury"].sum() / wide["knife_crime"].sum() <= 0.30


# --- what the reports should find ------------------------------------------------------------


def test_covid_dip_in_the_focus_borough(monthly_totals):
    focus = monthly_totals.loc[DEMO_BOROUGH]
    april = np.mean([focus["201704"], focus["201804"], focus["201904"]])
    assert focus["202004"] < 0.85 * april
    january = np.mean([focus["201801"], focus["201901"]])
    assert focus["202101"] < 0.85 * january
    # ... and by 2023 the borough is back to pre-pandemic levels.
    assert sum(focus[f"2023{m:02d}"] for m in range(1, 13)) > 0.95 * sum(
        focus[f"2019{m:02d}"] for m in range(1, 13)
    )


def test_seasonality(borough_long):
    before = borough_long[borough_long["month"].str[:4].isin(["2017", "2018", "2019"])]
    by_month = before.groupby(["MajorText", before["month"].str[4:]])["count"].sum().unstack()
    summer, winter = ["06", "07", "08"], ["12", "01", "02"]
    violence = by_month.loc["Violence Against the Person"]
    burglary = by_month.loc["Burglary"]
    assert violence[summer].sum() > 1.05 * violence[winter].sum()
    assert burglary[winter].sum() > 1.05 * burglary[summer].sum()


def test_london_rate_and_mix(borough_long, demo):
    population = pd.read_csv(demo["population_ltla"]).set_index("geography")["Age: Total"]
    before = borough_long[borough_long["month"].str[:4].isin(["2017", "2018", "2019"])]
    yearly = before.groupby("LookUp_BoroughName")["count"].sum() / 3
    rate = (yearly / population * 1000).sort_values()
    assert 80 <= yearly.sum() / population.sum() * 1000 <= 110
    # The focus borough is mid-table: neither among the 8 lowest nor the 8 highest.
    assert 8 <= list(rate.index).index(DEMO_BOROUGH) < 24
    share = before.groupby("MajorText")["count"].sum() / before["count"].sum()
    assert 0.22 <= share["Violence Against the Person"] <= 0.32
    assert 0.25 <= share["Theft"] <= 0.35


def test_town_centre_is_the_focus_hotspot(ward_file, lookup, demo):
    lsoa = pd.read_csv(demo["population_lsoa"])
    population = lookup.merge(lsoa, left_on="LSOA21CD", right_on="geography code")
    population = population.groupby("WD25NM")["Age: Total"].sum()
    focus = ward_file[ward_file["LookUp_BoroughName"] == DEMO_BOROUGH]
    crimes = focus.groupby("WardName")[month_columns(focus)].sum().sum(axis=1)
    rate = (crimes / population.reindex(crimes.index)).sort_values(ascending=False)
    assert rate.index[0] == f"{DEMO_BOROUGH} Central"
    assert rate.iloc[0] > 1.5 * rate.median()


def test_shoplifting_rises_in_the_focus_borough(borough_long):
    rows = borough_long[
        (borough_long["LookUp_BoroughName"] == DEMO_BOROUGH)
        & (borough_long["MinorText"] == "Shoplifting")
    ].sort_values("month")
    counts = rows["count"].to_numpy()
    assert counts[-12:].sum() > 1.25 * counts[-24:-12].sum()


# --- boundaries ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def boundaries(demo):
    return (
        gpd.read_file(demo["borough_boundaries"]),
        gpd.read_file(demo["ward_boundaries"]),
        gpd.read_file(demo["lsoa_boundaries"]),
    )


def test_boundary_layouts(boundaries, lookup, ward_file):
    boroughs, wards, lsoas = boundaries
    assert list(boroughs.columns) == ["LAD22CD", "LAD22NM", "geometry"]
    assert list(wards.columns) == ["WD22CD", "WD22NM", "LAD22NM", "geometry"]
    assert list(lsoas.columns) == ["LSOA21CD", "LSOA21NM", "geometry"]
    for frame in boundaries:
        assert frame.crs.to_epsg() == 27700
        assert frame.is_valid.all()
    assert sorted(boroughs["LAD22NM"]) == DEMO_BOROUGHS
    assert set(wards["WD22CD"]) == set(lookup["WD25CD"]) == set(ward_file["WardCode"])
    assert set(lsoas["LSOA21CD"]) == set(lookup["LSOA21CD"])
    # Roughly London-sized (real: 1,572 km2 for the 33 authorities) and in London's corner of
    # the British National Grid.
    assert 1000 < boroughs.area.sum() / 1e6 < 1600
    minx, miny, maxx, maxy = boroughs.total_bounds
    assert 490_000 < minx < maxx < 570_000 and 150_000 < miny < maxy < 210_000


def test_wards_and_lsoas_tile_their_parents(boundaries, lookup):
    boroughs, wards, lsoas = boundaries
    focus_wards = wards[wards["LAD22NM"] == DEMO_BOROUGH]
    assert len(focus_wards) == 18
    for name, parts in wards.groupby("LAD22NM"):
        whole = boroughs.loc[boroughs["LAD22NM"] == name].geometry.iloc[0]
        # No gaps (union = borough) and no overlaps (areas add up).
        assert parts.union_all().area == pytest.approx(whole.area, rel=1e-3)
        assert parts.area.sum() == pytest.approx(whole.area, rel=1e-3)
    ward_of = lsoas.merge(lookup[["LSOA21CD", "WD25CD"]], on="LSOA21CD")
    ward_geom = wards.set_index("WD22CD").geometry
    for code, parts in ward_of.groupby("WD25CD"):
        assert parts.union_all().area == pytest.approx(ward_geom[code].area, rel=1e-3)
        assert parts.area.sum() == pytest.approx(ward_geom[code].area, rel=1e-3)


def test_comparators_share_a_boundary_with_the_focus_borough(boundaries):
    boroughs = boundaries[0].set_index("LAD22NM").geometry
    for name in DEMO_COMPARATORS:
        assert boroughs[DEMO_BOROUGH].intersection(boroughs[name]).length > 1000  # metres


def test_boundary_files_are_small(demo):
    size = sum(demo[r].stat().st_size for r in FILES if r.endswith("_boundaries"))
    assert size < 2_000_000


# --- street ----------------------------------------------------------------------------------


def test_street_files(demo, boundaries, monthly_totals, lookup):
    lsoas = boundaries[2].set_index("LSOA21CD").geometry
    focus_lsoas = set(lookup.loc[lookup["LAD25NM"] == DEMO_BOROUGH, "LSOA21CD"])
    to_bng = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    for path in sorted(demo["street"].iterdir()):
        month = path.name[:7]
        rows = pd.read_csv(path, dtype=str, keep_default_na=False)
        assert (rows["Month"] == month).all()
        assert (
            set(rows["Reported by"]) == set(rows["Falls within"]) == {"Metropolitan Police Service"}
        )
        assert set(rows["Crime type"]) <= POLICE_UK_TYPES
        asb = rows["Crime type"] == "Anti-social behaviour"
        assert (rows.loc[asb, "Crime ID"] == "").all()
        assert (rows.loc[asb, "Last outcome category"] == "").all()
        assert rows.loc[~asb, "Crime ID"].str.fullmatch(r"[0-9a-f]{64}").all()
        # Every crime in the borough file is a row here (offences without a ward included).
        assert (~asb).sum() == monthly_totals.loc[DEMO_BOROUGH, month.replace("-", "")]
        # About 1% have no location: empty coordinates and LSOA, "No Location", listed last.
        nowhere = rows["LSOA code"] == ""
        assert 0.002 <= nowhere.mean() <= 0.02
        assert (rows.loc[nowhere, "Location"] == "No Location").all()
        assert (rows.loc[nowhere, ["Longitude", "Latitude", "LSOA name"]] == "").all().all()
        assert nowhere.to_numpy()[-nowhere.sum() :].all()
        placed = rows[~nowhere]
        assert set(placed["LSOA code"]) <= focus_lsoas
        assert placed["Location"].str.startswith("On or near ").all()
        x, y = to_bng.transform(placed["Longitude"].astype(float), placed["Latitude"].astype(float))
        assert shapely.contains_xy(lsoas.loc[placed["LSOA code"]].to_numpy(), x, y).all()


def test_readme_says_synthetic(demo):
    text = demo["readme"].read_text()
    assert "SYNTHETIC" in text and "slp demo" in text and "not real" in text.lower()


# --- determinism and safe writing ------------------------------------------------------------


def test_same_seed_gives_identical_files(demo, tmp_path):
    # The second write replaces an earlier demo in place, as ``slp demo`` run twice would.
    out = tmp_path / "again"
    out.mkdir()
    (out / "README.md").write_text("SYNTHETIC demonstration data from an older run\n")
    (out / "stale.csv").write_text("old\n")
    messages: list[str] = []
    geography.build_map.cache_clear()  # rebuild the map too, as a fresh process would
    again = write_demo(out, progress=messages.append)
    assert messages and messages[-1].startswith("Demo data set written")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again"]

    first, second = demo["readme"].parent, again["readme"].parent
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for relative in files:
        if relative.suffix == ".gpkg":
            # GeoPackages embed a timestamp; it is pinned, but compare contents so a GDAL
            # upgrade that changes the bytes does not fail the test.
            a, b = gpd.read_file(first / relative), gpd.read_file(second / relative)
            pd.testing.assert_frame_equal(a.drop(columns="geometry"), b.drop(columns="geometry"))
            assert a.geometry.geom_equals_exact(b.geometry, tolerance=0).all()
        else:
            assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative


def test_a_different_seed_changes_counts_but_not_the_map():
    demo_map = geography.build_map()
    a = counts.simulate(demo_map, np.random.default_rng(2017))
    b = counts.simulate(demo_map, np.random.default_rng(2018))
    assert a.ward.shape == b.ward.shape
    assert not np.array_equal(a.ward, b.ward)
    # Totals stay within a few percent: the seed is noise, not a different London.
    assert a.ward.sum() == pytest.approx(b.ward.sum(), rel=0.03)


def test_refuses_to_replace_a_folder_that_is_not_a_demo(tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    with pytest.raises(SlpError, match="not a demo data set"):
        write_demo(precious)
    assert (precious / "notes.txt").read_text() == "keep me"


def test_an_interrupted_write_leaves_nothing_behind(tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(street, "write", fail)
    with pytest.raises(KeyboardInterrupt):
        write_demo(tmp_path / "demo")
    assert list(tmp_path.iterdir()) == []


# --- the project's own loaders read the demo -------------------------------------------------


def test_loaders_read_the_demo(demo):
    from slp.sources.borough import read_borough_crime
    from slp.sources.dashboard import read_dashboard, read_mapping
    from slp.sources.population import read_population
    from slp.sources.street import read_street
    from slp.sources.ward import read_ward_crime

    borough = read_borough_crime([demo["borough_historical"], demo["borough_recent"]])
    assert set(borough.data["borough"]) == set(DEMO_BOROUGHS)
    assert (borough.coverage.first_month, borough.coverage.last_month) == ("2017-01", "2026-09")
    assert set(borough.unattributed["borough"]) == {AIRPORTS}
    historical = pd.read_csv(demo["borough_historical"])
    recent = pd.read_csv(demo["borough_recent"])
    expected = sum(
        f.loc[f["LookUp_BoroughName"] != AIRPORTS, month_columns(f)].to_numpy().sum()
        for f in (historical, recent)
    )
    assert borough.data["count"].sum() == expected

    ward = read_ward_crime(demo["ward_recent"], boundaries=demo["ward_boundaries"])
    assert ward.boundary_match == 1.0
    assert ward.data.groupby("borough")["ward_code"].nunique()[DEMO_BOROUGH] == 18

    dashboard = read_dashboard(demo["dashboard"])
    assert {
        "domestic_abuse",
        "domestic_abuse_violence_with_injury",
        "knife_crime",
        "knife_crime_with_injury",
        "knife_injury_victims_1_24",
        "gun_crime",
        "lethal_barrel_discharge",
        "hate_crime",
    } <= set(dashboard.measures)
    assert dashboard.measures == list(read_mapping())

    population = read_population(demo["population_ltla"])
    assert set(population.by_area.index) == set(DEMO_BOROUGHS)

    street = read_street(demo["street"])
    assert street.no_location > 0
    assert set(street.data["borough"]) == {DEMO_BOROUGH}


# --- the data tables behind the demo ---------------------------------------------------------


def test_every_data_file_is_documented_and_read():
    folder = Path(tables.__file__).with_name("data")
    shipped = sorted(p.name for p in folder.iterdir() if p.name != "README.md")
    readme = (folder / "README.md").read_text()
    assert shipped == [
        "age_bands.csv",
        "categories.csv",
        "covid.csv",
        "major_categories.csv",
        "names.yaml",
        "outcomes.csv",
        "police_uk_lags.csv",
        "police_uk_outcomes.csv",
        "police_uk_types.csv",
    ]
    assert all(f"`{name}`" in readme for name in shipped)


def test_category_tables_hang_together():
    categories = tables.categories()
    profiles = tables.major_profiles()
    assert {c.major for c in categories} == set(profiles)
    assert len({(c.major, c.minor) for c in categories}) == len(categories)
    # Minor names are cut at 50 characters, as the MPS publishes them.
    assert max(len(c.minor) for c in categories) == 50
    assert {c.police_uk_type for c in categories} | {"Anti-social behaviour"} == POLICE_UK_TYPES
    shoplifting = next(c for c in categories if c.minor == "Shoplifting")
    assert shoplifting.trend == 0.05 and shoplifting.police_uk_type == "Shoplifting"
    for profile in profiles.values():
        assert len(profile.season) == 12
        assert 0.95 <= sum(profile.season) / 12 <= 1.05  # a seasonal index averages about 1


def test_covid_outcome_and_name_tables():
    shape = tables.covid_shape()
    # The deepest months are the first and third lockdowns (April 2020, January 2021).
    assert {m for m, share in shape.items() if share == 1.0} == {"2020-04", "2021-01"}
    assert min(shape) == "2020-03" and max(shape) == "2021-11"
    assert sum(share for _, share in tables.outcomes()) == pytest.approx(1.0)
    names = tables.names()
    assert len(set(names.stems)) == len(names.stems) == 70
    assert names.ward_endings[0] == ("", 6.0) and ("Green", 1.0) not in names.ward_endings
    assert (" Green", 1.0) in names.ward_endings
    assert [band for band, _ in tables.age_bands()][::17] == [
        "Aged 4 years and under",
        "Aged 85 years and over",
    ]


def test_headers_are_the_loaders_own(demo):
    from slp.sources import borough, boundaries, dashboard, population, ward
    from slp.sources._csv import looks_like
    from slp.sources.street import ALL_COLUMNS

    def header(role: str) -> list[str]:
        return pd.read_csv(demo[role], nrows=0, encoding="utf-8-sig").columns.tolist()

    for path in demo["dashboard"].glob("*.csv"):
        columns = pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns
        assert looks_like(columns) == (dashboard.SOURCE, "read_dashboard"), path.name
    assert header("lsoa_ward_lookup") == list(boundaries.ONS_LOOKUP_COLUMNS)
    assert header("population_ltla")[:4] == list(population.CENSUS_COLUMNS)
    assert header("borough_recent")[:3] == list(borough.LAYOUTS[0].columns)
    assert header("ward_recent")[:5] == list(ward.LAYOUTS[0].columns)
    first_street = sorted(demo["street"].iterdir())[0]
    assert pd.read_csv(first_street, nrows=0).columns.tolist() == list(ALL_COLUMNS)
