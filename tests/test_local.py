"""Local inputs: the params ``local:`` block, safe rendering, provenance."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from slp import local, params
from slp.errors import ParamsError


def test_markdown_subset_escapes_html_and_nests_headings():
    text = ("# Survey\n\nLine one\ncarried on.\n\n- a <script>x</script>\n- **b**\n\n"
            "1. first\n2. second\n\n## Sub")
    assert local.markdown_html(text, top=4) == (
        "<h4>Survey</h4>\n<p>Line one carried on.</p>\n"
        "<ul><li>a &lt;script&gt;x&lt;/script&gt;</li><li><strong>b</strong></li></ul>\n"
        "<ol><li>first</li><li>second</li></ol>\n<h5>Sub</h5>")


def test_raw_html_in_a_partners_file_is_text(tmp_path):
    path = tmp_path / "c.md"
    path.write_text('<img src=x onerror="alert(1)"> & more', encoding="utf-8")
    html = local.render(path, "t")
    assert "<img" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; more" in html


def test_csv_becomes_a_captioned_table(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("cohort,rate\nAdults,24.8\n", encoding="utf-8")
    html = local.render(path, "Re-offending")
    assert "<caption>Re-offending</caption>" in html and '<th scope="row">Adults</th>' in html


def write_params(tmp_path: Path, block: str) -> Path:
    (tmp_path / "crime.csv").write_text("x")
    (tmp_path / "pop.csv").write_text("x")
    path = tmp_path / "p.yaml"
    path.write_text("borough: Lewisham\nperiod_end: 2022-09\nsources:\n  borough_crime: crime.csv\n"
                    f"  population: pop.csv\n{block}", encoding="utf-8")
    return path


def test_the_local_block_names_files_and_survives_save_and_load(tmp_path):
    (tmp_path / "survey.md").write_text("# S\n")
    p = params.load(write_params(tmp_path, "local:\n  consultation: survey.md\n"),
                    root=tmp_path)
    assert p.local.get("consultation") == (tmp_path / "survey.md").resolve()
    assert p.local.get("priorities") is None
    assert params.load(params.save(p, tmp_path / "saved.yaml"), root=tmp_path) == p


@pytest.mark.parametrize(("block", "message"), [
    ("local:\n  consultaton: survey.md\n", "local.consultaton: unknown local input"),
    ("local:\n  priorities: none.md\n", "local.priorities: 'none.md' does not exist"),
    ("local:\n  priorities: survey.pdf\n", "local.priorities: 'survey.pdf' is a .pdf"),
    ("local: [a]\n", "local: expected a mapping"),
    ("serious_violence: 3\n", "serious_violence: 3 is not a list of category names"),
])
def test_a_bad_local_block_is_one_line_naming_the_key(tmp_path, block, message):
    (tmp_path / "survey.md").write_text("x")
    (tmp_path / "survey.pdf").write_text("x")
    with pytest.raises(ParamsError, match=message.replace("(", r"\(").replace(".", r"\.")):
        params.load(write_params(tmp_path, block), root=tmp_path)


def test_serious_violence_defaults_to_the_duty_kinds(tmp_path):
    p = params.load(write_params(tmp_path, ""), root=tmp_path)
    assert p.serious_violence == ("Homicide", "Violence with Injury",
                                  "Robbery of Personal Property", "Rape", "Possession of Weapons")


def test_every_local_file_is_in_the_manifest_with_its_sha256(tmp_path):
    (tmp_path / "survey.md").write_bytes(b"# Survey\n")
    p = params.load(write_params(tmp_path, "local:\n  consultation: survey.md\n"),
                    root=tmp_path)
    (found,) = local.coverage(p)
    (entry,) = found.to_dict()["files"]
    assert entry["sha256"] == hashlib.sha256(b"# Survey\n").hexdigest()
    assert "consultation: survey.md" in found.caveats[0]
