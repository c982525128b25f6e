"""The hate crime page (``06-hate-crime``): hate crime and each of its strands from the MPS
Monthly Crime Dashboard, with the CONNECT recording break stated."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slp import breaks
from slp.sections import _dashboard
from slp.sections.blocks import Block, p, title

if TYPE_CHECKING:
    from slp.assessment import Assessment

__all__ = ["title", "hate_crime", "hate_crime_strands"]

#: The strands, in the order of the MPS dashboard (keys of the measure mapping).
STRANDS = ["hate_crime_racist_and_religious", "hate_crime_racist", "hate_crime_faith",
           "hate_crime_antisemitic", "hate_crime_islamophobic", "hate_crime_homophobic",
           "hate_crime_transphobic", "hate_crime_disability"]

_INSTEAD = ("Hate crime is a flag on offences of many types; the recorded-crime files cannot "
            "count it.")


def connect_note() -> str:
    """The CONNECT break in words, stated on the page whether or not the periods straddle it."""
    return f"Break in the series: {breaks.get('connect').note}"


def hate_crime(a: Assessment) -> Block:
    """All hate crime: volume, rate, change, London's change, rank, verdict and monthly trend."""
    block = _dashboard.section(
        a, ["hate_crime"], what="hate crime", instead=_INSTEAD,
        table_title=f"Hate crime offences in {a.area_label}, 12 months against the 12 before",
        chart_title=f"Hate crime offences per month, {a.area_label}", flags="hate-crime")
    if a.is_police_uk:  # CONNECT is the Metropolitan Police's system: not this force's break
        return block
    return block.add(p(connect_note().replace("this change is", "a change across it is")))


def hate_crime_strands(a: Assessment) -> Block:
    """Hate crime by strand (racist, faith, antisemitic, homophobic, ...), the same measures.

    A hate crime can be flagged with more than one strand, so the strands do not add up to all
    hate crime; racist and religious hate crime is racist or faith hate crime.
    """
    if a.dashboard is None and a.is_police_uk:
        return Block().add(p("No hate crime strands either: they need the same flagged data "
                             "from the force."))
    if a.dashboard is None:
        return Block().add(p("No hate crime strands either: they come from the same MPS "
                             "Monthly Crime Dashboard file (OtherCrimeData)."))
    return _dashboard.section(
        a, STRANDS, what="hate crime", instead=_INSTEAD,
        table_title=f"Hate crime by strand in {a.area_label}, 12 months against the 12 before",
        chart_title=f"Hate crime by strand per month, {a.area_label}",
        charted=["hate_crime_racist", "hate_crime_faith", "hate_crime_homophobic"]).add(p(
            "An offence can be flagged with more than one strand, so the strands do not add up "
            "to all hate crime."))
