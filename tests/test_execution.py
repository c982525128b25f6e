"""Executing the notebooks: discovery in order, failures named, only declared values injected."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from slp import execution
from slp.errors import NotebookError


def make_notebook(path: Path, *cells: str, section: str = "Test section",
                  parameters: str = 'params_file = "x"') -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                 "display_name": "Python 3"}
    nb.metadata["slp"] = {"section": section}
    params = nbformat.v4.new_code_cell(parameters)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params] + [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, path)
    return path


def test_discover_sections_orders_by_number_and_reads_titles(tmp_path):
    make_notebook(tmp_path / "01-trends.ipynb", "1", section="Crime trends")
    make_notebook(tmp_path / "00-summary.ipynb", "1", section="Summary")
    (tmp_path / "scratch.ipynb").write_text("{}")  # not a numbered section: ignored
    found = execution.discover_sections(tmp_path)
    assert [(s.path.name, s.title) for s in found] == [
        ("00-summary.ipynb", "Summary"), ("01-trends.ipynb", "Crime trends")]
    assert found[0].html_name == "00-summary.html"


def test_failing_cell_is_named(tmp_path):
    nb = make_notebook(tmp_path / "00-bad.ipynb", "x = 1", "raise ValueError('no such month')")
    section = execution.Section(nb, "Bad")
    with pytest.raises(NotebookError) as err:
        execution.execute_notebook(section, tmp_path / "out.ipynb",
                                   {"params_file": str(tmp_path / "p.yaml")})
    message = str(err.value)
    # the parameters cell is index 0, papermill's injected cell 1, then "x = 1", then the raise
    assert "notebook 00-bad.ipynb failed in cell" in message
    assert "ValueError: no such month" in message
    assert "\n" not in message


def test_default_jobs_is_the_cores_but_never_more_than_the_notebooks():
    cores = len(__import__("os").sched_getaffinity(0))
    assert execution.default_jobs() == cores
    assert execution.default_jobs(1) == 1
    assert execution.default_jobs(100) == cores


def test_a_notebook_gets_only_the_values_it_declares(tmp_path):
    both = make_notebook(tmp_path / "00-both.ipynb", "print(params_file, prepared)",
                         parameters='params_file: str = "x"  # file\nprepared: str = ""')
    bare = make_notebook(tmp_path / "01-bare.ipynb", "print(params_file)")
    given = {"params_file": "/run/params.yaml", "prepared": "/run/assessment.pickle"}
    assert execution.declares_parameter(both, "prepared")
    assert not execution.declares_parameter(bare, "prepared")
    for path, printed in [(both, "/run/params.yaml /run/assessment.pickle"),
                          (bare, "/run/params.yaml")]:
        out = tmp_path / f"out-{path.name}"
        execution.execute_notebook(execution.Section(path, "S"), out, given)
        executed = nbformat.read(out, as_version=4)
        injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert len(injected) == 1
        assert ("prepared" in injected[0].source) == (path == both)
        assert executed.cells[-1].outputs[0]["text"].strip() == printed


def test_longest_notebooks_start_first_and_untimed_ones_before_them(tmp_path):
    sections = [execution.Section(tmp_path / f"0{i}-s.ipynb", f"S{i}") for i in range(4)]
    seconds = {"00-s.ipynb": 5.0, "01-s.ipynb": 20.0, "03-s.ipynb": 1.0}  # 02 never timed
    assert execution.longest_first(sections, seconds) == [2, 1, 0, 3]
