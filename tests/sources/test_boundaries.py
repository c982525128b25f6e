"""Boundaries in any format and CRS -> code, name, geometry in EPSG:27700; LSOA-ward lookups."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
from shapely.geometry import box

from slp.errors import SourceError
from slp.sources.boundaries import read_boundaries, read_lookup


def squares(columns: dict, crs: str = "EPSG:27700", origin=(530000, 170000), size=1000):
    n = len(next(iter(columns.values())))
    x, y = origin
    geometry = [box(x + i * size, y, x + (i + 1) * size, y + size) for i in range(n)]
    return gpd.GeoDataFrame(columns, geometry=geometry, crs=crs)


@pytest.mark.parametrize(
    ("columns", "extra"),
    [
        (
            {
                "GSS_CODE": ["E05000437", "E05000438"],
                "NAME": ["Bellingham", "Blackheath"],
                "BOROUGH": ["Lewisham", "Lewisham"],
            },
            ["borough"],
        ),
        (
            {
                "WD22CD_proposed": ["E05013714", "E05013715"],
                "WD22NM_proposed": ["Bellingham", "Blackheath"],
            },
            [],
        ),
        ({"wd22cd": ["E05013714", "E05013715"], "wd22nm": ["Bellingham", "Blackheath"]}, []),
        (
            {
                "LSOA21CD": ["E01003189", "E01003190"],
                "LSOA21NM": ["Lewisham 001A", "Lewisham 001B"],
                "LAD22CD": ["E09000023", "E09000023"],
                "LAD22NM": ["Lewisham", "Lewisham"],
            },
            ["borough"],
        ),
        ({"LAD22CD": ["E09000023", "E09000011"], "LAD22NM": ["Lewisham", "Greenwich"]}, []),
    ],
)
@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".shp"])
@pytest.mark.filterwarnings("ignore:Column names longer than 10:UserWarning")
@pytest.mark.filterwarnings("ignore:Normalized/laundered field name:RuntimeWarning")
def test_code_and_name_columns_are_normalised(tmp_path, columns, extra, suffix):
    path = tmp_path / f"areas{suffix}"
    squares(columns).to_file(path)
    out = read_boundaries(path)
    assert list(out.columns) == ["code", "name", *extra, "geometry"]
    assert out.crs.to_epsg() == 27700
    first_code, first_name = list(columns.values())[:2]
    assert out["code"].tolist() == first_code
    assert out["name"].tolist() == first_name


def test_wgs84_is_reprojected_to_bng(tmp_path):
    # A 1 km square in BNG, written in WGS84, must come back within a metre of where it was.
    bng = squares({"code": ["E05013714"], "name": ["Bellingham"]})
    path = tmp_path / "wgs84.geojson"
    bng.to_crs("EPSG:4326").to_file(path)
    out = read_boundaries(path)
    assert out.crs.to_epsg() == 27700
    minx, miny, maxx, maxy = out.total_bounds
    assert minx == pytest.approx(530000, abs=1)
    assert miny == pytest.approx(170000, abs=1)
    assert maxx == pytest.approx(531000, abs=1)
    assert out.geometry.area.iloc[0] == pytest.approx(1_000_000, rel=1e-3)


def test_no_crs_longitude_latitude_is_taken_as_wgs84(tmp_path):
    feature = {
        "type": "Feature",
        "properties": {"id": "E05013714", "name": "Bellingham"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[-0.02, 51.43], [-0.01, 51.43], [-0.01, 51.44], [-0.02, 51.43]]],
        },
    }
    path = tmp_path / "nocrs.json"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    out = read_boundaries(path)
    assert out.crs.to_epsg() == 27700
    # Lewisham is around easting 537-538 km, northing 172 km.
    x, y = out.geometry.iloc[0].centroid.coords[0]
    assert 536_000 < x < 539_000 and 171_000 < y < 174_000


def test_no_code_column(tmp_path):
    path = tmp_path / "x.gpkg"
    squares({"colour": ["red", "blue"]}).to_file(path)
    with pytest.raises(SourceError, match="no column of unique area codes.*found: colour"):
        read_boundaries(path)


def test_csv_given_as_boundaries(write):
    path = write("wards.csv", "WD22CD_proposed,WD22NM_proposed\nE05013714,Bellingham")
    with pytest.raises(SourceError, match="expected a shapefile, GeoPackage or GeoJSON"):
        read_boundaries(path)


def test_unreadable_file(tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text("{not json")
    with pytest.raises(SourceError, match="cannot be read as a shapefile, GeoPackage or GeoJSON"):
        read_boundaries(path)


def test_unreadable_file_gives_no_gdal_advice(tmp_path):
    path = tmp_path / "broken.gpkg"
    path.write_text("not a geopackage")
    with pytest.raises(SourceError) as info:
        read_boundaries(path)
    message = str(info.value)
    assert "'broken.gpkg' cannot be read" in message
    assert "DRIVER" not in message and "It might help" not in message


def test_shapefile_without_dbf_says_the_dbf_is_missing(tmp_path):
    squares({"GSS_CODE": ["E05000437"], "NAME": ["Bellingham"]}).to_file(tmp_path / "w.shp")
    (tmp_path / "w.dbf").unlink()
    with pytest.raises(SourceError, match=r"'w.shp' has no attribute table.*'w.dbf' is missing"):
        read_boundaries(tmp_path / "w.shp")


def test_geojson_in_bng_metres_without_crs_is_bng_with_a_caveat(tmp_path):
    # A 1 km square at easting 537 km, northing 172 km (Lewisham), written without "crs".
    ring = [[537000, 172000], [538000, 172000], [538000, 173000], [537000, 173000]]
    feature = {
        "type": "Feature",
        "properties": {"GSS_CODE": "E05013714", "NAME": "Bellingham"},
        "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
    }
    path = tmp_path / "bng.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    out = read_boundaries(path)
    assert out.crs.to_epsg() == 27700
    assert out.geometry.iloc[0].area == pytest.approx(1_000_000)  # 1 km2, not degrees
    assert any("read as EPSG:27700" in c for c in out.attrs["caveats"])


def test_geojson_with_coordinates_neither_degrees_nor_bng_is_an_error(tmp_path):
    ring = [[5e7, 5e7], [5e7 + 1, 5e7], [5e7, 5e7 + 1]]
    feature = {
        "type": "Feature",
        "properties": {"GSS_CODE": "E05013714", "NAME": "Bellingham"},
        "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
    }
    path = tmp_path / "odd.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    with pytest.raises(SourceError, match="'odd.geojson' has no coordinate reference system"):
        read_boundaries(path)


def test_html_saved_as_geojson_is_named(tmp_path):
    path = tmp_path / "wards.geojson"
    path.write_text("<!DOCTYPE html><html>Not found</html>")
    with pytest.raises(SourceError, match="'wards.geojson' is a web page"):
        read_boundaries(path)


def test_lewisham_lookup_layout(write):
    path = write(
        "lbl_lsoa11_wd22_proposed.csv",
        """
        LSOA11CD,WD22NM_proposed,WD22CD_proposed
        E01003316,Perry Vale,E05013729
        E01003314,Perry Vale,E05013729
        """,
    )
    out = read_lookup(path)
    assert list(out.columns) == ["lsoa_code", "ward_code", "ward_name"]
    assert out.to_dict("records")[0] == {
        "lsoa_code": "E01003316",
        "ward_code": "E05013729",
        "ward_name": "Perry Vale",
    }


def test_ons_lookup_layout_with_bom(write):
    path = write(
        "lsoa21-ward25-lad25-lookup.csv",
        """
        LSOA21CD,LSOA21NM,LSOA21NMW,WD25CD,WD25NM,WD25NMW,LAD25CD,LAD25NM,LAD25NMW,ObjectId
        E01003189,Lewisham 001A,,E05013730,Rushey Green,,E09000023,Lewisham,,1
        W01000001,Ynys Môn 001A,Ynys Môn 001A,W05001000,Aberffraw,Aberffraw,W06000001,Isle of Anglesey,Ynys Môn,2
        """,
        "utf-8-sig",
    )
    out = read_lookup(path)
    assert list(out.columns) == ["lsoa_code", "ward_code", "ward_name", "borough"]
    assert out["lsoa_code"].tolist() == ["E01003189", "W01000001"]
    assert out["borough"].tolist() == ["Lewisham", "Isle of Anglesey"]


def test_output_area_lookup_is_refused(write):
    path = write("oa.csv", "OA11CD,WD22NM_proposed,WD22CD_proposed\nE00016403,Evelyn,E05013721")
    with pytest.raises(SourceError, match="'OA11CD' holds output areas, not LSOAs"):
        read_lookup(path)


def test_lsoa_in_two_wards_is_refused(write):
    path = write(
        "l.csv",
        """
        LSOA11CD,WD22NM_proposed,WD22CD_proposed
        E01003316,Perry Vale,E05013729
        E01003316,Bellingham,E05013714
        """,
    )
    with pytest.raises(SourceError, match="lines 2, 3 repeat the same LSOA"):
        read_lookup(path)


# --- real data -----------------------------------------------------------------------------


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("relative", "rows", "first_code"),
    [
        ("lewisham-wards-2022/lbl_wd22_proposed.geojson", 19, "E05013714"),
        ("lewisham-wards-2022/lbl_wd22_proposed.gpkg", 19, "E05013722"),
        ("lewisham-wards-2022/lbl_wd22.topojson", 19, "E05013714"),
        ("london-lsoa-2021/london-2021-lsoa-gen20.shp", 4994, "E01000001"),
        ("london-boroughs-2022/london-2021-lad22-gen20.shp", 33, "E09000002"),
        ("london-wards-2014/London_Ward_CityMerged.shp", 630, "E05000405"),
        ("london-wards-2018/London_Ward_CityMerged.shp", 633, "E05000405"),
    ],
)
def test_real_boundaries(shared_data, relative, rows, first_code):
    out = read_boundaries(shared_data / "boundaries" / relative)
    assert len(out) == rows
    assert out.crs.to_epsg() == 27700
    assert out["code"].iloc[0] == first_code
    assert out["code"].is_unique
    # Everything lies in Greater London's box in British National Grid metres.
    minx, miny, maxx, maxy = out.total_bounds
    assert 500_000 < minx < maxx < 565_000 and 155_000 < miny < maxy < 205_000


@pytest.mark.shared_data
def test_real_geojson_and_geopackage_agree(shared_data):
    # The same 19 wards published in WGS84 (GeoJSON) and in BNG (GeoPackage, drawn at a
    # slightly different generalisation): once reprojected, each ward's centroid is within
    # 25 m and its area within 3% of the other file's.
    folder = shared_data / "boundaries" / "lewisham-wards-2022"
    a = read_boundaries(folder / "lbl_wd22_proposed.geojson").set_index("code").geometry
    b = read_boundaries(folder / "lbl_wd22_proposed.gpkg").set_index("code").geometry
    b = b.reindex(a.index)
    assert (a.centroid.distance(b.centroid) < 25).all()
    assert (a.area / b.area).between(0.97, 1.03).all()


@pytest.mark.shared_data
def test_real_lookups(shared_data):
    lewisham = read_lookup(
        shared_data / "boundaries" / "lewisham-wards-2022" / "lbl_lsoa11_wd22_proposed.csv"
    )
    assert len(lewisham) == 169 and lewisham["ward_code"].nunique() == 19
    ons = read_lookup(shared_data / "population" / "lsoa21-ward25-lad25-lookup.csv")
    assert len(ons) == 35_672
    assert ons.loc[ons["borough"] == "Lewisham", "ward_code"].nunique() == 19
