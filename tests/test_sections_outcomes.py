"""The outcomes section: words and table from hand-made crimes; absent on a London run."""

from __future__ import annotations

import re

import pandas as pd

from slp import outcomes
from slp.disclosure import DisclosureRule
from slp.periods import Window
from slp.sections import outcomes as section
from test_outcomes import found

LOOKUP = pd.DataFrame({"lsoa_code": ["W01000001"], "ward_code": ["W05000001"],
                       "ward_name": ["North"], "borough": ["Newport"]})
WINDOW = Window("2025-05", "2025-06")


def crimes(n_none_may, n_unable_may, n_none_june, n_unable_june, n_suspect, n_charged):
    rows, i = [], 0
    for month, kind, n in [("2025-05", "", n_none_may),
                           ("2025-05", "Unable to prosecute suspect", n_unable_may),
                           ("2025-06", "", n_none_june),
                           ("2025-06", "Unable to prosecute suspect", n_unable_june),
                           ("2025-06", "Investigation complete; no suspect identified",
                            n_suspect),
                           ("2025-06", "Suspect charged", n_charged)]:
        for _ in range(n):
            i += 1
            rows.append((f"id{i}", month, "W01000001", "Newport 001A", "Burglary", kind, kind,
                         month if kind else ""))
    return found(rows)


def text(block) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block.html())).replace("&#x27;", "'")


def test_words_and_table_from_the_shares():
    # 40 crimes: May 10 (2 none, 8 unable), June 30 (12 none, 10 unable, 8 no suspect).
    # Unable 18/40 = 45.0%, none yet 14/40 = 35.0%, no suspect 8/40 = 20.0%.
    shares = outcomes.outcome_shares(crimes(2, 8, 12, 10, 8, 0), LOOKUP, "Newport", WINDOW)
    words = text(section.outcome_block(shares, "Newport", "Newport", WINDOW, DisclosureRule()))
    assert ("Of the 40 crimes recorded in Newport in the 12 months to June 2025, 45.0% were "
            "closed because the suspect could not be prosecuted, 20.0% were closed with no "
            "suspect identified; 35.0% have no outcome recorded yet.") in words
    # May's 2 crimes with no outcome are fewer than 5: no month sentence for the public
    assert "Of the crimes recorded in June 2025" not in words
    assert "Recent crimes often have no final outcome yet" in words
    assert "Unable to prosecute suspect" in words  # the police.uk name beside the group
    assert "London" not in words


def test_a_small_group_is_withheld_with_another_and_its_rows():
    # as above but 6 no suspect and 2 charged: the 2 is hidden, and the next smallest group
    # (no suspect, 6) with it, since the words state the total; its row is withheld too
    shares = outcomes.outcome_shares(crimes(2, 8, 12, 10, 6, 2), LOOKUP, "Newport", WINDOW)
    html = block_html(shares, DisclosureRule())
    words = text(section.outcome_block(shares, "Newport", "Newport", WINDOW, DisclosureRule()))
    assert ("Of the 40 crimes recorded in Newport in the 12 months to June 2025, 45.0% were "
            "closed because the suspect could not be prosecuted; 35.0% have no outcome "
            "recorded yet.") in words
    row = re.search(r"no suspect identified</t[hd]>\s*<td[^>]*>([^<]*)<", html)
    assert row is not None and row.group(1) == "[c]"
    assert ">6<" not in html and ">2<" not in html


def block_html(shares, rule) -> str:
    return section.outcome_block(shares, "Newport", "Newport", WINDOW, rule).html() \
        .replace("&lt;", "<")


def test_the_month_sentence_for_an_internal_audience():
    shares = outcomes.outcome_shares(crimes(2, 8, 12, 10, 6, 2), LOOKUP, "Newport", WINDOW)
    words = text(section.outcome_block(shares, "Newport", "Newport", WINDOW,
                                       DisclosureRule(audience="internal")))
    assert ("Of the crimes recorded in June 2025, 40% have no outcome recorded yet, against "
            "20% of those recorded in May 2025.") in words
    assert "15.0% were closed with no suspect identified, 5.0% led to a suspect being charged" in words
    assert "15.0% were closed with no suspect identified" in words


def test_absent_without_outcomes(demo_assessment):
    assert demo_assessment.outcomes is None
    assert section.last_outcomes(demo_assessment) is None


def test_court_results_are_charged_and_the_no_court_note_goes():
    plain = outcomes.outcome_shares(crimes(2, 8, 12, 10, 8, 0), LOOKUP, "Newport", WINDOW)
    assert "In these outcomes files a charge is the last outcome" in text(
        section.outcome_block(plain, "Newport", "Newport", WINDOW, DisclosureRule()))
    court = found([(f"c{i}", "2025-06", "W01000001", "Newport 001A", "Robbery",
                    "Offender sent to prison", "Offender sent to prison", "2025-06")
                   for i in range(6)])
    shares = outcomes.outcome_shares(court, LOOKUP, "Newport", WINDOW)
    assert shares.by_group.set_index("group")["count"].to_dict() == {outcomes.CHARGED: 6}
    words = text(section.outcome_block(shares, "Newport", "Newport", WINDOW, DisclosureRule()))
    assert "100.0% led to a suspect being charged or summonsed" in words
    assert "In these outcomes files a charge is the last outcome" not in words


def test_a_small_outcome_is_merged_into_its_group_main_outcome():
    # 10 charged, 2 charged as part of another case, 20 unable: the 2 is merged with the 10
    # (the group, 12, is in the words), so nothing needs withholding
    rows = [(f"c{i}", "2025-06", "W01000001", "Newport 001A", "Robbery", kind, kind, "2025-06")
            for i, kind in enumerate(["Suspect charged"] * 10
                                     + ["Suspect charged as part of another case"] * 2
                                     + ["Unable to prosecute suspect"] * 20)]
    shares = outcomes.outcome_shares(found(rows), LOOKUP, "Newport", WINDOW)
    html = block_html(shares, DisclosureRule())
    assert re.search(r"Suspect charged \+ Suspect charged as part of another case</t[hd]>\s*"
                     r"<td[^>]*>12<", html)
    assert "[c]" not in html and "<5" not in html
    assert "counted with the main outcome of their group" in html
    words = text(section.outcome_block(shares, "Newport", "Newport", WINDOW, DisclosureRule()))
    assert "62.5% were closed because the suspect could not be prosecuted, 37.5% led to a " \
           "suspect being charged or summonsed." in words
    # for an internal audience nothing is hidden, so nothing is merged
    internal = block_html(shares, DisclosureRule(audience="internal"))
    assert re.search(r"another case</t[hd]>\s*<td[^>]*>2<", internal)
