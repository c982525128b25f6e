"""Issue 11 on the rendered reports: changes judged against the area's normal variation, never
called "statistically significant", with the usual range and a methods note in every report."""

from __future__ import annotations

import html
import json
import re

import pytest

RUNS = ["demo_report", "lewisham_report"]


def page_text(path) -> str:
    """What a reader sees on a page: the text without tags, entities decoded, spaces folded."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", path.read_text(encoding="utf-8"),
                  flags=re.S | re.I)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


@pytest.mark.slow
@pytest.mark.parametrize("run", RUNS)
def test_no_public_page_says_statistically_significant(run, request):
    report = request.getfixturevalue(run)
    pages = sorted(report.glob("*.html"))
    assert len(pages) >= 7  # the contents page and the six sections
    for page in pages:
        text = page_text(page).lower()
        assert "statistically significant" not in text, page.name
        assert "0.6 of 12 months" not in text, page.name  # the dropped COVID sentence
    numbers = json.loads((report / "figures.json").read_text(encoding="utf-8"))
    for row in numbers["headline"] + numbers["categories"]:
        assert "significant" not in row


@pytest.mark.slow
@pytest.mark.parametrize("run", RUNS)
def test_every_report_explains_how_to_read_the_changes(run, request):
    summary = page_text(request.getfixturevalue(run) / "00-summary.html")
    assert "How to read the changes" in summary
    for words in ('What "unusual" means.', "The reference period.",
                  "Why police recorded crime is not tested like a survey.",
                  "how police record it as well as how much crime there is"):
        assert words in summary, words
    covid = page_text(request.getfixturevalue(run) / "02-covid.html")
    assert "the level the 2017-2020 trend would have reached" in covid
    # the page leads with the last 12 months against the 12 months before the pandemic
    first = covid.index("All crime:")
    assert first < covid.index("the level the 2017-2020 trend would have reached")


@pytest.mark.slow
def test_lewisham_rise_is_within_normal_variation_with_its_usual_range(lewisham_report):
    """Known answer (issue 11, computed independently from the real files): Lewisham's 12-month
    changes 2012-03..2020-02 (n = 96) ran from about -8.9% to +12.2% (5th and 95th
    percentiles); the rise to September 2022 (28,409 against 26,636, r = 0.0644) has z ~ 0.88:
    within the range of normal year-to-year variation."""
    summary = page_text(lewisham_report / "00-summary.html")
    assert ("6.7% more than in the previous 12 months: within the range of normal year-to-year "
            "variation (12-month changes in Lewisham were between -8.9% and +12.2% in nine "
            "years out of ten, 2012-2020)") in summary
    assert "-8.9% to +12.2%" in summary  # the usual range in the headline table
    head = json.loads((lewisham_report / "figures.json").read_text())["headline"][0]
    assert (head["count"], head["previous_count"]) == (28409, 26636)
    assert head["verdict"] == "within"
    assert head["usual_range_pct"] == pytest.approx([-8.9, 12.2], abs=0.15)
    assert head["z"] == pytest.approx(0.88, abs=0.03)
    assert head["reference"] == "12-month changes 2012-03..2020-02, n=96"
    assert head["differs_from_london"] is False  # y - theta = -0.0447, inside the limits
