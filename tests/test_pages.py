"""The pages around the notebooks: navigation, stamps, one page template for every page."""

from __future__ import annotations

import json
import re

from slp import pages
from slp.execution import Section
from slp.params import Params


def test_page_context_links_neighbours_and_stamps(tmp_path):
    sections = [Section(tmp_path / f"0{i}-s{i}.ipynb", f"S{i}") for i in range(3)]
    params = Params(borough="Lewisham", period_end="2022-09", audience="internal")
    page = pages.page_context(params, sections, 1, title="T", provenance="", demo=True)
    assert page["prev"] == {"href": "00-s0.html", "label": "S0"}
    assert page["next"] == {"href": "02-s2.html", "label": "S2"}
    assert [n["current"] for n in page["nav"]] == [False, False, True, False]
    assert [s["kind"] for s in page["stamps"]] == ["demo", "internal"]
    assert "not for publication" in page["stamps"][1]["title"]


def test_reports_index_lists_every_period_and_nothing_else(tmp_path):
    for slug, borough, period in [("lewisham", "Lewisham", "2022-09"),
                                  ("wexbridge", "Wexbridge", "2026-09")]:
        folder = tmp_path / slug / period
        folder.mkdir(parents=True)
        (folder / "manifest.json").write_text(json.dumps({
            "parameters": {"borough": borough, "period_end": period, "audience": "public"},
            "synthetic_demo_data": borough == "Wexbridge", "run_at": "2026-11-29T10:00:00"}))
    unfinished = tmp_path / "lewisham" / ".tmp-2022-10-abc"  # a run about to swap: not listed
    unfinished.mkdir()
    (unfinished / "manifest.json").write_text(json.dumps({"parameters": {"period_end": "2022-10"}}))
    page = pages.write_reports_index(tmp_path).read_text(encoding="utf-8")
    assert page.count("<tr><td>") == 2
    assert 'href="lewisham/2022-09/index.html"' in page
    assert 'href="wexbridge/2026-09/index.html"' in page and "synthetic demo" in page
    assert "2022-10" not in page
    # nothing else: no temporary file; the accessibility statement beside the index
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        "accessibility.html", "index.html"]


def test_every_level_has_an_index_and_a_statement_with_relative_links(tmp_path):
    folder = tmp_path / "lewisham" / "2022-09"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps({
        "parameters": {"borough": "Lewisham", "period_end": "2022-09", "audience": "public"},
        "run_at": "2026-11-29T10:00:00"}))
    root = pages.write_reports_index(tmp_path).read_text(encoding="utf-8")
    assert 'href="lewisham/index.html"' in root
    borough = (tmp_path / "lewisham" / "index.html").read_text(encoding="utf-8")
    assert 'href="2022-09/index.html"' in borough and 'href="../index.html"' in borough
    for statement in (tmp_path / "accessibility.html", tmp_path / "lewisham" / "accessibility.html"):
        text = statement.read_text(encoding="utf-8")
        assert "WCAG" in text and "2.2" in text and "axe-core" in text
        assert "Accessibility Regulations 2018" in text and "another format" in text
    for page in (root, borough):
        assert 'href="accessibility.html">Accessibility statement</a>' in page
        hrefs = re.findall(r'href="([^"]*)"', page)
        assert hrefs and not [h for h in hrefs if h.startswith(("/", "file:", "http"))]


def test_relocate_moves_every_link_one_folder_down(tmp_path):
    sections = [Section(tmp_path / f"0{i}-s{i}.ipynb", f"S{i}") for i in range(2)]
    params = Params(borough="Lewisham", period_end="2022-09")
    page = pages.relocate(pages.page_context(params, sections, None, title="T", provenance="",
                                             demo=False))
    assert [n["href"] for n in page["nav"]] == ["../index.html", "../00-s0.html", "../01-s1.html"]
    assert page["index_href"] == "../index.html"
    assert page["statement_href"] == "../accessibility.html"
