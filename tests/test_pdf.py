"""slp.pdf: one PDF of a rendered period folder (contents, sections in order, page numbers,
stamp on every page), and the one-line errors when the folder or the renderer is missing."""

from __future__ import annotations

import html
import io
import re
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from slp import cli, pdf
from support import CHROMIUM, ROOT, need

# ---------------------------------------------------------------- no browser needed


def _outlined_pdf(marks: list[tuple[str, int]], pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    for title, page in marks:
        writer.add_outline_item(title=title, page_number=page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_section_start_pages_reads_the_outline_in_order():
    # 0-based destinations 0, 1, 4 and 6 are the 1st, 2nd, 5th and 7th pages. Chromium's outline
    # loses the spaces at line breaks ("Crime trends: Wexbridge(synthetic"), so they are ignored.
    data = _outlined_pdf([("Contents: Wexbridge", 0), ("Summary: Wexbridge", 1),
                          ("Details", 2), ("Crime trends: Wexbridge(synthetic demo)", 4),
                          ("Summary: Wexbridge", 6)], pages=8)
    got = pdf.section_start_pages(data, ["Summary: Wexbridge", "Crime trends: Wexbridge "
                                         "(synthetic demo)", "Summary: Wexbridge", "Absent"])
    assert got == [2, 5, 7, None]


def test_default_pdf_path_is_named_after_the_borough_and_period():
    assert pdf.default_pdf_path(Path("reports/lewisham/2022-09")) == Path(
        "reports/lewisham/2022-09/lewisham-2022-09-assessment.pdf")


def test_a_folder_without_index_is_one_line_exit_2(tmp_path, capsys):
    assert cli.main(["pdf", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert str(tmp_path) in err and "has no index.html" in err and "period folder" in err


def test_missing_playwright_says_how_to_install(tmp_path, capsys, monkeypatch):
    (tmp_path / "index.html").write_text("<html></html>")
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # import fails
    assert cli.main(["pdf", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "playwright.sync_api is not installed" in err and "pip install 'slp[pdf]'" in err
    assert not list(tmp_path.glob("*.pdf"))


def test_missing_chromium_says_how_to_install(tmp_path, capsys, monkeypatch):
    (tmp_path / "index.html").write_text("<html></html>")
    monkeypatch.setattr(pdf, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    assert cli.main(["pdf", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "Chromium was not found" in err and "apt-get install chromium" in err


def test_run_pdf_checks_the_renderer_before_any_notebook(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)
    reports = tmp_path / "reports"
    code = cli.main(["run", str(ROOT / "params" / "demo.yaml"), "--pdf", "--reports",
                     str(reports)])
    assert code == 2
    assert "pip install 'slp[pdf]'" in capsys.readouterr().err
    assert not list(reports.glob("*/*/index.html"))  # nothing ran


# ---------------------------------------------------------------- a hand-made period folder

STAMP = ('<div class="stamp stamp-internal" role="note"><strong>Internal - not for '
         'publication.</strong> Small counts are not suppressed on this page.</div>')


def _page(title: str, body: str, nav: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{title}'
            f'</title><style>body {{ font-size: 12pt; }}</style></head><body>{nav}{STAMP}'
            f'<main id="main"><h1>{title}</h1>{body}</main>'
            '<footer class="provenance"><h2>How this report was made</h2><p>By hand.</p>'
            '</footer></body></html>')


@pytest.fixture
def tiny_folder(tmp_path) -> Path:
    folder = tmp_path / "reports" / "testshire" / "2024-03"
    folder.mkdir(parents=True)
    links = ('<li><a href="00-alpha.html">Alpha</a></li>'
             '<li><a href="01-beta.html">Beta</a></li>')
    (folder / "index.html").write_text(_page(
        "Contents: Testshire", f'<p>The lede.</p><h2 id="contents">Sections</h2><ol>{links}</ol>'
        '<p>Also <a href="figures.json">figures.json</a>.</p>'))
    (folder / "00-alpha.html").write_text(_page(
        "Alpha: Testshire", '<p>See <a href="01-beta.html#rows">the table</a>.</p>'
        '<p class="download"><a href="alpha.csv">Download this data (CSV, 1 KB)</a></p>'))
    # Beta: enough paragraphs to fill most of a page, then a 30-row table that would straddle
    # the page break; printed whole on the next page because tables avoid breaking inside.
    filler = "".join(f"<p>Filler paragraph {i} with some words to take up space.</p>"
                     for i in range(22))
    rows = "".join(f"<tr><td>row{i:02d}</td><td>{i}</td></tr>" for i in range(30))
    (folder / "01-beta.html").write_text(_page(
        "Beta: Testshire", f'{filler}<table id="rows"><caption>The rows</caption>{rows}</table>'))
    return folder


def _texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


@pytest.mark.browser
def test_tiny_folder_prints_contents_sections_numbers_and_stamp(tiny_folder, tmp_path):
    need(CHROMIUM.exists(), f"Debian chromium is not installed at {CHROMIUM}")
    out = pdf.write_pdf(tiny_folder, tmp_path / "out.pdf")
    texts = _texts(out)
    # cover (1), Alpha (2), Beta's filler (3) and its table (4), provenance (5)
    assert len(texts) == 5
    for i, text in enumerate(texts, start=1):
        assert "Internal - not for publication." in text, i
        assert f"Page {i} of 5" in text, i
    contents = PdfReader(out).pages[0].extract_text(extraction_mode="layout")
    assert re.search(r"Alpha\s+2\n", contents) and re.search(r"Beta\s+3\n", contents)
    assert "Alpha: Testshire" in texts[1] and "Beta: Testshire" in texts[2]
    assert "See the table." in texts[1]
    assert not any("Download this data" in text for text in texts)  # no use on paper
    assert "row00" in texts[3] and "row29" in texts[3]  # the table is not split
    assert "row00" not in texts[2]
    assert "How this report was made" in texts[4]
    reader = PdfReader(out)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root  # tagged
    assert root["/Lang"] == "en-GB"
    assert [item.title for item in reader.outline if not isinstance(item, list)][:1] == [
        "Contents: Testshire"]
    # the contents and the link to Beta's table go to places inside the PDF
    assert {"/sec-00-alpha", "/sec-01-beta", "/01-beta--rows"} <= set(reader.named_destinations)
    data = out.read_bytes()
    assert b"file:" not in data and str(tmp_path).encode() not in data  # no machine paths


# ---------------------------------------------------------------- the demo assessment


def _section_links(index: Path) -> list[tuple[str, str]]:
    listed = index.read_text().split('id="contents"', 1)[1]
    return re.findall(r'<a href="([0-9]{2}-[^"]+\.html)">([^<]+)</a>', listed.split("</ol>")[0])


@pytest.mark.browser
@pytest.mark.slow
def test_demo_report_pdf_has_contents_every_section_and_the_stamp(demo_report, tmp_path):
    need(CHROMIUM.exists(), f"Debian chromium is not installed at {CHROMIUM}")
    out = pdf.write_pdf(demo_report, tmp_path / "demo.pdf")
    reader = PdfReader(out)
    texts = [page.extract_text() for page in reader.pages]
    links = _section_links(demo_report / "index.html")
    assert len(links) == 6
    assert len(texts) > len(links) + 1  # a cover, and every section from a new page
    for i, text in enumerate(texts, start=1):
        assert "Synthetic demonstration data." in text, f"page {i} has no demo stamp"
        assert re.search(rf"Page {i} of {len(texts)}\b", text), f"page {i} has no number"
    cover = reader.pages[0].extract_text(extraction_mode="layout")
    starts = []
    for _href, label in links:
        found = re.search(rf"{re.escape(label)}\s+(\d+)\n", cover)
        assert found, f"{label} missing from the contents"
        starts.append(int(found.group(1)))
    assert starts == sorted(starts) and starts[0] == 2
    for (href, _label), start in zip(links, starts, strict=True):
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", (demo_report / href).read_text(), re.S)
        squeeze = "".join(html.unescape(re.sub(r"<[^>]+>", "", heading.group(1))).split())
        assert squeeze in "".join(texts[start - 1].split()), f"{href} not on page {start}"


@pytest.mark.browser
@pytest.mark.slow
def test_slp_run_pdf_writes_the_pdf_beside_the_report(demo_params, tmp_path, capsys):
    need(CHROMIUM.exists(), f"Debian chromium is not installed at {CHROMIUM}")
    reports = tmp_path / "reports"
    code = cli.main(["run", str(demo_params), "--notebooks", "00", "--pdf", "--reports",
                     str(reports)])
    assert code == 0
    printed = capsys.readouterr().out.split()
    folder = reports / "wexbridge" / "2026-09"
    assert printed == [str(folder / "index.html"),
                       str(folder / "wexbridge-2026-09-assessment.pdf")]
    texts = _texts(folder / "wexbridge-2026-09-assessment.pdf")
    assert "Contents" in texts[0] and "Summary" in texts[0]
    assert all("Synthetic demonstration data." in text for text in texts)
