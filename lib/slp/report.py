"""Run the assessment for one reporting period and publish it as a self-contained HTML report.

:func:`run_period` is the one way through a run. It resolves the parameters once and writes
them into the period's temporary folder (:func:`slp.params.save`); starts every notebook on that
file (:mod:`slp.execution`); meanwhile loads and checks the inputs once and stores them for the
notebooks (:mod:`slp.prepared`); renders each page as its notebook finishes (:mod:`slp.pages`)
with the run's provenance (:mod:`slp.provenance`); and only when every notebook succeeded swaps
the folder into ``reports/<borough>/<period_end>/``.

A run that fails leaves the reports folder as it found it: the previous report untouched, no
temporary folder, no lock file, no new empty folder. Runs of the same period take turns (a
lock per period); a run cleans up what a killed run of its period left behind.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import fcntl
import json
import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from slp import downloads, execution, pages, provenance
from slp import params as params_mod
from slp.errors import ParamsError
from slp.execution import Section
from slp.params import Params


def period_dir(reports: Path, params: Params) -> Path:
    return reports / params.slug / params.period_end


def check_reports_folder(reports: Path, params: Params | None = None) -> None:
    """Raise :class:`ParamsError` unless the report can be written under ``reports`` (the
    folder, or the nearest folder above it that exists, is a writable folder), so that a run
    fails before any notebook runs rather than after."""
    reports = Path(reports)
    wanted = [reports] + ([reports / params.slug] if params is not None else [])
    for folder in wanted:  # the reports index, and the period's borough folder
        existing = next(p for p in (folder, *folder.parents) if p.exists() or p == p.parent)
        if not existing.is_dir():
            what = "is" if existing == reports else f"needs '{existing}', which is"
            raise ParamsError(f"--reports: '{reports}' {what} a file; expected a folder to "
                              "write the reports into")
        if not os.access(existing, os.W_OK | os.X_OK):
            raise ParamsError(f"--reports: '{existing}' is not writable by this user; expected "
                              "a folder slp may write the reports into")


@contextlib.contextmanager
def _exclusive(path: Path, notify: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold an exclusive lock on the file ``path``, creating it; the file is removed when the
    lock is released, so no lock file outlives its run. (A waiter that finds its file removed
    or replaced when its turn comes locks the current one instead.)"""
    while True:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            handle = open(path, "a")  # noqa: SIM115 - closed below, after the lock
        except FileNotFoundError:  # its folder was just removed by a run that failed
            continue
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if notify:
                notify()
                notify = None
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            mine, now = os.fstat(handle.fileno()), os.stat(path)
            current = (mine.st_dev, mine.st_ino) == (now.st_dev, now.st_ino)
        except FileNotFoundError:
            current = False
        if current:
            break
        handle.close()
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        handle.close()


@contextlib.contextmanager
def period_lock(reports: Path, params: Params, notify: Callable[[str], None] | None = None
                ) -> Iterator[None]:
    """Hold an exclusive lock on one borough-period so concurrent runs take turns."""
    message = f"waiting for another run of {params.borough} {params.period_end}"
    with _exclusive(reports / params.slug / f".{params.period_end}.lock",
                    (lambda: notify(message)) if notify else None):
        yield


@contextlib.contextmanager
def reports_lock(reports: Path) -> Iterator[None]:
    """Hold an exclusive lock on the reports folder's own files (``index.html``), so runs of
    a batch that finish together take turns to rewrite it."""
    with _exclusive(reports / ".index.lock"):
        yield


def write_json(path: Path, payload: dict) -> None:
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n",
                    encoding="utf-8")


def replace_folder(new: Path, final: Path) -> None:
    """Swap ``new`` into ``final``: the old report disappears only once the new one is whole."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if final.exists():
        old = final.with_name(f".old-{final.name}-{uuid.uuid4().hex[:8]}")
        os.replace(final, old)
    os.replace(new, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _remove_stale(folder: Path, period_end: str) -> None:
    """Remove what a killed run of this period left (its temporary or swapped-out folder).
    Called holding the period's lock, so no live run of the period is using them."""
    for pattern in (f".tmp-{period_end}-*", f".old-{period_end}-*"):
        for stale in folder.glob(pattern):
            shutil.rmtree(stale, ignore_errors=True)


def _absent(folder: Path) -> list[Path]:
    """``folder`` and the folders above it that do not exist yet, innermost first."""
    return [p for p in (folder, *folder.parents) if not p.exists()]


def _remove_empty(folders: list[Path]) -> None:
    for folder in folders:  # innermost first; a folder another run filled meanwhile stays
        with contextlib.suppress(OSError):
            folder.rmdir()


def run_period(params: Params, reports: Path, *, sections: list[Section] | None = None,
               progress: Callable[[str], None] | None = None, jobs: int | None = None,
               stats: dict | None = None) -> Path:
    """Run every notebook for one borough-period; return the period's ``index.html``.

    The notebooks start at once, ``jobs`` at a time (default:
    :func:`slp.execution.default_jobs`), longest first by the previous run's timings, each
    given the parameters file this run resolved. Meanwhile the inputs are loaded and checked
    once, here, and stored as a prepared assessment (:func:`slp.prepared.save`) that the
    notebooks wait for and read instead of loading the inputs again. Each page is rendered as
    soon as its notebook finishes. ``stats``, when given, is filled as for
    :func:`slp.execution.execute_all`.

    Raises
    ------
    ParamsError
        ``reports`` is a file or cannot be written: raised before anything runs.
    SlpError
        Bad input data: the notebooks already starting are stopped, nothing is written.
    NotebookError
        A notebook failed: names the notebook and the cell. The previous report is untouched.
    """
    say = progress or (lambda message: None)
    sections = sections or execution.discover_sections()
    reports = Path(reports)
    check_reports_folder(reports, params)
    created = _absent(reports / params.slug)
    try:
        with period_lock(reports, params, say):
            final = _run_locked(params, reports, sections, say,
                                jobs or execution.default_jobs(len(sections)), stats)
        with reports_lock(reports):
            pages.write_reports_index(reports)
    except BaseException:
        _remove_empty(created)
        raise
    return final / "index.html"


def _run_locked(params: Params, reports: Path, sections: list[Section],
                say: Callable[[str], None], jobs: int, stats: dict | None) -> Path:
    """The run itself, holding the period's lock; returns the published period folder."""
    folder = reports / params.slug
    _remove_stale(folder, params.period_end)
    seconds = _previous_seconds(reports, params)
    params = _with_previous_figures(params, folder)
    work = folder / f".tmp-{params.period_end}-{uuid.uuid4().hex[:12]}"
    work.mkdir()  # the usual permissions (0755 under umask 022): the report is published as is
    try:
        shared = _Shared(work)
        parameters = _hand_over(params, sections, shared)
        order = execution.longest_first(sections, seconds)
        stats = {} if stats is None else stats

        def prepare() -> None:
            _prepare(params, sections, shared, say)

        def render(i: int, section: Section, executed: Path) -> None:
            _render(params, sections, shared, i, section, executed)

        execution.execute_all(sections, shared.executed, parameters, say, jobs=jobs,
                              then=render, meanwhile=prepare, order=order, stats=stats)
        _finish(params, sections, shared, stats["notebook_seconds"])
        final = period_dir(reports, params)
        replace_folder(work, final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final


def _with_previous_figures(params: Params, folder: Path) -> Params:
    """The parameters with ``sources.previous_figures`` set to the latest earlier period's
    figures.json in this reports folder, when the parameters name none (what changed)."""
    from slp import changes

    found = (None if params.sources.previous_figures is not None
             else changes.earlier_figures(folder, params.period_end))
    if found is None:
        return params
    return dataclasses.replace(params, sources=dataclasses.replace(
        params.sources, previous_figures=found.resolve()))


class _Shared:
    """What one run's threads share: its temporary folder, the private files handed to the
    notebooks, and (once loaded) the assessment and the provenance section."""

    def __init__(self, work: Path):
        self.work = work
        self.executed = work / ".executed"
        self.executed.mkdir(mode=0o700)  # the unsuppressed data: this user's only
        self.params_file = self.executed / "params.yaml"
        self.prepared: Path | None = None
        self.ready = threading.Event()
        self.data = None
        self.manifest: dict = {}
        self.provenance = ""
        self.about: dict = {}  # what every CSV's metadata says of the run


def _hand_over(params: Params, sections: list[Section], shared: _Shared) -> dict[str, str]:
    """Write the resolved parameters once and announce the prepared assessment; return what
    every notebook is given (``params_file``, and ``prepared`` where declared)."""
    from slp import prepared

    params_mod.save(params, shared.params_file)
    parameters = {"params_file": str(shared.params_file)}
    if any(execution.declares_parameter(s.path, "prepared") for s in sections):
        shared.prepared = prepared.expect(shared.executed / "assessment.pickle")
        parameters["prepared"] = str(shared.prepared)
    return parameters


def _prepare(params: Params, sections: list[Section], shared: _Shared,
             say: Callable[[str], None]) -> None:
    """Load and check the inputs once (while the kernels start), store them for the
    notebooks, then write the contents page and ``figures.json``, and hand the figures to the
    notebooks still to start (:func:`slp.prepared.save_worked_out`)."""
    try:  # whatever happens (Ctrl-C in the middle of an import too), the pages stop waiting
        from slp import assessment, prepared

        say(f"{params.borough} {params.period_end}: loading and checking the data")
        data = assessment.load(params)
        if shared.prepared is not None:  # first: the notebooks are waiting for it
            prepared.save(data, shared.prepared, params_file=shared.params_file)
        from slp import figures  # after: its statistics libraries take a second to import

        numbers = figures.compute(data)
        published = figures.publishable(numbers, params)
        shared.manifest = provenance.manifest(data, sections, run_at=dt.datetime.now(dt.UTC))
        shared.provenance = provenance.provenance_html(shared.manifest)
        shared.about = _about(data, shared.manifest)
        shared.data = data
    finally:
        shared.ready.set()
    page = pages.page_context(params, sections, None, provenance=shared.provenance,
                              demo=data.is_demo, title=f"Contents: {data.title_suffix}")
    index = pages.period_index(data, numbers, sections, page,
                               downloads.zip_name(params.slug, params.period_end))
    (shared.work / "index.html").write_text(
        downloads.publish_tables(index, shared.work, "index", shared.about), encoding="utf-8")
    write_json(shared.work / "figures.json", published)
    if shared.prepared is not None:  # hand the figures to the pages that would recompute them
        from slp.sections import changes as changes_page

        changes_page.compared(data)  # the previous year's figures, when the page recomputes them
        prepared.save_worked_out(shared.prepared, data)


def _about(data, manifest: dict) -> dict:
    """What the metadata of every CSV of the run says: area, period, sources, disclosure."""
    rule = data.rule
    return {
        "area": data.area_label,
        "period": f"12 months to {data.period_end.strftime('%B %Y')} (a table's title gives "
                  "the months it covers)",
        "sources": [source["source"] for source in manifest.get("inputs", [])],
        "disclosure": (f"The same as the page: counts from 1 to {rule.threshold - 1} "
                       f"({rule.sensitive_threshold - 1} for sensitive ones) are not shown."
                       if rule.active else "Internal: small counts are not suppressed."),
        "synthetic_demo_data": bool(data.is_demo),
        "produced": manifest.get("run_at", ""),
    }


def _render(params: Params, sections: list[Section], shared: _Shared, i: int,
            section: Section, executed: Path) -> None:
    """Render one executed notebook into its page, once the inputs are loaded."""
    shared.ready.wait()
    if shared.data is None:  # loading failed: the run is being stopped
        return
    page = pages.page_context(params, sections, i, provenance=shared.provenance,
                              demo=shared.data.is_demo,
                              title=f"{section.title}: {shared.data.title_suffix}")
    (shared.work / section.html_name).write_text(
        downloads.publish_tables(pages.render_html(executed, page), shared.work, section.stem,
                                 shared.about), encoding="utf-8")


def _finish(params: Params, sections: list[Section], shared: _Shared,
            seconds: dict[str, float]) -> None:
    """Write the zip of CSVs, the data downloads page, the accessibility statement and
    ``manifest.json`` (with each notebook's time), and drop the private files."""
    zip_file = downloads.zip_name(params.slug, params.period_end)
    downloads.write_zip(shared.work, zip_file)
    page = pages.page_context(params, sections, None, provenance=shared.provenance,
                              demo=shared.data.is_demo,
                              title=f"Data downloads: {shared.data.title_suffix}")
    (shared.work / downloads.FOLDER / "index.html").write_text(pages.html_page(
        downloads.csv_index(shared.work, zip_file), pages.relocate(page)), encoding="utf-8")
    page = pages.page_context(params, sections, None, provenance=shared.provenance,
                              demo=shared.data.is_demo,
                              title=f"Accessibility statement: {shared.data.title_suffix}")
    (shared.work / pages.STATEMENT).write_text(pages.accessibility_statement(
        page, produced=shared.manifest.get("run_at", "")), encoding="utf-8")
    write_json(shared.work / "manifest.json", shared.manifest | {
        "notebook_seconds": {k: round(seconds[k], 1) for k in sorted(seconds)}})
    shutil.rmtree(shared.executed)


def _previous_seconds(reports: Path, params: Params) -> dict[str, float]:
    """Each notebook's execution time in the last run of this period (else of any period in
    ``reports``), from ``manifest.json``."""
    candidates = [period_dir(reports, params) / "manifest.json"]
    candidates += sorted(reports.glob("*/*/manifest.json"), key=_mtime, reverse=True)[:5]
    for path in candidates:
        try:
            found = json.loads(path.read_text(encoding="utf-8")).get("notebook_seconds")
        except (OSError, ValueError):
            continue
        if isinstance(found, dict) and found:
            return {str(k): float(v) for k, v in found.items()}
    return {}


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
