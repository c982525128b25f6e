"""Loading a police.uk assessment from hand-made files: a tiny force of two authorities.

24 monthly street files (2023-01 to 2024-12): in each month Newport has 3 burglaries, Torfaen 1
and Cardiff (a neighbour: 40 LSOAs in the lookup) has 1 stray crime in the first month only.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from slp import assessment
from slp import params as params_mod
from slp.errors import SlpError

HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
          "LSOA name,Crime type,Last outcome category,Context")
MONTHS = [str(m) for m in pd.period_range("2023-01", "2024-12", freq="M")]
CENSUS = "date,geography,geography code,Age: Total"


def crime(month: str, code: str, name: str) -> str:
    return (f"{'a' * 64},{month},Gwent Police,Gwent Police,-3.0,51.6,On or near Park Road,"
            f"{code},{name},Burglary,Under investigation,")


def write_force(root: Path, months=MONTHS) -> None:
    for month in months:
        rows = [crime(month, "W01000001", "Newport 001A")] * 2
        rows += [crime(month, "W01000002", "Newport 001B"), crime(month, "W01000003", "Torfaen 001A")]
        if month == months[0]:
            rows.append(crime(month, "W01000005", "Cardiff 005A"))
        folder = root / "gwent" / month
        folder.mkdir(parents=True)
        (folder / f"{month}-gwent-street.csv").write_text("\n".join([HEADER, *rows]) + "\n")
    lookup = ["LSOA21CD,LSOA21NM,WD25CD,WD25NM,LAD25CD,LAD25NM",
              "W01000001,Newport 001A,W05000001,Allt-yr-yn,W06000022,Newport",
              "W01000002,Newport 001B,W05000002,Bettws,W06000022,Newport",
              "W01000003,Torfaen 001A,W05000003,Abersychan,W06000020,Torfaen"]
    lookup += [f"W0100{i:04d},Cardiff {i:03d}A,W05000009,Butetown,W06000015,Cardiff"
               for i in range(5, 45)]
    (root / "lookup.csv").write_text("\n".join(lookup) + "\n")
    (root / "ltla.csv").write_text(f"{CENSUS}\n2021,Newport,W06000022,1500\n"
                                   "2021,Torfaen,W06000020,500\n2021,Cardiff,W06000015,4000\n")
    # LSOA residents under names that are not the authorities': only the lookup places them
    (root / "lsoa.csv").write_text(f"{CENSUS}\n2021,Casnewydd 001A,W01000001,700\n"
                                   "2021,Casnewydd 001B,W01000002,800\n"
                                   "2021,Tor-faen 001A,W01000003,600\n")


def load(root: Path, **changes) -> assessment.Assessment:
    raw = {"area": "W06000022", "period_end": "2024-12", "comparators": ["Torfaen"],
           "sources": {"police_uk": "gwent", "population": "ltla.csv",
                       "lsoa_ward_lookup": "lookup.csv"}}
    for key, value in changes.items():
        (raw["sources"] if key in params_mod.SOURCE_KEYS else raw)[key] = value
    p = params_mod.from_mapping(raw, origin="p.yaml", root=root)
    return assessment.load(p, cache_dir=root / "cache")


def test_a_police_uk_run_compares_the_area_with_the_force_authorities(tmp_path):
    write_force(tmp_path)
    a = load(tmp_path)
    assert a.is_police_uk and a.crime.force == "Gwent Police"
    assert a.borough == "Newport" and a.london == ["Newport", "Torfaen"]
    assert a.frame.members_phrase == "the 2 authorities in the Gwent Police area"
    assert a.area_codes == {"Newport": "W06000022", "Torfaen": "W06000020"}
    assert a.area_code == "W06000022"
    window = a.crime.data.loc[a.crime.data["month"] >= pd.Period("2024-01", "M")]
    assert window.groupby("borough")["count"].sum().to_dict() == {"Newport": 36, "Torfaen": 12}
    assert a.street is not None  # the street files feed the ASB page without being named twice
    assert a.ward is not None and set(a.ward.data["ward_code"]) == {"W05000001", "W05000002",
                                                                    "W05000003"}
    assert int(a.residents["Newport"]) == 1500


def test_an_lsoa_population_is_summed_to_authorities_through_the_lookup(tmp_path):
    write_force(tmp_path)
    a = load(tmp_path, population="lsoa.csv")
    assert a.residents.to_dict() == {"Newport": 1500, "Torfaen": 600}
    assert any("through the LSOA lookup" in c for c in a.population.coverage.caveats)


def test_an_area_outside_the_force_is_an_error_naming_the_force_authorities(tmp_path):
    write_force(tmp_path)
    with pytest.raises(SlpError) as err:
        load(tmp_path, area="Cardiff", comparators=[])
    assert str(err.value) == (
        "police_uk: the area 'Cardiff' is not one of the 2 authorities in the Gwent Police area "
        "(Newport, Torfaen) that gwent cover; they place only 1 of its crimes, over the border; "
        "expected the police.uk files of the force covering it")


def test_an_authority_the_population_file_lacks_is_an_error_saying_what_to_give(tmp_path):
    write_force(tmp_path)
    (tmp_path / "ltla.csv").write_text(f"{CENSUS}\n2021,Newport,W06000022,1500\n")
    with pytest.raises(SlpError, match="population: the comparator 'Torfaen' has no population "
                       "in ltla.csv; expected a file naming it, or an LSOA population file"):
        load(tmp_path)


def test_a_missing_month_and_a_period_beyond_the_files_are_errors(tmp_path):
    write_force(tmp_path, [m for m in MONTHS if m != "2024-03"])
    with pytest.raises(SlpError, match="no street file covers 2024-03"):
        load(tmp_path)
    with pytest.raises(SlpError, match=r"period_end: 2025-06 needs the 24 months 2023-07 to "
                       r"2025-06, but police_uk \(gwent\) covers 2023-01 to 2024-12"):
        load(tmp_path, period_end="2025-06")
