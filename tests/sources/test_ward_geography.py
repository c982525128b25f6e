"""Ward layers dissolved from LSOAs (best fit) and ward populations by two methods."""

from __future__ import annotations

import csv

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from slp.coverage import Coverage
from slp.errors import SourceError
from slp.sources.population import Population
from slp.sources.ward_geography import (
    BEST_FIT_CAVEAT,
    area_weighted_population,
    best_fit_wards,
    compare_ward_populations,
    uncertainty_note,
    ward_layer,
    ward_population_uncertainty,
)

# Four 1 km squares in a row, LSOAs A-D at easting 530-534 km.
LSOAS = gpd.GeoDataFrame(
    {"code": ["E01000001", "E01000002", "E01000003", "E01000004"], "name": list("ABCD")},
    geometry=[box(530_000 + i * 1000, 170_000, 531_000 + i * 1000, 171_000) for i in range(4)],
    crs="EPSG:27700",
)
LOOKUP = pd.DataFrame(
    {
        "lsoa_code": ["E01000001", "E01000002", "E01000003", "E01000004"],
        "ward_code": ["E05000001", "E05000001", "E05000002", "E05000003"],
        "ward_name": ["West", "West", "Middle", "East"],
        "borough": ["Here", "Here", "Here", "There"],
    }
)


def lsoa_population(values: dict[str, int]) -> Population:
    by_lsoa = pd.Series(values, dtype="int64", name="residents")
    by_lsoa.index.name = "lsoa_code"
    return Population(
        by_area=pd.Series({"Here": sum(values.values())}),
        label="test LSOA population",
        coverage=Coverage(source="Population", format="test"),
        by_lsoa=by_lsoa,
        geography="LSOA",
    )


def test_best_fit_wards_dissolve_lsoas_by_the_lookup():
    wards = best_fit_wards(LSOAS, LOOKUP)
    assert list(wards.columns) == ["code", "name", "borough", "geometry"]
    assert wards.crs.to_epsg() == 27700
    by_code = wards.set_index("code")
    # West = A + B: 2 km2, one polygon 530-532 km; Middle = C; East = D (another borough).
    assert by_code.loc["E05000001", "geometry"].area == pytest.approx(2_000_000)
    assert by_code.loc["E05000001", "geometry"].bounds == (530_000, 170_000, 532_000, 171_000)
    assert by_code.loc["E05000002", "name"] == "Middle"
    assert by_code.loc["E05000003", "borough"] == "There"
    assert BEST_FIT_CAVEAT in wards.attrs["caveats"]


def test_best_fit_wards_of_one_borough():
    wards = best_fit_wards(LSOAS, LOOKUP, boroughs="Here")
    assert sorted(wards["code"]) == ["E05000001", "E05000002"]


def test_lookup_lsoa_without_polygon_is_a_caveat():
    wards = best_fit_wards(LSOAS.iloc[:3], LOOKUP)
    assert any("1 LSOA(s) of the lookup have no polygon (e.g. E01000004)" in c for c in wards.attrs["caveats"])


def test_unknown_borough_and_other_vintage_are_errors():
    with pytest.raises(SourceError, match="has no LSOA of Nowhere"):
        best_fit_wards(LSOAS, LOOKUP, boroughs=["Nowhere"])
    other = LOOKUP.assign(lsoa_code=["E01099991", "E01099992", "E01099993", "E01099994"])
    with pytest.raises(SourceError, match="shares no LSOA code with the boundaries"):
        best_fit_wards(LSOAS, other)


def two_wards(split: int, codes=("E05000001", "E05000002"), names=("West", "Middle")):
    """Real wards meeting at easting ``split``, covering 530-533 km (LSOAs A, B and C)."""
    return gpd.GeoDataFrame(
        {"code": list(codes), "name": list(names)},
        geometry=[box(530_000, 170_000, split, 171_000), box(split, 170_000, 533_000, 171_000)],
        crs="EPSG:27700",
    )


def test_area_weighted_population_splits_straddling_lsoas_by_area():
    # Real wards: "left" covers A and the west quarter of B; "right" the rest of B and C.
    wards = two_wards(531_250, ("left", "right"), ("Left", "Right"))
    pop = lsoa_population({"E01000001": 100, "E01000002": 400, "E01000003": 60, "E01000004": 7})
    out = area_weighted_population(pop, LSOAS, wards)
    # left = 100 + 400 * 0.25 = 200; right = 400 * 0.75 + 60 = 360 (D is in neither).
    assert out.to_dict() == pytest.approx({"left": 200.0, "right": 360.0})


def test_compare_flags_wards_where_methods_differ_by_more_than_ten_percent():
    wards = two_wards(532_100)  # real West ends 100 m into C: it gets 10% of C's residents
    pop = lsoa_population({"E01000001": 500, "E01000002": 500, "E01000003": 1000, "E01000004": 1})
    table = compare_ward_populations(pop, LOOKUP, LSOAS, wards)
    rows = table.set_index("ward_code")
    # Best fit: West = 500 + 500 = 1000, Middle = 1000. Area: West 1100, Middle 900.
    assert rows.loc["E05000001", "best_fit"] == 1000 and rows.loc["E05000002", "best_fit"] == 1000
    assert rows.loc["E05000001", "area_weighted"] == pytest.approx(1100)
    assert rows.loc["E05000002", "relative_difference"] == pytest.approx(-0.10)
    # +10% exactly is not "more than 10%"; nudge: West +10%, Middle -10% -> neither flagged.
    assert not rows["uncertain"].any()
    flagged = compare_ward_populations(pop, LOOKUP, LSOAS, two_wards(532_200))
    flagged = flagged.set_index("ward_code")
    assert flagged["uncertain"].tolist() == [True, True]  # +20% and -20%
    note = uncertainty_note(flagged.reset_index())
    assert "up to 20%" in note and "more than 10% for West, Middle" in note


def test_ward_layer_prefers_own_boundaries_that_cover_the_borough():
    own = two_wards(532_000)  # the real West and Middle of "Here"
    layer = ward_layer("Here", own=own, lsoa_boundaries=LSOAS, lookup=LOOKUP)
    assert layer.method == "own boundaries" and layer.frame is own


def test_ward_layer_falls_back_to_best_fit_for_another_borough():
    own = two_wards(532_000)  # covers "Here", not "There"
    layer = ward_layer("There", own=own, lsoa_boundaries=LSOAS, lookup=LOOKUP)
    assert layer.method == "best fit"
    assert list(layer.frame["code"]) == ["E05000003"]
    assert BEST_FIT_CAVEAT in layer.caveats


def test_ward_layer_without_sources_says_what_is_missing():
    layer = ward_layer("There", own=two_wards(532_000), lookup=LOOKUP)
    assert layer.frame is None and layer.method == "none"
    assert "no ward boundaries cover There" in layer.caveats[0]
    empty = ward_layer("Elsewhere", lsoa_boundaries=LSOAS, lookup=LOOKUP)
    assert empty.frame is None and "no wards for Elsewhere" in empty.caveats[0]


def test_comparing_against_best_fit_wards_is_refused():
    pop = lsoa_population({"E01000001": 1, "E01000002": 1, "E01000003": 1, "E01000004": 1})
    with pytest.raises(SourceError, match="cannot be checked against best-fit wards"):
        compare_ward_populations(pop, LOOKUP, LSOAS, best_fit_wards(LSOAS, LOOKUP))


def test_population_uncertainty_needs_real_ward_boundaries():
    pop = lsoa_population({"E01000001": 500, "E01000002": 500, "E01000003": 1000, "E01000004": 1})
    own = ward_layer("Here", own=two_wards(532_200), lsoa_boundaries=LSOAS, lookup=LOOKUP)
    table, note = ward_population_uncertainty(pop, LOOKUP, LSOAS, own)
    assert table["uncertain"].all() and "more than 10% for West, Middle" in note
    fitted = ward_layer("There", lsoa_boundaries=LSOAS, lookup=LOOKUP)
    table, note = ward_population_uncertainty(pop, LOOKUP, LSOAS, fitted)
    assert table is None and "cannot be estimated here" in note


# --- real data ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(shared_data):
    from slp.sources.boundaries import read_boundaries, read_lookup

    lsoa = read_boundaries(
        shared_data / "boundaries/london-lsoa-2021/london-2021-lsoa-gen20.shp"
    )
    lookup = read_lookup(shared_data / "population/lsoa21-ward25-lad25-lookup.csv")
    return lsoa, lookup


def test_every_london_borough_gets_wards_matching_the_lookup(real):
    from slp.boroughs import LONDON_BOROUGHS

    lsoa, lookup = real
    wards = best_fit_wards(lsoa, lookup, boroughs=list(LONDON_BOROUGHS))
    assert set(wards["borough"]) == set(LONDON_BOROUGHS)
    for borough in LONDON_BOROUGHS:
        expected = set(lookup.loc[lookup["borough"] == borough, "ward_code"])
        got = set(wards.loc[wards["borough"] == borough, "code"])
        assert got == expected, borough
    assert wards.geometry.is_valid.all() and (wards.geometry.area > 0).all()


def test_lewisham_dissolve_matches_its_own_2022_wards(real, shared_data):
    from slp.sources.boundaries import read_boundaries

    lsoa, lookup = real
    ours = best_fit_wards(lsoa, lookup, boroughs="Lewisham").set_index("code")
    theirs = read_boundaries(
        shared_data / "boundaries/lewisham-wards-2022/lbl_wd22_proposed.gpkg"
    ).set_index("code")
    assert sorted(ours.index) == sorted(theirs.index)  # the 19 wards of May 2022
    # The borough outline agrees to within 1%; each ward overlaps its real self by >= 70%
    # (measured: 99.3% overall, wards 75%-99.7%, median 94%).
    whole = ours.union_all().intersection(theirs.union_all()).area / theirs.union_all().area
    assert whole > 0.99
    shared = ours.geometry.intersection(theirs.geometry, align=True).area / theirs.area
    assert shared.min() > 0.70 and shared.median() > 0.90


def test_lewisham_central_population_by_both_methods(real, shared_data):
    from slp.sources.boundaries import read_boundaries
    from slp.sources.population import read_population

    lsoa, lookup = real
    # Independent best-fit sum straight from the two CSVs.
    with open(shared_data / "population/lsoa21-ward25-lad25-lookup.csv", encoding="utf-8-sig") as f:
        central = {r["LSOA21CD"] for r in csv.DictReader(f) if r["WD25NM"] == "Lewisham Central"}
    with open(shared_data / "population/census2021-ts007a-lsoa.csv", encoding="utf-8") as f:
        by_hand = sum(int(r["Age: Total"]) for r in csv.DictReader(f) if r["geography code"] in central)
    assert by_hand == 9293  # the figure quoted in issue 13
    pop = read_population(shared_data / "population/census2021-ts007a-lsoa.csv")
    wards = read_boundaries(shared_data / "boundaries/lewisham-wards-2022/lbl_wd22_proposed.gpkg")
    table = compare_ward_populations(pop, lookup, lsoa, wards).set_index("ward_name")
    assert table.loc["Lewisham Central", "best_fit"] == by_hand
    # The area-weighted split differs by more than 10% for Lewisham Central (measured ~ -11%).
    assert table.loc["Lewisham Central", "uncertain"]
    # Both methods share out nearly the same borough total (Census 2021 Lewisham: 300,551;
    # LSOA counts are rounded, and generalised polygons lose a sliver at the edge).
    assert table["best_fit"].sum() == pytest.approx(300_551, rel=0.001)
    assert table["area_weighted"].sum() == pytest.approx(300_551, rel=0.002)


def test_every_borough_gets_a_ward_layer_lewisham_its_own(real, shared_data):
    from slp.boroughs import LONDON_BOROUGHS

    lsoa, lookup = real
    own = shared_data / "boundaries/lewisham-wards-2022/lbl_wd22_proposed.gpkg"
    for borough in LONDON_BOROUGHS:
        layer = ward_layer(borough, own=own, lsoa_boundaries=lsoa, lookup=lookup)
        assert layer.frame is not None and len(layer.frame) >= 10, borough
        assert layer.method == ("own boundaries" if borough == "Lewisham" else "best fit")
