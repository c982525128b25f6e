"""The statutory pages in the rendered reports: the demo shows each with figures, Lewisham
shows the checklist, the recorded-crime parts of serious violence, and "not supplied"."""

from __future__ import annotations

import json

import pytest


@pytest.mark.slow
def test_demo_report_shows_every_new_page_with_figures(demo_report):
    page = {n: (demo_report / f"{n}.html").read_text(encoding="utf-8") for n in
            ("07-statutory", "08-serious-violence", "09-asb", "10-changes")}
    assert 'href="08-serious-violence.html#local-reoffending"' in page["07-statutory"]
    assert 'id="local-reoffending"' in page["08-serious-violence"]  # the link lands
    assert '<th scope="row">Violence with Injury</th><td class="num">' in page["08-serious-violence"]
    assert "Harm by category" in page["08-serious-violence"]
    assert "illustrative" in page["08-serious-violence"]
    assert "anti-social behaviour incidents to the police" in page["09-asb"]
    assert "Rate per 1,000 residents" in page["10-changes"]
    manifest = json.loads((demo_report / "manifest.json").read_text())
    local = next(i for i in manifest["inputs"] if i["source"] == "Local inputs")
    assert len(local["files"]) == 5 and all(len(f["sha256"]) == 64 for f in local["files"])
    assert any(i["source"] == "Harm weights" for i in manifest["inputs"])


@pytest.mark.slow
def test_lewisham_report_shows_the_checklist_and_what_is_not_supplied(lewisham_report):
    checklist = (lewisham_report / "07-statutory.html").read_text(encoding="utf-8")
    assert checklist.count("not supplied: local input") >= 5
    violence = (lewisham_report / "08-serious-violence.html").read_text(encoding="utf-8")
    assert '<th scope="row">Violence with Injury</th>' in violence
    assert "No harm-weights file is configured" in violence
    assert "Not supplied: local input." in violence
