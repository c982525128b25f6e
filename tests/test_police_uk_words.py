"""A police.uk run's pages name its own frame (issue 16): no London, MPS or borough words on the
demo force's pages (Wexmouth, one of the Wexshire Constabulary authorities), while London runs read
as before.

Every page's sections and section intros are built in-process from params/demo-force.yaml (no
papermill), and the notebooks' static markdown is read from notebooks/*.py. Expected sentences
are written by hand from the demo force's design (five authorities of "Wexshire Constabulary", files
from October 2023) and from the words the brief asks for.
"""

from __future__ import annotations

import html as markup
import importlib
import re

import pytest

from slp import narrative
from slp.boroughs import DEMO_FORCE_NEIGHBOUR
from slp.frame import Frame
from slp.methods import methods_html
from slp.sections import PAGES, intros
from slp.sections import _ward_words as ward_words
from support import ROOT

LONDON_WORDS = re.compile(r"London|MPS|Metropolitan|borough", re.I)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", markup.unescape(re.sub(r"<[^>]+>", " ", html)))


def _without_file_names(html: str) -> str:
    """The page less the list of the source files read (their names are the files' own)."""
    return re.sub(r'<ul class="sources">.*?</ul>', "", html, flags=re.S)


@pytest.fixture(scope="module")
def force_run(demo_params, tmp_path_factory):
    from slp import assessment
    from slp import params as params_mod

    return assessment.load(params_mod.load(ROOT / "params" / "demo-force.yaml"),
                           cache_dir=tmp_path_factory.mktemp("cache-demo-force"))


def _page_html(run, page: str) -> dict[str, str]:
    module = importlib.import_module(f"slp.sections.{page}")
    out = {name: (module.title(run, page) if name == "title" else getattr(module, name)(run))
           .html() for name in module.__all__}
    out.update({key: intros.intro(run, key).html() for key in intros.KEYS.get(page, ())})
    return out


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_demo_force_pages_never_say_london_mps_or_borough(force_run, page):
    assert force_run.is_police_uk and force_run.frame.force == "Wexshire Constabulary"
    for name, html in _page_html(force_run, page).items():
        words = text_of(_without_file_names(html))
        found = [m.group(0) for m in re.finditer(r".{50}(?:London|MPS|Metropolitan|borough).{30}",
                                                   words, flags=re.I)]
        assert not found, (page, name, found)


def test_notebook_markdown_never_names_london():
    """Static markdown is shown on every run, so it may not name the frame."""
    for path in sorted((ROOT / "notebooks").glob("[01]*.py")):
        for cell in path.read_text().split("# %%")[1:]:
            if cell.startswith(" [markdown]"):
                assert not LONDON_WORDS.search(cell), (path.name, cell[:120])


@pytest.mark.slow
def test_demo_force_hand_written_sentences(force_run):
    summary = {k: text_of(h) for k, h in _page_html(force_run, "summary").items()}
    assert "How the authority compares with the Wexshire Constabulary area" in summary[
        "summary.ranking"]
    assert ("The crime rate of each of the 5 authorities in the Wexshire Constabulary area over the "
            "last 12 months. Rank 1 is the highest rate.") in summary["summary.ranking"]
    assert ("Authorities outside the funnel have rates that differ from the Wexshire Constabulary "
            "area's by more than chance would explain.") in summary["summary.funnel"]
    assert "beside the same change across the Wexshire Constabulary area." in summary[
        "summary.headline"]
    notes = summary["data_notes"]
    assert "data.police.uk publishes each month's street-level crimes as the force had" in notes
    assert "The MPS revises" not in notes
    assert "in no LSOA, ward or local authority count" in notes
    # the demo force's files give split LSOAs their 2011 codes from October 2023 to March 2024
    assert "(LSOA 2011 codes, in the files for October 2023 to March 2024)" in notes
    trends = {k: text_of(h) for k, h in _page_html(force_run, "trends").items()}
    assert "Neighbouring and comparator authorities" in trends["trends.comparators"]
    assert "for the authority and for the Wexshire Constabulary area." in trends["trends.categories"]
    covid = text_of(intros.intro(force_run, "covid.expected").html())
    # the files start in October 2023: the heading stays, no back-testing words
    assert covid.strip() == "Crime against the level the 2017-2020 trend would have reached"


@pytest.mark.slow
def test_demo_force_asb_names_the_force_area_apart(force_run):
    from slp.sections import asb

    found = asb.incidents(force_run)
    others = set(found.outside["authority"])
    # the force's four other authorities are counted on their own pages, not outside the force
    assert {"Harlbury"} <= others and found.frame == force_run.frame.members
    words = " | ".join(found.caveats)
    assert "ASB incidents are in the force area's other authorities (" in words
    assert ": they are counted there, not in Wexmouth" in words
    assert "(LSOA 2011 codes, used in 2022 files)" not in words
    # the force's neighbour is outside the force area: not counted anywhere
    assert (f"ASB incidents are in LSOAs outside the force area's authorities "
            f"({DEMO_FORCE_NEIGHBOUR} ") in words


@pytest.mark.slow
def test_demo_force_ward_words_name_the_authority(force_run):
    from slp.sections import ward_maps

    words = text_of(ward_maps.ward_change(force_run).html())
    assert "Against Wexmouth's change (" in words
    assert "Changed differently from Wexmouth?" in words


def test_ward_words_default_to_the_borough():
    assert ward_words.ward_differs_column() == ward_words.WARD_DIFFERS_COLUMN
    assert ward_words.hotspot_status_words()["none"] == "changed like the borough"
    assert ward_words.hotspot_status_words("Newport")["persistent"] == (
        "persistent: a hot spot that changed like Newport")
    assert ward_words.ward_differs_sentences([], ["A"], 3, 3, -2.0, "Newport")[0] == (
        "Against Newport's change (-2.0%), allowing for the usual spread between wards: none "
        "rose more; A fell more.")


def test_first_place_reads_the_highest():
    gwent = Frame.of_force("Gwent Police", ["Newport", "Torfaen", "Caerphilly"])
    assert narrative.nth_highest(1) == "highest" and narrative.nth_highest(2) == "2nd highest"
    assert narrative.rank_sentence("Newport", 1, 3, 95.04, frame=gwent) == (
        "Newport had the highest crime rate of the 3 authorities in the Gwent Police area "
        "(95.0 per 1,000 residents).")
    row = {"category": "Robbery", "count": 10, "rank": 1, "rank_of": 3}
    assert "; the highest rate of the 3 authorities" in narrative.category_sentence(
        "Newport", row, frame=gwent)


def test_london_intros_are_the_old_markdown():
    london = Frame.london(f"B{i}" for i in range(32))
    assert intros.words("summary.ranking", london) == (
        "How the borough compares with London",
        "Every London borough's crime rate over the last 12 months. Rank 1 is the highest "
        "rate.")
    assert intros.words("summary.funnel", london)[1] == (
        "A funnel plot shows each borough's rate against its population. Boroughs outside the "
        "funnel have rates that differ from London's by more than chance would explain.")
    assert intros.words("trends.comparators", london) == (
        "Neighbouring and comparator boroughs", None)
    assert "on the 32 boroughs of the Metropolitan Police files" in intros.words(
        "covid.expected", london)[1]
    assert "(the MPS Monthly Crime Dashboard, or a force's own file)" in intros.words(
        "hate_crime.flags", london)[1]
    with pytest.raises(KeyError, match="no section intro"):
        intros.words("summary.nothing", london)


def test_methods_leave_out_the_pandemic_when_the_run_makes_no_such_comparison():
    assert "Before the pandemic." in methods_html()
    assert "Before the pandemic." not in methods_html(pandemic=False)
