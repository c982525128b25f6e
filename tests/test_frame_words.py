"""The comparison frame in words (issue 16): London's boroughs for the MPS files, a police
force's authorities for police.uk files; every word that names the frame comes from
:class:`slp.frame.Frame`, and London runs read as they always did."""

from __future__ import annotations

import dataclasses
import html as markup
import importlib
import re

import pytest

from slp import figures, narrative
from slp.frame import Frame
from slp.methods import methods_note
from slp.sections import PAGES, _priority_words, summary, trends
from slp.style import TEXT, series_style

GWENT = Frame.of_force("Gwent Police", ["Torfaen", "Newport", "Monmouthshire", "Caerphilly",
                                        "Blaenau Gwent"])
LONDON = Frame.london(f"Borough {i}" for i in range(32))

#: The pages whose words this frame work owns (every page's title and opening line too).
OWN_PAGES = ("summary", "trends", "changes")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", markup.unescape(re.sub(r"<[^>]+>", " ", html)))


def test_force_frame_words():
    assert GWENT.members == ("Blaenau Gwent", "Caerphilly", "Monmouthshire", "Newport",
                             "Torfaen")
    assert (GWENT.noun, GWENT.plural, GWENT.count) == ("authority", "authorities", 5)
    assert GWENT.members_phrase == "the 5 authorities in the Gwent Police area"
    assert GWENT.of_members() == "of the 5 authorities in the Gwent Police area"
    assert GWENT.counted() == "5 authorities in the Gwent Police area"
    assert GWENT.counted(4) == "4 authorities in the Gwent Police area"
    assert GWENT.members_label == "authorities in the Gwent Police area"
    assert GWENT.member_label == "authority in the Gwent Police area"
    assert GWENT.whole == "the Gwent Police area"
    assert GWENT.whole_opening == "The Gwent Police area"
    assert GWENT.whole_possessive == "the Gwent Police area's"
    assert GWENT.whole_label == "Gwent Police area"
    assert GWENT.change_column == "Gwent Police area change"
    assert GWENT.differs_column == "Changed differently from the Gwent Police area?"
    assert GWENT.rank_column == "Rank of 5"
    assert not GWENT.is_london and GWENT.force == "Gwent Police"


def test_london_frame_words_are_the_old_ones():
    assert LONDON.is_london and LONDON.force is None
    assert LONDON.members_phrase == "London's 32 boroughs"
    assert LONDON.counted() == "32 London boroughs"
    assert LONDON.members_label == "London boroughs"
    assert LONDON.member_label == "London borough"
    assert (LONDON.whole, LONDON.whole_opening, LONDON.whole_possessive) == (
        "London", "London", "London's")
    assert LONDON.change_column == "London change"
    assert LONDON.differs_column == "Changed differently from London?"
    assert LONDON.rank_column == "Rank of 32"


def test_sentences_name_the_force_frame():
    assert narrative.rank_sentence("Newport", 2, 5, 95.04, frame=GWENT) == (
        "Newport had the 2nd highest crime rate of the 5 authorities in the Gwent Police area "
        "(95.0 per 1,000 residents).")
    row = {"months": 12, "end": "2025-06", "count": 15000, "change_pct": -4.0,
           "london_change_pct": 2.04}
    assert narrative.headline_sentence("Newport", row, frame=GWENT) == (
        "Newport recorded 15,000 crimes in the 12 months to June 2025, 4.0% fewer than in the "
        "previous 12 months; across the Gwent Police area crime rose 2.0%.")
    assert narrative.london_difference("Newport", False, GWENT) == (
        "Newport's change was in line with the Gwent Police area's, allowing for the usual "
        "differences between authorities.")
    category = {"category": "Shoplifting", "count": 900, "change_pct": 10.0,
                "london_change_pct": -1.0, "rank": 1, "rank_of": 5, "rank_tied": True}
    assert narrative.category_sentence("Newport", category, frame=GWENT) == (
        "Shoplifting: 900 offences recorded, 10.0% more than in the previous 12 months "
        "(Gwent Police area: -1.0%); the joint 1st highest rate of the 5 authorities in the "
        "Gwent Police area.")
    assert narrative.borough_rank_sentence("Newport", 3, 5, 80.0, GWENT) == (
        "Newport ranks 3rd of 5 authorities with 80.0 crimes per 1,000 residents.")
    assert narrative.funnel_sentence("Newport", 95.0, "above", 80.0, GWENT) == (
        "Newport's rate of 95.0 per 1,000 lies above the upper 95% limit around the Gwent Police "
        "area's rate of 80.0; a difference that large is unlikely to be chance or the ordinary "
        "variation between authorities.")
    assert narrative.rank_note(GWENT) == ("Rank: the authority's rate for the category among "
                                          "the 5 authorities in the Gwent Police area, "
                                          "1 = highest.")
    dashboard = {"end": "2025-06", "count": 400, "change_pct": 10.0, "london_change_pct": 0.0,
                 "rank": 2, "rank_of": 5, "rate_per_1000": 2.5}
    assert _priority_words.priority_sentences("Newport", dashboard, "offences", GWENT)[1] == (
        "This was a 10.0% increase on the previous 12 months, compared to no change across the "
        "Gwent Police area, and the 2nd highest rate of the 5 authorities in the Gwent Police "
        "area (2.50 per 1,000 residents).")
    note = methods_note(frame=GWENT)
    assert "**Compared with the Gwent Police area.**" in note and "London" not in note.replace(
        "Metropolitan Police", "")


def test_london_sentences_without_a_frame_are_unchanged():
    assert narrative.funnel_note() == narrative.FUNNEL_NOTE == (
        "The limits allow for the real variation between boroughs as well as chance (an "
        "overdispersed funnel plot, Spiegelhalter 2005).")
    assert narrative.rank_note(LONDON) == narrative.RANK_NOTE
    assert narrative.tie_note(LONDON) == narrative.TIE_NOTE
    assert "**Compared with London.** \"Changed differently from London\"" in methods_note()


def test_the_whole_is_drawn_dark_grey_whatever_its_name():
    assert series_style("Gwent Police area", 2, "Gwent Police area")[0] == TEXT
    assert series_style("London", 2)[0] == TEXT
    assert series_style("London", 2, "Gwent Police area")[0] != TEXT


@pytest.fixture(scope="module")
def force_run(demo_assessment):
    """The demo as if its files were one police force's police.uk files (the frame only)."""
    crime = dataclasses.replace(demo_assessment.crime, classification="police.uk",
                                force="Wexshire Police")
    return dataclasses.replace(demo_assessment, crime=crime)


def _sections(run, page: str):
    module = importlib.import_module(f"slp.sections.{page}")
    for name in module.__all__:
        block = module.title(run, page) if name == "title" else getattr(module, name)(run)
        yield name, block.html()


def _without_file_lists(html: str) -> str:
    """The page less the lists of source files and their caveats, which describe the files the
    fake run actually read (the demo's MPS files, London airports and all)."""
    return re.sub(r'<ul class="(sources|caveats)">.*?</ul>', "", html, flags=re.S)


@pytest.mark.parametrize("page", PAGES)
def test_force_run_never_says_london(force_run, page):
    for name, html in _sections(force_run, page):
        assert html.strip() or name != "title", f"{page}.{name} is empty"
        if page in OWN_PAGES or name == "title":
            words = _without_file_lists(html)
            assert "London" not in words, (page, name, re.findall(r".{60}London.{40}", words))


def test_force_run_ranks_among_the_forces_authorities(force_run):
    words = text_of(summary.headline(force_run).html())
    # the demo's 32 areas, read as one force's authorities
    assert "of the 32 authorities in the Wexshire Police area (" in words
    assert "across the Wexshire Police area crime " in words
    assert "compared with the previous 12 months and with the 32 authorities in the Wexshire " \
           "Police area." in text_of(summary.title(force_run, "summary").html())
    table = text_of(trends.comparators(force_run).html())
    assert "comparator authorities and Wexshire Police area" in table
    assert "Changed differently from the Wexshire Police area?" in table


def test_force_run_figures_name_the_frame(force_run, demo_assessment):
    assert figures.frame_block(force_run.frame) == {
        "name": "Wexshire Police area", "members": 32, "noun": "authority",
        "force": "Wexshire Police"}
    london = {"name": "London", "members": 32, "noun": "borough", "force": None}
    assert figures.frame_block(demo_assessment.frame) == london
    payload = figures.compute(demo_assessment)
    assert payload["frame"] == london
    assert "(London +" in figures.as_text(payload) or "(London -" in figures.as_text(payload)


def test_london_demo_still_names_londons_boroughs(demo_assessment):
    assert ("compared with the previous 12 months and with London's 32 boroughs."
            in text_of(summary.title(demo_assessment, "summary").html()))
    words = text_of(summary.headline(demo_assessment).html())
    assert re.search(r"highest crime rate of the 32 London boroughs \(", words)
    assert "across London crime " in words
    crime_types = text_of(summary.crime_types(demo_assessment).html())
    assert "among the 32 London boroughs, 1 = highest" in crime_types
    assert "London change" in crime_types


def test_a_police_uk_type_is_named_once():
    # police.uk's crime types are both the main and the detailed category
    assert narrative.largest_change_sentence("increase", "Burglary", "Burglary", 89, 14.06,
                                             None) == (
        "The largest increase was in burglary: 89 more crimes, 14.1%; too few crimes to judge "
        "the change.")
    assert narrative.largest_change_sentence("decrease", "Shoplifting", "Theft", -284, -11.7,
                                             None).startswith(
        "The largest decrease was in shoplifting (theft): 284 fewer crimes, 11.7%")


def test_largest_changes_table_has_no_repeated_category_for_police_uk_types(force_run):
    # police.uk data: the detailed category is the main category (RecordedCrime's contract)
    data = force_run.crime.data.assign(minor=force_run.crime.data["major"])
    run = dataclasses.replace(force_run, crime=dataclasses.replace(force_run.crime, data=data))
    html = trends.largest_changes(run).html()
    assert "<th>Category</th>" in html or ">Category<" in html
    assert "Detailed category" not in html
    assert "Detailed category" in trends.largest_changes(force_run).html()


def test_verdict_note_says_what_the_reference_is_when_files_start_after_the_pandemic(force_run):
    from slp import headline

    assert headline.verdict_note(force_run) == narrative.verdict(form="note")  # from 2017
    data = force_run.crime.data
    late = dataclasses.replace(force_run, crime=dataclasses.replace(
        force_run.crime, data=data[data["month"] >= "2022-07"]))
    assert headline.verdict_note(late) == (
        "'Normal variation' is the range of this area's own past changes of the same kind since "
        "July 2022, when these files start (after the pandemic began); where they are too few, "
        "a change is compared with chance fluctuation only and the table says so. 'How to read "
        "the changes' on the summary page explains it.")
