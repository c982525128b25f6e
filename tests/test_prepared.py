"""The prepared assessment of one run: written once, read back only when it fits."""

from __future__ import annotations

import os
import threading
import time

import pytest

from slp.params import Params


def test_prepared_assessment_is_used_only_for_the_same_parameters_and_code(tmp_path,
                                                                           monkeypatch):
    from slp import assessment, cache, prepared

    params = Params(borough="Lewisham", period_end="2022-09", comparators=("Greenwich",),
                    path=tmp_path / "p.yaml")
    data = assessment.Assessment(params=params, crime="crime stand-in",
                                 population="population stand-in")
    path = prepared.save(data, tmp_path / "assessment.pickle")
    assert [p.name for p in tmp_path.iterdir()] == ["assessment.pickle"]  # no temporary left
    found = prepared.read(path, params)
    assert (found.params, found.crime) == (params, "crime stand-in")
    other = Params(borough="Greenwich", period_end="2022-09", path=tmp_path / "p.yaml")
    assert prepared.read(path, other) is None
    assert prepared.read(tmp_path / "missing.pickle", params) is None
    (tmp_path / "junk.pickle").write_bytes(b"not a pickle")
    assert prepared.read(tmp_path / "junk.pickle", params) is None
    monkeypatch.setattr(cache, "code_version", lambda: "other code")
    assert prepared.read(path, params) is None


def test_announced_file_is_waited_for_and_a_missing_one_is_not(tmp_path):
    from slp import assessment, prepared

    params = Params(borough="Lewisham", period_end="2022-09", path=tmp_path / "p.yaml")
    data = assessment.Assessment(params=params, crime="c", population="p")
    path = prepared.expect(tmp_path / "assessment.pickle")
    assert (tmp_path / "assessment.pickle.pending").exists()
    writer = threading.Timer(0.5, prepared.save, args=(data, path))
    writer.start()
    start = time.monotonic()
    found = prepared.read(path, params, wait=30)
    assert found is not None and found.crime == "c"
    assert time.monotonic() - start >= 0.4  # it waited for the writer
    assert not (tmp_path / "assessment.pickle.pending").exists()
    # not announced: no waiting at all
    start = time.monotonic()
    assert prepared.read(tmp_path / "other.pickle", params, wait=30) is None
    assert time.monotonic() - start < 5
    writer.join()
    assert sorted(os.listdir(tmp_path)) == ["assessment.pickle"]


def test_a_notebook_given_the_runners_files_reads_neither_the_parameters_nor_the_inputs(
        tmp_path, monkeypatch):
    from slp import assessment, prepared
    from slp import params as params_mod

    (tmp_path / "crime.csv").write_text("x\n")
    (tmp_path / "pop.csv").write_text("x\n")
    params = Params(borough="Lewisham", period_end="2022-09",
                    sources=params_mod.Sources(borough_crime=(tmp_path / "crime.csv",),
                                               population=tmp_path / "pop.csv"))
    resolved = params_mod.save(params, tmp_path / "params.yaml")
    data = assessment.Assessment(params=params, crime="c", population="p")
    pickle = prepared.save(data, tmp_path / "assessment.pickle", params_file=resolved)
    read, loaded = [], []
    monkeypatch.setattr(params_mod, "read_raw", lambda *a, **k: read.append(a) or 1 / 0)
    monkeypatch.setattr(assessment, "load", lambda p, **k: loaded.append(p) or "loaded")
    found = assessment.prepare(str(resolved), prepared=str(pickle))
    assert found.crime == "c" and read == [] and loaded == []
    # the file says something else now: the prepared assessment is not for it
    resolved.write_text(resolved.read_text().replace("Lewisham", "Bexley"))
    with pytest.raises(ZeroDivisionError):  # it reads the parameters (here: our stand-in)
        assessment.prepare(str(resolved), prepared=str(pickle))
    assert len(read) == 1 and loaded == []


def test_what_the_runner_worked_out_is_handed_to_notebooks_that_read_after_it(tmp_path):
    """The runner's memo results (slp.memo) travel beside the prepared file, to the copy a
    notebook reads; not to a copy read before they were written, nor to another file's."""
    from slp import assessment, memo, prepared

    params = Params(borough="Lewisham", period_end="2022-09", path=tmp_path / "p.yaml")
    data = assessment.Assessment(params=params, crime="c", population="p")
    path = prepared.save(data, tmp_path / "assessment.pickle")
    early = prepared.read(path, params)
    assert prepared.save_worked_out(path, data) is None  # nothing worked out yet: no file
    assert memo.once(data, ("figures", "2022-09"), lambda: {"count": 28409}) == {"count": 28409}
    assert prepared.save_worked_out(path, data).name == "assessment.pickle.worked-out"

    def not_again():
        raise AssertionError("worked out again")

    assert memo.once(prepared.read(path, params), ("figures", "2022-09"), not_again) == {
        "count": 28409}
    assert memo.once(early, ("figures", "2022-09"), lambda: "its own") == "its own"
    prepared.save(data, path)  # another prepared file at the same path: not its results
    assert memo.once(prepared.read(path, params), ("figures", "2022-09"),
                     lambda: "its own") == "its own"
