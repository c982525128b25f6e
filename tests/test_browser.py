"""Every rendered page opened in real headless Chromium with the network blocked.

Checks, per page: no request leaves the machine, zero console errors, zero serious or critical
axe-core violations, every <img> has specific alt text, the file is under 3 MB; and a screenshot
of each page is saved to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

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
    h1 = page.eval_on_selector_all("h1", "els => els.length")
    levels = page.eval_on_selector_all("h1, h2, h3, h4, h5, h6",
                                       "els => els.map(e => Number(e.tagName[1]))")
    title = page.title()
    lang = page.eval_on_selector("html", "e => e.getAttribute('lang')")
    context.close()
    return {"blocked": blocked, "errors": errors, "violations": bad, "alts": alts, "h1": h1,
            "title": title, "lang": lang, "levels": levels}



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


def test_demo_pages_offline_accessible_and_small(browser, demo_report):
    pages = sorted(demo_report.glob("*.html")) + [demo_report.parent.parent / "index.html"]
    assert len(pages) >= 8  # index + six sections + reports index
    for path in pages:
        assert_page_ok(check_page(browser, path, "demo"), path)


def test_lewisham_pages_offline_accessible_and_small(browser, lewisham_report):
    for path in sorted(lewisham_report.glob("*.html")):
        assert_page_ok(check_page(browser, path, "lewisham"), path)
