"""The notebooks: thin, paired with their jupytext source, free of outputs, and executed through
papermill for the demo and the Lewisham reference run with no error in any cell."""

from __future__ import annotations

import json

import jupytext
import nbformat
import pytest

from support import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
EXPECTED = ["00-summary", "01-trends", "02-covid", "03-domestic-abuse", "04-knife-gun",
            "05-ward-maps", "06-hate-crime", "07-statutory", "08-serious-violence",
            "09-asb", "10-changes"]


def test_the_eleven_notebooks_exist():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_thin_paired_and_has_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    source = jupytext.read(path.with_suffix(".py"))
    code = lambda book: [c.source for c in book.cells if c.cell_type == "code"]  # noqa: E731
    assert code(nb) == code(source), f"{path.name} is out of step with {path.stem}.py"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None
            assert "def " not in cell.source, "notebooks are thin: functions live in slp"
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.metadata["slp"]["section"]


def _no_errors(folder):
    for page in folder.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert 'class="cell-error"' not in text, f"{page.name} shows a failed cell"
        assert "Traceback" not in text


@pytest.mark.slow
def test_demo_report_renders_every_section(demo_report):
    names = sorted(p.name for p in demo_report.glob("*.html"))
    assert names == sorted(["index.html", "accessibility.html"] + [f"{s}.html" for s in EXPECTED])
    _no_errors(demo_report)
    figures = json.loads((demo_report / "figures.json").read_text())
    assert figures["synthetic_demo_data"] is True
    for page in demo_report.glob("*.html"):
        assert "Synthetic demonstration data" in page.read_text(encoding="utf-8"), page.name


@pytest.mark.slow
def test_lewisham_report_renders_every_section(lewisham_report):
    names = sorted(p.name for p in lewisham_report.glob("*.html"))
    assert names == sorted(["index.html", "accessibility.html"] + [f"{s}.html" for s in EXPECTED])
    _no_errors(lewisham_report)
    for page in lewisham_report.glob("*.html"):
        assert "Synthetic" not in page.read_text(encoding="utf-8"), page.name
