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
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat

import slp
from slp.errors import NotebookError, SlpError
from slp.params import Params, project_root

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


def execute_notebook(section: Section, output: Path, params: Params) -> None:
    """Execute one notebook with papermill, raising :class:`NotebookError` naming the cell."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        papermill.execute_notebook(
            str(section.path), str(output),
            parameters={"params_file": str(params.path)} if params.path else params.to_dict(),
            kernel_name=KERNEL, language="python", progress_bar=False, log_output=False,
            cwd=str(project_root()), request_save_on_cell_execute=False,
        )
    except PapermillExecutionError as exc:
        raise NotebookError(
            f"notebook {section.path.name} failed in cell {exc.exec_count} "
            f"(cell index {exc.cell_index}): {exc.ename}: {_first_line(exc.evalue)}"
        ) from None
    except SlpError:
        raise
    except Exception as exc:  # kernel died, could not start, ...
        raise NotebookError(f"notebook {section.path.name} could not run: "
                            f"{type(exc).__name__}: {_first_line(str(exc))}") from None


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
               progress: Callable[[str], None] | None = None, jobs: int = 1) -> Path:
    """Run every notebook for one params file; return the period's ``index.html``.

    Raises
    ------
    SlpError
        Bad input data (before any notebook runs).
    NotebookError
        A notebook failed: names the notebook and the cell. The previous report is untouched.
    """
    from slp import assessment, figures, site

    say = progress or (lambda message: None)
    sections = sections or discover_sections()
    reports = Path(reports)
    with period_lock(reports, params, say):
        say(f"{params.borough} {params.period_end}: loading and checking the data")
        data = assessment.load(params)
        numbers = figures.compute(data)
        manifest = site.manifest(data, sections, run_at=dt.datetime.now(dt.UTC))
        provenance = provenance_html(manifest)
        work = Path(tempfile.mkdtemp(prefix=f".tmp-{params.period_end}-", dir=reports / params.slug))
        try:
            executed = work / ".executed"
            executed.mkdir()
            outputs = execute_all(sections, executed, params, say, jobs=jobs)
            for i, (section, nb_path) in enumerate(zip(sections, outputs, strict=True)):
                page = page_context(params, sections, i, provenance=provenance, demo=data.is_demo,
                                    title=f"{section.title}: {data.title_suffix}")
                (work / section.html_name).write_text(render_html(nb_path, page), encoding="utf-8")
            shutil.rmtree(executed)
            write_json(work / "figures.json", figures.publishable(numbers, params))
            write_json(work / "manifest.json", manifest)
            page = page_context(params, sections, None, provenance=provenance, demo=data.is_demo,
                                title=f"Contents: {data.title_suffix}")
            (work / "index.html").write_text(site.period_index(data, numbers, sections, page),
                                             encoding="utf-8")
            final = period_dir(reports, params)
            replace_folder(work, final)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
    site.write_reports_index(reports)
    return final / "index.html"


def execute_all(sections: list[Section], folder: Path, params: Params,
                say: Callable[[str], None], *, jobs: int = 1) -> list[Path]:
    """Execute the notebooks, ``jobs`` at a time; return the executed notebooks in order."""
    outputs = [folder / s.path.name for s in sections]
    if jobs <= 1:
        for section, out in zip(sections, outputs, strict=True):
            say(f"running {section.path.name}")
            execute_notebook(section, out, params)
        return outputs
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(execute_notebook, s, o, params)
                   for s, o in zip(sections, outputs, strict=True)]
        for section, future in zip(sections, futures, strict=True):
            future.result()
            say(f"finished {section.path.name}")
    return outputs
