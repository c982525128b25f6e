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
