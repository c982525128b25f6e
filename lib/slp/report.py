"""Run the notebooks for a reporting period and render them into a self-contained HTML report.

A run executes every notebook with papermill (parameters injected from the params file) into a
temporary folder, renders each to HTML with nbconvert and slp's offline template, writes
``figures.json``, ``manifest.json`` and the period's ``index.html``, and only then replaces
``reports/<borough>/<period_end>/``. A failing notebook leaves the previous report untouched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import functools
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

import slp
from slp.errors import NotebookError, SlpError
from slp.params import Params, project_root

if TYPE_CHECKING:
    from slp.kernels import KernelGroup

TEMPLATES = Path(__file__).parent / "templates"
SITE_NAME = "Community safety strategic assessment"
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


def period_dir(reports: Path, params: Params) -> Path:
    return reports / params.slug / params.period_end


@contextlib.contextmanager
def period_lock(reports: Path, params: Params, notify: Callable[[str], None] | None = None
                ) -> Iterator[None]:
    """Hold an exclusive lock on one borough-period so concurrent runs take turns."""
    folder = reports / params.slug
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f".{params.period_end}.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if notify:
                notify(f"waiting for another run of {params.borough} {params.period_end}")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def reports_lock(reports: Path) -> Iterator[None]:
    """Hold an exclusive lock on the reports folder's own files (``index.html``), so runs of
    a batch that finish together take turns to rewrite it."""
    reports.mkdir(parents=True, exist_ok=True)
    with open(reports / ".index.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def git_commit(root: Path | None = None) -> str | None:
    """The project's git commit (with ``-dirty`` when there are uncommitted changes), if any."""
    root = root or project_root()
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                                text=True, timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=root, capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return commit + ("-dirty" if dirty else "")


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


def notebook_parameters(params: Params, notebook: Path) -> dict:
    """What papermill injects for ``params``: its file as ``params_file``, plus the values
    that differ from the file (a batch's other boroughs) when the notebook declares them; the
    whole mapping when there is no file or the notebook cannot take the differences."""
    if params.path is None:
        return params.to_dict()
    from slp import params as params_mod

    mine = params.to_dict()
    try:
        base = params_mod.load(params.path).to_dict()
    except SlpError:  # the file is gone or changed beyond reading: the file is what we have
        return {"params_file": str(params.path)}
    differ = {k: v for k, v in mine.items() if base.get(k) != v}
    if differ and not all(declares_parameter(notebook, k) for k in differ):
        return mine
    return {"params_file": str(params.path), **differ}


def execute_notebook(section: Section, output: Path, params: Params, *,
                     prepared: Path | None = None, group: KernelGroup | None = None) -> None:
    """Execute one notebook with papermill, raising :class:`NotebookError` naming the cell.

    Parameters
    ----------
    section : Section
        The notebook.
    output : Path
        Where the executed notebook is written.
    params : Params
        Injected as ``params_file`` (see :func:`notebook_parameters`).
    prepared : Path, optional
        The run's prepared assessment (:func:`slp.prepared.save`), injected as the
        ``prepared`` parameter when the notebook declares one.
    group : slp.kernels.KernelGroup, optional
        The run's kernels (so a failing run can stop the others); a new group by default.

    The kernel talks over private Unix sockets, is started again when its start fails like a
    port race, and is killed if still alive when this returns or raises.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from slp.kernels import START_ATTEMPTS, KernelGroup, is_start_failure, reap

    parameters = notebook_parameters(params, section.path)
    if prepared is not None and declares_parameter(section.path, "prepared"):
        parameters["prepared"] = str(prepared)
    group = group or KernelGroup()
    for attempt in range(1, START_ATTEMPTS + 1):
        manager = group.manager_class()
        try:
            with group.serving():
                papermill.execute_notebook(
                    str(section.path), str(output), parameters=parameters,
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


_ANCHOR = re.compile(r'<a class="anchor-link" href="#[^"]*">.*?</a>')


def render_node(nb: nbformat.NotebookNode, page: dict) -> str:
    """Render a notebook with slp's offline template (code hidden, no CDN assets)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="slp", extra_template_basedirs=[str(TEMPLATES)], exclude_input=True,
        exclude_input_prompt=True, exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"slp": page})
    return _ANCHOR.sub("", body)


def render_html(executed: Path, page: dict) -> str:
    """Render an executed notebook file (see :func:`render_node`)."""
    return render_node(nbformat.read(executed, as_version=4), page)


def page_context(params: Params, sections: list[Section], current: int | None, *,
                 title: str, provenance: str, demo: bool) -> dict:
    """The template's ``resources.slp``: title, navigation, stamps and provenance."""
    nav = [{"href": "index.html", "label": "Contents", "current": current is None}]
    nav += [{"href": s.html_name, "label": s.title, "current": i == current}
            for i, s in enumerate(sections)]
    stamps = []
    if demo:
        stamps.append({"kind": "demo", "title": "Synthetic demonstration data.",
                       "text": "Every figure on this page comes from made-up data generated by "
                               "slp for a fictional borough. It describes no real place."})
    if params.internal:
        stamps.append({"kind": "internal", "title": "Internal - not for publication.",
                       "text": "Small counts are not suppressed on this page."})
    def link(i):
        return ({"href": sections[i].html_name, "label": sections[i].title}
                if current is not None and 0 <= i < len(sections) else None)
    return {
        "title": title, "site_name": f"{SITE_NAME}: {params.borough}",
        "css": (TEMPLATES / "slp" / "slp.css").read_text(), "version": slp.__version__,
        "nav": nav, "stamps": stamps, "index_href": "index.html",
        "prev": link(current - 1) if current is not None else None,
        "next": link(current + 1) if current is not None else None,
        "provenance": provenance,
    }


def provenance_html(manifest: dict) -> str:
    """The "How this report was made" section every page ends with."""
    e = html.escape
    rows = []
    for source in manifest["inputs"]:
        months = (f"{source['first_month']} to {source['last_month']}"
                  if source.get("first_month") else "not monthly")
        for f in source["files"] or [{"path": "(none)", "sha256": ""}]:
            rows.append(
                f"<tr><td>{e(source['source'])}</td><td>{e(Path(f['path']).name)}</td>"
                f"<td>{e(months)}</td><td><code>{e(f['sha256'])}</code></td></tr>"
            )
    caveats = [c for s in manifest["inputs"] for c in s.get("caveats", [])]
    caveat_html = ("<ul>" + "".join(f"<li>{e(c)}</li>" for c in caveats) + "</ul>"
                   if caveats else "<p>The loaders reported no caveats.</p>")
    params = manifest["parameters"]
    param_rows = "".join(
        f"<tr><th scope=\"row\">{e(k)}</th><td>{e(json.dumps(v) if not isinstance(v, str) else v)}"
        "</td></tr>" for k, v in params.items() if k != "sources")
    return (
        '<h2 id="how-this-report-was-made">How this report was made</h2>'
        f"<p>Produced by slp {e(manifest['slp_version'])} (git commit "
        f"<code>{e(str(manifest['git_commit']))}</code>) on {e(manifest['run_at'])}. "
        f"Population source: {e(manifest['population_source'])}. Every figure is computed "
        "from the input files listed here; nothing is typed in by hand.</p>"
        '<div class="table-scroll"><table><caption>Parameters of this run</caption>'
        f"<tbody>{param_rows}</tbody></table></div>"
        '<div class="table-scroll"><table><caption>Input files, the months they cover and '
        'their SHA-256 checksums</caption><thead><tr><th scope="col">Source</th>'
        '<th scope="col">File</th><th scope="col">Months</th><th scope="col">SHA-256</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        f"<h3>Data caveats reported by the loaders</h3>{caveat_html}"
    )


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


def run_period(params: Params, reports: Path, *, sections: list[Section] | None = None,
               progress: Callable[[str], None] | None = None, jobs: int | None = None,
               stats: dict | None = None) -> Path:
    """Run every notebook for one params file; return the period's ``index.html``.

    The notebooks start at once, ``jobs`` at a time (default: :func:`default_jobs`), longest
    first by the previous run's timings. Meanwhile the inputs are loaded and checked once,
    here, and stored as a prepared assessment (:func:`slp.prepared.save`) that the
    notebooks wait for and read instead of loading the inputs again. Each page is rendered as
    soon as its notebook finishes. ``stats``, when given, is filled as for :func:`execute_all`.

    Raises
    ------
    SlpError
        Bad input data: the notebooks already starting are stopped, nothing is written.
    NotebookError
        A notebook failed: names the notebook and the cell. The previous report is untouched.
    """
    import threading

    say = progress or (lambda message: None)
    sections = sections or discover_sections()
    jobs = jobs or default_jobs(len(sections))
    reports = Path(reports)
    with period_lock(reports, params, say):
        order = _longest_first(sections, _previous_seconds(reports, params))
        work = Path(tempfile.mkdtemp(prefix=f".tmp-{params.period_end}-", dir=reports / params.slug))
        try:
            executed = work / ".executed"
            executed.mkdir()
            prepared = None
            if any(declares_parameter(s.path, "prepared") for s in sections):
                from slp import prepared as prepared_mod

                prepared = prepared_mod.expect(executed / "assessment.pickle")
            run: dict = {}
            ready = threading.Event()

            def load_once() -> None:
                """The run's shared work, in this thread while the kernels start."""
                from slp import assessment, figures, site
                from slp import prepared as prepared_mod

                try:
                    say(f"{params.borough} {params.period_end}: loading and checking the data")
                    data = assessment.load(params)
                    numbers = figures.compute(data)
                    manifest = site.manifest(data, sections, run_at=dt.datetime.now(dt.UTC))
                    if prepared is not None:
                        prepared_mod.save(data, prepared)
                    run.update(data=data, numbers=numbers, manifest=manifest,
                               provenance=provenance_html(manifest))
                finally:
                    ready.set()
                page = page_context(params, sections, None, provenance=run["provenance"],
                                    demo=data.is_demo, title=f"Contents: {data.title_suffix}")
                (work / "index.html").write_text(site.period_index(data, numbers, sections, page),
                                                 encoding="utf-8")
                write_json(work / "figures.json", figures.publishable(numbers, params))

            def render(i: int, section: Section, nb_path: Path) -> None:
                ready.wait()
                if "data" not in run:  # loading failed: the run is being stopped
                    return
                data = run["data"]
                page = page_context(params, sections, i, provenance=run["provenance"],
                                    demo=data.is_demo, title=f"{section.title}: {data.title_suffix}")
                (work / section.html_name).write_text(render_html(nb_path, page), encoding="utf-8")

            stats = {} if stats is None else stats
            execute_all(sections, executed, params, say, jobs=jobs, prepared=prepared,
                        then=render, meanwhile=load_once, order=order, stats=stats)
            seconds = stats["notebook_seconds"]
            manifest = run["manifest"] | {
                "notebook_seconds": {k: round(seconds[k], 1) for k in sorted(seconds)}}
            write_json(work / "manifest.json", manifest)
            shutil.rmtree(executed)
            final = period_dir(reports, params)
            replace_folder(work, final)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
    with reports_lock(reports):
        from slp import site

        site.write_reports_index(reports)
    return final / "index.html"


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


def _longest_first(sections: list[Section], seconds: dict[str, float]) -> list[int]:
    """Start order: longest notebooks first (so the last to finish are short ones and the
    cores stay busy to the end); notebooks never timed go first, in report order."""
    unknown = float("inf")
    return sorted(range(len(sections)),
                  key=lambda i: (-seconds.get(sections[i].path.name, unknown), i))


def execute_all(sections: list[Section], folder: Path, params: Params,
                say: Callable[[str], None], *, jobs: int = 1, prepared: Path | None = None,
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
    params : Params
        The run's parameters.
    say : callable
        Progress messages: ``"running NAME"`` when a notebook starts, ``"finished NAME"``
        when it is done (and ``then`` has run).
    jobs : int
        Notebooks executed at once, each in its own kernel.
    prepared : Path, optional
        The prepared assessment passed to the notebooks (see :func:`execute_notebook`).
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
        execute_notebook(sections[i], outputs[i], params, prepared=prepared, group=group)
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
