"""Parameters: validated once, with one clear line naming the key, the value and the expectation."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from slp import params
from slp.errors import ParamsError


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "crime").mkdir()
    (tmp_path / "crime" / "MPS Borough Level Crime.csv").write_text("x\n")
    (tmp_path / "pop.csv").write_text("x\n")
    return tmp_path


def write(root: Path, body: str) -> Path:
    path = root / "p.yaml"
    path.write_text(textwrap.dedent(body))
    return path


GOOD = """\
    borough: lewisham
    period_end: 2022-09
    comparators: [Greenwich, southwark]
    sources:
      borough_crime: crime
      population: pop.csv
"""


def test_valid_file_is_typed_and_paths_resolve_against_the_root(root):
    p = params.load(write(root, GOOD), root=root)
    assert p.borough == "Lewisham"  # canonical spelling
    assert p.period_end == "2022-09"
    assert p.comparators == ("Greenwich", "Southwark")
    assert p.sources.borough_crime == ((root / "crime").resolve(),)
    assert p.sources.population == (root / "pop.csv").resolve()
    assert p.audience == "public" and p.disclosure.threshold == 5
    assert p.slug == "lewisham"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("period_end: 2022-09", "period_end: 2022-13"),
         "period_end: '2022-13' is not a month; expected YYYY-MM"),
        (("period_end: 2022-09", "period_end: 2022-09-30"), "period_end: '2022-09-30' is a date"),
        (("period_end: 2022-09", "period_end: Sept 2022"), "period_end: 'Sept 2022' is not a month"),
        (("borough: lewisham", "borough: Lewishem"),
         "borough: 'Lewishem' is not a London borough (did you mean 'Lewisham'?)"),
        (("borough: lewisham", "borough: Atlantis"), "borough: 'Atlantis' is not a London borough"),
        (("comparators: [Greenwich, southwark]", "comparators: [Lewisham]"),
         "comparators: lists the borough itself"),
        (("population: pop.csv", "population: nothere.csv"),
         "sources.population: 'nothere.csv' does not exist"),
        (("population: pop.csv", "popluation: pop.csv"),
         "sources.popluation: unknown source (did you mean 'population'?)"),
        (("population: pop.csv", "ward_crime: crime"), "sources.population: missing"),
        (("population: pop.csv", "population: pop.csv\n      national: [crime, pop.csv]"),
         "sources.national: expected one path (ONS police force area data tables"),
        (("population: pop.csv", "population: pop.csv\n      nationl: crime"),
         "sources.nationl: unknown source (did you mean 'national'?)"),
        (("borough: lewisham", "boro: lewisham"), "boro: unknown parameter"),
    ],
)
def test_bad_values_name_the_key_value_and_expectation(root, change, expected):
    path = write(root, GOOD.replace(*change))
    with pytest.raises(ParamsError) as err:
        params.load(path, root=root)
    message = str(err.value)
    assert message.startswith("p.yaml: ") or message.startswith(str(path))
    assert expected in message
    assert "\n" not in message  # one line


def test_the_national_tables_are_an_optional_source(root):
    assert params.load(write(root, GOOD), root=root).sources.national is None
    body = GOOD + "      national: crime\n"
    p = params.load(write(root, body), root=root)
    assert p.sources.national == (root / "crime").resolve()
    assert p.to_dict()["sources"]["national"] == [str((root / "crime").resolve())]
    assert params.load(params.save(p, root / "resolved.yaml"), root=root) == p


def test_disclosure_settings_are_checked(root):
    body = GOOD + "    disclosure: {threshold: 5, sensitive_threshold: 3}\n"
    with pytest.raises(ParamsError, match="sensitive_threshold: 3 is below threshold 5"):
        params.load(write(root, body), root=root)
    body = GOOD + "    disclosure: {threshold: 0}\n"
    with pytest.raises(ParamsError, match="threshold: '0' is not a whole number from 1 to 100"):
        params.load(write(root, body), root=root)
    p = params.load(write(root, GOOD + "    audience: internal\n"), root=root)
    assert p.internal


def test_missing_file_and_bad_yaml(root):
    with pytest.raises(ParamsError, match="parameters file not found"):
        params.load(root / "nope.yaml", root=root)
    with pytest.raises(ParamsError, match="line 2 is not valid YAML"):
        params.load(write(root, "borough: x\n  bad: [\n"), root=root)


def test_resolve_applies_notebook_overrides(root, monkeypatch):
    monkeypatch.setenv("SLP_ROOT", str(root))
    path = write(root, GOOD)
    assert params.resolve(str(path)).period_end == "2022-09"
    assert params.resolve(str(path), period_end="2021-03").period_end == "2021-03"
    # papermill -f params.yaml injects every key, sources included: the injection stands alone
    injected = {"borough": "Bexley", "period_end": "2020-01",
                "sources": {"borough_crime": "crime", "population": "pop.csv"}}
    p = params.resolve(None, **injected)
    assert (p.borough, p.period_end) == ("Bexley", "2020-01")


def test_shipped_params_files_name_valid_keys(project_root):
    for path in sorted((project_root / "params").glob("*.yaml")):
        raw = __import__("yaml").safe_load(path.read_text())
        assert set(raw) <= set(params.TOP_KEYS), path.name
        assert set(raw["sources"]) <= set(params.SOURCE_KEYS), path.name
        params.parse_period_end(raw["period_end"], path.name)


def test_a_key_given_twice_is_an_error_naming_the_key_and_both_lines(root):
    body = GOOD + "    period_end: 2021-03\n"  # YAML alone would silently keep the last
    with pytest.raises(ParamsError) as err:
        params.load(write(root, body), root=root)
    assert str(err.value) == ("p.yaml: line 7: 'period_end' is given twice (first on line 2); "
                              "expected each parameter once")
    nested = GOOD.replace("      population: pop.csv\n",
                          "      population: pop.csv\n      population: other.csv\n")
    with pytest.raises(ParamsError, match="line 7: 'population' is given twice .first on line 6"):
        params.load(write(root, nested), root=root)


def test_a_file_saved_in_windows_1252_is_read(root):
    body = GOOD + "    title: Safer Lewisham – crime £ and café\n"
    path = root / "p.yaml"
    path.write_bytes(textwrap.dedent(body).encode("cp1252"))
    assert b"\x96" in path.read_bytes() and b"\xa3" in path.read_bytes()  # really cp1252
    assert params.load(path, root=root).title == "Safer Lewisham – crime £ and café"


def test_a_binary_file_is_one_clean_line(root):
    path = root / "p.yaml"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb2\xa1")  # an xlsx
    with pytest.raises(ParamsError) as err:
        params.load(path, root=root)
    assert str(err.value) == ("p.yaml: is not a text file (found binary data); expected a "
                              "YAML parameters file such as params/demo.yaml, saved as text")


def test_resolve_reads_the_file_once_and_validates_once(root, monkeypatch):
    monkeypatch.setenv("SLP_ROOT", str(root))
    path = write(root, GOOD)
    calls = {"read": 0, "validate": 0}
    real_read, real_validate = params.read_raw, params.from_mapping

    def read(*args, **kwargs):
        calls["read"] += 1
        return real_read(*args, **kwargs)

    def validate(*args, **kwargs):
        calls["validate"] += 1
        return real_validate(*args, **kwargs)

    monkeypatch.setattr(params, "read_raw", read)
    monkeypatch.setattr(params, "from_mapping", validate)
    p = params.resolve(str(path), borough="Bexley", comparators=None)
    assert (p.borough, p.comparators, p.path) == ("Bexley", ("Greenwich", "Southwark"), path)
    assert calls == {"read": 1, "validate": 1}


def test_a_folder_or_a_fifo_is_named_for_what_it_is_and_never_opened(root):
    import os

    os.mkfifo(root / "p.yaml")  # opening it to read would wait for a writer for ever
    with pytest.raises(ParamsError, match=r"^p.yaml: is not a regular file; expected a YAML"):
        params.load(root / "p.yaml", root=root)
    with pytest.raises(ParamsError, match=r"^crime: is a folder; expected a YAML"):
        params.load(root / "crime", root=root)


@pytest.mark.parametrize(("body", "found"), [
    ("", "found nothing (an empty value or an empty file)"),
    ("- Lewisham\n- 2022-09\n", "found a list (- Lewisham, - 2022-09)"),
    ("borough: Lewisham\nperiod_end: 2022-09\nsources: crime.csv\n", "found the text 'crime.csv'"),
    ("borough: Lewisham\nperiod_end: 2022-09\ncomparators: 3\nsources: {}\n",
     "found the number 3"),
])
def test_a_wrong_shape_is_described_in_words_not_python_type_names(root, body, found):
    with pytest.raises(ParamsError) as err:
        params.load(write(root, body), root=root)
    message = str(err.value)
    assert message.startswith("p.yaml") and message.endswith(found)
    for python in ("NoneType", "list", "str", "int", "dict"):
        assert f"found {python}" not in message


LOOKUP = ("\ufeffLSOA21CD,LSOA21NM,LSOA21NMW,WD25CD,WD25NM,WD25NMW,LAD25CD,LAD25NM,LAD25NMW,"
          "ObjectId\n"
          "W01001600,Newport 001A,,W05001000,Allt-yr-yn,,W06000022,Newport,Casnewydd,1\n"
          "W01001500,Torfaen 001A,,W05001100,Abersychan,,W06000020,Torfaen,Tor-faen,2\n"
          "E01003189,Lewisham 001A,,E05013700,Blackheath,,E09000023,Lewisham,,3\n")

POLICE_UK = """\
    area: W06000022
    period_end: 2025-06
    comparators: [torfaen]
    sources:
      police_uk: gwent
      population: pop.csv
      lsoa_ward_lookup: lookup.csv
"""


@pytest.fixture
def force_root(root: Path) -> Path:
    (root / "gwent").mkdir()
    (root / "gwent" / "2025-06-gwent-street.csv").write_text("x\n")
    (root / "lookup.csv").write_text(LOOKUP, encoding="utf-8")
    return root


def test_an_area_is_any_local_authority_of_the_lookup_by_name_or_code(force_root):
    p = params.load(write(force_root, POLICE_UK), root=force_root)
    assert p.borough == "Newport" and p.comparators == ("Torfaen",)
    assert p.sources.police_uk == ((force_root / "gwent").resolve(),)
    assert p.sources.street == p.sources.police_uk  # the street files default to the force's
    assert p.sources.borough_crime == ()
    assert p.slug == "newport"
    # police.uk's broad crime types, not the MPS categories, define serious violence by default
    assert p.serious_violence == ("Violence and sexual offences", "Robbery",
                                  "Possession of weapons")
    assert p.to_dict()["area"] == "Newport" and "borough" not in p.to_dict()
    assert params.load(params.save(p, force_root / "resolved.yaml"), root=force_root) == p
    by_name = params.load(write(force_root, POLICE_UK.replace("W06000022", "newport")),
                          root=force_root)
    assert by_name == p
    by_welsh_name = params.load(write(force_root, POLICE_UK.replace("W06000022", "Casnewydd")),
                                root=force_root)
    assert by_welsh_name == p


def test_a_london_borough_may_be_named_as_an_area(root):
    p = params.load(write(root, GOOD.replace("borough: lewisham", "area: lewisham")), root=root)
    assert p.borough == "Lewisham" and p.to_dict()["borough"] == "Lewisham"
    assert p == params.load(write(root, GOOD), root=root)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("area: W06000022", "area: Newprot"),
         "area: 'Newprot' is not a local authority in lookup.csv (did you mean 'Newport'?); "
         "expected a local authority's name or GSS code"),
        (("area: W06000022", "area: W06999999"), "area: 'W06999999' is not a local authority"),
        (("comparators: [torfaen]", "comparators: [Torfan]"),
         "comparators: 'Torfan' is not a local authority in lookup.csv (did you mean 'Torfaen'?)"),
        (("comparators: [torfaen]", "comparators: [Newport]"), "comparators: lists the area itself"),
        (("area: W06000022", "area: Newport\n    borough: Lewisham"),
         "area: given with borough; expected one of the two"),
        (("      lsoa_ward_lookup: lookup.csv\n", ""),
         "sources.police_uk: needs sources.lsoa_ward_lookup"),
        (("      population: pop.csv\n", "      population: pop.csv\n      borough_crime: gwent\n"),
         "sources.police_uk: given with sources.borough_crime; expected one of the two"),
        (("      police_uk: gwent\n", ""),
         "sources.borough_crime: missing; expected MPS Borough Level Crime CSV file(s) or a "
         "folder of them (or sources.police_uk"),
    ],
)
def test_bad_areas_and_police_uk_sources_say_what_is_wrong(force_root, change, expected):
    with pytest.raises(ParamsError) as err:
        params.load(write(force_root, POLICE_UK.replace(*change)), root=force_root)
    assert str(err.value).startswith("p.yaml: ") and expected in str(err.value)
    assert "\n" not in str(err.value)


def test_an_area_outside_london_needs_a_lookup_naming_authorities(root):
    body = GOOD.replace("borough: lewisham", "area: Newport")
    with pytest.raises(ParamsError, match="area: 'Newport' is not a London borough; other local "
                       "authorities need sources.lsoa_ward_lookup"):
        params.load(write(root, body), root=root)
    (root / "own.csv").write_text("LSOA11CD,WD22CD\nE01003189,E05013700\n")
    with pytest.raises(ParamsError, match="need a lookup naming them .a LADyyNM column., and "
                       "own.csv names none"):
        params.load(write(root, body + "      lsoa_ward_lookup: own.csv\n"), root=root)
