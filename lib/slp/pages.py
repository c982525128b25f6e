"""The report's HTML pages: each notebook rendered offline, each period's contents page, its
data downloads page and accessibility statement, and the indexes of a reports folder (every
report; each borough's periods), all in slp's one page template.

Every page is self-contained (no scripts or styles from a network host), shows no code, links
only relatively (so a published folder can be served by any web server from any place), and
carries the same header, stamps (synthetic data, internal audience), navigation, a link to the
accessibility statement and the "How this report was made" footer (:mod:`slp.provenance`).

Page order of a period folder: ``index.html`` (contents), then each section's page in the order
of :func:`slp.execution.discover_sections`, then ``csv/index.html`` (data downloads) and
``accessibility.html``.
"""

from __future__ import annotations

import html
import json
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

import slp

if TYPE_CHECKING:
    from slp.assessment import Assessment
    from slp.execution import Section
    from slp.params import Params

TEMPLATES = Path(__file__).parent / "templates"
SITE_NAME = "Community safety strategic assessment"
#: The accessibility statement's file name, in every folder of pages.
STATEMENT = "accessibility.html"

_ANCHOR = re.compile(r'<a class="anchor-link" href="#[^"]*">.*?</a>')


_EXPORTERS = threading.local()


def _exporter():
    """This thread's HTML exporter: made once, so slp's template is compiled once a thread
    rather than once a page (about 0.15 s each)."""
    exporter = getattr(_EXPORTERS, "exporter", None)
    if exporter is None:
        from nbconvert import HTMLExporter

        exporter = _EXPORTERS.exporter = HTMLExporter(
            template_name="slp", extra_template_basedirs=[str(TEMPLATES)], exclude_input=True,
            exclude_input_prompt=True, exclude_output_prompt=True,
        )
    return exporter


def render_node(nb: nbformat.NotebookNode, page: dict) -> str:
    """Render a notebook with slp's offline template (code hidden, no CDN assets)."""
    body, _ = _exporter().from_notebook_node(nb, resources={"slp": page})
    return _ANCHOR.sub("", body)


def render_html(executed: Path, page: dict) -> str:
    """Render an executed notebook file (see :func:`render_node`)."""
    return render_node(nbformat.read(executed, as_version=4), page)


def html_page(fragment: str, page: dict) -> str:
    """Render an HTML fragment inside slp's page template (same header, stamps and footer)."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": fragment})]
    nb.cells = [cell]
    return render_node(nb, page)


def _settings(title: str, site_name: str, provenance: str, **more) -> dict:
    """The template's ``resources.slp`` with nothing but a title: no navigation or stamps."""
    return {"title": title, "site_name": site_name,
            "css": (TEMPLATES / "slp" / "slp.css").read_text(), "version": slp.__version__,
            "nav": [], "stamps": [], "index_href": "index.html", "prev": None, "next": None,
            "statement_href": STATEMENT, "provenance": provenance} | more


def page_order(sections: Sequence[Section]) -> list[str]:
    """Every page of a period folder in reading order, as paths relative to the folder: the
    contents, each section, the data downloads page and the accessibility statement (the
    order of a printed or PDF copy).

    Examples
    --------
    >>> from slp.execution import Section
    >>> page_order([Section(Path("00-summary.ipynb"), "Summary")])
    ['index.html', '00-summary.html', 'csv/index.html', 'accessibility.html']
    """
    return ["index.html", *(s.html_name for s in sections), "csv/index.html", STATEMENT]


def relocate(page: dict, prefix: str = "../") -> dict:
    """``page`` (from :func:`page_context`) for a page one folder down (``csv/index.html``):
    every link of the header, pager and footer starts with ``prefix``."""
    def moved(link: dict | None) -> dict | None:
        return None if link is None else link | {"href": prefix + link["href"]}

    return page | {"nav": [moved(n) | {"current": False} for n in page["nav"]],
                   "index_href": prefix + page["index_href"],
                   "statement_href": prefix + page["statement_href"],
                   "prev": moved(page["prev"]), "next": moved(page["next"])}


def page_context(params: Params, sections: Sequence[Section], current: int | None, *,
                 title: str, provenance: str, demo: bool) -> dict:
    """The template's ``resources.slp``: title, navigation, stamps and provenance."""
    nav = [{"href": "index.html", "label": "Contents", "current": current is None}]
    nav += [{"href": s.html_name, "label": s.title, "current": i == current}
            for i, s in enumerate(sections)]
    stamps = []
    if demo:
        place = "local authority" if params.sources.police_uk else "borough"
        stamps.append({"kind": "demo", "title": "Synthetic demonstration data.",
                       "text": "Every figure on this page comes from made-up data generated by "
                               f"slp for a fictional {place}. It describes no real place."})
    if params.internal:
        stamps.append({"kind": "internal", "title": "Internal - not for publication.",
                       "text": "Small counts are not suppressed on this page."})

    def link(i):
        return ({"href": sections[i].html_name, "label": sections[i].title}
                if current is not None and 0 <= i < len(sections) else None)

    return _settings(title, f"{SITE_NAME}: {params.borough}", provenance, nav=nav,
                     stamps=stamps,
                     prev=link(current - 1) if current is not None else None,
                     next=link(current + 1) if current is not None else None)


def period_index(data: Assessment, numbers: dict, sections: Sequence[Section], page: dict,
                 zip_file: str = "data.zip") -> str:
    """The period's contents page: title, headline table, links to every section, to the data
    downloads (``csv/index.html`` and ``csv/<zip_file>``) and to the accessibility statement."""
    from slp import headline

    e = html.escape
    links = "".join(f'<li><a href="{e(s.html_name)}">{e(s.title)}</a></li>' for s in sections)
    fragment = (
        f"<h1>{e(page['title'])}</h1>"
        f'<p class="lede">{e(headline.lede(data))}</p>'
        f"{headline.table_html(data, numbers)}"
        f'<h2 id="contents">Sections of this assessment</h2><ol>{links}</ol>'
        '<h2 id="downloads">Data and more about this report</h2><ul>'
        '<li><a href="csv/index.html">Data downloads</a>: every table of this report as a CSV '
        f'file, or <a href="csv/{e(zip_file)}" download>all of them in one zip</a>.</li>'
        '<li><a href="figures.json">figures.json</a>: the headline figures as data.</li>'
        '<li><a href="manifest.json">manifest.json</a>: how the report was made.</li>'
        f'<li><a href="{STATEMENT}">Accessibility statement</a>.</li></ul>'
    )
    return html_page(fragment, page)


def accessibility_statement(page: dict, *, produced: str = "", downloads: bool = True) -> str:
    """The accessibility statement page (``accessibility.html``) in slp's page template.

    What standard the pages aim at (WCAG 2.2 AA, as the Public Sector Bodies Accessibility
    Regulations 2018 require), how they are tested (axe-core in headless Chromium on every page,
    and the checks a person makes by hand), the known limitations, and how to ask for another
    format. ``produced`` (e.g. the run's date) is said when the statement was written;
    ``downloads`` says the folder has a data downloads page (``csv/index.html``) to link to.
    """
    e = html.escape
    when = f" on {e(produced)}" if produced else ""
    csv_link = ('<a href="csv/index.html">data downloads</a> page' if downloads
                else "data downloads page of each report")
    fragment = f"""<h1>Accessibility statement</h1>
<p>This statement covers the pages of this strategic assessment report: the contents page, every
section, the data downloads page and the files linked from them. We want as many people as
possible to be able to use them: to zoom in to 400% without the text spilling off the screen, to
get around using only a keyboard or speech recognition software, and to read them with a screen
reader.</p>
<h2 id="standard">Standard</h2>
<p>These pages aim to meet the Web Content Accessibility Guidelines (WCAG) version 2.2 at level AA,
the standard set for public sector websites by the Public Sector Bodies (Websites and Mobile
Applications) (No. 2) Accessibility Regulations 2018. They are partially compliant: the known
limitations are listed below.</p>
<h2 id="how-tested">How these pages were tested</h2>
<ul>
<li>Automated: every page slp writes is opened in headless Chromium and checked with axe-core
against the WCAG A and AA rules, in slp's test suite; a page with any serious or critical
violation fails the tests. The same tests check that each page has one main heading and no
skipped heading levels, says its language, asks nothing of the network, that every chart has a
text alternative written from its data, that every table and chart links its data as CSV, and
that the text of the charts is real, selectable text.</li>
<li>By hand: automated checks find only some problems. Before publishing, a person should check
the pages with a keyboard alone (the skip link, visible focus, every link and map area reachable
with Tab), at 400% zoom and at a narrow window width, and with a screen reader, and note the
date and what they found.</li>
</ul>
<h2 id="limitations">Known limitations</h2>
<ul>
<li>Charts are pictures to a screen reader: each is described by a text alternative written from
its numbers, and every number it shows is in the data table under it and in its CSV file.</li>
<li>The interactive ward map works with a mouse or the Tab key; its data table holds the same
numbers. Static maps are images: zooming in makes them blurred, not unreadable, and their
numbers are in the data table too.</li>
<li>Wide tables scroll sideways on narrow screens.</li>
<li>Small counts are shown as &lt;5 (or similar) to protect the people they describe; this is
deliberate and the same in every format.</li>
</ul>
<h2 id="other-formats">Asking for another format</h2>
<p>If you need any part of this report in another format, such as large print, easy read, audio
or braille, or the data in a different kind of file, contact the community safety partnership
that published it (the council's community safety team), saying which report and section you
need. Every table is already available as a CSV file from the
{csv_link}.</p>
<h2 id="problems">Reporting accessibility problems</h2>
<p>If you find a problem not listed here, or think these pages do not meet the accessibility
requirements, contact the partnership that published them. The Equality and Human Rights
Commission (EHRC) enforces the accessibility regulations. If you are not happy with how your
complaint is answered, contact the Equality Advisory and Support Service (EASS).</p>
<h2 id="prepared">Preparation of this statement</h2>
<p>This statement was written by slp {e(page.get("version", ""))}{when}, with the report it
describes.</p>
"""
    return html_page(fragment, page)


def borough_index(folder: Path, manifests: Sequence[tuple[Path, dict]]) -> str:
    """``<borough>/index.html``: every period produced for one borough, newest first."""
    e = html.escape
    rows = []
    name = folder.name
    for path, info in sorted(manifests, key=lambda m: m[0].parent.name, reverse=True):
        params = info.get("parameters", {})
        name = params.get("borough", params.get("area", name))
        period = path.parent.name
        rows.append(f'<tr><td><a href="{e(period)}/index.html">{e(params.get("period_end", period))}'
                    f"</a></td><td>{e(_audience(info))}</td><td>{e(info.get('run_at', ''))}</td></tr>")
    police_uk = any("police_uk" in (info.get("parameters", {}).get("sources") or {})
                    for _, info in manifests)
    this, every = ("local authority", "All areas") if police_uk else ("borough", "All boroughs")
    body = (
        f"<h1>Strategic assessment reports: {e(name)}</h1>"
        f'<p>Every reporting period produced for this {this}. <a href="../index.html">{every}'
        "</a>.</p>"
        '<div class="table-scroll" role="region" aria-label="Reports by period" tabindex="0">'
        f"<table><caption>Reports for {e(name)} by period</caption>"
        '<thead><tr><th scope="col">Period ending</th><th scope="col">Audience</th>'
        '<th scope="col">Produced (UTC)</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
    page = _settings(f"Strategic assessment reports: {name}", SITE_NAME,
                     f"<p>Produced by slp {e(slp.__version__)}.</p>", index_href="../index.html")
    return html_page(body, page)


def _audience(info: dict) -> str:
    if info.get("synthetic_demo_data"):
        return "synthetic demo"
    return str(info.get("parameters", {}).get("audience", ""))


def _write(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` whole (a reader never sees half a page)."""
    tmp = target.with_suffix(".html.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)


def write_reports_index(reports: Path) -> Path:
    """Write ``reports/index.html`` listing every borough and period produced so far, each
    borough's ``index.html`` listing its periods, and the accessibility statement beside
    each."""
    e = html.escape
    rows = []
    by_borough: dict[Path, list[tuple[Path, dict]]] = {}
    for manifest_path in sorted(reports.glob("*/*/manifest.json")):
        if manifest_path.parent.name.startswith("."):  # another run's unfinished folder
            continue
        try:
            info = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        by_borough.setdefault(manifest_path.parent.parent, []).append((manifest_path, info))
        params = info.get("parameters", {})
        folder = manifest_path.parent.relative_to(reports)
        rows.append(
            f'<tr><td><a href="{e(folder.parent.as_posix())}/index.html">'
            f"{e(params.get('borough', '?'))}</a></td>"
            f'<td><a href="{e(folder.as_posix())}/index.html">{e(params.get("period_end", "?"))}'
            f"</a></td><td>{e(_audience(info))}</td><td>{e(info.get('run_at', ''))}</td></tr>"
        )
    body = (
        "<h1>Strategic assessment reports</h1>"
        "<p>Every borough and reporting period produced in this folder. Each links to its "
        "contents page.</p>"
        '<div class="table-scroll" role="region" aria-label="Reports by borough and period" '
        'tabindex="0"><table><caption>Reports by borough and period</caption>'
        '<thead><tr><th scope="col">Borough</th><th scope="col">Period ending</th>'
        '<th scope="col">Audience</th><th scope="col">Produced (UTC)</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
    page = _settings("Strategic assessment reports", SITE_NAME,
                     f"<p>Produced by slp {e(slp.__version__)}.</p>")
    target = reports / "index.html"
    _write(target, html_page(body, page))
    _write(reports / STATEMENT, accessibility_statement(
        _settings("Accessibility statement", SITE_NAME, ""), downloads=False))
    for folder, manifests in by_borough.items():
        _write(folder / "index.html", borough_index(folder, manifests))
        _write(folder / STATEMENT, accessibility_statement(
            _settings("Accessibility statement", SITE_NAME, "", index_href="index.html"),
            downloads=False))
    return target
