"""The prepared assessment of one run: written once, read back only when it fits."""

from __future__ import annotations

import os
import threading
import time

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
