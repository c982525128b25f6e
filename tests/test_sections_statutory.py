"""The statutory checklist page: requirement by requirement, met (with a link), partly met, or
not supplied with what the partnership must add."""

from __future__ import annotations

import re

from slp.sections import statutory


def rows(html):
    return {m[0]: (m[1], m[2]) for m in re.findall(
        r'<th scope="row">([^<]+)</th><td>[^<]*</td><td class="status">([^<]+)</td><td>(.*?)</td>',
        html)}


def test_demo_checklist_links_to_where_each_requirement_is_met(demo_assessment):
    html = statutory.checklist(demo_assessment).html()
    found = rows(html)
    # by hand: 5 local inputs supplied (consultation, priorities, previous plan, substance
    # misuse, re-offending); ASB from the street files (the ASB page); serious violence from
    # data only (partly); changes from the changes page (recomputed a year back)
    assert "this report meets 8, meets 1 only in part" in html and "not supplied:" not in (
        html.split("</p>")[0])
    assert found["Anti-social behaviour and other behaviour adversely affecting the local "
                 "environment"] == ("met", '<a href="09-asb.html">Anti-social behaviour page</a>')
    assert found["Re-offending"][0] == "met"
    assert 'href="08-serious-violence.html#local-reoffending"' in found["Re-offending"][1]
    assert found["How far the previous partnership plan was implemented"][1].startswith(
        '<a href="07-statutory.html#local-previous-plan">')
    assert found["Changes in levels and patterns since the previous assessment, and why"] == (
        "met", '<a href="10-changes.html">What changed page</a>')
    assert "Police, Crime, Sentencing and Courts Act 2022 s.8(3)" in html


def test_lewisham_lists_what_the_partnership_must_still_write(lewisham_assessment):
    html = statutory.checklist(lewisham_assessment).html()
    found = rows(html)
    # by hand: crime and changes met; substance misuse and serious violence partly; ASB (no
    # street files), re-offending, priorities, consultation and previous plan not supplied
    assert "this report meets 2, meets 2 only in part" in html and "and 5 are not supplied" in html
    assert found["Levels and patterns of crime"][0] == "met"
    assert found["Re-offending"] == ("not supplied: local input", "None in this report")
    assert "consultation findings (e.g. a residents&#x27; survey summary" in html
    local = statutory.local_inputs(lewisham_assessment).html()
    assert local.count("Not supplied: local input.") == len(statutory.SHOWN_HERE)


def test_demo_local_inputs_are_rendered_with_their_file(demo_assessment):
    html = statutory.local_inputs(demo_assessment).html()
    assert '<section id="local-consultation" class="local-input">' in html
    assert "residents-survey-summary.md" in html and "FICTIONAL" in html
