"""Area boundaries (wards, LSOAs, boroughs) and LSOA-to-ward lookups.

Boundaries are read with geopandas/pyogrio from a shapefile, GeoPackage, GeoJSON or TopoJSON in
any coordinate reference system and returned in British National Grid (EPSG:27700) with the
code and name columns renamed ``code`` and ``name``, whatever the publisher called them
(``GSS_CODE``/``NAME``, ``WD22CD_proposed``/``WD22NM_proposed``, ``LSOA21CD``/``LSOA21NM``,
``LAD22CD``/``LAD22NM``, ``wd22cd``/``wd22nm``, ...).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from slp.errors import SourceError
from slp.sources import _csv

if TYPE_CHECKING:  # geopandas is imported only when boundaries are read
    import geopandas as gpd

SOURCE = "Boundaries"
LOOKUP_SOURCE = "LSOA-to-ward lookup"
#: The ONS LSOA (2021) to ward (2025) to local authority lookup's header, as published.
ONS_LOOKUP_COLUMNS = (
    "LSOA21CD",
    "LSOA21NM",
    "LSOA21NMW",
    "WD25CD",
    "WD25NM",
    "WD25NMW",
    "LAD25CD",
    "LAD25NM",
    "LAD25NMW",
    "ObjectId",
)
BNG = "EPSG:27700"

# ONS-style code columns: LSOA21CD, WD22CD, LAD22CD, MSOA11CD, WD22CD_proposed, wd22cd ...
_CODE_COL = re.compile(r"^([A-Za-z]+)(\d{2})CD(_\w+)?$", re.IGNORECASE)
_GSS = re.compile(r"^[EWSNK]\d{8}$")
_NAME_COLS = ("name", "ward_name", "ward name", "wardname", "lsoa name", "nm")
_BOROUGH_COLS = ("borough", "district", "lad22nm", "lad21nm", "lad11nm", "lad25nm", "lad23nm")


def _code_and_name(columns: list[str], frame: pd.DataFrame) -> tuple[str, str, str | None]:
    """Pick the code, name and (optional) borough columns of a boundary table."""
    lowered = {c.lower(): c for c in columns}
    candidates = []
    for col in columns:
        match = _CODE_COL.match(col)
        if match:
            candidates.append((col, match))
    for fallback in ("gss_code", "ons_code", "code", "id"):
        if fallback in lowered:
            candidates.append((lowered[fallback], None))
    # The code column is the first candidate whose values are unique GSS-like codes: a table
    # of LSOAs also carries MSOA and LAD codes, which repeat.
    for col, match in candidates:
        values = frame[col].astype(str).str.strip()
        if not values.is_unique:
            continue
        if match is None and values.map(lambda v: bool(_GSS.match(v))).mean() < 0.9:
            continue
        name = None
        if match is not None:
            prefix, year, suffix = match.group(1), match.group(2), match.group(3) or ""
            wanted = f"{prefix}{year}NM{suffix}".lower()
            name = lowered.get(wanted)
        if name is None:
            name = next((lowered[n] for n in _NAME_COLS if n in lowered), None)
        if name is None:
            name = next(
                (
                    c
                    for c in columns
                    if re.match(r"^[A-Za-z]+\d{2}NM(_\w+)?$", c, re.I)
                    and not c.upper().endswith("NMW")
                ),
                None,
            )
        if name is None:
            continue
        borough = next(
            (lowered[b] for b in _BOROUGH_COLS if b in lowered and lowered[b] not in (col, name)),
            None,
        )
        return col, name, borough
    return "", "", None


def read_boundaries(path, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read area boundaries and normalise them to ``code, name, geometry`` in EPSG:27700.

    Parameters
    ----------
    path : str or Path
        A shapefile (``.shp``), GeoPackage, GeoJSON or TopoJSON file.
    layer : str, optional
        Layer name for multi-layer files; the first layer otherwise.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``code``, ``name`` (and ``borough`` when the file has a borough/district
        column), ``geometry``; CRS EPSG:27700. Files with no CRS are taken as WGS84 when their
        coordinates are longitudes/latitudes and as British National Grid when they are metres
        in its range; anything else is an error.

    Raises
    ------
    SourceError
        The file cannot be read, has no geometry, or no recognisable code and name columns.

    Examples
    --------
    >>> wards = read_boundaries("lbl_wd22_proposed.geojson")  # doctest: +SKIP
    >>> wards.crs.to_epsg(), list(wards.columns)  # doctest: +SKIP
    (27700, ['code', 'name', 'geometry'])
    """
    import geopandas as gpd  # heavy; only when boundaries are needed

    path = Path(path)
    _check_files(path)
    try:
        frame = gpd.read_file(path, layer=layer) if layer else gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types; all mean "cannot read"
        raise SourceError(SOURCE, path, _unreadable(path, exc)) from exc
    if frame.empty or "geometry" not in frame or frame.geometry.isna().all():
        raise SourceError(SOURCE, path, "has no areas with a geometry")
    columns = [c for c in frame.columns if c != "geometry"]
    code, name, borough = _code_and_name(columns, frame)
    if not code:
        raise SourceError(
            SOURCE,
            path,
            "has no column of unique area codes with a matching name column (expected e.g. "
            f"GSS_CODE/NAME, WD22CD/WD22NM, LSOA21CD/LSOA21NM); found: "
            f"{', '.join(map(str, columns)) or 'no attribute columns'}",
        )
    keep = {code: "code", name: "name"}
    if borough:
        keep[borough] = "borough"
    out = frame[[*keep, "geometry"]].rename(columns=keep)
    for col in keep.values():
        out[col] = out[col].astype(str).str.strip()
    caveats: list[str] = []
    if out.crs is None or (out.crs.is_geographic and not _lonlat(out)):
        # No CRS, or GeoJSON's implied WGS84 around coordinates that are not degrees (a
        # GeoJSON written in British National Grid metres without a "crs" member).
        out = out.set_crs(_guess_crs(out, path, caveats), allow_override=True)
    if out.crs.to_epsg() != 27700:
        out = out.to_crs(BNG)
    out = out.reset_index(drop=True)
    out.attrs["caveats"] = caveats
    return out


def _check_files(path: Path) -> None:
    """Refuse a missing or non-regular file, a CSV, other non-geographic formats, and a
    shapefile without the side files it needs."""
    from slp.sources import _sniff

    if path.is_dir() and path.suffix.lower() != ".gdb":
        raise SourceError(SOURCE, path, "is a folder; expected a .shp, .gpkg or .geojson file")
    if not path.is_dir():
        _sniff.check_regular(path, SOURCE)
    if path.suffix.lower() == ".csv":
        header = _csv.read_header(path, SOURCE)
        raise _csv.wrong_source(SOURCE, path, header, "a shapefile, GeoPackage or GeoJSON")
    if path.suffix.lower() == ".shp":
        for side, role in ((".dbf", "attribute table (codes and names)"), (".shx", "index")):
            if not any(path.with_suffix(s).is_file() for s in (side, side.upper())):
                raise SourceError(
                    SOURCE,
                    path,
                    f"has no {role}: '{path.stem}{side}' is missing beside it; a shapefile is "
                    "several files with one name (.shp, .shx, .dbf, .prj): copy them all",
                )
    if path.is_file() and path.suffix.lower() in (".geojson", ".json", ".topojson"):
        what = _sniff.wrong_format(_sniff.read_head(path, SOURCE, 4096))
        if what:
            raise SourceError(SOURCE, path, what.replace("not a CSV file", "not GeoJSON"))


def _unreadable(path: Path, exc: Exception) -> str:
    """Why GDAL could not read a file, without GDAL's advice on drivers."""
    detail = str(exc).split("; It might help", 1)[0].strip().rstrip(".")
    if "not recognized as being in a supported file format" in detail or not detail:
        detail = "its format is not recognised"
    else:
        detail = detail.replace(str(path), path.name)
    return (
        f"cannot be read as a shapefile, GeoPackage or GeoJSON ({detail}); expected one of "
        "those, saved whole"
    )


def _lonlat(frame) -> bool:
    minx, miny, maxx, maxy = frame.total_bounds
    return bool(-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90)


def _guess_crs(frame, path: Path, caveats: list[str]) -> str:
    minx, miny, maxx, maxy = frame.total_bounds
    if _lonlat(frame):
        return "EPSG:4326"
    if 0 <= minx <= maxx <= 700_000 and 0 <= miny <= maxy <= 1_300_000:
        caveats.append(
            f"'{path.name}' states no coordinate reference system; its coordinates are metres "
            "in the British National Grid range, so they were read as EPSG:27700"
        )
        return BNG
    raise SourceError(
        SOURCE,
        path,
        f"has no coordinate reference system and its coordinates ({minx:.0f}, {miny:.0f}) - "
        f"({maxx:.0f}, {maxy:.0f}) are neither longitude/latitude nor British National Grid; "
        "expected a file with a CRS",
    )


def read_lookup(path) -> pd.DataFrame:
    """Read an LSOA-to-ward lookup in one of the published CSV layouts.

    Recognised: Lewisham's ``LSOA11CD, WD22NM_proposed, WD22CD_proposed`` and the ONS
    ``LSOA21CD, LSOA21NM, LSOA21NMW, WD25CD, WD25NM, WD25NMW, LAD25CD, LAD25NM, LAD25NMW,
    ObjectId`` (UTF-8 with BOM); generally any ``LSOAyyCD`` + ``WDyyCD`` (+ ``WDyyNM``,
    ``LADyyNM``) columns, with or without a suffix such as ``_proposed``.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    DataFrame
        ``lsoa_code, ward_code, ward_name`` and ``borough`` when the file names the local
        authority; one row per LSOA.

    Raises
    ------
    SourceError
        Not a lookup (e.g. an output-area lookup or a crime file), an LSOA listed twice with
        different wards, or empty codes.
    """
    path = Path(path)
    table = _csv.read_table(path, LOOKUP_SOURCE)
    columns = table.columns

    def find(kind: str, part: str) -> str | None:
        pattern = re.compile(rf"^{kind}\d{{2}}{part}(_\w+)?$", re.IGNORECASE)
        return next((c for c in columns if pattern.match(c)), None)

    lsoa, ward_code, ward_name = find("LSOA", "CD"), find("WD", "CD"), find("WD", "NM")
    borough = find("LAD", "NM")
    if lsoa is None or ward_code is None:
        found_oa = find("OA", "CD")
        extra = (
            f"; '{found_oa}' holds output areas, not LSOAs: use the LSOA lookup" if found_oa else ""
        )
        raise _csv.wrong_source(
            LOOKUP_SOURCE,
            path,
            columns,
            "an LSOA code column (e.g. LSOA11CD, LSOA21CD) and a ward code column "
            "(e.g. WD22CD, WD22CD_proposed)" + extra,
        )
    frame = table.frame
    out = pd.DataFrame(
        {
            "lsoa_code": frame[lsoa].str.strip(),
            "ward_code": frame[ward_code].str.strip(),
            "ward_name": frame[ward_name].str.strip()
            if ward_name
            else frame[ward_code].str.strip(),
        },
        index=frame.index,
    )
    if borough:
        out["borough"] = frame[borough].str.strip()
    _csv.check_not_blank(out, ["lsoa_code", "ward_code"], LOOKUP_SOURCE, path)
    out = out.drop_duplicates()
    _csv.check_unique(out, ["lsoa_code"], LOOKUP_SOURCE, path, "LSOA")
    for col in out.columns:
        out[col] = out[col].astype(str)
    return out.reset_index(drop=True)
