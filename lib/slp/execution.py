"""Execute the assessment's notebooks with papermill: discovery, one notebook, many in parallel.

The notebooks are ``notebooks/NN-name.ipynb``, in report order (:func:`discover_sections`).
Each is executed by papermill in its own kernel (:func:`execute_notebook`), the parameters it
declares injected; :func:`execute_all` runs several at once and stops them all at the first
failure. This module knows nothing of the parameters' meaning or of the rendered pages: the
runner (:mod:`slp.report`) hands it the values to inject and what to do with each result.
"""

from __future__ import annotations

import functools
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from slp.errors import NotebookError, SlpError
from slp.params import project_root

if TYPE_CHECKING:
    from slp.kernels import KernelGroup

KERNEL = "python3"


@dataclass(frozen=True)
class Section:
    """One notebook of the assessment."""

    path: Path
    title: str

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def html_name(self) -> str:
        return f"{self.stem}.html"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def discover_sections(folder: Path | None = None) -> list[Section]:
    """The assessment's notebooks (``NN-name.ipynb``) in order, titled from their metadata."""
    folder = folder or notebooks_dir()
    sections = []
    for path in sorted(folder.glob("[0-9][0-9]-*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        title = nb.metadata.get("slp", {}).get("section")
        sections.append(Section(path, title or path.stem[3:].replace("-", " ").capitalize()))
    if not sections:
        raise SlpError(f"no notebooks found in {folder}; expected files like 00-summary.ipynb")
    return sections


def default_jobs(tasks: int | None = None) -> int:
    """Notebooks (or runs) executed at once by default: the CPU cores this process may use,
    and never more than there are ``tasks``."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, tasks)) if tasks else max(1, cores)


def declares_parameter(notebook: Path, name: str) -> bool:
    """Whether the notebook's ``parameters`` cell assigns ``name`` (e.g. ``prepared``)."""
    return name in _declared(Path(notebook), Path(notebook).stat().st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _declared(notebook: Path, mtime: int) -> frozenset[str]:
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            return frozenset(re.findall(r"^([A-Za-z_]\w*)\s*[:=]", cell.source, re.MULTILINE))
    return frozenset()


def execute_notebook(section: Section, output: Path, parameters: Mapping[str, object], *,
                     group: KernelGroup | None = None) -> None:
    """Execute one notebook with papermill, raising :class:`NotebookError` naming the cell.

    Parameters
    ----------
    section : Section
        The notebook.
    output : Path
        Where the executed notebook is written.
    parameters : mapping
        Values to inject, e.g. ``{"params_file": ..., "prepared": ...}``; only those the
        notebook's parameters cell declares are injected.
    group : slp.kernels.KernelGroup, optional
        The run's kernels (so a failing run can stop the others); a new group by default.

    The kernel talks over private Unix sockets, is started again when its start fails like a
    port race, and is killed if still alive when this returns or raises.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from slp.kernels import START_ATTEMPTS, KernelGroup, is_start_failure, reap

    injected = {k: v for k, v in parameters.items() if declares_parameter(section.path, k)}
    group = group or KernelGroup()
    for attempt in range(1, START_ATTEMPTS + 1):
        manager = group.manager_class()
        try:
            with group.serving():
                papermill.execute_notebook(
                    str(section.path), str(output), parameters=injected,
                    kernel_name=KERNEL, language="python", progress_bar=False, log_output=False,
                    request_save_on_cell_execute=False,
                    # the kernel's working folder, without papermill's process-wide chdir (which
                    # notebooks executed in parallel threads would fight over)
                    resources={"metadata": {"path": str(project_root())}},
                    kernel_manager_class=manager,
                    # every output is in by then: kill the kernel rather than wait for it
                    shutdown_kernel="immediate",
                )
            return
        except PapermillExecutionError as exc:
            raise NotebookError(
                f"notebook {section.path.name} failed in cell {exc.exec_count} "
                f"(cell index {exc.cell_index}): {exc.ename}: {_first_line(exc.evalue)}"
            ) from None
        except SlpError:
            raise
        except Exception as exc:  # kernel died, could not start, ...
            if attempt < START_ATTEMPTS and is_start_failure(exc) and not group.stopped.is_set():
                continue
            raise NotebookError(f"notebook {section.path.name} could not run: "
                                f"{type(exc).__name__}: {_first_line(str(exc))}") from None
        finally:
            reap(manager.launched)


def _first_line(text: str) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(text)).strip()
    return text.splitlines()[0] if text else ""


def longest_first(sections: list[Section], seconds: Mapping[str, float]) -> list[int]:
    """Start order: longest notebooks first (so the last to finish are short ones and the
    cores stay busy to the end); notebooks never timed go first, in report order."""
    unknown = float("inf")
    return sorted(range(len(sections)),
                  key=lambda i: (-seconds.get(sections[i].path.name, unknown), i))


def execute_all(sections: list[Section], folder: Path, parameters: Mapping[str, object],
                say: Callable[[str], None], *, jobs: int = 1,
                then: Callable[[int, Section, Path], None] | None = None,
                meanwhile: Callable[[], None] | None = None,
                order: list[int] | None = None, stats: dict | None = None) -> list[Path]:
    """Execute the notebooks, ``jobs`` at a time; return the executed notebooks in order.

    Parameters
    ----------
    sections : list of Section
        The notebooks, in report order.
    folder : Path
        Where the executed notebooks are written (same file names).
    parameters : mapping
        Injected into every notebook (see :func:`execute_notebook`).
    say : callable
        Progress messages: ``"running NAME"`` when a notebook starts, ``"finished NAME"``
        when it is done (and ``then`` has run).
    jobs : int
        Notebooks executed at once, each in its own kernel.
    then : callable, optional
        ``then(index, section, executed_path)`` is called (in the worker) as soon as a
        notebook has run, e.g. to render its page while the others are still running.
    meanwhile : callable, optional
        Called once in this thread after the notebooks are started, so its work overlaps
        theirs. If it raises, the notebooks are stopped and its exception is raised.
    order : list of int, optional
        Indices of ``sections`` in the order to start them (default: report order).
    stats : dict, optional
        Filled with ``notebook_seconds`` (each notebook's execution time, by file name) and
        ``kernel_peak_mb`` (the largest peak resident memory of the kernels, or ``None``).

    Raises
    ------
    NotebookError
        The first notebook to fail; the notebooks still running are stopped at once (their
        kernels killed) and those not started are not started.
    """
    from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

    from slp.kernels import KernelGroup

    outputs = [folder / s.path.name for s in sections]
    group = KernelGroup()
    stats = {} if stats is None else stats
    seconds = stats.setdefault("notebook_seconds", {})

    def one(i: int) -> None:
        if group.stopped.is_set():
            return
        say(f"running {sections[i].path.name}")
        start = time.perf_counter()
        execute_notebook(sections[i], outputs[i], parameters, group=group)
        seconds[sections[i].path.name] = time.perf_counter() - start
        if then is not None:
            then(i, sections[i], outputs[i])
        say(f"finished {sections[i].path.name}")

    pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="slp-notebook")
    try:
        futures = [pool.submit(one, i) for i in (order or range(len(sections)))]
        if meanwhile is not None:
            meanwhile()
        done, _ = wait(futures, return_when=FIRST_EXCEPTION)
        failed = [f for f in futures if f in done and f.exception() is not None]
        if failed:
            raise failed[0].exception()
    except BaseException:
        # Fail fast (and on Ctrl-C): start nothing more, kill the kernels still running.
        group.stop()
        pool.shutdown(wait=True, cancel_futures=True)
        group.stop()
        raise
    finally:
        pool.shutdown(wait=True)
        stats["kernel_peak_mb"] = max(group.peak_mb.values(), default=None)
    return outputs
