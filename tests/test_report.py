"""The runner: notebooks executed by papermill, failures named, reports replaced atomically."""

from __future__ import annotations

import threading
from pathlib import Path

import nbformat
import pytest

from slp import report
from slp.errors import NotebookError, ParamsError
from slp.execution import Section
from slp.params import Params
from test_execution import make_notebook


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
    assert list(tmp_path.rglob("*.lock")) == []  # no lock file outlives its run


def test_a_waiter_whose_lock_file_was_removed_locks_the_new_one(tmp_path):
    """A run that failed removes its lock file and its empty borough folder while another
    run waits: the waiter must still exclude a third run, not lock a deleted file."""
    params = Params(borough="Lewisham", period_end="2022-09")
    order: list[str] = []
    second_in = threading.Event()
    release_second = threading.Event()

    def second():
        with report.period_lock(tmp_path, params):
            order.append("second in")
            second_in.set()
            release_second.wait(10)
            order.append("second out")

    def third():
        with report.period_lock(tmp_path, params):
            order.append("third in")

    with report.period_lock(tmp_path, params):
        waiter = threading.Thread(target=second)
        waiter.start()
        __import__("time").sleep(0.5)  # the second run is waiting on the first one's file
    # the first run failed: its lock file is gone (the waiter holds the removed file), and
    # it removes the borough folder it made unless the waiter has made it again already
    report._remove_empty([tmp_path / "lewisham"])
    assert second_in.wait(10)
    late = threading.Thread(target=third)
    late.start()
    late.join(1)
    assert order == ["second in"]  # the third waits for the second
    release_second.set()
    waiter.join(10)
    late.join(10)
    assert order == ["second in", "second out", "third in"]


@pytest.mark.slow
def test_failing_notebook_leaves_the_earlier_report_intact(demo_params, tmp_path):
    from slp import params as params_mod

    p = params_mod.load(demo_params)
    good = make_notebook(tmp_path / "00-fine.ipynb", "print('fine')", section="Fine")
    first = report.run_period(p, tmp_path / "reports", sections=[Section(good, "Fine")])
    before = {f.relative_to(first.parent): f.read_bytes() for f in first.parent.rglob("*")
              if f.is_file()}
    bad = make_notebook(tmp_path / "01-broken.ipynb", "x = 1",
                        "raise RuntimeError('the dashboard file is corrupt')", section="Broken")
    with pytest.raises(NotebookError, match="01-broken.ipynb failed in cell .*RuntimeError: "
                                            "the dashboard file is corrupt"):
        report.run_period(p, tmp_path / "reports", sections=[
            Section(good, "Fine"), Section(bad, "Broken")])
    after = {f.relative_to(first.parent): f.read_bytes() for f in first.parent.rglob("*")
             if f.is_file()}
    assert after == before  # the previous report, byte for byte
    leftovers = [f.name for f in first.parent.parent.iterdir() if f.name.startswith(".tmp")]
    assert leftovers == []  # the failed run's temporary folder is gone


@pytest.mark.slow
def test_manifest_hashes_match_the_input_files(demo_report, project_root):
    import hashlib
    import json

    manifest = json.loads((demo_report / "manifest.json").read_text())
    files = [f for source in manifest["inputs"] for f in source["files"]]
    assert len(files) >= 8
    for entry in files:  # named relative to the project (the demo data are inside it)
        assert not Path(entry["path"]).is_absolute(), entry["path"]
        digest = hashlib.sha256((project_root / entry["path"]).read_bytes()).hexdigest()
        assert entry["sha256"] == digest, entry["path"]
    assert manifest["parameters"]["borough"] == "Wexbridge"
    assert manifest["synthetic_demo_data"] is True
    assert manifest["slp_version"] and manifest["run_at"] and manifest["population_source"]
    page = (demo_report / "00-summary.html").read_text(encoding="utf-8")
    assert "How this report was made" in page and files[0]["sha256"] in page


@pytest.mark.slow
def test_published_folder_is_ready_for_a_web_server(demo_report, project_root):
    """An index.html at every level, a statement beside each, relative links only, and no
    folder of the building machine named in any file (pages, CSVs, metadata, manifest)."""
    import re
    import zipfile

    reports = demo_report.parent.parent
    for level in (reports, demo_report.parent, demo_report, demo_report / "csv"):
        assert (level / "index.html").is_file(), level
    for level in (reports, demo_report.parent, demo_report):
        assert (level / "accessibility.html").is_file(), level
    forbidden = [str(project_root), str(reports), "/work/", "/tmp/", "/root/"]
    files = [f for f in reports.rglob("*") if f.is_file()]
    assert len([f for f in files if f.suffix == ".csv"]) >= 10
    for path in files:
        texts = [path.read_bytes().decode("utf-8", errors="replace")]
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                texts = [archive.read(n).decode("utf-8") for n in archive.namelist()]
        for text in texts:
            found = [f for f in forbidden if f in text]
            assert not found, f"{path.relative_to(reports)} names {found}"
        if path.suffix == ".html":
            links = re.findall(r'(?:href|src)="([^"#][^"]*)"', texts[0])
            bad = [h for h in links if h.startswith(("/", "file:", "http:", "https:"))]
            assert not bad, f"{path.name} links {bad}"
            for href in links:
                if not href.startswith("data:"):
                    assert (path.parent / href).exists(), f"{path.name}: {href} is missing"


# --------------------------------------------------------------------------------------------
# shared preparation and parallel notebooks


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


# --------------------------------------------------------------------------------------------
# what a run leaves under reports/


def _fine(tmp_path) -> list[Section]:
    nb = make_notebook(tmp_path / "00-fine.ipynb", "print('fine')", section="Fine")
    return [Section(nb, "Fine")]


def test_a_file_or_an_unwritable_folder_as_reports_fails_before_anything_runs(tmp_path,
                                                                            monkeypatch):
    params = Params(borough="Lewisham", period_end="2022-09")
    afile = tmp_path / "reports.txt"
    afile.write_text("not a folder")
    for reports, found in [(afile, "is a file"), (afile / "sub", "is a file")]:
        with pytest.raises(ParamsError, match=f"--reports: '{reports}' .*{found}; expected a "
                                              "folder"):
            report.check_reports_folder(reports, params)
    assert afile.read_text() == "not a folder"
    report.check_reports_folder(tmp_path / "new" / "reports", params)  # can be made: fine
    monkeypatch.setattr(report.os, "access", lambda path, mode: False)  # as if read-only
    with pytest.raises(ParamsError, match=f"'{tmp_path}' is not writable"):
        report.check_reports_folder(tmp_path / "new" / "reports", params)
    with pytest.raises(ParamsError, match="is not writable"):  # run_period checks first
        report.run_period(params, tmp_path / "reports", sections=_fine(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["00-fine.ipynb", "reports.txt"]


@pytest.mark.slow
def test_a_run_that_fails_on_its_inputs_leaves_reports_as_it_was(demo_params, tmp_path):
    from dataclasses import replace

    from slp import params as params_mod
    from slp.errors import SlpError

    late = replace(params_mod.load(demo_params), period_end="2031-09")  # beyond the data
    sections = _fine(tmp_path)
    with pytest.raises(SlpError, match="period_end: 2031-09 needs the 24 months"):
        report.run_period(late, tmp_path / "reports", sections=sections)
    assert not (tmp_path / "reports").exists()
    (tmp_path / "kept").mkdir()
    with pytest.raises(SlpError, match="period_end: 2031-09"):
        report.run_period(late, tmp_path / "kept", sections=sections)
    assert list((tmp_path / "kept").iterdir()) == []


@pytest.mark.slow
def test_published_files_are_readable_by_all_and_a_killed_runs_leftovers_go(demo_params,
                                                                           tmp_path):
    import os

    from slp import params as params_mod

    p = params_mod.load(demo_params)
    reports = tmp_path / "reports"
    borough = reports / p.slug
    stale = borough / f".tmp-{p.period_end}-0123456789ab"  # as a SIGKILLed run leaves them
    (stale / ".executed").mkdir(parents=True)
    (stale / ".executed" / "assessment.pickle").write_bytes(b"x")
    (borough / f".old-{p.period_end}-01234567").mkdir()
    other = borough / ".tmp-2020-01-0123456789ab"  # another period's: not this run's to clean
    other.mkdir()
    (borough / f".{p.period_end}.lock").write_text("")
    old_umask = os.umask(0o022)
    try:
        index = report.run_period(p, reports, sections=_fine(tmp_path))
    finally:
        os.umask(old_umask)
    assert sorted(x.name for x in borough.iterdir()) == [
        ".tmp-2020-01-0123456789ab", p.period_end, "accessibility.html", "index.html"]
    period = index.parent
    assert oct(period.stat().st_mode & 0o777) == "0o755"
    assert {oct(f.stat().st_mode & 0o777) for f in period.rglob("*") if f.is_file()} == {"0o644"}
    assert {oct(f.stat().st_mode & 0o777) for f in period.rglob("*") if f.is_dir()} == {"0o755"}
    assert sorted(f.name for f in period.iterdir()) == [
        "00-fine.html", "accessibility.html", "csv", "figures.json", "index.html",
        "manifest.json"]
    assert sorted(f.name for f in (period / "csv").iterdir()) == [
        "index-1.csv", "index-1.csv-metadata.json", "index.html",
        f"{p.slug}-{p.period_end}-data.zip"]  # the contents page's headline table
    assert oct((reports / "index.html").stat().st_mode & 0o777) == "0o644"
    assert not list(reports.rglob("*.lock"))


def test_notebooks_get_one_resolved_file_that_reads_back_as_the_runners_parameters(tmp_path):
    from dataclasses import replace

    from slp import params as params_mod
    from slp import published as published_mod
    from slp.params import Disclosure, Sources

    (tmp_path / "crime.csv").write_text("x\n")
    (tmp_path / "pop.csv").write_text("x\n")
    sources = Sources(borough_crime=(tmp_path / "crime.csv",), population=tmp_path / "pop.csv")
    published = {"source": "Plan 2023-24", "headline": {12: {"count": "28.4K", "rank": "14"}}}
    base = Params(borough="Lewisham", period_end="2022-09", comparators=("Greenwich",),
                  sources=sources, audience="internal", disclosure=Disclosure(3, 7),
                  title="Strategic assessment £ 2022", path=tmp_path / "lewisham.yaml",
                  published=published_mod.parse(published, "test"))
    other = replace(base, borough="Bexley", comparators=("Greenwich",))  # a batch's borough
    (tmp_path / "run").mkdir()
    written = params_mod.save(other, tmp_path / "run" / "params.yaml")
    back = params_mod.load(written)
    assert back == other and back.borough == "Bexley" and back.disclosure.threshold == 3
    assert back.published == other.published and back.title == "Strategic assessment £ 2022"
    assert params_mod.resolve(str(written)) == other
