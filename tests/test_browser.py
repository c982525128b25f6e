"""Every rendered page opened in real headless Chromium with the network blocked.

Checks, per page: no request leaves the machine, zero console errors, zero serious or critical
axe-core violations, every <img> and chart <svg> has specific alt text, the file is under 3 MB,
the accessibility statement is linked from the footer, and every table links a CSV whose
values are the table's (read back here, independently of slp's own reader); on a page with
charts, the chart's text is real text a reader can select. A screenshot of each page is saved to
test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest

from support import ARTIFACTS, CHROMIUM, need

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
MAX_BYTES = 3 * 1024 * 1024
VAGUE_ALT = re.compile(r"^(image|chart|figure|plot|map|graph|img)?\W*$", re.I)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    need(CHROMIUM.exists(), f"Debian chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chrome = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chrome
        chrome.close()


def check_page(browser, path: Path, label: str) -> dict:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked: list[str] = []

    def route(r):
        if r.request.url.startswith(("file:", "data:", "about:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri(), wait_until="load")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{label}-{path.stem}.png"), full_page=True)
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    alts = page.eval_on_selector_all("img", "els => els.map(e => e.getAttribute('alt'))")
    alts += page.eval_on_selector_all("svg.slp-svg",
                                      "els => els.map(e => e.getAttribute('aria-label'))")
    tables = page.eval_on_selector_all("table.slp-table", TABLES_JS)
    statement = page.eval_on_selector_all(
        "footer a", "els => els.filter(a => a.textContent.trim() === 'Accessibility statement')"
                    ".map(a => a.getAttribute('href'))")
    selected = page.evaluate(SELECT_JS)
    h1 = page.eval_on_selector_all("h1", "els => els.length")
    levels = page.eval_on_selector_all("h1, h2, h3, h4, h5, h6",
                                       "els => els.map(e => Number(e.tagName[1]))")
    title = page.title()
    lang = page.eval_on_selector("html", "e => e.getAttribute('lang')")
    context.close()
    return {"blocked": blocked, "errors": errors, "violations": bad, "alts": alts, "h1": h1,
            "title": title, "lang": lang, "levels": levels, "tables": tables,
            "statement": statement, "selected": selected}


#: Each slp table's cells as shown, and the download link that follows it.
TABLES_JS = """els => els.map(t => {
  const rows = [...t.querySelectorAll('tr')].map(r => [...r.cells].map(c => c.textContent.replace(/\\s+/g, ' ').trim()));
  let next = t.closest('.table-scroll').nextElementSibling;
  while (next && next.matches('p.table-note')) next = next.nextElementSibling;
  const a = next && next.matches('p.download') ? next.querySelector('a') : null;
  return {rows: rows, href: a && a.getAttribute('href'), text: a && a.textContent};
})"""

#: Select the text of the first chart's title as a reader would (a range over the <text>
#: node, as a drag or double-click makes) and return what the selection holds.
SELECT_JS = """() => {
  const svg = document.querySelector('svg.slp-svg');
  if (!svg) return null;
  const texts = [...svg.querySelectorAll('text')];
  const t = texts.reduce((a, b) => (b.textContent.length > a.textContent.length ? b : a));
  const range = document.createRange();
  range.selectNodeContents(t);
  const s = window.getSelection();
  s.removeAllRanges();
  s.addRange(range);
  return {count: texts.length, text: t.textContent, selected: s.toString(),
          userSelect: getComputedStyle(t).userSelect,
          all: texts.map(x => x.textContent).join(' ')};
}"""


def shown_as_csv(text: str) -> str:
    """A cell as the page shows it, written the way a tidy CSV should hold it (worked out here,
    independently of slp.downloads): 1,234 -> 1234; +6.7% -> 6.7; Sep 2022 -> 2022-09."""
    plain = text.replace(",", "").replace("\u2212", "-")
    number = re.fullmatch(r"\+?(-?\d*\.?\d+)%?", plain)
    if number:
        return number.group(1)
    try:
        return dt.datetime.strptime(text, "%b %Y").strftime("%Y-%m")
    except ValueError:
        return text


def assert_downloads_match(result: dict, path: Path) -> None:
    """Every table links a CSV; the CSV's numbers and words are the table's."""
    for table in result["tables"]:
        assert table["href"], f"{path.name}: a table has no CSV link: {table['rows'][:1]}"
        assert re.fullmatch(r"Download this data \(CSV, \d+ KB\)", table["text"]), table["text"]
        target = path.parent / table["href"]
        raw = target.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), f"{target.name} has no byte-order mark"
        kb = int(re.search(r"(\d+) KB", table["text"]).group(1))
        assert (kb - 1) * 1024 < len(raw) <= kb * 1024, (target.name, len(raw), kb)
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert len(rows) == len(table["rows"]), target.name
        header, *body = rows
        assert [re.sub(r" \(%\)$", "", h) for h in header] == table["rows"][0], target.name
        for shown, written in zip(table["rows"][1:], body, strict=True):
            assert [shown_as_csv(c) for c in shown] == written, (target.name, shown, written)
        assert (target.parent / f"{target.name}-metadata.json").is_file()


def assert_statement_linked(result: dict, path: Path) -> None:
    assert len(result["statement"]) == 1, f"{path.name}: no accessibility statement link"
    assert (path.parent / result["statement"][0]).is_file(), result["statement"]


def assert_chart_text_selectable(result: dict, path: Path) -> None:
    chosen = result["selected"]
    assert chosen and chosen["count"] >= 3, f"{path.name}: no chart drawn with text"
    assert chosen["userSelect"] != "none"
    assert chosen["selected"] == chosen["text"] and len(chosen["text"]) > 3, chosen



def assert_page_ok(result: dict, path: Path) -> None:
    assert result["blocked"] == [], f"{path.name} asked the network for {result['blocked']}"
    assert result["errors"] == [], f"{path.name} console errors: {result['errors']}"
    assert result["violations"] == [], (
        f"{path.name} axe violations: "
        + "; ".join(f"{v['id']} ({v['impact']}): {v['help']}" for v in result["violations"]))
    assert result["h1"] == 1, f"{path.name} has {result['h1']} <h1> elements"
    assert result["lang"] == "en-GB"
    levels = result["levels"]
    assert levels[0] == 1, f"{path.name}: the first heading is h{levels[0]}"
    skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    assert skips == [], f"{path.name}: headings skip a level {skips}"
    assert len(result["title"]) > 10
    for alt in result["alts"]:
        assert alt and not VAGUE_ALT.match(alt) and len(alt) > 30, f"{path.name}: alt {alt!r}"
    assert path.stat().st_size < MAX_BYTES, f"{path.name} is {path.stat().st_size} bytes"


def every_page(period: Path) -> list[Path]:
    """A period's pages, its data downloads page, and the borough's and reports' pages."""
    return (sorted(period.glob("*.html")) + [period / "csv" / "index.html"]
            + sorted(period.parent.glob("*.html")) + sorted(period.parent.parent.glob("*.html")))


def check_report(browser, period: Path, label: str) -> None:
    with_charts = []
    tables = 0
    for path in every_page(period):
        result = check_page(browser, path, label)
        assert_page_ok(result, path)
        assert_statement_linked(result, path)
        assert_downloads_match(result, path)
        tables += len(result["tables"])
        if result["selected"]:
            assert_chart_text_selectable(result, path)
            with_charts.append(path.name)
    assert tables >= 10 and len(with_charts) >= 3, (tables, with_charts)


def test_demo_pages_offline_accessible_and_small(browser, demo_report):
    pages = every_page(demo_report)
    assert len(pages) >= 12  # index, six sections, statement, downloads, borough and reports
    check_report(browser, demo_report, "demo")


def test_lewisham_pages_offline_accessible_and_small(browser, lewisham_report):
    check_report(browser, lewisham_report, "lewisham")


def test_chart_text_can_be_selected_with_the_mouse(browser, demo_report):
    """A double-click on a chart's title selects its words, as on any text of the page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto((demo_report / "01-trends.html").as_uri(), wait_until="load")
    texts = page.locator("svg.slp-svg").first.locator("text")
    lengths = texts.evaluate_all("els => els.map(e => e.textContent.length)")
    title = texts.nth(lengths.index(max(lengths)))  # the title's longest line
    title.scroll_into_view_if_needed()
    title.dblclick()
    selected = page.evaluate("() => window.getSelection().toString().trim()")
    words = title.text_content().split()
    context.close()
    assert selected and selected in words, (selected, words)
