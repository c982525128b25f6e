"""Kernels for parallel runs: private sockets, a retry when a start races, none left behind."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time

import nbformat
import pytest

from slp import execution, kernels
from slp.errors import NotebookError
from test_execution import make_notebook

psutil = pytest.importorskip("psutil")


def kernel_children() -> list[int]:
    """Our own child processes that are (live) Jupyter kernels."""
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(child.cmdline()):
                found.append(child.pid)
        except psutil.Error:
            continue
    return found


@pytest.fixture()
def params(tmp_path):
    """What the runner injects into a notebook: its resolved parameters file."""
    return {"params_file": str(tmp_path / "p.yaml")}


def test_start_failures_are_told_apart_from_notebook_failures():
    zmq = pytest.importorskip("zmq")
    assert kernels.is_start_failure(zmq.ZMQError(errno.EADDRINUSE))
    assert kernels.is_start_failure(RuntimeError("Kernel died before replying to kernel_info"))
    assert kernels.is_start_failure(RuntimeError("Kernel didn't respond in 60 seconds"))
    assert not kernels.is_start_failure(RuntimeError("Kernel died"))  # while running a cell
    assert not kernels.is_start_failure(ValueError("no such month"))


def test_reap_kills_the_whole_process_group_and_ignores_the_dead():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"],
                             start_new_session=True)
    try:
        assert kernels.reap([child.pid]) == [child.pid]
        assert child.wait(10) == -9
        assert kernels.reap([child.pid]) == []
    finally:
        if child.poll() is None:
            child.kill()


def test_kernels_use_private_unix_sockets(tmp_path, params, capfd):
    if kernels.default_transport() != "ipc":
        pytest.skip("no Unix sockets on this platform")
    nb = make_notebook(tmp_path / "00-ok.ipynb",
                       "import json, os\nprint(os.environ['SLP_KERNEL_OWNER'])")
    group = kernels.KernelGroup()
    out = tmp_path / "out.ipynb"
    execution.execute_notebook(execution.Section(nb, "Ok"), out, params, group=group)
    executed = nbformat.read(out, as_version=4)
    assert executed.cells[-1].outputs[0]["text"].strip() == group.tag
    assert len(group.pids) == 1 and kernels.reap(group.pids) == []
    assert kernels.find_kernels(group.tag) == []
    assert oct(os.stat(kernels.socket_dir()).st_mode & 0o777) == "0o700"
    assert not list(os.scandir(kernels.socket_dir()))  # sockets removed with the kernel
    assert "without encryption" not in capfd.readouterr().err


def test_a_start_that_races_is_retried(tmp_path, params, monkeypatch):
    zmq = pytest.importorskip("zmq")
    import papermill

    real = papermill.execute_notebook
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise zmq.ZMQError(errno.EADDRINUSE)
        return real(*args, **kwargs)

    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    nb = make_notebook(tmp_path / "00-ok.ipynb", "x = 1")
    execution.execute_notebook(execution.Section(nb, "Ok"), tmp_path / "out.ipynb", params)
    assert len(calls) == 2


def test_a_start_that_keeps_failing_is_reported(tmp_path, params, monkeypatch):
    zmq = pytest.importorskip("zmq")
    import papermill

    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise zmq.ZMQError(errno.EADDRINUSE)

    monkeypatch.setattr(papermill, "execute_notebook", broken)
    nb = make_notebook(tmp_path / "00-ok.ipynb", "x = 1")
    with pytest.raises(NotebookError, match="notebook 00-ok.ipynb could not run: ZMQError"):
        execution.execute_notebook(execution.Section(nb, "Ok"), tmp_path / "out.ipynb", params)
    assert len(calls) == kernels.START_ATTEMPTS


@pytest.mark.slow
def test_parallel_run_leaves_no_kernel_after_success_or_failure(tmp_path, params):
    sections = [execution.Section(make_notebook(tmp_path / f"0{i}-ok.ipynb", f"x = {i}"), f"S{i}")
                for i in range(4)]
    out = tmp_path / "executed"
    out.mkdir()
    execution.execute_all(sections, out, params, lambda m: None, jobs=2)
    assert all((out / s.path.name).is_file() for s in sections)
    assert kernel_children() == []

    # one fails while another sleeps: the run fails fast, the sleeper's kernel is killed,
    # the notebook not yet started never starts
    slow = make_notebook(tmp_path / "10-slow.ipynb", "import time; time.sleep(120)")
    bad = make_notebook(tmp_path / "11-bad.ipynb", "import time; time.sleep(3)",
                        "raise ValueError('broken on purpose')")
    never = make_notebook(tmp_path / "12-never.ipynb", "x = 1")
    sections = [execution.Section(p, p.stem) for p in (slow, bad, never)]
    start = time.monotonic()
    with pytest.raises(NotebookError, match="11-bad.ipynb failed in cell .*broken on purpose"):
        execution.execute_all(sections, out, params, lambda m: None, jobs=2)
    assert time.monotonic() - start < 60
    assert not (out / "12-never.ipynb").exists()
    assert kernel_children() == []


@pytest.mark.slow
def test_kernels_stop_when_the_runner_is_killed(tmp_path):
    """A runner killed outright (SIGKILL: no clean-up code runs) leaves no kernel behind."""
    nb = make_notebook(tmp_path / "00-slow.ipynb", "import time; time.sleep(120)")
    code = (
        "import sys; from pathlib import Path; from slp import execution; "
        "p = {'params_file': str(Path(sys.argv[1]) / 'p.yaml')}; "
        "s = execution.Section(Path(sys.argv[1]) / '00-slow.ipynb', 'Slow'); "
        "execution.execute_notebook(s, Path(sys.argv[1]) / 'out.ipynb', p)"
    )
    runner = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)])
    try:
        deadline = time.monotonic() + 90
        kernel = None
        while time.monotonic() < deadline and kernel is None:
            time.sleep(0.5)
            for child in psutil.Process(runner.pid).children(recursive=True):
                if "ipykernel" in " ".join(child.cmdline()):
                    kernel = child
        assert kernel is not None, "the kernel did not start"
        time.sleep(3)  # let it get into the cell
        runner.kill()
        runner.wait(10)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and alive(kernel):
            time.sleep(0.25)
        assert not alive(kernel), "the kernel outlived its runner"
    finally:
        if runner.poll() is None:
            runner.kill()
    assert not nb.with_name("out.ipynb").exists()


def alive(proc) -> bool:
    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
