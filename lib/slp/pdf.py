"""One PDF of a period's whole assessment, printed by headless Chromium (the ``pdf`` extra).

:func:`write_pdf` reads a rendered period folder (``reports/<borough>/<period_end>/``), takes
the sections in the order its ``index.html`` lists them, and prints them as ONE document, so
the page numbers run through: a first page with the title and the contents (with the
page each section starts on), every section from a new page, and "How this report was made"
once at the end. Every page carries the page's stamp (synthetic demo data, or internal - not
for publication) in its header and "Page N of M" in its footer. Print rules are injected here
(tables, figures and charts are not split across pages where they fit on one; data tables
behind charts are opened), so the HTML pages' templates stay as they are. The PDF is tagged and
has an outline (bookmarks) from the headings.

Chromium is driven through Playwright (``pip install 'slp[pdf]'``) and is Debian's
``/usr/bin/chromium`` (``apt-get install chromium``); either missing is a :class:`PdfError`
naming the install command.
"""

from __future__ import annotations

import html
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from slp.errors import SlpError

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu"]
INSTALL = "install it with `pip install 'slp[pdf]'` (Playwright) and `apt-get install chromium`"

# Injected into the combined document only: print layout, never the HTML pages themselves.
PRINT_CSS = """
@page { size: A4; margin: 20mm 14mm 18mm 14mm; }
html, body { background: #fff; }
body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
.skip-link, .site-header, .sections-nav, .pager, .pdf-hidden { display: none !important; }
.pdf-section { break-before: page; }
table, figure, img, svg, details, .table-scroll, .chart, .slp-chart, .map { break-inside: avoid; }
tr, li { break-inside: avoid; }
thead { display: table-header-group; }
h1, h2, h3, h4, caption, summary { break-after: avoid; }
.table-scroll { overflow: visible !important; max-height: none !important; }
img, svg { max-width: 100%; height: auto; }
.pdf-contents ol { padding-left: 1.5em; }
.pdf-contents li { display: flex; gap: 0.5em; }
.pdf-contents .pdf-title { flex: 1 1 auto; border-bottom: 1px dotted #767676; }
.pdf-contents .pdf-page { min-width: 2.5em; text-align: right; }
"""

# Run in each rendered page: ids and same-report links namespaced by the page's stem, links
# that would leave the PDF (CSV downloads, other files) kept as text, resources made absolute.
_EXTRACT_JS = """(stem) => {
  const local = (h) => h && !/^[a-z][a-z0-9+.-]*:/i.test(h) && !h.startsWith('//');
  const main = document.querySelector('main') || document.body;
  const sections = [...document.querySelectorAll('#contents ~ ol a[href], .sections-nav a[href]')]
    .map((a) => ({href: a.getAttribute('href'), label: a.textContent.trim()}))
    .filter((l) => /^[0-9][0-9]-[^/]*\\.html$/.test(l.href));
  main.querySelectorAll('[id]').forEach((el) => { el.id = stem + '--' + el.id; });
  main.querySelectorAll('img[src], source[src], image[href], object[data]').forEach((el) => {
    for (const a of ['src', 'href', 'data']) {
      const v = el.getAttribute(a);
      if (v && !v.startsWith('data:')) el.setAttribute(a, new URL(v, document.baseURI).href);
    }
  });
  main.querySelectorAll('a[href]').forEach((a) => {
    const h = a.getAttribute('href');
    if (h.startsWith('#')) { a.setAttribute('href', '#' + stem + '--' + h.slice(1)); return; }
    const m = h.match(/^([0-9][0-9]-[^/#?]*)\\.html(?:#(.*))?$/);
    if (m) { a.setAttribute('href', m[2] ? '#' + m[1] + '--' + m[2] : '#sec-' + m[1]); return; }
    if (/\\.(csv|zip)$/i.test(h)) {  // "Download this data": no use on paper
      const parent = a.parentElement;
      a.classList.add('pdf-hidden');
      if (parent && parent !== main && parent.textContent.trim() === a.textContent.trim())
        parent.classList.add('pdf-hidden');
    }
    if (local(h)) a.removeAttribute('href');
  });
  main.querySelectorAll('details').forEach((d) => { d.open = true; });
  const footer = document.querySelector('footer.provenance');
  if (footer) footer.querySelectorAll('a[href]').forEach((a) => {
    if (local(a.getAttribute('href'))) a.removeAttribute('href'); });
  const style = document.querySelector('head style');
  return {
    title: document.title,
    heading: ((main.querySelector('h1') || {}).textContent || document.title).trim(),
    main: main.innerHTML,
    footer: footer ? footer.innerHTML : '',
    css: style ? style.textContent : '',
    stamps: [...document.querySelectorAll('.stamp')].map((s) => ({
      kind: [...s.classList].find((c) => c.startsWith('stamp-')) || 'stamp',
      title: (s.querySelector('strong') || s).textContent.trim(),
      html: s.outerHTML})),
    sections: sections,
  };
}"""


class PdfError(SlpError):
    """The PDF cannot be made: no renderer installed, or not a rendered period folder."""


@dataclass(frozen=True)
class _Page:
    """What the PDF takes from one rendered HTML page."""

    stem: str
    title: str
    heading: str
    main: str
    footer: str
    css: str
    stamps: tuple[dict, ...]
    sections: tuple[dict, ...]


def default_pdf_path(period_folder: Path) -> Path:
    """Where :func:`write_pdf` writes by default: ``<borough>-<period_end>-assessment.pdf``
    inside the period folder.

    Examples
    --------
    >>> default_pdf_path(Path("reports/lewisham/2022-09")).name
    'lewisham-2022-09-assessment.pdf'
    """
    folder = Path(period_folder)
    return folder / f"{folder.parent.name}-{folder.name}-assessment.pdf"


def write_pdf(period_folder: Path | str, out: Path | str | None = None) -> Path:
    """Print a rendered period folder's whole assessment as one PDF.

    Parameters
    ----------
    period_folder : Path or str
        A folder written by ``slp run``: ``reports/<borough>/<period_end>/`` with its
        ``index.html`` and one HTML page per section.
    out : Path or str, optional
        The PDF to write (default :func:`default_pdf_path`). Written whole or not at all.

    Returns
    -------
    Path
        The PDF written.

    Raises
    ------
    PdfError
        The folder has no ``index.html`` or a section page it lists is missing, or Playwright
        or Chromium is not installed (the message says how to install them).

    Examples
    --------
    >>> write_pdf("reports/wexbridge/2026-09")  # doctest: +SKIP
    PosixPath('reports/wexbridge/2026-09/wexbridge-2026-09-assessment.pdf')
    """
    folder = Path(period_folder)
    index = folder / "index.html"
    if not index.is_file():
        raise PdfError(f"pdf: '{folder}' has no index.html; expected a period folder "
                       "written by slp run, e.g. reports/<borough>/<period_end>")
    target = Path(out) if out else default_pdf_path(folder)
    sync_playwright = _playwright()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(_chromium()), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            cover = _read_page(page, index, "index")
            pages = [_read_page(page, _section_file(folder, link), link["href"][:-5],
                                link["label"]) for link in cover.sections]
            data = _print(page, cover, pages)
        finally:
            browser.close()
    _write_whole(target, data)
    return target


def check_renderer() -> None:
    """Raise :class:`PdfError` (saying how to install them) unless Playwright and Chromium are
    both installed; ``slp run --pdf`` calls it before running any notebook.

    Examples
    --------
    >>> check_renderer()  # doctest: +SKIP
    """
    _playwright()
    _chromium()


def _playwright():
    try:
        import pypdf  # noqa: F401  the contents' page numbers are read from the first print
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise PdfError(f"pdf: {exc.name or 'Playwright'} is not installed; {INSTALL}") from None
    return sync_playwright


def _chromium() -> Path:
    found = CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")
    if not found:
        raise PdfError(f"pdf: Chromium was not found at {CHROMIUM} or on PATH; {INSTALL}")
    return Path(found)


def _section_file(folder: Path, link: dict) -> Path:
    path = folder / link["href"]
    if not path.is_file():
        raise PdfError(f"pdf: '{folder / 'index.html'}' lists {link['href']} "
                       f"({link['label']}) but the file is missing; expected every section's "
                       "page beside index.html (run slp run again)")
    return path


def _read_page(page, path: Path, stem: str, label: str = "") -> _Page:
    page.goto(path.resolve().as_uri())
    got = page.evaluate(_EXTRACT_JS, stem)
    seen, sections = set(), []
    for link in got["sections"]:  # the contents list and the navigation name the same pages
        if link["href"] not in seen:
            seen.add(link["href"])
            sections.append(link)
    return _Page(stem, label or got["title"], got["heading"], got["main"], got["footer"], got["css"],
                 tuple(got["stamps"]), tuple(sections))


def _print(page, cover: _Page, pages: list[_Page]) -> bytes:
    """Print the combined document twice: the first print says on which page each section
    starts (from the PDF's outline), the second carries those numbers in the contents."""
    with tempfile.TemporaryDirectory(prefix="slp-pdf-") as work:
        source = Path(work) / "assessment.html"
        source.write_text(_combined_html(cover, pages), encoding="utf-8")
        page.goto(source.as_uri())
        page.emulate_media(media="print")
        options = _pdf_options(cover)
        first = page.pdf(**options)
        starts = section_start_pages(first, [p.heading for p in pages])
        page.evaluate("""(starts) => { document.querySelectorAll('.pdf-page').forEach(
            (el, i) => { el.textContent = starts[i] ? String(starts[i]) : ''; }); }""", starts)
        return page.pdf(**options)


def _pdf_options(cover: _Page) -> dict:
    stamp = " ".join(s["title"] for s in cover.stamps)
    small = "font-size:8pt;font-family:sans-serif;width:100%;margin:0 14mm;color:#222;"
    header = f'<div style="{small}text-align:center;font-weight:bold;">{html.escape(stamp)}</div>'
    footer = (f'<div style="{small}display:flex;justify-content:space-between;">'
              f"<span>{html.escape(_short_title(cover))}</span>"
              '<span>Page <span class="pageNumber"></span> of '
              '<span class="totalPages"></span></span></div>')
    return {"format": "A4", "print_background": True, "display_header_footer": True,
            "header_template": header, "footer_template": footer,
            "margin": {"top": "20mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
            "prefer_css_page_size": True, "tagged": True, "outline": True}


def _short_title(cover: _Page) -> str:
    return cover.title.removeprefix("Contents: ").strip()


def _combined_html(cover: _Page, pages: list[_Page]) -> str:
    """The one HTML document printed: cover and contents, the sections, the provenance."""
    e = html.escape
    items = "".join(
        f'<li><a class="pdf-title" href="#sec-{e(p.stem)}">{e(p.title)}</a>'
        f'<span class="pdf-page"></span></li>' for p in pages)
    contents = (f'<nav class="pdf-contents" aria-label="Contents"><h2>Contents</h2>'
                f'<ol>{items}</ol></nav>')
    stamps = "".join(s["html"] for s in cover.stamps)
    body = "".join(
        f'<section class="pdf-section" id="sec-{e(p.stem)}" aria-label="{e(p.title)}">'
        f"{p.main}</section>" for p in pages)
    provenance = (f'<section class="pdf-section provenance" id="sec-provenance">'
                  f"{cover.footer}</section>") if cover.footer.strip() else ""
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{e(_short_title(cover))}</title>"
        f"<style>{cover.css}</style><style>{PRINT_CSS}</style></head><body>"
        f'<section class="pdf-cover">{stamps}{_cover_main(cover.main, contents)}</section>'
        f"{body}{provenance}</body></html>"
    )


def _cover_main(main: str, contents: str) -> str:
    """The index page's title and first paragraph, then the PDF's contents. The rest of the
    index (the headline table, repeated in the summary section, and its own links) is left
    out, so that the cover is one page."""
    title_end = main.find("</h1>")
    lede_end = main.find("</p>", title_end) if title_end >= 0 else -1
    at = lede_end + len("</p>") if lede_end >= 0 else title_end + len("</h1>")
    return main[:at] + contents if title_end >= 0 else contents


def section_start_pages(pdf: bytes, titles: list[str]) -> list[int | None]:
    """The 1-based page on which each section starts, from the PDF's outline (bookmarks).

    Each title is matched, in order, to the first heading bookmark with that text (whitespace
    ignored) after the previous match; a title with no bookmark gets ``None``.

    Parameters
    ----------
    pdf : bytes
        A PDF printed with an outline (Chromium's ``outline=True``).
    titles : list of str
        The sections' headings (``h1``), in the document's order.

    Returns
    -------
    list of int or None
        One page number per title.
    """
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    marks = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                page = reader.get_destination_page_number(item) + 1
                marks.append(("".join(item.title.split()), page))

    walk(reader.outline)
    found, start = [], 0
    for title in titles:
        wanted = "".join(title.split())  # outline titles lose the spaces at line breaks
        hit = next((i for i in range(start, len(marks)) if marks[i][0] == wanted), None)
        found.append(marks[hit][1] if hit is not None else None)
        start = hit + 1 if hit is not None else start
    return found


def _write_whole(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
