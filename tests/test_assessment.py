"""Loading an assessment: London complete, the ward file whole, and optional ward sources that
do not cover the borough leaving the run standing with the gap said plainly."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from slp import assessment
from slp import params as params_mod
from slp.errors import SlpError
from slp.sections import ward_maps
from support import ROOT, SHARED_DATA, absolute_paths, need

DEMO = ROOT / "data" / "raw" / "demo"


def text_of(block) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block.html()))


def demo_params(tmp_path: Path, **sources) -> Path:
    """The demo parameters with some sources replaced (None removes one), in ``tmp_path``."""
    raw = yaml.safe_load((ROOT / "params" / "demo.yaml").read_text())
    raw = absolute_paths(raw)
    for key, value in sources.items():
        if value is None:
            raw["sources"].pop(key, None)
        else:
            raw["sources"][key] = str(value)
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


def load(path: Path, tmp_path: Path, **overrides) -> assessment.Assessment:
    return assessment.load(params_mod.resolve(str(path), **overrides),
                           cache_dir=tmp_path / "cache")


def drop_rows(source: Path, target: Path, keep) -> Path:
    """Copy the CSV files of folder ``source`` to ``target``, keeping the lines whose fields
    ``keep`` accepts (the header always)."""
    target.mkdir()
    for file in source.glob("*.csv"):
        lines = file.read_text(encoding="utf-8-sig").splitlines(keepends=True)
        kept = [x for x in lines[1:] if keep(next(csv.reader([x])))]
        (target / file.name).write_text(lines[0] + "".join(kept))
    return target


def test_a_borough_file_missing_boroughs_is_an_error_naming_the_file_and_the_boroughs(tmp_path):
    # a download cut at a line boundary: the 24-month file loses every row of the last two
    # boroughs in alphabetical order (Wexbridge, the run's own borough, stays)
    demo = pd.read_csv(DEMO / "mps-borough" / "MPS Borough Level Crime (most recent 24 months).csv")
    boroughs = sorted(set(demo["LookUp_BoroughName"]) - {"Wexbridge"})
    lost = boroughs[-2:]
    cut = drop_rows(DEMO / "mps-borough", tmp_path / "cut",
                    lambda row: row[2] not in lost)
    with pytest.raises(SlpError) as info:
        load(demo_params(tmp_path, borough_crime=cut), tmp_path)
    message = str(info.value)
    assert "\n" not in message
    assert "'MPS Borough Level Crime (most recent 24 months).csv'" in message
    assert "lacks 2 of the demo's 32 boroughs" in message
    assert f"{lost[0]}, {lost[1]}" in message


def test_a_borough_file_missing_boroughs_fails_slp_run_with_one_line_and_exit_2(tmp_path):
    boroughs = sorted(pd.read_csv(DEMO / "mps-borough" / "MPS Borough Level Crime (Historical).csv")
                      ["LookUp_BoroughName"].unique())
    cut = drop_rows(DEMO / "mps-borough", tmp_path / "cut",
                    lambda row: row[2] != boroughs[0])
    result = subprocess.run([sys.executable, "-m", "slp.cli", "run",
                             str(demo_params(tmp_path, borough_crime=cut)), "--reports",
                             str(tmp_path / "reports")], cwd=ROOT, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and boroughs[0] in lines[0] and "MPS Borough Level Crime" in lines[0]
    assert not any((tmp_path / "reports").rglob("*.html"))


def test_a_ward_file_missing_wards_of_the_borough_is_an_error_naming_them(tmp_path):
    # the ward file loses Wexbridge Central (one of the borough's 18 wards in the lookup)
    cut = drop_rows(DEMO / "mps-ward", tmp_path / "wards",
                    lambda row: row[2] != "Wexbridge Central")
    with pytest.raises(SlpError, match=r"no rows for 1 of the 18 wards of Wexbridge in the "
                                       r"lookup: Wexbridge Central"):
        load(demo_params(tmp_path, ward_crime=cut), tmp_path)
    # another borough's ward missing is not this run's concern
    other = drop_rows(DEMO / "mps-ward", tmp_path / "other",
                      lambda row: row[2] != "Ashmere Central")
    assert load(demo_params(tmp_path, ward_crime=other), tmp_path).ward is not None


def test_ward_boundaries_that_cover_nothing_of_the_borough_leave_the_run_standing(tmp_path):
    # the own ward file holds only Ashmere's wards and no LSOA boundaries are given to build
    # Wexbridge's: the load succeeds and every ward section says what is missing, no map
    import geopandas as gpd

    wards = gpd.read_file(DEMO / "boundaries" / "wards.gpkg")
    ashmere = wards[wards["LAD22NM"] == "Ashmere"]
    ashmere.to_file(tmp_path / "ashmere.gpkg")
    a = load(demo_params(tmp_path, ward_boundaries=tmp_path / "ashmere.gpkg",
                         lsoa_boundaries=None), tmp_path)
    assert a.ward_boundaries is None and a.ward_layer.method == "none"
    for name in ("ward_rates", "ward_change", "hotspots", "interactive_ward_map"):
        words = text_of(getattr(ward_maps, name)(a))
        assert "No ward maps for this borough: no ward boundaries cover Wexbridge" in words
        assert "<img" not in getattr(ward_maps, name)(a).html()


def test_without_own_boundaries_the_demo_gets_best_fit_wards_said_on_the_page(tmp_path):
    a = load(demo_params(tmp_path, ward_boundaries=None), tmp_path)
    assert a.ward_layer.method == "best fit" and len(a.ward_boundaries) == 18
    words = text_of(ward_maps.ward_rates(a))
    assert "best-fit approximation" in words
    assert "LSOA that straddles a ward boundary is drawn wholly in one ward" in words


def test_a_ward_file_without_the_borough_is_said_plainly(tmp_path):
    only = drop_rows(DEMO / "mps-ward", tmp_path / "wards",
                     lambda row: row[4] != "Wexbridge")
    a = load(demo_params(tmp_path, ward_crime=only), tmp_path)
    for name in ("ward_rates", "ward_change", "hotspots", "interactive_ward_map"):
        assert "has no rows for Wexbridge" in text_of(getattr(ward_maps, name)(a))


@pytest.fixture(scope="module")
def greenwich(tmp_path_factory):
    need(SHARED_DATA.is_dir(), f"the real data are not at {SHARED_DATA}")
    tmp = tmp_path_factory.mktemp("greenwich")
    return load(ROOT / "params" / "lewisham-2022-09.yaml", tmp, borough="Greenwich",
                comparators=["Bexley"])


def test_another_london_borough_gets_best_fit_ward_maps_from_the_real_files(greenwich):
    # Greenwich has 23 wards since May 2022 (the ONS lookup, WD25): none are Lewisham's
    a = greenwich
    assert a.ward_layer.method == "best fit"
    assert len(a.ward_boundaries) == 23
    assert set(a.ward_boundaries["borough"]) == {"Greenwich"}
    words = text_of(ward_maps.ward_rates(a))
    assert "The 23 wards together recorded" in words
    assert "best-fit approximation" in words
    assert "how uncertain they are cannot be estimated here" in words


def test_lewisham_ward_populations_state_their_uncertainty_and_flag_the_highest_rate(
        lewisham_assessment):
    # Lewisham Central: 1,730 crimes / 9,293 best-fit residents = 186.2 per 1,000, the highest;
    # splitting straddling LSOAs by area gives it about 11% fewer residents (issue 13), i.e.
    # a higher rate still, so it stays highest but rests on an uncertain population
    a = lewisham_assessment
    assert a.ward_layer.method == "own boundaries"
    words = text_of(ward_maps.ward_rates(a))
    assert "Lewisham Central has the highest rate, 186.2 crimes per 1,000 residents" in words
    assert ("Lewisham Central&#x27;s population is uncertain (splitting LSOAs that straddle its "
            "boundary by area gives 11% fewer residents), and its rate would still be the "
            "highest") in words
    assert "The two methods differ by more than 10% for" in words
    assert "Lewisham Central" in words.split("The two methods differ by more than 10% for")[1]
    assert "Ward boundaries from &#x27;lbl_wd22_proposed.gpkg&#x27;" in words
