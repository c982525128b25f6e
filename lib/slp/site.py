"""The pages around the notebooks: each period's contents page, the reports index, the manifest."""

from __future__ import annotations

import datetime as dt
import html
import json
import platform
from pathlib import Path

import nbformat

import slp


def manifest(data, sections, *, run_at: dt.datetime) -> dict:
    """Provenance of one run: parameters, inputs with SHA-256 and months, versions, caveats."""
    from slp.report import git_commit

    return {
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
    }


def html_page(fragment: str, page: dict) -> str:
    """Render an HTML fragment inside slp's page template (same header, stamps and footer)."""
    from slp.report import render_node

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": fragment})]
    nb.cells = [cell]
    return render_node(nb, page)


def period_index(data, numbers: dict, sections, page: dict) -> str:
    """The period's contents page: title, headline table and links to every section."""
    from slp import headline

    e = html.escape
    links = "".join(f'<li><a href="{e(s.html_name)}">{e(s.title)}</a></li>' for s in sections)
    fragment = (
        f"<h1>{e(page['title'])}</h1>"
        f'<p class="lede">{e(headline.lede(data))}</p>'
        f"{headline.table_html(data, numbers)}"
        f'<h2 id="contents">Sections of this assessment</h2><ol>{links}</ol>'
        '<p>Also in this folder: <a href="figures.json">figures.json</a> (the headline figures '
        'as data) and <a href="manifest.json">manifest.json</a> (how the report was made).</p>'
    )
    return html_page(fragment, page)


def write_reports_index(reports: Path) -> Path:
    """Write ``reports/index.html`` listing every borough and period produced so far."""
    from slp.report import SITE_NAME

    e = html.escape
    rows = []
    for manifest_path in sorted(reports.glob("*/*/manifest.json")):
        try:
            info = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        params = info.get("parameters", {})
        folder = manifest_path.parent.relative_to(reports)
        kind = "synthetic demo" if info.get("synthetic_demo_data") else params.get("audience", "")
        rows.append(
            f"<tr><td>{e(params.get('borough', '?'))}</td>"
            f'<td><a href="{e(str(folder))}/index.html">{e(params.get("period_end", "?"))}</a></td>'
            f"<td>{e(kind)}</td><td>{e(info.get('run_at', ''))}</td></tr>"
        )
    body = (
        "<h1>Strategic assessment reports</h1>"
        "<p>Every borough and reporting period produced in this folder. Each links to its "
        "contents page.</p>"
        '<div class="table-scroll"><table><caption>Reports by borough and period</caption>'
        '<thead><tr><th scope="col">Borough</th><th scope="col">Period ending</th>'
        '<th scope="col">Audience</th><th scope="col">Produced (UTC)</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
    page = {
        "title": "Strategic assessment reports", "site_name": SITE_NAME,
        "css": (Path(__file__).parent / "templates" / "slp" / "slp.css").read_text(),
        "version": slp.__version__, "nav": [], "stamps": [], "index_href": "index.html",
        "prev": None, "next": None,
        "provenance": f"<p>Produced by slp {e(slp.__version__)}.</p>",
    }
    target = reports / "index.html"
    tmp = target.with_suffix(".html.tmp")
    tmp.write_text(html_page(body, page), encoding="utf-8")
    tmp.replace(target)
    return target
