"""The "what changed" page: against a named previous figures.json, or recomputed a year back."""

from __future__ import annotations

import dataclasses
import json

from slp.sections import changes


def rate(a, end):
    """12-month crime rate per 1,000 ending ``end``, summed from the crime frame."""
    data = a.crime.data
    months = data["month"].astype(str)
    start = str(end - 11)
    n = data[(data["borough"] == a.borough) & (months >= start) & (months <= str(end))][
        "count"].sum()
    return 1000 * n / float(a.residents[a.borough])


def test_recomputed_a_year_back_when_no_earlier_figures(demo_assessment):
    a = demo_assessment
    html = changes.moves(a).html()
    now, then = rate(a, a.period_end), rate(a, a.period_end - 12)
    assert (f"All crime, last 12 months: rate per 1,000 residents "
            f"{'rose' if now > then else 'fell'} from {then:,.2f} to {now:,.2f}") in html
    assert "recomputed from this run&#x27;s own files" in changes.previous(a).html()


def test_a_named_previous_figures_json(demo_assessment, tmp_path):
    """A hand-made earlier payload: All crime at 80.00 per 1,000 and rank 3 of 32 then, and a
    category the current files lack (a classification change the page must name)."""
    a = demo_assessment
    path = tmp_path / "figures.json"
    path.write_text(json.dumps({
        "borough": a.borough, "period_end": "2024-09", "disclosure": {"applied": True},
        "headline": [{"months": 12, "rate_per_1000": 80.0, "rank": 3, "rank_of": 32}],
        "categories": [{"category": "Fraud and Forgery", "count": 900, "rate_per_1000": 3.0}]}))
    a = dataclasses.replace(a, params=dataclasses.replace(a.params, sources=dataclasses.replace(
        a.params.sources, previous_figures=path)))
    html = changes.moves(a).html()
    assert f"rose from 80.00 to {rate(a, a.period_end):,.2f}" in html
    assert "<td>Rank among London boroughs</td><td>3 of 32</td>" in html
    assert "Fraud and Forgery" in changes.reasons(a).html()
    assert "period ending 2024-09" in changes.previous(a).html()


def test_lewisham_compares_with_september_2021(lewisham_assessment):
    a = lewisham_assessment
    html = changes.moves(a).html()
    assert f"from {rate(a, a.period_end - 12):,.2f} to 93.05" in html  # 93.0 in the plan
