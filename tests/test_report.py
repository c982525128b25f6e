"""The runner: notebooks executed by papermill, failures named, reports replaced atomically."""

from __future__ import annotations

import threading
from pathlib import Path

import nbformat
import pytest

from slp import report
from slp.errors import NotebookError
from slp.params import Params


def make_notebook(path: Path, *cells: str, section: str = "Test section") -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                 "display_name": "Python 3"}
    nb.metadata["slp"] = {"section": section}
    params = nbformat.v4.new_code_cell('params_file = "x"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params] + [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, path)
    return path


def test_discover_sections_orders_by_number_and_reads_titles(tmp_path):
    make_notebook(tmp_path / "01-trends.ipynb", "1", section="Crime trends")
    make_notebook(tmp_path / "00-summary.ipynb", "1", section="Summary")
    (tmp_path / "scratch.ipynb").write_text("{}")  # not a numbered section: ignored
    found = report.discover_sections(tmp_path)
    assert [(s.path.name, s.title) for s in found] == [
        ("00-summary.ipynb", "Summary"), ("01-trends.ipynb", "Crime trends")]
    assert found[0].html_name == "00-summary.html"


def test_failing_cell_is_named(tmp_path):
    nb = make_notebook(tmp_path / "00-bad.ipynb", "x = 1", "raise ValueError('no such month')")
    section = report.Section(nb, "Bad")
    params = Params(borough="Lewisham", period_end="2022-09", path=tmp_path / "p.yaml")
    with pytest.raises(NotebookError) as err:
        report.execute_notebook(section, tmp_path / "out.ipynb", params)
    message = str(err.value)
    # the parameters cell is index 0, papermill's injected cell 1, then "x = 1", then the raise
    assert "notebook 00-bad.ipynb failed in cell" in message
    assert "ValueError: no such month" in message
    assert "\n" not in message


def test_replace_folder_swaps_whole_reports(tmp_path):
    final = tmp_path / "lewisham" / "2022-09"
    final.mkdir(parents=True)
    (final / "index.html").write_text("old")
    new = tmp_path / "lewisham" / ".tmp-new"
    new.mkdir()
    (new / "index.html").write_text("new")
    report.replace_folder(new, final)
    assert (final / "index.html").read_text() == "new"
    assert not new.exists()
    assert [p.name for p in (tmp_path / "lewisham").iterdir()] == ["2022-09"]  # no .old left


def test_period_lock_makes_runs_of_one_period_take_turns(tmp_path):
    params = Params(borough="Lewisham", period_end="2022-09")
    events: list[str] = []
    waited = threading.Event()

    def second():
        with report.period_lock(tmp_path, params, notify=lambda m: waited.set()):
            events.append("second")

    with report.period_lock(tmp_path, params):
        thread = threading.Thread(target=second)
        thread.start()
        assert waited.wait(10), "the second run should report that it is waiting"
        events.append("first")
    thread.join(10)
    assert events == ["first", "second"]


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
    html = report.provenance_html(manifest)
    assert "How this report was made" in html
    assert "f" * 64 in html and "2010-04 to 2023-07" in html
    assert "MPS Borough Level Crime (Historical).csv" in html and "/x/" not in html
    assert "1 row not attributed to a borough" in html
    assert "ONS mid-2020 small-area population estimates" in html and "abc123" in html


def test_page_context_links_neighbours_and_stamps(tmp_path):
    sections = [report.Section(tmp_path / f"0{i}-s{i}.ipynb", f"S{i}") for i in range(3)]
    params = Params(borough="Lewisham", period_end="2022-09", audience="internal")
    page = report.page_context(params, sections, 1, title="T", provenance="", demo=True)
    assert page["prev"] == {"href": "00-s0.html", "label": "S0"}
    assert page["next"] == {"href": "02-s2.html", "label": "S2"}
    assert [n["current"] for n in page["nav"]] == [False, False, True, False]
    assert [s["kind"] for s in page["stamps"]] == ["demo", "internal"]
    assert "not for publication" in page["stamps"][1]["title"]


@pytest.mark.slow
def test_failing_notebook_leaves_the_earlier_report_intact(demo_params, tmp_path):
    from slp import params as params_mod

    p = params_mod.load(demo_params)
    good = make_notebook(tmp_path / "00-fine.ipynb", "print('fine')", section="Fine")
    first = report.run_period(p, tmp_path / "reports", sections=[report.Section(good, "Fine")])
    before = {f.name: f.read_bytes() for f in first.parent.iterdir()}
    bad = make_notebook(tmp_path / "01-broken.ipynb", "x = 1",
                        "raise RuntimeError('the dashboard file is corrupt')", section="Broken")
    with pytest.raises(NotebookError, match="01-broken.ipynb failed in cell .*RuntimeError: "
                                            "the dashboard file is corrupt"):
        report.run_period(p, tmp_path / "reports", sections=[
            report.Section(good, "Fine"), report.Section(bad, "Broken")])
    after = {f.name: f.read_bytes() for f in first.parent.iterdir()}
    assert after == before  # the previous report, byte for byte
    leftovers = [f.name for f in first.parent.parent.iterdir() if f.name.startswith(".tmp")]
    assert leftovers == []  # the failed run's temporary folder is gone


@pytest.mark.slow
def test_manifest_hashes_match_the_input_files(demo_report):
    import hashlib
    import json

    manifest = json.loads((demo_report / "manifest.json").read_text())
    files = [f for source in manifest["inputs"] for f in source["files"]]
    assert len(files) >= 8
    for entry in files:
        digest = hashlib.sha256(Path(entry["path"]).read_bytes()).hexdigest()
        assert entry["sha256"] == digest, entry["path"]
    assert manifest["parameters"]["borough"] == "Wexbridge"
    assert manifest["synthetic_demo_data"] is True
    assert manifest["slp_version"] and manifest["run_at"] and manifest["population_source"]
    page = (demo_report / "00-summary.html").read_text(encoding="utf-8")
    assert "How this report was made" in page and files[0]["sha256"] in page


# --------------------------------------------------------------------------------------------
# shared preparation and parallel notebooks


def test_default_jobs_is_the_cores_but_never_more_than_the_notebooks():
    cores = len(__import__("os").sched_getaffinity(0))
    assert report.default_jobs() == cores
    assert report.default_jobs(1) == 1
    assert report.default_jobs(100) == cores


def test_notebooks_get_the_file_and_only_the_values_that_differ(demo_params, tmp_path):
    from dataclasses import replace

    from slp import params as params_mod

    demo = params_mod.load(demo_params)
    full = make_notebook(tmp_path / "00-full.ipynb", "1")
    nb = nbformat.read(full, as_version=4)
    nb.cells[0].source = 'params_file = "x"\nborough = None\ncomparators = None'
    nbformat.write(nb, full)
    assert report.notebook_parameters(demo, full) == {"params_file": str(demo.path)}
    other = replace(demo, borough="Ashmere", comparators=("Calderwick",))
    assert report.notebook_parameters(other, full) == {
        "params_file": str(demo.path), "borough": "Ashmere", "comparators": ["Calderwick"]}
    # a notebook that cannot take the differences gets the whole mapping
    bare = make_notebook(tmp_path / "01-bare.ipynb", "1")
    assert report.notebook_parameters(other, bare) == other.to_dict()
    # and a notebook resolves exactly the runner's parameters from what it is given
    given = report.notebook_parameters(other, full)
    assert params_mod.resolve(given.pop("params_file"), **given) == other


@pytest.mark.slow
def test_a_notebook_runs_standalone_with_plain_papermill(demo_params, tmp_path):
    """No runner, no prepared file: the notebook loads its own inputs, as in JupyterLab."""
    import papermill

    from support import ROOT

    out = tmp_path / "00-summary.ipynb"
    papermill.execute_notebook(str(ROOT / "notebooks" / "00-summary.ipynb"), str(out),
                               parameters={"params_file": str(demo_params)},
                               progress_bar=False, cwd=str(ROOT))
    nb = nbformat.read(out, as_version=4)
    assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
                if o.get("output_type") == "error"]
