"""The disclosure walk: every section of the demo and Lewisham runs, read as a reader would.

Each page's sections are rendered for the public and (for the truth behind the totals) for the
internal audience; every published table, chart data table and map tooltip, and figures.json,
is parsed back from its HTML or JSON and audited by :mod:`disclosure_audit`, which knows nothing
of how slp suppresses. With :func:`slp.disclosure.publish` switched off the same walk finds
leaks on the demo: proof that the sections go through it and that the walk would notice one
that does not.
"""

from __future__ import annotations

import dataclasses
import importlib
import re

import pandas as pd
import pytest

from disclosure_audit import audit_figures, audit_page, leaks_in_table, read_page
from slp import disclosure, figures
from slp.sections import PAGES


def sections_of(page: str):
    module = importlib.import_module(f"slp.sections.{page}")
    return [(name, getattr(module, name)) for name in module.__all__ if name != "title"]


def internal(a):
    return dataclasses.replace(a, params=dataclasses.replace(a.params, audience="internal"))


HIDDEN = re.compile(r">(?:&lt;\d+|\[c\])<")


def walk(a) -> tuple[list[str], set[str]]:
    """Every leak a reader could find in the run of assessment ``a``, and the sections that
    hide something (a ``<5`` or ``[c]`` in a table, a data table or a tooltip). A total printed
    on any page of the run counts as known on every page."""
    threshold = a.rule.threshold
    truth = internal(a)
    pages = {page: [(f"{page}.{name}", fn(a).html()) for name, fn in sections_of(page)]
             for page in PAGES}
    everything = " ".join(read_page(html, "")[1] for page in pages.values() for _, html in page)
    leaks, hiding = [], set()
    for page, public in pages.items():
        hidden = {f"{page}.{name}": fn(truth).html() for name, fn in sections_of(page)}
        leaks += audit_page(public, hidden, threshold, elsewhere=everything)
        hiding |= {name for name, html in public if HIDDEN.search(html) or "&lt;5<" in html}
    payload = figures.publishable(figures.compute(a), a.params)
    return leaks + audit_figures(payload, threshold), hiding


def test_the_walk_covers_every_section_of_every_page():
    names = {f"{page}.{name}" for page in PAGES for name, _ in sections_of(page)}
    # 21 first pages' sections, + hate_crime 2, statutory 2, serious_violence 9, asb 5, changes 4
    assert len(names) == 21 + 2 + 2 + 9 + 5 + 4
    assert {"ward_maps.ward_rates", "ward_maps.ward_change", "knife_gun.weapon_possession",
            "summary.crime_types", "domestic_abuse.vawg_recorded", "hate_crime.hate_crime",
            "hate_crime.hate_crime_strands", "knife_gun.knife_gun", "statutory.checklist",
            "serious_violence.profile", "serious_violence.where", "serious_violence.harm",
            "serious_violence.substance_misuse"} <= names


def test_the_reader_sees_what_a_person_would():
    """The audit's own parser, on hand-written HTML: a '<5' beside a rate of 1.5 per 1,000 is a
    leak (1.5 x 2,000 / 1,000 = 3); a small count in the clear is one; a rate of a row whose
    count is hidden elsewhere on the page is one; a '<5' whose total is printed is one."""
    html = ("<table><tr><th>Ward</th><th>Crimes, last 12 months</th><th>Rate per 1,000</th>"
            "</tr><tr><th>a</th><td>&lt;5</td><td>1.5</td></tr>"
            "<tr><th>b</th><td>3</td><td>[x]</td></tr></table>")
    (table,), _ = read_page(html, "t")
    leaks, hidden = leaks_in_table(table, 5)
    assert len(leaks) == 2 and hidden == {frozenset({"a"})}
    totals = ("<p>The wards recorded 23 crimes.</p><table><tr><th>Ward</th>"
              "<th>Crimes, last 12 months</th></tr><tr><th>a</th><td>&lt;5</td></tr>"
              "<tr><th>b</th><td>20</td></tr></table>")
    truth = totals.replace("&lt;5", "3")
    assert audit_page([("s", totals)], {"s": truth}, 5) == [
        "s table 1: 'a' Crimes, last 12 months is 3, from the total 23 shown on the page"]
    rates = "<table><tr><th>Ward</th><th>Rate per 1,000</th></tr><tr><th>a</th><td>1.5</td></tr></table>"
    assert audit_page([("s", html), ("r", rates)], {"s": html, "r": rates}, 5)[-1].startswith(
        "r table 1: 'a' shows Rate per 1,000 = 1.5, but its count is hidden")


def test_figures_json_categories_are_protected_against_the_headline_total():
    """Categories 3, 10 and 20 under a headline total of 33: the 3 alone hidden would be 33 -
    10 - 20; it is '<5' and its partner '[c]', so a reader knows only '<5' + '[c]' = 13."""
    numbers = {"headline": [{"months": 12, "count": 33, "previous_count": 40}],
               "categories": [{"category": c, "count": n, "previous_count": p, "change_pct": 1.0,
                               "rate_per_1000": 0.1} for c, n, p in
                              (("A", 3, 10), ("B", 10, 10), ("C", 20, 20))]}
    params = pytest.importorskip("slp.params").Params(borough="X", period_end="2022-09")
    out = figures.publishable(numbers, params)
    assert [r["count"] for r in out["categories"]] == ["<5", "[c]", 20]
    assert audit_figures(out, 5) == []
    numbers["categories"][1]["count"] = 10
    leaky = dict(out, categories=[dict(r) for r in out["categories"]])
    leaky["categories"][1]["count"] = 10  # as if only the 3 had been hidden
    assert any("is 3, from the total 33" in m for m in audit_figures(leaky, 5))


@pytest.mark.parametrize("run", ["demo_assessment", "lewisham_assessment"])
def test_nothing_published_gives_a_suppressed_count_away(run, request):
    leaks, hiding = walk(request.getfixturevalue(run))
    assert leaks == []
    assert hiding  # the walk has something to check: both runs hide small counts


def passthrough(frame, *, counts, rule, derived=None, changes=None, sensitive=False,
                totals_shown=False):
    """publish() switched off: everything shown, as a section that bypassed it would."""
    return disclosure.Published(frame.copy(), pd.DataFrame(False, index=frame.index,
                                                           columns=frame.columns), [])


@pytest.mark.parametrize("run", ["demo_assessment", "lewisham_assessment"])
def test_every_section_that_hides_a_count_hides_it_through_publish(run, request, monkeypatch):
    """With publish() switched off the walk must find leaks, and in every section that hides
    something when it is on: no section suppresses by a route of its own."""
    a = request.getfixturevalue(run)
    _, hiding = walk(a)
    monkeypatch.setattr(disclosure, "publish", passthrough)
    leaks, _ = walk(a)
    leaking = {m.split(" ", 1)[0] for m in leaks}
    assert leaks
    assert hiding <= leaking, f"hidden without publish: {sorted(hiding - leaking)}"


@pytest.fixture(scope="module")
def small_ward(demo_assessment):
    """The demo with one ward that recorded only 3 crimes in the last 12 months (2 the year
    before): the ward pages must hide its count, and its rate, residents and change with it."""
    a = demo_assessment
    data = a.ward.data.copy()
    mine = data[data["borough"] == a.borough]
    code = sorted(mine["ward_code"].unique())[0]
    rows = data.index[data["ward_code"] == code]
    data.loc[rows, "count"] = 0
    now = data.index[(data["ward_code"] == code) & (data["month"] == a.period_end)][0]
    before = data.index[(data["ward_code"] == code) & (data["month"] == a.period_end - 12)][0]
    data.loc[now, "count"], data.loc[before, "count"] = 3, 2
    ward = dataclasses.replace(a.ward, data=data)
    name = str(data.loc[now, "ward_name"])
    return dataclasses.replace(a, ward=ward), name


def ward_page(a):
    public = [(f"ward_maps.{n}", fn(a).html()) for n, fn in sections_of("ward_maps")]
    truth = {f"ward_maps.{n}": fn(internal(a)).html() for n, fn in sections_of("ward_maps")}
    return public, audit_page(public, truth, a.rule.threshold)


def test_a_small_ward_is_hidden_with_its_rate_residents_and_change(small_ward):
    """The two leaks of the issue: ward_rates printed residents and a rate beside a '<5'
    (3 = rate x residents / 1,000) and ward_change left the change (+50%) visible."""
    a, name = small_ward
    public, leaks = ward_page(a)
    assert leaks == []
    html = dict(public)
    rates = read_page(html["ward_maps.ward_rates"], "r")[0][-1]  # the ward table
    row = next(r for r in rates.rows if r[0] == name)
    assert row[1] == "<5" and row[2] == "[x]" and row[3] == "[x]"
    change = read_page(html["ward_maps.ward_change"], "c")[0][-1]
    row = next(r for r in change.rows if r[0] == name)
    assert row[1:4] == ["<5", "<5", "[x]"]
    assert (f"<title>{name}, crimes per 1,000 residents: suppressed; Crimes, last 12 months: "
            "&lt;5</title>") in html["ward_maps.interactive_ward_map"]
    hot = read_page(html["ward_maps.hotspots"], "h")[0][-1]
    assert next(r for r in hot.rows if r[0] == name)[1] == "[x]"  # its rate, withheld
    # every z-score mixes in every ward's rate: with one rate withheld, they all are
    assert {r[2] for r in hot.rows} == {"[x]"} and {r[3] for r in hot.rows} == {"[x]"}


def test_the_small_ward_leaks_when_publish_is_switched_off(small_ward, monkeypatch):
    a, _ = small_ward
    monkeypatch.setattr(disclosure, "publish", passthrough)
    _, leaks = ward_page(a)
    leaking = {m.split(" ", 1)[0] for m in leaks}
    assert {"ward_maps.ward_rates", "ward_maps.ward_change",
            "ward_maps.interactive_ward_map"} <= leaking, leaking


def test_the_walk_finds_a_count_given_away_by_a_printed_total(demo_assessment, monkeypatch):
    """publish() without secondary suppression: the demo's possession-of-weapons table then
    shows one '<5' beside counts whose total the sentence above it prints, and the walk works
    the hidden count out by subtraction."""
    real = disclosure.publish

    def primary_only(frame, **kwargs):
        return real(frame, **{**kwargs, "totals_shown": False})

    monkeypatch.setattr(disclosure, "publish", primary_only)
    leaks, _ = walk(demo_assessment)
    assert any(m.startswith("knife_gun.weapon_possession") and "from the total" in m
               for m in leaks), leaks
