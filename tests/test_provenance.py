"""How a report was made: every input file with its checksum and months, and the caveats."""

from __future__ import annotations

from slp import provenance


def test_provenance_lists_inputs_with_checksums_and_caveats():
    manifest = {
        "slp_version": "0.1.0", "git_commit": "abc123", "run_at": "2026-11-23T10:00:00+00:00",
        "population_source": "ONS mid-2020 small-area population estimates",
        "parameters": {"borough": "Lewisham", "period_end": "2022-09"},
        "inputs": [{"source": "MPS Borough Level Crime", "first_month": "2010-04",
                    "last_month": "2023-07",
                    "files": [{"path": "/x/MPS Borough Level Crime (Historical).csv",
                               "sha256": "f" * 64}],
                    "caveats": ["1 row not attributed to a borough"]}],
    }
    html = provenance.provenance_html(manifest)
    assert "How this report was made" in html
    assert "f" * 64 in html and "2010-04 to 2023-07" in html
    assert "MPS Borough Level Crime (Historical).csv" in html and "/x/" not in html
    assert "1 row not attributed to a borough" in html
    assert "ONS mid-2020 small-area population estimates" in html and "abc123" in html


def test_portable_names_no_folder_of_the_building_machine(tmp_path):
    root = tmp_path / "project"
    manifest = {
        "parameters_file": f"{root}/params/demo.yaml",
        "parameters": {"sources": {"street": [f"{root}/data/raw/demo/street"]}},
        "inputs": [{"files": [{"path": "/srv/shared/data/street/2022-09-street.csv",
                               "sha256": "a" * 64}],
                    "caveats": [f"'{root}/data/raw/x.csv' has 2 rows without a month"]}],
        "run_at": "2026-11-23T10:00:00+00:00", "areas": 32,
    }
    out = provenance.portable(manifest, root)
    assert out["parameters_file"] == "params/demo.yaml"
    assert out["parameters"]["sources"]["street"] == ["data/raw/demo/street"]
    assert out["inputs"][0]["files"][0] == {"path": "2022-09-street.csv", "sha256": "a" * 64}
    assert out["inputs"][0]["caveats"] == ["'data/raw/x.csv' has 2 rows without a month"]
    assert out["run_at"] == "2026-11-23T10:00:00+00:00" and out["areas"] == 32
    assert "/srv" not in str(out) and str(tmp_path) not in str(out)
