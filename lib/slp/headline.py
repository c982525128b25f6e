"""The headline figures in words and as a table: the opening line of every page and the plan's
headline boxes (last 12, 6 and 3 months), shown on the summary page and on the contents page.

Kept apart from :mod:`slp.sections` so that the runner can write the contents page without
importing the charting libraries.
"""

from __future__ import annotations

import pandas as pd

from slp import disclosure, measures, narrative, tables
from slp.periods import Window


def months_label(w: Window) -> str:
    """``"October 2021 to September 2022"``."""
    return f"{w.start.strftime('%B %Y')} to {w.end.strftime('%B %Y')}"


def lede(a) -> str:
    """The opening sentence of every page (and, for demo data, the warning that it is)."""
    text = (f"Recorded crime in {a.borough} over the 12 months from {months_label(a.window)}, "
            f"compared with the previous 12 months and with London's {len(a.london)} boroughs.")
    if a.is_demo:
        text += (" This report is built on synthetic demonstration data for a fictional "
                 "borough; none of its figures describe a real place.")
    return text


def numbers(a) -> pd.DataFrame:
    """:func:`slp.measures.headline_table` for the assessment's borough and period."""
    return measures.headline_table(a.crime.data, a.residents, a.borough, a.params.period_end)


def table_html(a, figures: dict | None = None) -> str:
    """The plan's headline boxes as one accessible table (last 12, 6 and 3 months).

    ``figures`` is the output of :func:`slp.figures.compute` when already computed.
    """
    rows = figures["headline"] if figures else numbers(a).to_dict("records")
    frame = pd.DataFrame([{
        "Period": f"Last {int(r['months'])} months ({narrative.month_name(r['start'])} to "
                  f"{narrative.month_name(r['end'])})",
        "Total number": r["count"],
        "Crime rate per 1,000 residents": r["rate_per_1000"],
        "Change on previous period": r["change_pct"],
        "London change": r["london_change_pct"],
        "Rank of 32 (1 = highest rate)": f"{int(r['rank'])} of {int(r['rank_of'])}",
        narrative.verdict(form="headline_column"): narrative.verdict_cell(
            bool(r.get("significant"))),
    } for r in rows])
    frame, _, published = disclosure.publish(
        frame, counts=["Total number"], rule=a.rule,
        derived={"Crime rate per 1,000 residents": "Total number",
                 "Change on previous period": "Total number"})
    notes = [f"Source: MPS recorded crime; rates use {a.population_label}.",
             "Changes compare each period with the period of the same length just before it. "
             + narrative.verdict(form="note")]
    return tables.html_table(
        frame, f"Headline figures for {a.area_label}, periods ending "
               f"{a.period_end.strftime('%B %Y')}",
        number_format={"Crime rate per 1,000 residents": "rate",
                       "Change on previous period": "change",
                       "London change": "change"},
        notes=[*notes, *published]).html()
