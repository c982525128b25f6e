"""How a report was made: the run's manifest and the "How this report was made" section.

The manifest (``manifest.json`` beside every period's pages) records the parameters, every input
file with its SHA-256 and the months it covers, the population source, the slp version and git
commit and the run time; :func:`provenance_html` turns it into the section every page ends with.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import platform
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import slp
from slp.params import project_root

if TYPE_CHECKING:
    from slp.assessment import Assessment
    from slp.execution import Section


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


#: An absolute path inside a longer text: a slash-led run of at least two parts.
_ABSOLUTE = re.compile(r"(?<![\w.:/])/(?:[^\s'\"/<>]+/)+[^\s'\"/<>]*")


def portable(value: Any, root: Path | None = None) -> Any:
    """``value`` (a manifest, or any part of one) with no absolute path of this machine.

    Paths under the project ``root`` become relative to it (``data/raw/demo/street``); any other
    absolute path, alone or inside a sentence, becomes its file name (the manifest gives each
    input's SHA-256 beside it, which identifies the file wherever it lives). Dicts and lists are
    walked; other values are returned as they are.

    Examples
    --------
    >>> portable({"p": "/home/me/slp/data/a.csv", "q": ["see /mnt/x/b.csv here"]},
    ...          Path("/home/me/slp"))
    {'p': 'data/a.csv', 'q': ['see b.csv here']}
    """
    root = root or project_root()
    if isinstance(value, dict):
        return {k: portable(v, root) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [portable(v, root) for v in value]
    if not isinstance(value, str):
        return value
    prefix = str(root).rstrip("/") + "/"
    return _ABSOLUTE.sub(lambda m: m.group(0).rstrip("/").rsplit("/", 1)[-1],
                         value.replace(prefix, ""))


def manifest(data: Assessment, sections: Sequence[Section], *, run_at: dt.datetime) -> dict:
    """Provenance of one run: parameters, inputs with SHA-256 and months, versions, caveats.

    Paths are written relative to the project, or as file names (:func:`portable`), so the
    published folder names no folder of the machine that built it.
    """
    return portable({
        "slp_version": slp.__version__,
        "git_commit": git_commit(),
        "run_at": run_at.replace(microsecond=0).isoformat(),
        "python": platform.python_version(),
        "parameters": data.params.to_dict(),
        "parameters_file": str(data.params.path) if data.params.path else None,
        "population_source": data.population_label,
        "synthetic_demo_data": data.is_demo,
        "notebooks": [s.path.name for s in sections],
        "inputs": [c.to_dict() for c in data.coverages()],
    })


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
