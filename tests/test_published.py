"""Published figures read as printed and compared at their printed precision."""

from __future__ import annotations

import pytest

from slp import published
from slp.errors import ParamsError


@pytest.mark.parametrize(("text", "value", "step"), [
    ("28.4K", 28400, 100), ("7312", 7312, 1), ("93.0", 93.0, 0.1), ("6.5%", 6.5, 0.1),
    ("-8.9%", -8.9, 0.1), ("14", 14, 1), ("1.2M", 1_200_000, 100_000), ("4,000", 4000, 1),
])
def test_parse_figure_as_printed(text, value, step):
    figure = published.parse_figure(text)
    assert figure.value == pytest.approx(value) and figure.step == pytest.approx(step)


def test_agreement_is_judged_at_the_printed_precision():
    assert published.parse_figure("28.4K").agrees_with(28409)  # 28,409 -> 28.4K
    assert published.parse_figure("93.0").agrees_with(93.0499)
    assert not published.parse_figure("6.5%").agrees_with(6.66)  # 6.66 prints as 6.7%
    assert not published.parse_figure("7312").agrees_with(7317)
    assert published.parse_figure("14").agrees_with(14)


def test_compare_lists_each_figure():
    spec = published.parse({"source": "Plan", "headline": {
        12: {"count": "28.4K", "change_pct": "6.5%"}, 3: {"count": "7312"}}})
    rows = published.compare(spec, [
        {"months": 12, "count": 28409, "change_pct": 6.66},
        {"months": 3, "count": 7317, "change_pct": 4.33}])
    assert [(r["months"], r["figure"], r["published"], r["agrees"]) for r in rows] == [
        (12, "Total number", "28.4K", True),
        (12, "Change on previous period", "6.5%", False),
        (3, "Total number", "7312", False)]


@pytest.mark.parametrize(("raw", "message"), [
    ({"headline": {12: {"count": "1"}}}, "published.source: missing"),
    ({"source": "x", "headline": {24: {"count": "1"}}}, "published.headline.24: expected 12"),
    ({"source": "x", "headline": {12: {"crimes": "1"}}}, "headline.12.crimes: unknown figure"),
    ({"source": "x", "headline": {12: {"count": "lots"}}}, "'lots' is not a figure"),
])
def test_bad_published_figures_are_named(raw, message):
    with pytest.raises(ParamsError, match=message.replace("(", r"\(")):
        published.parse(raw, "p.yaml")
